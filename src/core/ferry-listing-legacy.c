/* ferry-listing-legacy.c: the LIST formats of older systems — EPLF, VMS,
 * OS/400, OS/2, MVS (z/OS) datasets and PDS members, old VShell. Each parser wants its
 * fields where its format puts them and says FERRY_LINE_NOT_MINE otherwise:
 * a line is only an entry when the name is beyond doubt.
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
  return token->length == strlen (word) && memcmp (token->start, word, token->length) == 0;
}

/* EPLF (cr.yp.to/ftp/list/eplf.html): "+" facts split by ",", one tab, the
 * name. "/" a folder, "r" a file one can retrieve, "s" the size, "m" the
 * time in seconds since the epoch.
 * +i8388621.48594,m825718503,r,s280,up755<TAB>djb.html */
FerryLineResult
_ferry_listing_parse_eplf (const char  *line,
                           gsize        length,
                           FerryEntry **out)
{
  const char *tab;
  const char *fact;
  g_autoptr(FerryEntry) entry = NULL;
  gboolean folder = FALSE;
  gboolean file = FALSE;

  if (length < 2 || line[0] != '+' || (tab = memchr (line, '\t', length)) == NULL)
    return FERRY_LINE_NOT_MINE;

  entry = g_new0 (FerryEntry, 1);
  for (fact = line + 1; fact < tab; )
    {
      const char *comma = memchr (fact, ',', tab - fact);
      const char *end = comma != NULL ? comma : tab;
      gsize n = end - fact;
      guint64 value;

      if (n == 1 && fact[0] == '/')
        folder = TRUE;
      else if (n == 1 && fact[0] == 'r')
        file = TRUE;
      else if (n > 1 && fact[0] == 's' && _ferry_listing_number (fact + 1, n - 1, &value))
        {
          entry->size = value;
          entry->size_known = TRUE;
        }
      else if (n > 1 && fact[0] == 'm' && n <= 12 && _ferry_listing_number (fact + 1, n - 1, &value))
        {
          entry->mtime = (gint64) value;
          entry->precision = FERRY_TIME_SECONDS;
        }
      else if (n > 0 && memchr ("iu", fact[0], 2) == NULL)
        return FERRY_LINE_NOT_MINE;  /* no EPLF fact starts like that */
      fact = end + 1;
    }
  /* Both or neither: a thing Ferry cannot copy as file or folder. */
  entry->type = folder == file ? FERRY_ENTRY_OTHER : folder ? FERRY_ENTRY_DIRECTORY : FERRY_ENTRY_FILE;
  return finish (g_steal_pointer (&entry), tab + 1, line + length - (tab + 1), out);
}

/* "NAME.EXT;12": the length of NAME.EXT and the version, or 0. */
static gsize
vms_name (const FerryToken *token,
          guint            *version)
{
  const char *semi = NULL;
  gsize digits;

  for (gsize i = 0; i < token->length; i++)
    if (token->start[i] == ';')
      semi = token->start + i;
  if (semi == NULL || semi == token->start)
    return 0;
  digits = token->start + token->length - (semi + 1);
  if (digits == 0 || digits > 5 || !_ferry_listing_all_digits (semi + 1, digits))
    return 0;
  for (const char *p = token->start; p < semi; p++)
    if ((guchar) *p < 0x20 || *p == ';' || *p == '[' || *p == ']' || *p == '/')
      return 0;
  *version = (guint) _ferry_listing_digits_value (semi + 1, digits);
  return *version > 0 ? (gsize) (semi - token->start) : 0;
}

gboolean
_ferry_listing_vms_lone_name (const char *line,
                              gsize       length)
{
  FerryToken tokens[2];
  guint version;

  return _ferry_listing_tokenize (line, length, tokens, 2) == 1 && vms_name (&tokens[0], &version) > 0;
}

/* "19-NOV-2001", "2-JUL-2003": the month in letters. */
static gboolean
vms_date (const FerryToken *token,
          int              *year,
          int              *month,
          int              *day)
{
  const char *dash = memchr (token->start, '-', token->length);
  gboolean certain;

  return dash != NULL && dash + 1 < token->start + token->length && g_ascii_isalpha (dash[1])
         && _ferry_listing_numeric_date (token->start, token->length, FERRY_DATE_ORDER_UNKNOWN,
                                         year, month, day, &certain)
         && *year != 0 && certain;
}

