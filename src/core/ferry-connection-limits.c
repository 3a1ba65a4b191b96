/* ferry-connection-limits.c: the connection limits runs learned of
 * servers (see ferry-connection-limits.h), in one small key file,
 * $XDG_DATA_HOME/ferry/connection-limits, a group per connector id:
 *
 *   [0b6c…-uuid]
 *   Limit=2
 *   Learned=1796000000      (Unix time, for a person reading the file)
 *
 * Not the keyring: it is no secret, and a run must not wait for the keyring
 * to write it. Read and written whole under one lock: runs of two transfers
 * in one process may learn at the same moment; between processes the last
 * write wins, which loses at most a limit to learn again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "ferry-connection-limits.h"
#include "ferry-transfer.h"

static GMutex limits_lock;

static char *
limits_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "ferry", "connection-limits", NULL);
}

static GKeyFile *
load (void)
{
  g_autofree char *path = limits_path ();
  GKeyFile *key_file = g_key_file_new ();

  /* Missing or unreadable: nothing learned yet. */
  g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, NULL);
  return key_file;
}

static gboolean
save (GKeyFile  *key_file,
      GError   **error)
{
  g_autofree char *path = limits_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  gsize length;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   "%s: %s", dir, g_strerror (errno));
      return FALSE;
    }
  data = g_key_file_to_data (key_file, &length, NULL);
  return g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

guint
ferry_connection_limit_lookup (const char *connector_id)
{
  g_autoptr(GKeyFile) key_file = NULL;
  gint limit;

  g_return_val_if_fail (connector_id != NULL, 0);

  g_mutex_lock (&limits_lock);
  key_file = load ();
  limit = g_key_file_get_integer (key_file, connector_id, "Limit", NULL);
  g_mutex_unlock (&limits_lock);
  if (limit < FERRY_TRANSFER_MIN_CONNECTIONS || limit > FERRY_TRANSFER_MAX_CONNECTIONS)
    return 0;
  return (guint) limit;
}

gboolean
ferry_connection_limit_remember (const char  *connector_id,
                                 guint        limit,
                                 GError     **error)
{
  g_autoptr(GKeyFile) key_file = NULL;
  gboolean ok;

  g_return_val_if_fail (connector_id != NULL, FALSE);
  g_return_val_if_fail (limit >= 1, FALSE);

  g_mutex_lock (&limits_lock);
  key_file = load ();
  g_key_file_set_integer (key_file, connector_id, "Limit", (gint) MIN (limit, FERRY_TRANSFER_MAX_CONNECTIONS));
  g_key_file_set_int64 (key_file, connector_id, "Learned", g_get_real_time () / G_USEC_PER_SEC);
  ok = save (key_file, error);
  g_mutex_unlock (&limits_lock);
  return ok;
}

void
ferry_connection_limit_forget (const char *connector_id)
{
  g_autoptr(GKeyFile) key_file = NULL;

  g_return_if_fail (connector_id != NULL);

  g_mutex_lock (&limits_lock);
  key_file = load ();
  if (g_key_file_remove_group (key_file, connector_id, NULL))
    save (key_file, NULL);
  g_mutex_unlock (&limits_lock);
}
