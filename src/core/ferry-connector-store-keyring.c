/* ferry-connector-store-keyring.c: the keyring work of the connector store
 * (see ferry-connector-store.h): the schema, searching with an honest answer
 * about locked items, and loading, saving, removing and looking up items.
 * Runs in any thread and touches no model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "ferry-connector-store-private.h"
#include "ferry-error.h"

#define SCHEMA_VERSION "1"

/* The items the last load found, by connector id: a lookup asks the one it
 * wants for its secret (one D-Bus call) instead of searching again (about
 * ten: search, unlock, the check for locked items, the item's properties).
 * An item deleted, replaced or locked since then answers with an error,
 * and the lookup searches as before. */
static GMutex      loaded_lock;
static GHashTable *loaded_items;   /* char* id → SecretItem* */

static void
unref_item (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
}

/* Called for each item a load found, into a table that replaces
 * loaded_items once the load is done. */
static void
remember_item (GHashTable *table,
               const char *id,
               SecretItem *item)
{
  /* Two items for one id (an interrupted save): the search decides. */
  if (g_hash_table_contains (table, id))
    g_hash_table_insert (table, g_strdup (id), NULL);
  else
    g_hash_table_insert (table, g_strdup (id), g_object_ref (item));
}

static void
remember_items (GHashTable *table)
{
  g_mutex_lock (&loaded_lock);
  g_clear_pointer (&loaded_items, g_hash_table_unref);
  loaded_items = g_hash_table_ref (table);
  g_mutex_unlock (&loaded_lock);
}

static SecretItem *
remembered_item (const char *id)
{
  SecretItem *item = NULL;

  g_mutex_lock (&loaded_lock);
  if (loaded_items != NULL && (item = g_hash_table_lookup (loaded_items, id)) != NULL)
    g_object_ref (item);
  g_mutex_unlock (&loaded_lock);
  return item;
}

static void
forget_item (const char *id)
{
  g_mutex_lock (&loaded_lock);
  if (loaded_items != NULL)
    g_hash_table_remove (loaded_items, id);
  g_mutex_unlock (&loaded_lock);
}

static const SecretSchema *
connector_schema (void)
{
  static const SecretSchema schema = {
    APPLICATION_ID, SECRET_SCHEMA_NONE,
    {
      { "id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "name", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "port", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "pin", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "domain", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "folder", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "ferry-version", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
keyring_error (GError       **error,
               const GError  *cause)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CANCELLED, cause->message);
      return;
    }
  if (cause->domain == SECRET_ERROR && cause->code == SECRET_ERROR_IS_LOCKED)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_KEYRING,
                           _("The keyring is locked. Unlock it to use your saved connectors."));
      return;
    }
  if (strstr (cause->message, "locked") != NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_KEYRING,
                   _("The keyring is locked. Unlock it to use your saved connectors. (%s)"),
                   cause->message);
      return;
    }
  g_set_error (error, FERRY_ERROR, FERRY_ERROR_KEYRING,
               _("The system keyring is not available, and Ferry keeps passwords nowhere else. "
                 "Start a keyring service such as GNOME Keyring and try again. (%s)"),
               cause->message);
}

static SecretService *
keyring_service (GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  SecretService *service;

  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, cancellable, &local_error);
  if (service == NULL)
    keyring_error (error, local_error);
  return service;
}

/* Asks the Secret Service itself whether any item matching `attributes` is
 * still locked. SecretItem's "locked" is a cached D-Bus property that lags
 * behind when the process does not iterate the context the service was made
 * on (a CLI, a worker thread), so it cannot be trusted alone. */
static gboolean
keyring_any_locked (SecretService  *service,
                    GHashTable     *attributes,
                    GCancellable   *cancellable,
                    gboolean       *any_locked,
                    GError        **error)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) locked = NULL;
  GVariantBuilder builder;
  GHashTableIter iter;
  gpointer key, value;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&builder, "{ss}", "xdg:schema", connector_schema ()->name);
  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_variant_builder_add (&builder, "{ss}", (const char *) key, (const char *) value);

  reply = g_dbus_proxy_call_sync (G_DBUS_PROXY (service), "SearchItems",
                                  g_variant_new ("(a{ss})", &builder),
                                  G_DBUS_CALL_FLAGS_NONE, -1, cancellable, error);
  if (reply == NULL)
    return FALSE;
  locked = g_variant_get_child_value (reply, 1);
  *any_locked = g_variant_n_children (locked) > 0;
  return TRUE;
}

/* Every item of our schema matching `attributes`, unlocked (the Secret
 * Service asks the user to unlock when it must), or FERRY_ERROR_KEYRING. */
