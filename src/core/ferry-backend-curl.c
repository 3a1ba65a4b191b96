/* ferry-backend-curl.c: FTP, FTPS (explicit and implicit) and SFTP through
 * one libcurl easy handle per session.
 *
 * The handle lives as long as the session, so libcurl keeps the control
 * connection (and the TLS session) open between calls: a worker logs in
 * once for thousands of files. Per file, the fewest round trips: full paths
 * without CWD, no SIZE before RETR (the listing already said how big the file
 * is), and folder operations as quote commands on the open connection.
 * Modification times are in ferry-backend-curl-mtime.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ferry-backend-curl.h"
#include "ferry-backend-curl-private.h"
#include "ferry-curl.h"
#include "ferry-error.h"
#include "ferry-ftp-reply.h"
#include "ferry-listing.h"

/* About a million entries of LIST text: far more than any real folder. */
#define MAX_LISTING_BYTES (128 * 1024 * 1024)

static void
trace (const char *line,
       gpointer    user_data)
{
  FerryCurlBackend *self = user_data;

  if (self->parent.trace != NULL)
    self->parent.trace (line, self->parent.trace_data);
}

static int
progress (void       *user_data,
          curl_off_t  dltotal,
          curl_off_t  dlnow,
          curl_off_t  ultotal,
          curl_off_t  ulnow)
{
  FerryCurlBackend *self = user_data;

  /* Cancel stops the transfer within a progress tick (well under a second). */
  return g_cancellable_is_cancelled (self->cancellable) ? 1 : 0;
}

