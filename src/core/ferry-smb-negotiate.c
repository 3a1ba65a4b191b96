/* ferry-smb-negotiate.c: the SMB2 NEGOTIATE request and its reply
 * ([MS-SMB2] 2.2.3 and 2.2.4), see ferry-smb-negotiate.h.
 *
 * Limits: the reply is read within the length its header gives and at most
 * FERRY_SMB_NEGOTIATE_MAX_REPLY bytes; every offset the server sends is
 * checked against that length before it is followed; at most 16
 * negotiate contexts are looked at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-error.h"
#include "ferry-smb-negotiate.h"

#define HEADER_SIZE 64
#define NEGOTIATE_COMMAND 0x0000
#define SIGNING_ENABLED 0x0001
#define SIGNING_REQUIRED 0x0002
#define CAP_ENCRYPTION 0x00000040
#define CONTEXT_PREAUTH 0x0001
#define CONTEXT_ENCRYPTION 0x0002
#define CONTEXT_SIGNING 0x0008
#define MAX_CONTEXTS 16

static const guint16 dialects[] = { 0x0202, 0x0210, 0x0300, 0x0302, 0x0311 };
/* Preferred first, as Windows orders them. */
static const guint16 ciphers[] = { 0x0002, 0x0001, 0x0004, 0x0003 };
static const guint16 signing_algorithms[] = { 0x0002, 0x0001, 0x0000 };

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

static void
pad8 (GByteArray *out,
      gsize       start)
{
  static const guint8 zero[8] = { 0 };

  g_byte_array_append (out, zero, (8 - (out->len - start) % 8) % 8);
}

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
set16 (GByteArray *out,
       gsize       at,
       guint16     value)
{
  out->data[at] = value & 0xff;
  out->data[at + 1] = value >> 8;
}

static void
set32 (GByteArray *out,
       gsize       at,
       guint32     value)
{
  set16 (out, at, value & 0xffff);
  set16 (out, at + 2, value >> 16);
}

GBytes *
ferry_smb_negotiate_request (const guint8 random[48])
{
  static const guint8 zero[16] = { 0 };
  static const guint8 protocol[4] = { 0xfe, 'S', 'M', 'B' };
  GByteArray *out = g_byte_array_new ();
  const gsize smb = 4;   /* after the NetBIOS session header */
  gsize context_offset_at, context_start;
  gsize length;

  g_byte_array_append (out, zero, 4);

  /* SMB2 header */
  g_byte_array_append (out, protocol, 4);
  put16 (out, HEADER_SIZE);   /* StructureSize */
  put16 (out, 0);             /* CreditCharge */
  put32 (out, 0);             /* Status */
  put16 (out, NEGOTIATE_COMMAND);
  put16 (out, 1);             /* CreditRequest */
  put32 (out, 0);             /* Flags */
  put32 (out, 0);             /* NextCommand */
  put32 (out, 0);             /* MessageId */
  put32 (out, 0);
  put32 (out, 0);             /* Reserved (ProcessId) */
  put32 (out, 0);             /* TreeId */
  put32 (out, 0);             /* SessionId */
  put32 (out, 0);
  g_byte_array_append (out, zero, 16);   /* Signature */
  g_assert (out->len == smb + HEADER_SIZE);

  /* NEGOTIATE request */
  put16 (out, 36);            /* StructureSize */
  put16 (out, G_N_ELEMENTS (dialects));
  put16 (out, SIGNING_ENABLED);
  put16 (out, 0);
  put32 (out, CAP_ENCRYPTION);
  g_byte_array_append (out, random, 16);   /* ClientGuid */
  context_offset_at = out->len;
  put32 (out, 0);             /* NegotiateContextOffset, set below */
  put16 (out, 3);             /* NegotiateContextCount */
  put16 (out, 0);
  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    put16 (out, dialects[i]);

  pad8 (out, smb);
  context_start = out->len;
  set32 (out, context_offset_at, context_start - smb);

  put16 (out, CONTEXT_PREAUTH);
  put16 (out, 2 + 2 + 2 + 32);
  put32 (out, 0);
  put16 (out, 1);             /* HashAlgorithmCount */
  put16 (out, 32);            /* SaltLength */
  put16 (out, 0x0001);        /* SHA-512 */
  g_byte_array_append (out, random + 16, 32);

  pad8 (out, smb);
  put16 (out, CONTEXT_ENCRYPTION);
  put16 (out, 2 + 2 * G_N_ELEMENTS (ciphers));
  put32 (out, 0);
  put16 (out, G_N_ELEMENTS (ciphers));
  for (guint i = 0; i < G_N_ELEMENTS (ciphers); i++)
    put16 (out, ciphers[i]);

  pad8 (out, smb);
  put16 (out, CONTEXT_SIGNING);
  put16 (out, 2 + 2 * G_N_ELEMENTS (signing_algorithms));
  put32 (out, 0);
  put16 (out, G_N_ELEMENTS (signing_algorithms));
  for (guint i = 0; i < G_N_ELEMENTS (signing_algorithms); i++)
    put16 (out, signing_algorithms[i]);

  /* NetBIOS session message: type 0, 24-bit big-endian length. */
  length = out->len - smb;
  out->data[1] = (length >> 16) & 0xff;
  out->data[2] = (length >> 8) & 0xff;
  out->data[3] = length & 0xff;
  return g_byte_array_free_to_bytes (out);
}

