/* fuzz-webdav-multistatus.c: any bytes as a PROPFIND answer, fed in chunks
 * the input chooses — the reader's limits hold, every entry it gives is
 * one safe name, and nothing it refuses becomes an entry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ferry-name.h"
#include "ferry-webdav-multistatus.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(FerryWebdavMultistatus) reader = ferry_webdav_multistatus_new ("/site/", "127.0.0.1:8080");
  g_autoptr(GPtrArray) refusals = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gsize chunk;
  gsize offset = 1;
  gboolean ok = TRUE;

  if (size == 0)
    return 0;

  /* The first byte picks the chunk size: 1..256 bytes at a time. */
  chunk = (gsize) data[0] + 1;
  while (ok && offset < size)
    {
      gsize n = MIN (chunk, size - offset);

      ok = ferry_webdav_multistatus_feed (reader, (const char *) data + offset, n, &error);
      offset += n;
    }
  if (!ok)
    {
      g_assert (error != NULL);
      return 0;
    }
  entries = ferry_webdav_multistatus_finish (reader, &refusals, &error);
  if (entries == NULL)
    {
      g_assert (error != NULL);
      return 0;
    }
  g_assert (entries->len <= FERRY_WEBDAV_MAX_ENTRIES);
  for (guint i = 0; i < entries->len; i++)
    {
      const FerryEntry *entry = g_ptr_array_index (entries, i);

      g_assert (ferry_name_check (entry->name, strlen (entry->name), NULL));
      g_assert (strchr (entry->name, '/') == NULL);
    }
  for (guint i = 0; refusals != NULL && i < refusals->len; i++)
    g_assert (g_utf8_validate (g_ptr_array_index (refusals, i), -1, NULL));
  return 0;
}
