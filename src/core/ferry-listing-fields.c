/* ferry-listing-fields.c: the fields of listing lines as servers write
 * them — tokens, sizes (exact or in rounded units), month names in several
 * languages, times, all-numeric dates — shared by every listing parser.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ferry-listing-private.h"

/* Splits on runs of spaces and tabs, remembering where each token sits in
 * the line so that a name keeps its own spaces. */
guint
_ferry_listing_tokenize (const char *line,
                         gsize       length,
                         FerryToken *tokens,
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

gboolean
_ferry_listing_all_digits (const char *p,
                           gsize       n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (p[i]))
      return FALSE;
  return TRUE;
}

/* Only for runs already known to be short digit runs. */
int
_ferry_listing_digits_value (const char *p,
                             gsize       n)
{
  int v = 0;

  for (gsize i = 0; i < n && i < 9; i++)
    v = v * 10 + (p[i] - '0');
  return v;
}

gboolean
_ferry_listing_number (const char *p,
                       gsize       n,
                       guint64    *value)
{
  guint64 v = 0;

  if (n == 0 || n > 19 || !_ferry_listing_all_digits (p, n))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    v = v * 10 + (guint64) (p[i] - '0');
  if (value != NULL)
    *value = v;
  return TRUE;
}

/* "1234"; "1,234,567", "1.234" or "1'234" (groups of three, one kind of
 * separator): exact. "12K", "3.4M", "33.5k", "2KB", "1,5G": a rounded figure
 * in binary units, so only approximate. */
gboolean
_ferry_listing_size (const char *p,
                     gsize       n,
                     guint64    *size,
                     gboolean   *exact)
{
  gsize digits_end = 0;
  gsize i;
  char separator = 0;
  guint64 whole = 0;
  guint64 fraction = 0;
  guint64 scale = 1;
  guint64 unit = 1;
  gsize unit_start;

  if (_ferry_listing_number (p, n, size))
    {
      *exact = TRUE;
      return TRUE;
    }
  while (digits_end < n && g_ascii_isdigit (p[digits_end]))
    digits_end++;
  if (digits_end == 0 || digits_end > 12)
    return FALSE;

  /* Thousands separators: every group after the first has three digits. */
  if (digits_end <= 3 && digits_end < n && strchr (",.'", p[digits_end]) != NULL)
    {
      separator = p[digits_end];
      for (i = digits_end; i + 4 <= n && p[i] == separator && _ferry_listing_all_digits (p + i + 1, 3); i += 4)
        ;
      if (i == n && n - digits_end <= 24)
        {
          guint64 v = 0;

          for (gsize j = 0; j < n; j++)
            if (g_ascii_isdigit (p[j]))
              v = v * 10 + (guint64) (p[j] - '0');
          *size = v;
          *exact = TRUE;
          return TRUE;
        }
    }

  /* A unit, after a decimal part of up to three digits. */
  for (i = 0; i < digits_end; i++)
    whole = whole * 10 + (guint64) (p[i] - '0');
  i = digits_end;
  if (i < n && (p[i] == '.' || p[i] == ','))
    {
      gsize f = i + 1;

      while (f < n && g_ascii_isdigit (p[f]) && f - i <= 3)
        {
          fraction = fraction * 10 + (guint64) (p[f] - '0');
          scale *= 10;
          f++;
        }
      if (f == i + 1)
        return FALSE;
      i = f;
    }
  unit_start = i;
  if (i >= n)
    return FALSE;
  switch (g_ascii_toupper (p[i]))
    {
    case 'K':
      unit = G_GUINT64_CONSTANT (1) << 10;
      break;
    case 'M':
      unit = G_GUINT64_CONSTANT (1) << 20;
      break;
    case 'G':
      unit = G_GUINT64_CONSTANT (1) << 30;
      break;
    case 'T':
      unit = G_GUINT64_CONSTANT (1) << 40;
      break;
    default:
      return FALSE;
    }
  i++;
  if (i < n && p[i] == 'i')
    i++;
  if (i < n && g_ascii_toupper (p[i]) == 'B')
    i++;
  if (i != n || i - unit_start > 3)
    return FALSE;
  if (whole > G_MAXUINT64 / unit / 2)
    return FALSE;
  *size = whole * unit + fraction * unit / scale;
  *exact = FALSE;
  return TRUE;
}

/* Month names and abbreviations as servers in several languages write them
 * (English, German, French, Spanish, Italian, Dutch, Portuguese, Swedish,
 * Hungarian), in UTF-8 and, for the German "Mär", in Latin-1 too. No two
 * languages give one spelling different months. */
