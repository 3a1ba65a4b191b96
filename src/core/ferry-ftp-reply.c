/* ferry-ftp-reply.c: see ferry-ftp-reply.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-ftp-reply.h"

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
ferry_ftp_reply_parse (const char  *text,
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

/* A decimal number of at most `max_digits` digits at *p, advancing *p. */
static gboolean
read_number (const char **p,
             guint        max_digits,
             guint       *value)
{
  guint v = 0;
  guint n = 0;

  while (g_ascii_isdigit (**p))
    {
      if (++n > max_digits)
        return FALSE;
      v = v * 10 + (guint) (**p - '0');
      (*p)++;
    }
  *value = v;
  return n > 0;
}

static gboolean
pasv_at (const char *p,
         guint       numbers[6])
{
  for (guint i = 0; i < 6; i++)
    {
      if (i > 0)
        {
          while (*p == ' ')
            p++;
          if (*p != ',')
            return FALSE;
          p++;
          while (*p == ' ')
            p++;
        }
      if (!read_number (&p, 3, &numbers[i]) || numbers[i] > 255)
        return FALSE;
    }
  /* "1,2,3,4,5,6,7" is not an address and a port. */
  return !g_ascii_isdigit (*p) && *p != ',';
}

gboolean
ferry_ftp_parse_pasv (const char  *text,
                      char       **host,
                      guint16     *port)
{
  const char *p;

  g_return_val_if_fail (text != NULL, FALSE);

  /* Skip the reply code itself: "227 " must not count as a number. */
  p = text;
  if (line_code (p, strlen (p)) != 0 && (p[3] == ' ' || p[3] == '-'))
    p += 4;

  for (; *p != '\0'; p++)
    {
      guint n[6];
      const char *before = p;

      if (!g_ascii_isdigit (*p) || (p > text && g_ascii_isdigit (p[-1])))
        continue;
      /* Nor may the six numbers be the tail of a longer list. */
      while (before > text && before[-1] == ' ')
        before--;
      if (before > text && before[-1] == ',')
        continue;
      if (!pasv_at (p, n))
        continue;
      if (n[4] * 256 + n[5] == 0)
        return FALSE;
      if (host != NULL)
        *host = g_strdup_printf ("%u.%u.%u.%u", n[0], n[1], n[2], n[3]);
      if (port != NULL)
        *port = (guint16) (n[4] * 256 + n[5]);
      return TRUE;
    }
  return FALSE;
}

gboolean
ferry_ftp_parse_epsv (const char *text,
                      guint16    *port)
{
  g_return_val_if_fail (text != NULL, FALSE);

  for (const char *p = strchr (text, '('); p != NULL; p = strchr (p + 1, '('))
    {
      char d = p[1];
      const char *q = p + 4;
      guint value;

      if (d < 33 || d > 126 || g_ascii_isdigit (d) || p[2] != d || p[3] != d)
        continue;
      if (!read_number (&q, 5, &value) || q[0] != d || q[1] != ')')
        continue;
      if (value == 0 || value > 65535)
        return FALSE;
      if (port != NULL)
        *port = (guint16) value;
      return TRUE;
    }
  return FALSE;
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

char **
ferry_ftp_parse_mlst_facts (const char   *parameters,
                            char       ***enabled)
{
  g_auto(GStrv) parts = NULL;
  GPtrArray *all = g_ptr_array_new ();
  GPtrArray *on = g_ptr_array_new ();

  g_return_val_if_fail (parameters != NULL, NULL);

  parts = g_strsplit (parameters, ";", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *fact = g_strstrip (parts[i]);
      gsize len = strlen (fact);
      gboolean star = len > 0 && fact[len - 1] == '*';

      if (star)
        fact[--len] = '\0';
      if (len == 0)
        continue;
      g_ptr_array_add (all, g_ascii_strdown (fact, -1));
      if (star)
        g_ptr_array_add (on, g_ascii_strdown (fact, -1));
    }
  g_ptr_array_add (all, NULL);
  g_ptr_array_add (on, NULL);
  if (enabled != NULL)
    *enabled = (char **) g_ptr_array_free (on, FALSE);
  else
    g_strfreev ((char **) g_ptr_array_free (on, FALSE));
  return (char **) g_ptr_array_free (all, FALSE);
}

FerryFtpReplyClass
ferry_ftp_reply_classify (int code)
{
  if (code < 100 || code > 599)
    return FERRY_FTP_REPLY_INVALID;
  if (code < 200)
    return FERRY_FTP_REPLY_PRELIMINARY;
  if (code < 400)
    return FERRY_FTP_REPLY_POSITIVE;
  /* 452 is "insufficient storage": a full disk does not empty itself within
   * a retry's backoff, so the user has to hear about it. */
  if (code == 452 || code >= 500)
    return FERRY_FTP_REPLY_PERMANENT;
  return FERRY_FTP_REPLY_TRANSIENT;
}

FerryError
ferry_ftp_reply_error_code (int code)
{
  switch (code)
    {
    case 421:
      return FERRY_ERROR_TOO_MANY;
    case 452:
    case 552:
      return FERRY_ERROR_NO_SPACE;
    case 530:
      return FERRY_ERROR_LOGIN;
    case 534:
      return FERRY_ERROR_TLS_REQUIRED;
    case 550:
      return FERRY_ERROR_PERMISSION;
    case 553:
      return FERRY_ERROR_BAD_NAME;
    case 500:
    case 501:
    case 502:
    case 504:
      return FERRY_ERROR_PROTOCOL;
    default:
      if (code >= 400 && code < 500)
        return FERRY_ERROR_TRANSIENT;
      return FERRY_ERROR_FAILED;
    }
}
