/* ferry-backend-local.h: the backend for this machine's files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-backend.h"

G_BEGIN_DECLS

FerryBackend *ferry_backend_local_new (FerryConnector *connector);

/* One open file of a local backend, for the engine's one-thread copies: a
 * server's data goes straight to disk from libcurl's callback (and back),
 * with no second thread and no buffer between them. */
typedef struct _FerryLocalFile FerryLocalFile;

/* For reading from `offset`, or for writing: offset 0 creates or truncates,
 * offset > 0 appends to a file exactly that long. NULL with an error. */
FerryLocalFile *ferry_local_file_open  (const char      *path,
                                        guint64          offset,
                                        gboolean         for_writing,
                                        GError         **error);
/* 0 at the end, -1 with an error. */
gssize          ferry_local_file_read  (FerryLocalFile  *file,
                                        guint8          *buffer,
                                        gsize            length,
                                        GError         **error);
gboolean        ferry_local_file_write (FerryLocalFile  *file,
                                        const guint8    *data,
                                        gsize            length,
                                        GError         **error);
/* Closes and frees; a full disk may show only here. */
gboolean        ferry_local_file_close (FerryLocalFile  *file,
                                        GError         **error);

G_END_DECLS
