/* ferry-backend-smb.c: the SMB backend (see ferry-backend-smb.h).
 *
 * A placeholder until the libsmbclient backend lands: an SMB connector can
 * be saved, but a session into it says plainly that it cannot be used yet.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-backend-smb.h"
#include "ferry-error.h"

FerryBackend *
ferry_backend_smb_new (FerryConnector  *connector,
                       const char      *password,
                       GError         **error)
{
  g_return_val_if_fail (FERRY_IS_CONNECTOR (connector), NULL);

  (void) password;
  g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                       _("This version of Ferry cannot copy to or from SMB shares yet"));
  return NULL;
}
