/* ferry-ftp-reply.h: FTP control-connection replies, parsed.
 *
 * Pure functions over bytes, no sockets: a stream parser that turns what the
 * server sends (in any chunks) into complete replies — code plus text lines,
 * multi-line replies included — and refuses garbage and over-long replies
 * instead of buffering without end; helpers for the PASV and EPSV answers,
 * the FEAT list, and what a reply code means for a retry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ferry-error.h"

G_BEGIN_DECLS

/* A line longer than this, or a reply whose lines add up to more, is a
 * FERRY_ERROR_PROTOCOL error: no server needs it, a hostile one could use it
 * to eat memory. */
#define FERRY_FTP_REPLY_MAX_LINE  8192
#define FERRY_FTP_REPLY_MAX_TOTAL 65536

typedef struct
{
  guint   code;     /* 100..599 */
  char  **lines;    /* NULL-terminated, at least one; without the "123-"/"123 "
                     * prefix and the line ending; inner lines of a multi-line
                     * reply as sent (minus a "123-" prefix when they have one) */
} FerryFtpReply;

void   ferry_ftp_reply_free     (FerryFtpReply       *reply);
/* The lines joined with "\n". */
char  *ferry_ftp_reply_get_text (const FerryFtpReply *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryFtpReply, ferry_ftp_reply_free)

typedef struct _FerryFtpReplyParser FerryFtpReplyParser;

FerryFtpReplyParser *ferry_ftp_reply_parser_new  (void);
void                 ferry_ftp_reply_parser_free (FerryFtpReplyParser  *parser);
/* Takes the next bytes from the server, in chunks of any size. FALSE with a
 * FERRY_ERROR_PROTOCOL error when they are not FTP replies (no code, a NUL
 * byte, too long); the parser then stays failed: the connection is unusable.
 * Replies completed before the error can still be popped. */
gboolean             ferry_ftp_reply_parser_feed (FerryFtpReplyParser  *parser,
                                                  const char           *data,
                                                  gsize                 length,
                                                  GError              **error);
/* The oldest complete reply, owned by the caller, or NULL. */
FerryFtpReply       *ferry_ftp_reply_parser_pop  (FerryFtpReplyParser  *parser);
/* TRUE when bytes of an unfinished reply are buffered. */
gboolean             ferry_ftp_reply_parser_is_partial (FerryFtpReplyParser *parser);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryFtpReplyParser, ferry_ftp_reply_parser_free)

/* One whole reply at once (as libcurl's header callback collects it);
 * NULL with an error unless `text` is exactly one complete reply. A missing
 * final line ending is tolerated. */
FerryFtpReply *ferry_ftp_reply_parse (const char  *text,
                                      gsize        length,
                                      GError     **error);

/* "227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)": the six numbers are
 * looked for anywhere in the text (servers vary the wording and the
 * brackets); each must be 0..255 and the port non-zero. `host` gets
 * "h1.h2.h3.h4" as sent — callers should connect to the control
 * connection's address instead when it is private or 0.0.0.0. */
gboolean ferry_ftp_parse_pasv (const char  *text,
                               char       **host,
                               guint16     *port);
/* "229 Entering Extended Passive Mode (|||6446|)": RFC 2428, any printable
 * delimiter; the port must be 1..65535. */
gboolean ferry_ftp_parse_epsv (const char  *text,
                               guint16     *port);

/* The FEAT reply (code 211) as a set: upper-cased feature name → its
 * parameters as sent ("" when none), for instance "MLST" → "type*;size*;",
 * "REST" → "STREAM", "UTF8" → "". NULL when the reply is not a feature list
 * (500/502: the server has no FEAT). */
GHashTable *ferry_ftp_parse_feat      (const FerryFtpReply *reply);
/* The facts an MLST feature parameter offers, lower-cased, without the "*"
 * that marks the enabled ones; `enabled` (may be NULL) gets those only. */
char      **ferry_ftp_parse_mlst_facts (const char          *parameters,
                                        char              ***enabled);

typedef enum
{
  FERRY_FTP_REPLY_INVALID,       /* not a reply code at all */
  FERRY_FTP_REPLY_PRELIMINARY,   /* 1xx: wait for the next reply */
  FERRY_FTP_REPLY_POSITIVE,      /* 2xx done, 3xx send the next command */
  FERRY_FTP_REPLY_TRANSIENT,     /* worth retrying later: 421, 425, 426, 450, 451, other 4xx */
  FERRY_FTP_REPLY_PERMANENT,     /* retrying will not help: 5xx, and 452 (no space) */
} FerryFtpReplyClass;

FerryFtpReplyClass ferry_ftp_reply_classify   (int code);
/* The FerryError a failing code is reported with: 421 TOO_MANY,
 * 425/426/450/451 TRANSIENT, 452/552 NO_SPACE, 530 LOGIN, 534
 * TLS_REQUIRED, 550 PERMISSION, 553 BAD_NAME, 500/501/502/504 PROTOCOL,
 * other 4xx TRANSIENT, other 5xx FAILED. */
FerryError         ferry_ftp_reply_error_code (int code);

G_END_DECLS
