/* ferry-listing.c: see ferry-listing.h. The families most servers send —
 * MLSD, Unix-style (with NetWare), DOS/IIS — and the whole-listing loop.
 * The fields they share are read in ferry-listing-fields.c, the older
 * families in ferry-listing-legacy.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-listing.h"
#include "ferry-listing-private.h"
#include "ferry-name.h"

/* Enough for a Cygwin group name with spaces before the date. */
#define MAX_TOKENS 32

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

  if (length >= 15 && _ferry_listing_all_digits (p, 15) && p[0] == '1' && p[1] == '9')
    year_digits = 5;  /* "19" + (year - 1900): the Y2K bug of old servers */
  if (length < year_digits + 10 || !_ferry_listing_all_digits (p, year_digits + 10))
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

  year = year_digits == 5 ? 1900 + _ferry_listing_digits_value (p + 2, 3) : _ferry_listing_digits_value (p, 4);
  if (year_digits == 5 && year < 2000)
    return FALSE;
  for (int i = 0; i < 5; i++)
    v[i] = _ferry_listing_digits_value (p + year_digits + i * 2, 2);
  /* A leap second is read as the second before it. */
  seconds = _ferry_listing_utc (year, v[0], v[1], v[2], v[3], v[4] == 60 ? 59 : v[4]);
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

/* Whether `facts` (no name) are RFC 3659 facts: "key=value" pieces split
 * by ';', keys without blanks. That keeps a Unix line whose name holds
 * "type=file; " from passing for one. */
static gboolean
facts_look_right (const char *facts,
                  gsize       length)
{
  const char *p = facts;
  const char *end = facts + length;
  gboolean any = FALSE;

  while (p < end)
    {
      const char *semi = memchr (p, ';', end - p);
      const char *piece_end = semi != NULL ? semi : end;
      const char *eq = memchr (p, '=', piece_end - p);

      if (piece_end > p)
        {
          if (eq == NULL || eq == p)
            return FALSE;
          for (const char *k = p; k < eq; k++)
            if (*k == ' ' || *k == '\t')
              return FALSE;
          any = TRUE;
        }
      p = piece_end + 1;
    }
  return any;
}

/* Facts, one separator, the name (which may hold spaces, tabs and ';'):
 * type=file;size=12;modify=20240101120000; name
 * RFC 3659 asks for one space after the facts' last ';'; some servers send
 * a tab, and drafts before mlst-07 had no ';' at the end. The name is all
 * that follows that one separator — never a word less.
 * `mlst` reads a single MLST line, where cdir is the directory asked about. */
