/* ferry-backend-curl.h: the backend for FTP, FTPS and SFTP servers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-backend.h"

G_BEGIN_DECLS

FerryBackend *ferry_backend_curl_new (FerryConnector  *connector,
                                      const char      *password,
                                      GError         **error);

G_END_DECLS
