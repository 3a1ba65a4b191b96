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
#define TEMP_HASH_CHARS 16

/* U+0080..U+009F: C1 controls; some terminals act on them (U+009B is a
 * one-byte CSI), so they are as unwelcome as ESC. */
static gboolean
is_c1_control (gunichar ch)
{
  return ch >= 0x80 && ch <= 0x9f;
}

/* Bidirectional overrides and isolates are fine in a name (right-to-left
 * scripts use them) but can make a log line read backwards. */
static gboolean
is_bidi_control (gunichar ch)
{
  return (ch >= 0x202a && ch <= 0x202e) || (ch >= 0x2066 && ch <= 0x2069) || ch == 0x200e || ch == 0x200f;
}

/* Why `name` is not one safe path component, translated, or NULL. */
static const char *
name_problem (const char *name,
              gsize       length)
{
  if (name == NULL || length == 0)
    return _("the name is empty");
  if ((length == 1 && name[0] == '.') || (length == 2 && name[0] == '.' && name[1] == '.'))
    return _("“.” and “..” are not file names");
  if (length > FERRY_NAME_MAX_BYTES)
    return _("the name is longer than 255 bytes");
  if (memchr (name, '/', length) != NULL)
    return _("the name contains “/”");
  if (memchr (name, '\\', length) != NULL)
    return _("the name contains “\\”");
  if (memchr (name, '\0', length) != NULL)
    return _("the name contains a NUL byte");
  for (gsize i = 0; i < length; i++)
    if ((guchar) name[i] < 0x20 || (guchar) name[i] == 0x7f)
      return _("the name contains a control character");
  if (!g_utf8_validate_len (name, length, NULL))
    return _("the name is not valid UTF-8");
  for (const char *p = name; p < name + length; p = g_utf8_next_char (p))
    if (is_c1_control (g_utf8_get_char (p)))
      return _("the name contains a control character");
  return NULL;
}

gboolean
ferry_name_check (const char  *name,
                  gsize        length,
                  char       **reason)
{
  const char *why = name_problem (name, length);

  if (why != NULL && reason != NULL)
    {
      g_autofree char *shown = ferry_name_escape_for_log (name != NULL ? name : "", name != NULL ? length : 0);

      /* TRANSLATORS: a refused file name (escaped, safe to print), then why. */
      *reason = g_strdup_printf (_("“%s”: %s"), shown, why);
    }
  return why == NULL;
}

char *
ferry_name_escape_for_log (const char *name,
                           gsize       length)
{
  GString *out;
  gsize shown = 0;
  gsize i = 0;

  g_return_val_if_fail (name != NULL || length == 0, NULL);

  out = g_string_new (NULL);

  while (i < length)
    {
      guchar c = name[i];
      gunichar ch;

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
              const char *next = g_utf8_next_char (name + i);

              if (is_c1_control (ch) || is_bidi_control (ch))
                g_string_append_printf (out, "\\u%04X", ch);
              else
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

  g_return_val_if_fail (root != NULL && root[0] != '\0', NULL);
  g_return_val_if_fail (relative != NULL, NULL);

  if (relative[0] == '/')
    {
      g_autofree char *shown = ferry_name_escape_for_log (relative, strlen (relative));

      g_set_error (error, FERRY_ERROR, FERRY_ERROR_BAD_NAME,
                   _("Refused the path “%s”: %s"), shown, _("the path is absolute"));
      return NULL;
    }

  path = g_string_new (root);
  while (path->len > 1 && path->str[path->len - 1] == '/')
    g_string_truncate (path, path->len - 1);

  /* Every component must be a safe name, so none is ".." and the result
   * stays under root however the parts combine. */
  parts = g_strsplit (relative, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *why;

      /* "a//b" and a trailing "/" add nothing. */
      if (parts[i][0] == '\0')
        continue;
      why = name_problem (parts[i], strlen (parts[i]));
      if (why != NULL)
        {
          g_autofree char *shown = ferry_name_escape_for_log (relative, strlen (relative));

          g_set_error (error, FERRY_ERROR, FERRY_ERROR_BAD_NAME,
                       _("Refused the path “%s”: %s"), shown, why);
          g_string_free (path, TRUE);
          return NULL;
        }
      if (path->str[path->len - 1] != '/')
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
  gsize base_length;
  g_autofree char *temp = NULL;

  g_return_val_if_fail (final_path != NULL, NULL);

  slash = strrchr (final_path, '/');
  dir = slash != NULL ? g_strndup (final_path, slash - final_path + 1) : g_strdup ("");
  base = slash != NULL ? slash + 1 : final_path;
  base_length = strlen (base);

  if (strlen (TEMP_PREFIX) + base_length + strlen (TEMP_SUFFIX) <= FERRY_NAME_MAX_BYTES)
    temp = g_strconcat (TEMP_PREFIX, base, TEMP_SUFFIX, NULL);
  else
    {
      /* Long names keep a recognisable start and get a hash of the whole
       * name: stable, so an interrupted copy resumes into the same part
       * file, and distinct for names that share the start. */
      g_autofree char *hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) base, base_length);
      gsize keep = FERRY_NAME_MAX_BYTES - strlen (TEMP_PREFIX) - 1 - TEMP_HASH_CHARS - strlen (TEMP_SUFFIX);

      /* Never cut a UTF-8 character in half. */
      while (keep > 0 && ((guchar) base[keep] & 0xc0) == 0x80)
        keep--;
      hash[TEMP_HASH_CHARS] = '\0';
      temp = g_strdup_printf (TEMP_PREFIX "%.*s~%s" TEMP_SUFFIX, (int) keep, base, hash);
    }
  return g_strconcat (dir, temp, NULL);
}

gboolean
ferry_name_is_temp (const char *name)
{
  return name != NULL && g_str_has_prefix (name, TEMP_PREFIX) && g_str_has_suffix (name, TEMP_SUFFIX);
}