/* "15-JUI-2002": a VMS date whose month is in a language not known here
 * (JUI is juin or juillet): a date, but not one to keep. */
static gboolean
vms_vague_date (const FerryToken *token)
{
  const char *p = token->start;
  gsize n = token->length;
  gsize d = 0;

  while (d < n && d < 3 && g_ascii_isdigit (p[d]))
    d++;
  if (d == 0 || d > 2 || n != d + 9 || p[d] != '-' || p[d + 4] != '-')
    return FALSE;
  for (gsize i = d + 1; i < d + 4; i++)
    if (!g_ascii_isalpha (p[i]))
      return FALSE;
  return _ferry_listing_all_digits (p + d + 5, 4);
}

/* A VMS owner without brackets ("PRONAS"): capitals, digits, '_', '$'. */
static gboolean
vms_bare_owner (const FerryToken *token)
{
  gboolean letter = FALSE;

  for (gsize i = 0; i < token->length; i++)
    {
      char c = token->start[i];

      if (g_ascii_isupper (c))
        letter = TRUE;
      else if (!g_ascii_isdigit (c) && c != '_' && c != '$')
        return FALSE;
    }
  return letter;
}

/* NAME.EXT;1  used/allocated  DD-MON-YYYY HH:MM:SS  [group,owner]  (RWED,RWED,RE,)
 * The fields after the name come in more than one order, and time, owner
 * and protection may be missing; the size is in 512-byte blocks (or "2KB"),
 * which says how much room, not how many bytes: it is read but left
 * unknown. A name.DIR;1 is a folder. */
FerryLineResult
_ferry_listing_parse_vms (const char  *line,
                          gsize        length,
                          FerryEntry **out,
                          guint       *version)
{
  FerryToken tokens[MAX_TOKENS];
  guint n = _ferry_listing_tokenize (line, length, tokens, MAX_TOKENS);
  g_autoptr(FerryEntry) entry = NULL;
  gsize name_length;
  gboolean have_date = FALSE, have_time = FALSE, have_size = FALSE;
  gboolean have_owner = FALSE, have_protection = FALSE;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  gboolean seconds_given = FALSE;
  gboolean vague = FALSE;
  guint64 size = 0;
  gint64 when;

  *version = 0;
  if (n < 3 || n >= MAX_TOKENS || tokens[0].start != line || (name_length = vms_name (&tokens[0], version)) == 0)
    return FERRY_LINE_NOT_MINE;

  for (guint i = 1; i < n; i++)
    {
      const FerryToken *t = &tokens[i];
      const char *slash = memchr (t->start, '/', t->length);
      int h, mi, s;
      guint64 used;
      gboolean exact;

      if (!have_date && vms_date (t, &year, &month, &day))
        have_date = TRUE;
      else if (!have_date && vms_vague_date (t))
        {
          have_date = TRUE;
          vague = TRUE;
        }
      else if (!have_time && have_date && _ferry_listing_time (t->start, t->length, &h, &mi, &s))
        {
          have_time = TRUE;
          hour = h;
          minute = mi;
          second = s;
          seconds_given = t->length >= 8;
        }
      else if (!have_size && slash != NULL && slash > t->start
               && _ferry_listing_number (t->start, slash - t->start, &used)
               && _ferry_listing_number (slash + 1, t->start + t->length - slash - 1, NULL))
        {
          have_size = TRUE;
          size = used * 512;
        }
      else if (!have_size && _ferry_listing_number (t->start, t->length, &used) && used < G_MAXUINT64 / 512)
        {
          have_size = TRUE;
          size = used * 512;
        }
      else if (!have_size && _ferry_listing_size (t->start, t->length, &used, &exact) && !exact)
        {
          have_size = TRUE;
          size = used;
        }
      else if (!have_owner && t->length >= 2 && t->start[0] == '[' && t->start[t->length - 1] == ']')
        have_owner = TRUE;
      else if (!have_protection && t->length >= 2 && t->start[0] == '(' && t->start[t->length - 1] == ')')
        have_protection = TRUE;
      else if (!have_owner && vms_bare_owner (t))
        have_owner = TRUE;
      else
        return FERRY_LINE_NOT_MINE;
    }
  if (!have_date || !have_size)
    return FERRY_LINE_NOT_MINE;

  entry = g_new0 (FerryEntry, 1);
  entry->type = FERRY_ENTRY_FILE;
  if (name_length > 4 && g_ascii_strncasecmp (tokens[0].start + name_length - 4, ".DIR", 4) == 0)
    {
      entry->type = FERRY_ENTRY_DIRECTORY;
      name_length -= 4;
    }
  /* Blocks or kilobytes: how much room, not how many bytes. The size
   * stays unknown (and 0, as FerryEntry has it). */
  (void) size;
  when = vague ? G_MININT64 : _ferry_listing_utc (year, month, day, hour, minute, second);
  if (when != G_MININT64)
    {
      entry->mtime = when;
      entry->precision = !have_time ? FERRY_TIME_DAYS : seconds_given ? FERRY_TIME_SECONDS : FERRY_TIME_MINUTES;
    }
  return finish (g_steal_pointer (&entry), tokens[0].start, name_length, out);
}