static FerryLineResult
parse_mlsd (const char  *line,
            gsize        length,
            gboolean     mlst,
            FerryEntry **out)
{
  g_autoptr(FerryEntry) entry = NULL;
  const char *separator = NULL;
  const char *fact;
  const char *facts_end;
  const char *name;
  gsize name_length;
  gboolean have_type = FALSE;
  gboolean known_fact = FALSE;

  for (gsize i = 0; i + 1 < length; i++)
    if (line[i] == ';' && (line[i + 1] == ' ' || line[i + 1] == '\t'))
      {
        separator = line + i + 1;
        break;
      }
  if (separator == NULL)
    {
      for (gsize i = 0; i < length && separator == NULL; i++)
        if (line[i] == ' ' || line[i] == '\t')
          separator = line + i;
    }
  if (separator == NULL || separator == line || !facts_look_right (line, separator - line))
    return FERRY_LINE_NOT_MINE;
  name = separator + 1;
  name_length = length - (name - line);

  entry = g_new0 (FerryEntry, 1);
  entry->type = FERRY_ENTRY_FILE;

  facts_end = separator;
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
          known_fact = known_fact || KEY_IS ("size") || KEY_IS ("sizd") || KEY_IS ("modify") || KEY_IS ("create")
                       || KEY_IS ("perm") || KEY_IS ("unique") || KEY_IS ("lang") || KEY_IS ("media-type")
                       || KEY_IS ("charset") || (key_length > 5 && g_ascii_strncasecmp (fact, "UNIX.", 5) == 0);
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
                    return FERRY_LINE_DOT;
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
                    entry->link_target = _ferry_listing_dup (colon + 1, end - (colon + 1));
                }
              else
                entry->type = FERRY_ENTRY_OTHER;
            }
          else if (KEY_IS ("size") || KEY_IS ("sizd"))
            {
              guint64 size;

              if (_ferry_listing_number (value, value_length, &size))
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

  /* Facts without a type (RFC 3659 makes none mandatory) still name the
   * entry; what it is stays unknown, so it is never copied as a file. */
  if (!have_type && !known_fact)
    return FERRY_LINE_NOT_MINE;
  if (!have_type)
    entry->type = FERRY_ENTRY_OTHER;
  if (name_length == 0)
    return FERRY_LINE_NO_NAME;
  /* Facts may repeat; the last type= wins, and only files have a size. */
  if (entry->type != FERRY_ENTRY_FILE)
    {
      entry->size_known = FALSE;
      entry->size = 0;
    }
  if (entry->type != FERRY_ENTRY_SYMLINK)
    g_clear_pointer (&entry->link_target, g_free);
  if (!mlst && entry->type == FERRY_ENTRY_DIRECTORY && _ferry_listing_is_dot_dir (name, name_length))
    return FERRY_LINE_DOT;
  entry->name = _ferry_listing_dup (name, name_length);
  *out = g_steal_pointer (&entry);
  return FERRY_LINE_ENTRY;
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
looks_like_mode (const FerryToken *token)
{
  if (token->length < 10 || memchr ("-dlcbps", token->start[0], 7) == NULL)
    return FALSE;
  for (int i = 1; i < 10; i++)
    if (memchr ("rwxsStTlL-", token->start[i], 10) == NULL)
      return FALSE;
  return token->length == 10 || (token->length == 11 && memchr ("+.@", token->start[10], 3) != NULL);
}

/* Sterling Connect:Enterprise for Unix: "-C--E-----FTP" then the
 * protocol letter, the batch ID and number, the size, a Unix date and the
 * name (a batch is a file). */
static gboolean
looks_like_connect_enterprise (const FerryToken *tokens,
                               guint             n)
{
  const FerryToken *flags = &tokens[0];

  if (n < 8 || flags->length != 13 || flags->start[0] != '-' || memcmp (flags->start + 10, "FTP", 3) != 0
      || tokens[1].length != 1 || !g_ascii_isupper (tokens[1].start[0]))
    return FALSE;
  for (int i = 1; i < 10; i++)
    if (flags->start[i] != '-' && !g_ascii_isupper (flags->start[i]))
      return FALSE;
  return TRUE;
}

/* NetWare: "d [RWCEAFMS]" — a type letter, then the rights in brackets. */
static gboolean
looks_like_netware (const FerryToken *tokens,
                    guint             n)
{
  return n >= 7 && tokens[0].length == 1 && (tokens[0].start[0] == 'd' || tokens[0].start[0] == '-')
         && tokens[1].length >= 3 && tokens[1].start[0] == '['
         && tokens[1].start[tokens[1].length - 1] == ']';
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
      gint64 seconds = _ferry_listing_utc (y, month, day, hour, minute, 0);

      if (seconds != G_MININT64 && seconds <= limit)
        return seconds;
    }
  return G_MININT64;
}

typedef struct
{
  int year;          /* 0: not given, infer it */
  int month;         /* 0 with day 0: day and month ambiguous */
  int day;
  int hour;
  int minute;
  int second;
  gboolean has_time;
  gboolean has_seconds;
  int offset;        /* minutes east of UTC, when the line gives a zone */
  guint consumed;    /* tokens */
  gboolean classic;  /* "Mon DD HH:MM|YYYY": exactly one space before the name */
} ListingDate;

static gboolean
day_token (const FerryToken *t,
           int              *day)
{
  gsize n = t->length;

  if (n > 0 && (t->start[n - 1] == '.' || t->start[n - 1] == ','))
    n--;
  if (n == 0 || n > 2 || !_ferry_listing_all_digits (t->start, n))
    return FALSE;
  *day = _ferry_listing_digits_value (t->start, n);
  return *day >= 1 && *day <= 31;
}

static gboolean
year_token (const FerryToken *t,
            int              *year)
{
  if (t->length != 4 || !_ferry_listing_all_digits (t->start, 4))
    return FALSE;
  *year = _ferry_listing_digits_value (t->start, 4);
  return *year >= 1900;
}

static gboolean
time_token (const FerryToken *t,
            int              *hour,
            int              *minute)
{
  int second;

  /* Seconds never come in Unix-style listings; a bare "12:30:45" there is
   * no time Ferry knows the meaning of. */
  return t->length <= 5 && _ferry_listing_time (t->start, t->length, hour, minute, &second);
}

/* The time or the year that ends "Mon DD" and "DD Mon". */
static gboolean
time_or_year (const FerryToken *t,
              ListingDate      *d)
{
  if (time_token (t, &d->hour, &d->minute))
    {
      d->has_time = TRUE;
      return TRUE;
    }
  return year_token (t, &d->year);
}

/* "+0100", "-0530": minutes east of UTC. */
static gboolean
zone_token (const FerryToken *t,
            int              *offset)
{
  int hours, minutes;

  if (t->length != 5 || (t->start[0] != '+' && t->start[0] != '-') || !_ferry_listing_all_digits (t->start + 1, 4))
    return FALSE;
  hours = _ferry_listing_digits_value (t->start + 1, 2);
  minutes = _ferry_listing_digits_value (t->start + 3, 2);
  if (hours > 14 || minutes > 59)
    return FALSE;
  *offset = (hours * 60 + minutes) * (t->start[0] == '-' ? -1 : 1);
  return TRUE;
}

