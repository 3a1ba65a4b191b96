/* ferry-connector-store.c: saved connectors in the system keyring (see
 * ferry-connector-store.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "ferry-connector-store.h"
#include "ferry-error.h"

#define SCHEMA_VERSION "1"

struct _FerryConnectorStore
{
  GObject parent_instance;

  GPtrArray *connectors;   /* FerryConnector*, sorted by name */
  GMainContext *context;   /* the creator's: the model changes only there */
  GThread *thread;         /* the creator's */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryConnectorStore, ferry_connector_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

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
      { "ferry-version", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

void
ferry_password_free (char *password)
{
  if (password == NULL)
    return;
  explicit_bzero (password, strlen (password));
  g_free (password);
}

/* --- keyring work: runs in any thread, touches no model ------------------ */

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

  g_hash_table_insert (attributes, "id", g_strdup (ferry_connector_get_id (connector)));
  g_hash_table_insert (attributes, "name", g_strdup (ferry_connector_get_name (connector)));
  g_hash_table_insert (attributes, "kind",
                       g_strdup (ferry_connector_kind_to_string (ferry_connector_get_kind (connector))));
  g_hash_table_insert (attributes, "server", g_strdup (ferry_connector_get_server (connector)));
  g_hash_table_insert (attributes, "port", g_strdup_printf ("%u", ferry_connector_get_port (connector)));
  g_hash_table_insert (attributes, "username", g_strdup (username != NULL ? username : ""));
  g_hash_table_insert (attributes, "pin", g_strdup (pin != NULL ? pin : ""));
  g_hash_table_insert (attributes, "ferry-version", g_strdup (SCHEMA_VERSION));
  return attributes;
}

/* By name, ignoring case ("alpha", "Beta", "gamma" in any locale); the id
 * breaks ties so the order is stable. */
static int
compare_connectors (gconstpointer a,
                    gconstpointer b)
{
  FerryConnector *ca = *(FerryConnector **) a;
  FerryConnector *cb = *(FerryConnector **) b;
  g_autofree char *fa = g_utf8_casefold (ferry_connector_get_name (ca), -1);
  g_autofree char *fb = g_utf8_casefold (ferry_connector_get_name (cb), -1);
  g_autofree char *ka = g_utf8_collate_key (fa, -1);
  g_autofree char *kb = g_utf8_collate_key (fb, -1);
  int result = strcmp (ka, kb);

  if (result == 0)
    result = strcmp (fa, fb);
  if (result == 0)
    result = strcmp (ferry_connector_get_id (ca), ferry_connector_get_id (cb));
  return result;
}

static GPtrArray *
keyring_load (GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GPtrArray) connectors = g_ptr_array_new_with_free_func (g_object_unref);
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

      if (connector != NULL)
        g_ptr_array_add (connectors, connector);
    }
  g_list_free_full (items, g_object_unref);

  g_ptr_array_sort (connectors, compare_connectors);
  return g_steal_pointer (&connectors);
}

static gboolean
same_name (const char *a,
           const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a, -1);
  g_autofree char *fb = g_utf8_casefold (b, -1);

  return g_strcmp0 (fa, fb) == 0;
}

static gboolean
keyring_save (FerryConnector  *connector,
              const char      *password,
              GCancellable    *cancellable,
              GError         **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GHashTable) everything = NULL;
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *display = NULL;
  GList *items;
  GList *stale = NULL;

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

  /* The keyring is the authority on which names are taken. */
  everything = g_hash_table_new (g_str_hash, g_str_equal);
  items = keyring_search (service, everything, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) item_attributes = secret_item_get_attributes (l->data);
      const char *id = g_hash_table_lookup (item_attributes, "id");
      const char *name = g_hash_table_lookup (item_attributes, "name");

      if (g_strcmp0 (id, ferry_connector_get_id (connector)) == 0)
        stale = g_list_prepend (stale, g_object_ref (l->data));
      else if (name != NULL && same_name (name, ferry_connector_get_name (connector)))
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_EXISTS,
                       _("A connector named “%s” already exists; choose another name"), name);
          g_list_free_full (items, g_object_unref);
          g_list_free_full (stale, g_object_unref);
          return FALSE;
        }
    }
  g_list_free_full (items, g_object_unref);

  attributes = attributes_for (connector);
  display = ferry_connector_dup_display (connector);
  label = g_strdup_printf ("Ferry: %s (%s)", ferry_connector_get_name (connector), display);
  value = secret_value_new (password != NULL ? password : "", -1, "text/plain");

  /* Store the new item first, then drop the old one: a failure in between
   * leaves a duplicate, never a lost connector. */
  if (!secret_service_store_sync (service, connector_schema (), attributes,
                                  SECRET_COLLECTION_DEFAULT, label, value,
                                  cancellable, &local_error))
    {
      keyring_error (error, local_error);
      g_list_free_full (stale, g_object_unref);
      return FALSE;
    }

  for (GList *l = stale; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) old = secret_item_get_attributes (l->data);
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
          g_list_free_full (stale, g_object_unref);
          return FALSE;
        }
    }
  g_list_free_full (stale, g_object_unref);
  return TRUE;
}

