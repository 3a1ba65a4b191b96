/* ferry-backend-ftp-tls.c: the pipelined download (ferry-backend-ftp-retr.c)
 * over explicit TLS, on libcurl's own TLS control connection.
 *
 * Over FTPS libcurl 7.88 spends about six round trips on a small file:
 * EPSV, the data connection, RETR and its 150, the data connection's TLS
 * handshake, the data with the server's TLS end, and the client's TLS end
 * that vsftpd waits for before its 226. The pipelined download saves most
 * of them on a plain connection; here it gets the same on a TLS one.
 *
 * The control connection stays libcurl's: it logged in, checked the
 * certificate (against the connector's pinned key, or the system's CAs and
 * the host name), sent PBSZ 0 and PROT P. Before each libcurl request on
 * it, the connection's OpenSSL object is noted (CURLINFO_TLS_SSL_PTR answers
 * only while a request runs); between two libcurl calls on that same
 * connection (session.control_serial), its reading and writing are lent
 * to this file: libcurl's BIO, which reads through libcurl's connection
 * filters, is set aside for one on the socket and put back afterwards.
 * The TLS records just go on in sequence; libcurl never knows.
 *
 * Each data connection's TLS resumes the control connection's session, as
 * vsftpd (require_ssl_reuse) demands and as libcurl does. A data
 * connection whose handshake did not resume that session is refused: its
 * certificate would be checked by no one, and only a server that holds
 * the control connection's secret can resume it. The data's end must be
 * the server's TLS end (close_notify): a connection that just closes may
 * have cut the file short. TLS 1.2 only, as libcurl is told (ferry-curl.c).
 * Anything else, and libcurl does the file (see the caller).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>

#include "ferry-backend-ftp-tls.h"
#include "ferry-error.h"

/* A BIO on a socket that never raises SIGPIPE (OpenSSL's own uses write()). */
static int
bio_write (BIO        *bio,
           const char *buffer,
           int         length)
{
  int fd = GPOINTER_TO_INT (BIO_get_data (bio)) - 1;
  ssize_t n = send (fd, buffer, (size_t) length, MSG_NOSIGNAL | MSG_DONTWAIT);

  BIO_clear_retry_flags (bio);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    BIO_set_retry_write (bio);
  return (int) n;
}

static int
bio_read (BIO  *bio,
          char *buffer,
          int   length)
{
  int fd = GPOINTER_TO_INT (BIO_get_data (bio)) - 1;
  ssize_t n;

  if (buffer == NULL || length <= 0)
    return 0;
  n = recv (fd, buffer, (size_t) length, MSG_DONTWAIT);
  BIO_clear_retry_flags (bio);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    BIO_set_retry_read (bio);
  return (int) n;
}

static long
bio_ctrl (BIO  *bio,
          int   command,
          long  number,
          void *pointer)
{
  return command == BIO_CTRL_FLUSH ? 1 : 0;
}

static int
bio_create (BIO *bio)
{
  BIO_set_init (bio, 1);
  return 1;
}

static BIO *
socket_bio_new (int fd)
{
  static gsize once = 0;
  static BIO_METHOD *method = NULL;
  BIO *bio;

  if (g_once_init_enter (&once))
    {
      method = BIO_meth_new (BIO_get_new_index () | BIO_TYPE_SOURCE_SINK, "Ferry FTP socket");
      BIO_meth_set_write (method, bio_write);
      BIO_meth_set_read (method, bio_read);
      BIO_meth_set_ctrl (method, bio_ctrl);
      BIO_meth_set_create (method, bio_create);
      g_once_init_leave (&once, 1);
    }
  bio = BIO_new (method);
  if (bio != NULL)
    BIO_set_data (bio, GINT_TO_POINTER (fd + 1));
  return bio;
}

/* Before each request, with the connection set up (logged in, PROT P):
 * the only time libcurl 7.88 tells which TLS object the connection has
 * (CURLINFO_TLS_SSL_PTR needs a transfer attached to the connection). */
static int
note_tls (void *user_data,
          char *primary_ip,
          char *local_ip,
          int   primary_port,
          int   local_port)
{
  FerryFtpBackend *self = user_data;
  struct curl_tlssessioninfo *info = NULL;

  if (curl_easy_getinfo (self->session.easy, CURLINFO_TLS_SSL_PTR, &info) == CURLE_OK
      && info != NULL && info->backend == CURLSSLBACKEND_OPENSSL && info->internals != NULL)
    {
      self->tls_control = info->internals;
      self->tls_serial = self->session.control_serial;
    }
  return CURL_PREREQFUNC_OK;
}

