/* ferry-sftp-packet.c: SFTP version 3 packets, built and read (see
 * ferry-sftp-packet.h).
 *
 * The reader trusts nothing: every length is checked against the bytes
 * left before it is used, and a packet with bytes to spare or too few is
 * refused as a protocol error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-error.h"
#include "ferry-sftp-packet.h"

/* More entries in one NAME answer than this is no real folder's batch
 * (OpenSSH sends 100). */
#define MAX_NAMES 100000

typedef struct
{
  const guint8 *p;
  gsize         left;
  gboolean      bad;
} Reader;

static guint32
get_u32 (Reader *r)
{
  guint32 value;

  if (r->bad || r->left < 4)
    {
      r->bad = TRUE;
      return 0;
    }
  value = ((guint32) r->p[0] << 24) | ((guint32) r->p[1] << 16) | ((guint32) r->p[2] << 8) | r->p[3];
  r->p += 4;
  r->left -= 4;
  return value;
}

static guint64
get_u64 (Reader *r)
{
  guint64 high = get_u32 (r);

  return (high << 32) | get_u32 (r);
}

/* A string's bytes in place, or NULL (and bad) when it runs past the end. */
static const guint8 *
get_string (Reader *r,
            gsize  *length)
{
  guint32 n = get_u32 (r);
  const guint8 *start;

  *length = 0;
  if (r->bad || n > r->left)
    {
      r->bad = TRUE;
      return NULL;
    }
  start = r->p;
  r->p += n;
  r->left -= n;
  *length = n;
  return start;
}

static char *
get_text (Reader *r)
{
  gsize length;
  const guint8 *bytes = get_string (r, &length);

  if (bytes == NULL)
    return NULL;
  /* strndup stops at a NUL inside: the name is cut there, never read past. */
  return g_strndup ((const char *) bytes, length);
}

static void
get_attrs (Reader         *r,
           FerrySftpAttrs *attrs)
{
  memset (attrs, 0, sizeof *attrs);
  attrs->flags = get_u32 (r);
  if (attrs->flags & FERRY_SFTP_ATTR_SIZE)
    attrs->size = get_u64 (r);
  if (attrs->flags & FERRY_SFTP_ATTR_UIDGID)
    {
      get_u32 (r);
      get_u32 (r);
    }
  if (attrs->flags & FERRY_SFTP_ATTR_PERMISSIONS)
    attrs->permissions = get_u32 (r);
  if (attrs->flags & FERRY_SFTP_ATTR_ACMODTIME)
    {
      attrs->atime = get_u32 (r);
      attrs->mtime = get_u32 (r);
    }
  if (attrs->flags & FERRY_SFTP_ATTR_EXTENDED)
    {
      guint32 count = get_u32 (r);

      /* Each pair takes at least 8 bytes: the count is bounded by them. */
      for (guint32 i = 0; i < count && !r->bad; i++)
        {
          gsize length;

          get_string (r, &length);
          get_string (r, &length);
        }
    }
}

void
ferry_sftp_name_free (FerrySftpName *name)
{
  if (name == NULL)
    return;
  g_free (name->filename);
  g_free (name->longname);
  g_free (name);
}

void
ferry_sftp_reply_free (FerrySftpReply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->message);
  g_free (reply->data);
  g_clear_pointer (&reply->names, g_ptr_array_unref);
  g_free (reply);
}

gboolean
ferry_sftp_packet_length (const guint8  *data,
                          gsize          available,
                          gssize        *length,
                          GError       **error)
{
  guint32 n;

  *length = -1;
  if (available < 4)
    return TRUE;
  n = ((guint32) data[0] << 24) | ((guint32) data[1] << 16) | ((guint32) data[2] << 8) | data[3];
  if (n == 0 || n > FERRY_SFTP_MAX_PACKET)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                   _("The SFTP server sent a packet of %u bytes, which no answer can be"), n);
      return FALSE;
    }
  *length = n;
  return TRUE;
}

