/* ferry-backend-local.h: the backend for this machine's files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-backend.h"

G_BEGIN_DECLS

FerryBackend *ferry_backend_local_new (FerryConnector *connector);

G_END_DECLS
