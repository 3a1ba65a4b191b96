/* ferry-backend-ftp-retr.c: a download in one round trip fewer, on a plain
 * control connection.
 *
 * libcurl 7.88 sends EPSV, waits for its reply, connects the data channel
 * and only then sends RETR: two round trips per file before the first byte
 * (bench/README.md, "The latency jobs"). The passive command and RETR may
 * go out together (RFC 959 lets a client send ahead; the server answers in
 * order and waits for the data connection on RETR), which leaves one round
 * trip: "EPSV" and "RETR path" in one write, the data connection opened on
 * the 229 reply, the data read to its end, then the 226.
 *
 * Only where it is safe to step around libcurl: a plain control connection
 * (the TLS records are libcurl's), between two libcurl calls, once libcurl
 * itself has moved a file on this same connection in binary type (so the
 * server's TYPE is I and libcurl's memory of it agrees), from offset 0.
 * Anything else, and any server that does not answer EPSV with 229 once,
 * goes libcurl's way. Anything unexpected during the transfer shuts the
 * control connection down, as the MDTM burst does, and libcurl opens a new
 * one for the next call.
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
#include "ferry-error.h"
#include "ferry-ftp-reply.h"

typedef struct
{
  FerryFtpBackend *self;
  FerryFtpReplyParser *parser;
  guint finals;          /* final replies read: 1 for EPSV, 2 for RETR */
  int epsv_code;
  guint16 port;
  int retr_code;         /* 0 until RETR's final reply */
  gboolean started;      /* 125/150 came */
} Retr;