/* A number followed by one of `suffixes` ("6月", "2003年"): its value, or
 * -1. The suffixes are the characters for month, day and year in UTF-8
 * (Japanese, Chinese and Korean) and in Shift_JIS and EUC-JP. */
static int
cjk_number (const FerryToken  *t,
            const char *const *suffixes,
            gsize              max_digits)
{
  gsize d = 0;

  while (d < t->length && d < max_digits + 1 && g_ascii_isdigit (t->start[d]))
    d++;
  if (d == 0 || d > max_digits)
    return -1;
  for (guint i = 0; suffixes[i] != NULL; i++)
    if (t->length - d == strlen (suffixes[i]) && memcmp (t->start + d, suffixes[i], t->length - d) == 0)
      return _ferry_listing_digits_value (t->start, d);
  return -1;
}

static const char *const cjk_month[] = { "\xe6\x9c\x88", "\xec\x9b\x94", "\x8c\x8e", "\xb7\xee", NULL };
static const char *const cjk_day[] = { "\xe6\x97\xa5", "\xec\x9d\xbc", "\x93\xfa", "\xc6\xfc", NULL };
static const char *const cjk_year[] = { "\xe5\xb9\xb4", "\xeb\x85\x84", "\x94\x4e", "\xc7\xaf", NULL };

/* "6月 3日 2003年", "8月 17日 20:10", "6月 3 2003", "2005년 1월 6일". */
static gboolean
match_cjk_date (const FerryToken *tokens,
                guint             n,
                guint             m,
                ListingDate      *d)
{
  int day;
  int year;

  memset (d, 0, sizeof *d);
  if (m + 2 >= n)
    return FALSE;
  if ((d->month = cjk_number (&tokens[m], cjk_month, 2)) >= 1 && d->month <= 12)
    {
      if ((day = cjk_number (&tokens[m + 1], cjk_day, 2)) < 0 && !day_token (&tokens[m + 1], &day))
        return FALSE;
      d->day = day;
      if ((year = cjk_number (&tokens[m + 2], cjk_year, 4)) >= 1900)
        d->year = year;
      if (d->year != 0 || time_or_year (&tokens[m + 2], d))
        {
          d->consumed = 3;
          return d->day >= 1 && d->day <= 31;
        }
      return FALSE;
    }
  if ((d->year = cjk_number (&tokens[m], cjk_year, 4)) >= 1900
      && (d->month = cjk_number (&tokens[m + 1], cjk_month, 2)) >= 1 && d->month <= 12
      && (d->day = cjk_number (&tokens[m + 2], cjk_day, 2)) >= 1 && d->day <= 31)
    {
      d->consumed = 3;
      return TRUE;
    }
  return FALSE;
}

/* A date at tokens[m]: "Mon DD HH:MM|YYYY", "Mon DD, YYYY [HH:MM]",
 * "DD[.] Mon[.,] HH:MM|YYYY", "YYYY-MM-DD [HH:MM]" and the other all-numeric
 * forms, "DD-Mon-YY", "MM-DD HH:MM|YYYY". */
static gboolean
match_date (const FerryToken *tokens,
            guint             n,
            guint             m,
            ListingDate      *d)
{
  int year, month, day;
  gboolean certain;

  if ((guchar) tokens[m].start[tokens[m].length - 1] >= 0x80 && match_cjk_date (tokens, n, m, d))
    return TRUE;
  memset (d, 0, sizeof *d);
  if (m + 2 < n && (d->month = _ferry_listing_month (tokens[m].start, tokens[m].length)) != 0
      && day_token (&tokens[m + 1], &d->day))
    {
      const FerryToken *last = &tokens[m + 1];

      if (last->start[last->length - 1] == ',' && year_token (&tokens[m + 2], &d->year))
        {
          d->consumed = 3;
          if (m + 3 < n && time_token (&tokens[m + 3], &d->hour, &d->minute))
            {
              d->has_time = TRUE;
              d->consumed = 4;
            }
          return TRUE;
        }
      /* BSD "ls -lT": Mon DD HH:MM:SS YYYY */
      if (m + 3 < n && tokens[m + 2].length == 8 && year_token (&tokens[m + 3], &d->year)
          && _ferry_listing_time (tokens[m + 2].start, 8, &d->hour, &d->minute, &d->second))
        {
          d->has_time = TRUE;
          d->has_seconds = TRUE;
          d->consumed = 4;
          d->classic = TRUE;
          return TRUE;
        }
      if (last->start[last->length - 1] != ',' && time_or_year (&tokens[m + 2], d))
        {
          d->consumed = 3;
          d->classic = last->start[last->length - 1] != '.';
          return TRUE;
        }
    }
  memset (d, 0, sizeof *d);
  if (m + 2 < n && day_token (&tokens[m], &d->day)
      && (d->month = _ferry_listing_month (tokens[m + 1].start, tokens[m + 1].length)) != 0
      && time_or_year (&tokens[m + 2], d))
    {
      d->consumed = 3;
      return TRUE;
    }
  memset (d, 0, sizeof *d);
  if (_ferry_listing_numeric_date (tokens[m].start, tokens[m].length, FERRY_DATE_ORDER_UNKNOWN,
                                   &year, &month, &day, &certain))
    {
      d->month = month;
      d->day = day;
      if (year != 0)
        {
          d->year = year;
          d->consumed = 1;
          /* "2024-01-31 12:00", or GNU ls --full-time's
           * "2024-01-31 12:00:00.123456789 +0100". */
          if (m + 1 < n && _ferry_listing_time (tokens[m + 1].start, tokens[m + 1].length,
                                                &d->hour, &d->minute, &d->second))
            {
              d->has_time = TRUE;
              d->has_seconds = tokens[m + 1].length > 5;
              d->consumed = 2;
              if (m + 2 < n && zone_token (&tokens[m + 2], &d->offset))
                d->consumed = 3;
            }
          return TRUE;
        }
      if (m + 1 < n && time_or_year (&tokens[m + 1], d))
        {
          d->consumed = 2;
          return TRUE;
        }
    }
  return FALSE;
}

