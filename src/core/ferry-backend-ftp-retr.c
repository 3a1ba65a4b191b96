/* ferry-backend-ftp-retr.c: a download in one round trip fewer, or two with
 * the next file asked for ahead, on a plain control connection.
 *
 * libcurl 7.88 sends EPSV, waits for its reply, connects the data channel
 * and only then sends RETR: two round trips per file before the first byte
 * (bench/README.md, "The latency jobs"). The passive command and RETR may
 * go out together (RFC 959 lets a client send ahead; the server answers in
 * order and waits for the data connection on RETR), which leaves one round
 * trip: "EPSV" and "RETR path" in one write, the data connection opened on
 * the 229 reply, the data read to its end, then the 226.
 *
 * Only where it is safe to step around libcurl: a plain control connection,
 * or a TLS one whose TLS libcurl lends (ferry-backend-ftp-tls.c: each data
 * connection's TLS then resumes the control connection's session, and ends
 * with the server's close_notify), between two libcurl calls, once libcurl
 * itself has moved a file on this same connection in binary type (so the
 * server's TYPE is I and libcurl's memory of it agrees), from offset 0.
 * Anything else, and any server that does not answer EPSV with 229 once,
 * goes libcurl's way. Anything unexpected during the transfer shuts the
 * control connection down, as the MDTM burst does, and libcurl opens a new
 * one for the next call.
 *
 * The next file, asked for ahead: when the worker knows the file it reads
 * next (ferry_backend_hint_read()), its EPSV and RETR go out with this
 * file's, and the server, which answers in order, has its 229 on the way
 * right after this file's 226: the next read opens its data connection at
 * once (self->ahead keeps its replies so far and the parser). Only on a
 * server seen to hold commands until a transfer ends: once per session, a
 * NOOP follows the first pipelined RETR, and a 200 before the RETR's end
 * (pyftpdlib runs commands at once, and an EPSV there closes the data
 * connection of the file being sent) keeps the session at one file at a
 * time. A reply of 400 or more during a transfer with a file asked ahead
 * is the next file's (ProFTPD refuses EPSV and RETR with 450 while it
 * sends): that file goes libcurl's way, and the session asks nothing ahead
 * any more. A 229 is never taken for RETR's end, so no file cut short
 * passes for a whole one. Any other command, or
 * another file, drops what was asked ahead with the connection
 * (_ferry_backend_ftp_drop_ahead()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ferry-backend-ftp-private.h"
#include "ferry-backend-ftp-tls.h"
#include "ferry-error.h"
#include "ferry-ftp-reply.h"

/* How long RETR's reply is awaited once its data connection failed. */
#define DATA_FAILED_WAIT_MS 5000
/* How long a port left listening at the server is given to be released. */
#define RELEASE_WAIT_MS 1000

typedef struct
{
  FerryFtpBackend *self;
  FerryFtpControlIo *io;  /* the control connection, plain or TLS */
  FerryFtpReplyParser *parser;
  FerryFtpJob *cur;      /* the file this call reads */
  FerryFtpJob *next;     /* the next file, asked for ahead in this call */
  gboolean probing;      /* a NOOP follows cur's RETR (see below) */
  gboolean noop_answered;
  gboolean garbled;      /* the server lost the commands sent ahead */
} Retr;

/* RETR's final reply came, and it says the file was sent. */
static gboolean
answered_ok (const FerryFtpJob *job)
{
  return job->finals == 2 && job->retr_code >= 200 && job->retr_code < 300;
}

static FerryFtpJob *
job_new (const char *path)
{
  FerryFtpJob *job = g_new0 (FerryFtpJob, 1);

  job->path = g_strdup (path);
  return job;
}

void
_ferry_backend_ftp_job_free (FerryFtpJob *job)
{
  if (job == NULL)
    return;
  g_free (job->path);
  g_free (job->refusal);
  g_free (job);
}


/* A RETR left waiting holds the port its EPSV opened at the server, which
 * listens until a data connection comes (vsftpd: 60 s) even after the
 * control connection is gone: a run that drops many sessions can use up a
 * small passive range ("OOPS: priv_sock_get_int"). A connection to that
 * port, closed at once, lets the server end the RETR and the session. */