static size_t
write_to_sink (char   *data,
               size_t  size,
               size_t  nmemb,
               void   *user_data)
{
  FerryCurlBackend *self = user_data;
  gsize length = size * nmemb;

  if (self->body != NULL)
    {
      /* A listing that never ends must not take all memory. */
      if (self->body->len + length > MAX_LISTING_BYTES)
        {
          g_set_error (&self->callback_error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                       _("The folder listing passed %d MiB: the server seems to send it without end"),
                       MAX_LISTING_BYTES / (1024 * 1024));
          return CURL_WRITEFUNC_ERROR;
        }
      g_string_append_len (self->body, data, length);
      return length;
    }
  /* Calls without a sink (stat) get libcurl's "Content-Length:" lines for
   * FTP here too: nothing to keep. */
  if (self->sink == NULL)
    return length;
  /* Cancel stops at the next piece of data, not at the next turn of the
   * loop: libcurl may hand over many pieces in one turn. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return CURL_WRITEFUNC_ERROR;
  if (!self->sink ((const guint8 *) data, length, self->sink_data, &self->callback_error))
    return CURL_WRITEFUNC_ERROR;
  return length;
}

static size_t
read_from_source (char   *buffer,
                  size_t  size,
                  size_t  nitems,
                  void   *user_data)
{
  FerryCurlBackend *self = user_data;
  gssize n;

  if (self->source == NULL)
    return 0;
  if (g_cancellable_is_cancelled (self->cancellable))
    return CURL_READFUNC_ABORT;
  n = self->source ((guint8 *) buffer, size * nitems, self->source_data, &self->callback_error);
  if (n < 0)
    return CURL_READFUNC_ABORT;
  return (size_t) n;
}

/* Options that belong to one call go back to their defaults after it. */
static void
reset_call (FerryCurlBackend *self)
{
  curl_easy_setopt (self->easy, CURLOPT_NOBODY, 0L);
  curl_easy_setopt (self->easy, CURLOPT_UPLOAD, 0L);
  curl_easy_setopt (self->easy, CURLOPT_APPEND, 0L);
  curl_easy_setopt (self->easy, CURLOPT_RESUME_FROM_LARGE, (curl_off_t) 0);
  curl_easy_setopt (self->easy, CURLOPT_QUOTE, NULL);
  curl_easy_setopt (self->easy, CURLOPT_CUSTOMREQUEST, NULL);
  curl_easy_setopt (self->easy, CURLOPT_FILETIME, 0L);
  curl_easy_setopt (self->easy, CURLOPT_DIRLISTONLY, 0L);
  curl_easy_setopt (self->easy, CURLOPT_INFILESIZE_LARGE, (curl_off_t) -1);
  curl_easy_setopt (self->easy, CURLOPT_IGNORE_CONTENT_LENGTH, 1L);
  curl_easy_setopt (self->easy, CURLOPT_FTP_FILEMETHOD, (long) CURLFTPMETHOD_NOCWD);
  self->sink = NULL;
  self->source = NULL;
  self->body = NULL;
  self->cancellable = NULL;
  g_clear_error (&self->callback_error);
  self->errbuf[0] = '\0';
  ferry_curl_state_reset (&self->state);
  /* No trace set, no lines made for one. */
  self->state.trace = self->parent.trace != NULL ? trace : NULL;
}

/* Every socket libcurl opens comes through here; the first of a session is
 * its control connection. */
static curl_socket_t
open_socket (void                 *user_data,
             curlsocktype          purpose,
             struct curl_sockaddr *address)
{
  FerryCurlBackend *self = user_data;
  curl_socket_t fd;

  fd = socket (address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
  if (fd != CURL_SOCKET_BAD && self->control == CURL_SOCKET_BAD)
    self->control = fd;
  return fd;
}

static int
close_socket (void          *user_data,
              curl_socket_t  fd)
{
  FerryCurlBackend *self = user_data;

  if (fd == self->control)
    self->control = CURL_SOCKET_BAD;
  return close (fd);
}

/* SFTP: waits until the SSH connection has something for libcurl. libcurl
 * 7.88 asks to wait for its SSH socket to be writable whenever libssh2 did
 * not say which way it blocks (ssh_getsock(): "if(!conn->waitfor)"), and a
 * socket is nearly always writable: curl_multi_poll() returned at once,
 * about 160 times per 4 KiB file, with as many recv() calls answered
 * EAGAIN (strace -c of 1000 files: 160 096 polls, 181 357 EAGAIN; ferry-cli
 * used 2.6 s of CPU where lftp used 0.5 s, on two cores shared with sshd).
 * What libcurl waits for is the server's answer: readable; or, when the
 * socket is full, writable. Called only when libcurl has no work due now
 * (curl_multi_timeout() not 0), which is when libssh2 holds nothing unread
 * either, and never during an upload, where writable is the right wait;
 * `timeout_ms` bounds a wrong guess. */
static void
sftp_wait (FerryCurlBackend *self,
           int               cancel_fd,
           int               timeout_ms)
{
  struct pollfd fds[2] = { { self->control, POLLOUT, 0 }, { cancel_fd, POLLIN, 0 } };
  int result;

  /* Not writable now: libssh2 may be waiting to send the rest. */
  if (poll (fds, 1, 0) == 1 && (fds[0].revents & POLLOUT) != 0)
    fds[0].events = POLLIN;
  else
    fds[0].events = POLLIN | POLLOUT;
  do
    result = poll (fds, cancel_fd >= 0 ? 2 : 1, timeout_ms);
  while (result < 0 && errno == EINTR);
}

/* One transfer through the session's multi handle.
 *
 * Not curl_easy_perform(): libcurl 7.88 (Debian 12) leaves the FTP control
 * socket out of its poll set while it sets up the passive data connection,
 * so an EPSV reply that was not there at once is read only when the 1 s
 * poll times out (fixed upstream in 8.7, curl/curl#12913). Here the control
 * socket joins the poll as an extra descriptor, and so does the
 * cancellable's, so Cancel is immediate too. */
static void
release_cancel_fd (FerryCurlBackend *self)
{
  if (self->fd_cancellable == NULL)
    return;
  if (self->cancel_fd >= 0)
    g_cancellable_release_fd (self->fd_cancellable);
  g_clear_object (&self->fd_cancellable);
  self->cancel_fd = -1;
}

static int
cancel_fd_for (FerryCurlBackend *self,
               GCancellable     *cancellable)
{
  if (cancellable != self->fd_cancellable)
    {
      release_cancel_fd (self);
      if (cancellable != NULL)
        {
          self->fd_cancellable = g_object_ref (cancellable);
          self->cancel_fd = g_cancellable_get_fd (cancellable);
        }
    }
  return cancellable != NULL ? self->cancel_fd : -1;
}

static CURLcode
drive (FerryCurlBackend *self,
       GCancellable     *cancellable)
{
  CURLcode result = CURLE_OK;
  gboolean finished = FALSE;
  int cancel_fd = cancel_fd_for (self, cancellable);
  guint control_wakes = 0;
  guint passive_replies = self->state.passive_replies;
  int running = 1;

  curl_multi_add_handle (self->multi, self->easy);
  while (!finished)
    {
      struct curl_waitfd extra[2];
      unsigned int n_extra = 0;
      int control_index = -1;
      int timeout_ms = 1000;
      CURLMsg *message;
      int left;

      if (curl_multi_perform (self->multi, &running) != CURLM_OK)
        {
          result = CURLE_FAILED_INIT;
          break;
        }
      while ((message = curl_multi_info_read (self->multi, &left)) != NULL)
        if (message->msg == CURLMSG_DONE && message->easy_handle == self->easy)
          {
            result = message->data.result;
            finished = TRUE;
          }
      if (finished || running == 0)
        break;
      if (g_cancellable_is_cancelled (cancellable))
        {
          result = CURLE_ABORTED_BY_CALLBACK;
          break;
        }

      /* Not while uploading: then a writable socket is what libcurl
       * rightly waits for. */
      if (self->sftp && self->control != CURL_SOCKET_BAD && self->source == NULL)
        {
          long wait_ms = -1;

          curl_multi_timeout (self->multi, &wait_ms);
          if (wait_ms != 0)
            {
              sftp_wait (self, cancel_fd, wait_ms < 0 || wait_ms > 1000 ? 1000 : (int) wait_ms);
              continue;
            }
        }
      if (cancel_fd >= 0)
        extra[n_extra++] = (struct curl_waitfd) { cancel_fd, CURL_WAIT_POLLIN, 0 };
      /* A control socket that stays readable while libcurl does not read it
       * (a 226 ahead of the data's end) would wake the loop at once again
       * and again: after two such wakes in a row, one short plain wait. */
      if (!self->sftp && self->control != CURL_SOCKET_BAD && control_wakes < 2)
        {
          control_index = n_extra;
          extra[n_extra++] = (struct curl_waitfd) { self->control, CURL_WAIT_POLLIN, 0 };
        }
      else if (control_wakes >= 2)
        {
          timeout_ms = 1;
          control_wakes = 0;
        }
      /* After a passive reply, libcurl 7.88 connects the data channel only
       * on its next turn but asks for none: give it one at once. */
      if (self->state.passive_replies != passive_replies)
        {
          passive_replies = self->state.passive_replies;
          timeout_ms = 0;
        }
      if (curl_multi_poll (self->multi, extra, n_extra, timeout_ms, NULL) != CURLM_OK)
        {
          result = CURLE_FAILED_INIT;
          break;
        }
      if (control_index >= 0 && (extra[control_index].revents & CURL_WAIT_POLLIN) != 0)
        control_wakes++;
      else if (control_index >= 0)
        control_wakes = 0;
    }
  curl_multi_remove_handle (self->multi, self->easy);
  return result;
}

static gboolean
perform (FerryCurlBackend  *self,
         const char        *path,
         GCancellable      *cancellable,
         GError           **error)
{
  g_autofree char *url = ferry_connector_dup_url (self->parent.connector, path);
  CURLcode code;

  self->cancellable = cancellable;
  curl_easy_setopt (self->easy, CURLOPT_URL, url);
  code = drive (self, cancellable);
  if (code == CURLE_OK)
    return TRUE;

  if (self->callback_error != NULL && !g_cancellable_is_cancelled (cancellable))
    g_propagate_error (error, g_steal_pointer (&self->callback_error));
  else if (g_cancellable_is_cancelled (cancellable))
    g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CANCELLED, _("Cancelled"));
  else
    ferry_curl_set_error (error, code, &self->state, self->errbuf);
  return FALSE;
}

/* Quote commands on the open connection, with nothing transferred. Each is
 * sent with libcurl's '*' prefix, so a refusal does not make libcurl drop the
 * connection (and log in again); success is judged by the reply instead. */
static gboolean
run_quotes_at (FerryCurlBackend  *self,
               const char       **commands,
               const char        *where,
               GCancellable      *cancellable,
               GError           **error)
{
  struct curl_slist *list = NULL;
  gboolean ok;

  reset_call (self);
  for (guint i = 0; commands[i] != NULL; i++)
    {
      g_autofree char *tolerant = g_strconcat ("*", commands[i], NULL);

      list = curl_slist_append (list, tolerant);
    }
  curl_easy_setopt (self->easy, CURLOPT_QUOTE, list);
  curl_easy_setopt (self->easy, CURLOPT_NOBODY, 1L);
  ok = perform (self, where, cancellable, error);
  curl_easy_setopt (self->easy, CURLOPT_QUOTE, NULL);
  curl_slist_free_all (list);

  /* FTP: the last reply is the last command's. SFTP quote replies are not
   * FTP codes; libcurl reports what failed in its own words. */
  if (ok && !self->sftp && self->state.last_code >= 400)
    {
      ferry_curl_set_error (error, CURLE_QUOTE_ERROR, &self->state, NULL);
      ok = FALSE;
    }
  if (ok && self->sftp && self->state.last_reply_failed)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PERMISSION, "%s",
                   self->state.last_reply != NULL ? self->state.last_reply : _("The server refused the command"));
      ok = FALSE;
    }
  return ok;
}

