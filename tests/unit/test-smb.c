/* test-smb.c: the pure parts of SMB support. The NEGOTIATE request is what
 * [MS-SMB2] asks for (dialects up to 3.1.1, its contexts aligned); replies
 * give dialect, signing and cipher; SMB1-only servers, other protocols,
 * error statuses and lying lengths or offsets are refused without reading
 * past the bytes given. Paths become smb:// URLs with every name escaped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ferry-backend-smb.h"
#include "ferry-error.h"
#include "ferry-smb-negotiate.h"

static guint16
get16 (const guint8 *p)
{
  return p[0] | (p[1] << 8);
}

static guint32
get32 (const guint8 *p)
{
  return get16 (p) | ((guint32) get16 (p + 2) << 16);
}

static void
test_request (void)
{
  guint8 random[48];
  g_autoptr(GBytes) request = NULL;
  const guint8 *data, *smb, *body;
  gsize length, offset;
  guint16 dialects[8];
  guint count, types_seen = 0;

  for (guint i = 0; i < sizeof random; i++)
    random[i] = i;
  request = ferry_smb_negotiate_request (random);
  data = g_bytes_get_data (request, &length);

  /* NetBIOS session header: the length of what follows. */
  g_assert_cmpuint (data[0], ==, 0);
  g_assert_cmpuint (ferry_smb_negotiate_reply_size (data, length), ==, length);
  smb = data + 4;
  g_assert_cmpmem (smb, 4, "\xfeSMB", 4);
  g_assert_cmpuint (get16 (smb + 4), ==, 64);
  g_assert_cmpuint (get16 (smb + 12), ==, 0);   /* NEGOTIATE */

  body = smb + 64;
  g_assert_cmpuint (get16 (body), ==, 36);
  count = get16 (body + 2);
  g_assert_cmpuint (count, ==, 5);
  g_assert_cmpmem (body + 12, 16, random, 16);  /* ClientGuid */
  for (guint i = 0; i < count; i++)
    dialects[i] = get16 (body + 36 + 2 * i);
  g_assert_cmpuint (dialects[0], ==, 0x0202);   /* SMB1 never offered */
  g_assert_cmpuint (dialects[count - 1], ==, 0x0311);

  /* 3.1.1 contexts: 8-byte aligned from the SMB2 header, preauth first. */
  offset = get32 (body + 28);
  g_assert_cmpuint (offset % 8, ==, 0);
  g_assert_cmpuint (get16 (body + 32), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      guint16 type, data_length;

      offset = (offset + 7) & ~(gsize) 7;
      g_assert_cmpuint (offset + 8, <=, length - 4);
      type = get16 (smb + offset);
      data_length = get16 (smb + offset + 2);
      g_assert_cmpuint (offset + 8 + data_length, <=, length - 4);
      if (i == 0)
        {
          g_assert_cmpuint (type, ==, 0x0001);
          g_assert_cmpmem (smb + offset + 14, 32, random + 16, 32);   /* salt */
        }
      types_seen |= 1u << type;
      offset += 8 + data_length;
    }
  g_assert_cmpuint (types_seen, ==, (1u << 1) | (1u << 2) | (1u << 8));
  g_assert_cmpuint (offset, ==, length - 4);
}

static void
put16 (GByteArray *out,
       guint16     value)
{
  guint8 bytes[2] = { value & 0xff, value >> 8 };

  g_byte_array_append (out, bytes, 2);
}

static void
put32 (GByteArray *out,
       guint32     value)
{
  put16 (out, value & 0xffff);
  put16 (out, value >> 16);
}

