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
      if (kind == FERRY_CONNECTOR_KIND_GIO)
        return g_strdup_printf (_("GVfs could not open %s. Open it once in GNOME Files to see what it "
                                  "says, and check that the desktop’s GVfs service is running."),
                                host);
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
      if (kind == FERRY_CONNECTOR_KIND_GIO)
        return g_strdup (_("Open the location once in GNOME Files and answer its question there, then "
                           "try again."));
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

/* Which step of the check a failure met elsewhere (a run's logins and
 * first listing) belongs to, by its code. */
static FerryCheckStep
step_of (FerryError code)
{
  switch (code)
    {
    case FERRY_ERROR_RESOLVE:
      return FERRY_CHECK_STEP_RESOLVE;
    case FERRY_ERROR_CONNECT:
    case FERRY_ERROR_TOO_MANY:
    case FERRY_ERROR_PROTOCOL:
      return FERRY_CHECK_STEP_CONNECT;
    case FERRY_ERROR_TLS:
    case FERRY_ERROR_TLS_REQUIRED:
    case FERRY_ERROR_UNTRUSTED:
    case FERRY_ERROR_PIN_MISMATCH:
      return FERRY_CHECK_STEP_SECURE;
    case FERRY_ERROR_LOGIN:
      return FERRY_CHECK_STEP_LOGIN;
    case FERRY_ERROR_DATA_CHANNEL:
      return FERRY_CHECK_STEP_DATA_CHANNEL;
    /* A folder that is not there or not readable: the error names the
     * folder, which says more than the check's general advice. */
    default:
      return FERRY_CHECK_N_STEPS;
    }
}

char *
ferry_connection_check_explain (FerryConnector *connector,
                                const char     *side,
                                const GError   *error)
{
  g_autoptr(FerryConnectionCheck) check = NULL;
  g_autofree char *hint = NULL;
  FerryCheckStep step;

  g_return_val_if_fail (FERRY_IS_CONNECTOR (connector), NULL);

  if (error == NULL || error->domain != FERRY_ERROR)
    return NULL;
  step = step_of (error->code);
  if (step == FERRY_CHECK_N_STEPS)
    return NULL;
  hint = _ferry_connection_check_hint_for (step, error->code, ferry_connector_get_kind (connector),
                                          ferry_connector_get_server (connector),
                                          ferry_connector_get_port (connector));
  if (hint == NULL)
    return NULL;
  check = ferry_connection_check_new (connector, NULL, NULL);
  /* Translators: a run that could not reach a side: the side ("the
   * source"), the connector's name, the step of the connection check that
   * failed ("Connect"), then what to do about it */
  return g_strdup_printf (_("Could not reach %s, “%s”: the step “%s” failed. %s"), side,
                          ferry_connector_get_name (connector),
                          ferry_connection_check_get_step_label (check, step), hint);
}