/* The mtime and precision a ListingDate gives, or nothing when the date
 * is impossible or its day and month are ambiguous. */
static void
apply_date (FerryEntry        *entry,
            const ListingDate *d,
            GDateTime         *now)
{
  gint64 seconds;

  if (d->month == 0)
    return;
  if (d->year == 0)
    {
      g_autoptr(GDateTime) current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();

      if (!d->has_time)
        return;
      seconds = unix_recent_date (current, d->month, d->day, d->hour, d->minute);
    }
  else
    seconds = _ferry_listing_utc (d->year, d->month, d->day, d->hour, d->minute, d->second);
  if (seconds == G_MININT64)
    return;
  entry->mtime = seconds - (gint64) d->offset * 60;
  entry->precision = d->has_seconds ? FERRY_TIME_SECONDS : d->has_time ? FERRY_TIME_MINUTES : FERRY_TIME_DAYS;
}

/* "3 29 03:26" or "3 29 2005": the month as a number, then the day, then
 * the time or the year, right after the size — at the fifth token, or the
 * fourth when there is no group (a token cannot be both the day of one
 * reading and the time or year of the other, so one place at most fits).
 * Anywhere else it is no date Ferry can be sure of. Returns where it
 * starts, or n. */
static guint
numeric_month_day (const FerryToken *tokens,
                   guint             n,
                   ListingDate      *date)
{
  for (guint m = 4; m <= 5 && m + 2 < n; m++)
    {
      ListingDate d;
      const FerryToken *day = &tokens[m + 1];

      memset (&d, 0, sizeof d);
      if (tokens[m].length > 2 || !_ferry_listing_all_digits (tokens[m].start, tokens[m].length)
          || (d.month = _ferry_listing_digits_value (tokens[m].start, tokens[m].length)) < 1 || d.month > 12
          || !_ferry_listing_all_digits (day->start, day->length) || !day_token (day, &d.day)
          || !time_or_year (&tokens[m + 2], &d)
          || !_ferry_listing_number (tokens[m - 1].start, tokens[m - 1].length, NULL))
        continue;
      d.consumed = 3;
      d.classic = TRUE;
      *date = d;
      return m;
    }
  return n;
}

/* drwxr-xr-x 2 owner group 4096 Mar  1 12:34 name  (group optional)
 * -rw-r--r-- 1 owner group 1,234 2024-01-31 12:00 name
 * d [RWCEAFMS] owner 512 Jan 16 18:53 name  (NetWare) */
