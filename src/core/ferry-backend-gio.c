/* ferry-backend-gio.c: a "GNOME Files location" through GIO and GVfs.
 *
 * Every call is a GFile call on the location's URI; GIO hands it to the
 * session's GVfs daemon (gvfsd and its backend for the scheme, such as
 * gvfsd-dav or gvfsd-google), which does the talking. That is what lets
 * Ferry reach Google Drive or OneDrive through GNOME Online Accounts and
 * anything else GNOME Files opens, and also why it is slower than a direct
 * connector: each request crosses D-Bus to the daemon and the daemon's
 * backend serves one at a time.
 *
 * The location is mounted on first use (g_file_mount_enclosing_volume in a
 * main context of this thread's own); the password goes to GVfs through
 * the GMountOperation's reply, never in a URI, an argument or a file, and
 * is never offered to GVfs for saving. A second request for it means GVfs
 * was refused it: the mount is aborted and that is FERRY_ERROR_LOGIN.
 *
 * Paths are absolute within the location ("/" is the URI itself) and are
 * resolved under it; a path that would resolve outside is refused. Names
 * in listings are GIO's standard::name, checked by the caller like any
 * server's names.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "ferry-backend-gio.h"
#include "ferry-error.h"

#define CHUNK_SIZE (256 * 1024)

#define LIST_ATTRIBUTES \
  G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE "," \
  G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_SYMLINK_TARGET "," \
  G_FILE_ATTRIBUTE_TIME_MODIFIED "," G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC

typedef struct
{
  FerryBackend parent;
  GFile *root;
  char *username;
  char *password;          /* wiped on free */
  gboolean mounted;
  gboolean times_refused;  /* set_mtime() was refused once: not asked again */
  guint8 *buffer;
} GioBackend;

static FerryError
code_for (const GError *error)
{
  if (error->domain == G_DBUS_ERROR)
    return FERRY_ERROR_CONNECT;
  if (error->domain != G_IO_ERROR)
    return FERRY_ERROR_FAILED;
  switch (error->code)
    {
    case G_IO_ERROR_NOT_FOUND:
    case G_IO_ERROR_NOT_DIRECTORY:
      return FERRY_ERROR_NOT_FOUND;
    case G_IO_ERROR_PERMISSION_DENIED:
    case G_IO_ERROR_READ_ONLY:
      return FERRY_ERROR_PERMISSION;
    case G_IO_ERROR_NO_SPACE:
      return FERRY_ERROR_NO_SPACE;
    case G_IO_ERROR_INVALID_FILENAME:
    case G_IO_ERROR_FILENAME_TOO_LONG:
    case G_IO_ERROR_TOO_MANY_LINKS:
      return FERRY_ERROR_BAD_NAME;
    case G_IO_ERROR_CANCELLED:
      return FERRY_ERROR_CANCELLED;
    case G_IO_ERROR_HOST_NOT_FOUND:
      return FERRY_ERROR_RESOLVE;
    case G_IO_ERROR_CONNECTION_REFUSED:
    case G_IO_ERROR_HOST_UNREACHABLE:
    case G_IO_ERROR_NETWORK_UNREACHABLE:
    case G_IO_ERROR_DBUS_ERROR:
      return FERRY_ERROR_CONNECT;
    case G_IO_ERROR_TIMED_OUT:
    case G_IO_ERROR_BROKEN_PIPE:
    case G_IO_ERROR_BUSY:
    case G_IO_ERROR_WOULD_BLOCK:
    case G_IO_ERROR_NOT_CONNECTED:
    case G_IO_ERROR_NOT_MOUNTED:
      return FERRY_ERROR_TRANSIENT;
    case G_IO_ERROR_EXISTS:
      return FERRY_ERROR_EXISTS;
    default:
      return FERRY_ERROR_FAILED;
    }
}

/* Takes `gio_error` and sets `error` to Ferry's word for it, naming what
 * was done and the path. */
