/* ferry-listing.h: directory listings from FTP and SFTP servers, parsed.
 *
 * Pure functions from text to FerryEntry: MLSD facts (RFC 3659), Unix-style
 * LIST (also what libcurl gives for SFTP) and DOS/IIS-style LIST. Names are
 * kept as the server sent them — judging them is ferry-name's job — except
 * that the "." and ".." folders every listing has are left out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ferry-entry.h"

G_BEGIN_DECLS

typedef enum
{
  FERRY_LISTING_AUTO,   /* decide line by line */
  FERRY_LISTING_MLSD,
  FERRY_LISTING_UNIX,
  FERRY_LISTING_DOS,
} FerryListingFormat;

/* Parses every line of `text` (LF or CRLF endings). `now` places Unix
 * "Mon DD HH:MM" dates, which have no year: they get the most recent year
 * that puts them no more than about six months after `now` (NULL: the
 * current time). "total N" lines and the "." and ".." folders are dropped
 * silently; every other line that is not an entry — including any line
 * holding a NUL byte, since a FerryEntry name cannot carry one faithfully —
 * is counted in `n_skipped` (may be NULL). Never fails: returns
 * FerryEntry*, owning, possibly none. */
GPtrArray  *ferry_listing_parse           (FerryListingFormat  format,
                                           const char         *text,
                                           gsize               length,
                                           GDateTime          *now,
                                           guint              *n_skipped);
/* "213 20240102030405" (the MDTM reply) or a bare "20240102030405[.sss]"
 * (an MLSD modify= value) → seconds since the epoch, UTC. Also reads the
 * "19" + (year - 1900) form of old servers' Y2K bug ("213 19100...").
 * FALSE for anything else, including impossible dates. */
gboolean    ferry_listing_parse_mdtm      (const char         *reply_text,
                                           gint64             *mtime);

G_END_DECLS