static gboolean
run_quotes (FerryCurlBackend  *self,
            const char       **commands,
            GCancellable      *cancellable,
            GError           **error)
{
  return run_quotes_at (self, commands, "/", cancellable, error);
}

gboolean
_ferry_backend_curl_run_quote (FerryCurlBackend  *self,
                               const char        *command,
                               GCancellable      *cancellable,
                               GError           **error)
{
  const char *commands[] = { command, NULL };

  return run_quotes (self, commands, cancellable, error);
}

/* Paths are absolute from the server's root on FTP as on SFTP (DESIGN.md);
 * SFTP's are quoted for libcurl's quote commands. */
char *
_ferry_backend_curl_quote_arg (FerryCurlBackend *self,
                               const char       *path)
{
  GString *out;

  if (!self->sftp)
    return g_strdup (*path != '\0' ? path : "/");
  out = g_string_new ("\"");
  for (const char *p = path; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

gboolean
_ferry_backend_curl_has_control_chars (const char *path)
{
  for (const char *p = path; *p != '\0'; p++)
    if ((guchar) *p < 0x20)
      return TRUE;
  return FALSE;
}

/* A CR or LF in a path would split one FTP command into two. */
gboolean
_ferry_backend_curl_check_path (const char  *path,
                                GError     **error)
{
  if (_ferry_backend_curl_has_control_chars (path))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_BAD_NAME,
                           _("The path contains a control character"));
      return FALSE;
    }
  return TRUE;
}