static gboolean
keyring_remove (const char    *id,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) local_error = NULL;
  GList *items;

  service = keyring_service (cancellable, error);
  if (service == NULL)
    return FALSE;

  /* Not secret_service_clear_sync(): on a locked keyring it reports
   * nothing deleted and no error, and the connector would seem gone. */
  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attributes, "id", (gpointer) id);
  items = keyring_search (service, attributes, cancellable, &local_error);
  for (GList *l = items; l != NULL && local_error == NULL; l = l->next)
    secret_item_delete_sync (l->data, cancellable, &local_error);
  g_list_free_full (items, g_object_unref);
  if (local_error != NULL)
    {
      if (local_error->domain == FERRY_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        keyring_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

static char *
keyring_lookup (const char    *id,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SecretValue) value = NULL;
  const char *text = NULL;
  GList *items;

  service = keyring_service (cancellable, error);
  if (service == NULL)
    return NULL;

  /* The same unlocked search as everywhere, so a locked keyring reads as
   * locked here too rather than as a missing password. */
  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attributes, "id", (gpointer) id);
  items = keyring_search (service, attributes, cancellable, &local_error);
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

/* --- the model: the creator's main context only ----------------------------- */

static void
replace_all_now (FerryConnectorStore *self,
                 GPtrArray           *connectors)
{
  guint removed = self->connectors->len;

  g_ptr_array_unref (self->connectors);
  self->connectors = g_ptr_array_ref (connectors);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, connectors->len);
}

static void
apply_saved_now (FerryConnectorStore *self,
                 FerryConnector      *saved)
{
  FerryConnector *existing = ferry_connector_store_find_by_id (self, ferry_connector_get_id (saved));
  g_autoptr(GPtrArray) connectors = g_ptr_array_new_with_free_func (g_object_unref);

  /* Rebuild sorted: the list is short, and a rename moves a row. */
  for (guint i = 0; i < self->connectors->len; i++)
    if (self->connectors->pdata[i] != existing)
      g_ptr_array_add (connectors, g_object_ref (self->connectors->pdata[i]));
  g_ptr_array_add (connectors, ferry_connector_copy (saved));
  g_ptr_array_sort (connectors, compare_connectors);
  replace_all_now (self, connectors);
}

static void
apply_removed_now (FerryConnectorStore *self,
                   const char          *id)
{
  for (guint i = 0; i < self->connectors->len; i++)
    {
      if (g_str_equal (ferry_connector_get_id (self->connectors->pdata[i]), id))
        {
          g_ptr_array_remove_index (self->connectors, i);
          g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 0);
          return;
        }
    }
}

typedef enum
{
  CHANGE_REPLACE_ALL,
  CHANGE_SAVED,
  CHANGE_REMOVED,
} ChangeKind;

typedef struct
{
  FerryConnectorStore *store;
  ChangeKind kind;
  GPtrArray *connectors;       /* CHANGE_REPLACE_ALL */
  FerryConnector *connector;   /* CHANGE_SAVED: a private copy */
  char *id;                    /* CHANGE_REMOVED */
} Change;

static void
change_free (Change *change)
{
  g_clear_object (&change->store);
  g_clear_pointer (&change->connectors, g_ptr_array_unref);
  g_clear_object (&change->connector);
  g_free (change->id);
  g_free (change);
}

static gboolean
change_apply (gpointer data)
{
  Change *change = data;

  switch (change->kind)
    {
    case CHANGE_REPLACE_ALL:
      replace_all_now (change->store, change->connectors);
      break;
    case CHANGE_SAVED:
      apply_saved_now (change->store, change->connector);
      break;
    case CHANGE_REMOVED:
      apply_removed_now (change->store, change->id);
      break;
    default:
      g_assert_not_reached ();
    }
  return G_SOURCE_REMOVE;
}