static void
release_listener (FerryFtpBackend     *self,
                  FerryFtpControlIo   *io,
                  FerryFtpJob         *job,
                  FerryFtpReplyParser *parser)
{
  struct pollfd connecting = { -1, POLLOUT, 0 };
  gint64 deadline = g_get_monotonic_time () + RELEASE_WAIT_MS * 1000;

  if (job == NULL)
    return;
  /* Its EPSV's answer, unless it came: the server sends it once the
   * transfer before ends, a round trip away or less. */
  while (job->finals == 0 && parser != NULL)
    {
      struct pollfd control = { self->session.control, POLLIN, 0 };
      gint64 left = deadline - g_get_monotonic_time ();
      FerryFtpReply *reply;
      char buffer[4096];
      ssize_t got;

      if (left <= 0 || (!_ferry_backend_ftp_control_pending (io)
                        && poll (&control, 1, (int) (left / 1000) + 1) <= 0))
        return;
      got = _ferry_backend_ftp_control_recv (io, buffer, sizeof buffer);
      if (got < 0 && errno == EAGAIN)
        continue;
      if (got <= 0 || !ferry_ftp_reply_parser_feed (parser, buffer, (gsize) got, NULL))
        return;
      while ((reply = ferry_ftp_reply_parser_pop (parser)) != NULL)
        {
          /* Replies before it belong to the transfer that failed. */
          if (job->finals == 0 && reply->code == 229)
            {
              job->finals = 1;
              job->epsv_code = _ferry_backend_ftp_parse_epsv (reply->lines[0], &job->port) ? 229 : -1;
            }
          ferry_ftp_reply_free (reply);
        }
    }
  if (job->finals != 1 || job->epsv_code != 229 || job->started)
    return;
  if ((connecting.fd = _ferry_backend_ftp_open_data (self, job->port)) < 0)
    return;
  /* The handshake must end for the server to see it: a round trip. */
  poll (&connecting, 1, RELEASE_WAIT_MS);
  close (connecting.fd);
}

/* The file asked for ahead is no longer wanted (another command comes, or
 * another file): its RETR is waiting at the server for a data connection
 * that will not come, so the control connection goes, and libcurl opens a
 * new one on its next call. Its EPSV's answer, when it came, says which
 * port to release first. */
void
_ferry_backend_ftp_drop_ahead (FerryFtpBackend *self)
{
  if (self->ahead == NULL)
    return;
  if (self->session.control != CURL_SOCKET_BAD && self->ahead_serial == self->session.control_serial)
    {
      FerryFtpControlIo io;

      if (_ferry_backend_ftp_control_begin (self, &io))
        {
          release_listener (self, &io, self->ahead, self->ahead_parser);
          _ferry_backend_ftp_control_end (&io);
        }
      ferry_curl_state_show (&self->session.state, "* the file asked for ahead is not read: reconnecting");
      shutdown (self->session.control, SHUT_RDWR);
    }
  self->binary_serial = 0;
  g_clear_pointer (&self->ahead, _ferry_backend_ftp_job_free);
  g_clear_pointer (&self->ahead_parser, ferry_ftp_reply_parser_free);
}

void
_ferry_backend_ftp_hint_read (FerryBackend *backend,
                              const char   *path)
{
  FerryFtpBackend *self = (FerryFtpBackend *) backend;

  g_free (self->read_hint);
  self->read_hint = g_strdup (path);
}

/* "229 Entering Extended Passive Mode (|||port|)" */
gboolean
_ferry_backend_ftp_parse_epsv (const char *line,
                               guint16    *port)
{
  const char *open = strchr (line, '(');
  guint64 value;
  char delimiter;
  const char *p;
  char *end = NULL;

  if (open == NULL || open[1] == '\0')
    return FALSE;
  delimiter = open[1];
  p = open + 1;
  if (p[1] != delimiter || p[2] != delimiter)
    return FALSE;
  p += 3;
  value = g_ascii_strtoull (p, &end, 10);
  if (end == p || *end != delimiter || value == 0 || value > 65535)
    return FALSE;
  *port = (guint16) value;
  return TRUE;
}

