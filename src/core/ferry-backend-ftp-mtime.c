/* ferry-backend-ftp-mtime.c: modification times on FTP servers
 * (see ferry-backend-ftp-private.h): MDTM one file at a time, many files
 * in one pipelined MDTM burst on a plain control connection, and setting
 * times with MFMT, or vsftpd's two-argument MDTM, learned once per session.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <sys/socket.h>

#include "ferry-backend-ftp-private.h"
#include "ferry-backend-ftp-tls.h"
#include "ferry-error.h"
#include "ferry-ftp-reply.h"
#include "ferry-listing.h"

/* FTP: MDTM, one round trip on the open connection. */
gboolean
_ferry_backend_ftp_mdtm (FerryFtpBackend  *self,
                              const char        *path,
                              gint64            *mtime,
                              GCancellable      *cancellable,
                              GError           **error)
{
  if (!_ferry_backend_ftp_ask_about (self, "MDTM", path, cancellable, error))
    return FALSE;
  if (self->session.state.reply == NULL || self->session.state.reply->code != 213
      || !ferry_listing_parse_mdtm (self->session.state.reply->lines[0], mtime))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "the server’s MDTM reply is no time");
      return FALSE;
    }
  return TRUE;
}

gboolean
_ferry_backend_ftp_get_mtime (FerryBackend  *backend,
                               const char    *path,
                               gint64        *mtime,
                               GCancellable  *cancellable,
                               GError       **error)
{
  FerryFtpBackend *self = (FerryFtpBackend *) backend;

  if (!ferry_curl_check_path (path, error)
      || !_ferry_backend_ftp_session (self, cancellable, error))
    return FALSE;
  return _ferry_backend_ftp_mdtm (self, path, mtime, cancellable, error);
}

/* At most this many commands are in flight at once: the replies of a
 * burst must fit the socket buffers while the rest is still being sent. */
#define MDTM_BURST 64

/* Waits until the control connection is ready for `events`, the reply
 * timeout at most; FALSE with the reason otherwise. */
static gboolean
control_wait (FerryFtpBackend  *self,
              short             *events,
              GCancellable      *cancellable,
              GError           **error)
{
  struct pollfd fds[2] = { { self->session.control, *events, 0 }, { -1, POLLIN, 0 } };
  int cancel_fd = cancellable != NULL ? g_cancellable_get_fd (cancellable) : -1;
  int result;

  fds[1].fd = cancel_fd;
  do
    result = poll (fds, cancel_fd >= 0 ? 2 : 1, (int) ferry_curl_reply_timeout () * 1000);
  while (result < 0 && errno == EINTR);
  if (cancel_fd >= 0)
    g_cancellable_release_fd (cancellable);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (result == 0)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                           _("The server stopped answering"));
      return FALSE;
    }
  if (result < 0)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT, "%s", g_strerror (errno));
      return FALSE;
    }
  *events = fds[0].revents;
  return TRUE;
}

typedef struct
{
  FerryFtpBackend *self;
  FerryFtpReplyParser *parser;
  GString *out;           /* every command, CRLF-ended */
  GArray *asked;          /* guint: the index in `paths` of each command */
  GArray *ends;           /* gsize: out->len after each command */
  gsize sent;
  guint answered;
  gint64 *mtimes;
  gboolean *known;
  FerryFtpControlIo *io;  /* the control connection, plain or TLS */
} MdtmBurst;

/* A path with a line break would end its command early and smuggle in
 * another: such files are left to the one-at-a-time way, which refuses
 * them. */
static void
burst_compose (MdtmBurst          *burst,
               const char *const  *paths,
               guint               n_paths)
{
  for (guint i = 0; i < n_paths; i++)
    {
      g_autofree char *arg = NULL;
      g_autofree char *line = NULL;

      if (ferry_curl_has_control_chars (paths[i]))
        continue;
      arg = _ferry_backend_ftp_quote_arg (paths[i]);
      line = g_strdup_printf ("> MDTM %s", arg);
      ferry_curl_state_show (&burst->self->session.state, line);
      g_string_append (burst->out, line + 2);
      g_string_append (burst->out, "\r\n");
      g_array_append_val (burst->asked, i);
      g_array_append_val (burst->ends, burst->out->len);
    }
}

