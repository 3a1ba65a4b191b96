/* ferry-address.h: what people paste into the Server field, understood.
 *
 * Pure functions, no I/O: `ftp.example.com`, `ftp://user@host:2121/site/`,
 * `sftp://host`, `[2001:db8::1]:2121`, `192.0.2.7`,
 * `https://cloud.example.com/remote.php/dav/files/alice/`,
 * `smb://WORKGROUP;bob@nas.local/Share/Folder`… become a host, a port, a
 * type, a user, a domain and a start folder; anything else is refused with
 * a message that says why, fit to show under the field.
 *
 * FerryConnector applies the result (ferry_connector_set_address()): the
 * window and ferry-cli call that, never this parser's fields one by one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ferry-types.h"

G_BEGIN_DECLS

typedef struct
{
  char               *host;      /* IPv6 without brackets; IDN in ASCII form */
  guint16             port;      /* 0 when the text named none */
  gboolean            has_kind;  /* the text had a scheme */
  FerryConnectorKind  kind;
  char               *username;  /* NULL when none */
  char               *path;      /* start folder, NULL when none */
  char               *domain;    /* SMB "DOMAIN;user@", NULL when none */
} FerryAddress;

FerryAddress *ferry_address_parse      (const char   *text,
                                        GError      **error);
void          ferry_address_free       (FerryAddress *address);
gboolean      ferry_address_parse_port (const char   *text,
                                        guint16      *port,
                                        GError      **error);
gboolean      ferry_address_check_host (const char   *host,
                                        GError      **error);
/* "host" or "[v6]" as it goes into a URL. */
char         *ferry_address_format_host (const char  *host);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryAddress, ferry_address_free)

G_END_DECLS
