/* ferry-address.c: the Server field parser (see ferry-address.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <arpa/inet.h>
#include <glib/gi18n.h>
#include <string.h>

#include "ferry-address.h"
#include "ferry-error.h"

#define MAX_HOST_LENGTH 253
#define MAX_LABEL_LENGTH 63

void
ferry_address_free (FerryAddress *address)
{
  if (address == NULL)
    return;
  g_free (address->host);
  g_free (address->username);
  g_free (address->path);
  g_free (address->domain);
  g_free (address);
}

static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT, message);
  return FALSE;
}

static gboolean
has_control_character (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    if (*p < 0x20 || *p == 0x7f)
      return TRUE;
  return FALSE;
}

gboolean
ferry_address_parse_port (const char  *text,
                          guint16     *port,
                          GError     **error)
{
  guint64 value = 0;

  g_return_val_if_fail (text != NULL, FALSE);

  if (*text == '\0')
    return invalid (error, _("Enter a port number between 1 and 65535"));
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return invalid (error, _("The port must be a number between 1 and 65535"));
      value = value * 10 + (guint64) (*p - '0');
      if (value > 65535)
        return invalid (error, _("The port must be between 1 and 65535"));
    }
  if (value == 0)
    return invalid (error, _("The port must be between 1 and 65535"));

  if (port != NULL)
    *port = (guint16) value;
  return TRUE;
}

static gboolean
is_ipv6 (const char *host)
{
  struct in6_addr address;

  return inet_pton (AF_INET6, host, &address) == 1;
}

static gboolean
looks_like_ipv4 (const char *host)
{
  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && *p != '.')
      return FALSE;
  return TRUE;
}

gboolean
ferry_address_check_host (const char  *host,
                          GError     **error)
{
  struct in_addr v4;
  const char *label;
  gsize length;

  g_return_val_if_fail (host != NULL, FALSE);

  if (*host == '\0')
    return invalid (error, _("Enter the server’s name or address"));
  if (has_control_character (host))
    return invalid (error, _("The server name contains a control character"));
  if (strpbrk (host, " \t") != NULL)
    return invalid (error, _("A server name cannot contain spaces"));
  if (is_ipv6 (host))
    return TRUE;
  if (looks_like_ipv4 (host))
    {
      if (inet_pton (AF_INET, host, &v4) != 1)
        return invalid (error, _("This is not a valid IPv4 address"));
      return TRUE;
    }

  length = strlen (host);
  if (length > MAX_HOST_LENGTH)
    return invalid (error, _("The server name is too long"));

  label = host;
  while (TRUE)
    {
      const char *end = strchr (label, '.');
      gsize label_length = end != NULL ? (gsize) (end - label) : strlen (label);

      /* A trailing dot (a fully qualified name) is fine; an empty label
       * anywhere else is not. */
      if (label_length == 0 && !(end == NULL && label != host))
        return invalid (error, _("The server name has an empty part between dots"));
      if (label_length > MAX_LABEL_LENGTH)
        return invalid (error, _("A part of the server name is longer than 63 characters"));
      for (gsize i = 0; i < label_length; i++)
        {
          char c = label[i];

          if (!g_ascii_isalnum (c) && c != '-' && c != '_')
            return invalid (error, _("The server name may only contain letters, digits, dots and hyphens"));
        }
      if (label_length > 0 && (label[0] == '-' || label[label_length - 1] == '-'))
        return invalid (error, _("A part of the server name cannot start or end with a hyphen"));
      if (end == NULL)
        break;
      label = end + 1;
    }

  return TRUE;
}

static gboolean
is_web_kind (FerryConnectorKind kind)
{
  return kind == FERRY_CONNECTOR_KIND_WEBDAV || kind == FERRY_CONNECTOR_KIND_WEBDAVS;
}

/* Nextcloud's and ownCloud's Files page ("…/index.php/apps/files/…",
 * "…/apps/files/") is what people copy from the browser; its WebDAV
 * folder lives elsewhere. */
static gboolean
is_web_page (const char *rest)
{
  const char *slash = strchr (rest, '/');

  return slash != NULL && (strstr (slash, "/index.php/") != NULL
                           || g_str_has_prefix (slash, "/apps/files")
                           || strstr (slash, "/index.php") != NULL);
}

/* "ftp://…": a scheme is a letter, then letters, digits, "+", "-" or ".";
 * anything else before "://" (as in "host/a://b") is not one. */
