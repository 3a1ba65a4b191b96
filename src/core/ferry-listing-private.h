/* ferry-listing-private.h: what ferry-listing.c and ferry-listing-legacy.c
 * share — tokens, numbers, dates and times as listings write them — and the
 * parsers of the older server families that live in ferry-listing-legacy.c.
 *
 * Pure functions: no I/O, no global state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ferry-entry.h"
#include "ferry-listing.h"

G_BEGIN_DECLS

typedef struct
{
  const char *start;
  gsize       length;
} FerryToken;

/* How a parser answers for one line. */
typedef enum
{
  FERRY_LINE_ENTRY,      /* an entry */
  FERRY_LINE_DOT,        /* "." or "..": left out silently */
  FERRY_LINE_NOISE,      /* a header or summary line ("total 12", VMS "Directory …") */
  FERRY_LINE_NOT_MINE,   /* not this format */
  FERRY_LINE_NO_NAME,    /* this format, but no name is left after the fields */
} FerryLineResult;

/* Which of day and month comes first in an all-numeric date whose year is
 * last, when neither number is above 12. */
typedef enum
{
  FERRY_DATE_ORDER_UNKNOWN,  /* ambiguous dates stay without a time */
  FERRY_DATE_ORDER_MDY,
  FERRY_DATE_ORDER_DMY,
} FerryDateOrder;

guint    _ferry_listing_tokenize     (const char  *line,
                                      gsize        length,
                                      FerryToken  *tokens,
                                      guint        max);
gboolean _ferry_listing_number       (const char  *p,
                                      gsize        n,
                                      guint64     *value);
gboolean _ferry_listing_size         (const char  *p,
                                      gsize        n,
                                      guint64     *size,
                                      gboolean    *exact);
int      _ferry_listing_month        (const char  *p,
                                      gsize        n);
gboolean _ferry_listing_time         (const char  *p,
                                      gsize        n,
                                      int         *hour,
                                      int         *minute,
                                      int         *second);
gboolean _ferry_listing_numeric_date (const char     *p,
                                      gsize           n,
                                      FerryDateOrder  order,
                                      int            *year,
                                      int            *month,
                                      int            *day,
                                      gboolean       *certain);
gint64   _ferry_listing_utc          (int          year,
                                      int          month,
                                      int          day,
                                      int          hour,
                                      int          minute,
                                      int          second);
gboolean _ferry_listing_all_digits   (const char  *p,
                                      gsize        n);
int      _ferry_listing_digits_value (const char  *p,
                                      gsize        n);
gboolean _ferry_listing_is_dot_dir   (const char  *name,
                                      gsize        length);
char    *_ferry_listing_dup          (const char  *p,
                                      gsize        n);

/* ferry-listing-legacy.c. `version` (VMS only) gets the ";N" that was cut
 * off the name, 0 when there was none. */
FerryLineResult _ferry_listing_parse_eplf  (const char  *line,
                                            gsize        length,
                                            FerryEntry **entry);
FerryLineResult _ferry_listing_parse_vms   (const char  *line,
                                            gsize        length,
                                            FerryEntry **entry,
                                            guint       *version);
FerryLineResult _ferry_listing_parse_os400 (const char  *line,
                                            gsize        length,
                                            FerryEntry **entry);
FerryLineResult _ferry_listing_parse_os2   (const char  *line,
                                            gsize        length,
                                            FerryEntry **entry);
FerryLineResult _ferry_listing_parse_mvs   (const char  *line,
                                            gsize        length,
                                            FerryEntry **entry);
FerryLineResult _ferry_listing_parse_vshell (const char  *line,
                                             gsize        length,
                                             FerryEntry **entry);
/* ferry-listing-other.c: the rarest servers' layouts, read in AUTO only. */
FerryLineResult _ferry_listing_parse_tandem (const char  *line,
                                             gsize        length,
                                             FerryEntry **entry);
FerryLineResult _ferry_listing_parse_nortel (const char  *line,
                                             gsize        length,
                                             FerryEntry **entry);
FerryLineResult _ferry_listing_parse_os9   (const char  *line,
                                            gsize        length,
                                            FerryEntry **entry);
FerryLineResult _ferry_listing_parse_zvm   (const char  *line,
                                            gsize        length,
                                            FerryEntry **entry);
FerryLineResult _ferry_listing_parse_numeric_unix (const char  *line,
                                                   gsize        length,
                                                   FerryEntry **entry);
/* JES spool (jobs); `after_heading`: the listing's JES level 2 heading
 * came first, so a job without spool files is certain too. */
FerryLineResult _ferry_listing_parse_jes   (const char  *line,
                                            gsize        length,
                                            gboolean     after_heading,
                                            FerryEntry **entry);
/* Only after a PDS member heading: members without statistics and load
 * modules. */
FerryLineResult _ferry_listing_parse_mvs_member (const char  *line,
                                                 gsize        length,
                                                 FerryEntry **entry);

/* A line holding nothing but a VMS file name ("LONG_NAME.TXT;3"), whose
 * fields follow on the next line. */
gboolean        _ferry_listing_vms_lone_name (const char *line,
                                              gsize       length);

/* For the tests and fuzzers. */
/* One line, without its line ending; NULL when it is not an entry (or is
 * "." or ".."). */
FerryEntry *_ferry_listing_parse_line      (FerryListingFormat  format,
                                           const char         *line,
                                           gsize               length,
                                           GDateTime          *now);
/* The fact line of an MLST reply (" type=file;size=5; /pub/a.txt", the
 * leading space optional). The entry's name is the path as the server gave
 * it, and type=cdir counts as a directory here. NULL when it is no facts
 * line. */
FerryEntry *_ferry_listing_parse_mlst_line (const char         *line,
                                           gsize               length);

G_END_DECLS
