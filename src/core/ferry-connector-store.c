/* ferry-connector-store.c: saved connectors in the system keyring (see
 * ferry-connector-store.h): the model, and the calls that run the keyring
 * work of ferry-connector-store-keyring.c in a thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ferry-connector-store-private.h"
#include "ferry-error.h"

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

void
ferry_password_free (char *password)
{
  if (password == NULL)
    return;
  explicit_bzero (password, strlen (password));
  g_free (password);
}

/* By name, ignoring case ("alpha", "Beta", "gamma" in any locale); the id
 * breaks ties so the order is stable. */
int
_ferry_connector_store_compare (gconstpointer a,
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

gboolean
_ferry_connector_store_same_name (const char *a,
                                  const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a, -1);
  g_autofree char *fb = g_utf8_casefold (b, -1);

  return g_strcmp0 (fa, fb) == 0;
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
  g_ptr_array_sort (connectors, _ferry_connector_store_compare);
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
    if (_ferry_connector_store_same_name (ferry_connector_get_name (self->connectors->pdata[i]), name))
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

FerryConnector *
ferry_connector_store_find (FerryConnectorStore *self,
                            const char          *name_or_id)
{
  FerryConnector *local = ferry_connector_get_local ();
  FerryConnector *connector;

  g_return_val_if_fail (self == NULL || FERRY_IS_CONNECTOR_STORE (self), NULL);

  if (name_or_id == NULL)
    return NULL;
  /* "local" is both the built-in connector's id and its name. */
  if (g_ascii_strcasecmp (name_or_id, ferry_connector_get_id (local)) == 0)
    return local;
  if (self == NULL)
    return NULL;
  connector = ferry_connector_store_find_by_id (self, name_or_id);
  if (connector == NULL)
    connector = ferry_connector_store_find_by_name (self, name_or_id);
  return connector;
}

/* load */

gboolean
ferry_connector_store_load_sync (FerryConnectorStore  *self,
                                 GCancellable         *cancellable,
                                 GError              **error)
{
  g_autoptr(GPtrArray) connectors = NULL;

  g_return_val_if_fail (FERRY_IS_CONNECTOR_STORE (self), FALSE);

  connectors = _ferry_connector_store_keyring_load (cancellable, error);
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
  GPtrArray *connectors = _ferry_connector_store_keyring_load (cancellable, &error);

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

  if (!_ferry_connector_store_keyring_save (connector, password, cancellable, error))
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

  if (_ferry_connector_store_keyring_save (data->connector, data->password, cancellable, &error))
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
  if (!_ferry_connector_store_keyring_remove (id, cancellable, error))
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

  if (_ferry_connector_store_keyring_remove (task_data, cancellable, &error))
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

  return _ferry_connector_store_keyring_lookup (ferry_connector_get_id (connector), cancellable, error);
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  char *password = _ferry_connector_store_keyring_lookup (task_data, cancellable, &error);

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