static gboolean
fail (GioBackend  *self,
      GError     **error,
      GError      *gio_error,
      const char  *what,
      const char  *path)
{
  /* The volume went away (unmounted in GNOME Files, or gvfsd restarted):
   * mount again at the next call, which the engine's retry makes. */
  if (g_error_matches (gio_error, G_IO_ERROR, G_IO_ERROR_NOT_MOUNTED))
    self->mounted = FALSE;
  if (self->parent.trace != NULL)
    {
      g_autofree char *line = g_strdup_printf ("GIO %s %s: %s", what, path, gio_error->message);

      self->parent.trace (line, self->parent.trace_data);
    }
  g_set_error (error, FERRY_ERROR, code_for (gio_error), "%s %s: %s", what, path, gio_error->message);
  g_error_free (gio_error);
  return FALSE;
}

/* The GFile of an absolute path within the location, never outside it. */
static GFile *
file_for (GioBackend  *self,
          const char  *path,
          GError     **error)
{
  g_autoptr(GFile) file = NULL;

  while (*path == '/')
    path++;
  if (*path == '\0')
    return g_object_ref (self->root);
  file = g_file_resolve_relative_path (self->root, path);
  if (file == NULL || !g_file_has_prefix (file, self->root))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_BAD_NAME,
                   _("The path “/%s” leads out of the location"), path);
      return NULL;
    }
  return g_steal_pointer (&file);
}

/* --- mounting --------------------------------------------------------------------- */

typedef struct
{
  GioBackend *self;
  GMainContext *context;
  gboolean done;
  gboolean ok;
  GError *error;
  guint asked;          /* times GVfs asked for the password */
  gboolean refused;     /* ... and asked again: the password was wrong */
  gboolean no_password; /* it needs one and Ferry has none */
  char *question;       /* a question Ferry cannot answer for the user */
} MountCall;

static void
on_ask_password (GMountOperation   *op,
                 const char        *message,
                 const char        *default_user,
                 const char        *default_domain,
                 GAskPasswordFlags  flags,
                 gpointer           user_data)
{
  MountCall *call = user_data;
  GioBackend *self = call->self;

  if (call->asked++ > 0)
    {
      call->refused = TRUE;
      g_mount_operation_reply (op, G_MOUNT_OPERATION_ABORTED);
      return;
    }
  if ((flags & G_ASK_PASSWORD_NEED_PASSWORD) != 0 && self->password == NULL)
    {
      call->no_password = TRUE;
      g_mount_operation_reply (op, G_MOUNT_OPERATION_ABORTED);
      return;
    }
  if ((flags & G_ASK_PASSWORD_NEED_USERNAME) != 0)
    g_mount_operation_set_username (op, self->username != NULL ? self->username
                                                                : default_user != NULL ? default_user : "");
  if ((flags & G_ASK_PASSWORD_NEED_DOMAIN) != 0 && default_domain != NULL)
    g_mount_operation_set_domain (op, default_domain);
  if ((flags & G_ASK_PASSWORD_NEED_PASSWORD) != 0)
    g_mount_operation_set_password (op, self->password);
  /* The keyring item is Ferry's; GVfs keeps no copy. */
  g_mount_operation_set_password_save (op, G_PASSWORD_SAVE_NEVER);
  g_mount_operation_reply (op, G_MOUNT_OPERATION_HANDLED);
}

static void
on_ask_question (GMountOperation  *op,
                 const char       *message,
                 const char      **choices,
                 gpointer          user_data)
{
  MountCall *call = user_data;

  /* An untrusted certificate and the like: for the user to answer in
   * GNOME Files, not for Ferry to agree to unseen. */
  g_free (call->question);
  call->question = g_strdup (message);
  g_mount_operation_reply (op, G_MOUNT_OPERATION_ABORTED);
}

static void
mount_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  MountCall *call = user_data;

  call->ok = g_file_mount_enclosing_volume_finish (G_FILE (source), result, &call->error);
  call->done = TRUE;
  g_main_context_wakeup (call->context);
}

