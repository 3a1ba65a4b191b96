/* ferry-ftp-reply-private.h: what the tests and fuzzers of
 * ferry-ftp-reply.c call besides its public API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-ftp-reply.h"

G_BEGIN_DECLS

/* One whole reply at once; NULL with an error unless `text` is exactly one
 * complete reply. A missing final line ending is tolerated. */
FerryFtpReply *_ferry_ftp_reply_parse (const char  *text,
                                       gsize        length,
                                       GError     **error);

G_END_DECLS