/* Applies a change on the creator's main context: at once when the caller
 * runs there (the usual case, and the CLI's), else from an idle there — a
 * _sync call made from a worker thread never changes the model under the
 * UI's feet. (Not g_main_context_invoke(): a worker whose thread-default
 * context is the same one would run the change itself whenever the context
 * happens to be free.) */
static void
change_post (FerryConnectorStore *self,
             Change              *change)
{
  g_autoptr(GMainContext) current = g_main_context_ref_thread_default ();
  g_autoptr(GSource) idle = NULL;

  change->store = g_object_ref (self);
  if (g_thread_self () == self->thread && current == self->context)
    {
      change_apply (change);
      change_free (change);
      return;
    }

  idle = g_idle_source_new ();
  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, change_apply, change, (GDestroyNotify) change_free);
  g_source_set_static_name (idle, "[ferry] connector store change");
  g_source_attach (idle, self->context);
}

static void
replace_all (FerryConnectorStore *self,
             GPtrArray           *connectors)
{
  Change *change = g_new0 (Change, 1);

  change->kind = CHANGE_REPLACE_ALL;
  change->connectors = g_ptr_array_ref (connectors);
  change_post (self, change);
}

static void
apply_saved (FerryConnectorStore *self,
             FerryConnector      *saved)
{
  Change *change = g_new0 (Change, 1);

  change->kind = CHANGE_SAVED;
  change->connector = ferry_connector_copy (saved);
  change_post (self, change);
}

static void
apply_removed (FerryConnectorStore *self,
               const char          *id)
{
  Change *change = g_new0 (Change, 1);

  change->kind = CHANGE_REMOVED;
  change->id = g_strdup (id);
  change_post (self, change);
}

static GType
ferry_connector_store_get_item_type (GListModel *model)
{
  return FERRY_TYPE_CONNECTOR;
}

static guint
ferry_connector_store_get_n_items (GListModel *model)
{
  return FERRY_CONNECTOR_STORE (model)->connectors->len;
}

static gpointer
ferry_connector_store_get_item (GListModel *model,
                                guint       position)
{
  FerryConnectorStore *self = FERRY_CONNECTOR_STORE (model);

  if (position >= self->connectors->len)
    return NULL;
  return g_object_ref (self->connectors->pdata[position]);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = ferry_connector_store_get_item_type;
  iface->get_n_items = ferry_connector_store_get_n_items;
  iface->get_item = ferry_connector_store_get_item;
}

static void
ferry_connector_store_finalize (GObject *object)
{
  FerryConnectorStore *self = FERRY_CONNECTOR_STORE (object);

  g_clear_pointer (&self->connectors, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->thread, g_thread_unref);

  G_OBJECT_CLASS (ferry_connector_store_parent_class)->finalize (object);
}

static void
ferry_connector_store_class_init (FerryConnectorStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ferry_connector_store_finalize;
}

static void
ferry_connector_store_init (FerryConnectorStore *self)
{
  self->connectors = g_ptr_array_new_with_free_func (g_object_unref);
  self->context = g_main_context_ref_thread_default ();
  self->thread = g_thread_ref (g_thread_self ());
}

FerryConnectorStore *
ferry_connector_store_new (void)
{
  return g_object_new (FERRY_TYPE_CONNECTOR_STORE, NULL);
}

FerryConnector *
ferry_connector_store_find_by_name (FerryConnectorStore *self,
                                    const char          *name)
{
  g_return_val_if_fail (FERRY_IS_CONNECTOR_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->connectors->len; i++)
    if (same_name (ferry_connector_get_name (self->connectors->pdata[i]), name))
      return self->connectors->pdata[i];
  return NULL;
}

FerryConnector *
ferry_connector_store_find_by_id (FerryConnectorStore *self,
                                  const char          *id)
{
  g_return_val_if_fail (FERRY_IS_CONNECTOR_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < self->connectors->len; i++)
    if (g_str_equal (ferry_connector_get_id (self->connectors->pdata[i]), id))
      return self->connectors->pdata[i];
  return NULL;
}

/* load */

gboolean
ferry_connector_store_load_sync (FerryConnectorStore  *self,
                                 GCancellable         *cancellable,
                                 GError              **error)
{
  g_autoptr(GPtrArray) connectors = NULL;

  g_return_val_if_fail (FERRY_IS_CONNECTOR_STORE (self), FALSE);

  connectors = keyring_load (cancellable, error);
  if (connectors == NULL)
    return FALSE;
  replace_all (self, connectors);
  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *connectors = keyring_load (cancellable, &error);

  if (connectors == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, connectors, (GDestroyNotify) g_ptr_array_unref);
}

