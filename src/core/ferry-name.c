/* ferry-name.c: see ferry-name.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-error.h"
#include "ferry-name.h"

#define LOG_NAME_CHARS 80
#define TEMP_PREFIX "."
#define TEMP_SUFFIX ".ferry-part"

gboolean
ferry_name_check (const char  *name,
                  gsize        length,
                  char       **reason)
{
  const char *why = NULL;

  if (name == NULL || length == 0)
    why = _("the name is empty");
  else if ((length == 1 && name[0] == '.') || (length == 2 && name[0] == '.' && name[1] == '.'))
    why = _("“.” and “..” are not file names");
  else if (length > FERRY_NAME_MAX_BYTES)
    why = _("the name is longer than 255 bytes");
  else if (memchr (name, '/', length) != NULL)
    why = _("the name contains “/”");
  else if (memchr (name, '\\', length) != NULL)
    why = _("the name contains “\\”");
  else if (memchr (name, '\0', length) != NULL)
    why = _("the name contains a NUL byte");
  else
    {
      for (gsize i = 0; i < length && why == NULL; i++)
        if ((guchar) name[i] < 0x20 || (guchar) name[i] == 0x7f)
          why = _("the name contains a control character");
      if (why == NULL && !g_utf8_validate_len (name, length, NULL))
        why = _("the name is not valid UTF-8");
    }

  if (why != NULL && reason != NULL)
    *reason = g_strdup (why);
  return why == NULL;
}

char *
ferry_name_escape_for_log (const char *name,
                           gsize       length)
{
  GString *out = g_string_new (NULL);
  gsize shown = 0;
  gsize i = 0;

  while (i < length)
    {
      guchar c = name[i];
      gunichar ch;
      const char *next;

      if (shown >= LOG_NAME_CHARS)
        {
          g_string_append (out, "…");
          break;
        }
      if (c < 0x20 || c == 0x7f || c == '\\')
        {
          g_string_append_printf (out, "\\x%02X", c);
          i++;
        }
      else if (c < 0x80)
        {
          g_string_append_c (out, c);
          i++;
        }
      else
        {
          ch = g_utf8_get_char_validated (name + i, length - i);
          if (ch == (gunichar) -1 || ch == (gunichar) -2)
            {
              g_string_append_printf (out, "\\x%02X", c);
              i++;
            }
          else
            {
              next = g_utf8_next_char (name + i);
              g_string_append_len (out, name + i, next - (name + i));
              i = next - name;
            }
        }
      shown++;
    }
  return g_string_free (out, FALSE);
}

char *
ferry_path_join_checked (const char  *root,
                         const char  *relative,
                         GError     **error)
{
  g_auto(GStrv) parts = NULL;
  GString *path;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (relative != NULL, NULL);

  path = g_string_new (root);
  while (path->len > 1 && path->str[path->len - 1] == '/')
    g_string_truncate (path, path->len - 1);

  parts = g_strsplit (relative, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *reason = NULL;

      /* "a//b" and a leading or trailing "/" add nothing. */
      if (parts[i][0] == '\0')
        continue;
      if (!ferry_name_check (parts[i], strlen (parts[i]), &reason))
        {
          g_autofree char *shown = ferry_name_escape_for_log (relative, strlen (relative));

          g_set_error (error, FERRY_ERROR, FERRY_ERROR_BAD_NAME,
                       _("Refused the path “%s”: %s"), shown, reason);
          g_string_free (path, TRUE);
          return NULL;
        }
      if (path->len == 0 || path->str[path->len - 1] != '/')
        g_string_append_c (path, '/');
      g_string_append (path, parts[i]);
    }
  return g_string_free (path, FALSE);
}

char *
ferry_path_temp_name (const char *final_path)
{
  const char *slash;
  g_autofree char *dir = NULL;
  const char *base;
  g_autofree char *temp = NULL;

  g_return_val_if_fail (final_path != NULL, NULL);

  slash = strrchr (final_path, '/');
  dir = slash != NULL ? g_strndup (final_path, slash - final_path + 1) : g_strdup ("");
  base = slash != NULL ? slash + 1 : final_path;

  if (strlen (TEMP_PREFIX) + strlen (base) + strlen (TEMP_SUFFIX) <= FERRY_NAME_MAX_BYTES)
    temp = g_strconcat (TEMP_PREFIX, base, TEMP_SUFFIX, NULL);
  else
    {
      /* Long names: a stable hash keeps resumes finding the same part. */
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, base, -1);

      temp = g_strconcat (TEMP_PREFIX, "long-", hash, TEMP_SUFFIX, NULL);
    }
  return g_strconcat (dir, temp, NULL);
}

gboolean
ferry_name_is_temp (const char *name)
{
  return name != NULL && g_str_has_prefix (name, TEMP_PREFIX) && g_str_has_suffix (name, TEMP_SUFFIX);
}
