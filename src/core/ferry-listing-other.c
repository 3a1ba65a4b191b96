/* ferry-listing-other.c: the LIST formats of the rarest servers — HP
 * NonStop (Tandem) Guardian, Nortel switches (VxWorks and wfFTP), OS-9,
 * IBM z/VM, numeric Unix ("ls" with the mode in octal and the time in
 * seconds), and the MVS (z/OS) listings that only their heading tells
 * apart: PDS members without statistics, load-library members, and JES
 * spool (jobs). Each wants every field of its layout in place, so that the
 * name is beyond doubt, and says FERRY_LINE_NOT_MINE otherwise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ferry-listing-private.h"

#define MAX_TOKENS 16

static FerryLineResult
finish (FerryEntry  *entry,
        const char  *name,
        gsize        name_length,
        FerryEntry **out)
{
  g_autoptr(FerryEntry) owned = entry;

  if (name_length == 0)
    return FERRY_LINE_NO_NAME;
  if (owned->type == FERRY_ENTRY_DIRECTORY && _ferry_listing_is_dot_dir (name, name_length))
    return FERRY_LINE_DOT;
  if (owned->type != FERRY_ENTRY_FILE)
    {
      owned->size = 0;
      owned->size_known = FALSE;
    }
  owned->name = _ferry_listing_dup (name, name_length);
  *out = g_steal_pointer (&owned);
  return FERRY_LINE_ENTRY;
}

static gboolean
token_is (const FerryToken *token,
          const char       *word)
{
  return token->length == strlen (word) && g_ascii_strncasecmp (token->start, word, token->length) == 0;
}

static gboolean
digits (const FerryToken *token)
{
  return token->length > 0 && token->length <= 19 && _ferry_listing_all_digits (token->start, token->length);
}

static void
set_time (FerryEntry         *entry,
          gint64              when,
          FerryTimePrecision  precision)
{
  if (when == G_MININT64)
    return;
  entry->mtime = when;
  entry->precision = precision;
}

/* "HH:MM:SS" exactly. */
static gboolean
clock_time (const FerryToken *token,
            int              *hour,
            int              *minute,
            int              *second)
{
  return token->length == 8 && token->start[2] == ':' && token->start[5] == ':'
         && _ferry_listing_time (token->start, token->length, hour, minute, second);
}

/* A name of letters, digits and "._-$#@" (no spaces, nothing a layout
 * uses as a separator). */
static gboolean
plain_name (const FerryToken *token,
            gsize             max)
{
  if (token->length == 0 || token->length > max)
    return FALSE;
  for (gsize i = 0; i < token->length; i++)
    {
      char c = token->start[i];

      if (!g_ascii_isalnum (c) && strchr ("._-$#@", c) == NULL)
        return FALSE;
    }
  return TRUE;
}

/* HP NonStop (Tandem) Guardian: name, file code, EOF in bytes, D-Mon-YY,
 * HH:MM:SS, owner "group,user" (a space may follow the comma), and the
 * security string in quotes.
 * FILENAME  101  528  6-Apr-07 14:21:18 255, 0 "oooo" */
