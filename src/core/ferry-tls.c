/* ferry-tls.c: certificates and pins with OpenSSL (see ferry-tls.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "ferry-error.h"
#include "ferry-tls.h"

#define HANDSHAKE_TIMEOUT_SECONDS 15

void
ferry_certificate_free (FerryCertificate *certificate)
{
  if (certificate == NULL)
    return;
  g_free (certificate->subject);
  g_free (certificate->issuer);
  g_clear_pointer (&certificate->not_before, g_date_time_unref);
  g_clear_pointer (&certificate->not_after, g_date_time_unref);
  g_free (certificate->fingerprint);
  g_free (certificate->pin);
  g_free (certificate->trust_problem);
  g_free (certificate);
}

FerryCertificate *
ferry_certificate_copy (const FerryCertificate *certificate)
{
  FerryCertificate *copy;

  g_return_val_if_fail (certificate != NULL, NULL);

  copy = g_new0 (FerryCertificate, 1);
  copy->subject = g_strdup (certificate->subject);
  copy->issuer = g_strdup (certificate->issuer);
  copy->not_before = certificate->not_before ? g_date_time_ref (certificate->not_before) : NULL;
  copy->not_after = certificate->not_after ? g_date_time_ref (certificate->not_after) : NULL;
  copy->fingerprint = g_strdup (certificate->fingerprint);
  copy->pin = g_strdup (certificate->pin);
  copy->trusted_by_system = certificate->trusted_by_system;
  copy->trust_problem = g_strdup (certificate->trust_problem);
  return copy;
}

/* Hex digits only, upper case: "aa:bb" and "AABB" compare equal. */
static char *
normalize_hex (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isxdigit (*p))
        g_string_append_c (out, g_ascii_toupper (*p));
      else if (*p != ':' && *p != ' ')
        {
          g_string_free (out, TRUE);
          return NULL;
        }
    }
  return g_string_free (out, FALSE);
}

