/* ferry-curl-session.c: one libcurl session into a server (see
 * ferry-curl-session.h).
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

#include "ferry-curl-session.h"
#include "ferry-error.h"
#include "ferry-listing.h"

/* About a million entries of LIST text: far more than any real folder. */
#define MAX_LISTING_BYTES (128 * 1024 * 1024)

static void
trace (const char *line,
       gpointer    user_data)
{
  FerryCurlSession *self = user_data;

  if (self->backend->trace != NULL)
    self->backend->trace (line, self->backend->trace_data);
}

static int
progress (void       *user_data,
          curl_off_t  dltotal,
          curl_off_t  dlnow,
          curl_off_t  ultotal,
          curl_off_t  ulnow)
{
  FerryCurlSession *self = user_data;

  /* Cancel stops the transfer within a progress tick (well under a second). */
  return g_cancellable_is_cancelled (self->cancellable) ? 1 : 0;
}

static size_t
write_to_sink (char   *data,
               size_t  size,
               size_t  nmemb,
               void   *user_data)
{
  FerryCurlSession *self = user_data;
  gsize length = size * nmemb;

  if (self->body != NULL)
    {
      gsize limit = self->max_body != 0 ? self->max_body : MAX_LISTING_BYTES;

      /* A listing that never ends must not take all memory. */
      if (self->body->len + length > limit)
        {
          g_set_error (&self->callback_error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                       _("The folder listing passed %d MiB: the server seems to send it without end"),
                       (int) (limit / (1024 * 1024)));
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
  FerryCurlSession *self = user_data;
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

void
ferry_curl_session_reset_call (FerryCurlSession *self)
{
  curl_easy_setopt (self->easy, CURLOPT_NOBODY, 0L);
  curl_easy_setopt (self->easy, CURLOPT_UPLOAD, 0L);
  curl_easy_setopt (self->easy, CURLOPT_RESUME_FROM_LARGE, (curl_off_t) 0);
  curl_easy_setopt (self->easy, CURLOPT_QUOTE, NULL);
  curl_easy_setopt (self->easy, CURLOPT_CUSTOMREQUEST, NULL);
  curl_easy_setopt (self->easy, CURLOPT_FILETIME, 0L);
  curl_easy_setopt (self->easy, CURLOPT_INFILESIZE_LARGE, (curl_off_t) -1);
  if (self->reset != NULL)
    self->reset (self);
  self->sink = NULL;
  self->source = NULL;
  self->body = NULL;
  self->max_body = 0;
  self->cancellable = NULL;
  g_clear_error (&self->callback_error);
  self->errbuf[0] = '\0';
  ferry_curl_state_reset (&self->state);
  /* No trace set, no lines made for one. */
  self->state.trace = self->backend->trace != NULL ? trace : NULL;
}

/* The server waits for the password: the backend's owner says whether it
 * goes now (FerryBackend.before_password). If not, the control connection
 * is shut down before libcurl sends it, and the login fails. */
static gboolean
password_asked (gpointer user_data,
                gint64   round_trip)
{
  FerryCurlSession *self = user_data;
  FerryBackend *backend = self->backend;

  if (backend->before_password == NULL ||
      backend->before_password (backend->login_data, round_trip))
    return TRUE;
  if (self->control != CURL_SOCKET_BAD)
    shutdown (self->control, SHUT_RDWR);
  return FALSE;
}

static void
login_passed (gpointer user_data)
{
  FerryCurlSession *self = user_data;
  FerryBackend *backend = self->backend;

  if (backend->login_passed != NULL)
    backend->login_passed (backend->login_data);
}

/* Every socket libcurl opens comes through here; the first of a session is
 * its control connection. */
static curl_socket_t
open_socket (void                 *user_data,
             curlsocktype          purpose,
             struct curl_sockaddr *address)
{
  FerryCurlSession *self = user_data;
  curl_socket_t fd;

  fd = socket (address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
  if (fd != CURL_SOCKET_BAD && self->control == CURL_SOCKET_BAD)
    {
      self->control = fd;
      self->control_serial++;
    }
  return fd;
}

static int
close_socket (void          *user_data,
              curl_socket_t  fd)
{
  FerryCurlSession *self = user_data;

  if (fd == self->control)
    self->control = CURL_SOCKET_BAD;
  return close (fd);
}

/* SSH: waits until the connection has something for libcurl. libcurl
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
wait_readable (FerryCurlSession *self,
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
static CURLcode
drive (FerryCurlSession *self,
       GCancellable     *cancellable)
{
  CURLcode result = CURLE_OK;
  gboolean finished = FALSE;
  gboolean watch_control = (self->flags & FERRY_CURL_SESSION_WATCH_CONTROL) != 0;
  gboolean wait_for_answers = (self->flags & FERRY_CURL_SESSION_WAIT_READABLE) != 0;
  int cancel_fd = ferry_cancel_fd_for (&self->cancel_fd, cancellable);
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
      if (wait_for_answers && self->control != CURL_SOCKET_BAD && self->source == NULL)
        {
          long wait_ms = -1;

          curl_multi_timeout (self->multi, &wait_ms);
          if (wait_ms != 0)
            {
              wait_readable (self, cancel_fd, wait_ms < 0 || wait_ms > 1000 ? 1000 : (int) wait_ms);
              continue;
            }
        }
      if (cancel_fd >= 0)
        extra[n_extra++] = (struct curl_waitfd) { cancel_fd, CURL_WAIT_POLLIN, 0 };
      /* A control socket that stays readable while libcurl does not read it
       * (a 226 ahead of the data's end) would wake the loop at once again
       * and again: after two such wakes in a row, one short plain wait. */
      if (watch_control && self->control != CURL_SOCKET_BAD && control_wakes < 2)
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

gboolean
ferry_curl_session_perform_url (FerryCurlSession  *self,
                                const char        *url,
                                GCancellable      *cancellable,
                                GError           **error)
{
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

gboolean
ferry_curl_session_perform (FerryCurlSession  *self,
                            const char        *path,
                            GCancellable      *cancellable,
                            GError           **error)
{
  g_autofree char *url = ferry_connector_dup_url (self->backend->connector, path);

  return ferry_curl_session_perform_url (self, url, cancellable, error);
}

gboolean
ferry_curl_session_run_quotes (FerryCurlSession  *self,
                               const char       **commands,
                               const char        *where,
                               GCancellable      *cancellable,
                               GError           **error)
{
  struct curl_slist *list = NULL;
  gboolean ok;

  ferry_curl_session_reset_call (self);
  for (guint i = 0; commands[i] != NULL; i++)
    {
      g_autofree char *tolerant = g_strconcat ("*", commands[i], NULL);

      list = curl_slist_append (list, tolerant);
    }
  curl_easy_setopt (self->easy, CURLOPT_QUOTE, list);
  curl_easy_setopt (self->easy, CURLOPT_NOBODY, 1L);
  ok = ferry_curl_session_perform (self, where, cancellable, error);
  curl_easy_setopt (self->easy, CURLOPT_QUOTE, NULL);
  curl_slist_free_all (list);
  return ok;
}

gboolean
ferry_curl_has_control_chars (const char *path)
{
  for (const char *p = path; *p != '\0'; p++)
    if ((guchar) *p < 0x20)
      return TRUE;
  return FALSE;
}

/* A CR or LF in a path would split one FTP command into two. */
gboolean
ferry_curl_check_path (const char  *path,
                       GError     **error)
{
  if (ferry_curl_has_control_chars (path))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_BAD_NAME,
                           _("The path contains a control character"));
      return FALSE;
    }
  return TRUE;
}

char *
ferry_curl_dir_path (const char *dir)
{
  return g_str_has_suffix (dir, "/") ? g_strdup (dir) : g_strconcat (dir, "/", NULL);
}

void
ferry_curl_session_clear (FerryCurlSession *self)
{
  ferry_cancel_fd_clear (&self->cancel_fd);
  /* The multi handle holds the connections: it goes first, and says QUIT. */
  if (self->multi != NULL)
    curl_multi_cleanup (self->multi);
  self->multi = NULL;
  if (self->easy != NULL)
    curl_easy_cleanup (self->easy);
  self->easy = NULL;
  ferry_curl_state_clear (&self->state);
  g_clear_error (&self->callback_error);
  if (self->password != NULL)
    explicit_bzero (self->password, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
}

gboolean
ferry_curl_session_init (FerryCurlSession       *self,
                         FerryBackend           *backend,
                         const char             *password,
                         FerryCurlSessionFlags   flags,
                         FerryCurlResetFunc      reset,
                         GError                **error)
{
  ferry_curl_global_init ();

  self->backend = backend;
  self->flags = flags;
  self->reset = reset;
  self->password = g_strdup (password != NULL ? password : "");
  self->easy = curl_easy_init ();
  self->cancel_fd.fd = -1;
  self->multi = curl_multi_init ();
  self->control = CURL_SOCKET_BAD;
  self->state.trace = trace;
  self->state.trace_data = self;
  self->state.password_asked = password_asked;
  self->state.login_passed = login_passed;
  self->state.login_hook_data = self;

  if (self->easy == NULL || self->multi == NULL
      || !ferry_curl_setup (self->easy, backend->connector, self->password, &self->state, error))
    {
      if (self->easy == NULL)
        g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_FAILED, "curl_easy_init failed");
      return FALSE;
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
  /* Big files move in 256 KiB pieces, not libcurl's default 16 KiB: a
   * sixteenth of the hand-overs between the two ends of a copy. */
  curl_easy_setopt (self->easy, CURLOPT_BUFFERSIZE, 256L * 1024);
  curl_easy_setopt (self->easy, CURLOPT_UPLOAD_BUFFERSIZE, 256L * 1024);
  return TRUE;
}

GPtrArray *
ferry_curl_parse_listing (GString    *body,
                          GDateTime  *now,
                          GPtrArray **refusals,
                          GError    **error)
{
  GPtrArray *entries;

  if (body->len > 0 && body->str[body->len - 1] != '\n')
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                           _("The folder listing was cut off"));
      return NULL;
    }
  entries = ferry_listing_parse_full (FERRY_LISTING_AUTO, body->str, body->len, now, refusals);
  /* "LIST -a" names the folder and its parent too. */
  for (guint i = entries != NULL ? entries->len : 0; i > 0; i--)
    {
      FerryEntry *entry = g_ptr_array_index (entries, i - 1);

      if (g_strcmp0 (entry->name, ".") == 0 || g_strcmp0 (entry->name, "..") == 0)
        g_ptr_array_remove_index (entries, i - 1);
    }
  return entries;
}
