/* ferry-connector.h: a saved way into one place (DESIGN.md, "Connector").
 *
 * The model only: no I/O here. The password is deliberately not a property;
 * it lives in the keyring and is fetched by FerryConnectorStore when needed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ferry-enums.h"
#include "ferry-types.h"

G_BEGIN_DECLS

/* "ftp", "ftps-explicit", "ftps-implicit", "sftp", "webdav", "webdavs",
 * "smb", "local", "gio" (DESIGN.md) */
const char *ferry_connector_kind_to_string       (FerryConnectorKind  kind);
gboolean    ferry_connector_kind_from_string     (const char         *string,
                                                  FerryConnectorKind *kind);
/* Translated, for people: "FTP over TLS (explicit)" */
const char *ferry_connector_kind_get_label       (FerryConnectorKind  kind);
guint16     ferry_connector_kind_get_default_port (FerryConnectorKind kind);
/* Whose certificate is shown and pinned: FTPS and WebDAV over TLS. */
gboolean    ferry_connector_kind_uses_tls        (FerryConnectorKind  kind);
/* Whether the kind has a Domain/Workgroup field (SMB). */
gboolean    ferry_connector_kind_has_domain      (FerryConnectorKind  kind);

#define FERRY_TYPE_CONNECTOR (ferry_connector_get_type ())

G_DECLARE_FINAL_TYPE (FerryConnector, ferry_connector, FERRY, CONNECTOR, GObject)

/* A new connector with a fresh UUID and the kind's default port. */
FerryConnector     *ferry_connector_new          (FerryConnectorKind kind);
/* The built-in connector for this machine's files, named "local". */
FerryConnector     *ferry_connector_get_local    (void);
FerryConnector     *ferry_connector_copy         (FerryConnector    *self);

const char         *ferry_connector_get_id       (FerryConnector    *self);
const char         *ferry_connector_get_name     (FerryConnector    *self);
void                ferry_connector_set_name     (FerryConnector    *self,
                                                  const char        *name);
FerryConnectorKind  ferry_connector_get_kind     (FerryConnector    *self);
void                ferry_connector_set_kind     (FerryConnector    *self,
                                                  FerryConnectorKind kind);
const char         *ferry_connector_get_server   (FerryConnector    *self);
void                ferry_connector_set_server   (FerryConnector    *self,
                                                  const char        *server);
guint16             ferry_connector_get_port     (FerryConnector    *self);
void                ferry_connector_set_port     (FerryConnector    *self,
                                                  guint16            port);
const char         *ferry_connector_get_username (FerryConnector    *self);
void                ferry_connector_set_username (FerryConnector    *self,
                                                  const char        *username);
/* "sha256//BASE64" of the trusted certificate public key (as libcurl's
 * CURLOPT_PINNEDPUBLICKEY takes it), or "SHA256:BASE64" of an SSH host key;
 * NULL or "" when system trust suffices. */
const char         *ferry_connector_get_pin      (FerryConnector    *self);
void                ferry_connector_set_pin      (FerryConnector    *self,
                                                  const char        *pin);

/* SMB's Domain or Workgroup; NULL when none (the server's default). */
const char         *ferry_connector_get_domain   (FerryConnector    *self);
void                ferry_connector_set_domain   (FerryConnector    *self,
                                                  const char        *domain);
/* The folder the folder chooser opens at, absolute from the server's root
 * ("/remote.php/dav/files/alice/"), as a pasted address named it; NULL
 * when none. */
const char         *ferry_connector_get_folder   (FerryConnector    *self);
void                ferry_connector_set_folder   (FerryConnector    *self,
                                                  const char        *folder);
/* Applies what people paste into the Server field (ferry-address.h): the
 * host, and the port, type, user, domain and start folder where the text
 * names them. With `keep_kind` a scheme in the text does not change the
 * type (ferry-cli's explicit --type wins). The one place a pasted address
 * becomes connector fields, for the window and ferry-cli alike. */
gboolean            ferry_connector_set_address  (FerryConnector    *self,
                                                  const char        *text,
                                                  gboolean           keep_kind,
                                                  GError           **error);

/* Every field acceptable on its own (name, server, port, username)? */
gboolean            ferry_connector_validate     (FerryConnector    *self,
                                                  GError           **error);
/* "user@server" or "server", for rows and labels. */
char               *ferry_connector_dup_display  (FerryConnector    *self);
/* scheme://server:port/path for libcurl; never carries credentials. `path`
 * is absolute from the server's root (FTP too: "/%2Fpath"); NULL is the
 * login folder. */
char               *ferry_connector_dup_url      (FerryConnector    *self,
                                                  const char        *path);

G_END_DECLS
