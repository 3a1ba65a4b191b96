/* ferry-backend-sftp.c: SFTP through one libcurl session per backend
 * (ferry-curl-session.c), over libssh2.
 *
 * The session lives as long as the backend, so the SSH connection stays
 * open between calls. Folder operations are libcurl's SFTP quote commands
 * on the open connection; a download brings the file's time along.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-backend-sftp.h"
#include "ferry-curl-session.h"
#include "ferry-error.h"
#include "ferry-listing.h"

typedef struct
{
  FerryBackend parent;
  FerryCurlSession session;
} FerrySftpBackend;

static void
reset_sftp_options (FerryCurlSession *session)
{
  curl_easy_setopt (session->easy, CURLOPT_APPEND, 0L);
  curl_easy_setopt (session->easy, CURLOPT_DIRLISTONLY, 0L);
  curl_easy_setopt (session->easy, CURLOPT_IGNORE_CONTENT_LENGTH, 1L);
  curl_easy_setopt (session->easy, CURLOPT_FTP_FILEMETHOD, (long) CURLFTPMETHOD_NOCWD);
}

/* Quote commands on the open connection. Their replies are not FTP codes:
 * libcurl reports what failed in its own words. */
static gboolean
run_quotes_at (FerrySftpBackend  *self,
               const char       **commands,
               const char        *where,
               GCancellable      *cancellable,
               GError           **error)
{
  gboolean ok = ferry_curl_session_run_quotes (&self->session, commands, where, cancellable, error);

  if (ok && self->session.state.last_reply_failed)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PERMISSION, "%s",
                   self->session.state.last_reply != NULL ? self->session.state.last_reply
                                                          : _("The server refused the command"));
      ok = FALSE;
    }
  return ok;
}

static gboolean
run_quote (FerrySftpBackend  *self,
           const char        *command,
           GCancellable      *cancellable,
           GError           **error)
{
  const char *commands[] = { command, NULL };

  return run_quotes_at (self, commands, "/", cancellable, error);
}

/* Paths are absolute from the server's root (DESIGN.md), quoted for
 * libcurl's quote commands. */