static FerryLineResult
parse_unix (const char  *line,
            gsize        length,
            GDateTime   *now,
            FerryEntry **out)
{
  FerryToken tokens[MAX_TOKENS];
  guint n = _ferry_listing_tokenize (line, length, tokens, MAX_TOKENS);
  g_autoptr(FerryEntry) entry = NULL;
  ListingDate date;
  const FerryToken *last;
  gboolean netware;
  gboolean enterprise;
  guint m;
  const char *name;
  gsize name_length;
  guint64 size;
  gboolean exact;

  if (n < 5 || n >= MAX_TOKENS)
    return FERRY_LINE_NOT_MINE;
  netware = looks_like_netware (tokens, n);
  enterprise = !netware && looks_like_connect_enterprise (tokens, n);
  if (!netware && !enterprise && !looks_like_mode (&tokens[0]))
    return FERRY_LINE_NOT_MINE;

  /* The date is the first one after the owner: that finds the size whether
   * or not a group column is there, and for device files too ("1, 3"
   * instead of a size). */
  for (m = netware ? 3 : 2; m + 1 < n; m++)
    if (match_date (tokens, n, m, &date))
      break;
  if (m + 1 >= n && !netware && !enterprise)
    m = numeric_month_day (tokens, n, &date);
  else if (m + 1 < n && m > 5 && !netware && !enterprise)
    {
      ListingDate numeric;

      /* "531 3 29 03:26 Jan 5 2001 x": a numeric date right after the
       * size, and a name that starts with a date. Two readings. */
      if (numeric_month_day (tokens, n, &numeric) < m)
        return FERRY_LINE_NOT_MINE;
    }
  if (m + 1 >= n)
    return FERRY_LINE_NOT_MINE;
  /* A date without a time, then something like a time: a layout not known
   * here ("Jan 31 2024 12:00"?), not a name that starts with a time. */
  if (!date.has_time && m + date.consumed < n)
    {
      const FerryToken *next = &tokens[m + date.consumed];
      int h, mi, sec;

      if (_ferry_listing_time (next->start, next->length, &h, &mi, &sec))
        return FERRY_LINE_NOT_MINE;
    }

  entry = g_new0 (FerryEntry, 1);
  entry->type = enterprise ? FERRY_ENTRY_FILE : unix_type (tokens[0].start[0]);
  /* A size in K or M is rounded: the line is read, the size stays
   * unknown (and 0, which is what the planner relies on: a rounded figure
   * must never be taken for equality or as a resume offset). */
  if (entry->type == FERRY_ENTRY_FILE && _ferry_listing_size (tokens[m - 1].start, tokens[m - 1].length, &size, &exact)
      && exact)
    {
      entry->size = size;
      entry->size_known = TRUE;
    }
  apply_date (entry, &date, now);

  /* After "Mon DD HH:MM" the name is everything after the single space that
   * follows, so names may hold and even start with spaces. Other layouts
   * pad with several spaces, which cannot be told from a name's own. */
  last = &tokens[m + date.consumed - 1];
  name = last->start + last->length;
  if (date.classic && !netware)
    name++;
  else
    while (name < line + length && (*name == ' ' || *name == '\t'))
      name++;
  if (name >= line + length)
    return FERRY_LINE_NO_NAME;
  name_length = line + length - name;

  if (entry->type == FERRY_ENTRY_SYMLINK)
    {
      for (gsize i = 0; i + 4 <= name_length; i++)
        if (memcmp (name + i, " -> ", 4) == 0)
          {
            entry->link_target = _ferry_listing_dup (name + i + 4, name_length - i - 4);
            name_length = i;
            break;
          }
    }
  if (name_length == 0)
    return FERRY_LINE_NO_NAME;
  if (entry->type == FERRY_ENTRY_DIRECTORY && _ferry_listing_is_dot_dir (name, name_length))
    return FERRY_LINE_DOT;
  entry->name = _ferry_listing_dup (name, name_length);
  *out = g_steal_pointer (&entry);
  return FERRY_LINE_ENTRY;
}

/* "12:34PM", "01:05 AM", "9:05AM" or 24-hour "13:05"; `consumed` says
 * whether the AM/PM stood in the next token. */
static gboolean
dos_time (const FerryToken *time,
          const FerryToken *next,
          int              *hour,
          int              *minute,
          gboolean         *consumed)
{
  gsize n = time->length;
  const char *ampm = NULL;
  int second;

  *consumed = FALSE;
  if (n >= 2 && g_ascii_toupper (time->start[n - 1]) == 'M')
    {
      ampm = time->start + n - 2;
      n -= 2;
    }
  else if (next != NULL && next->length == 2 && g_ascii_toupper (next->start[1]) == 'M'
           && (g_ascii_toupper (next->start[0]) == 'A' || g_ascii_toupper (next->start[0]) == 'P'))
    {
      ampm = next->start;
      *consumed = TRUE;
    }
  if (ampm != NULL && g_ascii_toupper (ampm[0]) != 'A' && g_ascii_toupper (ampm[0]) != 'P')
    return FALSE;
  if (!_ferry_listing_time (time->start, n, hour, minute, &second))
    return FALSE;
  if (ampm == NULL)
    return TRUE;
  if (*hour < 1 || *hour > 12)
    return FALSE;
  *hour = *hour % 12 + (g_ascii_toupper (ampm[0]) == 'P' ? 12 : 0);
  return TRUE;
}

/* 03-01-23  12:34PM       <DIR>          name
 * 2023-03-01  13:05             1,234 name
 * 31.01.2024  09:05                12 name */
