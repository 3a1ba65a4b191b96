/* ferry-run.h: one execution of a transfer (DESIGN.md, "Engine" and
 * "Events").
 *
 * A run walks the source with the planner and copies in a thread: N workers,
 * each with its own source and destination FerryBackend, so a worker logs in
 * once and reuses its sessions across files. Workers never touch this
 * object: they fill a queue that a source on the main context of
 * ferry_run_start_async() drains at most ten times a second, updating the
 * properties (notified only on change) and the log model.
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
#include "ferry-run-history.h"
#include "ferry-transfer.h"

G_BEGIN_DECLS

#define FERRY_TYPE_RUN_STATE (ferry_run_state_get_type ())
GType ferry_run_state_get_type (void) G_GNUC_CONST;

typedef enum
{
  FERRY_LOG_INFO,
  FERRY_LOG_WARNING,
  FERRY_LOG_ERROR,
} FerryLogLevel;

#define FERRY_TYPE_LOG_LEVEL (ferry_log_level_get_type ())
GType ferry_log_level_get_type (void) G_GNUC_CONST;

#define FERRY_TYPE_LOG_LINE (ferry_log_line_get_type ())
G_DECLARE_FINAL_TYPE (FerryLogLine, ferry_log_line, FERRY, LOG_LINE, GObject)

FerryLogLine  *ferry_log_line_new        (gint64         time,
                                          FerryLogLevel  level,
                                          const char    *text,
                                          const char    *path);
/* Seconds since the epoch, UTC. */
gint64         ferry_log_line_get_time   (FerryLogLine  *self);
FerryLogLevel  ferry_log_line_get_level  (FerryLogLine  *self);
const char    *ferry_log_line_get_text   (FerryLogLine  *self);
/* The file the line is about, relative to the transfer's folders, or NULL. */
const char    *ferry_log_line_get_path   (FerryLogLine  *self);
/* "2026-11-25 01:02:03  error    TEXT", as the log file has it. */
char          *ferry_log_line_format     (FerryLogLine  *self);

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
guint64        ferry_run_get_files_done      (FerryRun             *self);
guint64        ferry_run_get_files_total     (FerryRun             *self);
guint64        ferry_run_get_files_skipped   (FerryRun             *self);
guint64        ferry_run_get_files_failed    (FerryRun             *self);
guint64        ferry_run_get_bytes_done      (FerryRun             *self);
guint64        ferry_run_get_bytes_total     (FerryRun             *self);
guint64        ferry_run_get_bytes_per_second (FerryRun            *self);
/* Seconds left, or -1 while unknown (the walk is still counting). */
gint64         ferry_run_get_eta             (FerryRun             *self);
/* FerryLogLine items, oldest first. */
GListModel    *ferry_run_get_log             (FerryRun             *self);

G_END_DECLS