/* A NEGOTIATE reply as a server sends it; `cipher` 0xffff: no contexts. */
static GByteArray *
make_reply (guint32 status,
            guint16 security_mode,
            guint16 dialect,
            guint32 capabilities,
            guint16 cipher)
{
  static const guint8 zero[64] = { 0 };
  GByteArray *out = g_byte_array_new ();
  gboolean contexts = dialect == 0x0311 && cipher != 0xffff;
  gsize length;

  g_byte_array_append (out, zero, 4);
  g_byte_array_append (out, (const guint8 *) "\xfeSMB", 4);
  put16 (out, 64);
  put16 (out, 0);
  put32 (out, status);
  put16 (out, 0);          /* NEGOTIATE */
  put16 (out, 1);
  put32 (out, 1);          /* a response */
  g_byte_array_append (out, zero, 64 - 20);
  g_assert_cmpuint (out->len, ==, 68);

  put16 (out, 65);
  put16 (out, security_mode);
  put16 (out, dialect);
  put16 (out, contexts ? 2 : 0);
  g_byte_array_append (out, zero, 16);   /* ServerGuid */
  put32 (out, capabilities);
  put32 (out, 8388608);    /* MaxTransactSize */
  put32 (out, 8388608);    /* MaxReadSize */
  put32 (out, 1048576);    /* MaxWriteSize */
  g_byte_array_append (out, zero, 16);   /* times */
  put16 (out, 128);        /* SecurityBufferOffset */
  put16 (out, 8);
  put32 (out, contexts ? 136 : 0);
  g_byte_array_append (out, (const guint8 *) "NTLMSSP!", 8);   /* at 64 + 64 */
  if (contexts)
    {
      /* preauth (38 bytes of data), then encryption, 8-aligned */
      put16 (out, 1);
      put16 (out, 38);
      put32 (out, 0);
      put16 (out, 1);
      put16 (out, 32);
      put16 (out, 1);
      g_byte_array_append (out, zero, 32);
      g_byte_array_append (out, zero, 2);   /* to 8 */
      put16 (out, 2);
      put16 (out, 4);
      put32 (out, 0);
      put16 (out, 1);
      put16 (out, cipher);
    }
  length = out->len - 4;
  out->data[1] = length >> 16;
  out->data[2] = length >> 8;
  out->data[3] = length;
  return out;
}

