/* ferry-connection-check-smb.c: the connection check's steps for SMB, in
 * the worker thread: find the server, connect, negotiate (our own SMB2
 * NEGOTIATE on that connection, to show the dialect, signing and
 * encryption, which libsmbclient keeps to itself), log in and open the
 * share through the backend a transfer uses, then list the folder.
 *
 * A share that does not exist is answered with the shares the server does
 * offer, and a refused login with what to check, Domain included.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-backend-smb.h"
#include "ferry-connection-check-private.h"
#include "ferry-smb-negotiate.h"

#define CONNECT_TIMEOUT_SECONDS 10
#define NEGOTIATE_TIMEOUT_SECONDS 8

static gboolean
step_connect (FerryCheckWorker   *worker,
              GSocketConnection **connection_out)
{
  FerryConnector *c = worker->connector;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = g_strdup_printf ("%s:%u", ferry_connector_get_server (c),
                                            ferry_connector_get_port (c));

  _ferry_check_set_step (worker, FERRY_CHECK_STEP_CONNECT, FERRY_CHECK_STATE_RUNNING, where);
  g_socket_client_set_timeout (client, CONNECT_TIMEOUT_SECONDS);
  connection = g_socket_client_connect_to_host (client, ferry_connector_get_server (c),
                                                ferry_connector_get_port (c),
                                                worker->cancellable, &error);
  if (_ferry_check_cancelled (worker))
    return FALSE;
  if (connection == NULL)
    {
      g_autofree char *message = NULL;
      g_autofree char *hint = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        message = g_strdup_printf (_("%s did not answer within %d seconds"), where, CONNECT_TIMEOUT_SECONDS);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
        message = g_strdup_printf (_("%s refused the connection"), where);
      else
        message = g_strdup (error->message);
      hint = g_strdup_printf (_("Nothing answered on port %u of %s. SMB servers listen on port 445: "
                                "check the port, that file sharing is switched on at the server, "
                                "and that its firewall lets this computer in."),
                              ferry_connector_get_port (c), ferry_connector_get_server (c));
      return _ferry_check_fail_literal (worker, FERRY_CHECK_STEP_CONNECT, FERRY_ERROR_CONNECT, message, hint);
    }
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_CONNECT, FERRY_CHECK_STATE_PASSED, where);
  *connection_out = g_steal_pointer (&connection);
  return TRUE;
}

static gboolean
step_negotiate (FerryCheckWorker    *worker,
                GSocketConnection   *connection,
                FerrySmbNegotiation *negotiation)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dialect = NULL;
  g_autofree char *detail = NULL;
  guint8 random[48];
  const guint8 *data;
  gsize length;

  _ferry_check_set_step (worker, FERRY_CHECK_STEP_PROTOCOL, FERRY_CHECK_STATE_RUNNING, NULL);
  for (guint i = 0; i < sizeof random; i++)
    random[i] = g_random_int_range (0, 256);
  request = ferry_smb_negotiate_request (random);
  data = g_bytes_get_data (request, &length);
  g_socket_set_timeout (socket, NEGOTIATE_TIMEOUT_SECONDS);
  if (g_socket_send_with_blocking (socket, (const char *) data, length, TRUE,
                                   worker->cancellable, &error) != (gssize) length)
    return _ferry_check_fail_literal (worker, FERRY_CHECK_STEP_PROTOCOL, FERRY_ERROR_CONNECT,
                                      error != NULL ? error->message : _("The connection closed"), NULL);

  for (;;)
    {
      guint8 buffer[4096];
      gsize wanted = ferry_smb_negotiate_reply_size (reply->data, reply->len);
      gssize n;

      if (wanted > 0 && reply->len >= wanted)
        break;
      if (reply->len >= FERRY_SMB_NEGOTIATE_MAX_REPLY)
        break;
      n = g_socket_receive (socket, (char *) buffer, sizeof buffer, worker->cancellable, NULL);
      if (_ferry_check_cancelled (worker))
        return FALSE;
      if (n <= 0)
        break;
      g_byte_array_append (reply, buffer, n);
    }

  if (reply->len == 0)
    return _ferry_check_fail_literal (worker, FERRY_CHECK_STEP_PROTOCOL, FERRY_ERROR_PROTOCOL,
                                      _("The server closed the connection without negotiating SMB2 or SMB3"),
                                      _("The server may speak only SMB1, which is unsafe and which Ferry "
                                        "does not use: ask its administrator to enable SMB2 or SMB3. Or "
                                        "this port belongs to another kind of server: check the type and "
                                        "the port (SMB uses 445)."));
  if (!ferry_smb_negotiate_parse (reply->data, reply->len, negotiation, &error))
    {
      const char *hint = _("Check the type and the port: SMB servers listen on port 445.");

      if (reply->len > 8 && memcmp (reply->data + 4, "\xffSMB", 4) == 0)
        hint = _("The server speaks only SMB1, which is unsafe and which Ferry does not use: ask its "
                 "administrator to enable SMB2 or SMB3.");
      return _ferry_check_fail (worker, FERRY_CHECK_STEP_PROTOCOL, g_steal_pointer (&error), hint);
    }

  dialect = ferry_smb_dialect_to_string (negotiation->dialect);
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_PROTOCOL, FERRY_CHECK_STATE_PASSED, dialect);
  return TRUE;
}

/* "/Projects/site" → "Projects"; NULL for "/". */
static char *
share_of (const char *path)
{
  const char *start = path;
  const char *end;

  while (*start == '/')
    start++;
  if (*start == '\0')
    return NULL;
  end = strchr (start, '/');
  return end != NULL ? g_strndup (start, end - start) : g_strdup (start);
}

