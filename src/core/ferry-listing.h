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

/* Parses every line of `text`; `now` (UTC) places Unix dates that have no
 * year. Lines that are not entries are counted in `n_skipped` (may be NULL).
 * Returns FerryEntry*, owning. */
GPtrArray  *ferry_listing_parse      (FerryListingFormat  format,
                                      const char         *text,
                                      gsize               length,
                                      GDateTime          *now,
                                      guint              *n_skipped);
/* One line, without its line ending; NULL when it is not an entry (or is
 * "." or ".."). */
FerryEntry *ferry_listing_parse_line (FerryListingFormat  format,
                                      const char         *line,
                                      gsize               length,
                                      GDateTime          *now);
/* "213 20240102030405" (MDTM) or a bare "20240102030405[.sss]" → seconds
 * since the epoch, UTC. */
gboolean    ferry_listing_parse_time (const char         *text,
                                      gint64             *mtime);

G_END_DECLS