static void
test_reply_311 (void)
{
  g_autoptr(GByteArray) reply = make_reply (0, 0x01, 0x0311, 0x2f, 0x0002);
  g_autoptr(GError) error = NULL;
  g_autofree char *dialect = NULL;
  FerrySmbNegotiation n;

  g_assert_true (ferry_smb_negotiate_parse (reply->data, reply->len, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n.dialect, ==, 0x0311);
  g_assert_false (n.signing_required);
  g_assert_true (n.encryption);
  g_assert_cmpstr (ferry_smb_cipher_to_string (n.cipher), ==, "AES-128-GCM");
  g_assert_cmpuint (n.max_read, ==, 8388608);
  g_assert_cmpuint (n.max_write, ==, 1048576);
  dialect = ferry_smb_dialect_to_string (n.dialect);
  g_assert_cmpstr (dialect, ==, "SMB 3.1.1");

  /* No cipher chosen: no encryption, whatever the capabilities said. */
  g_clear_pointer (&reply, g_byte_array_unref);
  reply = make_reply (0, 0x03, 0x0311, 0x40, 0x0000);
  g_assert_true (ferry_smb_negotiate_parse (reply->data, reply->len, &n, &error));
  g_assert_true (n.signing_required);
  g_assert_false (n.encryption);
  g_assert_null (ferry_smb_cipher_to_string (n.cipher));
}

static void
test_reply_older (void)
{
  g_autoptr(GByteArray) reply = make_reply (0, 0x03, 0x0302, 0x40, 0xffff);
  g_autoptr(GError) error = NULL;
  g_autofree char *dialect = NULL;
  FerrySmbNegotiation n;

  g_assert_true (ferry_smb_negotiate_parse (reply->data, reply->len, &n, &error));
  g_assert_cmpuint (n.dialect, ==, 0x0302);
  g_assert_true (n.signing_required);
  g_assert_true (n.encryption);       /* SMB2_GLOBAL_CAP_ENCRYPTION */
  g_assert_cmpuint (n.cipher, ==, 0);
  dialect = ferry_smb_dialect_to_string (n.dialect);
  g_assert_cmpstr (dialect, ==, "SMB 3.0.2");

  g_clear_pointer (&reply, g_byte_array_unref);
  reply = make_reply (0, 0x01, 0x0210, 0, 0xffff);
  g_assert_true (ferry_smb_negotiate_parse (reply->data, reply->len, &n, &error));
  g_assert_false (n.encryption);
}

static void
test_reply_refused (void)
{
  static const guint8 smb1[] = { 0, 0, 0, 8, 0xff, 'S', 'M', 'B', 0x72, 0, 0, 0 };
  static const char http[] = "HTTP/1.1 400 Bad Request\r\n\r\n";
  g_autoptr(GByteArray) reply = make_reply (0xc0000022, 0x01, 0x0311, 0, 0x0002);
  FerrySmbNegotiation n;
  GError *error = NULL;

  g_assert_false (ferry_smb_negotiate_parse (reply->data, reply->len, &n, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "0xc0000022"));
  g_clear_error (&error);

  g_assert_false (ferry_smb_negotiate_parse (smb1, sizeof smb1, &n, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "SMB1"));
  g_clear_error (&error);

  g_assert_false (ferry_smb_negotiate_parse ((const guint8 *) http, strlen (http), &n, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL);
  g_clear_error (&error);

  g_assert_false (ferry_smb_negotiate_parse (NULL, 0, &n, &error));
  g_clear_error (&error);
}

/* Every cut of a good reply is refused or read within its bytes; a context
 * offset pointing far past the end is not followed. */
static void
test_reply_truncated_and_lying (void)
{
  g_autoptr(GByteArray) reply = make_reply (0, 0x01, 0x0311, 0, 0x0004);
  FerrySmbNegotiation n;

  for (gsize cut = 0; cut < reply->len; cut++)
    {
      g_autofree guint8 *copy = g_memdup2 (reply->data, cut);
      GError *error = NULL;

      /* The header still claims the whole length: refused. */
      g_assert_false (ferry_smb_negotiate_parse (copy, cut, &n, &error));
      g_clear_error (&error);
    }

  /* NegotiateContextOffset far beyond the reply. */
  reply->data[4 + 64 + 60] = 0xf0;
  reply->data[4 + 64 + 61] = 0xff;
  g_assert_true (ferry_smb_negotiate_parse (reply->data, reply->len, &n, NULL));
  g_assert_cmpuint (n.cipher, ==, 0);
  /* A context length beyond the reply. */
  reply->data[4 + 64 + 60] = 136;
  reply->data[4 + 64 + 61] = 0;
  reply->data[4 + 136 + 2] = 0xff;
  reply->data[4 + 136 + 3] = 0xff;
  g_assert_true (ferry_smb_negotiate_parse (reply->data, reply->len, &n, NULL));
  g_assert_cmpuint (n.cipher, ==, 0);
}

static void
test_url (void)
{
  struct { const char *server; guint16 port; const char *path; const char *url; } cases[] = {
    { "nas.local", 0, "/", "smb://nas.local/" },
    { "nas.local", 0, "/Projects", "smb://nas.local/Projects" },
    { "127.0.0.1", 4450, "/Share/site/index.html", "smb://127.0.0.1:4450/Share/site/index.html" },
    { "nas", 0, "/My Share/a b/Grüße.txt", "smb://nas/My%20Share/a%20b/Gr%C3%BC%C3%9Fe.txt" },
    /* "?" would start libsmbclient's options, "%" an escape, "@" and ":"
     * the credentials. */
    { "nas", 0, "/s/what?.txt", "smb://nas/s/what%3F.txt" },
    { "nas", 0, "/s/100%/u@h:p;x", "smb://nas/s/100%25/u%40h%3Ap%3Bx" },
    { "nas", 0, "//s//double/", "smb://nas/s/double" },
    { "2001:db8::1", 445, "/s", "smb://[2001:db8::1]:445/s" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = ferry_backend_smb_build_url (cases[i].server, cases[i].port, cases[i].path);

      g_assert_cmpstr (url, ==, cases[i].url);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/smb/negotiate/request", test_request);
  g_test_add_func ("/smb/negotiate/reply-3.1.1", test_reply_311);
  g_test_add_func ("/smb/negotiate/reply-older", test_reply_older);
  g_test_add_func ("/smb/negotiate/refused", test_reply_refused);
  g_test_add_func ("/smb/negotiate/truncated-and-lying", test_reply_truncated_and_lying);
  g_test_add_func ("/smb/url", test_url);
  return g_test_run ();
}
