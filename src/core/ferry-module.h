/* ferry-module.h: a library opened when first needed, not linked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gmodule.h>

G_BEGIN_DECLS

/* One function to look up: its name and where its address goes. */
typedef struct
{
  const char *name;
  gpointer   *slot;
} FerrySymbol;

GModule *ferry_module_open (const char        *soname,
                            const FerrySymbol *symbols,
                            gsize              n_symbols,
                            char             **why);

G_END_DECLS