gboolean
ferry_backend_gio_mount (FerryBackend  *backend,
                         gboolean      *was_mounted,
                         GCancellable  *cancellable,
                         GError       **error)
{
  GioBackend *self = (GioBackend *) backend;
  g_autoptr(GMount) mount = NULL;
  g_autoptr(GMountOperation) op = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *uri = NULL;
  MountCall call = { 0 };

  if (was_mounted != NULL)
    *was_mounted = FALSE;
  if (self->mounted)
    {
      if (was_mounted != NULL)
        *was_mounted = TRUE;
      return TRUE;
    }

  /* A location GIO reaches without a mount (or one already mounted, by
   * GNOME Files or an earlier worker) needs nothing more. */
  mount = g_file_find_enclosing_mount (self->root, cancellable, &local_error);
  if (mount != NULL || g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      self->mounted = TRUE;
      if (was_mounted != NULL)
        *was_mounted = TRUE;
      return TRUE;
    }
  g_clear_error (&local_error);

  uri = g_file_get_uri (self->root);
  if (backend->trace != NULL)
    {
      g_autofree char *line = g_strdup_printf ("GIO mount %s", uri);

      backend->trace (line, backend->trace_data);
    }

  call.self = self;
  call.context = g_main_context_new ();
  g_main_context_push_thread_default (call.context);
  op = g_mount_operation_new ();
  g_signal_connect (op, "ask-password", G_CALLBACK (on_ask_password), &call);
  g_signal_connect (op, "ask-question", G_CALLBACK (on_ask_question), &call);
  g_file_mount_enclosing_volume (self->root, G_MOUNT_MOUNT_NONE, op, cancellable, mount_done, &call);
  while (!call.done)
    g_main_context_iteration (call.context, TRUE);
  /* What GIO queued behind the answer (its replies to GVfs's questions)
   * runs and frees itself before the context goes. */
  while (g_main_context_iteration (call.context, FALSE))
    ;
  g_signal_handlers_disconnect_by_data (op, &call);
  g_main_context_pop_thread_default (call.context);
  g_main_context_unref (call.context);

  if (call.ok || g_error_matches (call.error, G_IO_ERROR, G_IO_ERROR_ALREADY_MOUNTED))
    {
      g_clear_error (&call.error);
      g_free (call.question);
      self->mounted = TRUE;
      return TRUE;
    }

  if (call.refused)
    g_set_error (error, FERRY_ERROR, FERRY_ERROR_LOGIN,
                 _("%s refused the user name or password"), uri);
  else if (call.no_password)
    g_set_error (error, FERRY_ERROR, FERRY_ERROR_LOGIN,
                 _("%s asks for a password, and none was given"), uri);
  else if (call.question != NULL)
    g_set_error (error, FERRY_ERROR, FERRY_ERROR_UNTRUSTED,
                 _("Opening %s asks a question Ferry does not answer for you: “%s”. Open the location "
                   "once in GNOME Files and answer it there"), uri, call.question);
  else if (g_error_matches (call.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CANCELLED, _("Cancelled"));
  else
    g_set_error (error, FERRY_ERROR, code_for (call.error) == FERRY_ERROR_FAILED ? FERRY_ERROR_CONNECT
                                                                                 : code_for (call.error),
                 _("Could not open %s: %s"), uri, call.error->message);
  g_clear_error (&call.error);
  g_free (call.question);
  return FALSE;
}

static gboolean
ensure_mounted (GioBackend    *self,
                GCancellable  *cancellable,
                GError       **error)
{
  if (self->mounted)
    return TRUE;
  return ferry_backend_gio_mount (&self->parent, NULL, cancellable, error);
}

gboolean
ferry_backend_gio_check_gvfs (GError **error)
{
  GVfs *vfs = g_vfs_get_default ();
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) local_error = NULL;

  /* Without the GVfs client module GIO falls back to local files only. */
  if (g_str_equal (G_OBJECT_TYPE_NAME (vfs), "GLocalVfs")
      || !g_strv_contains (g_vfs_get_supported_uri_schemes (vfs), "dav"))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CONNECT,
                           _("GVfs is not available to Ferry (GIO opens only this computer’s files). "
                             "Install the gvfs and gvfs-backends packages and log in to the desktop again"));
      return FALSE;
    }
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &local_error);
  if (bus != NULL)
    /* Starts the daemon by D-Bus activation when it is not running yet. */
    reply = g_dbus_connection_call_sync (bus, "org.gtk.vfs.Daemon", "/org/gtk/vfs/Daemon",
                                         "org.freedesktop.DBus.Peer", "Ping", NULL, NULL,
                                         G_DBUS_CALL_FLAGS_NONE, 25000, NULL, &local_error);
  if (reply == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONNECT,
                   _("The session’s GVfs daemon does not answer (%s). Log in to the desktop again, "
                     "or start /usr/libexec/gvfsd"),
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
ferry_backend_gio_can_set_times (FerryBackend *backend,
                                 GCancellable *cancellable)
{
  GioBackend *self = (GioBackend *) backend;
  g_autoptr(GFileAttributeInfoList) list = NULL;

  list = g_file_query_settable_attributes (self->root, cancellable, NULL);
  return list != NULL && g_file_attribute_info_list_lookup (list, G_FILE_ATTRIBUTE_TIME_MODIFIED) != NULL;
}

char *
ferry_backend_gio_dup_mount_name (FerryBackend *backend,
                                  GCancellable *cancellable)
{
  GioBackend *self = (GioBackend *) backend;
  g_autoptr(GMount) mount = g_file_find_enclosing_mount (self->root, cancellable, NULL);

  return mount != NULL ? g_mount_get_name (mount) : NULL;
}

/* --- the vtable ------------------------------------------------------------------- */

static FerryEntry *
entry_from_info (GFileInfo *info)
{
  FerryEntryType type;
  FerryEntry *entry;

  switch (g_file_info_get_file_type (info))
    {
    case G_FILE_TYPE_REGULAR:
      type = FERRY_ENTRY_FILE;
      break;
    case G_FILE_TYPE_DIRECTORY:
    case G_FILE_TYPE_MOUNTABLE:
      type = FERRY_ENTRY_DIRECTORY;
      break;
    case G_FILE_TYPE_SYMBOLIC_LINK:
    case G_FILE_TYPE_SHORTCUT:
      type = FERRY_ENTRY_SYMLINK;
      break;
    case G_FILE_TYPE_UNKNOWN:
    case G_FILE_TYPE_SPECIAL:
    default:
      type = FERRY_ENTRY_OTHER;
      break;
    }

  entry = ferry_entry_new (g_file_info_get_name (info), type);
  if (type == FERRY_ENTRY_FILE && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    {
      entry->size = (guint64) g_file_info_get_size (info);
      entry->size_known = TRUE;
    }
  if (type == FERRY_ENTRY_SYMLINK && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SYMLINK_TARGET))
    entry->link_target = g_strdup (g_file_info_get_symlink_target (info));
  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_TIME_MODIFIED))
    {
      entry->mtime = (gint64) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
      entry->precision = FERRY_TIME_SECONDS;
    }
  return entry;
}

