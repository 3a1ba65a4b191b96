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
 * component: not empty, not "." or "..", no '/', '\\', NUL, control byte or
 * DEL, at most 255 bytes, valid UTF-8. Otherwise `reason` says why. */
gboolean  ferry_name_check            (const char  *name,
                                       gsize        length,
                                       char       **reason);
/* The name as it may appear in a log: control bytes as \xNN, cut to about
 * 80 characters with an ellipsis. */
char     *ferry_name_escape_for_log   (const char  *name,
                                       gsize        length);
/* root + "/" + relative, where relative is '/'-separated components that
 * each pass ferry_name_check(); anything else is FERRY_ERROR_BAD_NAME. */
char     *ferry_path_join_checked     (const char  *root,
                                       const char  *relative,
                                       GError     **error);
/* The sibling a file is written under until complete: ".NAME.ferry-part",
 * shortened with a hash when NAME is long, so it stays a valid name. */
char     *ferry_path_temp_name        (const char  *final_path);
/* Whether a name is one of Ferry's temporary names. */
gboolean  ferry_name_is_temp          (const char  *name);

G_END_DECLS
