/* ferry-connection-check-smb.c: the connection check's steps for SMB:
 * find the server, connect, negotiate, log in, open the share, list.
 *
 * A placeholder until the libsmbclient backend lands: it finds the server,
 * then says plainly that SMB cannot be checked yet.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-connection-check-private.h"

gboolean
_ferry_connection_check_run_smb (FerryCheckWorker *worker)
{
  if (!_ferry_check_step_resolve (worker))
    return FALSE;
  return _ferry_check_fail_literal (worker, FERRY_CHECK_STEP_CONNECT, FERRY_ERROR_FAILED,
                                    _("This version of Ferry cannot connect to SMB shares yet"),
                                    NULL);
}
