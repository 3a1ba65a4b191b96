/* ferry-connector.c: the connector model (see ferry-connector.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-address.h"
#include "ferry-connector.h"
#include "ferry-connector-private.h"
#include "ferry-error.h"
#include "ferry-gio-location.h"

#define MAX_NAME_LENGTH 100
/* Windows' own limit for a DNS domain name; NetBIOS names are shorter. */
#define MAX_DOMAIN_LENGTH 255

struct _FerryConnector
{
  GObject parent_instance;

  char *id;
  char *name;
  FerryConnectorKind kind;
  char *server;
  guint16 port;
  gboolean port_set;
  char *username;
  char *pin;
  char *domain;
  char *folder;
};

G_DEFINE_FINAL_TYPE (FerryConnector, ferry_connector, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_KIND,
  PROP_SERVER,
  PROP_PORT,
  PROP_USERNAME,
  PROP_PIN,
  PROP_DOMAIN,
  PROP_FOLDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct
{
  const char *token;
  const char *label;
  guint16 port;
} kinds[] = {
  [FERRY_CONNECTOR_KIND_FTP] = { "ftp", N_("FTP"), 21 },
  [FERRY_CONNECTOR_KIND_FTPS_EXPLICIT] = { "ftps-explicit", N_("FTP over TLS (explicit)"), 21 },
  [FERRY_CONNECTOR_KIND_FTPS_IMPLICIT] = { "ftps-implicit", N_("FTP over TLS (implicit)"), 990 },
  [FERRY_CONNECTOR_KIND_SFTP] = { "sftp", N_("SFTP"), 22 },
  [FERRY_CONNECTOR_KIND_WEBDAV] = { "webdav", N_("WebDAV"), 80 },
  [FERRY_CONNECTOR_KIND_WEBDAVS] = { "webdavs", N_("WebDAV over TLS"), 443 },
  [FERRY_CONNECTOR_KIND_SMB] = { "smb", N_("SMB (Windows share)"), 445 },
  [FERRY_CONNECTOR_KIND_LOCAL] = { "local", N_("This Computer"), 0 },
  /* Its address is a whole GIO URI, port included: no port of its own. */
  [FERRY_CONNECTOR_KIND_GIO] = { "gio", N_("GNOME Files Location (through GVfs)"), 0 },
};

const char *
ferry_connector_kind_to_string (FerryConnectorKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kinds), NULL);
  return kinds[kind].token;
}

gboolean
ferry_connector_kind_from_string (const char         *string,
                                  FerryConnectorKind *kind)
{
  g_return_val_if_fail (string != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      if (g_str_equal (string, kinds[i].token))
        {
          if (kind != NULL)
            *kind = (FerryConnectorKind) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
ferry_connector_kind_get_label (FerryConnectorKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kinds), NULL);
  return _(kinds[kind].label);
}

guint16
ferry_connector_kind_get_default_port (FerryConnectorKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kinds), 0);
  return kinds[kind].port;
}

gboolean
ferry_connector_kind_uses_tls (FerryConnectorKind kind)
{
  return kind == FERRY_CONNECTOR_KIND_FTPS_EXPLICIT || kind == FERRY_CONNECTOR_KIND_FTPS_IMPLICIT
         || kind == FERRY_CONNECTOR_KIND_WEBDAVS;
}

gboolean
ferry_connector_kind_has_domain (FerryConnectorKind kind)
{
  return kind == FERRY_CONNECTOR_KIND_SMB;
}

