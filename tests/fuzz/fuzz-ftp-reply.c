/* fuzz-ftp-reply.c: any bytes as a control-connection stream, fed in
 * chunks the input chooses — replies stay within their bounds, and every
 * reply goes through the FEAT reader too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ferry-ftp-reply.h"
#include "ferry-ftp-reply-private.h"
#include "fuzz-common.h"

static void
check_reply (const FerryFtpReply *reply)
{
  g_autofree char *text = NULL;
  g_autoptr(GHashTable) features = NULL;
  gsize total = 0;

  g_assert (reply->code >= 100 && reply->code <= 599);
  g_assert (reply->lines != NULL && reply->lines[0] != NULL);
  for (guint i = 0; reply->lines[i] != NULL; i++)
    {
      gsize len = strlen (reply->lines[i]);

      g_assert (len <= FERRY_FTP_REPLY_MAX_LINE);
      g_assert (memchr (reply->lines[i], '\n', len) == NULL);
      total += len + 1;
    }
  g_assert (total <= FERRY_FTP_REPLY_MAX_TOTAL);

  text = ferry_ftp_reply_get_text (reply);
  g_assert (text != NULL);

  features = ferry_ftp_parse_feat (reply);
  if (features != NULL)
    g_assert (reply->code == 211);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(FerryFtpReplyParser) parser = ferry_ftp_reply_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize chunk;
  gsize offset = 1;

  if (size == 0)
    return 0;

  /* The first byte picks the chunk size: 1..256 bytes at a time. */
  chunk = (gsize) data[0] + 1;
  while (offset < size)
    {
      FerryFtpReply *reply;
      gsize n = MIN (chunk, size - offset);
      gboolean ok = ferry_ftp_reply_parser_feed (parser, (const char *) data + offset, n, &error);

      while ((reply = ferry_ftp_reply_parser_pop (parser)) != NULL)
        {
          check_reply (reply);
          ferry_ftp_reply_free (reply);
        }
      if (!ok)
        {
          g_assert (error != NULL && error->domain == FERRY_ERROR);
          break;
        }
      offset += n;
    }

  /* The same bytes as one whole reply. */
  {
    g_autoptr(GError) whole_error = NULL;
    g_autoptr(FerryFtpReply) whole = _ferry_ftp_reply_parse ((const char *) data + 1, size - 1, &whole_error);

    g_assert ((whole == NULL) != (whole_error == NULL));
    if (whole != NULL)
      check_reply (whole);
  }

  return 0;
}