FerryLineResult
_ferry_listing_parse_tandem (const char  *line,
                             gsize        length,
                             FerryEntry **out)
{
  FerryToken tokens[MAX_TOKENS];
  guint n = _ferry_listing_tokenize (line, length, tokens, MAX_TOKENS);
  g_autoptr(FerryEntry) entry = NULL;
  const FerryToken *security;
  const FerryToken *date;
  int day, month, year, hour, minute, second;
  const char *dash1, *dash2;
  guint64 size;

  if ((n != 7 && n != 8) || !plain_name (&tokens[0], 64) || !digits (&tokens[1])
      || !_ferry_listing_number (tokens[2].start, tokens[2].length, &size)
      || !clock_time (&tokens[4], &hour, &minute, &second))
    return FERRY_LINE_NOT_MINE;
  /* The owner: "255,255" as one token, or "255," then "0". */
  if (n == 7)
    {
      const char *comma = memchr (tokens[5].start, ',', tokens[5].length);

      if (comma == NULL || comma == tokens[5].start || comma + 1 == tokens[5].start + tokens[5].length
          || !_ferry_listing_all_digits (tokens[5].start, comma - tokens[5].start)
          || !_ferry_listing_all_digits (comma + 1, tokens[5].start + tokens[5].length - comma - 1))
        return FERRY_LINE_NOT_MINE;
    }
  else if (tokens[5].length < 2 || tokens[5].start[tokens[5].length - 1] != ','
           || !_ferry_listing_all_digits (tokens[5].start, tokens[5].length - 1) || !digits (&tokens[6]))
    return FERRY_LINE_NOT_MINE;
  security = &tokens[n - 1];
  if (security->length != 6 || security->start[0] != '"' || security->start[5] != '"')
    return FERRY_LINE_NOT_MINE;
  for (int i = 1; i < 5; i++)
    if (strchr ("oganuOGNU-", security->start[i]) == NULL)
      return FERRY_LINE_NOT_MINE;
  /* D-Mon-YY */
  date = &tokens[3];
  dash1 = memchr (date->start, '-', date->length);
  dash2 = dash1 != NULL ? memchr (dash1 + 1, '-', date->start + date->length - dash1 - 1) : NULL;
  if (dash1 == NULL || dash2 == NULL || dash1 - date->start < 1 || dash1 - date->start > 2
      || !_ferry_listing_all_digits (date->start, dash1 - date->start)
      || (month = _ferry_listing_month (dash1 + 1, dash2 - dash1 - 1)) == 0
      || date->start + date->length - dash2 - 1 != 2 || !_ferry_listing_all_digits (dash2 + 1, 2))
    return FERRY_LINE_NOT_MINE;
  day = _ferry_listing_digits_value (date->start, dash1 - date->start);
  year = _ferry_listing_digits_value (dash2 + 1, 2);
  year += year < 70 ? 2000 : 1900;

  entry = g_new0 (FerryEntry, 1);
  entry->type = FERRY_ENTRY_FILE;
  entry->size = size;
  entry->size_known = TRUE;
  set_time (entry, _ferry_listing_utc (year, month, day, hour, minute, second), FERRY_TIME_SECONDS);
  return finish (g_steal_pointer (&entry), tokens[0].start, tokens[0].length, out);
}

static const char *const weekdays[] = {
  "Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun",
};

static gboolean
weekday (const FerryToken *token)
{
  gsize n = token->length;

  if (n > 0 && token->start[n - 1] == '.')
    n--;
  for (gsize i = 0; i < G_N_ELEMENTS (weekdays); i++)
    if (n == strlen (weekdays[i]) && g_ascii_strncasecmp (token->start, weekdays[i], n) == 0)
      return TRUE;
  return FALSE;
}

/* Nortel switches.
 * VxWorks: size, Mon-DD-YYYY, HH:MM:SS, the name (a folder's ends in
 * " <DIR>"):
 *     2048    Feb-28-1998  05:23:30   docs <DIR>
 *   512000    Feb-28-1998  05:23:30   boot.img
 * wfFTP: name, size, a date whose order the line does not say, the day of
 * the week, HH:MM:SS (the entry gets no time):
 * config.cfg       1014196  06/03/04  Thur.   10:20:03 */
FerryLineResult
_ferry_listing_parse_nortel (const char  *line,
                             gsize        length,
                             FerryEntry **out)
{
  FerryToken tokens[MAX_TOKENS];
  guint n = _ferry_listing_tokenize (line, length, tokens, MAX_TOKENS);
  g_autoptr(FerryEntry) entry = NULL;
  int hour, minute, second;
  guint64 size;

  if (n == 5 && plain_name (&tokens[0], 255) && _ferry_listing_number (tokens[1].start, tokens[1].length, &size)
      && tokens[2].length == 8 && tokens[2].start[2] == '/' && tokens[2].start[5] == '/'
      && _ferry_listing_all_digits (tokens[2].start, 2) && _ferry_listing_all_digits (tokens[2].start + 3, 2)
      && _ferry_listing_all_digits (tokens[2].start + 6, 2)
      && weekday (&tokens[3]) && clock_time (&tokens[4], &hour, &minute, &second))
    {
      entry = g_new0 (FerryEntry, 1);
      entry->type = FERRY_ENTRY_FILE;
      entry->size = size;
      entry->size_known = TRUE;
      return finish (g_steal_pointer (&entry), tokens[0].start, tokens[0].length, out);
    }

  if (n >= 4 && _ferry_listing_number (tokens[0].start, tokens[0].length, &size)
      && tokens[1].length == 11 && tokens[1].start[3] == '-' && tokens[1].start[6] == '-'
      && clock_time (&tokens[2], &hour, &minute, &second))
    {
      int month = _ferry_listing_month (tokens[1].start, 3);
      const char *name = tokens[3].start;
      gsize name_length = line + length - name;

      if (month == 0 || !_ferry_listing_all_digits (tokens[1].start + 4, 2)
          || !_ferry_listing_all_digits (tokens[1].start + 7, 4))
        return FERRY_LINE_NOT_MINE;
      entry = g_new0 (FerryEntry, 1);
      entry->type = FERRY_ENTRY_FILE;
      entry->size = size;
      entry->size_known = TRUE;
      if (name_length > 6 && memcmp (name + name_length - 6, " <DIR>", 6) == 0)
        {
          entry->type = FERRY_ENTRY_DIRECTORY;
          name_length -= 6;
          while (name_length > 0 && (name[name_length - 1] == ' ' || name[name_length - 1] == '\t'))
            name_length--;
        }
      set_time (entry, _ferry_listing_utc (_ferry_listing_digits_value (tokens[1].start + 7, 4), month,
                                           _ferry_listing_digits_value (tokens[1].start + 4, 2),
                                           hour, minute, second),
                FERRY_TIME_SECONDS);
      return finish (g_steal_pointer (&entry), name, name_length, out);
    }
  return FERRY_LINE_NOT_MINE;
}