/* A stream file in the IFS may be listed by its whole path
 * ("/DRV/DIR/FILE.PDF"), and a member as FILE.FILE/MEMBER.MBR: the entry
 * is what follows the last "/". */
static FerryLineResult
finish_os400 (FerryEntry  *entry,
              const char  *name,
              gsize        name_length,
              FerryEntry **out)
{
  for (gsize i = name_length; i > 0; i--)
    if (name[i - 1] == '/')
      {
        name_length -= i;
        name += i;
        break;
      }
  return finish (entry, name, name_length, out);
}

/* OWNER  size  date  time  *TYPE  name
 * QSYS   77824 02/23/00 15:09:55 *DIR  docs/
 * The date follows the job's format: month first by default, a first
 * number above 12 is a day, dotted dates are day-first. */
FerryLineResult
_ferry_listing_parse_os400 (const char  *line,
                            gsize        length,
                            FerryEntry **out)
{
  FerryToken tokens[6];
  guint n = _ferry_listing_tokenize (line, length, tokens, 6);
  g_autoptr(FerryEntry) entry = NULL;
  const FerryToken *type;
  int year, month, day, hour, minute, second;
  gboolean certain, exact;
  const char *name;
  gsize name_length;
  gint64 when;

  /* A member listed without statistics: OWNER *MEM FILE.FILE/MEMBER.MBR */
  if (n == 3 && token_is (&tokens[1], "*MEM") && tokens[0].start[0] != '*')
    {
      entry = g_new0 (FerryEntry, 1);
      entry->type = FERRY_ENTRY_FILE;
      return finish_os400 (g_steal_pointer (&entry), tokens[2].start, line + length - tokens[2].start, out);
    }
  if (n < 6 || tokens[4].length < 2 || tokens[4].start[0] != '*' || tokens[0].start[0] == '*'
      || !_ferry_listing_numeric_date (tokens[2].start, tokens[2].length, FERRY_DATE_ORDER_MDY,
                                       &year, &month, &day, &certain)
      || year == 0 || !_ferry_listing_time (tokens[3].start, tokens[3].length, &hour, &minute, &second))
    return FERRY_LINE_NOT_MINE;
  type = &tokens[4];
  for (gsize i = 1; i < type->length; i++)
    if (!g_ascii_isupper (type->start[i]) && !g_ascii_isdigit (type->start[i]))
      return FERRY_LINE_NOT_MINE;

  entry = g_new0 (FerryEntry, 1);
  if (token_is (type, "*DIR") || token_is (type, "*LIB") || token_is (type, "*FLR"))
    entry->type = FERRY_ENTRY_DIRECTORY;
  else if (token_is (type, "*STMF") || token_is (type, "*FILE") || token_is (type, "*DOC") || token_is (type, "*MEM"))
    entry->type = FERRY_ENTRY_FILE;
  else
    entry->type = FERRY_ENTRY_OTHER;
  if (!_ferry_listing_size (tokens[1].start, tokens[1].length, &entry->size, &exact) || !exact)
    return FERRY_LINE_NOT_MINE;
  entry->size_known = TRUE;
  when = _ferry_listing_utc (year, month, day, hour, minute, second);
  if (when != G_MININT64)
    {
      entry->mtime = when;
      entry->precision = FERRY_TIME_SECONDS;
    }

  name = tokens[5].start;
  name_length = line + length - name;
  /* A folder's name ends with "/". */
  if (name_length > 1 && name[name_length - 1] == '/')
    {
      name_length--;
      if (entry->type == FERRY_ENTRY_FILE)
        entry->type = FERRY_ENTRY_DIRECTORY;
    }
  return finish_os400 (g_steal_pointer (&entry), name, name_length, out);
}