static FerryLineResult
parse_dos (const char  *line,
           gsize        length,
           FerryEntry **out)
{
  FerryToken tokens[5];
  guint n = _ferry_listing_tokenize (line, length, tokens, 5);
  g_autoptr(FerryEntry) entry = NULL;
  int year, month, day, hour, minute;
  gboolean certain, consumed, exact;
  const FerryToken *what;
  const char *name;
  gsize name_length;
  gint64 seconds;

  /* IIS writes MM-DD-YY; a first number above 12 can only be a day. */
  if (n < 4 || !_ferry_listing_numeric_date (tokens[0].start, tokens[0].length, FERRY_DATE_ORDER_MDY,
                                             &year, &month, &day, &certain)
      || year == 0 || !dos_time (&tokens[1], &tokens[2], &hour, &minute, &consumed))
    return FERRY_LINE_NOT_MINE;
  if (consumed && n < 5)
    return FERRY_LINE_NOT_MINE;
  what = &tokens[consumed ? 3 : 2];

  entry = g_new0 (FerryEntry, 1);
  if (what->length == 5 && g_ascii_strncasecmp (what->start, "<DIR>", 5) == 0)
    entry->type = FERRY_ENTRY_DIRECTORY;
  else if (_ferry_listing_size (what->start, what->length, &entry->size, &exact))
    {
      entry->type = FERRY_ENTRY_FILE;
      entry->size_known = exact;
      if (!exact)
        entry->size = 0;
    }
  else
    return FERRY_LINE_NOT_MINE;

  seconds = _ferry_listing_utc (year, month, day, hour, minute, 0);
  if (seconds != G_MININT64)
    {
      entry->mtime = seconds;
      entry->precision = FERRY_TIME_MINUTES;
    }

  name = what[1].start;
  name_length = line + length - name;
  if (entry->type == FERRY_ENTRY_DIRECTORY && _ferry_listing_is_dot_dir (name, name_length))
    return FERRY_LINE_DOT;
  entry->name = _ferry_listing_dup (name, name_length);
  *out = g_steal_pointer (&entry);
  return FERRY_LINE_ENTRY;
}

static FerryLineResult
parse_line (FerryListingFormat   format,
            const char          *line,
            gsize                length,
            GDateTime           *now,
            FerryEntry         **entry,
            guint               *version)
{
  FerryLineResult result = FERRY_LINE_NOT_MINE;
  gboolean any = format == FERRY_LISTING_AUTO;

  *entry = NULL;
  *version = 0;
  /* MLSD first: its facts are the most specific, and a name may look like
   * anything. EPLF starts with '+'; the rest need their own fields in
   * place and refuse anything else, so their order matters little. */
  if (any || format == FERRY_LISTING_MLSD)
    result = parse_mlsd (line, length, FALSE, entry);
  if (result == FERRY_LINE_NOT_MINE && (any || format == FERRY_LISTING_EPLF))
    result = _ferry_listing_parse_eplf (line, length, entry);
  if (result == FERRY_LINE_NOT_MINE && (any || format == FERRY_LISTING_UNIX))
    result = parse_unix (line, length, now, entry);
  /* Old VShell is a Unix-style server without the mode column. */
  if (result == FERRY_LINE_NOT_MINE && (any || format == FERRY_LISTING_UNIX))
    result = _ferry_listing_parse_vshell (line, length, entry);
  if (result == FERRY_LINE_NOT_MINE && (any || format == FERRY_LISTING_DOS))
    result = parse_dos (line, length, entry);
  if (result == FERRY_LINE_NOT_MINE && (any || format == FERRY_LISTING_VMS))
    result = _ferry_listing_parse_vms (line, length, entry, version);
  if (result == FERRY_LINE_NOT_MINE && (any || format == FERRY_LISTING_OS400))
    result = _ferry_listing_parse_os400 (line, length, entry);
  if (result == FERRY_LINE_NOT_MINE && (any || format == FERRY_LISTING_OS2))
    result = _ferry_listing_parse_os2 (line, length, entry);
  if (result == FERRY_LINE_NOT_MINE && (any || format == FERRY_LISTING_MVS))
    result = _ferry_listing_parse_mvs (line, length, entry);
  if (result == FERRY_LINE_NOT_MINE && (any || format == FERRY_LISTING_MVS))
    result = _ferry_listing_parse_jes (line, length, FALSE, entry);
  /* The rarest layouts, each with every field in place. */
  if (result == FERRY_LINE_NOT_MINE && any)
    result = _ferry_listing_parse_numeric_unix (line, length, entry);
  if (result == FERRY_LINE_NOT_MINE && any)
    result = _ferry_listing_parse_tandem (line, length, entry);
  if (result == FERRY_LINE_NOT_MINE && any)
    result = _ferry_listing_parse_nortel (line, length, entry);
  if (result == FERRY_LINE_NOT_MINE && any)
    result = _ferry_listing_parse_os9 (line, length, entry);
  if (result == FERRY_LINE_NOT_MINE && any)
    result = _ferry_listing_parse_zvm (line, length, entry);
  g_assert ((result == FERRY_LINE_ENTRY) == (*entry != NULL));
  return result;
}

