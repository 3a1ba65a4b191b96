/* fuzz-address.c: any bytes typed into the Server field — parsed or
 * refused with a message, never a crash; what parses formats back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ferry-address.h"
#include "ferry-error.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryAddress) address = ferry_address_parse (text, &error);
  guint16 port;

  g_assert ((address == NULL) != (error == NULL));
  if (address != NULL)
    {
      g_autofree char *host = ferry_address_format_host (address->host);

      g_assert (address->host != NULL && host != NULL);
    }
  else
    g_assert (error->domain == FERRY_ERROR && error->message != NULL);

  g_clear_error (&error);
  if (!ferry_address_parse_port (text, &port, &error))
    g_assert (error != NULL);
  return 0;
}
