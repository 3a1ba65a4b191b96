/* ferry-backend-gio.h: the backend for a "GNOME Files location": any
 * location GIO opens through GVfs (dav://, google-drive://, smb://, a
 * mounted share…).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-backend.h"

G_BEGIN_DECLS

FerryBackend *ferry_backend_gio_new       (FerryConnector  *connector,
                                           const char      *password,
                                           GError         **error);

/* For the connection check's steps, each on its own. */

/* Whether this process reaches GVfs at all: GIO is using the GVfs client
 * (not the local-only fallback) and the session's GVfs daemon answers on
 * D-Bus. FALSE says what is missing, in plain words. */
gboolean      ferry_backend_gio_check_gvfs (GError        **error);
/* Mounts the location's enclosing volume unless it is mounted; the
 * password goes to the mount through a GMountOperation. A refused password
 * is FERRY_ERROR_LOGIN. `*was_mounted` says whether it was mounted already. */
gboolean      ferry_backend_gio_mount      (FerryBackend   *backend,
                                            gboolean       *was_mounted,
                                            GCancellable   *cancellable,
                                            GError        **error);
/* Whether the location lets Ferry set modification times (its settable
 * attributes name time::modified). */
gboolean      ferry_backend_gio_can_set_times (FerryBackend *backend,
                                               GCancellable *cancellable);
/* The GVfs backend's own name for the mount ("WebDAV on 127.0.0.1"), or
 * NULL. */
char         *ferry_backend_gio_dup_mount_name (FerryBackend *backend,
                                                GCancellable *cancellable);

G_END_DECLS
