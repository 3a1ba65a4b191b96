/* ferry-run.h: one execution of a transfer (DESIGN.md, "Engine" and
 * "Events").
 *
 * A run walks the source with the planner and copies in a thread: N workers,
 * each with its own source and destination FerryBackend, so a worker logs in
 * once and reuses its sessions across files. Workers never touch this
 * object: they fill a queue that a source on the main context of
 * ferry_run_start_async() drains at most ten times a second (and at once
 * when the run ends), updating the properties (notified only on change)
 * and the log model.
 *
 * Every file or folder the run considers gets an outcome record in
 * RUN-ID.records as soon as it is done with (ferry-outcome.h), and every
 * log line goes to the run's journal (ferry-log-line.h).
 *
 * Every file is written under ferry_path_temp_name(), its size checked, its
 * time set, and only then renamed to its final name. Transient failures
 * retry with backoff and resume from the partial copy; a "too many
 * connections" answer lowers the number of workers for the rest of the run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ferry-connector.h"
#include "ferry-log-line.h"
#include "ferry-run-history.h"
#include "ferry-transfer.h"

G_BEGIN_DECLS

#define FERRY_TYPE_RUN (ferry_run_get_type ())
G_DECLARE_FINAL_TYPE (FerryRun, ferry_run, FERRY, RUN, GObject)

/* The passwords are copied and wiped when the run is finalized; NULL for
 * local connectors. */
FerryRun      *ferry_run_new                 (FerryTransfer        *transfer,
                                              FerryConnector       *source,
                                              const char           *source_password,
                                              FerryConnector       *destination,
                                              const char           *destination_password);

/* Once per FerryRun. `cancellable` (or ferry_run_cancel()) stops the run
 * within about a second; finished copies stay, partial ones keep their
 * temporary names so the next run resumes them. */
void           ferry_run_start_async         (FerryRun             *self,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
/* TRUE when the run got through the tree (completed, or completed with
 * errors: see the state); FALSE with the reason when it failed or was
 * cancelled (FERRY_ERROR_CANCELLED). */
gboolean       ferry_run_finish              (FerryRun             *self,
                                              GAsyncResult         *result,
                                              GError              **error);
void           ferry_run_cancel              (FerryRun             *self);

FerryTransfer *ferry_run_get_transfer        (FerryRun             *self);
FerryRunState  ferry_run_get_state           (FerryRun             *self);
/* The connections the run may use now: the transfer's number, or what
 * Connections: Automatic chose (the log says why). */
guint64        ferry_run_get_connections     (FerryRun             *self);
guint64        ferry_run_get_files_done      (FerryRun             *self);
guint64        ferry_run_get_files_total     (FerryRun             *self);
guint64        ferry_run_get_files_skipped   (FerryRun             *self);
guint64        ferry_run_get_files_failed    (FerryRun             *self);
guint64        ferry_run_get_bytes_done      (FerryRun             *self);
guint64        ferry_run_get_bytes_total     (FerryRun             *self);
/* Of bytes-total, what the files skipped as identical hold: with
 * bytes-done, how far the run is through bytes-total. */
guint64        ferry_run_get_bytes_skipped   (FerryRun             *self);
guint64        ferry_run_get_bytes_per_second (FerryRun            *self);
/* Seconds left, or -1 while unknown (the walk is still counting). */
gint64         ferry_run_get_eta             (FerryRun             *self);
/* TRUE once the walk is done: files-total and bytes-total are final from
 * then on (they grow while it goes). */
gboolean       ferry_run_get_total_known     (FerryRun             *self);
/* The files being copied right now, relative to the transfer's folders,
 * in the order they started: one per connection at most, empty between
 * files and at the end. Never NULL. */
const char * const *ferry_run_get_current_files (FerryRun          *self);
/* FerryLogLine items, oldest first. */
GListModel    *ferry_run_get_log             (FerryRun             *self);
/* Takes the first `n_lines` lines out of the log model: a front end that
 * has shown them and needs them no more (ferry-cli) keeps a run of many
 * files from holding a line of each in memory. The run's log file keeps
 * every line. */
void           ferry_run_release_log         (FerryRun             *self,
                                              guint                 n_lines);
/* The run's id in the transfer's history, once started; NULL before. */
const char    *ferry_run_get_id              (FerryRun             *self);
/* Before it starts: plan only (a preview). The run walks both sides with
 * the transfer's filters and creates nothing, writes nothing and leaves no
 * history; what it would do with each file comes as FerryOutcome items in
 * ferry_run_get_plan() (COPIED meaning "would copy", and so on). */
void           ferry_run_set_dry_run         (FerryRun             *self,
                                              gboolean              dry_run);
gboolean       ferry_run_get_dry_run         (FerryRun             *self);
/* Before it starts: FERRY_RUN_KIND_VERIFY compares instead of copying.
 * Both sides are walked with the transfer's filters and nothing is
 * written at the destination; every file gets a record (MATCHES, MISSING,
 * DIFFERS with "size", "time", "content" or "type" as its reason, EXTRA)
 * and the run is kept in the history as Kind=verify. With `checksum`, files
 * alike by listing are compared by SHA-256 (or the hash both servers
 * offer), read by the transfer's connections in parallel. */
void           ferry_run_set_kind            (FerryRun             *self,
                                              FerryRunKind          kind,
                                              gboolean              checksum);
/* A copy with `checksum` compares contents too: a file alike by listing
 * (same size and time) is read, or hashed by its servers, on both sides
 * and copied again when the contents differ (ferry-cli run --checksum). */
gboolean       ferry_run_get_checksum        (FerryRun             *self);
/* Before it starts, on a copy: copy only what the verification
 * `verification_id` (a run id of the same transfer) found missing or
 * different, by its outcome records; a file that differed in content is
 * compared by content again and copied when it still differs. Everything
 * else the walk meets is left alone, neither counted nor recorded. The
 * records are read by the run's thread; a verification that cannot be
 * read fails the run. */
void           ferry_run_set_repair          (FerryRun             *self,
                                              const char           *verification_id);
FerryRunKind   ferry_run_get_kind            (FerryRun             *self);
/* Files a verification found missing, differing or extra. */
guint64        ferry_run_get_differences     (FerryRun             *self);
/* Files and folders removed because the source no longer has them. */
guint64        ferry_run_get_files_deleted   (FerryRun             *self);
/* A dry run's plan, FerryOutcome items in walk order, growing as it goes. */
GListModel    *ferry_run_get_plan            (FerryRun             *self);
/* Why the run failed or was cancelled, once it has; NULL otherwise. */
const GError  *ferry_run_get_error           (FerryRun             *self);

/* Time left as people read it, "4:05" or "1:02:03"; "–" while unknown
 * (seconds < 0). For the window and ferry-cli alike. */
char          *ferry_format_eta              (gint64                seconds);

G_END_DECLS