FerryEntry *
_ferry_listing_parse_line (FerryListingFormat  format,
                          const char         *line,
                          gsize               length,
                          GDateTime          *now)
{
  FerryEntry *entry = NULL;
  guint version;

  g_return_val_if_fail (line != NULL || length == 0, NULL);

  if (length == 0 || memchr (line, '\0', length) != NULL)
    return NULL;
  parse_line (format, line, length, now, &entry, &version);
  return entry;
}

FerryEntry *
_ferry_listing_parse_mlst_line (const char *line,
                               gsize       length)
{
  FerryEntry *entry = NULL;

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
  parse_mlsd (line, length, TRUE, &entry);
  return entry;
}

static gboolean
token_is (const FerryToken *token,
          const char       *word)
{
  return token->length == strlen (word) && g_ascii_strncasecmp (token->start, word, token->length) == 0;
}

typedef enum
{
  NOISE_NONE,
  NOISE_PLAIN,
  NOISE_MVS_MEMBERS,   /* a PDS's member heading: members follow */
  NOISE_JES,           /* JES level 2 heading: jobs follow */
} Noise;

/* Lines that describe the listing rather than an entry: "total 12" (ls),
 * "Directory DISK$USER:[FTP]" and "Total of 3 files, 12/36 blocks." (VMS),
 * the column headings of MVS ("Volume Unit Referred …", "Name VV.MM …",
 * a load library's "Name Size TTR Alias-of …", JES's "JOBNAME JOBID
 * OWNER STATUS CLASS") and of HP NonStop ("File Code EOF …"). */
static Noise
noise_line (const char *line,
            gsize       length)
{
  FerryToken tokens[5];
  guint n = _ferry_listing_tokenize (line, length, tokens, 5);

  if (n == 2 && token_is (&tokens[0], "total") && _ferry_listing_number (tokens[1].start, tokens[1].length, NULL))
    return NOISE_PLAIN;
  if (n == 2 && token_is (&tokens[0], "Directory") && tokens[1].start[tokens[1].length - 1] == ']')
    return NOISE_PLAIN;
  if (n >= 3 && (token_is (&tokens[0], "Total") || token_is (&tokens[0], "Grand")) && token_is (&tokens[1], "of"))
    return NOISE_PLAIN;
  if (n >= 3 && token_is (&tokens[0], "Volume") && token_is (&tokens[1], "Unit") && token_is (&tokens[2], "Referred"))
    return NOISE_PLAIN;
  if (n >= 3 && token_is (&tokens[0], "Name") && token_is (&tokens[1], "VV.MM") && token_is (&tokens[2], "Created"))
    return NOISE_MVS_MEMBERS;
  if (n >= 4 && token_is (&tokens[0], "Name") && token_is (&tokens[1], "Size") && token_is (&tokens[2], "TTR")
      && token_is (&tokens[3], "Alias-of"))
    return NOISE_MVS_MEMBERS;
  if (n == 5 && token_is (&tokens[0], "JOBNAME") && token_is (&tokens[1], "JOBID") && token_is (&tokens[2], "OWNER")
      && token_is (&tokens[3], "STATUS") && token_is (&tokens[4], "CLASS"))
    return NOISE_JES;
  if (n >= 4 && token_is (&tokens[0], "File") && token_is (&tokens[1], "Code") && token_is (&tokens[2], "EOF"))
    return NOISE_PLAIN;
  return NOISE_NONE;
}

static void
add_refusal (GPtrArray        *refusals,
             FerryLineResult   result,
             const char       *line,
             gsize             length)
{
  g_autofree char *shown = NULL;

  if (refusals == NULL)
    return;
  shown = ferry_name_escape_for_log (line, length);
  if (memchr (line, '\0', length) != NULL)
    /* TRANSLATORS: a line of a server's folder listing, escaped and shortened. */
    g_ptr_array_add (refusals, g_strdup_printf (_("the listing line “%s” holds a NUL byte"), shown));
  else if (result == FERRY_LINE_NO_NAME)
    /* TRANSLATORS: a line of a server's folder listing, escaped and shortened. */
    g_ptr_array_add (refusals, g_strdup_printf (_("the listing line “%s” gives no name"), shown));
  else
    /* TRANSLATORS: a line of a server's folder listing, escaped and shortened. */
    g_ptr_array_add (refusals, g_strdup_printf (_("the format of the listing line “%s” was not understood"), shown));
}

/* Where the line that starts at `start` ends (its LF or `length`), and how
 * long it is without its line ending. */
static gsize
line_at (const char *text,
         gsize       length,
         gsize       start,
         gsize      *line_length)
{
  const char *newline = memchr (text + start, '\n', length - start);
  gsize end = newline != NULL ? (gsize) (newline - text) : length;
  gsize line_end = end;

  if (line_end > start && text[line_end - 1] == '\r')
    line_end--;
  *line_length = line_end - start;
  return end;
}

typedef struct
{
  guint index;
  guint version;
} VersionSeen;