FerrySftpReply *
ferry_sftp_reply_parse (const guint8  *body,
                        gsize          length,
                        GError       **error)
{
  g_autoptr(FerrySftpReply) reply = g_new0 (FerrySftpReply, 1);
  Reader r = { body, length, FALSE };

  if (length < 1)
    r.bad = TRUE;
  else
    {
      reply->type = body[0];
      r.p++;
      r.left--;
    }
  if (!r.bad && reply->type != FERRY_SFTP_VERSION)
    reply->id = get_u32 (&r);

  switch (r.bad ? 0 : reply->type)
    {
    case FERRY_SFTP_VERSION:
      reply->version = get_u32 (&r);
      while (!r.bad && r.left > 0)
        {
          gsize name_length, data_length;
          const guint8 *name = get_string (&r, &name_length);

          get_string (&r, &data_length);
          if (name != NULL && name_length == strlen ("posix-rename@openssh.com")
              && memcmp (name, "posix-rename@openssh.com", name_length) == 0)
            reply->posix_rename = TRUE;
        }
      break;
    case FERRY_SFTP_STATUS:
      reply->status = get_u32 (&r);
      /* The message and its language tag are optional in some servers. */
      if (!r.bad && r.left > 0)
        {
          reply->message = get_text (&r);
          if (!r.bad && r.left > 0)
            {
              gsize tag;

              get_string (&r, &tag);
            }
        }
      if (reply->message != NULL)
        for (char *p = reply->message; *p != '\0'; p++)
          if ((guchar) *p < 0x20 || *p == 0x7f)
            *p = '?';
      break;
    case FERRY_SFTP_HANDLE:
      {
        gsize n;
        const guint8 *handle = get_string (&r, &n);

        if (handle != NULL && (n == 0 || n > FERRY_SFTP_MAX_HANDLE))
          r.bad = TRUE;
        else if (handle != NULL)
          {
            memcpy (reply->handle, handle, n);
            reply->handle_length = n;
          }
      }
      break;
    case FERRY_SFTP_DATA:
      {
        gsize n;
        const guint8 *data = get_string (&r, &n);

        if (data != NULL)
          {
            reply->data = g_memdup2 (data, n);
            reply->data_length = n;
          }
      }
      break;
    case FERRY_SFTP_NAME:
      {
        guint32 count = get_u32 (&r);

        if (count > MAX_NAMES)
          r.bad = TRUE;
        reply->names = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_sftp_name_free);
        for (guint32 i = 0; i < count && !r.bad; i++)
          {
            FerrySftpName *name = g_new0 (FerrySftpName, 1);

            name->filename = get_text (&r);
            name->longname = get_text (&r);
            get_attrs (&r, &name->attrs);
            if (r.bad)
              ferry_sftp_name_free (name);
            else
              g_ptr_array_add (reply->names, name);
          }
      }
      break;
    case FERRY_SFTP_ATTRS:
      get_attrs (&r, &reply->attrs);
      break;
    case FERRY_SFTP_EXTENDED_REPLY:
      r.left = 0;
      break;
    default:
      r.bad = TRUE;
      break;
    }

  if (r.bad || r.left != 0)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                   _("The SFTP server sent an answer that cannot be read (type %u, %zu bytes)"),
                   length > 0 ? body[0] : 0u, length);
      return NULL;
    }
  return g_steal_pointer (&reply);
}

GByteArray *
ferry_sftp_request_begin (guint8  type,
                          guint32 id)
{
  GByteArray *packet = g_byte_array_sized_new (64);
  guint8 zero[4] = { 0 };

  g_byte_array_append (packet, zero, 4);
  g_byte_array_append (packet, &type, 1);
  if (type != FERRY_SFTP_INIT)
    ferry_sftp_put_u32 (packet, id);
  return packet;
}

void
ferry_sftp_put_u32 (GByteArray *packet,
                    guint32     value)
{
  guint8 bytes[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (packet, bytes, 4);
}

void
ferry_sftp_put_u64 (GByteArray *packet,
                    guint64     value)
{
  ferry_sftp_put_u32 (packet, (guint32) (value >> 32));
  ferry_sftp_put_u32 (packet, (guint32) value);
}

void
ferry_sftp_put_string (GByteArray *packet,
                       const void *data,
                       gsize       length)
{
  ferry_sftp_put_u32 (packet, (guint32) length);
  g_byte_array_append (packet, data, length);
}

void
ferry_sftp_put_str (GByteArray *packet,
                    const char *text)
{
  ferry_sftp_put_string (packet, text, strlen (text));
}

void
ferry_sftp_put_attrs (GByteArray           *packet,
                      const FerrySftpAttrs *attrs)
{
  ferry_sftp_put_u32 (packet, attrs->flags);
  if (attrs->flags & FERRY_SFTP_ATTR_SIZE)
    ferry_sftp_put_u64 (packet, attrs->size);
  if (attrs->flags & FERRY_SFTP_ATTR_PERMISSIONS)
    ferry_sftp_put_u32 (packet, attrs->permissions);
  if (attrs->flags & FERRY_SFTP_ATTR_ACMODTIME)
    {
      ferry_sftp_put_u32 (packet, attrs->atime);
      ferry_sftp_put_u32 (packet, attrs->mtime);
    }
}

void
ferry_sftp_request_end (GByteArray *packet)
{
  guint32 n = packet->len - 4;

  packet->data[0] = n >> 24;
  packet->data[1] = n >> 16;
  packet->data[2] = n >> 8;
  packet->data[3] = n;
}
