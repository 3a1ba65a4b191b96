/* ferry-entry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ferry-entry.h"

FerryEntry *
ferry_entry_new (const char     *name,
                 FerryEntryType  type)
{
  FerryEntry *entry = g_new0 (FerryEntry, 1);

  entry->name = g_strdup (name);
  entry->type = type;
  entry->precision = FERRY_TIME_UNKNOWN;
  return entry;
}

FerryEntry *
ferry_entry_copy (const FerryEntry *entry)
{
  FerryEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_memdup2 (entry, sizeof *entry);
  copy->name = g_strdup (entry->name);
  copy->link_target = g_strdup (entry->link_target);
  return copy;
}

void
ferry_entry_free (FerryEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->name);
  g_free (entry->link_target);
  g_free (entry);
}