static char *
dir_url_path (const char *dir)
{
  return g_str_has_suffix (dir, "/") ? g_strdup (dir) : g_strconcat (dir, "/", NULL);
}

/* Before the first command of each FTP session: FEAT once per backend
 * (servers do not change their features between sessions), then OPTS UTF8
 * ON on every new session of a server that offers it, so names travel as
 * UTF-8. Costs nothing while the session stays open. */
gboolean
_ferry_backend_curl_ftp_session (FerryCurlBackend  *self,
                                 GCancellable      *cancellable,
                                 GError           **error)
{
  if (self->sftp || self->control != CURL_SOCKET_BAD)
    return TRUE;

  if (!self->features_known)
    {
      g_autoptr(GHashTable) features = NULL;
      g_autoptr(GError) feat_error = NULL;
      gboolean ok;

      ok = _ferry_backend_curl_run_quote (self, "FEAT", cancellable, &feat_error);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      /* No session at all (refused, wrong password): that is the answer,
       * not a reason to log in once more for the command itself. */
      if (!ok && self->control == CURL_SOCKET_BAD)
        {
          g_propagate_error (error, g_steal_pointer (&feat_error));
          return FALSE;
        }
      /* A server without FEAT (RFC 2389 is optional) simply has none. */
      if (ok && self->state.reply != NULL)
        features = ferry_ftp_parse_feat (self->state.reply);
      if (features != NULL)
        {
          self->has_mlsd = g_hash_table_contains (features, "MLSD")
                           || g_hash_table_contains (features, "MLST");
          self->has_utf8 = g_hash_table_contains (features, "UTF8");
          self->has_mdtm = g_hash_table_contains (features, "MDTM");
          _ferry_backend_curl_note_hashes (self, features);
        }
      self->features_known = TRUE;
    }
  /* FEAT logged in: only a session opened by it, or later, needs OPTS. */
  if (self->has_utf8 && self->control == CURL_SOCKET_BAD)
    {
      g_autoptr(GError) opts_error = NULL;

      if (!_ferry_backend_curl_run_quote (self, "OPTS UTF8 ON", cancellable, &opts_error)
          && self->control == CURL_SOCKET_BAD)
        {
          g_propagate_error (error, g_steal_pointer (&opts_error));
          return FALSE;
        }
    }
  else if (self->has_utf8)
    _ferry_backend_curl_run_quote (self, "OPTS UTF8 ON", cancellable, NULL);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static gboolean
curl_connect (FerryBackend  *backend,
              GCancellable  *cancellable,
              GError       **error)
{
  FerryCurlBackend *self = (FerryCurlBackend *) backend;

  if (!self->sftp)
    return _ferry_backend_curl_ftp_session (self, cancellable, error);
  if (self->control != CURL_SOCKET_BAD)
    return TRUE;
  return _ferry_backend_curl_run_quote (self, "pwd", cancellable, error);
}

static GPtrArray *
curl_list (FerryBackend  *backend,
           const char    *dir,
           GCancellable  *cancellable,
           GError       **error)
{
  FerryCurlBackend *self = (FerryCurlBackend *) backend;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *path = dir_url_path (dir);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) local_error = NULL;
  GPtrArray *entries;

  g_clear_pointer (&backend->list_refusals, g_ptr_array_unref);
  if (!_ferry_backend_curl_check_path (dir, error)
      || !_ferry_backend_curl_ftp_session (self, cancellable, error))
    return NULL;
  reset_call (self);
  self->body = body;
  /* Machine-readable facts with exact times where the server has them.
   * Otherwise "LIST -a": a plain LIST leaves out names starting with a dot
   * on vsftpd and others (.htaccess!), and a migration must not lose them
   * silently. A server that refuses the option gets plain LIST from then
   * on. */
  if (self->has_mlsd)
    curl_easy_setopt (self->easy, CURLOPT_CUSTOMREQUEST, "MLSD");
  else if (!self->sftp && !self->no_list_all)
    curl_easy_setopt (self->easy, CURLOPT_CUSTOMREQUEST, "LIST -a");
  /* LIST hands its argument to ls on some servers, split at spaces (GNU
   * inetutils: "LIST My Documents" lists "My" and "Documents"): change
   * into such a folder and list it, as lftp does. MLSD takes the whole
   * line (RFC 3659), so a server with MLSD is asked the direct way. */
  if (!self->sftp && !self->has_mlsd && strpbrk (dir, " \t") != NULL)
    curl_easy_setopt (self->easy, CURLOPT_FTP_FILEMETHOD, (long) CURLFTPMETHOD_SINGLECWD);
  if (!perform (self, path, cancellable, &local_error))
    {
      gboolean retry = !self->sftp && !self->has_mlsd && !self->no_list_all &&
                       self->state.last_code >= 500 && self->state.last_code < 600 &&
                       self->state.last_code != 530;

      if (!retry)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      self->no_list_all = TRUE;
      g_clear_error (&local_error);
      g_string_truncate (body, 0);
      reset_call (self);
      self->body = body;
      if (strpbrk (dir, " \t") != NULL)
        curl_easy_setopt (self->easy, CURLOPT_FTP_FILEMETHOD, (long) CURLFTPMETHOD_SINGLECWD);
      if (!perform (self, path, cancellable, error))
        return NULL;
    }
  self->body = NULL;
  /* Servers end every listing line with CRLF: a listing that stops in the
   * middle of a line was cut short, whatever the server said afterwards. */
  if (body->len > 0 && body->str[body->len - 1] != '\n')
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                           _("The folder listing was cut off"));
      return NULL;
    }
  entries = ferry_listing_parse_full (FERRY_LISTING_AUTO, body->str, body->len, now, &backend->list_refusals);
  /* "LIST -a" names the folder and its parent too. */
  for (guint i = entries != NULL ? entries->len : 0; i > 0; i--)
    {
      FerryEntry *entry = g_ptr_array_index (entries, i - 1);

      if (g_strcmp0 (entry->name, ".") == 0 || g_strcmp0 (entry->name, "..") == 0)
        g_ptr_array_remove_index (entries, i - 1);
    }
  return entries;
}

