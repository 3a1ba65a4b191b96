/* ferry-delete-confirm.h: asks once before a transfer's first run that
 * deletes anything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ferry-run-manager.h"
#include "ferry-transfer.h"

G_BEGIN_DECLS

/* Completes with TRUE when the run may start: the transfer does not delete
 * (Delete=false), it has deleted before (a run in its history removed
 * something, so the question was answered then), a preview finds nothing
 * to delete, or the person chose Delete in the dialog that gives the
 * count. FALSE when they chose Cancel or the preview failed (its reason in
 * `error`). */
void     ferry_delete_confirm_async  (GtkWindow            *parent,
                                      FerryRunManager      *manager,
                                      FerryTransfer        *transfer,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
gboolean ferry_delete_confirm_finish (GAsyncResult         *result,
                                      GError              **error);

G_END_DECLS