/* VMS lists a file in several versions (NAME;3, NAME;2); the name without
 * its version is kept once, for the highest version. TRUE when `entry` was
 * taken care of here (kept in place of an older version, or freed). */
static gboolean
merge_version (GPtrArray  *entries,
               GHashTable *seen,
               FerryEntry *entry,
               guint       version)
{
  VersionSeen *known;

  if (version == 0)
    return FALSE;
  known = g_hash_table_lookup (seen, entry->name);
  if (known == NULL)
    {
      known = g_new (VersionSeen, 1);
      known->index = entries->len;
      known->version = version;
      g_hash_table_insert (seen, g_strdup (entry->name), known);
      return FALSE;
    }
  if (version > known->version)
    {
      ferry_entry_free (g_ptr_array_index (entries, known->index));
      g_ptr_array_index (entries, known->index) = entry;
      known->version = version;
    }
  else
    ferry_entry_free (entry);
  return TRUE;
}

GPtrArray *
ferry_listing_parse_full (FerryListingFormat   format,
                          const char          *text,
                          gsize                length,
                          GDateTime           *now,
                          GPtrArray          **refusals)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_entry_free);
  g_autoptr(GPtrArray) refused = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GDateTime) current = NULL;
  Noise heading = NOISE_NONE;
  gsize start = 0;

  if (refusals != NULL)
    *refusals = NULL;
  g_return_val_if_fail (text != NULL || length == 0, entries);

  /* One "now" for the whole listing, so every line is dated alike. */
  current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();

  while (start < length)
    {
      gsize line_length;
      gsize end = line_at (text, length, start, &line_length);
      const char *line = text + start;
      FerryEntry *entry = NULL;
      FerryLineResult result = FERRY_LINE_NOT_MINE;
      guint version = 0;

      Noise noise = NOISE_NONE;
      /* A NUL inside a line would cut a name short: no family reads it,
       * not even the ones a heading above vouches for. */
      gboolean unreadable = line_length == 0 || memchr (line, '\0', line_length) != NULL;

      if (unreadable)
        ;
      else if ((noise = noise_line (line, line_length)) != NOISE_NONE)
        {
          result = FERRY_LINE_NOISE;
          if (noise != NOISE_PLAIN)
            heading = noise;
        }
      else
        result = parse_line (format, line, line_length, current, &entry, &version);

      /* What only a heading above makes certain. */
      if (unreadable)
        ;
      else if (result == FERRY_LINE_NOT_MINE && heading == NOISE_MVS_MEMBERS
          && (format == FERRY_LISTING_AUTO || format == FERRY_LISTING_MVS))
        result = _ferry_listing_parse_mvs_member (line, line_length, &entry);
      else if (result == FERRY_LINE_NOT_MINE && heading == NOISE_JES
               && (format == FERRY_LISTING_AUTO || format == FERRY_LISTING_MVS))
        result = _ferry_listing_parse_jes (line, line_length, TRUE, &entry);

      /* A VMS name too long for its column stands alone; its fields follow
       * on the next line. */
      if (result == FERRY_LINE_NOT_MINE && !unreadable && end < length
          && (format == FERRY_LISTING_AUTO || format == FERRY_LISTING_VMS)
          && _ferry_listing_vms_lone_name (line, line_length))
        {
          gsize next_length;
          gsize next_end = line_at (text, length, end + 1, &next_length);
          const char *next = text + end + 1;

          if (next_length > 0 && memchr (next, '\0', next_length) == NULL)
            {
              g_autoptr(GString) joined = g_string_new_len (line, line_length);

              g_string_append_c (joined, ' ');
              g_string_append_len (joined, next, next_length);
              result = _ferry_listing_parse_vms (joined->str, joined->len, &entry, &version);
              if (result == FERRY_LINE_ENTRY || result == FERRY_LINE_DOT)
                end = next_end;
              else
                {
                  g_clear_pointer (&entry, ferry_entry_free);
                  result = FERRY_LINE_NOT_MINE;
                }
            }
        }

      if (result == FERRY_LINE_ENTRY)
        {
          if (!merge_version (entries, versions, entry, version))
            g_ptr_array_add (entries, entry);
        }
      else if (line_length > 0 && result != FERRY_LINE_DOT && result != FERRY_LINE_NOISE)
        add_refusal (refused, result, line, line_length);
      start = end + 1;
    }

  if (refusals != NULL)
    *refusals = g_steal_pointer (&refused);
  return entries;
}

GPtrArray *
ferry_listing_parse (FerryListingFormat  format,
                     const char         *text,
                     gsize               length,
                     GDateTime          *now,
                     guint              *n_skipped)
{
  g_autoptr(GPtrArray) refusals = NULL;
  GPtrArray *entries;

  g_return_val_if_fail (text != NULL || length == 0,
                        g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_entry_free));

  entries = ferry_listing_parse_full (format, text, length, now, &refusals);
  if (n_skipped != NULL)
    *n_skipped = refusals->len;
  return entries;
}