/* FTP: "VERB path" about one file, on the open connection; a 550 answer is
 * FERRY_ERROR_NOT_FOUND. The reply is in self->state.reply. */
gboolean
_ferry_backend_curl_ask_about (FerryCurlBackend  *self,
                               const char        *verb,
                               const char        *path,
                               GCancellable      *cancellable,
                               GError           **error)
{
  g_autofree char *arg = _ferry_backend_curl_quote_arg (self, path);
  g_autofree char *command = g_strdup_printf ("%s %s", verb, arg);
  g_autoptr(GError) local_error = NULL;

  if (_ferry_backend_curl_run_quote (self, command, cancellable, &local_error))
    return TRUE;
  if (self->state.last_code == 550)
    g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND, "%s", local_error->message);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static FerryEntry *
curl_stat (FerryBackend  *backend,
           const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  FerryCurlBackend *self = (FerryCurlBackend *) backend;
  g_autofree char *name = g_path_get_basename (path);
  curl_off_t size = -1;
  curl_off_t filetime = -1;
  FerryEntry *entry;

  if (!_ferry_backend_curl_check_path (path, error)

      || !_ferry_backend_curl_ftp_session (self, cancellable, error))
    return NULL;

  if (!self->sftp)
    {
      /* MDTM and SIZE as quote commands: two round trips, where a bodiless
       * request would add REST and TYPE. */
      gint64 mtime = 0;
      gboolean have_time;
      g_autoptr(GError) local_error = NULL;

      have_time = _ferry_backend_curl_ftp_mdtm (self, path, &mtime, cancellable, &local_error);
      if (!have_time && (g_error_matches (local_error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND) ||
                         g_error_matches (local_error, FERRY_ERROR, FERRY_ERROR_CANCELLED)))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_clear_error (&local_error);
      if (!_ferry_backend_curl_ask_about (self, "SIZE", path, cancellable, error))
        return NULL;
      entry = ferry_entry_new (name, FERRY_ENTRY_FILE);
      if (self->state.reply != NULL && self->state.reply->code == 213)
        {
          g_autofree char *text = g_strstrip (g_strdup (self->state.reply->lines[0]));
          guint64 value;

          if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
            {
              entry->size = value;
              entry->size_known = TRUE;
            }
        }
      if (have_time)
        {
          entry->mtime = mtime;
          entry->precision = FERRY_TIME_SECONDS;
        }
      return entry;
    }

  reset_call (self);
  curl_easy_setopt (self->easy, CURLOPT_NOBODY, 1L);
  curl_easy_setopt (self->easy, CURLOPT_FILETIME, 1L);
  if (!perform (self, path, cancellable, error))
    return NULL;

  curl_easy_getinfo (self->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &size);
  curl_easy_getinfo (self->easy, CURLINFO_FILETIME_T, &filetime);
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
curl_read (FerryBackend   *backend,
           const char     *path,
           guint64         offset,
           FerrySinkFunc   sink,
           gpointer        sink_data,
           GCancellable   *cancellable,
           GError        **error)
{
  FerryCurlBackend *self = (FerryCurlBackend *) backend;

  if (!_ferry_backend_curl_check_path (path, error)

      || !_ferry_backend_curl_ftp_session (self, cancellable, error))
    return FALSE;
  reset_call (self);
  self->sink = sink;
  self->sink_data = sink_data;
  backend->read_mtime_known = FALSE;
  /* SFTP: the file's time comes with the download (libcurl stats it on
   * the open session), one call where asking first took two. */
  if (self->sftp)
    curl_easy_setopt (self->easy, CURLOPT_FILETIME, 1L);
  if (offset > 0)
    {
      /* libcurl sends REST only on the SIZE path: resumes, which are rare,
       * pay for the SIZE round trip. */
      curl_easy_setopt (self->easy, CURLOPT_IGNORE_CONTENT_LENGTH, 0L);
      curl_easy_setopt (self->easy, CURLOPT_RESUME_FROM_LARGE, (curl_off_t) offset);
    }
  if (!perform (self, path, cancellable, error))
    return FALSE;
  if (self->sftp)
    {
      curl_off_t filetime = -1;

      curl_easy_getinfo (self->easy, CURLINFO_FILETIME_T, &filetime);
      backend->read_mtime_known = filetime >= 0;
      backend->read_mtime = filetime;
    }
  return TRUE;
}

static gboolean
curl_write (FerryBackend     *backend,
            const char       *path,
            guint64           offset,
            FerrySourceFunc   source,
            gpointer          source_data,
            GCancellable     *cancellable,
            GError          **error)
{
  FerryCurlBackend *self = (FerryCurlBackend *) backend;

  if (!_ferry_backend_curl_check_path (path, error)

      || !_ferry_backend_curl_ftp_session (self, cancellable, error))
    return FALSE;
  reset_call (self);
  curl_easy_setopt (self->easy, CURLOPT_UPLOAD, 1L);
  self->source = source;
  self->source_data = source_data;
  /* Resume an upload by appending to the part already there (APPE, or the
   * append flag on SFTP); the caller checked its size equals `offset`. */
  if (offset > 0)
    curl_easy_setopt (self->easy, CURLOPT_APPEND, 1L);
  return perform (self, path, cancellable, error);
}

static gboolean
curl_mkdir (FerryBackend  *backend,
            const char    *path,
            GCancellable  *cancellable,
            GError       **error)
{
  FerryCurlBackend *self = (FerryCurlBackend *) backend;
  g_autofree char *arg = NULL;
  g_autofree char *command = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GPtrArray) siblings = NULL;
  g_autoptr(GError) mkdir_error = NULL;

  if (!_ferry_backend_curl_check_path (path, error)

      || !_ferry_backend_curl_ftp_session (self, cancellable, error))
    return FALSE;
  arg = _ferry_backend_curl_quote_arg (self, path);
  command = g_strdup_printf (self->sftp ? "mkdir %s" : "MKD %s", arg);
  if (_ferry_backend_curl_run_quote (self, command, cancellable, &mkdir_error))
    return TRUE;
  if (g_error_matches (mkdir_error, FERRY_ERROR, FERRY_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&mkdir_error));
      return FALSE;
    }

  /* Refused: fine if the folder is there already. FTP: CWD tells, where
   * the parent may not be listable (a home's parents are often 711). SFTP:
   * only the parent's listing tells: a transfer-less request on the
   * folder's URL succeeds for a folder that does not exist. */
  if (!self->sftp)
    {
      if (_ferry_backend_curl_ask_about (self, "CWD", path, cancellable, NULL))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&mkdir_error));
      return FALSE;
    }
  dir = g_path_get_dirname (path);
  name = g_path_get_basename (path);
  siblings = curl_list (backend, dir, cancellable, NULL);
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
curl_remove (FerryBackend  *backend,
             const char    *path,
             GCancellable  *cancellable,
             GError       **error)
{
  FerryCurlBackend *self = (FerryCurlBackend *) backend;
  g_autofree char *arg = NULL;
  g_autofree char *command = NULL;

  if (!_ferry_backend_curl_check_path (path, error)

      || !_ferry_backend_curl_ftp_session (self, cancellable, error))
    return FALSE;
  arg = _ferry_backend_curl_quote_arg (self, path);
  command = g_strdup_printf (self->sftp ? "rm %s" : "DELE %s", arg);
  return _ferry_backend_curl_run_quote (self, command, cancellable, error);
}

