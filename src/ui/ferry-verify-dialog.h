/* ferry-verify-dialog.h: User Actions → Verify.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ferry-run-manager.h"

G_BEGIN_DECLS

#define FERRY_TYPE_VERIFY_DIALOG (ferry_verify_dialog_get_type ())
G_DECLARE_FINAL_TYPE (FerryVerifyDialog, ferry_verify_dialog, FERRY, VERIFY_DIALOG, AdwWindow)

/* Starts a verification by listing at once; Compare Contents starts one
 * with checksums. "copy-again" (with the FerryTransfer and the
 * verification's run id) is emitted, and the dialog closed, when the user
 * chooses Copy Again on a difference: the caller copies exactly what that
 * verification found missing or different (ferry_run_set_repair()). */
FerryVerifyDialog *ferry_verify_dialog_new (GtkWindow       *parent,
                                            FerryRunManager *manager,
                                            FerryTransfer   *transfer);

G_END_DECLS
