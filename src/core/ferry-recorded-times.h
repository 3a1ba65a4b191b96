/* ferry-recorded-times.h: each file's size and source time when a run last
 * copied it, read back from the outcome records (DESIGN.md, "Outcome
 * records"), for destinations that cannot keep modification times.
 *
 * A server without MFMT (GNU inetutils ftpd, Twisted, Apache mod_dav,
 * rclone's WebDAV) gives every copy the time of copying: its times say
 * nothing of the source. What a copy was made from is in the records: a
 * copied, updated or resumed file's record holds the source's size and time
 * as they were copied. A later run copies a file again when the source's
 * time differs from that, whatever the destination shows (ferry-planner.h).
 *
 * ferry_recorded_times_load() reads the transfer's copy runs newest first,
 * the newest record of a path winning, and stops after the first run that
 * finished with no failure and compared times (all its files are on record
 * there or in a newer run, but those it judged by size for want of a
 * record), at most 64 runs. An up-to-date record counts only when its run
 * decided it by a time ("identical" in a run that says what it compared):
 * a file judged by its size alone says nothing of its time.
 *
 * The index is compact for 100 000 files and more: the paths in one block,
 * and a sorted array of (offset, size, time), 24 bytes a file besides its
 * path, searched by bisection. Building it is pure
 * (ferry_recorded_times_add() and _seal()), for tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _FerryRecordedTimes FerryRecordedTimes;

FerryRecordedTimes *ferry_recorded_times_new    (void);
/* Adds one path's size and time unless the index already holds the path
 * (an earlier add wins, also within one batch: newest first). Visible to
 * lookups after the next ferry_recorded_times_seal(). */
void                ferry_recorded_times_add    (FerryRecordedTimes *self,
                                                 const char         *path,
                                                 gint64              size,
                                                 gint64              mtime);
/* Sorts the batch added since the last seal into the index. */
void                ferry_recorded_times_seal   (FerryRecordedTimes *self);
/* TRUE with the size and time of `path` (relative, '/'-separated) when
 * it is on record. */
gboolean            ferry_recorded_times_lookup (const FerryRecordedTimes *self,
                                                 const char         *path,
                                                 gint64             *size,
                                                 gint64             *mtime);
guint               ferry_recorded_times_get_count (const FerryRecordedTimes *self);
/* Adds the trusted records of one RUN-ID.records file (see above) and
 * seals; `decided_by_time`: the run said it compared times, so its
 * "identical" up-to-date records count. *untrusted (or NULL) is told how
 * many files were judged by their size alone. FALSE when the file cannot
 * be read (a missing file is empty). */
gboolean            ferry_recorded_times_add_file (FerryRecordedTimes *self,
                                                   const char         *records_path,
                                                   gboolean            decided_by_time,
                                                   guint              *untrusted,
                                                   GError            **error);
/* The transfer's history, as above; an empty index when it has none. */
FerryRecordedTimes *ferry_recorded_times_load   (const char         *transfer_id,
                                                 GCancellable       *cancellable);
void                ferry_recorded_times_free   (FerryRecordedTimes *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryRecordedTimes, ferry_recorded_times_free)

G_END_DECLS