static void
set_string (FerryConnector *self,
            char          **field,
            const char     *value,
            int             prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
ferry_connector_finalize (GObject *object)
{
  FerryConnector *self = FERRY_CONNECTOR (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->server);
  g_free (self->username);
  g_free (self->pin);
  g_free (self->domain);
  g_free (self->folder);

  G_OBJECT_CLASS (ferry_connector_parent_class)->finalize (object);
}

static void
ferry_connector_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FerryConnector *self = FERRY_CONNECTOR (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_SERVER:
      g_value_set_string (value, self->server);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_PIN:
      g_value_set_string (value, self->pin);
      break;
    case PROP_DOMAIN:
      g_value_set_string (value, self->domain);
      break;
    case PROP_FOLDER:
      g_value_set_string (value, self->folder);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_connector_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FerryConnector *self = FERRY_CONNECTOR (object);

  switch (prop_id)
    {
    case PROP_ID:
      /* Construct-only: a connector keeps its id for life. */
      self->id = g_value_get_string (value) != NULL ? g_value_dup_string (value)
                                                    : g_uuid_string_random ();
      break;
    case PROP_NAME:
      ferry_connector_set_name (self, g_value_get_string (value));
      break;
    case PROP_KIND:
      ferry_connector_set_kind (self, g_value_get_enum (value));
      break;
    case PROP_SERVER:
      ferry_connector_set_server (self, g_value_get_string (value));
      break;
    case PROP_PORT:
      ferry_connector_set_port (self, (guint16) g_value_get_uint (value));
      break;
    case PROP_USERNAME:
      ferry_connector_set_username (self, g_value_get_string (value));
      break;
    case PROP_PIN:
      ferry_connector_set_pin (self, g_value_get_string (value));
      break;
    case PROP_DOMAIN:
      ferry_connector_set_domain (self, g_value_get_string (value));
      break;
    case PROP_FOLDER:
      ferry_connector_set_folder (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_connector_class_init (FerryConnectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ferry_connector_finalize;
  object_class->get_property = ferry_connector_get_property;
  object_class->set_property = ferry_connector_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, FERRY_TYPE_CONNECTOR_KIND, FERRY_CONNECTOR_KIND_FTP,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVER] =
    g_param_spec_string ("server", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, 65535, 21,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PIN] =
    g_param_spec_string ("pin", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOMAIN] =
    g_param_spec_string ("domain", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLDER] =
    g_param_spec_string ("folder", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_connector_init (FerryConnector *self)
{
  self->kind = FERRY_CONNECTOR_KIND_FTP;
  self->port = 21;
}

FerryConnector *
ferry_connector_new (FerryConnectorKind kind)
{
  FerryConnector *self = g_object_new (FERRY_TYPE_CONNECTOR, NULL);

  ferry_connector_set_kind (self, kind);
  return self;
}

FerryConnector *
ferry_connector_get_local (void)
{
  static FerryConnector *local;

  if (g_once_init_enter (&local))
    {
      FerryConnector *connector = g_object_new (FERRY_TYPE_CONNECTOR,
                                                "id", "local",
                                                "kind", FERRY_CONNECTOR_KIND_LOCAL,
                                                "name", "local",
                                                NULL);

      g_once_init_leave (&local, connector);
    }
  return local;
}

FerryConnector *
ferry_connector_copy (FerryConnector *self)
{
  FerryConnector *copy;

  g_return_val_if_fail (FERRY_IS_CONNECTOR (self), NULL);

  copy = g_object_new (FERRY_TYPE_CONNECTOR,
                       "id", self->id,
                       "kind", self->kind,
                       "name", self->name,
                       "server", self->server,
                       "username", self->username,
                       "pin", self->pin,
                       "domain", self->domain,
                       "folder", self->folder,
                       NULL);
  copy->port = self->port;
  copy->port_set = self->port_set;
  return copy;
}

const char *
ferry_connector_get_id (FerryConnector *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTOR (self), NULL);
  return self->id;
}

const char *
ferry_connector_get_name (FerryConnector *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTOR (self), NULL);
  return self->name;
}

void
ferry_connector_set_name (FerryConnector *self,
                          const char     *name)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (FERRY_IS_CONNECTOR (self));

  if (name != NULL)
    trimmed = g_strstrip (g_strdup (name));
  set_string (self, &self->name, trimmed, PROP_NAME);
}

FerryConnectorKind
ferry_connector_get_kind (FerryConnector *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTOR (self), FERRY_CONNECTOR_KIND_FTP);
  return self->kind;
}

void
ferry_connector_set_kind (FerryConnector     *self,
                          FerryConnectorKind  kind)
{
  g_return_if_fail (FERRY_IS_CONNECTOR (self));
  g_return_if_fail ((guint) kind < G_N_ELEMENTS (kinds));

  if (self->kind == kind)
    return;
  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);

  /* The port follows the type until the user picks one. */
  if (!self->port_set && self->port != kinds[kind].port)
    {
      self->port = kinds[kind].port;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
    }
}

const char *
ferry_connector_get_server (FerryConnector *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTOR (self), NULL);
  return self->server;
}

void
ferry_connector_set_server (FerryConnector *self,
                            const char     *server)
{
  g_return_if_fail (FERRY_IS_CONNECTOR (self));
  set_string (self, &self->server, server, PROP_SERVER);
}

guint16
ferry_connector_get_port (FerryConnector *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTOR (self), 0);
  return self->port;
}

void
ferry_connector_set_port (FerryConnector *self,
                          guint16         port)
{
  g_return_if_fail (FERRY_IS_CONNECTOR (self));

  self->port_set = TRUE;
  if (self->port == port)
    return;
  self->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

gboolean
_ferry_connector_get_port_set (FerryConnector *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTOR (self), FALSE);
  return self->port_set;
}

const char *
ferry_connector_get_username (FerryConnector *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTOR (self), NULL);
  return self->username;
}

void
ferry_connector_set_username (FerryConnector *self,
                              const char     *username)
{
  g_return_if_fail (FERRY_IS_CONNECTOR (self));
  set_string (self, &self->username, username, PROP_USERNAME);
}

