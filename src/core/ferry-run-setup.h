/* ferry-run-setup.h: a FerryRun ready to start for a saved transfer.
 *
 * Finds the transfer's two connectors (the built-in "local" one or a saved
 * one), looks their passwords up in the keyring on a worker thread and
 * builds the run, so the Migration Manager and ferry-cli set runs up alike.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ferry-connector-store.h"
#include "ferry-run.h"
#include "ferry-transfer.h"

G_BEGIN_DECLS

/* FERRY_ERROR_NOT_FOUND when a connector was removed; keyring errors as the
 * store reports them. */
void            ferry_run_setup_async          (FerryTransfer        *transfer,
                                                FerryConnectorStore  *store,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
FerryRun       *ferry_run_setup_finish         (GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS
