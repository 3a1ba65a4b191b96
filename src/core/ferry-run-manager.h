/* ferry-run-manager.h: the runs of this process (DESIGN.md, "Run manager").
 *
 * One object per application, not per window: the Migration Manager,
 * ferry-cli and the scheduler start, follow and stop runs through it. It is
 * a GListModel of the FerryRuns under way; "run-started" and
 * "run-finished" say when one comes and goes, so a window opened later
 * picks up the runs already going. Every run is set up by
 * ferry_run_setup_async(): the connectors found once, the passwords read
 * from the keyring on a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ferry-connector-store.h"
#include "ferry-run.h"
#include "ferry-transfer.h"

G_BEGIN_DECLS

#define FERRY_TYPE_RUN_MANAGER (ferry_run_manager_get_type ())
G_DECLARE_FINAL_TYPE (FerryRunManager, ferry_run_manager, FERRY, RUN_MANAGER, GObject)

FerryRunManager     *ferry_run_manager_new                 (void);

/* The store saved connectors and passwords come from; NULL while the
 * keyring is not read yet (runs between local folders need none). */
void                 ferry_run_manager_set_connector_store (FerryRunManager      *self,
                                                            FerryConnectorStore  *store);
FerryConnectorStore *ferry_run_manager_get_connector_store (FerryRunManager      *self);

/* Sets a run of `transfer` up and starts it; completes when the run has
 * ended. FERRY_ERROR_EXISTS when that transfer is being set up or running
 * already; the setup's errors otherwise (a removed connector, the
 * keyring). `cancellable` stops the setup and the run. */
void                 ferry_run_manager_start_async         (FerryRunManager      *self,
                                                            FerryTransfer        *transfer,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
/* The same with options: `checksum` compares contents where the listings
 * agree and copies what differs (ferry_run_get_checksum()); `repair_of`, a
 * verification's run id or NULL, copies only what it found missing or
 * different (ferry_run_set_repair(): Copy Again). */
void                 ferry_run_manager_copy_async          (FerryRunManager      *self,
                                                            FerryTransfer        *transfer,
                                                            gboolean              checksum,
                                                            const char           *repair_of,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
/* The same for a preview: a dry run (ferry_run_set_dry_run()) that plans
 * without writing; "preview-started" hands it over once set up, and
 * ferry_run_manager_start_finish() gives it back at its end. */
void                 ferry_run_manager_preview_async       (FerryRunManager      *self,
                                                            FerryTransfer        *transfer,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
/* The same for a verification (ferry_run_set_kind()): a run in the model
 * and the history like the others, "run-started" and "run-finished"
 * included; `checksum` compares contents too. */
void                 ferry_run_manager_verify_async        (FerryRunManager      *self,
                                                            FerryTransfer        *transfer,
                                                            gboolean              checksum,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
/* The run once it ended, whatever its state (see ferry_run_get_state() and
 * ferry_run_get_error()); NULL with the reason when it could not start. */
FerryRun            *ferry_run_manager_start_finish        (FerryRunManager      *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* Whether a run of the transfer is being set up or going. */
gboolean             ferry_run_manager_is_busy             (FerryRunManager      *self,
                                                            const char           *transfer_id);
/* The transfer's run under way, or NULL. Borrowed. */
FerryRun            *ferry_run_manager_lookup              (FerryRunManager      *self,
                                                            const char           *transfer_id);
/* Stops the transfer's run (or its setup); nothing when there is none. */
void                 ferry_run_manager_stop                (FerryRunManager      *self,
                                                            const char           *transfer_id);
void                 ferry_run_manager_stop_all            (FerryRunManager      *self);

G_END_DECLS
