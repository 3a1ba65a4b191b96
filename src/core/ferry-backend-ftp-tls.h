/* ferry-backend-ftp-tls.h: the pipelined download's control and data
 * connections over explicit TLS (ferry-backend-ftp-tls.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <openssl/ssl.h>

#include "ferry-backend-ftp-private.h"

G_BEGIN_DECLS

/* The control connection between two libcurl calls: plain, or libcurl's
 * own TLS on it, borrowed until _ferry_backend_ftp_control_end(). */
typedef struct
{
  int fd;
  SSL *ssl;       /* NULL: a plain connection */
  BIO *rbio;      /* libcurl's, put back by _end() */
  BIO *wbio;
} FerryFtpControlIo;

/* Over TLS: libcurl's TLS object of each control connection is noted, for
 * the calls that write around libcurl. Once, when the backend is made. */
void      _ferry_backend_ftp_tls_watch          (FerryFtpBackend   *self);
/* FALSE when this control connection cannot be written around libcurl
 * (TLS not seen during a transfer on it, another TLS version, bytes
 * waiting inside TLS). Every TRUE is followed by _end(). */
gboolean  _ferry_backend_ftp_control_begin      (FerryFtpBackend   *self,
                                                 FerryFtpControlIo *io);
void      _ferry_backend_ftp_control_end        (FerryFtpControlIo *io);
/* As send() and recv() with MSG_DONTWAIT: -1 with errno EAGAIN when they
 * would block; recv() returns 0 at the end of the connection. */
gssize    _ferry_backend_ftp_control_send       (FerryFtpControlIo *io,
                                                 const char        *buffer,
                                                 gsize              length);
gssize    _ferry_backend_ftp_control_recv       (FerryFtpControlIo *io,
                                                 char              *buffer,
                                                 gsize              length);
/* Bytes already decrypted and waiting: poll() will not say so. */
gboolean  _ferry_backend_ftp_control_pending    (FerryFtpControlIo *io);
/* Feeds `parser` what the control connection has (over TLS, all that is
 * decrypted already too): the bytes read, 0 when nothing was waiting, or
 * -1 with `error` set when the server closed it or sent no FTP reply. */
gssize    _ferry_backend_ftp_control_feed       (FerryFtpControlIo   *io,
                                                 FerryFtpReplyParser *parser,
                                                 GError             **error);

/* A data connection's TLS, its session resumed from the control
 * connection's (as vsftpd's require_ssl_reuse demands), on connected `fd`. */
SSL      *_ferry_backend_ftp_tls_data_new       (FerryFtpControlIo *io,
                                                 int                fd,
                                                 GError           **error);
/* One step of its handshake: 1 done (and the session was resumed), 0 again
 * when `fd` is ready for `events`, -1 failed. */
int       _ferry_backend_ftp_tls_data_handshake (SSL               *ssl,
                                                 short             *events,
                                                 GError           **error);
/* > 0 bytes read, 0 the server's TLS end came (the data is whole), -1 with
 * `error` unset: nothing yet, -1 with `error` set: failed (an end of the
 * connection without TLS's end among them: the file may be cut short). */
gssize    _ferry_backend_ftp_tls_data_recv      (SSL               *ssl,
                                                 guint8            *buffer,
                                                 gsize              length,
                                                 GError           **error);
gboolean  _ferry_backend_ftp_tls_data_pending   (SSL               *ssl);
/* Sends this side's TLS end (close_notify) without waiting; TRUE when it
 * went out whole. */
gboolean  _ferry_backend_ftp_tls_data_end       (SSL               *ssl);
void      _ferry_backend_ftp_tls_data_free      (SSL               *ssl);

G_END_DECLS
