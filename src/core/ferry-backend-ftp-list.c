/* ferry-backend-ftp-list.c: a folder listed in one write on a plain control
 * connection.
 *
 * libcurl 7.88 lists a folder in three round trips or more: EPSV, then
 * (TYPE A on a new connection, then) LIST once the data connection is
 * open, then the 226, which vsftpd holds until the client's end of the
 * data connection is closed. Over a long link a rerun with nothing to copy
 * is little else (bench/README.md, "The latency jobs"). Here "EPSV" and
 * "LIST -a path" (or "MLSD path") go out in one write, as the pipelined
 * RETR does (ferry-backend-ftp-retr.c): the data connection is opened on
 * the 229 and read to its end, then the final reply is read.
 *
 * No TYPE is sent: a listing comes in whichever type the connection is in
 * (FileZilla lists in binary type, every server here answers alike), and
 * libcurl's memory of the type stays true, so its next transfer sends
 * TYPE I when it must. Only where it is safe to step around libcurl, as
 * for RETR: a plain control connection, between two libcurl calls, with
 * nothing waiting on it. Anything unexpected shuts the control connection
 * down and libcurl opens a new one for the next call.
 *
 * A listing is never taken whole unless its data connection reached its
 * end cleanly and the server's final reply to it is a success: a 450, a
 * 426, a connection lost or a reply out of turn is an error (libcurl would
 * take a 450 for an empty folder), so a listing cut short can never pass
 * for an empty folder.
 *
 * The data connection's end: vsftpd sends its 226 only once the client's
 * side of the data connection is closed, one round trip after the data.
 * Where the server is known to hold commands until a transfer ends
 * (FERRY_FTP_AHEAD_OK, learned by the RETR's NOOP, or here: once per
 * session a NOOP follows the first LIST, and its 200 after the LIST's final
 * reply says so), the client's end goes as soon as the data connection is
 * open, as the pipelined RETR does, and the 226 comes with the data. A
 * server that answers the NOOP during the transfer (pyftpdlib) keeps the
 * plain way. Which reply is the NOOP's is told by the order and the codes:
 * a 200 is the NOOP's, a transfer's end (226, 250) the LIST's, and where
 * that leaves doubt, the listing fails. A NOOP read and dropped during the
 * transfer (Pure-FTPd reads commands then) is awaited 2 s after a whole
 * listing; then the listing stands and the connection goes.
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

#include "ferry-backend-ftp-private.h"
#include "ferry-backend-ftp-tls.h"
#include "ferry-error.h"
#include "ferry-ftp-reply.h"

/* About a million entries of LIST text, as libcurl's way allows. */
#define MAX_LISTING_BYTES (128 * 1024 * 1024)
/* How long the final replies are awaited once the data connection failed. */
#define DATA_FAILED_WAIT_MS 5000
/* How long the NOOP's reply is awaited once the listing is whole. */
#define NOOP_WAIT_MS 2000

typedef struct
{
  FerryFtpBackend *self;
  FerryFtpReplyParser *parser;
  guint finals;          /* final replies read: EPSV's, then LIST's and NOOP's */
  int epsv_code;
  guint16 port;
  gboolean started;      /* LIST's 125/150 came */
  gboolean probing;      /* a NOOP follows the LIST */
  int codes[2];          /* the final replies after EPSV's, in order */
  char *replies[2];      /* … as "code text" */
} Listing;

static void
note_reply (Listing       *listing,
            FerryFtpReply *reply,
            char         **kept)
{
  FerryCurlState *state = &listing->self->session.state;
  g_autofree char *text = ferry_ftp_reply_get_text (reply);
  g_autofree char *shown = g_strdup_printf ("< %u %s", reply->code, text);
  guint n = g_strv_length (reply->lines);

  ferry_curl_mask_control_bytes (shown);
  ferry_curl_state_show (state, shown);
  *kept = n > 0 && *reply->lines[n - 1] != '\0'
          ? g_strdup_printf ("%u %s", reply->code, reply->lines[n - 1])
          : g_strdup_printf ("%u", reply->code);
  ferry_curl_mask_control_bytes (*kept);
}

