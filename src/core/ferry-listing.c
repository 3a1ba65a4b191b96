/* ferry-listing.c: see ferry-listing.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ferry-listing.h"

#define MAX_TOKENS 12

typedef struct
{
  const char *start;
  gsize length;
} Token;

/* Splits on runs of spaces, remembering where each token sits in the line so
 * that a name keeps its own spaces. */
static guint
tokenize (const char *line,
          gsize       length,
          Token      *tokens,
          guint       max)
{
  guint n = 0;
  gsize i = 0;

  while (i < length && n < max)
    {
      while (i < length && (line[i] == ' ' || line[i] == '\t'))
        i++;
      if (i >= length)
        break;
      tokens[n].start = line + i;
      while (i < length && line[i] != ' ' && line[i] != '\t')
        i++;
      tokens[n].length = line + i - tokens[n].start;
      n++;
    }
  return n;
}

static gboolean
token_is_number (const Token *token,
                 guint64     *value)
{
  guint64 v = 0;

  if (token->length == 0 || token->length > 19)
    return FALSE;
  for (gsize i = 0; i < token->length; i++)
    {
      if (!g_ascii_isdigit (token->start[i]))
        return FALSE;
      v = v * 10 + (guint64) (token->start[i] - '0');
    }
  if (value != NULL)
    *value = v;
  return TRUE;
}

static int
token_month (const Token *token)
{
  static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

  if (token->length != 3)
    return 0;
  for (int m = 0; m < 12; m++)
    if (g_ascii_strncasecmp (token->start, months + m * 3, 3) == 0)
      return m + 1;
  return 0;
}

static gboolean
is_dot_dir (const char *name,
            gsize       length)
{
  return (length == 1 && name[0] == '.') || (length == 2 && name[0] == '.' && name[1] == '.');
}

static gint64
utc_seconds (int year,
             int month,
             int day,
             int hour,
             int minute,
             int second)
{
  g_autoptr(GDateTime) date = NULL;

  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return G_MININT64;
  date = g_date_time_new_utc (year, month, day, hour, minute, second);
  return date != NULL ? g_date_time_to_unix (date) : G_MININT64;
}

gboolean
ferry_listing_parse_time (const char *text,
                          gint64     *mtime)
{
  int v[6];
  const char *p = text;
  gint64 seconds;

  g_return_val_if_fail (text != NULL, FALSE);

  if (g_str_has_prefix (p, "213 "))
    p += 4;
  for (int i = 0; i < 14; i++)
    if (!g_ascii_isdigit (p[i]))
      return FALSE;
  v[0] = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
  for (int i = 1; i < 6; i++)
    v[i] = (p[2 + i * 2] - '0') * 10 + (p[3 + i * 2] - '0');
  if (p[14] != '\0' && p[14] != '.' && p[14] != '\r' && p[14] != '\n' && p[14] != ' ')
    return FALSE;

  seconds = utc_seconds (v[0], v[1], v[2], v[3], v[4], v[5] == 60 ? 59 : v[5]);
  if (seconds == G_MININT64)
    return FALSE;
  if (mtime != NULL)
    *mtime = seconds;
  return TRUE;
}