/* OS-9: owner "group.user", YY/MM/DD, HHMM, the attributes (d, s, then
 * public and owner e/w/r), the first sector, the size in bytes, the name.
 * 20.20 07/03/29 1026 d-ewrewr 2650 85920 CMDS */
FerryLineResult
_ferry_listing_parse_os9 (const char  *line,
                          gsize        length,
                          FerryEntry **out)
{
  static const char attributes[] = "dsewrewr";
  FerryToken tokens[MAX_TOKENS];
  guint n = _ferry_listing_tokenize (line, length, tokens, MAX_TOKENS);
  g_autoptr(FerryEntry) entry = NULL;
  const FerryToken *owner = &tokens[0];
  const FerryToken *date = &tokens[1];
  const char *dot;
  int year;
  guint64 size;

  if (n < 7)
    return FERRY_LINE_NOT_MINE;
  dot = memchr (owner->start, '.', owner->length);
  if (dot == NULL || dot == owner->start || dot + 1 == owner->start + owner->length
      || !_ferry_listing_all_digits (owner->start, dot - owner->start)
      || !_ferry_listing_all_digits (dot + 1, owner->start + owner->length - dot - 1))
    return FERRY_LINE_NOT_MINE;
  if (date->length != 8 || date->start[2] != '/' || date->start[5] != '/'
      || !_ferry_listing_all_digits (date->start, 2) || !_ferry_listing_all_digits (date->start + 3, 2)
      || !_ferry_listing_all_digits (date->start + 6, 2)
      || tokens[2].length != 4 || !_ferry_listing_all_digits (tokens[2].start, 4)
      || tokens[3].length != 8)
    return FERRY_LINE_NOT_MINE;
  for (int i = 0; i < 8; i++)
    if (tokens[3].start[i] != '-' && tokens[3].start[i] != attributes[i])
      return FERRY_LINE_NOT_MINE;
  if (!plain_name (&tokens[4], 8) || !g_ascii_isxdigit (tokens[4].start[0])
      || !_ferry_listing_number (tokens[5].start, tokens[5].length, &size))
    return FERRY_LINE_NOT_MINE;
  for (gsize i = 0; i < tokens[4].length; i++)
    if (!g_ascii_isxdigit (tokens[4].start[i]))
      return FERRY_LINE_NOT_MINE;

  entry = g_new0 (FerryEntry, 1);
  entry->type = tokens[3].start[0] == 'd' ? FERRY_ENTRY_DIRECTORY : FERRY_ENTRY_FILE;
  entry->size = size;
  entry->size_known = TRUE;
  year = _ferry_listing_digits_value (date->start, 2);
  year += year < 70 ? 2000 : 1900;
  set_time (entry, _ferry_listing_utc (year, _ferry_listing_digits_value (date->start + 3, 2),
                                       _ferry_listing_digits_value (date->start + 6, 2),
                                       _ferry_listing_digits_value (tokens[2].start, 2),
                                       _ferry_listing_digits_value (tokens[2].start + 2, 2), 0),
            FERRY_TIME_MINUTES);
  return finish (g_steal_pointer (&entry), tokens[6].start, line + length - tokens[6].start, out);
}

