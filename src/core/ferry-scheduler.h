/* ferry-scheduler.h: runs what is due now (DESIGN.md, "Scheduler").
 *
 * One call for the background instance's minute timer and for
 * `ferry-cli schedule run-due`: every saved transfer whose rule has a slot
 * since the slot it last ran for starts once through the run manager (so
 * the window follows it through "run-started"), however many slots were
 * missed. A transfer that is running already, in this process or another
 * (the run manager's per-transfer lock), is skipped and that is recorded;
 * a run that starts is marked Scheduled=true in the history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ferry-run-manager.h"
#include "ferry-transfer-store.h"

G_BEGIN_DECLS

typedef struct
{
  FerryTransfer *transfer;
  char          *result;   /* a run state nick ("completed", "failed", …) or "skipped" */
  FerryRun      *run;      /* the run once it ended, or NULL when it did not start */
  GError        *error;    /* why it did not start (or was skipped), or NULL */
} FerrySchedulerResult;

void        ferry_scheduler_result_free   (FerrySchedulerResult *result);

/* Starts every due transfer of `transfers` at `now` (NULL: the current local
 * time) and completes when they have all ended. */
void        ferry_scheduler_run_due_async  (FerryRunManager     *manager,
                                            FerryTransferStore  *transfers,
                                            GDateTime           *now,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* One FerrySchedulerResult* per transfer that was due (empty when none). */
GPtrArray  *ferry_scheduler_run_due_finish (FerryRunManager     *manager,
                                            GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
