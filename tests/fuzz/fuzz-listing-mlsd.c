/* fuzz-listing-mlsd.c: any bytes as a MLSD listing — never a crash, a
 * leak or an entry without a name; the same bytes in AUTO mode too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ferry-listing.h"
#include "ferry-listing-private.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GDateTime) now = fuzz_now ();
  const FerryListingFormat formats[] = { FERRY_LISTING_MLSD, FERRY_LISTING_AUTO };

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      guint skipped = 0;
      g_autoptr(GPtrArray) entries = ferry_listing_parse (formats[f], (const char *) data, size, now, &skipped);

      for (guint i = 0; i < entries->len; i++)
        fuzz_check_entry (entries->pdata[i]);
    }

  {
    g_autoptr(FerryEntry) entry = _ferry_listing_parse_mlst_line ((const char *) data, size);
    g_autofree char *text = g_strndup ((const char *) data, size);
    gint64 mtime;

    if (entry != NULL)
      fuzz_check_entry (entry);
    ferry_listing_parse_mdtm (text, &mtime);
  }
  return 0;
}