static void
note_reply (Retr          *retr,
            FerryFtpReply *reply)
{
  FerryCurlState *state = &retr->self->session.state;
  g_autofree char *text = ferry_ftp_reply_get_text (reply);
  g_autofree char *shown = g_strdup_printf ("< %u %s", reply->code, text);
  guint n = g_strv_length (reply->lines);

  ferry_curl_mask_control_bytes (shown);
  ferry_curl_state_show (state, shown);
  state->last_code = (int) reply->code;
  g_free (state->last_reply);
  state->last_reply = n > 0 && *reply->lines[n - 1] != '\0'
                      ? g_strdup_printf ("%u %s", reply->code, reply->lines[n - 1])
                      : g_strdup_printf ("%u", reply->code);
  ferry_curl_mask_control_bytes (state->last_reply);
}

/* One reply to one file's EPSV and RETR, in order; FALSE when it fits
 * neither. A 229 is never RETR's answer: a server that answered the EPSV
 * of the file after (having dropped this one's data connection) must not
 * pass for one that sent this file whole. */
static gboolean
feed_job (Retr          *retr,
          FerryFtpJob   *job,
          FerryFtpReply *reply)
{
  if (job->finals == 0 && reply->code >= 200)
    {
      job->epsv_code = (int) reply->code;
      if (reply->code == 229 && !_ferry_backend_ftp_parse_epsv (reply->lines[0], &job->port))
        job->epsv_code = -1;
      job->finals++;
      return TRUE;
    }
  if (job->finals == 1 && (reply->code == 125 || reply->code == 150) && !job->started)
    {
      job->started = TRUE;
      return TRUE;
    }
  if (job->finals == 1 && reply->code >= 200 && reply->code != 229)
    {
      job->retr_code = (int) reply->code;
      if (reply->code >= 300)
        job->refusal = g_strdup (retr->self->session.state.last_reply);
      job->finals++;
      return TRUE;
    }
  return FALSE;
}

/* Reads what the control connection has; FALSE when it closed or sent
 * something out of turn. */
static gboolean
read_control (Retr     *retr,
              GError  **error)
{
  FerryFtpReply *reply;
  gboolean ok = TRUE;

  if (_ferry_backend_ftp_control_feed (retr->io, retr->parser, error) < 0)
    return FALSE;
  while ((reply = ferry_ftp_reply_parser_pop (retr->parser)) != NULL)
    {
      gboolean fits;

      note_reply (retr, reply);
      if (!ok)
        fits = TRUE;
      else if (retr->cur->finals < 2 && retr->probing && !retr->noop_answered
               && retr->cur->finals == 1 && reply->code == 200)
        {
          /* NOOP answered before RETR: this server runs a command while
           * a transfer waits or goes on, so a file asked for ahead could
           * cut the current one short. One at a time here. */
          retr->noop_answered = TRUE;
          retr->self->ahead_mode = FERRY_FTP_AHEAD_NO;
          fits = TRUE;
        }
      else if (retr->cur->finals < 2 && retr->next != NULL && retr->next->finals == 0
               && retr->cur->started && reply->code >= 500)
        {
          /* A server that reads the control connection during a transfer
           * (Pure-FTPd looks for ABOR there) takes the commands sent ahead
           * for one bad line: "500 Unknown command", and the file asked
           * for ahead never gets an answer. Nothing more ahead here; the
           * connection goes once this file ends. */
          retr->self->ahead_mode = FERRY_FTP_AHEAD_NO;
          retr->garbled = TRUE;
          fits = TRUE;
        }
      else if (retr->cur->finals < 2 && retr->next != NULL && retr->next->finals < 2
               && retr->cur->started && reply->code >= 400)
        {
          /* During a transfer, with the next file asked for: the server
           * refusing the commands sent ahead (ProFTPD: "450 EPSV: data
           * transfer in progress"), which come before this file's 226. If
           * it was this file's end instead (426), this file's final reply
           * never comes and the next file's 229 is out of turn: the
           * connection goes and the file is tried again. Either way,
           * nothing more is asked ahead in this session. */
          retr->self->ahead_mode = FERRY_FTP_AHEAD_NO;
          fits = feed_job (retr, retr->next, reply);
        }
      else if (retr->cur->finals < 2)
        fits = feed_job (retr, retr->cur, reply);
      else if (retr->probing && !retr->noop_answered)
        {
          /* NOOP answered after RETR's end: commands wait their turn. */
          retr->noop_answered = TRUE;
          retr->self->ahead_mode = reply->code == 200 ? FERRY_FTP_AHEAD_OK : FERRY_FTP_AHEAD_NO;
          fits = TRUE;
        }
      else if (retr->next != NULL && retr->next->finals < 2)
        fits = feed_job (retr, retr->next, reply);
      else
        fits = FALSE;
      if (ok && !fits)
        {
          g_autofree char *text = ferry_ftp_reply_get_text (reply);

          g_set_error (error, FERRY_ERROR, reply->code == 421 ? FERRY_ERROR_TOO_MANY : FERRY_ERROR_TRANSIENT,
                       _("The server answered out of turn: %s"), text);
          ok = FALSE;
        }
      ferry_ftp_reply_free (reply);
    }
  return ok;
}