/* type=file;size=12;modify=20240101120000; name */
static FerryEntry *
parse_mlsd (const char *line,
            gsize       length,
            gboolean   *dot)
{
  const char *space = memchr (line, ' ', length);
  g_autofree char *facts = NULL;
  g_auto(GStrv) pairs = NULL;
  g_autoptr(FerryEntry) entry = NULL;
  const char *name;
  gsize name_length;
  gboolean have_type = FALSE;

  if (space == NULL || space == line || memchr (line, '=', space - line) == NULL)
    return NULL;
  name = space + 1;
  name_length = length - (name - line);

  entry = g_new0 (FerryEntry, 1);
  entry->name = g_strndup (name, name_length);
  entry->type = FERRY_ENTRY_FILE;
  /* A name may carry a NUL: keep the raw bytes' length visible to checks. */
  if (memchr (name, '\0', name_length) != NULL)
    {
      g_free (entry->name);
      entry->name = g_memdup2 (name, name_length + 1);
      entry->name[name_length] = '\0';
    }

  facts = g_strndup (line, space - line);
  pairs = g_strsplit (facts, ";", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *eq = strchr (pairs[i], '=');
      const char *value;

      if (eq == NULL)
        continue;
      *eq = '\0';
      value = eq + 1;
      if (g_ascii_strcasecmp (pairs[i], "type") == 0)
        {
          have_type = TRUE;
          if (g_ascii_strcasecmp (value, "file") == 0)
            entry->type = FERRY_ENTRY_FILE;
          else if (g_ascii_strcasecmp (value, "dir") == 0)
            entry->type = FERRY_ENTRY_DIRECTORY;
          else if (g_ascii_strcasecmp (value, "cdir") == 0 || g_ascii_strcasecmp (value, "pdir") == 0)
            {
              *dot = TRUE;
              return NULL;
            }
          else if (g_ascii_strncasecmp (value, "OS.unix=slink", 13) == 0
                   || g_ascii_strncasecmp (value, "OS.unix=symlink", 15) == 0)
            {
              const char *target = strchr (value + 8, ':');

              entry->type = FERRY_ENTRY_SYMLINK;
              if (target != NULL)
                entry->link_target = g_strdup (target + 1);
            }
          else
            entry->type = FERRY_ENTRY_OTHER;
        }
      else if (g_ascii_strcasecmp (pairs[i], "size") == 0 || g_ascii_strcasecmp (pairs[i], "sizd") == 0)
        {
          guint64 size;

          if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &size, NULL))
            {
              entry->size = size;
              entry->size_known = TRUE;
            }
        }
      else if (g_ascii_strcasecmp (pairs[i], "modify") == 0)
        {
          if (ferry_listing_parse_time (value, &entry->mtime))
            entry->precision = FERRY_TIME_SECONDS;
        }
    }

  if (!have_type)
    return NULL;
  if (entry->type == FERRY_ENTRY_DIRECTORY && is_dot_dir (name, name_length))
    {
      *dot = TRUE;
      return NULL;
    }
  return g_steal_pointer (&entry);
}

static FerryEntryType
unix_type (char c)
{
  switch (c)
    {
    case '-':
      return FERRY_ENTRY_FILE;
    case 'd':
      return FERRY_ENTRY_DIRECTORY;
    case 'l':
      return FERRY_ENTRY_SYMLINK;
    default:
      return FERRY_ENTRY_OTHER;
    }
}

static gboolean
looks_like_mode (const Token *token)
{
  static const char types[] = "-dlcbps";

  if (token->length < 10 || strchr (types, token->start[0]) == NULL)
    return FALSE;
  for (int i = 1; i < 10; i++)
    if (strchr ("rwxsStTl-", token->start[i]) == NULL)
      return FALSE;
  return token->length == 10 || (token->length == 11 && strchr ("+.@", token->start[10]) != NULL);
}

