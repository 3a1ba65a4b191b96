/* ferry-backend-webdav.h: a session into a WebDAV server (Nextcloud,
 * ownCloud, Apache mod_dav, rclone…) over HTTP or HTTPS through libcurl
 * (DESIGN.md, "Backend").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-backend.h"

G_BEGIN_DECLS

FerryBackend *ferry_backend_webdav_new (FerryConnector  *connector,
                                        const char      *password,
                                        GError         **error);

/* What the connection check tells people: the HTTP status of the last
 * request, and the answer's headers that matter. */
typedef struct
{
  long status;
  char *server;        /* "Server:" */
  char *dav;           /* "DAV:" of an OPTIONS answer */
  char *allow;         /* "Allow:" */
  gboolean nextcloud;  /* Nextcloud or ownCloud (their headers) */
} FerryWebdavAnswer;

void          ferry_webdav_answer_clear (FerryWebdavAnswer *answer);
/* OPTIONS on `path`; FALSE only when no HTTP answer came at all. */
gboolean      ferry_backend_webdav_options (FerryBackend       *backend,
                                            const char         *path,
                                            FerryWebdavAnswer  *answer,
                                            GCancellable       *cancellable,
                                            GError            **error);
/* The libcurl error and state of the last call, for the check's steps. */
gboolean      ferry_backend_webdav_logged_in (FerryBackend     *backend);

G_END_DECLS