/* Sends what the socket takes of the commands up to `limit`. */
static gboolean
burst_send (MdtmBurst  *burst,
            gsize       limit,
            GError    **error)
{
  ssize_t n = _ferry_backend_ftp_control_send (burst->io, burst->out->str + burst->sent, limit - burst->sent);

  if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                   _("The connection to the server was lost: %s"), g_strerror (errno));
      return FALSE;
    }
  if (n > 0)
    burst->sent += (gsize) n;
  return TRUE;
}

/* Reads what has come and takes every complete reply, in order. */
static gboolean
burst_receive (MdtmBurst  *burst,
               GError    **error)
{
  FerryFtpReply *reply;
  gboolean ok = _ferry_backend_ftp_control_feed (burst->io, burst->parser, error) >= 0;

  while ((reply = ferry_ftp_reply_parser_pop (burst->parser)) != NULL)
    {
      g_autofree char *text = ferry_ftp_reply_get_text (reply);
      g_autofree char *shown = g_strdup_printf ("< %u %s", reply->code, text);
      guint index;

      ferry_curl_mask_control_bytes (shown);
      ferry_curl_state_show (&burst->self->session.state, shown);
      /* One final reply per command; anything else (a 421 on its way out,
       * a preliminary reply) means the two ends no longer agree which
       * reply is whose. */
      if (burst->answered >= burst->asked->len || reply->code < 200 || reply->code == 421)
        {
          if (ok)
            g_set_error (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                         _("The server answered out of turn: %s"), text);
          ok = FALSE;
          ferry_ftp_reply_free (reply);
          continue;
        }
      index = g_array_index (burst->asked, guint, burst->answered++);
      if (reply->code == 213)
        burst->known[index] = ferry_listing_parse_mdtm (reply->lines[0], &burst->mtimes[index]);
      ferry_ftp_reply_free (reply);
    }
  return ok;
}

/* FTP: the exact times of many files, asked together. The MDTM commands go
 * out in one burst and the replies come back in order (pipelining: RFC 959
 * lets a client send before the reply, lftp does it by default), so the
 * server answers a burst of cheap commands instead of one round trip, and
 * one wake-up, per file.
 *
 * Only between two libcurl calls, when libcurl has read every reply it
 * asked for: the socket then carries nothing of libcurl's. Over TLS, on
 * libcurl's TLS lent for the burst (ferry-backend-ftp-tls.c); where it
 * cannot be, FTPS asks one file at a time. Anything unexpected shuts the connection down
 * (libcurl finds it dead and opens a new one for its next call) and leaves
 * those times unknown. */
gboolean
_ferry_backend_ftp_get_mtimes (FerryBackend       *backend,
                                const char *const  *paths,
                                guint               n_paths,
                                gint64             *mtimes,
                                gboolean           *known,
                                GCancellable       *cancellable,
                                GError            **error)
{
  FerryFtpBackend *self = (FerryFtpBackend *) backend;
  g_autoptr(FerryFtpReplyParser) parser = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GArray) asked = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  FerryFtpControlIo io;
  MdtmBurst burst = { self, NULL, out, asked, ends, 0, 0, mtimes, known, &io };
  gboolean ok = TRUE;

  /* ferry_backend_get_mtimes() has set every known[] to FALSE. */
  if (!_ferry_backend_ftp_session (self, cancellable, error))
    return FALSE;
  if (!self->has_mdtm || self->session.control == CURL_SOCKET_BAD)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "the server does not offer MDTM");
      return FALSE;
    }
  if (!_ferry_backend_ftp_control_begin (self, &io))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "libcurl's TLS on this connection cannot be lent");
      return FALSE;
    }

  burst_compose (&burst, paths, n_paths);
  if (asked->len == 0)
    {
      _ferry_backend_ftp_control_end (&io);
      return TRUE;
    }

  parser = ferry_ftp_reply_parser_new ();
  burst.parser = parser;
  while (ok && burst.answered < asked->len)
    {
      /* Sending and reading go together: a long burst whose replies were
       * left unread could fill both directions and stall both ends. */
      short events = POLLIN;
      gsize limit = g_array_index (ends, gsize, MIN (burst.answered + MDTM_BURST, asked->len) - 1);

      if (burst.sent < limit)
        events |= POLLOUT;
      if (_ferry_backend_ftp_control_pending (&io))
        events = POLLIN;
      else if (!control_wait (self, &events, cancellable, error))
        {
          ok = FALSE;
          break;
        }
      if ((events & POLLOUT) != 0 && burst.sent < limit)
        ok = burst_send (&burst, limit, error);
      if (ok && (events & POLLNVAL) != 0)
        {
          g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                               _("The connection to the server was lost"));
          ok = FALSE;
        }
      if (ok && (events & (POLLIN | POLLHUP | POLLERR)) != 0)
        ok = burst_receive (&burst, error);
    }

  /* Whatever was read past the last reply, or left unread, is not
   * libcurl's to find: this connection is done. */
  _ferry_backend_ftp_control_end (&io);
  if (!ok || ferry_ftp_reply_parser_is_partial (parser))
    {
      shutdown (self->session.control, SHUT_RDWR);
      for (guint i = 0; i < n_paths; i++)
        known[i] = FALSE;
      return FALSE;
    }
  return TRUE;
}