static GList *
keyring_search (SecretService  *service,
                GHashTable     *attributes,
                GCancellable   *cancellable,
                GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean any_locked = FALSE;
  GList *items;

  items = secret_service_search_sync (service, connector_schema (), attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK,
                                      cancellable, &local_error);
  if (local_error == NULL)
    keyring_any_locked (service, attributes, cancellable, &any_locked, &local_error);
  if (local_error != NULL)
    {
      keyring_error (error, local_error);
      g_list_free_full (items, g_object_unref);
      return NULL;
    }
  for (GList *l = items; l != NULL && !any_locked; l = l->next)
    any_locked = secret_item_get_locked (l->data);
  if (any_locked)
    {
      /* The unlock prompt was dismissed, or there is none to show. */
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_KEYRING,
                           _("The keyring is locked. Unlock it to use your saved connectors."));
      g_list_free_full (items, g_object_unref);
      return NULL;
    }
  return items;
}

static FerryConnector *
connector_from_attributes (GHashTable *attributes)
{
  const char *id = g_hash_table_lookup (attributes, "id");
  const char *kind_token = g_hash_table_lookup (attributes, "kind");
  const char *port_text = g_hash_table_lookup (attributes, "port");
  FerryConnectorKind kind;
  FerryConnector *connector;
  guint64 port = 0;

  if (id == NULL || kind_token == NULL || !ferry_connector_kind_from_string (kind_token, &kind)
      || kind == FERRY_CONNECTOR_KIND_LOCAL)
    return NULL;

  connector = g_object_new (FERRY_TYPE_CONNECTOR,
                            "id", id,
                            "kind", kind,
                            "name", g_hash_table_lookup (attributes, "name"),
                            "server", g_hash_table_lookup (attributes, "server"),
                            "username", g_hash_table_lookup (attributes, "username"),
                            "pin", g_hash_table_lookup (attributes, "pin"),
                            /* Absent from items saved before they existed: NULL. */
                            "domain", g_hash_table_lookup (attributes, "domain"),
                            "folder", g_hash_table_lookup (attributes, "folder"),
                            NULL);
  /* A port other than the type's default was the user's choice; the default
   * keeps following the type, as it did when the connector was authorized. */
  if (port_text != NULL && g_ascii_string_to_unsigned (port_text, 10, 1, 65535, &port, NULL)
      && port != ferry_connector_kind_get_default_port (kind))
    ferry_connector_set_port (connector, (guint16) port);
  return connector;
}

static GHashTable *
attributes_for (FerryConnector *connector)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  const char *pin = ferry_connector_get_pin (connector);
  const char *username = ferry_connector_get_username (connector);
  const char *domain = ferry_connector_get_domain (connector);
  const char *folder = ferry_connector_get_folder (connector);

  g_hash_table_insert (attributes, "id", g_strdup (ferry_connector_get_id (connector)));
  g_hash_table_insert (attributes, "name", g_strdup (ferry_connector_get_name (connector)));
  g_hash_table_insert (attributes, "kind",
                       g_strdup (ferry_connector_kind_to_string (ferry_connector_get_kind (connector))));
  g_hash_table_insert (attributes, "server", g_strdup (ferry_connector_get_server (connector)));
  g_hash_table_insert (attributes, "port", g_strdup_printf ("%u", ferry_connector_get_port (connector)));
  g_hash_table_insert (attributes, "username", g_strdup (username != NULL ? username : ""));
  g_hash_table_insert (attributes, "pin", g_strdup (pin != NULL ? pin : ""));
  g_hash_table_insert (attributes, "domain", g_strdup (domain != NULL ? domain : ""));
  g_hash_table_insert (attributes, "folder", g_strdup (folder != NULL ? folder : ""));
  g_hash_table_insert (attributes, "ferry-version", g_strdup (SCHEMA_VERSION));
  return attributes;
}

GPtrArray *
_ferry_connector_store_keyring_load (GCancellable  *cancellable,
                                     GError       **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GPtrArray) connectors = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unref_item);
  g_autoptr(GError) local_error = NULL;
  GList *items;

  service = keyring_service (cancellable, error);
  if (service == NULL)
    return NULL;

  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  items = keyring_search (service, attributes, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) item_attributes = secret_item_get_attributes (l->data);
      FerryConnector *connector = connector_from_attributes (item_attributes);
      const char *id = g_hash_table_lookup (item_attributes, "id");

      if (id != NULL)
        remember_item (found, id, l->data);
      if (connector != NULL)
        g_ptr_array_add (connectors, connector);
    }
  remember_items (found);
  g_list_free_full (items, g_object_unref);

  g_ptr_array_sort (connectors, _ferry_connector_store_compare);
  return g_steal_pointer (&connectors);
}

/* The keyring is the authority on which names are taken: FALSE with
 * FERRY_ERROR_EXISTS when another id has `connector`'s name. `stale` gets
 * the items of `connector`'s own id, to drop once the new one is stored. */
static gboolean
keyring_claim (SecretService   *service,
               FerryConnector  *connector,
               GList          **stale,
               GCancellable    *cancellable,
               GError         **error)
{
  g_autoptr(GHashTable) everything = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) local_error = NULL;
  GList *items;
  gboolean ok = TRUE;

  items = keyring_search (service, everything, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  for (GList *l = items; l != NULL && ok; l = l->next)
    {
      g_autoptr(GHashTable) item_attributes = secret_item_get_attributes (l->data);
      const char *id = g_hash_table_lookup (item_attributes, "id");
      const char *name = g_hash_table_lookup (item_attributes, "name");

      if (g_strcmp0 (id, ferry_connector_get_id (connector)) == 0)
        *stale = g_list_prepend (*stale, g_object_ref (l->data));
      else if (name != NULL && _ferry_connector_store_same_name (name, ferry_connector_get_name (connector)))
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_EXISTS,
                       _("A connector named “%s” already exists; choose another name"), name);
          ok = FALSE;
        }
    }
  g_list_free_full (items, g_object_unref);
  return ok;
}

