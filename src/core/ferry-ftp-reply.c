/* ferry-ftp-reply.c: see ferry-ftp-reply.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-ftp-reply.h"
#include "ferry-ftp-reply-private.h"

struct _FerryFtpReplyParser
{
  GString   *line;         /* the line being received, without its ending */
  GPtrArray *lines;        /* text lines of the reply in progress, or NULL */
  guint      code;         /* of the multi-line reply in progress */
  gsize      total;        /* bytes in `lines` */
  GQueue     replies;      /* complete FerryFtpReply*, oldest first */
  char      *failure;      /* set once the stream is unusable */
};

void
ferry_ftp_reply_free (FerryFtpReply *reply)
{
  if (reply == NULL)
    return;
  g_strfreev (reply->lines);
  g_free (reply);
}

char *
ferry_ftp_reply_get_text (const FerryFtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);

  return g_strjoinv ("\n", reply->lines);
}

FerryFtpReplyParser *
ferry_ftp_reply_parser_new (void)
{
  FerryFtpReplyParser *parser = g_new0 (FerryFtpReplyParser, 1);

  parser->line = g_string_new (NULL);
  g_queue_init (&parser->replies);
  return parser;
}

void
ferry_ftp_reply_parser_free (FerryFtpReplyParser *parser)
{
  if (parser == NULL)
    return;
  g_string_free (parser->line, TRUE);
  g_clear_pointer (&parser->lines, g_ptr_array_unref);
  g_queue_clear_full (&parser->replies, (GDestroyNotify) ferry_ftp_reply_free);
  g_free (parser->failure);
  g_free (parser);
}

gboolean
ferry_ftp_reply_parser_is_partial (FerryFtpReplyParser *parser)
{
  g_return_val_if_fail (parser != NULL, FALSE);

  return parser->line->len > 0 || parser->lines != NULL;
}

/* "123" at the start of a line, first digit 1..5: the code, or 0. */
static guint
line_code (const char *line,
           gsize       length)
{
  if (length < 3
      || line[0] < '1' || line[0] > '5'
      || !g_ascii_isdigit (line[1]) || !g_ascii_isdigit (line[2]))
    return 0;
  return (guint) (line[0] - '0') * 100 + (guint) (line[1] - '0') * 10 + (guint) (line[2] - '0');
}

static void
finish_reply (FerryFtpReplyParser *parser,
              guint                code)
{
  FerryFtpReply *reply = g_new0 (FerryFtpReply, 1);

  g_ptr_array_add (parser->lines, NULL);
  reply->code = code;
  reply->lines = (char **) g_ptr_array_free (g_steal_pointer (&parser->lines), FALSE);
  parser->total = 0;
  parser->code = 0;
  g_queue_push_tail (&parser->replies, reply);
}

static gboolean
add_text (FerryFtpReplyParser *parser,
          const char          *text,
          gsize                length)
{
  parser->total += length + 1;
  if (parser->total > FERRY_FTP_REPLY_MAX_TOTAL)
    {
      parser->failure = g_strdup (_("The server’s reply is too long"));
      return FALSE;
    }
  g_ptr_array_add (parser->lines, g_strndup (text, length));
  return TRUE;
}

/* One complete line, without its ending. */
static gboolean
take_line (FerryFtpReplyParser *parser,
           const char          *line,
           gsize                length)
{
  guint code = line_code (line, length);

  if (memchr (line, '\0', length) != NULL)
    {
      parser->failure = g_strdup (_("The server’s reply contains a NUL byte"));
      return FALSE;
    }

  if (parser->lines == NULL)
    {
      /* "123 text", "123-text" or a bare "123". */
      if (code == 0 || (length > 3 && line[3] != ' ' && line[3] != '-'))
        {
          parser->failure = g_strdup (_("The server sent something that is not an FTP reply"));
          return FALSE;
        }
      parser->lines = g_ptr_array_new_with_free_func (g_free);
      if (!add_text (parser, length > 3 ? line + 4 : line + 3, length > 3 ? length - 4 : 0))
        return FALSE;
      if (length > 3 && line[3] == '-')
        parser->code = code;
      else
        finish_reply (parser, code);
      return TRUE;
    }

  /* Inside a multi-line reply only "123 " (or a bare "123") with the same
   * code ends it; other lines may start with anything, even other digits. */
  if (code == parser->code && (length == 3 || line[3] == ' '))
    {
      if (!add_text (parser, line + MIN (length, 4), length - MIN (length, 4)))
        return FALSE;
      finish_reply (parser, code);
      return TRUE;
    }
  if (code == parser->code && line[3] == '-')
    return add_text (parser, line + 4, length - 4);
  return add_text (parser, line, length);
}