static GPtrArray *
gio_list (FerryBackend  *backend,
          const char    *dir,
          GCancellable  *cancellable,
          GError       **error)
{
  GioBackend *self = (GioBackend *) backend;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_entry_free);
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GFile) file = NULL;
  GError *local_error = NULL;

  if (!ensure_mounted (self, cancellable, error) || (file = file_for (self, dir, error)) == NULL)
    return NULL;
  enumerator = g_file_enumerate_children (file, LIST_ATTRIBUTES, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                          cancellable, &local_error);
  if (enumerator == NULL)
    return fail (self, error, local_error, _("Could not list"), dir), NULL;
  for (;;)
    {
      g_autoptr(GFileInfo) info = g_file_enumerator_next_file (enumerator, cancellable, &local_error);
      const char *name;

      if (info == NULL)
        break;
      name = g_file_info_get_name (info);
      if (name == NULL || g_str_equal (name, ".") || g_str_equal (name, ".."))
        continue;
      g_ptr_array_add (entries, entry_from_info (info));
    }
  if (local_error != NULL)
    return fail (self, error, local_error, _("Could not list"), dir), NULL;
  g_file_enumerator_close (enumerator, NULL, NULL);
  return g_steal_pointer (&entries);
}

static FerryEntry *
gio_stat (FerryBackend  *backend,
          const char    *path,
          GCancellable  *cancellable,
          GError       **error)
{
  GioBackend *self = (GioBackend *) backend;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *name = NULL;
  GError *local_error = NULL;
  FerryEntry *entry;

  if (!ensure_mounted (self, cancellable, error) || (file = file_for (self, path, error)) == NULL)
    return NULL;
  info = g_file_query_info (file, LIST_ATTRIBUTES, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, &local_error);
  if (info == NULL)
    return fail (self, error, local_error, _("Could not look at"), path), NULL;
  entry = entry_from_info (info);
  /* The name the caller asked for, as for a local file. */
  name = g_path_get_basename (path);
  g_free (entry->name);
  entry->name = g_steal_pointer (&name);
  return entry;
}

