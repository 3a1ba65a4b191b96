/* ferry-connector-chooser.h: pick one connector, or authorize a new one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ferry-connector-store.h"

G_BEGIN_DECLS

#define FERRY_TYPE_CONNECTOR_CHOOSER (ferry_connector_chooser_get_type ())

G_DECLARE_FINAL_TYPE (FerryConnectorChooser, ferry_connector_chooser, FERRY, CONNECTOR_CHOOSER, AdwBin)

GtkWidget      *ferry_connector_chooser_new          (void);
void            ferry_connector_chooser_set_store    (FerryConnectorChooser *self,
                                                      FerryConnectorStore   *store);
/* Borrowed; NULL while none is chosen. */
FerryConnector *ferry_connector_chooser_get_selected (FerryConnectorChooser *self);
/* Chooses the connector with that id ("local" included); FALSE if absent. */
gboolean        ferry_connector_chooser_select_id    (FerryConnectorChooser *self,
                                                      const char            *id);
/* Puts the keyboard focus on the chosen connector's row, or the first. */
gboolean        ferry_connector_chooser_focus_choice (FerryConnectorChooser *self);

G_END_DECLS
