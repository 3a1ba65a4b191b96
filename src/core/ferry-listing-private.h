/* ferry-listing-private.h: single lines of a listing, parsed — what the
 * tests and fuzzers of ferry-listing.c call besides its public API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-listing.h"

G_BEGIN_DECLS

/* One line, without its line ending; NULL when it is not an entry (or is
 * "." or ".."). */
FerryEntry *_ferry_listing_parse_line      (FerryListingFormat  format,
                                            const char         *line,
                                            gsize               length,
                                            GDateTime          *now);
/* The fact line of an MLST reply (" type=file;size=5; /pub/a.txt", the
 * leading space optional). The entry's name is the path as the server gave
 * it, and type=cdir counts as a directory here. NULL when it is no facts
 * line. */
FerryEntry *_ferry_listing_parse_mlst_line (const char         *line,
                                            gsize               length);

G_END_DECLS
