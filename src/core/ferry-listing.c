/* ferry-listing.c: see ferry-listing.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ferry-listing.h"
#include "ferry-listing-private.h"

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

  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31
      || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60)
    return G_MININT64;
  date = g_date_time_new_utc (year, month, day, hour, minute, second);
  return date != NULL ? g_date_time_to_unix (date) : G_MININT64;
}

static gboolean
all_digits (const char *p,
            gsize       n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (p[i]))
      return FALSE;
  return TRUE;
}

static int
digits_value (const char *p,
              gsize       n)
{
  int v = 0;

  for (gsize i = 0; i < n; i++)
    v = v * 10 + (p[i] - '0');
  return v;
}

/* YYYYMMDDHHMMSS[.sss], ending at NUL, a line ending, a space or ';'. */
static gboolean
parse_timestamp (const char *p,
                 gsize       length,
                 gint64     *mtime)
{
  gsize year_digits = 4;
  int year;
  int v[5];
  gsize end;
  gint64 seconds;

  if (length >= 15 && all_digits (p, 15) && p[0] == '1' && p[1] == '9')
    year_digits = 5;  /* "19" + (year - 1900): the Y2K bug of old servers */
  if (length < year_digits + 10 || !all_digits (p, year_digits + 10))
    return FALSE;
  end = year_digits + 10;
  if (end < length && p[end] == '.')
    {
      end++;
      while (end < length && g_ascii_isdigit (p[end]))
        end++;
    }
  if (end < length && p[end] != '\r' && p[end] != '\n' && p[end] != ' ' && p[end] != ';' && p[end] != '\0')
    return FALSE;

  year = year_digits == 5 ? 1900 + digits_value (p + 2, 3) : digits_value (p, 4);
  if (year_digits == 5 && year < 2000)
    return FALSE;
  for (int i = 0; i < 5; i++)
    v[i] = digits_value (p + year_digits + i * 2, 2);
  /* A leap second is read as the second before it. */
  seconds = utc_seconds (year, v[0], v[1], v[2], v[3], v[4] == 60 ? 59 : v[4]);
  if (seconds == G_MININT64)
    return FALSE;
  if (mtime != NULL)
    *mtime = seconds;
  return TRUE;
}

gboolean
ferry_listing_parse_mdtm (const char *reply_text,
                          gint64     *mtime)
{
  const char *p = reply_text;

  g_return_val_if_fail (reply_text != NULL, FALSE);

  if (g_str_has_prefix (p, "213 "))
    p += 4;
  return parse_timestamp (p, strlen (p), mtime);
}

static char *
name_dup (const char *name,
          gsize       length)
{
  char *copy = g_malloc (length + 1);

  memcpy (copy, name, length);
  copy[length] = '\0';
  return copy;
}

/* Facts, one space, the name (which may hold spaces and ';'):
 * type=file;size=12;modify=20240101120000; name
 * `mlst` reads a single MLST line, where cdir is the directory asked about.
 * One pass over the line with one cursor, fact by fact; split up, the
 * cursor's state would have to travel between the pieces. */
