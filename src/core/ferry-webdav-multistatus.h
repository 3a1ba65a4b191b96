/* ferry-webdav-multistatus.h: a WebDAV server's answer to PROPFIND
 * (Depth: 1), read as it arrives, into entries.
 *
 * Pure and bounded, like ferry-ftp-reply.h: no I/O, fed any chunks, and
 * the limits below hold whatever a server sends.
 *   - FERRY_WEBDAV_MAX_TEXT bytes of text in one element (an href, a
 *     property): more is a protocol error, never buffered;
 *   - FERRY_WEBDAV_MAX_DEPTH levels of nested elements;
 *   - FERRY_WEBDAV_MAX_ENTRIES responses in one answer;
 *   - no DTD, no entity, nothing fetched from the network (libxml2's
 *     XML_PARSE_NONET; a DOCTYPE is refused).
 * The XML is read with namespaces (libxml2's SAX2 push parser): DAV:
 * elements are recognised by namespace, whatever their prefix.
 *
 * Names come from hrefs, which the server chose: each is URL-decoded and
 * checked as FTP names are (ferry_name_check()). An href on another host,
 * outside the folder asked for, more than one level below it, with "." or
 * ".." or an encoded "/" is refused with a reason and counted; it never
 * becomes an entry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ferry-entry.h"

G_BEGIN_DECLS

#define FERRY_WEBDAV_MAX_TEXT    (8 * 1024)
#define FERRY_WEBDAV_MAX_DEPTH   32
#define FERRY_WEBDAV_MAX_ENTRIES 1000000

typedef struct _FerryWebdavMultistatus FerryWebdavMultistatus;

/* `folder` is the decoded path that was asked for ("/dav/My Site/"), from
 * the server's root; `authority` the "host:port" an absolute href must
 * name (compared without regard to case), or NULL to refuse every
 * absolute href. */
FerryWebdavMultistatus *ferry_webdav_multistatus_new    (const char              *folder,
                                                         const char              *authority);
void                    ferry_webdav_multistatus_free   (FerryWebdavMultistatus  *self);
/* FALSE with FERRY_ERROR_PROTOCOL when the bytes are no multistatus or pass
 * a limit; nothing more may be fed then. */
gboolean                ferry_webdav_multistatus_feed   (FerryWebdavMultistatus  *self,
                                                         const char              *data,
                                                         gsize                    length,
                                                         GError                 **error);
/* The end of the answer: the entries (FerryEntry*, the folder itself left
 * out), or NULL with FERRY_ERROR_PROTOCOL. `refusals` (may be NULL) gets
 * one translated line per refused href, or NULL when none was. */
GPtrArray              *ferry_webdav_multistatus_finish (FerryWebdavMultistatus  *self,
                                                         GPtrArray              **refusals,
                                                         GError                 **error);
/* Whether the answer named the folder asked for itself, and what it said
 * of it (Depth: 0 asks for only that): type, size, time. NULL when not. */
FerryEntry             *ferry_webdav_multistatus_get_self (FerryWebdavMultistatus *self);
/* The folder's, or an entry's, checksums as the server stores them
 * (ownCloud/Nextcloud oc:checksums, "SHA1:hex MD5:hex"), by entry name
 * ("" for the folder itself); NULL when none. */
const char             *ferry_webdav_multistatus_get_checksums (FerryWebdavMultistatus *self,
                                                                const char             *name);

/* Parses an HTTP date (RFC 1123, as getlastmodified holds it) to Unix
 * seconds. */
gboolean                ferry_webdav_parse_http_date    (const char              *text,
                                                         gint64                  *seconds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryWebdavMultistatus, ferry_webdav_multistatus_free)

G_END_DECLS