/* Drops the items `stale` that the new item with `attributes` did not
 * replace already. */
static gboolean
keyring_drop_stale (GList         *stale,
                    GHashTable    *attributes,
                    GCancellable  *cancellable,
                    GError       **error)
{
  for (GList *l = stale; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) old = secret_item_get_attributes (l->data);
      g_autoptr(GError) local_error = NULL;
      gboolean identical = g_hash_table_size (old) >= g_hash_table_size (attributes);
      GHashTableIter iter;
      gpointer key, val;

      g_hash_table_iter_init (&iter, attributes);
      while (identical && g_hash_table_iter_next (&iter, &key, &val))
        identical = g_strcmp0 (g_hash_table_lookup (old, key), val) == 0;

      /* Storing with identical attributes replaced that item already. */
      if (!identical && !secret_item_delete_sync (l->data, cancellable, &local_error))
        {
          keyring_error (error, local_error);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
_ferry_connector_store_keyring_save (FerryConnector  *connector,
                                     const char      *password,
                                     GCancellable    *cancellable,
                                     GError         **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *display = NULL;
  GList *stale = NULL;
  gboolean ok;

  if (ferry_connector_get_kind (connector) == FERRY_CONNECTOR_KIND_LOCAL)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                           _("This computer is built in and is not saved in the keyring"));
      return FALSE;
    }
  if (!ferry_connector_validate (connector, error))
    return FALSE;

  service = keyring_service (cancellable, error);
  if (service == NULL)
    return FALSE;
  /* The next lookup asks the keyring afresh. */
  forget_item (ferry_connector_get_id (connector));
  if (!keyring_claim (service, connector, &stale, cancellable, error))
    {
      g_list_free_full (stale, g_object_unref);
      return FALSE;
    }

  attributes = attributes_for (connector);
  display = ferry_connector_dup_display (connector);
  label = g_strdup_printf ("Ferry: %s (%s)", ferry_connector_get_name (connector), display);
  value = secret_value_new (password != NULL ? password : "", -1, "text/plain");

  /* Store the new item first, then drop the old one: a failure in between
   * leaves a duplicate, never a lost connector. */
  ok = secret_service_store_sync (service, connector_schema (), attributes,
                                  SECRET_COLLECTION_DEFAULT, label, value,
                                  cancellable, &local_error);
  if (!ok)
    keyring_error (error, local_error);
  else
    ok = keyring_drop_stale (stale, attributes, cancellable, error);
  g_list_free_full (stale, g_object_unref);
  return ok;
}

/* The items of the connector `id`, through the same unlocked search as
 * everywhere, so a locked keyring reads as locked rather than as a missing
 * item. NULL with `error` set, or NULL for none. */
static GList *
keyring_items_with_id (const char    *id,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  service = keyring_service (cancellable, error);
  if (service == NULL)
    return NULL;
  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attributes, "id", (gpointer) id);
  return keyring_search (service, attributes, cancellable, error);
}

gboolean
_ferry_connector_store_keyring_remove (const char    *id,
                                       GCancellable  *cancellable,
                                       GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  GList *items;

  forget_item (id);
  /* Not secret_service_clear_sync(): on a locked keyring it reports
   * nothing deleted and no error, and the connector would seem gone. */
  items = keyring_items_with_id (id, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  for (GList *l = items; l != NULL && local_error == NULL; l = l->next)
    secret_item_delete_sync (l->data, cancellable, &local_error);
  g_list_free_full (items, g_object_unref);
  if (local_error != NULL)
    {
      keyring_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

char *
_ferry_connector_store_keyring_lookup (const char    *id,
                                       GCancellable  *cancellable,
                                       GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(SecretItem) remembered = remembered_item (id);
  const char *text = NULL;
  GList *items;

  if (remembered != NULL && secret_item_load_secret_sync (remembered, cancellable, NULL) &&
      (value = secret_item_get_secret (remembered)) != NULL &&
      (text = secret_value_get_text (value)) != NULL)
    return g_strdup (text);
  g_clear_pointer (&value, secret_value_unref);
  text = NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  items = keyring_items_with_id (id, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (items != NULL && secret_item_load_secret_sync (items->data, cancellable, &local_error))
    value = secret_item_get_secret (items->data);
  g_list_free_full (items, g_object_unref);
  if (local_error != NULL)
    {
      keyring_error (error, local_error);
      return NULL;
    }
  if (value != NULL)
    text = secret_value_get_text (value);
  if (text == NULL)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                           _("The keyring has no password for this connector; reauthorize it"));
      return NULL;
    }
  return g_strdup (text);
}