static FerryEntry *
parse_mlsd (const char *line,
            gsize       length,
            gboolean    mlst,
            gboolean   *dot)
{
  const char *space = memchr (line, ' ', length);
  g_autoptr(FerryEntry) entry = NULL;
  const char *fact;
  const char *facts_end;
  const char *name;
  gsize name_length;
  gboolean have_type = FALSE;

  if (space == NULL || space == line || memchr (line, '=', space - line) == NULL)
    return NULL;
  name = space + 1;
  name_length = length - (name - line);
  if (name_length == 0)
    return NULL;

  entry = g_new0 (FerryEntry, 1);
  entry->type = FERRY_ENTRY_FILE;

  facts_end = space;
  for (fact = line; fact < facts_end; )
    {
      const char *semi = memchr (fact, ';', facts_end - fact);
      const char *end = semi != NULL ? semi : facts_end;
      const char *eq = memchr (fact, '=', end - fact);
      const char *value;
      gsize key_length, value_length;

      if (eq != NULL)
        {
          key_length = eq - fact;
          value = eq + 1;
          value_length = end - value;

#define KEY_IS(k) (key_length == strlen (k) && g_ascii_strncasecmp (fact, k, key_length) == 0)
#define VALUE_IS(v) (value_length == strlen (v) && g_ascii_strncasecmp (value, v, value_length) == 0)
          if (KEY_IS ("type"))
            {
              have_type = TRUE;
              if (VALUE_IS ("file"))
                entry->type = FERRY_ENTRY_FILE;
              else if (VALUE_IS ("dir"))
                entry->type = FERRY_ENTRY_DIRECTORY;
              else if (VALUE_IS ("cdir") || VALUE_IS ("pdir"))
                {
                  if (!mlst)
                    {
                      *dot = TRUE;
                      return NULL;
                    }
                  entry->type = FERRY_ENTRY_DIRECTORY;
                }
              else if (value_length >= 13
                       && (g_ascii_strncasecmp (value, "OS.unix=slink", 13) == 0
                           || g_ascii_strncasecmp (value, "OS.unix=symlink", MIN (value_length, 15)) == 0))
                {
                  /* "OS.unix=slink:/target" (ProFTPD) or plain "OS.unix=symlink". */
                  const char *colon = memchr (value, ':', value_length);

                  entry->type = FERRY_ENTRY_SYMLINK;
                  g_clear_pointer (&entry->link_target, g_free);
                  if (colon != NULL && colon + 1 < end)
                    entry->link_target = name_dup (colon + 1, end - (colon + 1));
                }
              else
                entry->type = FERRY_ENTRY_OTHER;
            }
          else if (KEY_IS ("size") || KEY_IS ("sizd"))
            {
              Token token = { value, value_length };
              guint64 size;

              if (token_is_number (&token, &size))
                {
                  entry->size = size;
                  entry->size_known = TRUE;
                }
            }
          else if (KEY_IS ("modify"))
            {
              if (parse_timestamp (value, value_length, &entry->mtime))
                entry->precision = FERRY_TIME_SECONDS;
            }
#undef KEY_IS
#undef VALUE_IS
        }
      fact = end + 1;
    }

  if (!have_type)
    return NULL;
  /* Facts may repeat; the last type= wins, and only files have a size. */
  if (entry->type != FERRY_ENTRY_FILE)
    entry->size_known = FALSE;
  if (entry->type != FERRY_ENTRY_SYMLINK)
    g_clear_pointer (&entry->link_target, g_free);
  if (!mlst && entry->type == FERRY_ENTRY_DIRECTORY && is_dot_dir (name, name_length))
    {
      *dot = TRUE;
      return NULL;
    }
  entry->name = name_dup (name, name_length);
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

/* "drwxr-xr-x", optionally followed by an ACL or attribute marker. */
static gboolean
looks_like_mode (const Token *token)
{
  if (token->length < 10 || memchr ("-dlcbps", token->start[0], 7) == NULL)
    return FALSE;
  for (int i = 1; i < 10; i++)
    if (memchr ("rwxsStTlL-", token->start[i], 10) == NULL)
      return FALSE;
  return token->length == 10 || (token->length == 11 && memchr ("+.@", token->start[10], 3) != NULL);
}

/* A Unix date without a year: the most recent year that puts it no more
 * than about six months after `now` — servers show the time instead of the
 * year for recent files, and a little in the future covers clock skew and
 * servers that do so for the whole calendar year. Feb 29 looks back to a
 * leap year. */
static gint64
unix_recent_date (GDateTime *now,
                  int        month,
                  int        day,
                  int        hour,
                  int        minute)
{
  gint64 limit = g_date_time_to_unix (now) + 183 * 86400;
  int year = g_date_time_get_year (now);

  for (int y = year; y >= year - 1; y--)
    {
      gint64 seconds = utc_seconds (y, month, day, hour, minute, 0);

      if (seconds != G_MININT64 && seconds <= limit)
        return seconds;
    }
  return G_MININT64;
}

/* drwxr-xr-x 2 owner group 4096 Mar  1 12:34 name  (group optional)
 * One pass, field by field, with one cursor (as parse_mlsd). */
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
  guint64 day = 0;
  int month = 0;
  guint m;
  const char *name;
  gsize name_length;
  const Token *when = NULL;

  if (n < 6 || !looks_like_mode (&tokens[0]))
    return NULL;

  /* The date is the first "Mon DD HH:MM|YYYY" after the owner: that finds the
   * size whether or not a group column is there, and for device files too
   * ("1, 3" instead of a size). */
  for (m = 2; m + 2 < n; m++)
    {
      const Token *t = &tokens[m + 2];

      month = token_month (&tokens[m]);
      if (month != 0 && token_is_number (&tokens[m + 1], &day) && day >= 1 && day <= 31
          && ((t->length == 5 && t->start[2] == ':' && all_digits (t->start, 2) && all_digits (t->start + 3, 2))
              || (t->length == 4 && all_digits (t->start, 4))))
        {
          when = t;
          break;
        }
    }
  if (when == NULL)
    return NULL;

  entry = g_new0 (FerryEntry, 1);
  entry->type = unix_type (tokens[0].start[0]);
  if (entry->type == FERRY_ENTRY_FILE && token_is_number (&tokens[m - 1], &size))
    {
      entry->size = size;
      entry->size_known = TRUE;
    }

  if (when->length == 5)
    {
      g_autoptr(GDateTime) current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
      gint64 seconds = unix_recent_date (current, month, (int) day,
                                         digits_value (when->start, 2), digits_value (when->start + 3, 2));

      if (seconds != G_MININT64)
        {
          entry->mtime = seconds;
          entry->precision = FERRY_TIME_MINUTES;
        }
    }
  else
    {
      gint64 seconds = utc_seconds (digits_value (when->start, 4), month, (int) day, 0, 0, 0);

      if (seconds != G_MININT64)
        {
          entry->mtime = seconds;
          entry->precision = FERRY_TIME_DAYS;
        }
    }

  /* The name is everything after the single space that follows the date,
   * so names may hold and even start with spaces. */
  name = when->start + when->length + 1;
  if (name >= line + length)
    return NULL;
  name_length = line + length - name;

  if (entry->type == FERRY_ENTRY_SYMLINK)
    {
      for (gsize i = 0; i + 4 <= name_length; i++)
        if (memcmp (name + i, " -> ", 4) == 0)
          {
            entry->link_target = name_dup (name + i + 4, name_length - i - 4);
            name_length = i;
            break;
          }
    }
  if (name_length == 0)
    return NULL;
  if (entry->type == FERRY_ENTRY_DIRECTORY && is_dot_dir (name, name_length))
    {
      *dot = TRUE;
      return NULL;
    }
  entry->name = name_dup (name, name_length);
  return g_steal_pointer (&entry);
}

