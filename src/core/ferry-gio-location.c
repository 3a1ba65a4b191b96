/* ferry-gio-location.c: a GNOME Files location's address (see
 * ferry-gio-location.h). GLib's GUri does the parsing; this file decides
 * what Ferry accepts and says why in words fit for the Server field.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-error.h"
#include "ferry-gio-location.h"

/* Schemes of GVfs backends that Ferry has no direct connector for. */
static const char *const gvfs_only_schemes[] = {
  "google-drive", "onedrive", "mtp", "afp", "nfs", "gphoto2", "afc", "admin", NULL,
};

static gboolean
invalid (GError     **error,
         const char  *message)
{
  g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT, message);
  return FALSE;
}

static char *
dup_scheme (const char *text)
{
  const char *end;

  while (g_ascii_isspace (*text))
    text++;
  end = strstr (text, "://");
  if (end == NULL || end == text || !g_ascii_isalpha (text[0]))
    return NULL;
  for (const char *p = text; p < end; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '-' && *p != '.')
      return NULL;
  return g_ascii_strdown (text, end - text);
}

gboolean
ferry_gio_location_is_gvfs_only (const char *text)
{
  g_autofree char *scheme = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  scheme = dup_scheme (text);
  return scheme != NULL && g_strv_contains (gvfs_only_schemes, scheme);
}

gboolean
ferry_gio_location_parse (const char  *text,
                          char       **uri,
                          char       **username,
                          GError     **error)
{
  g_autofree char *copy = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *user = NULL;
  g_autoptr(GUri) parsed = NULL;

  g_return_val_if_fail (text != NULL && uri != NULL && username != NULL, FALSE);

  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    return invalid (error, _("Enter the location as GNOME Files shows it, such as dav://server/folder or "
                             "google-drive://alice@gmail.com/"));
  if (!g_utf8_validate (copy, -1, NULL))
    return invalid (error, _("The server name is not valid text"));
  for (const guchar *p = (const guchar *) copy; *p != '\0'; p++)
    if (*p < 0x20 || *p == 0x7f)
      return invalid (error, _("The server name contains a control character"));

  scheme = dup_scheme (copy);
  if (scheme == NULL)
    return invalid (error, _("A GNOME Files location starts with its kind, such as dav://, davs://, "
                             "smb:// or google-drive://"));
  if (g_str_equal (scheme, "file"))
    return invalid (error, _("This is a folder on this computer: choose the type “This Computer”"));
  if (g_str_equal (scheme, "http") || g_str_equal (scheme, "https"))
    return invalid (error, _("GNOME Files opens web addresses read-only. For a WebDAV folder write "
                             "dav:// or davs:// instead, or choose the type WebDAV"));

  parsed = g_uri_parse (copy, G_URI_FLAGS_ENCODED | G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_NON_DNS, NULL);
  if (parsed == NULL)
    return invalid (error, _("This is not a location GNOME Files can open; copy it from GNOME Files’ "
                             "address bar (Ctrl+L)"));
  if (g_uri_get_password (parsed) != NULL)
    return invalid (error, _("Leave the password out of the server address and type it in the Password field"));
  if (g_uri_get_query (parsed) != NULL || g_uri_get_fragment (parsed) != NULL)
    return invalid (error, _("A location has no “?” or “#” part; copy it from GNOME Files’ address bar (Ctrl+L)"));

  if (g_uri_get_user (parsed) != NULL)
    {
      user = g_uri_unescape_string (g_uri_get_user (parsed), NULL);
      if (user == NULL || *user == '\0')
        return invalid (error, _("The user name in the address is not valid"));
    }
  *uri = g_steal_pointer (&copy);
  *username = g_steal_pointer (&user);
  return TRUE;
}

char *
ferry_gio_location_child_uri (const char *root,
                              const char *path)
{
  g_autofree char *escaped = NULL;
  const char *authority;
  gsize length;

  g_return_val_if_fail (root != NULL && path != NULL, NULL);

  while (*path == '/')
    path++;
  /* Trailing slashes go, but never the ones of "mtp://". */
  authority = strstr (root, "://");
  length = strlen (root);
  while (length > 0 && root[length - 1] == '/' && (authority == NULL || root + length > authority + 3))
    length--;
  escaped = g_uri_escape_string (path, "/", FALSE);
  if (authority != NULL && root + length == authority + 3)
    return g_strdup_printf ("%.*s%s", (int) length, root, escaped);
  return g_strdup_printf ("%.*s/%s", (int) length, root, escaped);
}
