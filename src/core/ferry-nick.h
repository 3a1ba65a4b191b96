/* ferry-nick.h: an enum's values as the stable words files and the CLI
 * use, through the GEnumClass that gnome.mkenums_simple registers
 * (ferry-enums.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The nick of `value` ("completed-with-errors"), or "" when it has none. */
const char *ferry_enum_to_nick   (GType        type,
                                  int          value);
gboolean    ferry_enum_from_nick (GType        type,
                                  const char  *nick,
                                  int         *value);

G_END_DECLS