static char *
quote_arg (const char *path)
{
  GString *out = g_string_new ("\"");

  for (const char *p = path; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

static gboolean
sftp_connect (FerryBackend  *backend,
              GCancellable  *cancellable,
              GError       **error)
{
  FerrySftpBackend *self = (FerrySftpBackend *) backend;

  if (self->session.control != CURL_SOCKET_BAD)
    return TRUE;
  return run_quote (self, "pwd", cancellable, error);
}

static GPtrArray *
sftp_list (FerryBackend  *backend,
           const char    *dir,
           GCancellable  *cancellable,
           GError       **error)
{
  FerrySftpBackend *self = (FerrySftpBackend *) backend;
  FerryCurlSession *session = &self->session;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *path = ferry_curl_dir_path (dir);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_clear_pointer (&backend->list_refusals, g_ptr_array_unref);
  if (!ferry_curl_check_path (dir, error))
    return NULL;
  ferry_curl_session_reset_call (session);
  session->body = body;
  if (!ferry_curl_session_perform (session, path, cancellable, error))
    return NULL;
  session->body = NULL;
  return ferry_curl_parse_listing (body, now, &backend->list_refusals, error);
}

static FerryEntry *
sftp_stat (FerryBackend  *backend,
           const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  FerrySftpBackend *self = (FerrySftpBackend *) backend;
  FerryCurlSession *session = &self->session;
  g_autofree char *name = g_path_get_basename (path);
  curl_off_t size = -1;
  curl_off_t filetime = -1;
  FerryEntry *entry;

  if (!ferry_curl_check_path (path, error))
    return NULL;
  ferry_curl_session_reset_call (session);
  curl_easy_setopt (session->easy, CURLOPT_NOBODY, 1L);
  curl_easy_setopt (session->easy, CURLOPT_FILETIME, 1L);
  if (!ferry_curl_session_perform (session, path, cancellable, error))
    return NULL;

  curl_easy_getinfo (session->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &size);
  curl_easy_getinfo (session->easy, CURLINFO_FILETIME_T, &filetime);
  entry = ferry_entry_new (name, FERRY_ENTRY_FILE);
  if (size >= 0)
    {
      entry->size = size;
      entry->size_known = TRUE;
    }
  if (filetime >= 0)
    {
      entry->mtime = filetime;
      entry->precision = FERRY_TIME_SECONDS;
    }
  return entry;
}

static gboolean
sftp_get_mtime (FerryBackend  *backend,
                const char    *path,
                gint64        *mtime,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(FerryEntry) entry = NULL;

  if (!ferry_curl_check_path (path, error))
    return FALSE;
  entry = sftp_stat (backend, path, cancellable, error);
  if (entry == NULL)
    return FALSE;
  *mtime = entry->mtime;
  return TRUE;
}

static gboolean
sftp_set_mtime (FerryBackend  *backend,
                const char    *path,
                gint64         mtime,
                GCancellable  *cancellable,
                GError       **error)
{
  FerrySftpBackend *self = (FerrySftpBackend *) backend;
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (mtime);
  g_autofree char *arg = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *command = NULL;

  if (!ferry_curl_check_path (path, error))
    return FALSE;
  if (when == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "time out of range");
      return FALSE;
    }
  arg = quote_arg (path);
  stamp = g_date_time_format (when, "\"%a, %d %b %Y %H:%M:%S GMT\"");
  command = g_strdup_printf ("mtime %s %s", stamp, arg);
  return run_quote (self, command, cancellable, error);
}

static gboolean
sftp_read (FerryBackend   *backend,
           const char     *path,
           guint64         offset,
           FerrySinkFunc   sink,
           gpointer        sink_data,
           GCancellable   *cancellable,
           GError        **error)
{
  FerrySftpBackend *self = (FerrySftpBackend *) backend;
  FerryCurlSession *session = &self->session;
  curl_off_t filetime = -1;

  if (!ferry_curl_check_path (path, error))
    return FALSE;
  ferry_curl_session_reset_call (session);
  session->sink = sink;
  session->sink_data = sink_data;
  backend->read_mtime_known = FALSE;
  /* The file's time comes with the download (libcurl stats it on the open
   * session), one call where asking first took two. */
  curl_easy_setopt (session->easy, CURLOPT_FILETIME, 1L);
  if (offset > 0)
    {
      curl_easy_setopt (session->easy, CURLOPT_IGNORE_CONTENT_LENGTH, 0L);
      curl_easy_setopt (session->easy, CURLOPT_RESUME_FROM_LARGE, (curl_off_t) offset);
    }
  if (!ferry_curl_session_perform (session, path, cancellable, error))
    return FALSE;
  curl_easy_getinfo (session->easy, CURLINFO_FILETIME_T, &filetime);
  backend->read_mtime_known = filetime >= 0;
  backend->read_mtime = filetime;
  return TRUE;
}

static gboolean
sftp_write (FerryBackend     *backend,
            const char       *path,
            guint64           offset,
            FerrySourceFunc   source,
            gpointer          source_data,
            GCancellable     *cancellable,
            GError          **error)
{
  FerrySftpBackend *self = (FerrySftpBackend *) backend;
  FerryCurlSession *session = &self->session;

  if (!ferry_curl_check_path (path, error))
    return FALSE;
  ferry_curl_session_reset_call (session);
  curl_easy_setopt (session->easy, CURLOPT_UPLOAD, 1L);
  session->source = source;
  session->source_data = source_data;
  /* Resume an upload with the append flag; the caller checked the part
   * already there is `offset` long. */
  if (offset > 0)
    curl_easy_setopt (session->easy, CURLOPT_APPEND, 1L);
  return ferry_curl_session_perform (session, path, cancellable, error);
}

static gboolean
sftp_mkdir (FerryBackend  *backend,
            const char    *path,
            GCancellable  *cancellable,
            GError       **error)
{
  FerrySftpBackend *self = (FerrySftpBackend *) backend;
  g_autofree char *arg = NULL;
  g_autofree char *command = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GPtrArray) siblings = NULL;
  g_autoptr(GError) mkdir_error = NULL;

  if (!ferry_curl_check_path (path, error))
    return FALSE;
  arg = quote_arg (path);
  command = g_strdup_printf ("mkdir %s", arg);
  if (run_quote (self, command, cancellable, &mkdir_error))
    return TRUE;
  if (g_error_matches (mkdir_error, FERRY_ERROR, FERRY_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&mkdir_error));
      return FALSE;
    }

  /* Refused: fine if the folder is there already. Only the parent's
   * listing tells: a transfer-less request on the folder's URL succeeds
   * for a folder that does not exist. */
  dir = g_path_get_dirname (path);
  name = g_path_get_basename (path);
  siblings = sftp_list (backend, dir, cancellable, NULL);
  for (guint i = 0; siblings != NULL && i < siblings->len; i++)
    {
      FerryEntry *entry = g_ptr_array_index (siblings, i);

      if (entry->type == FERRY_ENTRY_DIRECTORY && g_strcmp0 (entry->name, name) == 0)
        return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&mkdir_error));
  return FALSE;
}

static gboolean
run_on_path (FerrySftpBackend  *self,
             const char        *verb,
             const char        *path,
             GCancellable      *cancellable,
             GError           **error)
{
  g_autofree char *arg = NULL;
  g_autofree char *command = NULL;

  if (!ferry_curl_check_path (path, error))
    return FALSE;
  arg = quote_arg (path);
  command = g_strdup_printf ("%s %s", verb, arg);
  return run_quote (self, command, cancellable, error);
}

