/* fuzz-ftp-reply.c: any bytes as a control-connection stream, fed in
 * chunks the input chooses — replies stay within their bounds, and every
 * reply goes through the PASV, EPSV and FEAT helpers too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ferry-ftp-reply.h"
#include "fuzz-common.h"

static void
check_reply (const FerryFtpReply *reply)
{
  g_autofree char *text = NULL;
  g_autofree char *host = NULL;
  g_autoptr(GHashTable) features = NULL;
  gsize total = 0;
  guint16 port = 0;

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
  g_assert (ferry_ftp_reply_classify ((int) reply->code) != FERRY_FTP_REPLY_INVALID);
  ferry_ftp_reply_error_code ((int) reply->code);

  text = ferry_ftp_reply_get_text (reply);
  if (ferry_ftp_parse_pasv (text, &host, &port))
    g_assert (host != NULL && port != 0);
  if (ferry_ftp_parse_epsv (text, &port))
    g_assert (port != 0);

  features = ferry_ftp_parse_feat (reply);
  if (features != NULL)
    {
      const char *mlst = g_hash_table_lookup (features, "MLST");

      if (mlst != NULL)
        {
          g_auto(GStrv) enabled = NULL;
          g_auto(GStrv) facts = ferry_ftp_parse_mlst_facts (mlst, &enabled);

          g_assert (g_strv_length (enabled) <= g_strv_length (facts));
        }
    }
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
    g_autoptr(FerryFtpReply) whole = ferry_ftp_reply_parse ((const char *) data + 1, size - 1, &whole_error);

    g_assert ((whole == NULL) != (whole_error == NULL));
    if (whole != NULL)
      check_reply (whole);
  }

  /* And as the text of a PASV or EPSV reply, NUL-terminated. */
  {
    g_autofree char *text = g_strndup ((const char *) data + 1, size - 1);
    g_autofree char *host = NULL;
    guint16 port;

    ferry_ftp_parse_pasv (text, &host, &port);
    ferry_ftp_parse_epsv (text, &port);
  }
  return 0;
}
