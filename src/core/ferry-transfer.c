/* ferry-transfer.c: the transfer model and its key-file form.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-error.h"
#include "ferry-connector.h"
#include "ferry-filter.h"
#include "ferry-transfer.h"

#define GROUP "Transfer"

struct _FerryTransfer
{
  GObject parent_instance;

  char *id;
  char *name;
  char *source_connector_id;
  char *source_path;
  char *destination_connector_id;
  char *destination_path;
  guint connections;
  FerryExistingPolicy existing_policy;
  char **includes;
  char **excludes;
  gboolean skip_hidden;
  guint64 max_size;
  gboolean delete_extra;
  guint64 bandwidth_limit;
  gboolean paths_absolute;  /* FALSE: saved before FTP paths were absolute */
};

G_DEFINE_FINAL_TYPE (FerryTransfer, ferry_transfer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* g_set_str() arrives with GLib 2.76. */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static const char * const policy_names[] = {
  [FERRY_EXISTING_SKIP_IDENTICAL] = "skip-identical",
  [FERRY_EXISTING_OVERWRITE] = "overwrite",
  [FERRY_EXISTING_KEEP_BOTH] = "keep-both",
};

const char *
ferry_existing_policy_to_string (FerryExistingPolicy policy)
{
  g_return_val_if_fail (policy <= FERRY_EXISTING_KEEP_BOTH, NULL);
  return policy_names[policy];
}

gboolean
ferry_existing_policy_from_string (const char          *string,
                                   FerryExistingPolicy *policy)
{
  for (guint i = 0; i < G_N_ELEMENTS (policy_names); i++)
    {
      if (g_strcmp0 (string, policy_names[i]) == 0)
        {
          *policy = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
ferry_transfer_finalize (GObject *object)
{
  FerryTransfer *self = FERRY_TRANSFER (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->source_connector_id);
  g_free (self->source_path);
  g_free (self->destination_connector_id);
  g_free (self->destination_path);
  g_strfreev (self->includes);
  g_strfreev (self->excludes);

  G_OBJECT_CLASS (ferry_transfer_parent_class)->finalize (object);
}

static void
ferry_transfer_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FerryTransfer *self = FERRY_TRANSFER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_transfer_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FerryTransfer *self = FERRY_TRANSFER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_free (self->id);
      self->id = g_value_dup_string (value);
      if (self->id == NULL)
        self->id = g_uuid_string_random ();
      break;
    case PROP_NAME:
      ferry_transfer_set_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_transfer_class_init (FerryTransferClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ferry_transfer_finalize;
  object_class->get_property = ferry_transfer_get_property;
  object_class->set_property = ferry_transfer_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_transfer_init (FerryTransfer *self)
{
  self->connections = FERRY_TRANSFER_DEFAULT_CONNECTIONS;
  self->existing_policy = FERRY_EXISTING_SKIP_IDENTICAL;
  self->source_path = g_strdup ("/");
  self->destination_path = g_strdup ("/");
  self->paths_absolute = TRUE;
}

FerryTransfer *
ferry_transfer_new (void)
{
  return g_object_new (FERRY_TYPE_TRANSFER, "id", NULL, NULL);
}

const char *
ferry_transfer_get_id (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);
  return self->id;
}

const char *
ferry_transfer_get_name (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);
  return self->name;
}

void
ferry_transfer_set_name (FerryTransfer *self,
                         const char    *name)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));
  if (set_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

#define STRING_ACCESSORS(field)                                         \
  const char *                                                          \
  ferry_transfer_get_##field (FerryTransfer *self)                      \
  {                                                                     \
    g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);              \
    return self->field;                                                 \
  }                                                                     \
  void                                                                  \
  ferry_transfer_set_##field (FerryTransfer *self,                      \
                              const char    *value)                     \
  {                                                                     \
    g_return_if_fail (FERRY_IS_TRANSFER (self));                        \
    set_string (&self->field, value);                                    \
  }

STRING_ACCESSORS (source_connector_id)
STRING_ACCESSORS (source_path)
STRING_ACCESSORS (destination_connector_id)
STRING_ACCESSORS (destination_path)

gboolean
ferry_transfer_get_paths_absolute (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), TRUE);
  return self->paths_absolute;
}

void
ferry_transfer_set_paths_absolute (FerryTransfer *self,
                                   gboolean       absolute)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));
  self->paths_absolute = absolute;
}

guint
ferry_transfer_get_connections (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), 0);
  return self->connections;
}

void
ferry_transfer_set_connections (FerryTransfer *self,
                                guint          connections)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));
  self->connections = connections;
}

FerryExistingPolicy
ferry_transfer_get_existing_policy (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), FERRY_EXISTING_SKIP_IDENTICAL);
  return self->existing_policy;
}

void
ferry_transfer_set_existing_policy (FerryTransfer       *self,
                                    FerryExistingPolicy  policy)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));
  self->existing_policy = policy;
}