static const struct
{
  const char *name;
  int month;
} month_names[] = {
  { "jan", 1 }, { "january", 1 }, { "januar", 1 }, { "janv", 1 }, { "janvier", 1 },
  { "j\xc3\xa4n", 1 }, { "j\xc3\xa4nner", 1 }, { "ene", 1 }, { "enero", 1 }, { "gen", 1 },
  { "gennaio", 1 }, { "janeiro", 1 },
  { "feb", 2 }, { "february", 2 }, { "februar", 2 }, { "febr", 2 }, { "f\xc3\xa9v", 2 },
  { "f\xc3\xa9vr", 2 }, { "f\xc3\xa9vrier", 2 }, { "fev", 2 }, { "fevr", 2 }, { "febrero", 2 },
  { "febbraio", 2 }, { "fevereiro", 2 },
  { "mar", 3 }, { "march", 3 }, { "m\xc3\xa4r", 3 }, { "m\xe4r", 3 }, { "m\xc3\xa4rz", 3 },
  { "mrz", 3 }, { "maerz", 3 }, { "mars", 3 }, { "mrt", 3 }, { "maart", 3 }, { "m\xc3\xa1rc", 3 },
  { "marzo", 3 }, { "mar\xc3\xa7o", 3 },
  { "apr", 4 }, { "april", 4 }, { "avr", 4 }, { "avril", 4 }, { "abr", 4 }, { "abril", 4 },
  { "\xc3\xa1pr", 4 }, { "aprile", 4 },
  { "may", 5 }, { "mai", 5 }, { "mag", 5 }, { "mei", 5 }, { "maj", 5 }, { "m\xc3\xa1j", 5 },
  { "mayo", 5 }, { "maggio", 5 }, { "maio", 5 },
  { "jun", 6 }, { "june", 6 }, { "juni", 6 }, { "juin", 6 }, { "giu", 6 }, { "j\xc3\xban", 6 },
  { "junio", 6 }, { "giugno", 6 }, { "junho", 6 },
  { "jul", 7 }, { "july", 7 }, { "juli", 7 }, { "juil", 7 }, { "juillet", 7 }, { "lug", 7 },
  { "j\xc3\xbal", 7 }, { "julio", 7 }, { "luglio", 7 }, { "julho", 7 },
  { "aug", 8 }, { "august", 8 }, { "ao\xc3\xbbt", 8 }, { "aout", 8 }, { "ago", 8 }, { "agosto", 8 },
  { "augustus", 8 },
  { "sep", 9 }, { "sept", 9 }, { "september", 9 }, { "szept", 9 }, { "set", 9 },
  { "septembre", 9 }, { "septiembre", 9 }, { "settembre", 9 }, { "setembro", 9 },
  { "oct", 10 }, { "october", 10 }, { "okt", 10 }, { "oktober", 10 }, { "ott", 10 }, { "out", 10 },
  { "octobre", 10 }, { "octubre", 10 }, { "ottobre", 10 }, { "outubro", 10 },
  { "nov", 11 }, { "november", 11 }, { "novembre", 11 }, { "noviembre", 11 }, { "novembro", 11 },
  { "dec", 12 }, { "december", 12 }, { "dez", 12 }, { "dezember", 12 }, { "d\xc3\xa9" "c", 12 },
  { "d\xc3\xa9" "cembre", 12 }, { "dic", 12 }, { "diciembre", 12 }, { "dicembre", 12 },
  { "dezembro", 12 },
};

/* 1..12, or 0. A trailing '.' or ',' ("Okt.", "Juli,") is punctuation. */
int
_ferry_listing_month (const char *p,
                      gsize       n)
{
  if (n > 0 && (p[n - 1] == ',' || p[n - 1] == '.'))
    n--;
  if (n > 0 && p[n - 1] == '.')
    n--;
  /* Most tokens tried are numbers: they need no look at the table. */
  if (n < 3 || n > 10 || !(g_ascii_isalpha (p[0]) || (guchar) p[0] >= 0x80))
    return 0;
  for (gsize i = 0; i < G_N_ELEMENTS (month_names); i++)
    if (strlen (month_names[i].name) == n && g_ascii_strncasecmp (p, month_names[i].name, n) == 0)
      return month_names[i].month;
  return 0;
}

/* "9:05", "09:05", "24:00", "10:30:13", "10:30:13.64" (VMS hundredths),
 * "12:00:00.123456789" (GNU ls --full-time). */
gboolean
_ferry_listing_time (const char *p,
                     gsize       n,
                     int        *hour,
                     int        *minute,
                     int        *second)
{
  gsize h = 0;
  gsize i;

  while (h < n && h < 3 && g_ascii_isdigit (p[h]))
    h++;
  if (h == 0 || h > 2 || h + 3 > n || p[h] != ':' || !_ferry_listing_all_digits (p + h + 1, 2))
    return FALSE;
  *hour = _ferry_listing_digits_value (p, h);
  *minute = _ferry_listing_digits_value (p + h + 1, 2);
  *second = 0;
  i = h + 3;
  if (i < n)
    {
      if (i + 3 > n || p[i] != ':' || !_ferry_listing_all_digits (p + i + 1, 2))
        return FALSE;
      *second = _ferry_listing_digits_value (p + i + 1, 2);
      i += 3;
      if (i < n)
        {
          if (p[i] != '.' || i + 1 == n || n - i > 10 || !_ferry_listing_all_digits (p + i + 1, n - i - 1))
            return FALSE;
        }
    }
  if (*minute > 59 || *second > 60)
    return FALSE;
  if (*hour == 24)
    return *minute == 0 && *second == 0;
  return *hour <= 23;
}

