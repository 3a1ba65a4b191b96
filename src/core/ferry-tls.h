/* ferry-tls.h: what a server's TLS certificate says, fetched without ever
 * sending credentials, and the pins Ferry stores when a user trusts one.
 *
 * A pin is "sha256//BASE64" of the certificate's SubjectPublicKeyInfo — the
 * form libcurl's CURLOPT_PINNEDPUBLICKEY takes. The fingerprint people
 * compare is the SHA-256 of the whole certificate, "AA:BB:…".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char      *subject;
  char      *issuer;
  GDateTime *not_before;
  GDateTime *not_after;
  char      *fingerprint;        /* SHA-256 of the DER certificate, AA:BB:… */
  char      *pin;                /* sha256//BASE64 of the public key */
  gboolean   trusted_by_system;  /* chain and host name verified */
  char      *trust_problem;      /* why not, in words; NULL when trusted */
} FerryCertificate;

void              ferry_certificate_free        (FerryCertificate *certificate);
FerryCertificate *ferry_certificate_copy        (const FerryCertificate *certificate);

/* Does `text` ("aa:bb…", "AABB…", "sha256//…", "SHA256:…") name this
 * certificate's fingerprint or pin? */
gboolean          ferry_certificate_matches     (const FerryCertificate *certificate,
                                                 const char             *text);

/* Shakes hands over an already connected socket (for explicit FTPS, after
 * the caller's AUTH TLS got its 234) and returns the server's certificate,
 * trusted or not, with the verdict of the system's trust store and host name
 * check. Sends nothing but the handshake; the socket is done for afterwards.
 * A failed handshake is FERRY_ERROR_TLS; `plain_text_answer` is set when the
 * server answered in plain text (it does not expect TLS there). */
FerryCertificate *ferry_tls_probe_socket        (GSocket                *socket,
                                                 const char             *host,
                                                 gboolean               *plain_text_answer,
                                                 GError                **error);

/* "SHA256:BASE64" (no padding) of an SSH host key blob, as ssh-keygen -l. */
char             *ferry_tls_host_key_fingerprint (const guint8          *key,
                                                  gsize                  length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryCertificate, ferry_certificate_free)

/* Why OpenSSL does not trust a certificate ("self-signed certificate"), in
 * the user's language; OpenSSL's own words when Ferry has none for them. */
const char       *ferry_tls_describe_trust_problem (const char *openssl);

G_END_DECLS