void
_ferry_backend_ftp_tls_watch (FerryFtpBackend *self)
{
  if (self->plain_control)
    return;
  /* Only the libcurl this was made and tested with: from 8.0 its
   * connection filters may hold bytes read off the socket beneath the
   * TLS, which a BIO on the socket would skip. Other versions do each
   * file libcurl's way. */
  if (curl_version_info (CURLVERSION_NOW)->version_num >= 0x080000)
    return;
  curl_easy_setopt (self->session.easy, CURLOPT_PREREQFUNCTION, note_tls);
  curl_easy_setopt (self->session.easy, CURLOPT_PREREQDATA, self);
}

gboolean
_ferry_backend_ftp_control_begin (FerryFtpBackend   *self,
                                  FerryFtpControlIo *io)
{
  FerryCurlSession *session = &self->session;
  SSL *ssl;
  BIO *bio;

  *io = (FerryFtpControlIo) { session->control, NULL, NULL, NULL };
  if (session->control == CURL_SOCKET_BAD)
    return FALSE;
  if (self->plain_control)
    return TRUE;
  /* libcurl's TLS object lives as long as its connection: the serial
   * says it is still the one it was seen on. */
  if (self->no_pipelined_tls || self->tls_control == NULL || self->tls_serial != session->control_serial)
    return FALSE;
  ssl = self->tls_control;
  if (SSL_version (ssl) != TLS1_2_VERSION || SSL_has_pending (ssl) || SSL_get_shutdown (ssl) != 0)
    return FALSE;
  bio = socket_bio_new (session->control);
  if (bio == NULL)
    return FALSE;
  /* SSL_set0_*bio() each free one reference of what they replace: one
   * more of each of libcurl's, kept here, and two of ours. */
  io->rbio = SSL_get_rbio (ssl);
  io->wbio = SSL_get_wbio (ssl);
  BIO_up_ref (io->rbio);
  BIO_up_ref (io->wbio);
  BIO_up_ref (bio);
  SSL_set0_rbio (ssl, bio);
  SSL_set0_wbio (ssl, bio);
  io->ssl = ssl;
  ERR_clear_error ();
  return TRUE;
}

void
_ferry_backend_ftp_control_end (FerryFtpControlIo *io)
{
  if (io->ssl == NULL)
    return;
  SSL_set0_rbio (io->ssl, g_steal_pointer (&io->rbio));
  SSL_set0_wbio (io->ssl, g_steal_pointer (&io->wbio));
  ERR_clear_error ();
  io->ssl = NULL;
}

/* errno for an SSL_read() or SSL_write() that did not move bytes. */
static gssize
ssl_failed (SSL *ssl,
            int  result)
{
  switch (SSL_get_error (ssl, result))
    {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
      errno = EAGAIN;
      return -1;
    case SSL_ERROR_ZERO_RETURN:
      return 0;
    default:
      ERR_clear_error ();
      errno = ECONNRESET;
      return -1;
    }
}

gssize
_ferry_backend_ftp_control_send (FerryFtpControlIo *io,
                                 const char        *buffer,
                                 gsize              length)
{
  int result;

  if (io->ssl == NULL)
    return send (io->fd, buffer, length, MSG_NOSIGNAL | MSG_DONTWAIT);
  /* Retried with the same bytes after EAGAIN, as SSL_write() wants. */
  result = SSL_write (io->ssl, buffer, (int) MIN (length, G_MAXINT));
  if (result > 0)
    return result;
  if (ssl_failed (io->ssl, result) == 0)
    errno = EPIPE;
  return -1;
}

gssize
_ferry_backend_ftp_control_recv (FerryFtpControlIo *io,
                                 char              *buffer,
                                 gsize              length)
{
  int result;

  if (io->ssl == NULL)
    return recv (io->fd, buffer, length, MSG_DONTWAIT);
  result = SSL_read (io->ssl, buffer, (int) MIN (length, G_MAXINT));
  if (result > 0)
    return result;
  return ssl_failed (io->ssl, result);
}

gboolean
_ferry_backend_ftp_control_pending (FerryFtpControlIo *io)
{
  return io->ssl != NULL && SSL_pending (io->ssl) > 0;
}

