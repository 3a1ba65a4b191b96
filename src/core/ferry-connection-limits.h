/* ferry-connection-limits.h: how many connections a server accepted, as
 * an earlier run with Connections: Automatic learned it (a 421, a 530 "too
 * many", a refused SFTP channel), remembered per connector for the next
 * runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The limit remembered for the connector with this id, 0 for none. */
guint    ferry_connection_limit_lookup   (const char  *connector_id);

/* Remembers `limit` (1 or more) for the connector; FALSE with the reason
 * when the file could not be written. */
gboolean ferry_connection_limit_remember (const char  *connector_id,
                                          guint        limit,
                                          GError     **error);

/* Forgets what was learned of the connector (it was removed). */
void     ferry_connection_limit_forget   (const char  *connector_id);

G_END_DECLS
