/* ferry-backend-smb.h: a session into an SMB share (SMB2 and SMB3) through
 * libsmbclient, one context per worker (DESIGN.md, "Backend").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-backend.h"

G_BEGIN_DECLS

FerryBackend *ferry_backend_smb_new (FerryConnector  *connector,
                                     const char      *password,
                                     GError         **error);

G_END_DECLS
