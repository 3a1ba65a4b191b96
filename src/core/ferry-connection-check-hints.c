/* ferry-connection-check-hints.c: what to do when a step of the connection
 * check fails, in words a user can act on (see ferry-connection-check.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-connection-check-private.h"

char *
_ferry_connection_check_hint_for (FerryCheckStep      step,
                                  FerryError          code,
                                  FerryConnectorKind  kind,
                                  const char         *server,
                                  guint16             port)
{
  const char *host = server != NULL ? server : "";

  switch (code)
    {
    case FERRY_ERROR_RESOLVE:
      return g_strdup_printf (_("Ferry could not find a server called “%s”. Check the name for typing "
                                "mistakes; if it is right, check this computer’s network connection."),
                              host);
    case FERRY_ERROR_CONNECT:
      if (kind == FERRY_CONNECTOR_KIND_WEBDAV || kind == FERRY_CONNECTOR_KIND_WEBDAVS)
        return g_strdup_printf (_("Nothing answered on port %u of %s. Check that the port is right "
                                  "(WebDAV over TLS usually uses 443, plain WebDAV 80), that the "
                                  "server is running, and that its firewall lets this computer’s "
                                  "address in."),
                                port, host);
      return g_strdup_printf (_("Nothing answered on port %u of %s. Check that the port is right "
                                "(FTP usually uses 21, implicit FTP over TLS 990, SFTP 22), that the "
                                "server is running, and that its firewall or allow-list lets this "
                                "computer’s address in."),
                              port, host);
    case FERRY_ERROR_TLS_REQUIRED:
      return g_strdup (_("The server only accepts encrypted logins. Choose “FTP over TLS (explicit)” "
                         "as the type."));
    case FERRY_ERROR_TLS:
      if (kind == FERRY_CONNECTOR_KIND_FTPS_IMPLICIT)
        return g_strdup (_("The secure connection failed. Servers on port 21 usually expect TLS to be "
                           "started after connecting: try “FTP over TLS (explicit)”."));
      if (kind == FERRY_CONNECTOR_KIND_FTPS_EXPLICIT)
        return g_strdup (_("The secure connection failed. Servers on port 990 usually expect TLS from "
                           "the first byte: try “FTP over TLS (implicit)”."));
      return g_strdup (_("The secure connection failed. Check that the type matches the server."));
    case FERRY_ERROR_LOGIN:
      return g_strdup (_("The server refused the user name or password. Check both and try again; "
                         "they are case-sensitive."));
    case FERRY_ERROR_DATA_CHANNEL:
      return g_strdup (_("Ferry logged in, but the server could not open a data connection. The server "
                         "must allow passive mode (Ferry never uses active mode): ask its administrator "
                         "to open its passive port range in the firewall."));
    case FERRY_ERROR_TOO_MANY:
      return g_strdup (_("The server has too many connections open right now. Wait a little and try "
                         "again; Ferry will use fewer connections to it."));
    case FERRY_ERROR_UNTRUSTED:
      if (kind == FERRY_CONNECTOR_KIND_SFTP)
        return g_strdup (_("This is the first connection to this SFTP server. Compare its host key "
                           "fingerprint below with the one your hosting provider gives you, and trust "
                           "it only if they match."));
      return g_strdup (_("This computer does not trust the server’s certificate. Compare its "
                         "fingerprint below with the one your hosting provider gives you, and trust "
                         "it only if they match."));
    case FERRY_ERROR_PIN_MISMATCH:
      return g_strdup (_("The server presents a different key from the one you trusted. That happens "
                         "when a certificate or server is replaced — or when someone intercepts the "
                         "connection. Ask the server’s administrator before you trust the new one."));
    case FERRY_ERROR_NOT_FOUND:
    case FERRY_ERROR_PERMISSION:
      return g_strdup (_("Ferry logged in, but could not list the folder. Check that it exists and "
                         "that this user may read it."));
    case FERRY_ERROR_CANCELLED:
      return NULL;
    case FERRY_ERROR_PROTOCOL:
      return g_strdup (_("The server did not answer the way an FTP or SFTP server should. Check the "
                         "type and the port."));
    default:
      break;
    }

  if (step == FERRY_CHECK_STEP_LIST)
    return g_strdup (_("Ferry logged in, but listing the folder failed. Try again; if it keeps "
                       "failing, check the folder and the server’s log."));
  return g_strdup (_("The connection failed. Check the server, port and type, and try again."));
}