/* drwxr-xr-x 2 owner group 4096 Mar  1 12:34 name  (group optional) */
static FerryEntry *
parse_unix (const char *line,
            gsize       length,
            GDateTime  *now,
            gboolean   *dot)
{
  Token tokens[MAX_TOKENS];
  guint n = tokenize (line, length, tokens, MAX_TOKENS);
  g_autoptr(FerryEntry) entry = NULL;
  guint64 size = 0;
  guint64 day;
  int month = 0;
  guint m;
  const char *name;
  gsize name_length;
  const Token *when;

  if (n < 6 || !looks_like_mode (&tokens[0]))
    return NULL;

  /* The date is the first "Mon DD (HH:MM|YYYY)" after owner: that finds the
   * size whether or not a group column is there. */
  for (m = 3; m + 2 < n; m++)
    {
      month = token_month (&tokens[m]);
      if (month != 0 && token_is_number (&tokens[m + 1], &day) && day >= 1 && day <= 31)
        break;
      month = 0;
    }
  if (month == 0)
    return NULL;
  when = &tokens[m + 2];

  entry = g_new0 (FerryEntry, 1);
  entry->type = unix_type (tokens[0].start[0]);
  if (token_is_number (&tokens[m - 1], &size))
    {
      entry->size = size;
      entry->size_known = entry->type == FERRY_ENTRY_FILE;
    }

  if (when->length == 5 && when->start[2] == ':')
    {
      int hour = (when->start[0] - '0') * 10 + (when->start[1] - '0');
      int minute = (when->start[3] - '0') * 10 + (when->start[4] - '0');
      int year = now != NULL ? g_date_time_get_year (now) : 1970;
      gint64 seconds = utc_seconds (year, month, (int) day, hour, minute, 0);

      /* No year: the most recent such date that is not in the future
       * (a day of slack for clocks and time zones). */
      if (now != NULL && seconds != G_MININT64 && seconds > g_date_time_to_unix (now) + 86400)
        seconds = utc_seconds (year - 1, month, (int) day, hour, minute, 0);
      if (seconds != G_MININT64 && g_ascii_isdigit (when->start[0]) && g_ascii_isdigit (when->start[4]))
        {
          entry->mtime = seconds;
          entry->precision = FERRY_TIME_MINUTES;
        }
    }
  else
    {
      guint64 year;

      if (token_is_number (when, &year) && year >= 1970 && year < 10000)
        {
          gint64 seconds = utc_seconds ((int) year, month, (int) day, 0, 0, 0);

          if (seconds != G_MININT64)
            {
              entry->mtime = seconds;
              entry->precision = FERRY_TIME_DAYS;
            }
        }
    }

  /* The name is everything after the single space that follows the date,
   * so names may hold and even start with spaces. */
  name = when->start + when->length + 1;
  if (name > line + length)
    return NULL;
  name_length = line + length - name;
  if (name_length == 0)
    return NULL;

  if (entry->type == FERRY_ENTRY_SYMLINK)
    {
      const char *arrow = g_strstr_len (name, name_length, " -> ");

      if (arrow != NULL)
        {
          entry->link_target = g_strndup (arrow + 4, name + name_length - (arrow + 4));
          name_length = arrow - name;
        }
    }
  if (entry->type == FERRY_ENTRY_DIRECTORY && is_dot_dir (name, name_length))
    {
      *dot = TRUE;
      return NULL;
    }

  entry->name = g_malloc (name_length + 1);
  memcpy (entry->name, name, name_length);
  entry->name[name_length] = '\0';
  return g_steal_pointer (&entry);
}

/* 03-01-23  12:34PM       <DIR>          name
 * 2023-03-01  13:05             1234 name */
