/* ferry-entry.h: one directory entry as a listing parser or a backend sees it.
 *
 * Plain data, no GObject: thousands of these pass through the planner.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  FERRY_ENTRY_FILE,
  FERRY_ENTRY_DIRECTORY,
  FERRY_ENTRY_SYMLINK,       /* a link whose target type is unknown */
  FERRY_ENTRY_OTHER,         /* devices, sockets, anything not copied */
} FerryEntryType;

/* How exactly a listing gave the modification time: the planner compares two
 * times only to the coarser of the two precisions. */
typedef enum
{
  FERRY_TIME_UNKNOWN,        /* no time at all */
  FERRY_TIME_DAYS,           /* Unix LIST with a year: the day is known */
  FERRY_TIME_MINUTES,        /* Unix LIST with hh:mm, DOS LIST */
  FERRY_TIME_SECONDS,        /* MLSD modify=, MDTM, local stat */
} FerryTimePrecision;

typedef struct
{
  char               *name;          /* one path component, UTF-8 or raw bytes as sent */
  char               *link_target;   /* for FERRY_ENTRY_SYMLINK, or NULL */
  FerryEntryType      type;
  guint64             size;          /* bytes; 0 when unknown */
  gboolean            size_known;
  gint64              mtime;         /* seconds since the epoch, UTC; valid when precision > UNKNOWN */
  FerryTimePrecision  precision;
} FerryEntry;

FerryEntry *ferry_entry_new  (const char     *name,
                              FerryEntryType  type);
FerryEntry *ferry_entry_copy (const FerryEntry *entry);
void        ferry_entry_free (FerryEntry     *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryEntry, ferry_entry_free)

G_END_DECLS
