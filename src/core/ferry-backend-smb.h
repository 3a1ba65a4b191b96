/* ferry-backend-smb.h: the backend for SMB shares (SMB2 and SMB3) through
 * libsmbclient, Samba's client library.
 *
 * A Ferry path names the share first: "/Projects/site/index.html" is the
 * file site/index.html on the share "Projects"; "/" lists the shares.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-backend.h"

G_BEGIN_DECLS

FerryBackend *ferry_backend_smb_new (FerryConnector  *connector,
                                     const char      *password,
                                     GError         **error);

/* The disk shares `connector`'s server offers to this login, sorted, hidden
 * ones ("C$") left out; NULL with an error (FERRY_ERROR_LOGIN for refused
 * credentials). For the connection check and for messages about a share
 * that does not exist. */
GStrv         ferry_backend_smb_list_shares (FerryBackend  *backend,
                                             GError       **error);

/* "smb://server:port/SHARE/path" with each name escaped, as libsmbclient
 * takes it; never carries credentials. Pure: for tests. */
char         *ferry_backend_smb_build_url   (const char    *server,
                                             guint16        port,
                                             const char    *path);

G_END_DECLS