/* "A", "R", "RSA": read-only, hidden, system and archive, once each. */
static gboolean
os2_attributes (const FerryToken *token)
{
  if (token->length == 0 || token->length > 4)
    return FALSE;
  for (gsize i = 0; i < token->length; i++)
    if (strchr ("ARHS", token->start[i]) == NULL || memchr (token->start, token->start[i], i) != NULL)
      return FALSE;
  return TRUE;
}

/*   size  [attributes]  MM-DD-YY  HH:MM  name
 *  36611      A    04-23-103  10:57  readme.txt
 *      0 DIR       02-11-103  16:15  docs
 * Years are sometimes written as years since 1900 ("103"). */
FerryLineResult
_ferry_listing_parse_os2 (const char  *line,
                          gsize        length,
                          FerryEntry **out)
{
  FerryToken tokens[8];
  guint n = _ferry_listing_tokenize (line, length, tokens, 8);
  g_autoptr(FerryEntry) entry = NULL;
  gboolean folder = FALSE;
  guint64 size;
  guint i;
  int year, month, day, hour, minute, second;
  gboolean certain;
  gint64 when;

  if (n < 4 || !_ferry_listing_number (tokens[0].start, tokens[0].length, &size))
    return FERRY_LINE_NOT_MINE;
  for (i = 1; i < n && i <= 4; i++)
    {
      if (token_is (&tokens[i], "DIR"))
        folder = TRUE;
      else if (!os2_attributes (&tokens[i]))
        break;
    }
  if (i + 2 >= n || memchr (tokens[i].start, '-', tokens[i].length) == NULL
      || !_ferry_listing_numeric_date (tokens[i].start, tokens[i].length, FERRY_DATE_ORDER_MDY,
                                       &year, &month, &day, &certain)
      || year == 0 || tokens[i + 1].length > 5
      || !_ferry_listing_time (tokens[i + 1].start, tokens[i + 1].length, &hour, &minute, &second))
    return FERRY_LINE_NOT_MINE;

  entry = g_new0 (FerryEntry, 1);
  entry->type = folder ? FERRY_ENTRY_DIRECTORY : FERRY_ENTRY_FILE;
  entry->size = size;
  entry->size_known = TRUE;
  when = _ferry_listing_utc (year, month, day, hour, minute, 0);
  if (when != G_MININT64)
    {
      entry->mtime = when;
      entry->precision = FERRY_TIME_MINUTES;
    }
  return finish (g_steal_pointer (&entry), tokens[i + 2].start, line + length - tokens[i + 2].start, out);
}

static gboolean
slash_date (const FerryToken *token,
            int              *year,
            int              *month,
            int              *day)
{
  gboolean certain;

  return token->length == 10 && token->start[4] == '/'
         && _ferry_listing_numeric_date (token->start, token->length, FERRY_DATE_ORDER_UNKNOWN,
                                         year, month, day, &certain);
}

/* A field of the MVS dataset columns between the date and the Dsorg:
 * numbers, "????" or "++++" for a count too big, a record format. */
static gboolean
mvs_middle_field (const FerryToken *token)
{
  gboolean digits = TRUE, letters = TRUE, marks = TRUE;

  for (gsize i = 0; i < token->length; i++)
    {
      char c = token->start[i];

      digits = digits && g_ascii_isdigit (c);
      letters = letters && g_ascii_isupper (c);
      marks = marks && (c == '?' || c == '+');
    }
  return digits || (letters && token->length <= 4) || marks;
}

/* A dataset name: qualifiers of capitals, digits and national characters
 * split by dots, at most 44 bytes. Quoted names are not; lower case is, in
 * the name column only (`lower`): some servers show names so. */
