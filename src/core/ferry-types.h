/* ferry-types.h: the core's types named ahead of their headers, and the
 * enums more than one header needs, so a header that only mentions a type
 * need not include the header that defines it (GNOME Text Editor's
 * editor-types.h does the same).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _FerryBackend          FerryBackend;
typedef struct _FerryConnectionCheck  FerryConnectionCheck;
typedef struct _FerryConnector        FerryConnector;
typedef struct _FerryConnectorStore   FerryConnectorStore;
typedef struct _FerryRun              FerryRun;
typedef struct _FerryTransfer         FerryTransfer;
typedef struct _FerryTransferStore    FerryTransferStore;

typedef enum
{
  FERRY_CONNECTOR_KIND_FTP,
  FERRY_CONNECTOR_KIND_FTPS_EXPLICIT,
  FERRY_CONNECTOR_KIND_FTPS_IMPLICIT,
  FERRY_CONNECTOR_KIND_SFTP,
  FERRY_CONNECTOR_KIND_WEBDAV,
  FERRY_CONNECTOR_KIND_WEBDAVS,
  FERRY_CONNECTOR_KIND_SMB,
  FERRY_CONNECTOR_KIND_LOCAL,
  /* Any location GIO opens through GVfs (ferry-backend-gio.c). */
  FERRY_CONNECTOR_KIND_GIO,
} FerryConnectorKind;

G_END_DECLS