static gboolean
curl_remove_folder (FerryBackend  *backend,
                    const char    *path,
                    GCancellable  *cancellable,
                    GError       **error)
{
  FerryCurlBackend *self = (FerryCurlBackend *) backend;
  g_autofree char *arg = NULL;
  g_autofree char *command = NULL;

  if (!_ferry_backend_curl_check_path (path, error) ||
      !_ferry_backend_curl_ftp_session (self, cancellable, error))
    return FALSE;
  arg = _ferry_backend_curl_quote_arg (self, path);
  command = g_strdup_printf (self->sftp ? "rmdir %s" : "RMD %s", arg);
  return _ferry_backend_curl_run_quote (self, command, cancellable, error);
}

static gboolean
curl_rename (FerryBackend  *backend,
             const char    *from,
             const char    *to,
             GCancellable  *cancellable,
             GError       **error)
{
  FerryCurlBackend *self = (FerryCurlBackend *) backend;
  g_autofree char *from_arg = NULL;
  g_autofree char *to_arg = NULL;

  if (!_ferry_backend_curl_check_path (from, error)

      || !_ferry_backend_curl_check_path (to, error)

      || !_ferry_backend_curl_ftp_session (self, cancellable, error))
    return FALSE;
  from_arg = _ferry_backend_curl_quote_arg (self, from);
  to_arg = _ferry_backend_curl_quote_arg (self, to);

  if (self->sftp)
    {
      g_autofree char *remove = g_strdup_printf ("rm %s", to_arg);
      g_autofree char *rename = g_strdup_printf ("rename %s %s", from_arg, to_arg);
      const char *first[] = { remove, NULL };
      const char *second[] = { rename, NULL };

      /* SFTP v3 will not rename over a file: clear the way first (a missing
       * target is fine). */
      run_quotes (self, first, cancellable, NULL);
      return run_quotes (self, second, cancellable, error);
    }
  else
    {
      g_autofree char *rnfr = g_strdup_printf ("RNFR %s", from_arg);
      g_autofree char *rnto = g_strdup_printf ("RNTO %s", to_arg);
      const char *commands[] = { rnfr, rnto, NULL };

      return run_quotes (self, commands, cancellable, error);
    }
}

