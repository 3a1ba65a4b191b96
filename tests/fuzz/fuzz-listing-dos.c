/* fuzz-listing-dos.c: any bytes as a DOS listing — never a crash, a
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
  const FerryListingFormat formats[] = { FERRY_LISTING_DOS, FERRY_LISTING_AUTO };

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      guint skipped = 0;
      g_autoptr(GPtrArray) entries = ferry_listing_parse (formats[f], (const char *) data, size, now, &skipped);

      for (guint i = 0; i < entries->len; i++)
        fuzz_check_entry (entries->pdata[i]);
    }
  return 0;
}
