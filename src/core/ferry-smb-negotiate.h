/* ferry-smb-negotiate.h: the first exchange of SMB2/SMB3, NEGOTIATE, built
 * and read without I/O, so the connection check can show the dialect, the
 * signing and the encryption a server offers before anyone logs in
 * (libsmbclient does not tell). Pure: unit-tested on its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The request takes at most this many bytes; the reply is read up to
 * FERRY_SMB_NEGOTIATE_MAX_REPLY (a server's security blob is small). */
#define FERRY_SMB_NEGOTIATE_MAX_REPLY 65536

typedef struct
{
  guint16 dialect;          /* 0x0202, 0x0210, 0x0300, 0x0302 or 0x0311 */
  gboolean signing_required;
  gboolean encryption;      /* the server can encrypt (3.x) */
  guint16 cipher;           /* 3.1.1: the cipher it chose, 0 when none */
  guint32 max_read;
  guint32 max_write;
} FerrySmbNegotiation;

/* A NEGOTIATE request offering SMB 2.0.2 to 3.1.1, with the NetBIOS
 * session header of direct TCP (port 445). `random` is 48 bytes: client
 * GUID then pre-authentication salt. */
GBytes     *ferry_smb_negotiate_request     (const guint8        random[48]);

/* How many bytes the reply that begins with `data` has in all (its 4-byte
 * length header included), or 0 when fewer than 4 bytes are there yet. */
gsize       ferry_smb_negotiate_reply_size  (const guint8        *data,
                                             gsize                length);

/* Reads a whole NEGOTIATE reply (with its 4-byte header). FALSE with
 * FERRY_ERROR_PROTOCOL and a plain-words message when it is not one: an
 * SMB1-only server, something that is not SMB, an error status. */
gboolean    ferry_smb_negotiate_parse       (const guint8        *data,
                                             gsize                length,
                                             FerrySmbNegotiation *out,
                                             GError             **error);

/* "SMB 3.1.1" */
char       *ferry_smb_dialect_to_string     (guint16              dialect);
/* "AES-128-GCM", or NULL for an unknown or absent cipher. */
const char *ferry_smb_cipher_to_string      (guint16              cipher);

G_END_DECLS
