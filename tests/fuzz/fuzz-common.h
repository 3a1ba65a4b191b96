/* fuzz-common.h: what every Ferry fuzz target shares.
 *
 * Criticals and warnings abort, so a g_return_if_fail that a hostile input
 * can reach counts as a crash; the fixed "now" keeps runs reproducible.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include "ferry-entry.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      g_log_writer_standard_streams (level, fields, n_fields, user_data);
      abort ();
    }
  return G_LOG_WRITER_HANDLED;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
  return 0;
}

/* 15 Jan 2026 10:00 UTC. */
static inline GDateTime *
fuzz_now (void)
{
  return g_date_time_new_from_unix_utc (G_GINT64_CONSTANT (1768471200));
}

/* Every entry a parser hands out is usable: a non-empty name, a known
 * type and precision. */
static inline void
fuzz_check_entry (const FerryEntry *entry)
{
  g_assert (entry != NULL);
  g_assert (entry->name != NULL && entry->name[0] != '\0');
  g_assert (entry->type <= FERRY_ENTRY_OTHER);
  g_assert (entry->precision <= FERRY_TIME_SECONDS);
  g_assert (entry->type == FERRY_ENTRY_SYMLINK || entry->link_target == NULL);
  g_assert (!entry->size_known || entry->type == FERRY_ENTRY_FILE);
}
