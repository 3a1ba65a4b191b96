/* fuzz-smb-negotiate.c: any bytes an SMB server (or anything on its port)
 * answers to NEGOTIATE — read or refused with a message, never a read
 * past the bytes given, never a crash.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ferry-error.h"
#include "ferry-smb-negotiate.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* A copy of exactly `size` bytes: AddressSanitizer sees any overread. */
  g_autofree guint8 *copy = g_memdup2 (data, size);
  g_autoptr(GError) error = NULL;
  FerrySmbNegotiation negotiation;

  if (ferry_smb_negotiate_parse (copy, size, &negotiation, &error))
    {
      g_autofree char *dialect = ferry_smb_dialect_to_string (negotiation.dialect);

      g_assert (error == NULL && dialect != NULL);
      g_assert (size >= ferry_smb_negotiate_reply_size (copy, size));
      ferry_smb_cipher_to_string (negotiation.cipher);
    }
  else
    g_assert (error != NULL && error->domain == FERRY_ERROR && error->message != NULL);
  return 0;
}
