/* ferry-connector-private.h: what the tests of ferry-connector.c call
 * besides its public API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-connector.h"

G_BEGIN_DECLS

/* Whether the port was chosen by the user rather than following the type. */
gboolean _ferry_connector_get_port_set (FerryConnector  *self);
/* Applies what ferry_address_parse() understood of a pasted Server field:
 * host, and port, type and username where the text named them. */
gboolean _ferry_connector_set_address  (FerryConnector  *self,
                                        const char      *text,
                                        GError         **error);

G_END_DECLS
