/* ferry-backend-ftp-hash.c: file hashes an FTP server computes itself, so
 * a verification by content need not download the file. FEAT tells which:
 * HASH (draft-bryan-ftpext-hash: "HASH SHA-256;SHA-1;MD5", the algorithm
 * chosen with OPTS HASH, answered "213 SHA-256 0-N HEX NAME") and the older
 * XSHA256, XSHA1 and XMD5 (answered "250 HEX" or "213 HEX"). XCRC is left
 * out: CRC-32 is no match for a checksum computed here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ferry-backend-ftp-private.h"
#include "ferry-error.h"
#include "ferry-ftp-reply.h"

static const struct
{
  GChecksumType  type;
  const char    *hash_name;   /* in FEAT's HASH line and OPTS HASH */
  const char    *command;     /* the older one-word command */
  gsize          hex_length;
} algorithms[] = {
  { G_CHECKSUM_SHA256, "SHA-256", "XSHA256", 64 },
  { G_CHECKSUM_SHA1, "SHA-1", "XSHA1", 40 },
  { G_CHECKSUM_MD5, "MD5", "XMD5", 32 },
};

void
_ferry_backend_ftp_note_hashes (FerryFtpBackend *self,
                                 GHashTable       *features)
{
  const char *hash_line = g_hash_table_lookup (features, "HASH");

  self->hash_commands = 0;
  self->hash_draft = 0;
  for (guint i = 0; i < G_N_ELEMENTS (algorithms); i++)
    {
      guint bit = 1u << algorithms[i].type;

      if (g_hash_table_contains (features, algorithms[i].command))
        self->hash_commands |= bit;
      if (hash_line != NULL)
        {
          g_auto(GStrv) names = g_strsplit (hash_line, ";", -1);

          for (guint j = 0; names[j] != NULL; j++)
            {
              g_strstrip (names[j]);
              if (g_str_has_suffix (names[j], "*"))
                names[j][strlen (names[j]) - 1] = '\0';
              if (g_ascii_strcasecmp (names[j], algorithms[i].hash_name) == 0)
                self->hash_draft |= bit;
            }
        }
    }
  self->parent.hashes = self->hash_commands | self->hash_draft;
}

/* The first word of the reply that is hex of the right length. */
static char *
find_hex (const FerryFtpReply *reply,
          gsize                length)
{
  g_auto(GStrv) words = g_strsplit_set (reply->lines[0], " \t", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      gsize n = strlen (words[i]);
      gboolean hex = n == length;

      for (gsize k = 0; hex && k < n; k++)
        hex = g_ascii_isxdigit (words[i][k]);
      if (hex)
        return g_ascii_strdown (words[i], -1);
    }
  return NULL;
}

gboolean
_ferry_backend_ftp_hash (FerryBackend   *backend,
                          const char     *path,
                          GChecksumType   algorithm,
                          char          **hex,
                          GCancellable   *cancellable,
                          GError        **error)
{
  FerryFtpBackend *self = (FerryFtpBackend *) backend;
  guint bit = 1u << algorithm;
  guint i;

  if (!ferry_curl_check_path (path, error) ||
      !_ferry_backend_ftp_session (self, cancellable, error))
    return FALSE;
  for (i = 0; i < G_N_ELEMENTS (algorithms) && algorithms[i].type != algorithm; i++)
    ;
  if (i == G_N_ELEMENTS (algorithms) || !(self->parent.hashes & bit))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "the server offers no such hash");
      return FALSE;
    }

  if (self->hash_commands & bit)
    {
      if (!_ferry_backend_ftp_ask_about (self, algorithms[i].command, path, cancellable, error))
        return FALSE;
    }
  else
    {
      if (self->hash_selected != algorithm + 1)
        {
          g_autofree char *opts = g_strdup_printf ("OPTS HASH %s", algorithms[i].hash_name);

          if (!_ferry_backend_ftp_run_quote (self, opts, cancellable, error))
            return FALSE;
          self->hash_selected = algorithm + 1;
        }
      if (!_ferry_backend_ftp_ask_about (self, "HASH", path, cancellable, error))
        return FALSE;
    }
  *hex = self->session.state.reply != NULL ? find_hex (self->session.state.reply, algorithms[i].hex_length) : NULL;
  if (*hex == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL, "the server’s %s reply holds no hash",
                   (self->hash_commands & bit) ? algorithms[i].command : "HASH");
      return FALSE;
    }
  return TRUE;
}