static int
two_or_three_digit_year (int value,
                         gsize digits)
{
  if (digits == 3)
    return 1900 + value;  /* "103": years since 1900, from servers not ready for 2000 */
  if (digits == 2)
    return value < 70 ? 2000 + value : 1900 + value;
  return value;
}

/* "2024-01-31", "1999/10/12", "2004.07.15", "24-04-2003", "04-27-00",
 * "18.09.06", "04-23-103", "01-jun-99", "19-NOV-2001"; with two parts
 * ("09-26") the year is 0, for the caller to find. `certain` is FALSE when
 * day and month cannot be told apart (then both are 0). */
gboolean
_ferry_listing_numeric_date (const char     *p,
                             gsize           n,
                             FerryDateOrder  order,
                             int            *year,
                             int            *month,
                             int            *day,
                             gboolean       *certain)
{
  gsize starts[3];
  gsize lengths[3];
  guint parts = 0;
  char separator = 0;
  gsize i = 0;
  int a, b;
  int named_month;

  if (n < 3 || n > 16)
    return FALSE;
  while (parts < 3)
    {
      starts[parts] = i;
      while (i < n && strchr ("-/.", p[i]) == NULL)
        i++;
      lengths[parts] = i - starts[parts];
      if (lengths[parts] == 0)
        return FALSE;
      parts++;
      if (i == n)
        break;
      if (separator == 0)
        separator = p[i];
      else if (p[i] != separator)
        return FALSE;
      i++;
      if (i == n)
        {
          /* "2004.07.15." does not happen; a trailing dot ends a German
           * "2.9." at most, which has no year: not a date here. */
          return FALSE;
        }
    }
  if (i != n || parts < 2 || (parts == 2 && separator == '.'))
    return FALSE;
  for (guint k = 0; k < parts; k++)
    if (k != 1 && !_ferry_listing_all_digits (p + starts[k], lengths[k]))
      return FALSE;

  *certain = TRUE;
  named_month = _ferry_listing_all_digits (p + starts[1], lengths[1]) ? 0
                : _ferry_listing_month (p + starts[1], lengths[1]);
  if (named_month == 0 && (lengths[1] > 2 || !_ferry_listing_all_digits (p + starts[1], lengths[1])))
    return FALSE;

  if (parts == 3 && lengths[0] == 4)
    {
      if (named_month != 0 || lengths[2] > 2)
        return FALSE;
      *year = _ferry_listing_digits_value (p, 4);
      *month = _ferry_listing_digits_value (p + starts[1], lengths[1]);
      *day = _ferry_listing_digits_value (p + starts[2], lengths[2]);
      return *month >= 1 && *month <= 12 && *day >= 1 && *day <= 31;
    }
  if (lengths[0] > 2 || (parts == 3 && (lengths[2] < 2 || lengths[2] > 4)))
    return FALSE;
  *year = parts == 3 ? two_or_three_digit_year (_ferry_listing_digits_value (p + starts[2], lengths[2]), lengths[2]) : 0;
  a = _ferry_listing_digits_value (p, lengths[0]);
  if (named_month != 0)
    {
      if (parts != 3)
        return FALSE;
      *day = a;
      *month = named_month;
      return a >= 1 && a <= 31;
    }
  b = _ferry_listing_digits_value (p + starts[1], lengths[1]);
  if (a < 1 || b < 1 || a > 31 || b > 31 || (a > 12 && b > 12))
    return FALSE;
  if (separator == '.')
    order = FERRY_DATE_ORDER_DMY;  /* dotted dates are day-first everywhere */
  if (a > 12 || (a != b && b <= 12 && order == FERRY_DATE_ORDER_DMY))
    {
      *day = a;
      *month = b;
    }
  else if (b > 12 || a == b || order == FERRY_DATE_ORDER_MDY)
    {
      *month = a;
      *day = b;
    }
  else
    {
      *certain = FALSE;
      *month = 0;
      *day = 0;
    }
  return TRUE;
}

gboolean
_ferry_listing_is_dot_dir (const char *name,
                           gsize       length)
{
  return (length == 1 && name[0] == '.') || (length == 2 && name[0] == '.' && name[1] == '.');
}

/* UTC seconds, or G_MININT64 for an impossible date. 24:00 is midnight at
 * the end of the day. */
gint64
_ferry_listing_utc (int year,
                    int month,
                    int day,
                    int hour,
                    int minute,
                    int second)
{
  g_autoptr(GDateTime) date = NULL;
  gint64 extra = 0;

  if (hour == 24 && minute == 0 && second == 0)
    {
      hour = 0;
      extra = 86400;
    }
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31
      || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60)
    return G_MININT64;
  /* A leap second is read as the second before it. */
  date = g_date_time_new_utc (year, month, day, hour, minute, second == 60 ? 59 : second);
  return date != NULL ? g_date_time_to_unix (date) + extra : G_MININT64;
}

char *
_ferry_listing_dup (const char *p,
                    gsize       n)
{
  char *copy = g_malloc (n + 1);

  memcpy (copy, p, n);
  copy[n] = '\0';
  return copy;
}