const char *
ferry_connector_get_pin (FerryConnector *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTOR (self), NULL);
  return self->pin;
}

void
ferry_connector_set_pin (FerryConnector *self,
                         const char     *pin)
{
  g_return_if_fail (FERRY_IS_CONNECTOR (self));
  set_string (self, &self->pin, pin != NULL && *pin != '\0' ? pin : NULL, PROP_PIN);
}

const char *
ferry_connector_get_domain (FerryConnector *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTOR (self), NULL);
  return self->domain;
}

void
ferry_connector_set_domain (FerryConnector *self,
                            const char     *domain)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (FERRY_IS_CONNECTOR (self));

  if (domain != NULL)
    trimmed = g_strstrip (g_strdup (domain));
  set_string (self, &self->domain, trimmed != NULL && *trimmed != '\0' ? trimmed : NULL, PROP_DOMAIN);
}

const char *
ferry_connector_get_folder (FerryConnector *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTOR (self), NULL);
  return self->folder;
}

void
ferry_connector_set_folder (FerryConnector *self,
                            const char     *folder)
{
  g_return_if_fail (FERRY_IS_CONNECTOR (self));
  set_string (self, &self->folder, folder != NULL && *folder != '\0' ? folder : NULL, PROP_FOLDER);
}

gboolean
ferry_connector_set_address (FerryConnector  *self,
                             const char      *text,
                             gboolean         keep_kind,
                             GError         **error)
{
  g_autoptr(FerryAddress) address = NULL;

  g_return_val_if_fail (FERRY_IS_CONNECTOR (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  /* A GNOME Files location is kept whole, as GIO opens it: chosen as the
   * type, or named by a scheme only GVfs knows. */
  if (self->kind == FERRY_CONNECTOR_KIND_GIO
      || (!keep_kind && ferry_gio_location_is_gvfs_only (text)))
    {
      g_autofree char *uri = NULL;
      g_autofree char *user = NULL;

      if (!ferry_gio_location_parse (text, &uri, &user, error))
        return FALSE;
      g_object_freeze_notify (G_OBJECT (self));
      ferry_connector_set_kind (self, FERRY_CONNECTOR_KIND_GIO);
      ferry_connector_set_server (self, uri);
      if (user != NULL)
        ferry_connector_set_username (self, user);
      g_object_thaw_notify (G_OBJECT (self));
      return TRUE;
    }

  address = ferry_address_parse (text, error);
  if (address == NULL)
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  if (address->has_kind && !keep_kind)
    ferry_connector_set_kind (self, address->kind);
  ferry_connector_set_server (self, address->host);
  if (address->port != 0)
    ferry_connector_set_port (self, address->port);
  if (address->username != NULL)
    ferry_connector_set_username (self, address->username);
  if (address->domain != NULL)
    ferry_connector_set_domain (self, address->domain);
  if (address->path != NULL)
    ferry_connector_set_folder (self, address->path);
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

gboolean
_ferry_connector_set_address (FerryConnector  *self,
                              const char      *text,
                              GError         **error)
{
  return ferry_connector_set_address (self, text, FALSE, error);
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
ferry_connector_validate (FerryConnector  *self,
                          GError         **error)
{
  g_return_val_if_fail (FERRY_IS_CONNECTOR (self), FALSE);

  if (self->name == NULL || *self->name == '\0')
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                           _("Give the connector a name"));
      return FALSE;
    }
  if (has_control_character (self->name) || !g_utf8_validate (self->name, -1, NULL))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                           _("The name contains a control character"));
      return FALSE;
    }
  if (g_utf8_strlen (self->name, -1) > MAX_NAME_LENGTH)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                   _("The name is longer than %d characters"), MAX_NAME_LENGTH);
      return FALSE;
    }
  if (self->kind == FERRY_CONNECTOR_KIND_LOCAL)
    return TRUE;
  if (self->kind == FERRY_CONNECTOR_KIND_GIO)
    {
      g_autofree char *uri = NULL;
      g_autofree char *user = NULL;

      if (!ferry_gio_location_parse (self->server != NULL ? self->server : "", &uri, &user, error))
        return FALSE;
      if (self->domain != NULL)
        {
          g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                               _("Only SMB connectors have a domain or workgroup"));
          return FALSE;
        }
      if (self->username != NULL && has_control_character (self->username))
        {
          g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                               _("The user name contains a control character"));
          return FALSE;
        }
      return TRUE;
    }
  if (!ferry_address_check_host (self->server != NULL ? self->server : "", error))
    return FALSE;
  if (self->port == 0)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                           _("The port must be between 1 and 65535"));
      return FALSE;
    }
  if (self->username != NULL && has_control_character (self->username))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                           _("The user name contains a control character"));
      return FALSE;
    }
  if (self->domain != NULL)
    {
      if (!ferry_connector_kind_has_domain (self->kind))
        {
          g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                               _("Only SMB connectors have a domain or workgroup"));
          return FALSE;
        }
      if (has_control_character (self->domain) || !g_utf8_validate (self->domain, -1, NULL)
          || strpbrk (self->domain, "\\/;@:") != NULL)
        {
          g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                               _("The domain may not contain control characters or any of \\ / ; @ :"));
          return FALSE;
        }
      if (g_utf8_strlen (self->domain, -1) > MAX_DOMAIN_LENGTH)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                       _("The domain is longer than %d characters"), MAX_DOMAIN_LENGTH);
          return FALSE;
        }
    }
  if (self->folder != NULL && (self->folder[0] != '/' || has_control_character (self->folder)
                               || !g_utf8_validate (self->folder, -1, NULL)))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                           _("The start folder must be a path from the server’s root, such as /site"));
      return FALSE;
    }
  return TRUE;
}