gboolean
ferry_transfer_validate (FerryTransfer *self,
                         GError       **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (self->name ? self->name : ""));

  g_return_val_if_fail (FERRY_IS_TRANSFER (self), FALSE);

  if (stripped[0] == '\0' ||
      !g_utf8_validate (self->name, -1, NULL) || strchr (self->name, '\n') != NULL)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                           _("A transfer needs a name"));
      return FALSE;
    }
  if (self->source_connector_id == NULL || self->destination_connector_id == NULL)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                           _("A transfer needs a source and a destination connector"));
      return FALSE;
    }
  if (self->source_path == NULL || self->source_path[0] != '/' ||
      self->destination_path == NULL || self->destination_path[0] != '/')
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                           _("Folders must be absolute paths, starting with “/”"));
      return FALSE;
    }
  if (self->connections != FERRY_TRANSFER_CONNECTIONS_AUTO &&
      (self->connections < FERRY_TRANSFER_MIN_CONNECTIONS ||
       self->connections > FERRY_TRANSFER_MAX_CONNECTIONS))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                   _("The number of connections must be between %d and %d"),
                   FERRY_TRANSFER_MIN_CONNECTIONS, FERRY_TRANSFER_MAX_CONNECTIONS);
      return FALSE;
    }
  /* Patterns that can never match are a typing error, not a filter. */
  {
    g_autoptr(FerryFilter) filter = ferry_transfer_dup_filter (self, error);

    if (filter == NULL)
      return FALSE;
  }
  return TRUE;
}

GKeyFile *
ferry_transfer_to_key_file (FerryTransfer *self)
{
  GKeyFile *key_file = g_key_file_new ();

  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);

  g_key_file_set_string (key_file, GROUP, "Id", self->id);
  g_key_file_set_string (key_file, GROUP, "Name", self->name ? self->name : "");
  g_key_file_set_string (key_file, GROUP, "SourceConnector", self->source_connector_id ? self->source_connector_id : "");
  g_key_file_set_string (key_file, GROUP, "SourcePath", self->source_path);
  g_key_file_set_string (key_file, GROUP, "DestinationConnector", self->destination_connector_id ? self->destination_connector_id : "");
  g_key_file_set_string (key_file, GROUP, "DestinationPath", self->destination_path);
  if (self->connections == FERRY_TRANSFER_CONNECTIONS_AUTO)
    g_key_file_set_string (key_file, GROUP, "Connections", "auto");
  else
    g_key_file_set_integer (key_file, GROUP, "Connections", self->connections);
  g_key_file_set_string (key_file, GROUP, "Existing", ferry_existing_policy_to_string (self->existing_policy));
  if (self->paths_absolute)
    g_key_file_set_boolean (key_file, GROUP, "PathsAbsolute", TRUE);
  /* Options a transfer without them leaves out of its file. */
  if (self->includes != NULL && self->includes[0] != NULL)
    g_key_file_set_string_list (key_file, GROUP, "Include", (const char * const *) self->includes,
                                g_strv_length (self->includes));
  if (self->excludes != NULL && self->excludes[0] != NULL)
    g_key_file_set_string_list (key_file, GROUP, "Exclude", (const char * const *) self->excludes,
                                g_strv_length (self->excludes));
  if (self->skip_hidden)
    g_key_file_set_boolean (key_file, GROUP, "SkipHidden", TRUE);
  if (self->max_size > 0)
    g_key_file_set_uint64 (key_file, GROUP, "MaxSize", self->max_size);
  if (self->delete_extra)
    g_key_file_set_boolean (key_file, GROUP, "Delete", TRUE);
  if (self->bandwidth_limit > 0)
    g_key_file_set_uint64 (key_file, GROUP, "BandwidthLimit", self->bandwidth_limit);
  return key_file;
}

