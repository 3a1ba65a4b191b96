/* ferry-connection-check-gio.c: the connection check's steps for a GNOME
 * Files location: reach GVfs (GIO uses it and the session's daemon
 * answers), open the location (mount it; a refused password is the
 * wrong-password hint), and list the folder through the same backend a
 * run uses. The capability line says plainly that everything goes
 * through GVfs, and whether times can be kept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-backend-gio.h"
#include "ferry-connection-check-private.h"

static char *
describe_capabilities (gboolean    times,
                       const char *mount_name,
                       const char *folder)
{
  GString *text = g_string_new (NULL);

  g_string_append (text, _("Through GVfs: every request goes through the desktop’s GVfs daemon, one at a "
                            "time, slower than a direct connector"));
  if (mount_name != NULL)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, _("Mounted as: %s"), mount_name);
    }
  g_string_append (text, " · ");
  g_string_append_printf (text, _("Times: %s"), times ? _("kept") : _("not kept (the location cannot set them)"));
  g_string_append (text, " · ");
  g_string_append_printf (text, _("Checksums: %s"), _("no (verification reads both sides)"));
  g_string_append (text, " · ");
  g_string_append_printf (text, _("Folder: %s"), folder);
  return g_string_free (text, FALSE);
}

gboolean
_ferry_connection_check_run_gio (FerryCheckWorker *worker)
{
  FerryConnector *c = worker->connector;
  g_autoptr(FerryBackend) backend = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *mount_name = NULL;
  gboolean was_mounted = FALSE;

  if (worker->path != NULL)
    folder = g_strdup (worker->path);
  else
    folder = g_strdup (ferry_connector_get_folder (c) != NULL ? ferry_connector_get_folder (c) : "/");

  /* GVfs there at all. */
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_PROTOCOL, FERRY_CHECK_STATE_RUNNING, NULL);
  if (!ferry_backend_gio_check_gvfs (&error))
    return _ferry_check_fail (worker, FERRY_CHECK_STEP_PROTOCOL, g_steal_pointer (&error),
                              _("Ferry reaches GNOME Files locations through GVfs, the desktop’s own "
                                "service for them. Install the gvfs and gvfs-backends packages, then "
                                "log out and in again."));
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_PROTOCOL, FERRY_CHECK_STATE_PASSED, _("GVfs answers"));

  backend = ferry_backend_new (c, worker->password, &error);
  if (backend == NULL)
    return _ferry_check_fail (worker, FERRY_CHECK_STEP_LOGIN, g_steal_pointer (&error), NULL);

  /* Mount; the password goes to GVfs here. */
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_LOGIN, FERRY_CHECK_STATE_RUNNING,
                         ferry_connector_get_server (c));
  if (!ferry_backend_gio_mount (backend, &was_mounted, worker->cancellable, &error))
    {
      if (_ferry_check_cancelled (worker))
        return FALSE;
      if (g_error_matches (error, FERRY_ERROR, FERRY_ERROR_UNTRUSTED))
        return _ferry_check_fail (worker, FERRY_CHECK_STEP_LOGIN, g_steal_pointer (&error),
                                  _("Open the location once in GNOME Files and answer its question "
                                    "there, then authorize again."));
      return _ferry_check_fail (worker, FERRY_CHECK_STEP_LOGIN, g_steal_pointer (&error),
                                g_error_matches (error, FERRY_ERROR, FERRY_ERROR_LOGIN) ? NULL
                                : _("GVfs could not open the location. Check the address (copy it "
                                    "from GNOME Files’ address bar with Ctrl+L) and open it once in "
                                    "GNOME Files to see what it says."));
    }
  mount_name = ferry_backend_gio_dup_mount_name (backend, worker->cancellable);
  /* Open already (GNOME Files, an earlier run): GVfs asked for no
   * password, so this check did not try it. Said, not hidden. */
  if (was_mounted)
    detail = g_strdup_printf (_("already open in this session as “%s” (the password was not needed, so "
                                "not checked)"), mount_name != NULL ? mount_name : ferry_connector_get_server (c));
  else
    detail = g_strdup_printf (_("opened as “%s”"), mount_name != NULL ? mount_name : ferry_connector_get_server (c));
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_LOGIN, FERRY_CHECK_STATE_PASSED, detail);

  /* List the folder as a run would. */
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_LIST, FERRY_CHECK_STATE_RUNNING, folder);
  entries = ferry_backend_list (backend, folder, worker->cancellable, &error);
  if (entries == NULL)
    {
      if (_ferry_check_cancelled (worker))
        return FALSE;
      return _ferry_check_fail (worker, g_error_matches (error, FERRY_ERROR, FERRY_ERROR_LOGIN)
                                        ? FERRY_CHECK_STEP_LOGIN : FERRY_CHECK_STEP_LIST,
                                g_steal_pointer (&error), NULL);
    }
  g_free (detail);
  detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry in %s", "%u entries in %s", entries->len),
                            entries->len, folder);
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_LIST, FERRY_CHECK_STATE_PASSED, detail);
  worker->outcome->login_folder = g_strdup (folder);
  worker->outcome->capabilities = describe_capabilities (ferry_backend_gio_can_set_times (backend, worker->cancellable),
                                                         mount_name, folder);
  return TRUE;
}
