/* ferry-preview-dialog.h: Preview, a visual dry run of a transfer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ferry-outcome.h"
#include "ferry-run-manager.h"

G_BEGIN_DECLS

#define FERRY_TYPE_PREVIEW_DIALOG (ferry_preview_dialog_get_type ())
G_DECLARE_FINAL_TYPE (FerryPreviewDialog, ferry_preview_dialog, FERRY, PREVIEW_DIALOG, AdwWindow)

/* Starts planning at once; "start" is emitted (and the dialog closed)
 * when the user chooses Start Migrating. */
FerryPreviewDialog *ferry_preview_dialog_new       (GtkWindow          *parent,
                                                    FerryRunManager    *manager,
                                                    FerryTransfer      *transfer);
/* The plan's count for one outcome, files and bytes (for tests). */
guint64             ferry_preview_dialog_get_count (FerryPreviewDialog *self,
                                                    FerryOutcomeKind    kind,
                                                    guint64            *bytes);
/* Whether planning has ended (for tests). */
gboolean            ferry_preview_dialog_is_done   (FerryPreviewDialog *self);

G_END_DECLS
