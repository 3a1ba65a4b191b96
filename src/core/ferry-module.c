/* ferry-module.c: a library opened when first needed, not linked.
 *
 * libxml2 (WebDAV listings) and libsmbclient (SMB shares) bring dozens of
 * libraries with them; a run that uses neither loads none of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ferry-module.h"

/* Opens @soname with its own symbols kept to itself and fills every slot
 * in @symbols; NULL with @why set when the library or one function is not
 * there (nothing of it is then used). The caller decides whether the
 * module stays for the life of the process. */
GModule *
ferry_module_open (const char        *soname,
                   const FerrySymbol *symbols,
                   gsize              n_symbols,
                   char             **why)
{
  GModule *module = g_module_open (soname, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);

  if (module == NULL)
    {
      *why = g_strdup (g_module_error ());
      return NULL;
    }
  for (gsize i = 0; i < n_symbols; i++)
    if (!g_module_symbol (module, symbols[i].name, symbols[i].slot))
      {
        *why = g_strdup (g_module_error ());
        g_module_close (module);
        return NULL;
      }
  return module;
}