gboolean
ferry_certificate_matches (const FerryCertificate *certificate,
                           const char             *text)
{
  g_autofree char *wanted = NULL;
  g_autofree char *have = NULL;
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (certificate != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  trimmed = g_strstrip (g_strdup (text));
  if (g_str_has_prefix (trimmed, "sha256//"))
    return g_strcmp0 (trimmed, certificate->pin) == 0;

  wanted = normalize_hex (g_str_has_prefix (trimmed, "SHA256:") ? trimmed + 7 : trimmed);
  have = normalize_hex (certificate->fingerprint);
  return wanted != NULL && have != NULL && strlen (wanted) == 64 && g_str_equal (wanted, have);
}

static char *
colon_hex (const guint8 *bytes,
           gsize         length)
{
  GString *out = g_string_sized_new (length * 3);

  for (gsize i = 0; i < length; i++)
    g_string_append_printf (out, i == 0 ? "%02X" : ":%02X", bytes[i]);
  return g_string_free (out, FALSE);
}

static char *
name_to_string (const X509_NAME *name)
{
  BIO *bio = BIO_new (BIO_s_mem ());
  char *data = NULL;
  long length;
  char *result;

  /* One line, RFC 2253 order but readable: "CN=…, O=…". */
  X509_NAME_print_ex (bio, name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
  length = BIO_get_mem_data (bio, &data);
  result = g_strndup (data, length);
  BIO_free (bio);
  if (!g_utf8_validate (result, -1, NULL))
    {
      char *valid = g_utf8_make_valid (result, -1);
      g_free (result);
      result = valid;
    }
  return result;
}

static GDateTime *
asn1_time_to_date (const ASN1_TIME *time)
{
  struct tm tm = { 0 };

  if (time == NULL || ASN1_TIME_to_tm (time, &tm) != 1)
    return NULL;
  return g_date_time_new_utc (tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                              tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static FerryCertificate *
certificate_from_x509 (X509 *x509)
{
  FerryCertificate *certificate = g_new0 (FerryCertificate, 1);
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  unsigned char *spki = NULL;
  int spki_length;
  g_autofree char *spki_b64 = NULL;

  certificate->subject = name_to_string (X509_get_subject_name (x509));
  certificate->issuer = name_to_string (X509_get_issuer_name (x509));
  certificate->not_before = asn1_time_to_date (X509_get0_notBefore (x509));
  certificate->not_after = asn1_time_to_date (X509_get0_notAfter (x509));

  if (X509_digest (x509, EVP_sha256 (), digest, &digest_length) == 1)
    certificate->fingerprint = colon_hex (digest, digest_length);

  spki_length = i2d_X509_PUBKEY (X509_get_X509_PUBKEY (x509), &spki);
  if (spki_length > 0)
    {
      EVP_Digest (spki, spki_length, digest, &digest_length, EVP_sha256 (), NULL);
      spki_b64 = g_base64_encode (digest, digest_length);
      certificate->pin = g_strconcat ("sha256//", spki_b64, NULL);
      OPENSSL_free (spki);
    }
  return certificate;
}

static void
set_socket_timeouts (int fd)
{
  struct timeval timeout = { HANDSHAKE_TIMEOUT_SECONDS, 0 };

  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
}

static char *
openssl_error_text (void)
{
  unsigned long code = ERR_peek_last_error ();
  char buffer[256];

  if (code == 0)
    return g_strdup (_("the connection closed during the handshake"));
  ERR_error_string_n (code, buffer, sizeof buffer);
  return g_strdup (ERR_reason_error_string (code) != NULL ? ERR_reason_error_string (code) : buffer);
}

/* The handshake and what it tells, in order on one SSL object; long
 * because each OpenSSL call needs its own failure path. */
FerryCertificate *
ferry_tls_probe_socket (GSocket     *socket,
                        const char  *host,
                        gboolean    *plain_text_answer,
                        GError     **error)
{
  g_autoptr(FerryCertificate) certificate = NULL;
  SSL_CTX *ctx = NULL;
  SSL *ssl = NULL;
  X509 *peer = NULL;
  X509_VERIFY_PARAM *param;
  gboolean is_ip;
  long verify;
  int fd;

  g_return_val_if_fail (G_IS_SOCKET (socket), NULL);
  g_return_val_if_fail (host != NULL, NULL);

  if (plain_text_answer != NULL)
    *plain_text_answer = FALSE;

  /* GSocket keeps its descriptor non-blocking; OpenSSL reads it directly
   * here, with the timeouts below instead. */
  fd = g_socket_get_fd (socket);
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  set_socket_timeouts (fd);
  ERR_clear_error ();

  ctx = SSL_CTX_new (TLS_client_method ());
  if (ctx == NULL)
    goto failed;
  SSL_CTX_set_min_proto_version (ctx, TLS1_2_VERSION);
  SSL_CTX_set_default_verify_paths (ctx);
  /* Verify ourselves after the handshake: an untrusted certificate is
   * something to show the user, not a reason to hang up before seeing it. */
  SSL_CTX_set_verify (ctx, SSL_VERIFY_NONE, NULL);

  ssl = SSL_new (ctx);
  if (ssl == NULL)
    goto failed;
  param = SSL_get0_param (ssl);
  is_ip = g_hostname_is_ip_address (host);
  if (is_ip)
    X509_VERIFY_PARAM_set1_ip_asc (param, host);
  else
    {
      X509_VERIFY_PARAM_set1_host (param, host, 0);
      SSL_set_tlsext_host_name (ssl, host);
    }
  SSL_set_fd (ssl, fd);

  if (SSL_connect (ssl) != 1)
    {
      g_autofree char *reason = openssl_error_text ();
      unsigned long code = ERR_peek_last_error ();

      /* "wrong version number" / "packet length too long": the bytes that
       * came back were not TLS — most likely a plain "220" greeting. */
      if (plain_text_answer != NULL && ERR_GET_LIB (code) == ERR_LIB_SSL
          && (ERR_GET_REASON (code) == SSL_R_WRONG_VERSION_NUMBER
              || ERR_GET_REASON (code) == SSL_R_PACKET_LENGTH_TOO_LONG))
        *plain_text_answer = TRUE;
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_TLS,
                   _("The secure connection could not be set up: %s"), reason);
      goto out;
    }

  peer = SSL_get1_peer_certificate (ssl);
  if (peer == NULL)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_TLS,
                           _("The server sent no certificate"));
      goto out;
    }

  certificate = certificate_from_x509 (peer);
  verify = SSL_get_verify_result (ssl);
  certificate->trusted_by_system = verify == X509_V_OK;
  if (verify != X509_V_OK)
    certificate->trust_problem = g_strdup (X509_verify_cert_error_string (verify));

  SSL_shutdown (ssl);
  goto out;

failed:
  {
    g_autofree char *reason = openssl_error_text ();

    g_set_error (error, FERRY_ERROR, FERRY_ERROR_TLS, _("TLS is not available: %s"), reason);
  }
out:
  if (peer != NULL)
    X509_free (peer);
  if (ssl != NULL)
    SSL_free (ssl);
  if (ctx != NULL)
    SSL_CTX_free (ctx);
  return g_steal_pointer (&certificate);
}

char *
ferry_tls_host_key_fingerprint (const guint8 *key,
                                gsize         length)
{
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  g_autofree char *b64 = NULL;
  gsize end;

  g_return_val_if_fail (key != NULL, NULL);

  EVP_Digest (key, length, digest, &digest_length, EVP_sha256 (), NULL);
  b64 = g_base64_encode (digest, digest_length);
  end = strlen (b64);
  while (end > 0 && b64[end - 1] == '=')
    b64[--end] = '\0';
  return g_strconcat ("SHA256:", b64, NULL);
}

/* OpenSSL says why it does not trust a certificate in English only; the
 * reasons people meet most, in their language. */
static const struct
{
  const char *openssl;
  const char *words;
} trust_problems[] = {
  { "self-signed certificate", N_("self-signed certificate") },
  { "self signed certificate", N_("self-signed certificate") },
  { "self-signed certificate in certificate chain", N_("self-signed certificate in the chain") },
  { "self signed certificate in certificate chain", N_("self-signed certificate in the chain") },
  { "certificate has expired", N_("the certificate has expired") },
  { "certificate is not yet valid", N_("the certificate is not valid yet") },
  { "unable to get local issuer certificate", N_("issued by an authority this computer does not know") },
  { "unable to verify the first certificate", N_("issued by an authority this computer does not know") },
  { "Hostname mismatch", N_("made out for another server name") },
};

const char *
ferry_tls_describe_trust_problem (const char *openssl)
{
  if (openssl == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (trust_problems); i++)
    if (g_str_equal (openssl, trust_problems[i].openssl))
      return _(trust_problems[i].words);
  return openssl;
}
