/* ferry-filter.h: what a transfer leaves out (DESIGN.md, "Filters").
 *
 * Patterns are matched against the path relative to the transfer's source
 * folder, '/'-separated. `*` and `?` stay within a name and `[...]` is a
 * set, as fnmatch(3) has them; `**` as a whole segment spans any number of
 * folders. A pattern without '/' matches a name at any depth; a pattern
 * ending in '/' matches folders only; a leading '/' anchors at the
 * transfer's folder (the same as a pattern with '/' in it). Excludes win
 * over includes; with any include, only files that match one (themselves
 * or through a folder they are in) are copied, and folders are still
 * walked. Hidden names (starting with '.') and files larger than a size
 * can be left out too.
 *
 * Pure: no I/O, unit-tested and fuzzed on its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _FerryFilter FerryFilter;

/* NULL or empty lists for none; `max_size` 0 for no limit. FALSE with
 * FERRY_ERROR_INVALID_INPUT naming the pattern when one can never match
 * (empty, or only "/"). */
FerryFilter *ferry_filter_new          (const char * const  *includes,
                                        const char * const  *excludes,
                                        gboolean             skip_hidden,
                                        guint64              max_size,
                                        GError             **error);
void         ferry_filter_free         (FerryFilter         *filter);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryFilter, ferry_filter_free)

/* Whether the filter leaves anything out at all. */
gboolean     ferry_filter_is_empty     (const FerryFilter   *filter);

/* Whether a folder is walked: FALSE when an exclude or the hidden rule
 * leaves it out (and with it, everything in it). Includes never stop a
 * walk. `*reason` is a static, untranslated word ("exclude", "hidden"). */
gboolean     ferry_filter_keeps_folder (const FerryFilter   *filter,
                                        const char          *relative,
                                        const char         **reason);
/* Whether a file is copied; `size` is G_MAXUINT64 when unknown (never too
 * large). `*reason`: "exclude", "hidden", "too-large" or "not-included". */
gboolean     ferry_filter_keeps_file   (const FerryFilter   *filter,
                                        const char          *relative,
                                        guint64              size,
                                        const char         **reason);

/* Why the filter left a file or folder out, for people: "Left out by the
 * pattern “*.log”", naming the exclude pattern that matched; `reason` is
 * the word ferry_filter_keeps_file() or _keeps_folder() gave. */
char        *ferry_filter_explain      (const FerryFilter   *filter,
                                        const char          *relative,
                                        gboolean             is_folder,
                                        const char          *reason);

/* One pattern against one relative path, as above; `is_folder` for the
 * trailing-'/' rule. */
gboolean     ferry_filter_pattern_matches (const char       *pattern,
                                           const char       *relative,
                                           gboolean          is_folder);

/* "512K", "2M", "1.5G", "100" (bytes), binary multiples; FALSE when it is
 * not a size. For --bwlimit and --max-size. */
gboolean     ferry_parse_size          (const char          *text,
                                        guint64             *bytes);

G_END_DECLS