/* z/VM (CMS minidisks and SFS): file name, file type, record format (F or
 * V), logical record length, records, blocks, YYYY-MM-DD, HH:MM:SS, owner;
 * the entry is NAME.TYPE, its size unknown (records, not bytes). An SFS
 * folder shows DIR and dashes:
 * PROFILE  EXEC     V        65      107        2 2005-10-04 15:28:42 060191
 * SUBDIR   DIR      -         -        -        - 2012-09-25 12:38:08 -    */
FerryLineResult
_ferry_listing_parse_zvm (const char  *line,
                          gsize        length,
                          FerryEntry **out)
{
  FerryToken tokens[MAX_TOKENS];
  guint n = _ferry_listing_tokenize (line, length, tokens, MAX_TOKENS);
  g_autoptr(FerryEntry) entry = NULL;
  int year, month, day, hour, minute, second;
  gboolean certain, folder;
  g_autofree char *name = NULL;

  if (n != 9 || !plain_name (&tokens[0], 8 * 4) || !plain_name (&tokens[1], 8 * 4)
      || tokens[6].length != 10 || tokens[6].start[4] != '-'
      || !_ferry_listing_numeric_date (tokens[6].start, tokens[6].length, FERRY_DATE_ORDER_UNKNOWN,
                                       &year, &month, &day, &certain)
      || year == 0 || !clock_time (&tokens[7], &hour, &minute, &second))
    return FERRY_LINE_NOT_MINE;
  folder = token_is (&tokens[1], "DIR") && token_is (&tokens[2], "-") && token_is (&tokens[3], "-")
           && token_is (&tokens[4], "-") && token_is (&tokens[5], "-");
  if (!folder && (!(token_is (&tokens[2], "F") || token_is (&tokens[2], "V"))
                  || !digits (&tokens[3]) || !digits (&tokens[4]) || !digits (&tokens[5])))
    return FERRY_LINE_NOT_MINE;

  entry = g_new0 (FerryEntry, 1);
  entry->type = folder ? FERRY_ENTRY_DIRECTORY : FERRY_ENTRY_FILE;
  set_time (entry, _ferry_listing_utc (year, month, day, hour, minute, second), FERRY_TIME_SECONDS);
  if (folder)
    return finish (g_steal_pointer (&entry), tokens[0].start, tokens[0].length, out);
  name = g_strdup_printf ("%.*s.%.*s", (int) tokens[0].length, tokens[0].start,
                          (int) tokens[1].length, tokens[1].start);
  return finish (g_steal_pointer (&entry), name, strlen (name), out);
}

/* "ls" with numbers only: the mode in octal (with the type bits), links or
 * owner, group, size, the time in seconds since the epoch, the name.
 * 0100644   500  101   12345    123456789       notes.txt */
FerryLineResult
_ferry_listing_parse_numeric_unix (const char  *line,
                                   gsize        length,
                                   FerryEntry **out)
{
  FerryToken tokens[MAX_TOKENS];
  guint n = _ferry_listing_tokenize (line, length, tokens, MAX_TOKENS);
  g_autoptr(FerryEntry) entry = NULL;
  guint64 mode = 0;
  guint64 size, seconds;

  if (n < 6 || tokens[0].length != 7 || tokens[0].start != line)
    return FERRY_LINE_NOT_MINE;
  for (gsize i = 0; i < 7; i++)
    {
      if (tokens[0].start[i] < '0' || tokens[0].start[i] > '7')
        return FERRY_LINE_NOT_MINE;
      mode = mode * 8 + (guint64) (tokens[0].start[i] - '0');
    }
  if (!digits (&tokens[1]) || !digits (&tokens[2]) || !_ferry_listing_number (tokens[3].start, tokens[3].length, &size)
      || !_ferry_listing_number (tokens[4].start, tokens[4].length, &seconds) || seconds > G_MAXINT32 * 4ull)
    return FERRY_LINE_NOT_MINE;

  entry = g_new0 (FerryEntry, 1);
  switch (mode & 0170000)
    {
    case 0100000:
      entry->type = FERRY_ENTRY_FILE;
      entry->size = size;
      entry->size_known = TRUE;
      break;
    case 0040000:
      entry->type = FERRY_ENTRY_DIRECTORY;
      break;
    case 0120000:
      entry->type = FERRY_ENTRY_SYMLINK;
      break;
    default:
      return FERRY_LINE_NOT_MINE;
    }
  set_time (entry, (gint64) seconds, FERRY_TIME_SECONDS);
  return finish (g_steal_pointer (&entry), tokens[5].start, line + length - tokens[5].start, out);
}

