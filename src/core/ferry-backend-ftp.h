/* ferry-backend-ftp.h: a session into an FTP server, plain or over TLS
 * (explicit or implicit), through libcurl (DESIGN.md, "Backend").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-backend.h"

G_BEGIN_DECLS

FerryBackend *ferry_backend_ftp_new (FerryConnector  *connector,
                                     const char      *password,
                                     GError         **error);

G_END_DECLS
