/* fuzz-listing-unix.c: any bytes as a UNIX listing — never a crash, a
 * leak or an entry without a name; the same bytes in AUTO mode too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ferry-listing.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GDateTime) now = fuzz_now ();
  const FerryListingFormat formats[] = { FERRY_LISTING_UNIX, FERRY_LISTING_AUTO };

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      guint skipped = 0;
      g_autoptr(GPtrArray) entries = ferry_listing_parse (formats[f], (const char *) data, size, now, &skipped);

      for (guint i = 0; i < entries->len; i++)
        fuzz_check_entry (entries->pdata[i]);
    }

  /* Year inference against a "now" taken from the input: any moment
   * between 1970 and 2106. */
  if (size >= 4)
    {
      guint32 seconds = (guint32) data[0] << 24 | (guint32) data[1] << 16 | (guint32) data[2] << 8 | data[3];
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc ((gint64) seconds);
      g_autoptr(GPtrArray) entries = ferry_listing_parse (FERRY_LISTING_UNIX, (const char *) data + 4, size - 4, when, NULL);

      for (guint i = 0; i < entries->len; i++)
        fuzz_check_entry (entries->pdata[i]);
    }
  return 0;
}
