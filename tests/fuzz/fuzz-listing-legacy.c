/* fuzz-listing-legacy.c: any bytes as a listing of each family the older
 * servers send (EPLF, VMS, OS/400, OS/2, MVS), and in AUTO mode with the
 * reasons for refused lines — never a crash, a leak, an entry without a
 * name or with a line feed in it, or a refusal message that is not clean
 * UTF-8 without control characters.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ferry-listing.h"
#include "fuzz-common.h"

static void
check_refusal (const char *message)
{
  g_assert (g_utf8_validate (message, -1, NULL));
  for (const char *p = message; *p != '\0'; p++)
    g_assert ((guchar) *p >= 0x20 && *p != 0x7f);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GDateTime) now = fuzz_now ();
  const FerryListingFormat formats[] = {
    FERRY_LISTING_EPLF, FERRY_LISTING_VMS, FERRY_LISTING_OS400, FERRY_LISTING_OS2,
    FERRY_LISTING_MVS, FERRY_LISTING_AUTO,
  };

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autoptr(GPtrArray) refusals = NULL;
      g_autoptr(GPtrArray) entries = ferry_listing_parse_full (formats[f], (const char *) data, size, now, &refusals);
      guint skipped = G_MAXUINT;
      g_autoptr(GPtrArray) again = ferry_listing_parse (formats[f], (const char *) data, size, now, &skipped);

      g_assert (refusals != NULL);
      g_assert (skipped == refusals->len);
      g_assert (again->len == entries->len);
      for (guint i = 0; i < entries->len; i++)
        {
          const FerryEntry *entry = entries->pdata[i];

          fuzz_check_entry (entry);
          /* FerryEntry's contract: an unknown size is 0 (a rounded "12K" is
           * never handed on as a size). */
          g_assert (entry->size_known || entry->size == 0);
          /* Lines split at LF, and a VMS name joins its fields with a space. A
           * CR inside a line stays for ferry_name_check() to refuse. */
          g_assert (strchr (entry->name, '\n') == NULL);
        }
      for (guint i = 0; i < refusals->len; i++)
        check_refusal (refusals->pdata[i]);
    }
  return 0;
}