static gboolean
gio_read (FerryBackend   *backend,
          const char     *path,
          guint64         offset,
          FerrySinkFunc   sink,
          gpointer        sink_data,
          GCancellable   *cancellable,
          GError        **error)
{
  GioBackend *self = (GioBackend *) backend;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  GError *local_error = NULL;
  gboolean ok = TRUE;

  if (!ensure_mounted (self, cancellable, error) || (file = file_for (self, path, error)) == NULL)
    return FALSE;
  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    return fail (self, error, local_error, _("Could not open"), path);
  if (offset > 0)
    {
      /* Resume: seek where GVfs can, else read past the part we have. */
      if (g_seekable_can_seek (G_SEEKABLE (stream)))
        {
          if (!g_seekable_seek (G_SEEKABLE (stream), (goffset) offset, G_SEEK_SET, cancellable, &local_error))
            return fail (self, error, local_error, _("Could not seek in"), path);
        }
      else
        {
          guint64 left = offset;

          while (left > 0)
            {
              gssize n = g_input_stream_skip (G_INPUT_STREAM (stream), MIN (left, G_MAXSSIZE),
                                              cancellable, &local_error);

              if (n < 0)
                return fail (self, error, local_error, _("Could not seek in"), path);
              if (n == 0)
                {
                  g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                               _("Could not resume %s at byte %" PRIu64), path, offset);
                  return FALSE;
                }
              left -= n;
            }
        }
    }
  while (ok)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), self->buffer, CHUNK_SIZE, cancellable, &local_error);

      if (n < 0)
        ok = fail (self, error, local_error, _("Could not read"), path);
      else if (n == 0)
        break;
      else if (ferry_backend_check_cancelled (cancellable, error) || !sink (self->buffer, n, sink_data, error))
        ok = FALSE;
    }
  g_input_stream_close (G_INPUT_STREAM (stream), NULL, NULL);
  return ok;
}