static gboolean
mvs_name (const FerryToken *token,
          gboolean          lower)
{
  if (token->length == 0 || token->length > 44)
    return FALSE;
  for (gsize i = 0; i < token->length; i++)
    {
      char c = token->start[i];

      if (!g_ascii_isupper (c) && !g_ascii_isdigit (c) && strchr ("@#$.-_", c) == NULL
          && !(lower && g_ascii_islower (c)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
mvs_dataset_name (const FerryToken *token)
{
  return mvs_name (token, FALSE);
}

/* Datasets:
 * Volume Unit    Referred Ext Used Recfm Lrecl BlkSz Dsorg Dsname
 * WYOSPT 3420   2003/05/21  1  200  FB      80  8053  PS  USER.DATA
 * Partitioned ones (PO, PO-E) are folders of members; VSAM and other
 * organisations cannot be read as plain files. Sizes are in tracks.
 * Members:
 * Name     VV.MM   Created       Changed      Size  Init   Mod   Id
 * MEMBER1  01.01 2004/06/22 2004/06/22 16:32   128   128    0 BOBY12
 * (Size is in records, not bytes.) */
FerryLineResult
_ferry_listing_parse_mvs (const char  *line,
                          gsize        length,
                          FerryEntry **out)
{
  FerryToken tokens[MAX_TOKENS];
  guint n = _ferry_listing_tokenize (line, length, tokens, MAX_TOKENS);
  g_autoptr(FerryEntry) entry = NULL;
  int year, month, day, hour, minute, second;
  const FerryToken *name;
  const FerryToken *dsorg;
  gint64 when;

  if (n < 2 || n >= MAX_TOKENS || tokens[n - 1].start + tokens[n - 1].length != line + length)
    return FERRY_LINE_NOT_MINE;
  name = &tokens[n - 1];

  /* A member: name, VV.MM, created, changed, HH:MM[:SS], size, init, mod[, id]. */
  if (n >= 8 && n <= 9 && tokens[1].length == 5 && tokens[1].start[2] == '.'
      && _ferry_listing_all_digits (tokens[1].start, 2) && _ferry_listing_all_digits (tokens[1].start + 3, 2)
      && slash_date (&tokens[2], &year, &month, &day) && slash_date (&tokens[3], &year, &month, &day)
      && _ferry_listing_time (tokens[4].start, tokens[4].length, &hour, &minute, &second)
      && _ferry_listing_number (tokens[5].start, tokens[5].length, NULL)
      && _ferry_listing_number (tokens[6].start, tokens[6].length, NULL)
      && _ferry_listing_number (tokens[7].start, tokens[7].length, NULL)
      && mvs_dataset_name (&tokens[0]))
    {
      entry = g_new0 (FerryEntry, 1);
      entry->type = FERRY_ENTRY_FILE;
      when = _ferry_listing_utc (year, month, day, hour, minute, second);
      if (when != G_MININT64)
        {
          entry->mtime = when;
          entry->precision = tokens[4].length > 5 ? FERRY_TIME_SECONDS : FERRY_TIME_MINUTES;
        }
      return finish (g_steal_pointer (&entry), tokens[0].start, tokens[0].length, out);
    }

  if (!mvs_name (name, TRUE))
    return FERRY_LINE_NOT_MINE;
  /* Migrated to tape or disk archive: recalled when read. */
  if (n == 2 && token_is (&tokens[0], "Migrated"))
    {
      entry = g_new0 (FerryEntry, 1);
      entry->type = FERRY_ENTRY_FILE;
      return finish (g_steal_pointer (&entry), name->start, name->length, out);
    }
  /* Archived (ARCIVE) or on a device that is no disk: read as a file. */
  if (n == 6 && tokens[0].length <= 6 && mvs_dataset_name (&tokens[0]) && token_is (&tokens[1], "Not")
      && token_is (&tokens[2], "Direct") && token_is (&tokens[3], "Access") && token_is (&tokens[4], "Device"))
    {
      entry = g_new0 (FerryEntry, 1);
      entry->type = FERRY_ENTRY_FILE;
      return finish (g_steal_pointer (&entry), name->start, name->length, out);
    }
  if (tokens[0].length > 6 || !mvs_dataset_name (&tokens[0]))
    return FERRY_LINE_NOT_MINE;
  if (n == 4 && token_is (&tokens[2], "VSAM"))
    {
      entry = g_new0 (FerryEntry, 1);
      entry->type = FERRY_ENTRY_OTHER;
      return finish (g_steal_pointer (&entry), name->start, name->length, out);
    }
  if (n == 3 && token_is (&tokens[1], "Tape"))
    {
      entry = g_new0 (FerryEntry, 1);
      entry->type = FERRY_ENTRY_FILE;
      return finish (g_steal_pointer (&entry), name->start, name->length, out);
    }
  if (n < 9 || n > 10 || !_ferry_listing_all_digits (tokens[1].start, tokens[1].length) || tokens[1].length != 4)
    return FERRY_LINE_NOT_MINE;
  if (!token_is (&tokens[2], "**NONE**") && !slash_date (&tokens[2], &year, &month, &day))
    return FERRY_LINE_NOT_MINE;
  for (guint i = 3; i < n - 2; i++)
    if (!mvs_middle_field (&tokens[i]))
      return FERRY_LINE_NOT_MINE;
  dsorg = &tokens[n - 2];

  entry = g_new0 (FerryEntry, 1);
  if (token_is (dsorg, "PO") || token_is (dsorg, "PO-E"))
    entry->type = FERRY_ENTRY_DIRECTORY;
  else if (token_is (dsorg, "PS"))
    entry->type = FERRY_ENTRY_FILE;
  else if (token_is (dsorg, "DA") || token_is (dsorg, "VS") || token_is (dsorg, "IS") || token_is (dsorg, "PS-L"))
    entry->type = FERRY_ENTRY_OTHER;
  else
    return FERRY_LINE_NOT_MINE;
  if (!token_is (&tokens[2], "**NONE**"))
    {
      when = _ferry_listing_utc (year, month, day, 0, 0, 0);
      if (when != G_MININT64)
        {
          entry->mtime = when;
          entry->precision = FERRY_TIME_DAYS;
        }
    }
  return finish (g_steal_pointer (&entry), name->start, name->length, out);
}

/* Old VShell (Windows): size, "Mon DD, YYYY HH:MM", the name; a folder's
 * name ends with "/".
 * 206876  Apr 04, 2000 21:06 report.doc
 *      0  Dec 12, 2002 02:13 images/ */
FerryLineResult
_ferry_listing_parse_vshell (const char  *line,
                             gsize        length,
                             FerryEntry **out)
{
  FerryToken tokens[6];
  guint n = _ferry_listing_tokenize (line, length, tokens, 6);
  g_autoptr(FerryEntry) entry = NULL;
  guint64 size;
  int month, day, year, hour, minute, second;
  const char *name;
  gsize name_length;
  gint64 when;

  if (n < 6 || !_ferry_listing_number (tokens[0].start, tokens[0].length, &size)
      || (month = _ferry_listing_month (tokens[1].start, tokens[1].length)) == 0
      || tokens[2].length < 2 || tokens[2].length > 3 || tokens[2].start[tokens[2].length - 1] != ','
      || !_ferry_listing_all_digits (tokens[2].start, tokens[2].length - 1)
      || tokens[3].length != 4 || !_ferry_listing_all_digits (tokens[3].start, 4)
      || tokens[4].length > 5 || !_ferry_listing_time (tokens[4].start, tokens[4].length, &hour, &minute, &second))
    return FERRY_LINE_NOT_MINE;
  day = _ferry_listing_digits_value (tokens[2].start, tokens[2].length - 1);
  year = _ferry_listing_digits_value (tokens[3].start, 4);

  entry = g_new0 (FerryEntry, 1);
  entry->type = FERRY_ENTRY_FILE;
  entry->size = size;
  entry->size_known = TRUE;
  when = _ferry_listing_utc (year, month, day, hour, minute, 0);
  if (when != G_MININT64)
    {
      entry->mtime = when;
      entry->precision = FERRY_TIME_MINUTES;
    }
  name = tokens[5].start;
  name_length = line + length - name;
  if (name_length > 1 && name[name_length - 1] == '/')
    {
      entry->type = FERRY_ENTRY_DIRECTORY;
      name_length--;
    }
  return finish (g_steal_pointer (&entry), name, name_length, out);
}
