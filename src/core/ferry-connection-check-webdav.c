/* ferry-connection-check-webdav.c: the connection check's steps for
 * WebDAV: find the server, connect, TLS, an HTTP answer, log in, WebDAV
 * offered (OPTIONS and its DAV: header), list (PROPFIND, Depth 1).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-connection-check-private.h"

gboolean
_ferry_connection_check_run_webdav (FerryCheckWorker *worker)
{
  if (!_ferry_check_step_resolve (worker))
    return FALSE;
  return _ferry_check_fail_literal (worker, FERRY_CHECK_STEP_CONNECT, FERRY_ERROR_FAILED,
                                    _("This version of Ferry cannot connect to WebDAV servers yet"),
                                    NULL);
}