/* Reads what the control connection has; FALSE when it closed or sent
 * more than was asked. */
static gboolean
read_control (Listing  *listing,
              GError  **error)
{
  FerryFtpControlIo io = { listing->self->session.control, NULL, NULL, NULL };
  guint expected = listing->probing ? 3 : 2;
  FerryFtpReply *reply;
  gboolean ok = TRUE;

  if (_ferry_backend_ftp_control_feed (&io, listing->parser, error) < 0)
    return FALSE;
  while ((reply = ferry_ftp_reply_parser_pop (listing->parser)) != NULL)
    {
      g_autofree char *kept = NULL;

      note_reply (listing, reply, &kept);
      if (!ok)
        {
          ferry_ftp_reply_free (reply);
          continue;
        }
      if (reply->code < 200 && listing->finals >= 1 && !listing->started
               && (reply->code == 125 || reply->code == 150))
        listing->started = TRUE;
      else if (reply->code >= 200 && listing->finals == 0)
        {
          listing->epsv_code = (int) reply->code;
          if (reply->code == 229 && !_ferry_backend_ftp_parse_epsv (reply->lines[0], &listing->port))
            listing->epsv_code = -1;
          listing->finals++;
        }
      else if (reply->code >= 200 && listing->finals < expected)
        {
          listing->codes[listing->finals - 1] = (int) reply->code;
          listing->replies[listing->finals - 1] = g_steal_pointer (&kept);
          listing->finals++;
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

static gboolean
ends_transfer (int code)
{
  return code == 226 || code == 250;
}

/* The LIST ended (a transfer's end, its data whole) and only the NOOP's
 * reply is owed. */
static gboolean
noop_lost (const Listing *listing,
           gboolean       data_done)
{
  return listing->probing && listing->finals == 2 && listing->started && data_done
         && ends_transfer (listing->codes[0]);
}

/* The LIST's final reply as far as the order tells, once every final
 * reply is in; -1 where it leaves doubt. Changes nothing. */
static int
list_code (const Listing *listing)
{
  int first = listing->codes[0];
  int second = listing->codes[1];

  if (!listing->probing)
    return first;
  if (first == 200 && second != 200)
    return second;
  if (second == 200 && first != 200)
    return first;
  /* The NOOP refused (Pure-FTPd reads commands during a transfer and
   * answers 500): a transfer's end (226, 250) is the LIST's. */
  if (ends_transfer (first) != ends_transfer (second))
    return ends_transfer (first) ? first : second;
  if (first >= 200 && first < 300 && second >= 200 && second < 300)
    return first;
  return -1;
}

/* Which of the final replies is the LIST's, and what the NOOP's says of
 * the server; -1 when the order leaves doubt. */
static int
list_reply (Listing *listing)
{
  int first = listing->codes[0];
  int second = listing->codes[1];

  if (!listing->probing)
    return 0;
  if (first == 200 && second != 200)
    {
      /* Answered before the LIST's end: commands run during a transfer. */
      listing->self->ahead_mode = FERRY_FTP_AHEAD_NO;
      return 1;
    }
  if (second == 200 && first != 200)
    {
      listing->self->ahead_mode = FERRY_FTP_AHEAD_OK;
      return 0;
    }
  listing->self->ahead_mode = FERRY_FTP_AHEAD_NO;
  if (first == 200 && second == 200)
    return 1;
  if (ends_transfer (first) != ends_transfer (second))
    return ends_transfer (first) ? 0 : 1;
  /* The NOOP refused: only two successes say the LIST's is one. */
  return first >= 200 && first < 300 && second >= 200 && second < 300 ? 0 : -1;
}

/* A RETR or LIST left waiting holds the port its EPSV opened at the
 * server (see release_listener() in ferry-backend-ftp-retr.c). */
static void
release_port (FerryFtpBackend *self,
              guint16          port)
{
  struct pollfd connecting = { -1, POLLOUT, 0 };

  if ((connecting.fd = _ferry_backend_ftp_open_data (self, port)) < 0)
    return;
  poll (&connecting, 1, 1000);
  close (connecting.fd);
}

gboolean
_ferry_backend_ftp_list_pipelined (FerryFtpBackend  *self,
                                   const char       *verb,
                                   const char       *dir,
                                   GString          *body,
                                   GCancellable     *cancellable,
                                   GError          **error)
{
  FerryCurlSession *session = &self->session;
  g_autoptr(FerryFtpReplyParser) parser = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) data_error = NULL;
  g_autofree char *arg = NULL;
  g_autofree char *command = NULL;
  g_autofree char *shown = NULL;
  g_autofree guint8 *buffer = NULL;
  Listing listing = { self, NULL, 0, 0, 0, FALSE, FALSE, { 0, 0 }, { NULL, NULL } };
  struct pollfd idle = { -1, POLLIN, 0 };
  int timeout_ms = (int) ferry_curl_reply_timeout () * 1000;
  gint64 progress = g_get_monotonic_time ();
  int wait_ms;
  int cancel_fd = -1;
  int data = -1;
  int which = 0;
  gboolean data_opened = FALSE;
  gboolean connected = FALSE;
  gboolean data_done = FALSE;
  gboolean in_sync = TRUE;
  gboolean ok = TRUE;
  gsize sent = 0;
  gsize length;

  if (!self->plain_control || self->no_pipelined_retr || session->control == CURL_SOCKET_BAD
      || ferry_curl_has_control_chars (dir))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not pipelined here");
      return FALSE;
    }
  /* Anything already waiting on an idle control connection (a 421 for
   * idling too long) is libcurl's to see: it opens a new one. */
  idle.fd = session->control;
  if (poll (&idle, 1, 0) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "the connection has news");
      return FALSE;
    }

  /* The folder as libcurl names it: no trailing slash but for the root. */
  arg = _ferry_backend_ftp_quote_arg (dir);
  length = strlen (arg);
  while (length > 1 && arg[length - 1] == '/')
    arg[--length] = '\0';
  command = g_strdup_printf ("%s %s", verb, arg);
  ferry_curl_session_reset_call (session);
  g_string_append_printf (out, "EPSV\r\n%s\r\n", command);
  ferry_curl_state_show (&session->state, "> EPSV");
  shown = g_strconcat ("> ", command, NULL);
  ferry_curl_state_show (&session->state, shown);
  if (self->ahead_mode == FERRY_FTP_AHEAD_UNKNOWN)
    {
      g_string_append (out, "NOOP\r\n");
      ferry_curl_state_show (&session->state, "> NOOP");
      listing.probing = TRUE;
      self->ahead_mode = FERRY_FTP_AHEAD_PROBING;
    }
  parser = ferry_ftp_reply_parser_new ();
  listing.parser = parser;
  buffer = g_malloc (64 * 1024);
  if (cancellable != NULL)
    cancel_fd = g_cancellable_get_fd (cancellable);

  while (ok && (listing.finals < (listing.probing ? 3u : 2u) || (data >= 0 && !data_done) || sent < out->len))
    {
      struct pollfd fds[3] = { { session->control, POLLIN, 0 }, { data, 0, 0 }, { cancel_fd, POLLIN, 0 } };
      int result;

      if (sent < out->len)
        fds[0].events |= POLLOUT;
      if (data >= 0 && !data_done)
        fds[1].events = connected ? POLLIN : POLLOUT;
      else
        fds[1].fd = -1;
      /* The reply timeout runs from the last reply read whole or the
       * last data: a reply that trickles in a line at a time and never
       * ends must not hold the listing for ever. A NOOP still owed after
       * a whole listing is owed at once. */
      wait_ms = timeout_ms - (int) ((g_get_monotonic_time () - progress) / 1000);
      if (noop_lost (&listing, data_done))
        wait_ms = MIN (wait_ms, NOOP_WAIT_MS);
      do
        result = wait_ms > 0 ? poll (fds, 3, wait_ms) : 0;
      while (result < 0 && errno == EINTR);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      if (result == 0 && noop_lost (&listing, data_done))
        {
          /* The listing is whole, the NOOP went unanswered (read and
           * dropped during the transfer): this connection goes. */
          self->ahead_mode = FERRY_FTP_AHEAD_NO;
          listing.probing = FALSE;
          in_sync = FALSE;
          break;
        }
      if (result <= 0)
        {
          if (result == 0 && data_error != NULL)
            g_propagate_error (error, g_steal_pointer (&data_error));
          else if (result == 0)
            g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT, _("The server stopped answering"));
          else
            g_set_error (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT, "%s", g_strerror (errno));
          ok = FALSE;
          break;
        }
      if ((fds[0].revents & POLLNVAL) != 0)
        {
          g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                               _("The connection to the server was lost"));
          ok = FALSE;
          break;
        }
      if ((fds[0].revents & POLLOUT) != 0 && sent < out->len)
        {
          ssize_t written = send (session->control, out->str + sent, out->len - sent, MSG_NOSIGNAL | MSG_DONTWAIT);

          if (written < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            {
              g_set_error (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                           _("The connection to the server was lost: %s"), g_strerror (errno));
              ok = FALSE;
              break;
            }
          if (written > 0)
            sent += (gsize) written;
        }
      if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0)
        {
          guint finals = listing.finals;
          gboolean started = listing.started;

          if (!read_control (&listing, error))
            {
              ok = FALSE;
              break;
            }
          if (listing.finals != finals || listing.started != started)
            progress = g_get_monotonic_time ();

          /* Refused (or in doubt): no data comes, whatever the data
           * connection does (ProFTPD may leave it open). */
          if (listing.finals == (listing.probing ? 3u : 2u))
            {
              int code = list_code (&listing);

              if (code < 200 || code >= 300)
                break;
            }
          if (finals == 0 && listing.finals >= 1)
            {
              if (listing.epsv_code != 229)
                /* No EPSV here: libcurl's way from now on (it falls back to
                 * PASV); the LIST's refusal follows. */
                self->no_pipelined_retr = TRUE;
              else
                {
                  data_opened = TRUE;
                  if ((data = _ferry_backend_ftp_open_data (self, listing.port)) < 0)
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
          socklen_t so_length = sizeof so_error;

          getsockopt (data, SOL_SOCKET, SO_ERROR, &so_error, &so_length);
          if (so_error != 0)
            {
              /* A refused LIST closes the listener, maybe before this
               * connection reached it: its reply is the news, if it comes. */
              g_set_error (&data_error, FERRY_ERROR, FERRY_ERROR_DATA_CHANNEL,
                           _("Could not open the data connection: %s"), g_strerror (so_error));
              close (data);
              data = -1;
              timeout_ms = MIN (timeout_ms, DATA_FAILED_WAIT_MS);
              continue;
            }
          connected = TRUE;
          /* Nothing goes up a listing's data connection: see the top. */
          if (self->ahead_mode == FERRY_FTP_AHEAD_OK)
            shutdown (data, SHUT_WR);
        }
      else if (data >= 0 && !data_done && connected && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0)
        {
          ssize_t got = recv (data, buffer, 64 * 1024, MSG_DONTWAIT);

          if (got == 0)
            {
              data_done = TRUE;
              close (data);
              data = -1;
            }
          else if (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            {
              g_set_error (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                           _("The data connection was lost: %s"), g_strerror (errno));
              ok = FALSE;
              break;
            }
          else if (got > 0)
            {
              if (body->len + (gsize) got > MAX_LISTING_BYTES)
                {
                  g_set_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                               _("The folder listing passed %d MiB: the server seems to send it without end"),
                               MAX_LISTING_BYTES / (1024 * 1024));
                  ok = FALSE;
                  break;
                }
              g_string_append_len (body, (const char *) buffer, got);
              progress = g_get_monotonic_time ();
            }
        }
    }

  if (data >= 0)
    close (data);
  if (cancel_fd >= 0)
    g_cancellable_release_fd (cancellable);
  if (listing.probing && self->ahead_mode == FERRY_FTP_AHEAD_PROBING)
    self->ahead_mode = FERRY_FTP_AHEAD_UNKNOWN;

  if (!ok)
    in_sync = FALSE;
  else if (listing.epsv_code != 229)
    {
      /* Every reply read, nothing moved: libcurl lists this folder. */
      if (listing.probing)
        list_reply (&listing);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "no EPSV here");
      ok = FALSE;
    }
  else if ((which = list_reply (&listing)) < 0)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                           _("The server answered out of turn"));
      ok = FALSE;
    }
  else
    {
      FerryCurlState *state = &session->state;
      int code = listing.codes[which];

      /* The LIST's reply is the one a caller judges (a refused "LIST -a"). */
      state->last_code = code;
      g_free (state->last_reply);
      state->last_reply = g_strdup (listing.replies[which]);
      if (code < 200 || code >= 300)
        {
          ferry_curl_set_error (error, CURLE_FTP_COULDNT_RETR_FILE, state, NULL);
          /* libcurl takes a 450 for an empty folder; here it is news. */
          if (code == 450 && error != NULL && *error != NULL)
            (*error)->code = FERRY_ERROR_TRANSIENT;
          ok = FALSE;
        }
      else if (!listing.started || !data_done)
        {
          /* A success without the whole of the data: cut short. */
          if (data_error != NULL)
            g_propagate_error (error, g_steal_pointer (&data_error));
          else
            g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                                 _("The folder listing was cut off"));
          ok = FALSE;
          in_sync = FALSE;
        }
    }
  if (in_sync && ferry_ftp_reply_parser_is_partial (parser))
    in_sync = FALSE;
  if (!ok && error != NULL && *error != NULL && !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      g_autofree char *said = g_strdup_printf ("* %s: %s%s", command, (*error)->message,
                                               in_sync ? "" : " (reconnecting)");

      ferry_curl_mask_control_bytes (said);
      ferry_curl_state_show (&session->state, said);
    }
  if (!in_sync)
    {
      if (!data_opened && listing.epsv_code == 229 && !g_cancellable_is_cancelled (cancellable))
        release_port (self, listing.port);
      /* libcurl finds the connection closed on its next call. */
      shutdown (session->control, SHUT_RDWR);
      self->binary_serial = 0;
    }
  if (!ok)
    g_string_truncate (body, 0);
  g_free (listing.replies[0]);
  g_free (listing.replies[1]);
  return ok;
}