static gboolean
is_scheme (const char *text,
           gsize       length)
{
  if (length == 0 || !g_ascii_isalpha (text[0]))
    return FALSE;
  for (gsize i = 1; i < length; i++)
    if (!g_ascii_isalnum (text[i]) && text[i] != '+' && text[i] != '-' && text[i] != '.')
      return FALSE;
  return TRUE;
}

/* "user:secret@host" — also when the secret holds a "/" that would
 * otherwise end the host part early. A colon followed by digits up to the
 * next "/" is a port ("host:2121/a@b" is not a password). */
static gboolean
has_password (const char *rest)
{
  const char *at = strchr (rest, '@');
  const char *colon = strchr (rest, ':');
  const char *p;

  if (at == NULL || colon == NULL || colon > at)
    return FALSE;
  if (memchr (rest, '/', colon - rest) != NULL || rest[0] == '[')
    return FALSE;
  for (p = colon + 1; *p != '\0' && *p != '/' && *p != '@'; p++)
    if (!g_ascii_isdigit (*p))
      return TRUE;
  /* Digits only: a port, unless the "@" comes right after them. */
  return *p == '@';
}

static gboolean
scheme_to_kind (const char          *scheme,
                FerryConnectorKind  *kind,
                GError             **error)
{
  g_autofree char *lower = g_ascii_strdown (scheme, -1);

  if (g_str_equal (lower, "ftp"))
    *kind = FERRY_CONNECTOR_KIND_FTP;
  else if (g_str_equal (lower, "ftpes"))
    *kind = FERRY_CONNECTOR_KIND_FTPS_EXPLICIT;
  else if (g_str_equal (lower, "ftps"))
    *kind = FERRY_CONNECTOR_KIND_FTPS_IMPLICIT;
  else if (g_str_equal (lower, "sftp") || g_str_equal (lower, "ssh"))
    *kind = FERRY_CONNECTOR_KIND_SFTP;
  else if (g_str_equal (lower, "http") || g_str_equal (lower, "dav") || g_str_equal (lower, "webdav"))
    *kind = FERRY_CONNECTOR_KIND_WEBDAV;
  else if (g_str_equal (lower, "https") || g_str_equal (lower, "davs") || g_str_equal (lower, "webdavs"))
    *kind = FERRY_CONNECTOR_KIND_WEBDAVS;
  else if (g_str_equal (lower, "smb") || g_str_equal (lower, "cifs"))
    *kind = FERRY_CONNECTOR_KIND_SMB;
  else
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                   _("Ferry does not know addresses starting with “%s://”; use ftp://, ftps://, ftpes://, sftp://, http://, https:// or smb://"),
                   scheme);
      return FALSE;
    }
  return TRUE;
}

static gboolean
split_host_port (const char  *hostport,
                 char       **host,
                 guint16     *port,
                 GError     **error)
{
  const char *colon;

  if (hostport[0] == '[')
    {
      const char *close = strchr (hostport, ']');
      g_autofree char *inside = NULL;

      if (close == NULL)
        return invalid (error, _("The IPv6 address is missing its closing bracket “]”"));
      inside = g_strndup (hostport + 1, close - hostport - 1);
      if (!is_ipv6 (inside))
        return invalid (error, _("The text between brackets is not an IPv6 address"));
      if (close[1] == ':')
        {
          if (!ferry_address_parse_port (close + 2, port, error))
            return FALSE;
        }
      else if (close[1] != '\0')
        return invalid (error, _("Only a port may follow the IPv6 address, as in [2001:db8::1]:2121"));
      *host = g_steal_pointer (&inside);
      return TRUE;
    }

  colon = strchr (hostport, ':');
  if (colon != NULL && strchr (colon + 1, ':') != NULL)
    {
      /* More than one colon: a bare IPv6 address, or nothing valid. */
      if (!is_ipv6 (hostport))
        return invalid (error, _("This looks like an IPv6 address but is not one; write it in brackets, as in [2001:db8::1]"));
      *host = g_strdup (hostport);
      return TRUE;
    }
  if (colon != NULL)
    {
      if (!ferry_address_parse_port (colon + 1, port, error))
        return FALSE;
      *host = g_strndup (hostport, colon - hostport);
    }
  else
    *host = g_strdup (hostport);

  /* Internationalised names go to the resolver in their ASCII form. */
  if (!g_str_is_ascii (*host))
    {
      char *ascii = g_hostname_to_ascii (*host);

      if (ascii == NULL)
        return invalid (error, _("The server name may only contain letters, digits, dots and hyphens"));
      g_free (*host);
      *host = ascii;
    }

  return ferry_address_check_host (*host, error);
}