static gboolean
command_unknown (int code)
{
  return code == 500 || code == 502 || code == 504;
}

gboolean
_ferry_backend_ftp_set_mtime (FerryBackend  *backend,
                               const char    *path,
                               gint64         mtime,
                               GCancellable  *cancellable,
                               GError       **error)
{
  FerryFtpBackend *self = (FerryFtpBackend *) backend;
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (mtime);
  g_autofree char *arg = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *command = NULL;

  if (!ferry_curl_check_path (path, error)
      || !_ferry_backend_ftp_session (self, cancellable, error))
    return FALSE;
  if (when == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "time out of range");
      return FALSE;
    }
  arg = _ferry_backend_ftp_quote_arg (path);

  stamp = g_date_time_format (when, "%Y%m%d%H%M%S");
  /* MFMT where the server has it; vsftpd sets times with a two-argument
   * MDTM instead. Learned once per session. */
  if (self->mtime_method == MTIME_UNKNOWN || self->mtime_method == MTIME_MFMT)
    {
      g_autoptr(GError) local_error = NULL;

      command = g_strdup_printf ("MFMT %s %s", stamp, arg);
      if (_ferry_backend_ftp_run_quote (self, command, cancellable, &local_error))
        {
          self->mtime_method = MTIME_MFMT;
          return TRUE;
        }
      /* 500, 502, 504: no MFMT here (Twisted answers 502). */
      if (self->mtime_method == MTIME_MFMT || !command_unknown (self->session.state.last_code))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      self->mtime_method = MTIME_MDTM;
      g_clear_pointer (&command, g_free);
    }
  if (self->mtime_method == MTIME_MDTM)
    {
      g_autoptr(GError) local_error = NULL;

      command = g_strdup_printf ("MDTM %s %s", stamp, arg);
      if (_ferry_backend_ftp_run_quote (self, command, cancellable, &local_error))
        return TRUE;
      if (self->session.state.last_code == 213)
        return TRUE;
      /* Unknown, or a 550 from a server that took the time for a file
       * name (GNU inetutils ftpd advertises MDTM with one argument only). */
      if (!command_unknown (self->session.state.last_code) && self->session.state.last_code != 501
          && self->session.state.last_code != 550)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      self->mtime_method = MTIME_NONE;
    }

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("The server cannot set modification times"));
  return FALSE;
}

/* Sends every command at once and reads one final reply to each, in order
 * (the MDTM burst's rule: plain control connection, between two libcurl
 * calls). codes[i] gets each reply's code. Anything unexpected shuts the
 * connection down, as the burst does. */
