/* ferry-connection-check-webdav.c: the connection check's steps for
 * WebDAV: find the server, connect, TLS (webdavs: the certificate shown
 * and pinned as for FTPS), an HTTP answer (OPTIONS), log in (401 is the
 * wrong-password hint), WebDAV offered (the DAV: header: a plain web site
 * is told apart), and list the folder (PROPFIND, Depth 1) through the
 * same backend a run uses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-backend-webdav.h"
#include "ferry-connection-check-private.h"

/* "1, 2" or "1,2,3, extended-mkcol": whether class 1 is among them. */
static gboolean
dav_offers_class_1 (const char *dav)
{
  g_auto(GStrv) parts = NULL;

  if (dav == NULL)
    return FALSE;
  parts = g_strsplit (dav, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (g_str_equal (g_strstrip (parts[i]), "1"))
      return TRUE;
  return FALSE;
}

static char *
describe_capabilities (const FerryWebdavAnswer *answer,
                       gboolean                 checksums,
                       const char              *folder)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, _("Server: %s"), answer->server != NULL ? answer->server : _("unknown"));
  g_string_append (text, " · ");
  g_string_append_printf (text, _("DAV: %s"), answer->dav);
  g_string_append (text, " · ");
  g_string_append_printf (text, _("Times: %s"),
                          answer->nextcloud ? _("kept, sent with each upload (X-OC-Mtime)")
                                            : _("tried at the first copy (X-OC-Mtime, then PROPPATCH)"));
  g_string_append (text, " · ");
  /* What the server does with a hash: keeps one sent with an upload
   * (OC-Checksum) and shows it (oc:checksums), or neither. */
  if (checksums)
    g_string_append_printf (text, _("Checksums: %s"),
                            _("stored by the server, sent with uploads when known beforehand (OC-Checksum)"));
  else if (answer->nextcloud)
    g_string_append_printf (text, _("Checksums: %s"),
                            _("none stored in this folder yet; sent with uploads when known beforehand (OC-Checksum)"));
  else
    g_string_append_printf (text, _("Checksums: %s"), _("no (verification reads both sides)"));
  g_string_append (text, " · ");
  g_string_append_printf (text, _("Chunked uploads: %s"), answer->nextcloud ? _("offered, not used") : _("no"));
  g_string_append (text, " · ");
  g_string_append_printf (text, _("Folder: %s"), folder);
  return g_string_free (text, FALSE);
}

gboolean
_ferry_connection_check_run_webdav (FerryCheckWorker *worker)
{
  FerryConnector *c = worker->connector;
  FerryConnectorKind kind = ferry_connector_get_kind (c);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(FerryBackend) backend = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *detail = NULL;
  FerryWebdavAnswer answer = { 0 };
  gboolean ok = FALSE;

  if (worker->path != NULL)
    folder = g_strdup (worker->path);
  else
    folder = g_strdup (ferry_connector_get_folder (c) != NULL ? ferry_connector_get_folder (c) : "/");

  if (!_ferry_check_step_resolve (worker))
    return FALSE;
  if (!_ferry_check_step_connect (worker, &socket, &stream))
    return FALSE;
  if (kind == FERRY_CONNECTOR_KIND_WEBDAVS && !_ferry_check_step_secure_tls (worker, socket))
    return FALSE;
  g_io_stream_close (stream, NULL, NULL);

  backend = ferry_backend_new (c, worker->password, &error);
  if (backend == NULL)
    return _ferry_check_fail (worker, FERRY_CHECK_STEP_PROTOCOL, g_steal_pointer (&error), NULL);

  /* An HTTP answer at all. */
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_PROTOCOL, FERRY_CHECK_STATE_RUNNING, NULL);
  if (!ferry_backend_webdav_options (backend, folder, &answer, worker->cancellable, &error))
    {
      if (_ferry_check_cancelled (worker))
        goto out;
      _ferry_check_fail (worker, FERRY_CHECK_STEP_PROTOCOL, g_steal_pointer (&error),
                         kind == FERRY_CONNECTOR_KIND_WEBDAV
                         ? _("The server did not answer over HTTP. If it expects HTTPS, choose "
                             "“WebDAV over TLS”.")
                         : NULL);
      goto out;
    }
  detail = g_strdup_printf ("HTTP %ld%s%s", answer.status, answer.server != NULL ? " · " : "",
                            answer.server != NULL ? answer.server : "");
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_PROTOCOL, FERRY_CHECK_STATE_PASSED, detail);

  /* Logged in: the password went with the request (Basic); 401 says no. */
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_LOGIN, FERRY_CHECK_STATE_RUNNING, NULL);
  if (answer.status == 401)
    {
      _ferry_check_fail_literal (worker, FERRY_CHECK_STEP_LOGIN, FERRY_ERROR_LOGIN,
                                 _("HTTP 401: the server refused the user name or password"), NULL);
      goto out;
    }
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_LOGIN, FERRY_CHECK_STATE_PASSED, ferry_connector_get_username (c));

  /* WebDAV offered: class 1 in the DAV: header. */
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_DATA_CHANNEL, FERRY_CHECK_STATE_RUNNING, NULL);
  if (!dav_offers_class_1 (answer.dav))
    {
      g_autofree char *nextcloud = ferry_connector_dup_url (c, "/remote.php/dav/files/");
      g_autofree char *hint = g_strdup_printf (_("This address is a web site, not a WebDAV folder. For "
                                                 "Nextcloud or ownCloud use %sUSER/ with your user name "
                                                 "for USER."),
                                               nextcloud);

      /* No WebDAV folder to connect to: exit 3 in ferry-cli, as for
       * any server that cannot be reached. */
      _ferry_check_fail_literal (worker, FERRY_CHECK_STEP_DATA_CHANNEL, FERRY_ERROR_CONNECT,
                                 answer.status == 404 ? _("HTTP 404: there is no such folder")
                                                      : _("The server does not offer WebDAV here (no DAV: header)"),
                                 answer.status == 404 ? _("Check the folder in the address: the server "
                                                          "does not know it.")
                                                      : hint);
      goto out;
    }
  detail = (g_free (detail), g_strdup_printf ("DAV: %s", answer.dav));
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_DATA_CHANNEL, FERRY_CHECK_STATE_PASSED, detail);

  /* List the folder as a run would. */
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_LIST, FERRY_CHECK_STATE_RUNNING, folder);
  entries = ferry_backend_list (backend, folder, worker->cancellable, &error);
  if (entries == NULL)
    {
      if (_ferry_check_cancelled (worker))
        goto out;
      _ferry_check_fail (worker, g_error_matches (error, FERRY_ERROR, FERRY_ERROR_LOGIN)
                                 ? FERRY_CHECK_STEP_LOGIN : FERRY_CHECK_STEP_LIST,
                         g_steal_pointer (&error), NULL);
      goto out;
    }
  detail = (g_free (detail), g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry in %s", "%u entries in %s",
                                                          entries->len),
                                              entries->len, folder));
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_LIST, FERRY_CHECK_STATE_PASSED, detail);
  worker->outcome->login_folder = g_strdup (folder);
  worker->outcome->capabilities = describe_capabilities (&answer, ferry_backend_get_hashes (backend) != 0, folder);
  ok = TRUE;

out:
  ferry_webdav_answer_clear (&answer);
  return ok;
}