static gboolean
gio_write (FerryBackend     *backend,
           const char       *path,
           guint64           offset,
           FerrySourceFunc   source,
           gpointer          source_data,
           GCancellable     *cancellable,
           GError          **error)
{
  GioBackend *self = (GioBackend *) backend;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  GError *local_error = NULL;
  gboolean ok = TRUE;

  if (!ensure_mounted (self, cancellable, error) || (file = file_for (self, path, error)) == NULL)
    return FALSE;
  if (offset == 0)
    stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, cancellable, &local_error);
  else
    {
      g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                     G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, NULL);

      /* Appending is only right when the part there is exactly that long. */
      if (info == NULL || (guint64) g_file_info_get_size (info) != offset)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                       _("Could not resume %s at byte %" PRIu64), path, offset);
          return FALSE;
        }
      stream = g_file_append_to (file, G_FILE_CREATE_NONE, cancellable, &local_error);
      if (stream == NULL && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
        {
          /* WebDAV through GVfs has no append: the engine starts over. */
          g_clear_error (&local_error);
          g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                               _("This location cannot add to a file; it is sent again from the start"));
          return FALSE;
        }
    }
  if (stream == NULL)
    return fail (self, error, local_error, _("Could not write"), path);

  while (ok)
    {
      gssize n = source (self->buffer, CHUNK_SIZE, source_data, error);

      if (n < 0)
        ok = FALSE;
      else if (n == 0)
        break;
      else if (!g_output_stream_write_all (G_OUTPUT_STREAM (stream), self->buffer, n, NULL, cancellable, &local_error))
        ok = fail (self, error, local_error, _("Could not write"), path);
      else if (ferry_backend_check_cancelled (cancellable, error))
        ok = FALSE;
    }
  if (!ok)
    {
      /* Close without keeping a half file where the backend can. */
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abandon, NULL);
      return FALSE;
    }
  /* Many GVfs backends (WebDAV among them) send the file only now. */
  if (!g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &local_error))
    return fail (self, error, local_error, _("Could not write"), path);
  return TRUE;
}

static gboolean
gio_mkdir (FerryBackend  *backend,
           const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  GioBackend *self = (GioBackend *) backend;
  g_autoptr(GFile) file = NULL;
  GError *local_error = NULL;

  if (!ensure_mounted (self, cancellable, error) || (file = file_for (self, path, error)) == NULL)
    return FALSE;
  if (g_file_make_directory (file, cancellable, &local_error))
    return TRUE;
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS)
      && g_file_query_file_type (file, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable) == G_FILE_TYPE_DIRECTORY)
    {
      g_error_free (local_error);
      return TRUE;
    }
  return fail (self, error, local_error, _("Could not create the folder"), path);
}

static gboolean
gio_set_mtime (FerryBackend  *backend,
               const char    *path,
               gint64         mtime,
               GCancellable  *cancellable,
               GError       **error)
{
  GioBackend *self = (GioBackend *) backend;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  GError *local_error = NULL;
  FerryError code;

  if (self->times_refused)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("This location does not let Ferry set modification times"));
      return FALSE;
    }
  if (!ensure_mounted (self, cancellable, error) || (file = file_for (self, path, error)) == NULL)
    return FALSE;
  info = g_file_info_new ();
  g_file_info_set_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED, (guint64) mtime);
  g_file_info_set_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC, 0);
  if (g_file_set_attributes_from_info (file, info, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, &local_error))
    return TRUE;

  code = code_for (local_error);
  if (code == FERRY_ERROR_TRANSIENT || code == FERRY_ERROR_CANCELLED || code == FERRY_ERROR_NOT_FOUND
      || code == FERRY_ERROR_CONNECT)
    return fail (self, error, local_error, _("Could not set the time of"), path);
  /* Refused as such (GVfs's WebDAV answers "not supported"): say so once. */
  self->times_refused = TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               _("This location does not let Ferry set modification times (%s)"), local_error->message);
  g_error_free (local_error);
  return FALSE;
}