gboolean
ferry_ftp_reply_parser_feed (FerryFtpReplyParser  *parser,
                             const char           *data,
                             gsize                 length,
                             GError              **error)
{
  gsize start = 0;

  g_return_val_if_fail (parser != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  while (parser->failure == NULL && start < length)
    {
      const char *newline = memchr (data + start, '\n', length - start);
      gsize end = newline != NULL ? (gsize) (newline - data) : length;

      if (parser->line->len + (end - start) > FERRY_FTP_REPLY_MAX_LINE + 1)
        {
          parser->failure = g_strdup (_("The server sent a line that is too long"));
          break;
        }
      g_string_append_len (parser->line, data + start, end - start);
      start = end;
      if (newline == NULL)
        break;
      start++;

      if (parser->line->len > 0 && parser->line->str[parser->line->len - 1] == '\r')
        g_string_truncate (parser->line, parser->line->len - 1);
      if (parser->line->len > FERRY_FTP_REPLY_MAX_LINE)
        {
          parser->failure = g_strdup (_("The server sent a line that is too long"));
          break;
        }
      /* Blank lines between replies carry nothing; inside a reply they are text. */
      if (parser->line->len > 0 || parser->lines != NULL)
        take_line (parser, parser->line->str, parser->line->len);
      g_string_truncate (parser->line, 0);
    }

  if (parser->failure != NULL)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL, parser->failure);
      return FALSE;
    }
  return TRUE;
}

FerryFtpReply *
ferry_ftp_reply_parser_pop (FerryFtpReplyParser *parser)
{
  g_return_val_if_fail (parser != NULL, NULL);

  return g_queue_pop_head (&parser->replies);
}

FerryFtpReply *
_ferry_ftp_reply_parse (const char  *text,
                        gsize        length,
                        GError     **error)
{
  g_autoptr(FerryFtpReplyParser) parser = ferry_ftp_reply_parser_new ();
  g_autoptr(FerryFtpReply) reply = NULL;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (!ferry_ftp_reply_parser_feed (parser, text, length, error))
    return NULL;
  if (length > 0 && text[length - 1] != '\n'
      && !ferry_ftp_reply_parser_feed (parser, "\r\n", 2, error))
    return NULL;

  reply = ferry_ftp_reply_parser_pop (parser);
  if (reply == NULL || ferry_ftp_reply_parser_is_partial (parser))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                           _("The server’s reply is incomplete"));
      return NULL;
    }
  if (!g_queue_is_empty (&parser->replies))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                           _("The server sent more than one reply"));
      return NULL;
    }
  return g_steal_pointer (&reply);
}

GHashTable *
ferry_ftp_parse_feat (const FerryFtpReply *reply)
{
  GHashTable *features;
  guint n;

  g_return_val_if_fail (reply != NULL, NULL);

  if (reply->code != 211)
    return NULL;

  features = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  n = g_strv_length (reply->lines);
  /* The first line is "Features:", the last "End"; a one-line 211 lists none. */
  for (guint i = 1; i + 1 < n; i++)
    {
      const char *line = reply->lines[i];
      const char *space;
      g_autofree char *name = NULL;

      while (*line == ' ' || *line == '\t')
        line++;
      if (*line == '\0')
        continue;
      space = strpbrk (line, " \t");
      name = g_ascii_strup (line, space != NULL ? space - line : -1);
      if (space != NULL)
        {
          while (*space == ' ' || *space == '\t')
            space++;
        }
      g_hash_table_replace (features, g_steal_pointer (&name),
                            g_strchomp (g_strdup (space != NULL ? space : "")));
    }
  return features;
}

char *
ferry_ftp_parse_pwd (const char *text)
{
  g_autoptr(GString) folder = g_string_new (NULL);
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  p = strchr (text, '"');
  if (p == NULL)
    return NULL;
  for (p++; *p != '\0'; p++)
    {
      if (*p == '"' && p[1] == '"')
        p++;
      else if (*p == '"')
        break;
      g_string_append_c (folder, *p);
    }
  if (*p != '"' || folder->str[0] != '/')
    return NULL;
  /* "/home/web/" and "/home/web" are one folder. */
  while (folder->len > 1 && folder->str[folder->len - 1] == '/')
    g_string_truncate (folder, folder->len - 1);
  return g_string_free (g_steal_pointer (&folder), FALSE);
}
