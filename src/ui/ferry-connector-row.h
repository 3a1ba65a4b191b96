/* ferry-connector-row.h: one saved connector in a list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ferry-connector.h"

G_BEGIN_DECLS

#define FERRY_TYPE_CONNECTOR_ROW (ferry_connector_row_get_type ())

G_DECLARE_FINAL_TYPE (FerryConnectorRow, ferry_connector_row, FERRY, CONNECTOR_ROW, AdwActionRow)

GtkWidget      *ferry_connector_row_new           (FerryConnector    *connector);
FerryConnector *ferry_connector_row_get_connector (FerryConnectorRow *self);

G_END_DECLS