FerryAddress *
ferry_address_parse (const char  *text,
                     GError     **error)
{
  g_autoptr(FerryAddress) address = g_new0 (FerryAddress, 1);
  g_autofree char *copy = NULL;
  g_autofree char *authority = NULL;
  g_autofree char *web_rest = NULL;
  const char *rest;
  const char *scheme_end;
  const char *slash;
  const char *at;

  g_return_val_if_fail (text != NULL, NULL);

  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    return invalid (error, _("Enter the server’s name or address")), NULL;
  if (!g_utf8_validate (copy, -1, NULL))
    return invalid (error, _("The server name is not valid text")), NULL;
  if (has_control_character (copy))
    return invalid (error, _("The server name contains a control character")), NULL;

  rest = copy;
  scheme_end = strstr (copy, "://");
  if (scheme_end != NULL && !is_scheme (copy, scheme_end - copy))
    scheme_end = NULL;
  if (scheme_end != NULL)
    {
      g_autofree char *scheme = g_strndup (copy, scheme_end - copy);

      if (!scheme_to_kind (scheme, &address->kind, error))
        return NULL;
      address->has_kind = TRUE;
      rest = scheme_end + 3;
    }

  if (has_password (rest))
    return invalid (error, _("Leave the password out of the server address and type it in the Password field")), NULL;

  /* A web address: what follows "?" or "#" is for the page, not a folder. */
  if (address->has_kind && is_web_kind (address->kind))
    {
      gsize end = strcspn (rest, "?#");

      web_rest = g_strndup (rest, end);
      rest = web_rest;
      if (is_web_page (rest))
        return invalid (error, _("This is the address of a web page, not of a WebDAV folder. For Nextcloud or ownCloud use https://SERVER/remote.php/dav/files/USER/")), NULL;
    }

  slash = strchr (rest, '/');
  authority = slash != NULL ? g_strndup (rest, slash - rest) : g_strdup (rest);
  if (slash != NULL && slash[1] != '\0')
    address->path = g_uri_unescape_string (slash, NULL);
  else if (slash != NULL && scheme_end != NULL)
    address->path = g_strdup ("/");
  if (slash != NULL && address->path == NULL && slash[1] != '\0')
    return invalid (error, _("The folder in the address is not valid")), NULL;

  if (strpbrk (authority, " \t") != NULL)
    return invalid (error, _("A server name cannot contain spaces")), NULL;

  at = strrchr (authority, '@');
  if (at != NULL)
    {
      g_autofree char *userinfo = g_strndup (authority, at - authority);
      g_autofree char *host_part = g_strdup (at + 1);

      if (strchr (userinfo, ':') != NULL)
        return invalid (error, _("Leave the password out of the server address and type it in the Password field")), NULL;
      /* SMB URLs name the domain or workgroup first: "DOMAIN;user@host". */
      if (address->has_kind && address->kind == FERRY_CONNECTOR_KIND_SMB && strchr (userinfo, ';') != NULL)
        {
          const char *semicolon = strchr (userinfo, ';');
          g_autofree char *user_part = g_strdup (semicolon + 1);

          address->domain = g_uri_unescape_segment (userinfo, semicolon, NULL);
          if (address->domain == NULL || *address->domain == '\0'
              || has_control_character (address->domain))
            return invalid (error, _("The domain in the address is not valid")), NULL;
          g_free (userinfo);
          userinfo = g_steal_pointer (&user_part);
        }
      address->username = g_uri_unescape_string (userinfo, NULL);
      if (address->username == NULL || *address->username == '\0'
          || has_control_character (address->username))
        return invalid (error, _("The user name in the address is not valid")), NULL;
      g_free (authority);
      authority = g_steal_pointer (&host_part);
    }

  if (*authority == '\0')
    return invalid (error, _("Enter the server’s name or address")), NULL;
  if (!split_host_port (authority, &address->host, &address->port, error))
    return NULL;

  return g_steal_pointer (&address);
}

char *
ferry_address_format_host (const char *host)
{
  g_return_val_if_fail (host != NULL, NULL);

  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]", host);
  return g_strdup (host);
}