FerryTransfer *
ferry_transfer_new_from_key_file (GKeyFile  *key_file,
                                  GError   **error)
{
  g_autoptr(FerryTransfer) self = NULL;
  g_autofree char *id = NULL;
  g_autofree char *policy = NULL;
  const char *keys[] = { "Name", "SourceConnector", "SourcePath",
                         "DestinationConnector", "DestinationPath" };
  char *values[G_N_ELEMENTS (keys)] = { NULL, };
  g_autofree char *connections = NULL;
  gboolean ok = TRUE;

  id = g_key_file_get_string (key_file, GROUP, "Id", error);
  if (id == NULL)
    return NULL;
  self = g_object_new (FERRY_TYPE_TRANSFER, "id", id, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (keys) && ok; i++)
    {
      values[i] = g_key_file_get_string (key_file, GROUP, keys[i], error);
      ok = values[i] != NULL;
    }
  if (ok)
    {
      ferry_transfer_set_name (self, values[0]);
      ferry_transfer_set_source_connector_id (self, values[1]);
      ferry_transfer_set_source_path (self, values[2]);
      ferry_transfer_set_destination_connector_id (self, values[3]);
      ferry_transfer_set_destination_path (self, values[4]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_free (values[i]);
  if (!ok)
    return NULL;

  /* A file without the key (or with a number out of range) keeps the
   * default; "auto" is Automatic. */
  connections = g_key_file_get_value (key_file, GROUP, "Connections", NULL);
  if (connections != NULL)
    {
      guint64 n;

      if (g_strcmp0 (g_strstrip (connections), "auto") == 0)
        self->connections = FERRY_TRANSFER_CONNECTIONS_AUTO;
      else if (g_ascii_string_to_unsigned (connections, 10, FERRY_TRANSFER_MIN_CONNECTIONS,
                                           FERRY_TRANSFER_MAX_CONNECTIONS, &n, NULL))
        self->connections = (guint) n;
    }
  policy = g_key_file_get_string (key_file, GROUP, "Existing", NULL);
  if (policy != NULL)
    ferry_existing_policy_from_string (policy, &self->existing_policy);
  self->includes = g_key_file_get_string_list (key_file, GROUP, "Include", NULL, NULL);
  self->excludes = g_key_file_get_string_list (key_file, GROUP, "Exclude", NULL, NULL);
  self->skip_hidden = g_key_file_get_boolean (key_file, GROUP, "SkipHidden", NULL);
  self->max_size = g_key_file_get_uint64 (key_file, GROUP, "MaxSize", NULL);
  self->delete_extra = g_key_file_get_boolean (key_file, GROUP, "Delete", NULL);
  self->bandwidth_limit = g_key_file_get_uint64 (key_file, GROUP, "BandwidthLimit", NULL);
  /* Without the key, an FTP path was relative to the login folder: the run
   * setup rewrites it once (ferry-run-setup.c). */
  self->paths_absolute = g_key_file_get_boolean (key_file, GROUP, "PathsAbsolute", NULL);

  if (!ferry_transfer_validate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* --- filters and cutover options ------------------------------------------- */

const char * const *
ferry_transfer_get_includes (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);
  return (const char * const *) self->includes;
}

void
ferry_transfer_set_includes (FerryTransfer      *self,
                             const char * const *patterns)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));
  g_strfreev (self->includes);
  self->includes = patterns != NULL && patterns[0] != NULL ? g_strdupv ((char **) patterns) : NULL;
}

const char * const *
ferry_transfer_get_excludes (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);
  return (const char * const *) self->excludes;
}

void
ferry_transfer_set_excludes (FerryTransfer      *self,
                             const char * const *patterns)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));
  g_strfreev (self->excludes);
  self->excludes = patterns != NULL && patterns[0] != NULL ? g_strdupv ((char **) patterns) : NULL;
}

gboolean
ferry_transfer_get_skip_hidden (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), FALSE);
  return self->skip_hidden;
}

void
ferry_transfer_set_skip_hidden (FerryTransfer *self,
                                gboolean       skip_hidden)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));
  self->skip_hidden = !!skip_hidden;
}

guint64
ferry_transfer_get_max_size (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), 0);
  return self->max_size;
}

void
ferry_transfer_set_max_size (FerryTransfer *self,
                             guint64        max_size)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));
  self->max_size = max_size;
}

gboolean
ferry_transfer_get_delete_extra (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), FALSE);
  return self->delete_extra;
}

void
ferry_transfer_set_delete_extra (FerryTransfer *self,
                                 gboolean       delete_extra)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));
  self->delete_extra = !!delete_extra;
}

guint64
ferry_transfer_get_bandwidth_limit (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), 0);
  return self->bandwidth_limit;
}

void
ferry_transfer_set_bandwidth_limit (FerryTransfer *self,
                                    guint64        bytes_per_second)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));
  self->bandwidth_limit = bytes_per_second;
}

FerryFilter *
ferry_transfer_dup_filter (FerryTransfer  *self,
                           GError        **error)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);
  return ferry_filter_new ((const char * const *) self->includes, (const char * const *) self->excludes,
                           self->skip_hidden, self->max_size, error);
}

void
ferry_transfer_copy_options (FerryTransfer *self,
                             FerryTransfer *from)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));
  g_return_if_fail (FERRY_IS_TRANSFER (from));

  self->connections = from->connections;
  self->existing_policy = from->existing_policy;
  ferry_transfer_set_includes (self, (const char * const *) from->includes);
  ferry_transfer_set_excludes (self, (const char * const *) from->excludes);
  self->skip_hidden = from->skip_hidden;
  self->max_size = from->max_size;
  self->delete_extra = from->delete_extra;
  self->bandwidth_limit = from->bandwidth_limit;
}

gboolean
ferry_transfer_needs_keyring (FerryTransfer *self)
{
  const char *local = ferry_connector_get_id (ferry_connector_get_local ());

  g_return_val_if_fail (FERRY_IS_TRANSFER (self), TRUE);
  return g_strcmp0 (self->source_connector_id, local) != 0 ||
         g_strcmp0 (self->destination_connector_id, local) != 0;
}