static char *
describe_capabilities (const FerrySmbNegotiation *negotiation)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *dialect = ferry_smb_dialect_to_string (negotiation->dialect);
  const char *cipher = ferry_smb_cipher_to_string (negotiation->cipher);

  g_string_append_printf (text, _("Dialect: %s"), dialect);
  g_string_append (text, " · ");
  g_string_append_printf (text, _("Signing: %s"),
                          negotiation->signing_required ? _("required") : _("offered"));
  g_string_append (text, " · ");
  if (cipher != NULL)
    g_string_append_printf (text, _("Encryption: %s"), cipher);
  else
    g_string_append_printf (text, _("Encryption: %s"), negotiation->encryption ? _("offered") : _("no"));
  g_string_append (text, " · ");
  g_string_append_printf (text, _("Times: %s"), _("yes"));
  g_string_append (text, " · ");
  g_string_append_printf (text, _("Checksums: %s"), _("no (verify reads both sides)"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

gboolean
_ferry_connection_check_run_smb (FerryCheckWorker *worker)
{
  FerryConnector *c = worker->connector;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(FerryBackend) backend = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) shares = NULL;
  g_autofree char *share = NULL;
  g_autofree char *offered = NULL;
  g_autofree char *detail = NULL;
  FerrySmbNegotiation negotiation;
  const char *path = worker->path;

  if (path == NULL || *path == '\0')
    path = ferry_connector_get_folder (c);
  if (path == NULL || *path == '\0')
    path = "/";

  if (!_ferry_check_step_resolve (worker))
    return FALSE;
  if (!step_connect (worker, &connection))
    return FALSE;
  if (!step_negotiate (worker, connection, &negotiation))
    return FALSE;
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  /* Log in: listing the shares needs the login and nothing more. */
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_LOGIN, FERRY_CHECK_STATE_RUNNING,
                         ferry_connector_get_username (c));
  backend = ferry_backend_new (c, worker->password, &error);
  if (backend != NULL)
    shares = ferry_backend_smb_list_shares (backend, &error);
  if (_ferry_check_cancelled (worker))
    return FALSE;
  if (shares == NULL)
    {
      const char *hint = NULL;

      if (g_error_matches (error, FERRY_ERROR, FERRY_ERROR_LOGIN))
        hint = _("The server refused the user name or password. Check both (they are case-sensitive) "
                 "and, if the server belongs to a domain, the Domain field.");
      else if (error->domain == FERRY_ERROR &&
               (error->code == FERRY_ERROR_TRANSIENT || error->code == FERRY_ERROR_FAILED))
        error->code = FERRY_ERROR_CONNECT;
      return _ferry_check_fail (worker, FERRY_CHECK_STEP_LOGIN, g_steal_pointer (&error), hint);
    }
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_LOGIN, FERRY_CHECK_STATE_PASSED,
                         ferry_connector_get_username (c));

  /* Open the share the folder is on. */
  offered = g_strjoinv (", ", shares);
  share = share_of (path);
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_DATA_CHANNEL, FERRY_CHECK_STATE_RUNNING, share);
  if (share != NULL && !g_strv_contains ((const char * const *) shares, share))
    {
      g_autofree char *message = NULL;
      g_autofree char *hint = NULL;

      /* A share may be hidden ("Name$") and still open: try it. */
      g_autoptr(FerryEntry) root = NULL;
      g_autofree char *root_path = g_strconcat ("/", share, NULL);

      root = ferry_backend_stat (backend, root_path, worker->cancellable, NULL);
      if (root == NULL)
        {
          if (shares[0] == NULL)
            {
              message = g_strdup_printf (_("The server has no share called “%s”, and offers no shares to "
                                           "this user"), share);
              hint = g_strdup (_("Ask the server’s administrator which share to use and to let this "
                                 "user in."));
            }
          else
            {
              message = g_strdup_printf (_("The server has no share called “%s”; it offers: %s"),
                                         share, offered);
              hint = g_strdup_printf (_("A folder on an SMB server begins with its share: /SHARE/folder. "
                                        "This server offers: %s."), offered);
            }
          return _ferry_check_fail_literal (worker, FERRY_CHECK_STEP_DATA_CHANNEL, FERRY_ERROR_NOT_FOUND,
                                            message, hint);
        }
    }
  else if (share != NULL)
    {
      g_autofree char *root_path = g_strconcat ("/", share, NULL);
      g_autoptr(FerryEntry) root = ferry_backend_stat (backend, root_path, worker->cancellable, &error);

      if (_ferry_check_cancelled (worker))
        return FALSE;
      if (root == NULL)
        {
          const char *hint = NULL;

          if (g_error_matches (error, FERRY_ERROR, FERRY_ERROR_PERMISSION))
            hint = _("The server knows this user but does not let them open this share. Ask its "
                     "administrator for access, or choose another share.");
          return _ferry_check_fail (worker, FERRY_CHECK_STEP_DATA_CHANNEL, g_steal_pointer (&error), hint);
        }
    }
  if (share != NULL)
    _ferry_check_set_step (worker, FERRY_CHECK_STEP_DATA_CHANNEL, FERRY_CHECK_STATE_PASSED, share);
  else
    {
      detail = g_strdup_printf (_("Shares offered: %s"), shares[0] != NULL ? offered : _("none"));
      _ferry_check_set_step (worker, FERRY_CHECK_STEP_DATA_CHANNEL, FERRY_CHECK_STATE_PASSED, detail);
      g_clear_pointer (&detail, g_free);
    }

  /* List the folder. */
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_LIST, FERRY_CHECK_STATE_RUNNING, path);
  entries = ferry_backend_list (backend, path, worker->cancellable, &error);
  if (_ferry_check_cancelled (worker))
    return FALSE;
  if (entries == NULL)
    return _ferry_check_fail (worker, FERRY_CHECK_STEP_LIST, g_steal_pointer (&error), NULL);

  worker->outcome->login_folder = g_strdup (path);
  worker->outcome->capabilities = describe_capabilities (&negotiation);
  detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry in %s", "%u entries in %s", entries->len),
                            entries->len, path);
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_LIST, FERRY_CHECK_STATE_PASSED, detail);
  return TRUE;
}