/* A new session's FEAT and OPTS UTF8 ON in one write, after libcurl's
 * login (USER, PASS, PWD): one round trip where libcurl takes two. OPTS
 * goes out before FEAT has said whether the server knows UTF8; one that
 * does not answers 500 or 501, which changes nothing, as the reply is not
 * judged. The FEAT reply is returned; anything but one final reply to
 * each command shuts the connection down (libcurl opens a new one), and
 * G_IO_ERROR_NOT_SUPPORTED says libcurl must ask. */
FerryFtpReply *
_ferry_backend_ftp_feat_burst (FerryFtpBackend  *self,
                               GCancellable     *cancellable,
                               GError          **error)
{
  FerryCurlSession *session = &self->session;
  static const char out[] = "FEAT\r\nOPTS UTF8 ON\r\n";
  g_autoptr(FerryFtpReplyParser) parser = ferry_ftp_reply_parser_new ();
  g_autoptr(FerryFtpReply) feat = NULL;
  struct pollfd idle = { session->control, POLLIN, 0 };
  int timeout_ms = (int) ferry_curl_reply_timeout () * 1000;
  int cancel_fd = -1;
  guint finals = 0;
  gsize sent = 0;
  gboolean ok = TRUE;
  gint64 asked;
  gint64 answered = 0;

  if (!self->plain_control || session->control == CURL_SOCKET_BAD || poll (&idle, 1, 0) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not pipelined here");
      return NULL;
    }
  asked = g_get_monotonic_time ();
  ferry_curl_session_reset_call (session);
  ferry_curl_state_show (&session->state, "> FEAT");
  ferry_curl_state_show (&session->state, "> OPTS UTF8 ON");
  if (cancellable != NULL)
    cancel_fd = g_cancellable_get_fd (cancellable);
  while (ok && finals < 2)
    {
      struct pollfd fds[2] = { { session->control, POLLIN, 0 }, { cancel_fd, POLLIN, 0 } };
      int result;

      if (sent < sizeof out - 1)
        fds[0].events |= POLLOUT;
      do
        result = poll (fds, 2, timeout_ms);
      while (result < 0 && errno == EINTR);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        ok = FALSE;
      else if (result <= 0 || (fds[0].revents & POLLNVAL) != 0)
        {
          g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                               result == 0 ? _("The server stopped answering")
                                           : _("The connection to the server was lost"));
          ok = FALSE;
        }
      if (ok && (fds[0].revents & POLLOUT) != 0 && sent < sizeof out - 1)
        {
          ssize_t written = send (session->control, out + sent, sizeof out - 1 - sent, MSG_NOSIGNAL | MSG_DONTWAIT);

          if (written < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            {
              g_set_error (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                           _("The connection to the server was lost: %s"), g_strerror (errno));
              ok = FALSE;
            }
          else if (written > 0)
            sent += (gsize) written;
        }
      if (ok && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0)
        {
          FerryFtpControlIo io = { session->control, NULL, NULL, NULL };
          gssize got = _ferry_backend_ftp_control_feed (&io, parser, error);
          FerryFtpReply *reply;

          if (got < 0)
            ok = FALSE;
          /* The first bytes back are the round trip: a multi-line reply's
           * later lines may wait for an ACK (Nagle and delayed ACK cost a
           * Python server 40 ms on the loopback). */
          if (got > 0 && answered == 0)
            answered = g_get_monotonic_time ();
          while ((reply = ferry_ftp_reply_parser_pop (parser)) != NULL)
            {
              g_autofree char *text = ferry_ftp_reply_get_text (reply);
              guint n = g_strv_length (reply->lines);

              /* Line by line, as libcurl shows a reply. */
              for (guint i = 0; i < n; i++)
                {
                  g_autofree char *shown = i == 0 || i + 1 == n
                                           ? g_strdup_printf ("< %u%c%s", reply->code, i + 1 == n ? ' ' : '-',
                                                              reply->lines[i])
                                           : g_strdup_printf ("< %s", reply->lines[i]);

                  ferry_curl_mask_control_bytes (shown);
                  ferry_curl_state_show (&session->state, shown);
                }
              if (ok && (reply->code < 200 || reply->code == 421 || finals >= 2))
                {
                  g_set_error (error, FERRY_ERROR, reply->code == 421 ? FERRY_ERROR_TOO_MANY : FERRY_ERROR_TRANSIENT,
                               _("The server answered out of turn: %s"), text);
                  ok = FALSE;
                }
              if (ok && finals++ == 0)
                feat = reply;
              else
                ferry_ftp_reply_free (reply);
            }
        }
    }
  if (cancel_fd >= 0)
    g_cancellable_release_fd (cancellable);
  if (!ok || ferry_ftp_reply_parser_is_partial (parser))
    {
      if (ok)
        g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT, _("The server answered out of turn"));
      shutdown (session->control, SHUT_RDWR);
      self->binary_serial = 0;
      return NULL;
    }
  session->state.last_code = (int) feat->code;
  /* Two cheap commands answered together: one round trip. */
  self->parent.round_trip = MAX (answered - asked, 1);
  return g_steal_pointer (&feat);
}