/* "MM-DD-YY", "MM-DD-YYYY" or "YYYY-MM-DD". */
static gboolean
dos_date (const Token *date,
          int         *year,
          int         *month,
          int         *day)
{
  const char *p = date->start;

  if ((date->length == 8 || date->length == 10) && p[2] == '-' && p[5] == '-'
      && all_digits (p, 2) && all_digits (p + 3, 2) && all_digits (p + 6, date->length - 6))
    {
      *month = digits_value (p, 2);
      *day = digits_value (p + 3, 2);
      *year = digits_value (p + 6, date->length - 6);
      if (date->length == 8)
        *year += *year < 70 ? 2000 : 1900;
      return TRUE;
    }
  if (date->length == 10 && p[4] == '-' && p[7] == '-'
      && all_digits (p, 4) && all_digits (p + 5, 2) && all_digits (p + 8, 2))
    {
      *year = digits_value (p, 4);
      *month = digits_value (p + 5, 2);
      *day = digits_value (p + 8, 2);
      return TRUE;
    }
  return FALSE;
}

/* "12:34PM", "01:05AM" or 24-hour "13:05". */
static gboolean
dos_time (const Token *time,
          int         *hour,
          int         *minute)
{
  const char *p = time->start;

  if (time->length < 5 || p[2] != ':' || !all_digits (p, 2) || !all_digits (p + 3, 2))
    return FALSE;
  *hour = digits_value (p, 2);
  *minute = digits_value (p + 3, 2);
  if (time->length == 5)
    return TRUE;
  if (time->length != 7 || g_ascii_toupper (p[6]) != 'M'
      || (g_ascii_toupper (p[5]) != 'A' && g_ascii_toupper (p[5]) != 'P')
      || *hour < 1 || *hour > 12)
    return FALSE;
  *hour = *hour % 12 + (g_ascii_toupper (p[5]) == 'P' ? 12 : 0);
  return TRUE;
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
  int year, month, day, hour, minute;
  const char *name;
  gsize name_length;
  gint64 seconds;

  if (n < 4 || !dos_date (&tokens[0], &year, &month, &day) || !dos_time (&tokens[1], &hour, &minute))
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
  entry->name = name_dup (name, name_length);
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
  if (length == 0 || memchr (line, '\0', length) != NULL)
    return NULL;
  if (format == FERRY_LISTING_MLSD || format == FERRY_LISTING_AUTO)
    entry = parse_mlsd (line, length, FALSE, dot);
  if (entry == NULL && !*dot && (format == FERRY_LISTING_UNIX || format == FERRY_LISTING_AUTO))
    entry = parse_unix (line, length, now, dot);
  if (entry == NULL && !*dot && (format == FERRY_LISTING_DOS || format == FERRY_LISTING_AUTO))
    entry = parse_dos (line, length, dot);
  return entry;
}

