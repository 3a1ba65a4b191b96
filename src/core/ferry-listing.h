/* ferry-listing.h: directory listings from FTP and SFTP servers, parsed.
 *
 * Pure functions from text to FerryEntry: MLSD facts (RFC 3659), Unix-style
 * LIST (also what libcurl gives for SFTP; with ISO, numeric, day-first and
 * localized dates, sizes with thousands separators or units, NetWare's
 * variant and old VShell's), DOS/IIS-style LIST, and the LIST of older
 * systems: EPLF, VMS, OS/400, OS/2, MVS (z/OS) datasets, PDS members and
 * JES jobs; in AUTO only, also HP NonStop, Nortel, OS-9, z/VM and the
 * all-numeric ls (ferry-listing-other.c).
 * Names are kept as the server sent them — judging them is ferry-name's
 * job — except that the "." and ".." folders every listing has are left
 * out, a VMS name loses its ";version" and an OS/400 or VShell folder its
 * trailing "/". A line is an entry only when its format leaves no doubt
 * about the name: anything else is refused, never guessed at.
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
  FERRY_LISTING_EPLF,
  FERRY_LISTING_VMS,
  FERRY_LISTING_OS400,
  FERRY_LISTING_OS2,
  FERRY_LISTING_MVS,
} FerryListingFormat;

/* Parses every line of `text` (LF or CRLF endings). `now` places Unix
 * "Mon DD HH:MM" dates, which have no year: they get the most recent year
 * that puts them no more than about six months after `now` (NULL: the
 * current time). A date whose day and month could be either way round
 * ("03-04-2024" from a Unix-style server) leaves the entry without a time.
 * "total N" lines, VMS "Directory …" and "Total of …" lines, the MVS
 * column headings, and the "." and ".." folders are dropped silently;
 * every other line that is not an entry — including any line
 * holding a NUL byte, since a FerryEntry name cannot carry one faithfully —
 * is counted in `n_skipped` (may be NULL). Never fails: returns
 * FerryEntry*, owning, possibly none. */
GPtrArray  *ferry_listing_parse           (FerryListingFormat  format,
                                           const char         *text,
                                           gsize               length,
                                           GDateTime          *now,
                                           guint              *n_skipped);
/* The same, and `refusals` (may be NULL) gets a new array of one
 * translated message per line that is not an entry, saying why and
 * showing the line escaped and shortened (ferry_name_escape_for_log()):
 * "the format of the listing line “…” was not understood", "… holds a NUL
 * byte", "… gives no name". Its length is what `n_skipped` counts. VMS file
 * versions are merged here: NAME;2 and NAME;1 give one entry NAME, from the
 * highest version. Sizes a server gives in rounded units ("12K", "3.4M")
 * or in VMS blocks are not sizes in bytes: those entries come with
 * size_known FALSE (and size 0, as FerryEntry has it for unknown sizes). */
GPtrArray  *ferry_listing_parse_full      (FerryListingFormat   format,
                                           const char          *text,
                                           gsize                length,
                                           GDateTime           *now,
                                           GPtrArray          **refusals);
/* "213 20240102030405" (the MDTM reply) or a bare "20240102030405[.sss]"
 * (an MLSD modify= value) → seconds since the epoch, UTC. Also reads the
 * "19" + (year - 1900) form of old servers' Y2K bug ("213 19100...").
 * FALSE for anything else, including impossible dates. */
gboolean    ferry_listing_parse_mdtm      (const char         *reply_text,
                                           gint64             *mtime);

G_END_DECLS