static gboolean
curl_is_folder (FerryBackend  *backend,
                const char    *path,
                gboolean      *is_file,
                GCancellable  *cancellable,
                GError       **error)
{
  FerryCurlBackend *self = (FerryCurlBackend *) backend;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(FerryEntry) entry = NULL;

  *is_file = FALSE;
  if (!_ferry_backend_curl_check_path (path, error)
      || !_ferry_backend_curl_ftp_session (self, cancellable, error))
    return FALSE;
  if (!self->sftp)
    {
      /* Every server has CWD; a file or nothing answers 550. Paths are
       * absolute, so where the session stands afterwards is no matter. */
      if (_ferry_backend_curl_ask_about (self, "CWD", path, cancellable, &local_error))
        return TRUE;
      if (!g_error_matches (local_error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_clear_error (&local_error);
      /* MDTM first: proftpd refuses SIZE in ASCII mode, where a session
       * starts. */
      *is_file = (_ferry_backend_curl_ask_about (self, "MDTM", path, cancellable, NULL)
                  && self->state.last_code == 213)
                 || (_ferry_backend_curl_ask_about (self, "SIZE", path, cancellable, NULL)
                     && self->state.last_code == 213);
      return FALSE;
    }
  /* SFTP: a folder opens for listing; a file answers a stat. */
  entries = curl_list (backend, path, cancellable, &local_error);
  if (entries != NULL)
    return TRUE;
  if (g_error_matches (local_error, FERRY_ERROR, FERRY_ERROR_CANCELLED) || ferry_error_is_transient (local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  entry = curl_stat (backend, path, cancellable, NULL);
  *is_file = entry != NULL;
  return FALSE;
}

static char *
curl_login_folder (FerryBackend  *backend,
                   GCancellable  *cancellable,
                   GError       **error)
{
  FerryCurlBackend *self = (FerryCurlBackend *) backend;
  const char *commands[] = { self->sftp ? "pwd" : "PWD", NULL };

  if (!_ferry_backend_curl_ftp_session (self, cancellable, error))
    return NULL;
  /* libcurl's SFTP "pwd" names the URL's folder: "/~/" is the home. */
  g_clear_pointer (&self->state.login_folder, g_free);
  if (!run_quotes_at (self, commands, self->sftp ? NULL : "/", cancellable, error))
    return NULL;
  return g_strdup (self->state.login_folder != NULL ? self->state.login_folder : "/");
}

static void
backend_curl_free (FerryBackend *backend)
{
  FerryCurlBackend *self = (FerryCurlBackend *) backend;

  release_cancel_fd (self);
  /* The multi handle holds the connections: it goes first, and says QUIT. */
  if (self->multi != NULL)
    curl_multi_cleanup (self->multi);
  if (self->easy != NULL)
    curl_easy_cleanup (self->easy);
  ferry_curl_state_clear (&self->state);
  g_clear_error (&self->callback_error);
  if (self->password != NULL)
    explicit_bzero (self->password, strlen (self->password));
  g_free (self->password);
  g_free (self);
}

static const FerryBackendVTable curl_vtable = {
  .list = curl_list,
  .stat = curl_stat,
  .get_mtime = _ferry_backend_curl_get_mtime,
  .get_mtimes = _ferry_backend_curl_get_mtimes,
  .read = curl_read,
  .write = curl_write,
  .mkdir = curl_mkdir,
  .set_mtime = _ferry_backend_curl_set_mtime,
  .rename = curl_rename,
  .remove = curl_remove,
  .is_folder = curl_is_folder,
  .login_folder = curl_login_folder,
  .remove_folder = curl_remove_folder,
  .hash = _ferry_backend_curl_hash,
  .connect = curl_connect,
  .free = backend_curl_free,
};

FerryBackend *
ferry_backend_curl_new (FerryConnector  *connector,
                        const char      *password,
                        GError         **error)
{
  FerryCurlBackend *self;

  ferry_curl_global_init ();

  self = g_new0 (FerryCurlBackend, 1);
  self->parent.vtable = &curl_vtable;
  self->parent.connector = g_object_ref (connector);
  self->password = g_strdup (password != NULL ? password : "");
  self->sftp = ferry_connector_get_kind (connector) == FERRY_CONNECTOR_KIND_SFTP;
  self->parent.times_with_read = self->sftp;
  self->easy = curl_easy_init ();
  self->cancel_fd = -1;
  self->multi = curl_multi_init ();
  self->control = CURL_SOCKET_BAD;
  self->state.trace = trace;
  self->state.trace_data = self;

  if (self->easy == NULL || self->multi == NULL
      || !ferry_curl_setup (self->easy, self->parent.connector, self->password, &self->state, error))
    {
      FerryConnector *c = self->parent.connector;

      if (self->easy == NULL)
        g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_FAILED, "curl_easy_init failed");
      backend_curl_free (&self->parent);
      g_object_unref (c);
      return NULL;
    }

  curl_easy_setopt (self->easy, CURLOPT_ERRORBUFFER, self->errbuf);
  curl_easy_setopt (self->easy, CURLOPT_OPENSOCKETFUNCTION, open_socket);
  curl_easy_setopt (self->easy, CURLOPT_OPENSOCKETDATA, self);
  curl_easy_setopt (self->easy, CURLOPT_CLOSESOCKETFUNCTION, close_socket);
  curl_easy_setopt (self->easy, CURLOPT_CLOSESOCKETDATA, self);
  curl_easy_setopt (self->easy, CURLOPT_WRITEFUNCTION, write_to_sink);
  curl_easy_setopt (self->easy, CURLOPT_WRITEDATA, self);
  curl_easy_setopt (self->easy, CURLOPT_READFUNCTION, read_from_source);
  curl_easy_setopt (self->easy, CURLOPT_READDATA, self);
  curl_easy_setopt (self->easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (self->easy, CURLOPT_XFERINFOFUNCTION, progress);
  curl_easy_setopt (self->easy, CURLOPT_XFERINFODATA, self);
  /* Per file, the fewest commands: absolute paths without CWD, and no SIZE
   * before RETR — on a TLS control channel each round trip is costly. */
  curl_easy_setopt (self->easy, CURLOPT_FTP_FILEMETHOD, (long) CURLFTPMETHOD_NOCWD);
  curl_easy_setopt (self->easy, CURLOPT_IGNORE_CONTENT_LENGTH, 1L);
  curl_easy_setopt (self->easy, CURLOPT_FTP_CREATE_MISSING_DIRS, (long) CURLFTP_CREATE_DIR_NONE);
  /* Big files move in 256 KiB pieces, not libcurl's default 16 KiB: a
   * sixteenth of the hand-overs between the two ends of a copy. */
  curl_easy_setopt (self->easy, CURLOPT_BUFFERSIZE, 256L * 1024);
  curl_easy_setopt (self->easy, CURLOPT_UPLOAD_BUFFERSIZE, 256L * 1024);
  return &self->parent;
}
