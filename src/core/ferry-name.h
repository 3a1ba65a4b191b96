/* ferry-name.h: names from servers are not trusted.
 *
 * Pure functions: whether a name a listing gave may become a file here, how
 * to show a hostile one in a log line, how to join it under a destination
 * folder without ever leaving it, and the temporary name a file is written
 * under until it is complete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FERRY_NAME_MAX_BYTES 255

/* TRUE when `name` (`length` bytes, which may hold a NUL) is one safe path
 * component: not empty, not "." or "..", no '/', '\\', NUL, C0 control
 * byte (ESC included, so no terminal escape sequence), DEL or C1 control
 * (U+0080..U+009F), at most 255 bytes, valid UTF-8.
 *
 * Invalid UTF-8 is refused on purpose: the destination is a folder on a
 * GNOME desktop, where file names are taken to be UTF-8; a Latin-1 name
 * from an old server would show as garbage in Files and could not be typed.
 * Such a file is reported and skipped, never renamed behind the user's back.
 *
 * Otherwise `reason` (may be NULL) gets a line fit for a log: the name as
 * ferry_name_escape_for_log() shows it, then why, e.g.
 * "“\x1B[31mred”: the name contains a control character". */
gboolean  ferry_name_check            (const char  *name,
                                       gsize        length,
                                       char       **reason);
/* The name as it may appear in a log: control bytes, '\\' and invalid UTF-8
 * bytes as \xNN, C1 and bidirectional controls as \uNNNN, cut after 80
 * characters with "…". Always valid UTF-8 without control characters. */
char     *ferry_name_escape_for_log   (const char  *name,
                                       gsize        length);
/* root + "/" + relative, where relative is '/'-separated components that
 * each pass ferry_name_check() (empty ones, as in "a//b", are dropped).
 * An absolute `relative` or any bad component is FERRY_ERROR_BAD_NAME, so
 * the result is always lexically inside `root` (which must not be empty). */
char     *ferry_path_join_checked     (const char  *root,
                                       const char  *relative,
                                       GError     **error);
/* The sibling a file is written under until complete: ".NAME.ferry-part";
 * when that would pass 255 bytes, ".START~HASH.ferry-part" with the start
 * of NAME (cut on a character boundary) and 16 hex digits of its SHA-256,
 * so it stays a valid name and the same for the same NAME. */
char     *ferry_path_temp_name        (const char  *final_path);
/* Whether a name is one of Ferry's temporary names. */
gboolean  ferry_name_is_temp          (const char  *name);

G_END_DECLS
