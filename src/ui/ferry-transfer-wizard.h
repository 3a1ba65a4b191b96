/* ferry-transfer-wizard.h: create or edit a transfer, step by step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ferry-connector-store.h"
#include "ferry-transfer-store.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TRANSFER_WIZARD (ferry_transfer_wizard_get_type ())

G_DECLARE_FINAL_TYPE (FerryTransferWizard, ferry_transfer_wizard, FERRY, TRANSFER_WIZARD, AdwWindow)

/* `transfer` NULL: a new transfer; otherwise Edit, every step filled in from
 * it, saved under its id. FerryTransferWizard::done (transfer, start) is
 * emitted once the transfer is saved in `transfers`; `start` says whether
 * the user chose Start Migrating. FerryTransferWizard::preview (transfer)
 * asks for a Preview of what the wizard holds now: `transfer` is not
 * saved, and the wizard stays open on its options. */
FerryTransferWizard *ferry_transfer_wizard_new          (GtkWindow           *parent,
                                                         FerryConnectorStore *connectors,
                                                         FerryTransferStore  *transfers,
                                                         FerryTransfer       *transfer);
/* "source", "source-folder", "destination", "destination-folder", "options" */
const char          *ferry_transfer_wizard_get_step     (FerryTransferWizard *self);

G_END_DECLS