/* A PDS member name (or a longer dataset-like name): capitals, digits,
 * national characters, '-' and '_'. */
static gboolean
member_name (const FerryToken *token)
{
  if (token->length == 0 || token->length > 44)
    return FALSE;
  for (gsize i = 0; i < token->length; i++)
    {
      char c = token->start[i];

      if (!g_ascii_isupper (c) && !g_ascii_isdigit (c) && strchr ("@#$-_", c) == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
hex_field (const FerryToken *token,
           gsize             length)
{
  if (token->length != length)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isxdigit (token->start[i]))
      return FALSE;
  return TRUE;
}

/* A job's ID: JOB, TSU or STC and five digits, or J and seven. */
static gboolean
job_id (const FerryToken *token)
{
  if (token->length == 8 && (strncmp (token->start, "JOB", 3) == 0 || strncmp (token->start, "TSU", 3) == 0
                             || strncmp (token->start, "STC", 3) == 0))
    return _ferry_listing_all_digits (token->start + 3, 5);
  return token->length == 8 && token->start[0] == 'J' && _ferry_listing_all_digits (token->start + 1, 7);
}

/* JES spool, the jobs of the user: the job's name, its ID (what RETR
 * takes), then owner, status, class, return code or nothing, and the
 * number of spool files. Level 1 has no owner and no heading:
 * IBMUSER1  JOB01906  OUTPUT    3 Spool Files
 * IBMUSER2 JOB01906 IBMUSER  OUTPUT A        RC=0000 3 spool files
 * Under the level 2 heading (JOBNAME JOBID OWNER STATUS CLASS), a job
 * still running or waiting has no spool files yet:
 * IBMUSER3 JOB01907 IBMUSER  ACTIVE A */
FerryLineResult
_ferry_listing_parse_jes (const char  *line,
                          gsize        length,
                          gboolean     after_heading,
                          FerryEntry **out)
{
  FerryToken tokens[MAX_TOKENS];
  guint n = _ferry_listing_tokenize (line, length, tokens, MAX_TOKENS);
  g_autoptr(FerryEntry) entry = NULL;
  gboolean spool;

  if (n < 3 || n >= MAX_TOKENS || !plain_name (&tokens[0], 8) || !job_id (&tokens[1]))
    return FERRY_LINE_NOT_MINE;
  spool = n >= 6 && n <= 10 && token_is (&tokens[n - 2], "spool")
          && (token_is (&tokens[n - 1], "files") || token_is (&tokens[n - 1], "file")) && digits (&tokens[n - 3]);
  if (!spool && !(after_heading && n >= 4 && n <= 6
                  && (token_is (&tokens[3], "ACTIVE") || token_is (&tokens[3], "INPUT")
                      || token_is (&tokens[3], "HELD") || token_is (&tokens[3], "OUTPUT"))))
    return FERRY_LINE_NOT_MINE;
  entry = g_new0 (FerryEntry, 1);
  entry->type = FERRY_ENTRY_FILE;
  return finish (g_steal_pointer (&entry), tokens[1].start, tokens[1].length, out);
}

/* Under a PDS's member heading ("Name VV.MM Created …", or a load
 * library's "Name Size TTR Alias-of AC …"), what only the heading makes
 * certain: a member without statistics (its name alone), and a load
 * module (name, size and TTR in hexadecimal, then its attributes).
 * MEMBER1
 * PROG1     00B308 000411  00 FO                31    ANY */
FerryLineResult
_ferry_listing_parse_mvs_member (const char  *line,
                                 gsize        length,
                                 FerryEntry **out)
{
  FerryToken tokens[MAX_TOKENS];
  guint n = _ferry_listing_tokenize (line, length, tokens, MAX_TOKENS);
  g_autoptr(FerryEntry) entry = NULL;

  if (n == 0 || n >= MAX_TOKENS || tokens[0].start != line || !member_name (&tokens[0]))
    return FERRY_LINE_NOT_MINE;
  if (n != 1 && !(n >= 4 && hex_field (&tokens[1], 6) && hex_field (&tokens[2], 6)))
    return FERRY_LINE_NOT_MINE;
  entry = g_new0 (FerryEntry, 1);
  entry->type = FERRY_ENTRY_FILE;
  return finish (g_steal_pointer (&entry), tokens[0].start, tokens[0].length, out);
}