static gboolean
sftp_remove (FerryBackend  *backend,
             const char    *path,
             GCancellable  *cancellable,
             GError       **error)
{
  return run_on_path ((FerrySftpBackend *) backend, "rm", path, cancellable, error);
}

static gboolean
sftp_remove_folder (FerryBackend  *backend,
                    const char    *path,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return run_on_path ((FerrySftpBackend *) backend, "rmdir", path, cancellable, error);
}

static gboolean
sftp_rename (FerryBackend  *backend,
             const char    *from,
             const char    *to,
             GCancellable  *cancellable,
             GError       **error)
{
  FerrySftpBackend *self = (FerrySftpBackend *) backend;
  g_autofree char *from_arg = NULL;
  g_autofree char *to_arg = NULL;
  g_autofree char *remove = NULL;
  g_autofree char *rename = NULL;

  if (!ferry_curl_check_path (from, error)
      || !ferry_curl_check_path (to, error))
    return FALSE;
  from_arg = quote_arg (from);
  to_arg = quote_arg (to);
  remove = g_strdup_printf ("rm %s", to_arg);
  rename = g_strdup_printf ("rename %s %s", from_arg, to_arg);

  /* SFTP v3 will not rename over a file: clear the way first (a missing
   * target is fine). */
  run_quote (self, remove, cancellable, NULL);
  return run_quote (self, rename, cancellable, error);
}

static gboolean
sftp_is_folder (FerryBackend  *backend,
                const char    *path,
                gboolean      *is_file,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(FerryEntry) entry = NULL;

  *is_file = FALSE;
  if (!ferry_curl_check_path (path, error))
    return FALSE;
  /* A folder opens for listing; a file answers a stat. */
  entries = sftp_list (backend, path, cancellable, &local_error);
  if (entries != NULL)
    return TRUE;
  if (g_error_matches (local_error, FERRY_ERROR, FERRY_ERROR_CANCELLED) || ferry_error_is_transient (local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  entry = sftp_stat (backend, path, cancellable, NULL);
  *is_file = entry != NULL;
  return FALSE;
}

static char *
sftp_login_folder (FerryBackend  *backend,
                   GCancellable  *cancellable,
                   GError       **error)
{
  FerrySftpBackend *self = (FerrySftpBackend *) backend;
  const char *commands[] = { "pwd", NULL };

  /* libcurl's SFTP "pwd" names the URL's folder: "/~/" is the home. */
  g_clear_pointer (&self->session.state.login_folder, g_free);
  if (!run_quotes_at (self, commands, NULL, cancellable, error))
    return NULL;
  return g_strdup (self->session.state.login_folder != NULL ? self->session.state.login_folder : "/");
}

static void
sftp_free (FerryBackend *backend)
{
  FerrySftpBackend *self = (FerrySftpBackend *) backend;

  ferry_curl_session_clear (&self->session);
  g_free (self);
}

static const FerryBackendVTable sftp_vtable = {
  .list = sftp_list,
  .stat = sftp_stat,
  .get_mtime = sftp_get_mtime,
  .read = sftp_read,
  .write = sftp_write,
  .mkdir = sftp_mkdir,
  .set_mtime = sftp_set_mtime,
  .rename = sftp_rename,
  .remove = sftp_remove,
  .is_folder = sftp_is_folder,
  .login_folder = sftp_login_folder,
  .remove_folder = sftp_remove_folder,
  .connect = sftp_connect,
  .free = sftp_free,
};

FerryBackend *
ferry_backend_sftp_new (FerryConnector  *connector,
                        const char      *password,
                        GError         **error)
{
  FerrySftpBackend *self;
  CURL *easy;

  self = g_new0 (FerrySftpBackend, 1);
  self->parent.vtable = &sftp_vtable;
  self->parent.connector = g_object_ref (connector);
  /* Times come with each download (sftp_read()). */
  self->parent.times_with_read = TRUE;
  if (!ferry_curl_session_init (&self->session, &self->parent, password,
                                FERRY_CURL_SESSION_WAIT_READABLE, reset_sftp_options, error))
    {
      FerryConnector *c = self->parent.connector;

      sftp_free (&self->parent);
      g_object_unref (c);
      return NULL;
    }

  easy = self->session.easy;
  curl_easy_setopt (easy, CURLOPT_FTP_FILEMETHOD, (long) CURLFTPMETHOD_NOCWD);
  curl_easy_setopt (easy, CURLOPT_IGNORE_CONTENT_LENGTH, 1L);
  curl_easy_setopt (easy, CURLOPT_FTP_CREATE_MISSING_DIRS, (long) CURLFTP_CREATE_DIR_NONE);
  return &self->parent;
}