/* Opens the data connection to the control connection's peer on `port`
 * (as CURLOPT_FTP_SKIP_PASV_IP does), without waiting for it. */
int
_ferry_backend_ftp_open_data (FerryFtpBackend *self,
                              guint16          port)
{
  struct sockaddr_storage address;
  socklen_t length = sizeof address;
  int fd;

  if (getpeername (self->session.control, (struct sockaddr *) &address, &length) != 0)
    return -1;
  if (address.ss_family == AF_INET)
    ((struct sockaddr_in *) &address)->sin_port = htons (port);
  else if (address.ss_family == AF_INET6)
    ((struct sockaddr_in6 *) &address)->sin6_port = htons (port);
  else
    return -1;
  fd = socket (address.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    return -1;
  if (connect (fd, (struct sockaddr *) &address, length) != 0 && errno != EINPROGRESS)
    {
      close (fd);
      return -1;
    }
  return fd;
}

static void
error_from_reply (FerryFtpBackend  *self,
                  FerryFtpJob      *job,
                  GError          **error)
{
  FerryCurlState *state = &self->session.state;

  /* The reply may have come a call earlier, other replies since. */
  state->last_code = job->retr_code;
  if (job->refusal != NULL)
    {
      g_free (state->last_reply);
      state->last_reply = g_strdup (job->refusal);
    }
  ferry_curl_set_error (error, job->retr_code == 550 ? CURLE_REMOTE_FILE_NOT_FOUND : CURLE_FTP_COULDNT_RETR_FILE,
                        state, NULL);
}

/* "EPSV" and "RETR path" at the end of `out`, shown in the trace. */
static void
append_retr (FerryFtpBackend *self,
             GString         *out,
             const char      *path)
{
  g_autofree char *arg = _ferry_backend_ftp_quote_arg (path);
  g_autofree char *command = g_strdup_printf ("RETR %s", arg);
  g_autofree char *shown = g_strconcat ("> ", command, NULL);

  g_string_append_printf (out, "EPSV\r\n%s\r\n", command);
  ferry_curl_state_show (&self->session.state, "> EPSV");
  ferry_curl_state_show (&self->session.state, shown);
}

static gboolean
read_pipelined (FerryFtpBackend    *self,
                FerryFtpControlIo  *io,
                const char         *path,
                FerrySinkFunc       sink,
                gpointer            sink_data,
                GCancellable       *cancellable,
                GError            **error)
{
  FerryCurlSession *session = &self->session;
  g_autoptr(FerryFtpReplyParser) parser = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree guint8 *buffer = NULL;
  g_autofree char *hint = g_steal_pointer (&self->read_hint);
  FerryFtpJob *cur = NULL;
  Retr retr = { self, io, NULL, NULL, NULL, FALSE, FALSE, FALSE };
  struct pollfd idle = { -1, POLLIN, 0 };
  int cancel_fd = -1;
  int data = -1;
  SSL *data_tls = NULL;      /* over TLS: the data connection's */
  gboolean handshaking = FALSE;
  short tls_events = POLLOUT;
  g_autoptr(GError) tls_error = NULL;  /* its handshake failed: why */
  gboolean connected = FALSE;
  gboolean data_opened = FALSE;  /* a data connection was tried for cur */
  gboolean data_done = FALSE;
  gboolean in_sync = TRUE;   /* FALSE: the connection is in an unknown state */
  gboolean ok = TRUE;
  gboolean fresh = FALSE;    /* this call asks for `path` itself */
  gsize sent = 0;
  int timeout_ms = (int) ferry_curl_reply_timeout () * 1000;
  g_autoptr(GError) data_error = NULL;   /* the data connection failed before RETR's reply */

  /* This file was asked for ahead, on this connection: its replies are
   * coming or came, the data connection is all it waits for. */
  if (self->ahead != NULL && g_strcmp0 (self->ahead->path, path) == 0
      && session->control != CURL_SOCKET_BAD && self->ahead_serial == session->control_serial)
    {
      cur = g_steal_pointer (&self->ahead);
      parser = g_steal_pointer (&self->ahead_parser);
    }
  else
    {
      _ferry_backend_ftp_drop_ahead (self);
      if (self->no_pipelined_retr || session->control == CURL_SOCKET_BAD
          || self->binary_serial != session->control_serial || ferry_curl_has_control_chars (path))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not pipelined here");
          return FALSE;
        }

      /* Anything already waiting on an idle control connection (a 421 for
       * idling too long, its end) is libcurl's to see: it opens a new one. */
      idle.fd = session->control;
      if (poll (&idle, 1, 0) != 0 || _ferry_backend_ftp_control_pending (io))
        {
          self->binary_serial = 0;
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "the connection has news");
          return FALSE;
        }
      cur = job_new (path);
      parser = ferry_ftp_reply_parser_new ();
      fresh = TRUE;
    }
  retr.cur = cur;
  retr.parser = parser;

  ferry_curl_session_reset_call (session);
  /* A fresh file's own commands, unless they went out ahead. */
  if (fresh)
    append_retr (self, out, path);
  /* The next file asked for ahead (RFC 959 lets a client send before the
   * answer; the server answers in order): after this file's 226 the
   * server is already on the next one, one round trip saved per file. Only
   * where the server has shown it runs commands one after another: once
   * per session, a NOOP after the RETR, answered after the RETR's end. */
  if (self->ahead_mode == FERRY_FTP_AHEAD_UNKNOWN && fresh)
    {
      g_string_append (out, "NOOP\r\n");
      ferry_curl_state_show (&session->state, "> NOOP");
      retr.probing = TRUE;
      self->ahead_mode = FERRY_FTP_AHEAD_PROBING;
    }
  else if (self->ahead_mode == FERRY_FTP_AHEAD_OK && hint != NULL && strcmp (hint, path) != 0
           && !ferry_curl_has_control_chars (hint))
    {
      retr.next = job_new (hint);
      append_retr (self, out, hint);
    }
  buffer = g_malloc (256 * 1024);
  if (cancellable != NULL)
    cancel_fd = g_cancellable_get_fd (cancellable);

  /* Asked for ahead, answered already: the data connection at once. */
  if (cur->finals >= 1 && cur->epsv_code == 229 && (cur->finals < 2 || cur->retr_code < 300))
    {
      data_opened = TRUE;
      if ((data = _ferry_backend_ftp_open_data (self, cur->port)) < 0)
        {
          g_set_error (&data_error, FERRY_ERROR, FERRY_ERROR_DATA_CHANNEL,
                       _("Could not open the data connection: %s"), g_strerror (errno));
          timeout_ms = MIN (timeout_ms, DATA_FAILED_WAIT_MS);
        }
    }

  while (ok && (cur->finals < 2 || (data >= 0 && !data_done) || sent < out->len
                || (retr.probing && !retr.noop_answered)))
    {
      struct pollfd fds[3] = { { session->control, POLLIN, 0 }, { data, 0, 0 }, { cancel_fd, POLLIN, 0 } };
      int result;

      if (sent < out->len)
        fds[0].events |= POLLOUT;
      if (data >= 0 && !data_done)
        fds[1].events = !connected ? POLLOUT : handshaking ? tls_events : POLLIN;
      else
        fds[1].fd = -1;
      do
        result = poll (fds, 3, timeout_ms);
      while (result < 0 && errno == EINTR);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          in_sync = FALSE;
          break;
        }
      if (result <= 0)
        {
          if (result == 0 && data_error != NULL)
            g_propagate_error (error, g_steal_pointer (&data_error));
          else if (result == 0)
            g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                                 _("The server stopped answering"));
          else
            g_set_error (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT, "%s", g_strerror (errno));
          ok = FALSE;
          in_sync = FALSE;
          break;
        }
      if ((fds[0].revents & POLLNVAL) != 0)
        {
          g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                               _("The connection to the server was lost"));
          ok = FALSE;
          in_sync = FALSE;
          break;
        }
      if ((fds[0].revents & POLLOUT) != 0 && sent < out->len)
        {
          ssize_t written = _ferry_backend_ftp_control_send (io, out->str + sent, out->len - sent);

          if (written < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            {
              g_set_error (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                           _("The connection to the server was lost: %s"), g_strerror (errno));
              ok = FALSE;
              in_sync = FALSE;
              break;
            }
          if (written > 0)
            sent += (gsize) written;
        }
      if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0)
        {
          guint finals = cur->finals;

          if (!read_control (&retr, error))
            {
              ok = FALSE;
              in_sync = FALSE;
              break;
            }
          if (finals == 0 && cur->finals >= 1)
            {
              if (cur->epsv_code != 229)
                {
                  /* The server takes no EPSV (or said it oddly): libcurl's
                   * way from now on, which falls back to PASV. RETR's
                   * refusal follows. */
                  self->no_pipelined_retr = TRUE;
                }
              else
                {
                  data_opened = TRUE;
                  if ((data = _ferry_backend_ftp_open_data (self, cur->port)) < 0)
                    {
                      g_set_error (&data_error, FERRY_ERROR, FERRY_ERROR_DATA_CHANNEL,
                                   _("Could not open the data connection: %s"), g_strerror (errno));
                      timeout_ms = MIN (timeout_ms, DATA_FAILED_WAIT_MS);
                    }
                }
            }
        }
      if (data >= 0 && !data_done && !connected && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP)) != 0)
        {
          int so_error = 0;
          socklen_t length = sizeof so_error;

          getsockopt (data, SOL_SOCKET, SO_ERROR, &so_error, &length);
          if (so_error != 0 && !answered_ok (cur) && !cur->started)
            {
              /* A server that refuses RETR (550) closes the listener its
               * EPSV opened, maybe before this connection reached it: the
               * refusal, read or on its way, is the truth about this file.
               * Wait a little for RETR's reply before blaming the
               * connection. */
              g_set_error (&data_error, FERRY_ERROR, FERRY_ERROR_DATA_CHANNEL,
                           _("Could not open the data connection: %s"), g_strerror (so_error));
              close (data);
              data = -1;
              timeout_ms = MIN (timeout_ms, DATA_FAILED_WAIT_MS);
              continue;
            }
          if (so_error != 0)
            {
              g_set_error (error, FERRY_ERROR, FERRY_ERROR_DATA_CHANNEL,
                           _("Could not open the data connection: %s"), g_strerror (so_error));
              ok = FALSE;
              in_sync = FALSE;
              break;
            }
          connected = TRUE;
          /* Over TLS: the handshake, resuming the control connection's
           * session (ferry-backend-ftp-tls.c), before any byte is read. */
          if (io->ssl != NULL)
            {
              if ((data_tls = _ferry_backend_ftp_tls_data_new (io, data, error)) == NULL)
                {
                  ok = FALSE;
                  in_sync = FALSE;
                  break;
                }
              handshaking = TRUE;
              tls_events = POLLOUT;
            }
          /* Nothing goes up a download's data connection: its end goes
           * now, not after the data. A server that waits for the
           * client's end before its 226 (vsftpd) answers as soon as the
           * data is out, one round trip sooner. Only where commands were
           * seen to wait for a transfer's end: a server that watches the
           * data connection while it sends could take the end for an
           * abort (and the missing 226 would tell). */
          else if (self->ahead_mode == FERRY_FTP_AHEAD_OK)
            shutdown (data, SHUT_WR);
        }
      else if (data >= 0 && !data_done && connected && handshaking
               && (fds[1].revents & (POLLIN | POLLOUT | POLLHUP | POLLERR)) != 0)
        {
          int step = _ferry_backend_ftp_tls_data_handshake (data_tls, &tls_events, &tls_error);

          if (step < 0)
            {
              /* As a data connection that failed: a refusal (550) closes
               * the listener, and the refusal is the truth about this
               * file; anything else is the TLS's failure (see below). */
              ferry_curl_state_show (&session->state, "* the data connection's TLS failed");
              g_set_error (&data_error, FERRY_ERROR, FERRY_ERROR_DATA_CHANNEL, "%s", tls_error->message);
              _ferry_backend_ftp_tls_data_free (g_steal_pointer (&data_tls));
              close (data);
              data = -1;
              handshaking = FALSE;
              timeout_ms = MIN (timeout_ms, DATA_FAILED_WAIT_MS);
              continue;
            }
          if (step > 0)
            {
              handshaking = FALSE;
              ferry_curl_state_show (&session->state, "* data connection: TLS session resumed");
              /* The TLS end at once, then the TCP end, as above without
               * TLS: vsftpd waits for both before its 226 (its TLS end
               * reads ours, then it waits for the connection's end). */
              if (self->ahead_mode == FERRY_FTP_AHEAD_OK && _ferry_backend_ftp_tls_data_end (data_tls))
                shutdown (data, SHUT_WR);
            }
        }
      else if (data >= 0 && !data_done && connected && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0)
        {
          GError *read_error = NULL;
          ssize_t got;

        read_more:
          if (data_tls != NULL)
            {
              got = _ferry_backend_ftp_tls_data_recv (data_tls, buffer, 256 * 1024, &read_error);
              if (got < 0 && read_error == NULL)
                errno = EAGAIN;
            }
          else
            got = recv (data, buffer, 256 * 1024, MSG_DONTWAIT);

          if (read_error != NULL)
            {
              /* Ended without TLS's end: the file may be cut short. This
               * file is tried again, and libcurl does the files over TLS
               * from now on. */
              self->no_pipelined_tls = TRUE;
              g_propagate_error (error, read_error);
              ok = FALSE;
              in_sync = FALSE;
              break;
            }
          if (got == 0)
            {
              /* Closed at once, as libcurl does: vsftpd holds its 226
               * until the client's side of the data connection is done
               * with it, which cost ~30 ms a file on the loopback. */
              data_done = TRUE;
              if (data_tls != NULL)
                {
                  /* The server's TLS end came: ours, then the close. */
                  _ferry_backend_ftp_tls_data_end (data_tls);
                  _ferry_backend_ftp_tls_data_free (g_steal_pointer (&data_tls));
                }
              close (data);
              data = -1;
            }
          else if (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR
                   && !cur->started && !answered_ok (cur))
            {
              /* Reset before the server said it sends: a server that
               * refuses RETR may close a data connection it had accepted
               * (ProFTPD). Its reply tells, as for a refused connection. */
              g_set_error (&data_error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                           _("The data connection was lost: %s"), g_strerror (errno));
              close (data);
              data = -1;
              timeout_ms = MIN (timeout_ms, DATA_FAILED_WAIT_MS);
              continue;
            }
          else if (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            {
              g_set_error (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                           _("The data connection was lost: %s"), g_strerror (errno));
              ok = FALSE;
              in_sync = FALSE;
              break;
            }
          else if (got > 0)
            {
              GError *sink_error = NULL;

              if (g_cancellable_set_error_if_cancelled (cancellable, error))
                {
                  ok = FALSE;
                  in_sync = FALSE;
                  break;
                }
              if (!sink (buffer, (gsize) got, sink_data, &sink_error))
                {
                  g_propagate_error (error, sink_error);
                  ok = FALSE;
                  in_sync = FALSE;
                  break;
                }
              /* Decrypted bytes left inside TLS: poll() will not tell. */
              if (_ferry_backend_ftp_tls_data_pending (data_tls))
                goto read_more;
            }
        }
      /* The server began to send on a data connection that is not ours. */
      if (data_error != NULL && cur->started)
        break;
      /* RETR refused: no data will come. */
      if (cur->finals == 2 && (cur->retr_code < 200 || cur->retr_code >= 300)
          && sent == out->len && !(retr.probing && !retr.noop_answered))
        break;
    }

  if (data_tls != NULL)
    _ferry_backend_ftp_tls_data_free (data_tls);
  if (data >= 0)
    close (data);
  if (cancel_fd >= 0)
    g_cancellable_release_fd (cancellable);
  if (retr.probing && !retr.noop_answered)
    self->ahead_mode = FERRY_FTP_AHEAD_UNKNOWN;
  if (ok && tls_error != NULL && cur->finals == 2 && cur->retr_code >= 300 && cur->retr_code != 550)
    {
      /* Refused because of the data connection's TLS (vsftpd: "522 SSL
       * connection failed"), not because of the file: the TLS's failure
       * is the news, and libcurl does the files over TLS from now on. */
      g_propagate_error (error, g_steal_pointer (&data_error));
      ok = FALSE;
      in_sync = FALSE;
    }
  else if (ok && data_error != NULL && (cur->finals < 2 || cur->started || answered_ok (cur)))
    {
      /* No refusal came in time, or the server says it sends the file:
       * the data connection that failed is the news. */
      g_propagate_error (error, g_steal_pointer (&data_error));
      ok = FALSE;
      in_sync = FALSE;
    }
  else if (ok && cur->epsv_code != 229)
    {
      /* Both replies read, nothing moved: libcurl does this file, and
       * nothing is asked for ahead. */
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "no EPSV here");
      ok = FALSE;
      in_sync = retr.next == NULL && !ferry_ftp_reply_parser_is_partial (parser);
    }
  else if (ok && (cur->retr_code < 200 || cur->retr_code >= 300))
    {
      error_from_reply (self, cur, error);
      ok = FALSE;
      /* A refusal after the data began leaves nothing in flight either;
       * a reply left half read does, unless it is the next file's. */
      in_sync = retr.next != NULL || !ferry_ftp_reply_parser_is_partial (parser);
    }
  else if (ok && retr.next == NULL && ferry_ftp_reply_parser_is_partial (parser))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                           _("The server answered out of turn"));
      ok = FALSE;
      in_sync = FALSE;
    }
  if (retr.garbled)
    {
      /* The file asked for ahead has nothing to wait for. */
      g_clear_pointer (&retr.next, _ferry_backend_ftp_job_free);
      in_sync = FALSE;
    }
  if (!ok && error != NULL && *error != NULL)
    {
      g_autofree char *shown = g_strdup_printf ("* %s: %s%s", cur->path, (*error)->message,
                                                in_sync ? "" : " (reconnecting)");

      ferry_curl_mask_control_bytes (shown);
      ferry_curl_state_show (&session->state, shown);
    }
  /* libcurl finds the connection closed on its next call and opens a new
   * one: that call must be libcurl's. */
  if (!in_sync)
    {
      if (!g_cancellable_is_cancelled (cancellable))
        {
          if (!data_opened)
            release_listener (self, io, cur, NULL);
          if (cur->finals >= 1)
            release_listener (self, io, retr.next, parser);
        }
      shutdown (session->control, SHUT_RDWR);
      self->binary_serial = 0;
      _ferry_backend_ftp_job_free (retr.next);
    }
  else if (retr.next != NULL)
    {
      self->ahead = retr.next;
      self->ahead_parser = g_steal_pointer (&parser);
      self->ahead_serial = session->control_serial;
    }
  if (tls_error != NULL && !(cur->finals == 2 && cur->retr_code == 550))
    self->no_pipelined_tls = TRUE;
  _ferry_backend_ftp_job_free (cur);
  return ok;
}

gboolean
_ferry_backend_ftp_read_pipelined (FerryFtpBackend  *self,
                                   const char       *path,
                                   FerrySinkFunc     sink,
                                   gpointer          sink_data,
                                   GCancellable     *cancellable,
                                   GError          **error)
{
  FerryFtpControlIo io;
  gboolean ok;

  /* A plain connection, or libcurl's TLS on it lent to this call. */
  if (!_ferry_backend_ftp_control_begin (self, &io))
    {
      _ferry_backend_ftp_drop_ahead (self);
      g_clear_pointer (&self->read_hint, g_free);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not pipelined here");
      return FALSE;
    }
  ok = read_pipelined (self, &io, path, sink, sink_data, cancellable, error);
  _ferry_backend_ftp_control_end (&io);
  return ok;
}