char *
ferry_connector_dup_display (FerryConnector *self)
{
  g_autofree char *host = NULL;

  g_return_val_if_fail (FERRY_IS_CONNECTOR (self), NULL);

  if (self->kind == FERRY_CONNECTOR_KIND_LOCAL)
    return g_strdup (_("This computer"));
  /* The location as GNOME Files shows it, user and all. */
  if (self->kind == FERRY_CONNECTOR_KIND_GIO)
    return g_strdup (self->server != NULL ? self->server : "");
  host = ferry_address_format_host (self->server != NULL ? self->server : "");
  if (self->username != NULL && *self->username != '\0')
    return g_strdup_printf ("%s@%s", self->username, host);
  return g_steal_pointer (&host);
}

static gboolean
is_ftp_family (FerryConnectorKind kind)
{
  return kind == FERRY_CONNECTOR_KIND_FTP || kind == FERRY_CONNECTOR_KIND_FTPS_EXPLICIT
         || kind == FERRY_CONNECTOR_KIND_FTPS_IMPLICIT;
}

char *
ferry_connector_dup_url (FerryConnector *self,
                         const char     *path)
{
  g_autofree char *host = NULL;
  g_autofree char *escaped = NULL;
  const char *scheme;

  g_return_val_if_fail (FERRY_IS_CONNECTOR (self), NULL);

  if (self->kind == FERRY_CONNECTOR_KIND_GIO)
    return ferry_gio_location_child_uri (self->server != NULL ? self->server : "", path != NULL ? path : "/");

  switch (self->kind)
    {
    case FERRY_CONNECTOR_KIND_FTPS_IMPLICIT:
      scheme = "ftps";
      break;
    case FERRY_CONNECTOR_KIND_SFTP:
      scheme = "sftp";
      break;
    case FERRY_CONNECTOR_KIND_LOCAL:
      scheme = "file";
      break;
    case FERRY_CONNECTOR_KIND_WEBDAV:
      scheme = "http";
      break;
    case FERRY_CONNECTOR_KIND_WEBDAVS:
      scheme = "https";
      break;
    case FERRY_CONNECTOR_KIND_SMB:
      scheme = "smb";
      break;
    case FERRY_CONNECTOR_KIND_FTP:
    case FERRY_CONNECTOR_KIND_FTPS_EXPLICIT:
    default:
      /* Explicit TLS is demanded with CURLOPT_USE_SSL, not by the scheme. */
      scheme = "ftp";
      break;
    }

  host = ferry_address_format_host (self->server != NULL ? self->server : "");
  /* No path: the login folder ("/" is relative to it in an FTP URL, and
   * "/~/" is the home folder for libcurl's SFTP). */
  if (path == NULL && self->kind == FERRY_CONNECTOR_KIND_SFTP)
    return g_strdup_printf ("%s://%s:%u/~/", scheme, host, self->port);
  /* WebDAV and SMB have no login folder: the server's root. */
  if (path == NULL && self->kind != FERRY_CONNECTOR_KIND_LOCAL)
    return g_strdup_printf ("%s://%s:%u/", scheme, host, self->port);
  if (path == NULL || *path == '\0')
    path = "/";
  escaped = g_uri_escape_string (path, "/", FALSE);
  if (self->kind == FERRY_CONNECTOR_KIND_LOCAL)
    return g_strdup_printf ("file://%s", escaped);

  /* A path is absolute from the server's root on every kind. An FTP URL's
   * path is relative to the login folder (RFC 1738); "%2F" as its first
   * segment makes it absolute, which libcurl sends as "/…" (its docs,
   * "FTP URLs"). */
  if (is_ftp_family (self->kind) && path[0] == '/')
    return g_strdup_printf ("%s://%s:%u/%%2F%s", scheme, host, self->port, escaped + 1);
  return g_strdup_printf ("%s://%s:%u%s%s", scheme, host, self->port,
                          path[0] == '/' ? "" : "/", escaped);
}