void
ferry_connector_store_load_async (FerryConnectorStore *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FERRY_IS_CONNECTOR_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_connector_store_load_async);
  g_task_run_in_thread (task, load_thread);
}

gboolean
ferry_connector_store_load_finish (FerryConnectorStore  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  g_autoptr(GPtrArray) connectors = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  connectors = g_task_propagate_pointer (G_TASK (result), error);
  if (connectors == NULL)
    return FALSE;
  replace_all (self, connectors);
  return TRUE;
}

/* save */

typedef struct
{
  FerryConnector *connector;
  char *password;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_object (&data->connector);
  g_clear_pointer (&data->password, ferry_password_free);
  g_free (data);
}

gboolean
ferry_connector_store_save_sync (FerryConnectorStore  *self,
                                 FerryConnector       *connector,
                                 const char           *password,
                                 GCancellable         *cancellable,
                                 GError              **error)
{
  g_return_val_if_fail (FERRY_IS_CONNECTOR_STORE (self), FALSE);
  g_return_val_if_fail (FERRY_IS_CONNECTOR (connector), FALSE);

  if (!keyring_save (connector, password, cancellable, error))
    return FALSE;
  apply_saved (self, connector);
  return TRUE;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *data = task_data;
  GError *error = NULL;

  if (keyring_save (data->connector, data->password, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
ferry_connector_store_save_async (FerryConnectorStore *self,
                                  FerryConnector      *connector,
                                  const char          *password,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveData *data;

  g_return_if_fail (FERRY_IS_CONNECTOR_STORE (self));
  g_return_if_fail (FERRY_IS_CONNECTOR (connector));

  data = g_new0 (SaveData, 1);
  /* The thread works on a copy: the caller's object stays on its thread. */
  data->connector = ferry_connector_copy (connector);
  data->password = g_strdup (password);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_connector_store_save_async);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
ferry_connector_store_save_finish (FerryConnectorStore  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  SaveData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  apply_saved (self, data->connector);
  return TRUE;
}

/* remove */

gboolean
ferry_connector_store_remove_sync (FerryConnectorStore  *self,
                                   FerryConnector       *connector,
                                   GCancellable         *cancellable,
                                   GError              **error)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (FERRY_IS_CONNECTOR_STORE (self), FALSE);
  g_return_val_if_fail (FERRY_IS_CONNECTOR (connector), FALSE);

  id = g_strdup (ferry_connector_get_id (connector));
  if (!keyring_remove (id, cancellable, error))
    return FALSE;
  apply_removed (self, id);
  return TRUE;
}

static void
remove_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;

  if (keyring_remove (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
ferry_connector_store_remove_async (FerryConnectorStore *self,
                                    FerryConnector      *connector,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FERRY_IS_CONNECTOR_STORE (self));
  g_return_if_fail (FERRY_IS_CONNECTOR (connector));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_connector_store_remove_async);
  g_task_set_task_data (task, g_strdup (ferry_connector_get_id (connector)), g_free);
  g_task_run_in_thread (task, remove_thread);
}

gboolean
ferry_connector_store_remove_finish (FerryConnectorStore  *self,
                                     GAsyncResult         *result,
                                     GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  apply_removed (self, g_task_get_task_data (G_TASK (result)));
  return TRUE;
}

/* lookup */

char *
ferry_connector_store_lookup_password_sync (FerryConnectorStore  *self,
                                            FerryConnector       *connector,
                                            GCancellable         *cancellable,
                                            GError              **error)
{
  g_return_val_if_fail (FERRY_IS_CONNECTOR_STORE (self), NULL);
  g_return_val_if_fail (FERRY_IS_CONNECTOR (connector), NULL);

  return keyring_lookup (ferry_connector_get_id (connector), cancellable, error);
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  char *password = keyring_lookup (task_data, cancellable, &error);

  if (password == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, password, (GDestroyNotify) ferry_password_free);
}

void
ferry_connector_store_lookup_password_async (FerryConnectorStore *self,
                                             FerryConnector      *connector,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FERRY_IS_CONNECTOR_STORE (self));
  g_return_if_fail (FERRY_IS_CONNECTOR (connector));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_connector_store_lookup_password_async);
  g_task_set_task_data (task, g_strdup (ferry_connector_get_id (connector)), g_free);
  g_task_run_in_thread (task, lookup_thread);
}

char *
ferry_connector_store_lookup_password_finish (FerryConnectorStore  *self,
                                              GAsyncResult         *result,
                                              GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
