/* ferry-connectors-window.h: saved connectors and the way to add more.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ferry-connector-store.h"

G_BEGIN_DECLS

#define FERRY_TYPE_CONNECTORS_WINDOW (ferry_connectors_window_get_type ())

G_DECLARE_FINAL_TYPE (FerryConnectorsWindow, ferry_connectors_window, FERRY, CONNECTORS_WINDOW, AdwWindow)

FerryConnectorsWindow *ferry_connectors_window_new       (GtkWindow             *parent,
                                                          FerryConnectorStore   *store);
/* Reloads the list from the keyring (also done when the window opens). */
void                   ferry_connectors_window_reload    (FerryConnectorsWindow *self);

G_END_DECLS
