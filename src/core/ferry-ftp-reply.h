/* ferry-ftp-reply.h: FTP control-connection replies, parsed.
 *
 * Pure functions over bytes, no sockets: a stream parser that turns what the
 * server sends (in any chunks) into complete replies — code plus text lines,
 * multi-line replies included — and refuses garbage and over-long replies
 * instead of buffering without end; and the FEAT list read as a set.
 *
 * The one reader of FTP replies: the connection check's greeting, libcurl's
 * protocol lines and the pipelined MDTM burst all go through the parser.
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

/* The FEAT reply (code 211) as a set: upper-cased feature name → its
 * parameters as sent ("" when none), for instance "MLST" → "type*;size*;",
 * "REST" → "STREAM", "UTF8" → "". NULL when the reply is not a feature list
 * (500/502: the server has no FEAT). */
GHashTable *ferry_ftp_parse_feat (const FerryFtpReply *reply);

/* The folder in a PWD reply's text ('"/home/web" is the current
 * directory', a quote inside doubled, RFC 959); NULL when there is none
 * or it is not absolute. */
char       *ferry_ftp_parse_pwd  (const char          *text);

G_END_DECLS