static FerryEntry *
parse_dos (const char *line,
           gsize       length,
           gboolean   *dot)
{
  Token tokens[4];
  guint n = tokenize (line, length, tokens, 4);
  g_autoptr(FerryEntry) entry = NULL;
  int month, day, year, hour, minute;
  const Token *date = &tokens[0];
  const Token *time = &tokens[1];
  const char *name;
  gsize name_length;
  gint64 seconds;

  if (n < 4)
    return NULL;

  if (date->length == 8 && date->start[2] == '-' && date->start[5] == '-')
    {
      month = atoi (date->start);
      day = atoi (date->start + 3);
      year = atoi (date->start + 6);
      year += year < 70 ? 2000 : 1900;
    }
  else if (date->length == 10 && date->start[2] == '-' && date->start[5] == '-')
    {
      month = atoi (date->start);
      day = atoi (date->start + 3);
      year = atoi (date->start + 6);
    }
  else if (date->length == 10 && date->start[4] == '-' && date->start[7] == '-')
    {
      year = atoi (date->start);
      month = atoi (date->start + 5);
      day = atoi (date->start + 8);
    }
  else
    return NULL;
  for (gsize i = 0; i < date->length; i++)
    if (!g_ascii_isdigit (date->start[i]) && date->start[i] != '-')
      return NULL;

  if (time->length < 5 || time->start[2] != ':' || !g_ascii_isdigit (time->start[0]))
    return NULL;
  hour = atoi (time->start);
  minute = atoi (time->start + 3);
  if (time->length == 7)
    {
      gboolean pm = g_ascii_toupper (time->start[5]) == 'P';

      if (g_ascii_toupper (time->start[6]) != 'M' || hour < 1 || hour > 12)
        return NULL;
      hour = hour % 12 + (pm ? 12 : 0);
    }
  else if (time->length != 5)
    return NULL;

  entry = g_new0 (FerryEntry, 1);
  if (tokens[2].length == 5 && g_ascii_strncasecmp (tokens[2].start, "<DIR>", 5) == 0)
    entry->type = FERRY_ENTRY_DIRECTORY;
  else if (token_is_number (&tokens[2], &entry->size))
    {
      entry->type = FERRY_ENTRY_FILE;
      entry->size_known = TRUE;
    }
  else
    return NULL;

  seconds = utc_seconds (year, month, day, hour, minute, 0);
  if (seconds != G_MININT64)
    {
      entry->mtime = seconds;
      entry->precision = FERRY_TIME_MINUTES;
    }

  name = tokens[3].start;
  name_length = line + length - name;
  if (entry->type == FERRY_ENTRY_DIRECTORY && is_dot_dir (name, name_length))
    {
      *dot = TRUE;
      return NULL;
    }
  entry->name = g_malloc (name_length + 1);
  memcpy (entry->name, name, name_length);
  entry->name[name_length] = '\0';
  return g_steal_pointer (&entry);
}

static FerryEntry *
parse_line (FerryListingFormat  format,
            const char         *line,
            gsize               length,
            GDateTime          *now,
            gboolean           *dot)
{
  FerryEntry *entry = NULL;

  *dot = FALSE;
  if (length == 0)
    return NULL;
  if (format == FERRY_LISTING_MLSD || format == FERRY_LISTING_AUTO)
    entry = parse_mlsd (line, length, dot);
  if (entry == NULL && !*dot && (format == FERRY_LISTING_UNIX || format == FERRY_LISTING_AUTO))
    entry = parse_unix (line, length, now, dot);
  if (entry == NULL && !*dot && (format == FERRY_LISTING_DOS || format == FERRY_LISTING_AUTO))
    entry = parse_dos (line, length, dot);
  return entry;
}

FerryEntry *
ferry_listing_parse_line (FerryListingFormat  format,
                          const char         *line,
                          gsize               length,
                          GDateTime          *now)
{
  gboolean dot;

  g_return_val_if_fail (line != NULL || length == 0, NULL);

  return parse_line (format, line, length, now, &dot);
}

GPtrArray *
ferry_listing_parse (FerryListingFormat  format,
                     const char         *text,
                     gsize               length,
                     GDateTime          *now,
                     guint              *n_skipped)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_entry_free);
  guint skipped = 0;
  gsize start = 0;

  g_return_val_if_fail (text != NULL || length == 0, entries);

  while (start < length)
    {
      const char *newline = memchr (text + start, '\n', length - start);
      gsize end = newline != NULL ? (gsize) (newline - text) : length;
      gsize line_end = end;
      FerryEntry *entry;
      gboolean dot;

      if (line_end > start && text[line_end - 1] == '\r')
        line_end--;
      if (line_end > start)
        {
          entry = parse_line (format, text + start, line_end - start, now, &dot);
          if (entry != NULL)
            g_ptr_array_add (entries, entry);
          else if (!dot && !(line_end - start >= 5 && strncmp (text + start, "total", 5) == 0))
            skipped++;
        }
      start = end + 1;
    }

  if (n_skipped != NULL)
    *n_skipped = skipped;
  return entries;
}