gsize
ferry_smb_negotiate_reply_size (const guint8 *data,
                                gsize         length)
{
  if (length < 4)
    return 0;
  return 4 + (((gsize) data[1] << 16) | ((gsize) data[2] << 8) | data[3]);
}

static gboolean
not_smb2 (GError     **error,
          const char  *message)
{
  g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL, message);
  return FALSE;
}

gboolean
ferry_smb_negotiate_parse (const guint8         *data,
                           gsize                 length,
                           FerrySmbNegotiation  *out,
                           GError              **error)
{
  const guint8 *smb, *body;
  gsize size;
  guint32 status;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (length < 8 || data[0] != 0x00)
    return not_smb2 (error, _("The server did not answer like an SMB server"));
  size = ferry_smb_negotiate_reply_size (data, length) - 4;
  if (size > length - 4)
    return not_smb2 (error, _("The server’s answer was cut short"));
  smb = data + 4;
  if (memcmp (smb, "\xffSMB", 4) == 0)
    return not_smb2 (error, _("The server speaks only SMB1, which Ferry does not use"));
  if (memcmp (smb, "\xfeSMB", 4) != 0)
    return not_smb2 (error, _("The server did not answer like an SMB server"));
  if (size < HEADER_SIZE + 64)
    return not_smb2 (error, _("The server’s answer was cut short"));
  if (get16 (smb + 12) != NEGOTIATE_COMMAND)
    return not_smb2 (error, _("The server answered something other than the negotiation"));
  status = get32 (smb + 8);
  if (status != 0)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                   _("The server refused the negotiation (status 0x%08x)"), status);
      return FALSE;
    }

  body = smb + HEADER_SIZE;
  if (get16 (body) != 65)
    return not_smb2 (error, _("The server’s negotiation answer is malformed"));
  out->signing_required = (get16 (body + 2) & SIGNING_REQUIRED) != 0;
  out->dialect = get16 (body + 4);
  out->encryption = (get32 (body + 24) & CAP_ENCRYPTION) != 0;
  out->max_read = get32 (body + 32);
  out->max_write = get32 (body + 36);

  if (out->dialect == 0x02ff)
    return not_smb2 (error, _("The server’s negotiation answer is malformed"));

  if (out->dialect == 0x0311)
    {
      guint count = get16 (body + 6);
      gsize offset = get32 (body + 60);

      for (guint i = 0; i < count && i < MAX_CONTEXTS; i++)
        {
          guint16 type, data_length;

          offset = (offset + 7) & ~(gsize) 7;
          if (offset > size || size - offset < 8)
            break;
          type = get16 (smb + offset);
          data_length = get16 (smb + offset + 2);
          if (size - offset - 8 < data_length)
            break;
          if (type == CONTEXT_ENCRYPTION && data_length >= 4 && get16 (smb + offset + 8) >= 1)
            {
              out->cipher = get16 (smb + offset + 10);
              out->encryption = out->cipher != 0;
            }
          offset += 8 + data_length;
        }
    }
  return TRUE;
}

char *
ferry_smb_dialect_to_string (guint16 dialect)
{
  switch (dialect)
    {
    case 0x0202:
      return g_strdup ("SMB 2.0.2");
    case 0x0210:
      return g_strdup ("SMB 2.1");
    case 0x0300:
      return g_strdup ("SMB 3.0");
    case 0x0302:
      return g_strdup ("SMB 3.0.2");
    case 0x0311:
      return g_strdup ("SMB 3.1.1");
    default:
      return g_strdup_printf ("SMB 0x%04x", dialect);
    }
}

const char *
ferry_smb_cipher_to_string (guint16 cipher)
{
  switch (cipher)
    {
    case 0x0001:
      return "AES-128-CCM";
    case 0x0002:
      return "AES-128-GCM";
    case 0x0003:
      return "AES-256-CCM";
    case 0x0004:
      return "AES-256-GCM";
    default:
      return NULL;
    }
}
