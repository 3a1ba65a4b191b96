/* fuzz-sftp-packet.c: any bytes an SFTP server sends on its channel, read
 * as the SFTP backend reads them (a length, then a packet, again and
 * again): each packet read or refused with a message, never a read past
 * the bytes given, never a crash.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ferry-error.h"
#include "ferry-sftp-packet.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* A copy of exactly `size` bytes: AddressSanitizer sees any overread. */
  g_autofree guint8 *copy = g_memdup2 (data, size);
  gsize at = 0;

  /* Nothing yet: no length to read (g_memdup2 of nothing is NULL). */
  if (size == 0)
    {
      gssize length;

      g_assert (ferry_sftp_packet_length ((const guint8 *) "", 0, &length, NULL) && length == -1);
      return 0;
    }

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FerrySftpReply) reply = NULL;
      gssize length;

      if (!ferry_sftp_packet_length (copy + at, size - at, &length, &error))
        {
          g_assert (error != NULL && error->domain == FERRY_ERROR && error->message != NULL);
          break;
        }
      if (length < 0 || size - at - 4 < (gsize) length)
        break;
      g_assert (length > 0 && length <= FERRY_SFTP_MAX_PACKET);
      reply = ferry_sftp_reply_parse (copy + at + 4, length, &error);
      if (reply == NULL)
        g_assert (error != NULL && error->domain == FERRY_ERROR && error->message != NULL);
      else
        {
          g_assert (error == NULL);
          g_assert (reply->handle_length <= FERRY_SFTP_MAX_HANDLE);
          if (reply->message != NULL)
            for (const char *p = reply->message; *p != '\0'; p++)
              g_assert ((guchar) *p >= 0x20 && *p != 0x7f);
          for (guint i = 0; reply->names != NULL && i < reply->names->len; i++)
            {
              FerrySftpName *name = g_ptr_array_index (reply->names, i);

              g_assert (name->filename != NULL && name->longname != NULL);
            }
          if (reply->data_length > 0)
            g_assert (reply->data != NULL && reply->data_length <= (gsize) length);
        }
      at += 4 + length;
    }
  return 0;
}
