/* ferry-authorize-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ferry-connection-check.h"
#include "ferry-connector-store.h"

G_BEGIN_DECLS

#define FERRY_TYPE_AUTHORIZE_DIALOG (ferry_authorize_dialog_get_type ())

G_DECLARE_FINAL_TYPE (FerryAuthorizeDialog, ferry_authorize_dialog, FERRY, AUTHORIZE_DIALOG, AdwWindow)

/* `connector` NULL: authorize a new connector of `kind`; otherwise
 * reauthorize that saved connector (same id, password asked again). */
FerryAuthorizeDialog *ferry_authorize_dialog_new       (GtkWindow            *parent,
                                                        FerryConnectorStore  *store,
                                                        FerryConnector       *connector,
                                                        FerryConnectorKind    kind);
FerryConnectionCheck *ferry_authorize_dialog_get_check (FerryAuthorizeDialog *self);
gboolean              ferry_authorize_dialog_get_busy  (FerryAuthorizeDialog *self);

G_END_DECLS