FerryEntry *
_ferry_listing_parse_line (FerryListingFormat  format,
                           const char         *line,
                           gsize               length,
                           GDateTime          *now)
{
  gboolean dot;

  g_return_val_if_fail (line != NULL || length == 0, NULL);

  return parse_line (format, line, length, now, &dot);
}

FerryEntry *
_ferry_listing_parse_mlst_line (const char *line,
                                gsize       length)
{
  gboolean dot = FALSE;

  g_return_val_if_fail (line != NULL || length == 0, NULL);

  while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r'))
    length--;
  if (length > 0 && line[0] == ' ')
    {
      line++;
      length--;
    }
  if (length == 0 || memchr (line, '\0', length) != NULL)
    return NULL;
  return parse_mlsd (line, length, TRUE, &dot);
}

static gboolean
is_total_line (const char *line,
               gsize       length)
{
  Token tokens[3];

  return tokenize (line, length, tokens, 3) == 2
         && tokens[0].length == 5 && g_ascii_strncasecmp (tokens[0].start, "total", 5) == 0
         && token_is_number (&tokens[1], NULL);
}

GPtrArray *
ferry_listing_parse (FerryListingFormat  format,
                     const char         *text,
                     gsize               length,
                     GDateTime          *now,
                     guint              *n_skipped)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_entry_free);
  g_autoptr(GDateTime) current = NULL;
  guint skipped = 0;
  gsize start = 0;

  g_return_val_if_fail (text != NULL || length == 0, entries);

  /* One "now" for the whole listing, so every line is dated alike. */
  current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();

  while (start < length)
    {
      const char *newline = memchr (text + start, '\n', length - start);
      gsize end = newline != NULL ? (gsize) (newline - text) : length;
      gsize line_end = end;

      if (line_end > start && text[line_end - 1] == '\r')
        line_end--;
      if (line_end > start)
        {
          gboolean dot;
          FerryEntry *entry = parse_line (format, text + start, line_end - start, current, &dot);

          if (entry != NULL)
            g_ptr_array_add (entries, entry);
          else if (!dot && !is_total_line (text + start, line_end - start))
            skipped++;
        }
      start = end + 1;
    }

  if (n_skipped != NULL)
    *n_skipped = skipped;
  return entries;
}