static gboolean
gio_rename (FerryBackend  *backend,
            const char    *from,
            const char    *to,
            GCancellable  *cancellable,
            GError       **error)
{
  GioBackend *self = (GioBackend *) backend;
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) destination = NULL;
  GError *local_error = NULL;

  if (!ensure_mounted (self, cancellable, error)
      || (source = file_for (self, from, error)) == NULL
      || (destination = file_for (self, to, error)) == NULL)
    return FALSE;
  /* Within one folder (the engine's temporary name beside the final
   * one): a rename, not a move. GVfs 1.50's WebDAV backend stops
   * answering after about 32 moves in one session (measured with plain
   * `gio move`); its rename has no such limit. A rename does not
   * replace, so an old file of that name goes first. */
  {
    g_autoptr(GFile) source_parent = g_file_get_parent (source);
    g_autoptr(GFile) destination_parent = g_file_get_parent (destination);
    g_autofree char *name = g_file_get_basename (destination);

    if (source_parent != NULL && destination_parent != NULL && g_file_equal (source_parent, destination_parent))
      {
        g_autoptr(GFile) renamed = g_file_set_display_name (source, name, cancellable, &local_error);

        if (renamed == NULL && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
          {
            g_clear_error (&local_error);
            if (!g_file_delete (destination, cancellable, &local_error))
              return fail (self, error, local_error, _("Could not rename"), from);
            renamed = g_file_set_display_name (source, name, cancellable, &local_error);
          }
        if (renamed != NULL)
          return TRUE;
        if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
          return fail (self, error, local_error, _("Could not rename"), from);
        g_clear_error (&local_error);
      }
  }
  if (g_file_move (source, destination, G_FILE_COPY_OVERWRITE | G_FILE_COPY_NOFOLLOW_SYMLINKS,
                   cancellable, NULL, NULL, &local_error))
    return TRUE;
  return fail (self, error, local_error, _("Could not rename"), from);
}

static gboolean
gio_remove (FerryBackend  *backend,
            const char    *path,
            GCancellable  *cancellable,
            GError       **error)
{
  GioBackend *self = (GioBackend *) backend;
  g_autoptr(GFile) file = NULL;
  GError *local_error = NULL;

  if (!ensure_mounted (self, cancellable, error) || (file = file_for (self, path, error)) == NULL)
    return FALSE;
  if (g_file_has_prefix (self->root, file) || g_file_equal (self->root, file))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PERMISSION,
                   _("Ferry does not remove the location itself (%s)"), path);
      return FALSE;
    }
  if (g_file_delete (file, cancellable, &local_error))
    return TRUE;
  return fail (self, error, local_error, _("Could not remove"), path);
}

static gboolean
gio_connect (FerryBackend  *backend,
             GCancellable  *cancellable,
             GError       **error)
{
  return ensure_mounted ((GioBackend *) backend, cancellable, error);
}

static void
gio_free (FerryBackend *backend)
{
  GioBackend *self = (GioBackend *) backend;

  if (self->password != NULL)
    explicit_bzero (self->password, strlen (self->password));
  g_free (self->password);
  g_free (self->username);
  g_clear_object (&self->root);
  g_free (self->buffer);
  g_free (self);
}

static const FerryBackendVTable gio_vtable = {
  .list = gio_list,
  .stat = gio_stat,
  .read = gio_read,
  .write = gio_write,
  .mkdir = gio_mkdir,
  .set_mtime = gio_set_mtime,
  .rename = gio_rename,
  .remove = gio_remove,
  .remove_folder = gio_remove,
  .connect = gio_connect,
  .free = gio_free,
};

FerryBackend *
ferry_backend_gio_new (FerryConnector  *connector,
                       const char      *password,
                       GError         **error)
{
  GioBackend *self;
  const char *uri = ferry_connector_get_server (connector);

  if (uri == NULL || strstr (uri, "://") == NULL)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                           _("A GNOME Files location starts with its kind, such as dav://, davs://, "
                             "smb:// or google-drive://"));
      return NULL;
    }
  self = g_new0 (GioBackend, 1);
  self->parent.vtable = &gio_vtable;
  self->parent.connector = g_object_ref (connector);
  self->root = g_file_new_for_uri (uri);
  self->username = g_strdup (ferry_connector_get_username (connector));
  self->password = g_strdup (password);
  self->buffer = g_malloc (CHUNK_SIZE);
  return &self->parent;
}