/* "229 Entering Extended Passive Mode (|||port|)" */
static gboolean
parse_epsv (const char *line,
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

/* Reads what the control connection has; FALSE when it closed or sent
 * something out of turn. */
static gboolean
read_control (Retr     *retr,
              GError  **error)
{
  char buffer[4096];
  ssize_t got = recv (retr->self->session.control, buffer, sizeof buffer, MSG_DONTWAIT);
  FerryFtpReply *reply;
  gboolean ok = TRUE;

  if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                           _("The server closed the connection"));
      return FALSE;
    }
  if (got > 0 && !ferry_ftp_reply_parser_feed (retr->parser, buffer, (gsize) got, error))
    return FALSE;
  while ((reply = ferry_ftp_reply_parser_pop (retr->parser)) != NULL)
    {
      note_reply (retr, reply);
      if (!ok)
        ;
      else if (retr->finals == 0 && reply->code >= 200)
        {
          retr->epsv_code = (int) reply->code;
          if (reply->code == 229 && !parse_epsv (reply->lines[0], &retr->port))
            retr->epsv_code = -1;
          retr->finals++;
        }
      else if (retr->finals == 1 && (reply->code == 125 || reply->code == 150) && !retr->started)
        retr->started = TRUE;
      else if (retr->finals == 1 && reply->code >= 200)
        {
          retr->retr_code = (int) reply->code;
          retr->finals++;
        }
      else
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
static int
open_data (FerryFtpBackend *self,
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
                  int               code,
                  GError          **error)
{
  ferry_curl_set_error (error, code == 550 ? CURLE_REMOTE_FILE_NOT_FOUND : CURLE_FTP_COULDNT_RETR_FILE,
                        &self->session.state, NULL);
}

gboolean
_ferry_backend_ftp_read_pipelined (FerryFtpBackend  *self,
                                   const char       *path,
                                   FerrySinkFunc     sink,
                                   gpointer          sink_data,
                                   GCancellable     *cancellable,
                                   GError          **error)
{
  FerryCurlSession *session = &self->session;
  g_autoptr(FerryFtpReplyParser) parser = ferry_ftp_reply_parser_new ();
  g_autofree char *arg = NULL;
  g_autofree char *retr_command = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(GString) out = NULL;
  g_autofree guint8 *buffer = NULL;
  Retr retr = { self, parser, 0, 0, 0, 0, FALSE };
  struct pollfd idle = { -1, POLLIN, 0 };
  int cancel_fd = -1;
  int data = -1;
  gboolean connected = FALSE;
  gboolean data_done = FALSE;
  gboolean in_sync = TRUE;   /* FALSE: the connection is in an unknown state */
  gboolean ok = TRUE;
  gsize sent = 0;
  int timeout_ms = (int) ferry_curl_reply_timeout () * 1000;

  if (!self->plain_control || self->no_pipelined_retr || session->control == CURL_SOCKET_BAD
      || self->binary_serial != session->control_serial || ferry_curl_has_control_chars (path))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not pipelined here");
      return FALSE;
    }

  /* Anything already waiting on an idle control connection (a 421 for
   * idling too long, its end) is libcurl's to see: it opens a new one. */
  idle.fd = session->control;
  if (poll (&idle, 1, 0) != 0)
    {
      self->binary_serial = 0;
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "the connection has news");
      return FALSE;
    }

  ferry_curl_session_reset_call (session);
  arg = _ferry_backend_ftp_quote_arg (path);
  retr_command = g_strdup_printf ("RETR %s", arg);
  out = g_string_new ("EPSV\r\n");
  g_string_append_printf (out, "%s\r\n", retr_command);
  ferry_curl_state_show (&session->state, "> EPSV");
  shown = g_strconcat ("> ", retr_command, NULL);
  ferry_curl_state_show (&session->state, shown);
  buffer = g_malloc (256 * 1024);
  if (cancellable != NULL)
    cancel_fd = g_cancellable_get_fd (cancellable);

  while (ok && (retr.finals < 2 || (data >= 0 && !data_done)))
    {
      struct pollfd fds[3] = { { session->control, POLLIN, 0 }, { data, 0, 0 }, { cancel_fd, POLLIN, 0 } };
      int result;

      if (sent < out->len)
        fds[0].events |= POLLOUT;
      if (data >= 0 && !data_done)
        fds[1].events = connected ? POLLIN : POLLOUT;
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
          if (result == 0)
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
          ssize_t written = send (session->control, out->str + sent, out->len - sent,
                                  MSG_NOSIGNAL | MSG_DONTWAIT);

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
          guint finals = retr.finals;

          if (!read_control (&retr, error))
            {
              ok = FALSE;
              in_sync = FALSE;
              break;
            }
          if (finals == 0 && retr.finals >= 1)
            {
              if (retr.epsv_code != 229)
                {
                  /* The server takes no EPSV (or said it oddly): libcurl's
                   * way from now on, which falls back to PASV. RETR's
                   * refusal follows. */
                  self->no_pipelined_retr = TRUE;
                }
              else if ((data = open_data (self, retr.port)) < 0)
                {
                  g_set_error (error, FERRY_ERROR, FERRY_ERROR_DATA_CHANNEL,
                               _("Could not open the data connection: %s"), g_strerror (errno));
                  ok = FALSE;
                  in_sync = FALSE;
                  break;
                }
            }
        }
      if (data >= 0 && !data_done && !connected && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP)) != 0)
        {
          int so_error = 0;
          socklen_t length = sizeof so_error;

          getsockopt (data, SOL_SOCKET, SO_ERROR, &so_error, &length);
          if (so_error != 0)
            {
              g_set_error (error, FERRY_ERROR, FERRY_ERROR_DATA_CHANNEL,
                           _("Could not open the data connection: %s"), g_strerror (so_error));
              ok = FALSE;
              in_sync = FALSE;
              break;
            }
          connected = TRUE;
        }
      else if (data >= 0 && !data_done && connected && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0)
        {
          ssize_t got = recv (data, buffer, 256 * 1024, MSG_DONTWAIT);

          if (got == 0)
            {
              /* Closed at once, as libcurl does: vsftpd holds its 226
               * until the client's side of the data connection is done
               * with it, which cost ~30 ms a file on the loopback. */
              data_done = TRUE;
              close (data);
              data = -1;
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
            }
        }
      /* RETR refused: no data will come. */
      if (retr.finals == 2 && (retr.retr_code < 200 || retr.retr_code >= 300))
        break;
    }

  if (data >= 0)
    close (data);
  if (cancel_fd >= 0)
    g_cancellable_release_fd (cancellable);
  if (ok && retr.epsv_code != 229)
    {
      /* Both replies read, nothing moved: libcurl does this file. */
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "no EPSV here");
      ok = FALSE;
    }
  else if (ok && (retr.retr_code < 200 || retr.retr_code >= 300))
    {
      error_from_reply (self, retr.retr_code, error);
      ok = FALSE;
      /* A refusal after the data began leaves nothing in flight either;
       * a reply left half read does. */
      in_sync = !ferry_ftp_reply_parser_is_partial (parser);
    }
  else if (ok && ferry_ftp_reply_parser_is_partial (parser))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                           _("The server answered out of turn"));
      ok = FALSE;
      in_sync = FALSE;
    }
  /* libcurl finds the connection closed on its next call and opens a new
   * one: that call must be libcurl's. */
  if (!in_sync)
    {
      shutdown (session->control, SHUT_RDWR);
      self->binary_serial = 0;
    }
  return ok;
}