static gboolean
pipeline (FerryFtpBackend  *self,
          const char      **commands,
          guint             n,
          guint            *codes,
          GCancellable     *cancellable,
          GError          **error)
{
  g_autoptr(FerryFtpReplyParser) parser = ferry_ftp_reply_parser_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  gsize sent = 0;
  guint answered = 0;
  gboolean ok = TRUE;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *shown = g_strconcat ("> ", commands[i], NULL);

      ferry_curl_state_show (&self->session.state, shown);
      g_string_append (out, commands[i]);
      g_string_append (out, "\r\n");
    }
  while (ok && answered < n)
    {
      short events = POLLIN | (sent < out->len ? POLLOUT : 0);

      if (!control_wait (self, &events, cancellable, error))
        {
          ok = FALSE;
          break;
        }
      if ((events & POLLOUT) != 0 && sent < out->len)
        {
          ssize_t written = send (self->session.control, out->str + sent, out->len - sent,
                                  MSG_NOSIGNAL | MSG_DONTWAIT);

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
      if ((events & POLLNVAL) != 0)
        {
          g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                               _("The connection to the server was lost"));
          ok = FALSE;
          break;
        }
      if ((events & (POLLIN | POLLHUP | POLLERR)) != 0)
        {
          FerryFtpControlIo io = { self->session.control, NULL, NULL, NULL };
          FerryFtpReply *reply;

          if (_ferry_backend_ftp_control_feed (&io, parser, error) < 0)
            ok = FALSE;
          while ((reply = ferry_ftp_reply_parser_pop (parser)) != NULL)
            {
              g_autofree char *text = ferry_ftp_reply_get_text (reply);
              g_autofree char *shown = g_strdup_printf ("< %u %s", reply->code, text);

              ferry_curl_mask_control_bytes (shown);
              ferry_curl_state_show (&self->session.state, shown);
              if (ok && (answered >= n || reply->code < 200 || reply->code == 421))
                {
                  g_set_error (error, FERRY_ERROR, reply->code == 421 ? FERRY_ERROR_TOO_MANY : FERRY_ERROR_TRANSIENT,
                               _("The server answered out of turn: %s"), text);
                  ok = FALSE;
                }
              else if (ok)
                codes[answered++] = reply->code;
              ferry_ftp_reply_free (reply);
            }
        }
    }
  if (!ok || ferry_ftp_reply_parser_is_partial (parser))
    {
      shutdown (self->session.control, SHUT_RDWR);
      if (ok)
        g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                             _("The server answered out of turn"));
      return FALSE;
    }
  return TRUE;
}

/* The copy's last steps in one round trip: the time (MFMT, or vsftpd's
 * two-argument MDTM), RNFR and RNTO sent together on a plain control
 * connection once this session knows how the server takes a time; the
 * first file of a session, and FTPS (the TLS records are libcurl's), go
 * the way of three. */
gboolean
_ferry_backend_ftp_finish (FerryBackend  *backend,
                            const char    *from,
                            const char    *to,
                            gint64         mtime,
                            GError       **time_error,
                            GCancellable  *cancellable,
                            GError       **error)
{
  FerryFtpBackend *self = (FerryFtpBackend *) backend;
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (mtime);
  g_autofree char *from_arg = NULL;
  g_autofree char *to_arg = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *time_command = NULL;
  g_autofree char *rnfr = NULL;
  g_autofree char *rnto = NULL;
  const char *commands[3];
  guint codes[3] = { 0, };

  if (!self->plain_control || when == NULL || self->session.control == CURL_SOCKET_BAD ||
      (self->mtime_method != MTIME_MFMT && self->mtime_method != MTIME_MDTM) ||
      ferry_curl_has_control_chars (from) || ferry_curl_has_control_chars (to))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not in one round trip here");
      return FALSE;
    }
  from_arg = _ferry_backend_ftp_quote_arg (from);
  to_arg = _ferry_backend_ftp_quote_arg (to);
  stamp = g_date_time_format (when, "%Y%m%d%H%M%S");
  time_command = g_strdup_printf ("%s %s %s", self->mtime_method == MTIME_MFMT ? "MFMT" : "MDTM", stamp, from_arg);
  rnfr = g_strdup_printf ("RNFR %s", from_arg);
  rnto = g_strdup_printf ("RNTO %s", to_arg);
  commands[0] = time_command;
  commands[1] = rnfr;
  commands[2] = rnto;
  if (!pipeline (self, commands, 3, codes, cancellable, error))
    return FALSE;
  if (codes[0] < 200 || codes[0] >= 300)
    g_set_error (time_error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 _("The server did not set the time (it answered %u)"), codes[0]);
  if (codes[1] != 350 || codes[2] < 200 || codes[2] >= 300)
    {
      guint code = codes[1] != 350 ? codes[1] : codes[2];
      FerryError kind = FERRY_ERROR_PERMISSION;

      if (code == 421)
        kind = FERRY_ERROR_TOO_MANY;
      else if (code == 450 || code == 451 || code == 425 || code == 426)
        kind = FERRY_ERROR_TRANSIENT;
      else if (code == 452 || code == 552)
        kind = FERRY_ERROR_NO_SPACE;
      else if (code == 553)
        kind = FERRY_ERROR_BAD_NAME;
      g_set_error (error, FERRY_ERROR, kind, _("The server refused to rename the file (it answered %u)"), code);
      return FALSE;
    }
  return TRUE;
}