gssize
_ferry_backend_ftp_control_feed (FerryFtpControlIo    *io,
                                 FerryFtpReplyParser  *parser,
                                 GError              **error)
{
  char buffer[4096];
  gssize total = 0;

  do
    {
      gssize got = _ferry_backend_ftp_control_recv (io, buffer, sizeof buffer);

      if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
        {
          g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                               _("The server closed the connection"));
          return -1;
        }
      if (got > 0 && !ferry_ftp_reply_parser_feed (parser, buffer, (gsize) got, error))
        return -1;
      total += MAX (got, 0);
    }
  while (_ferry_backend_ftp_control_pending (io));
  return total;
}

SSL *
_ferry_backend_ftp_tls_data_new (FerryFtpControlIo *io,
                                 int                fd,
                                 GError           **error)
{
  SSL_SESSION *session;
  const char *name;
  SSL *ssl;
  BIO *bio;

  g_return_val_if_fail (io->ssl != NULL, NULL);
  session = SSL_get1_session (io->ssl);
  ssl = SSL_new (SSL_get_SSL_CTX (io->ssl));
  bio = socket_bio_new (fd);
  if (session == NULL || ssl == NULL || bio == NULL)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_DATA_CHANNEL,
                           _("Could not set up TLS on the data connection"));
      SSL_SESSION_free (session);
      SSL_free (ssl);
      BIO_free (bio);
      return NULL;
    }
  /* libcurl's trace callback on its context knows nothing of this one. */
  SSL_set_msg_callback (ssl, NULL);
  SSL_set_min_proto_version (ssl, TLS1_2_VERSION);
  SSL_set_max_proto_version (ssl, TLS1_2_VERSION);
  name = SSL_get_servername (io->ssl, TLSEXT_NAMETYPE_host_name);
  if (name != NULL)
    SSL_set_tlsext_host_name (ssl, name);
  SSL_set_session (ssl, session);
  SSL_SESSION_free (session);
  SSL_set_bio (ssl, bio, bio);
  SSL_set_connect_state (ssl);
  return ssl;
}

int
_ferry_backend_ftp_tls_data_handshake (SSL     *ssl,
                                       short   *events,
                                       GError **error)
{
  int result = SSL_do_handshake (ssl);

  if (result == 1)
    {
      if (!SSL_session_reused (ssl))
        {
          /* A new session: its certificate was checked by no one. */
          g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_DATA_CHANNEL,
                               _("The server did not resume the TLS session on the data connection"));
          return -1;
        }
      return 1;
    }
  switch (SSL_get_error (ssl, result))
    {
    case SSL_ERROR_WANT_READ:
      *events = POLLIN;
      return 0;
    case SSL_ERROR_WANT_WRITE:
      *events = POLLOUT;
      return 0;
    default:
      {
        char text[256] = "";

        ERR_error_string_n (ERR_peek_last_error (), text, sizeof text);
        ERR_clear_error ();
        g_set_error (error, FERRY_ERROR, FERRY_ERROR_DATA_CHANNEL,
                     _("The TLS handshake on the data connection failed: %s"),
                     *text != '\0' ? text : g_strerror (errno != 0 ? errno : ECONNRESET));
        return -1;
      }
    }
}

gssize
_ferry_backend_ftp_tls_data_recv (SSL      *ssl,
                                  guint8   *buffer,
                                  gsize     length,
                                  GError  **error)
{
  int result = SSL_read (ssl, buffer, (int) MIN (length, G_MAXINT));

  if (result > 0)
    return result;
  switch (SSL_get_error (ssl, result))
    {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
      return -1;
    case SSL_ERROR_ZERO_RETURN:
      return 0;
    default:
      ERR_clear_error ();
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                           _("The data connection ended without the end of its TLS: the file may be cut short"));
      return -1;
    }
}

gboolean
_ferry_backend_ftp_tls_data_pending (SSL *ssl)
{
  return ssl != NULL && SSL_pending (ssl) > 0;
}

gboolean
_ferry_backend_ftp_tls_data_end (SSL *ssl)
{
  int result = 0;

  if ((SSL_get_shutdown (ssl) & SSL_SENT_SHUTDOWN) == 0)
    result = SSL_shutdown (ssl);
  ERR_clear_error ();
  /* 0: sent, the server's own is still to come; 1: both done. */
  return result >= 0 && (SSL_get_shutdown (ssl) & SSL_SENT_SHUTDOWN) != 0;
}

void
_ferry_backend_ftp_tls_data_free (SSL *ssl)
{
  SSL_free (ssl);
  ERR_clear_error ();
}
