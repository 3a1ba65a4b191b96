/* ferry-run-manager.c: see ferry-run-manager.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ferry-curl.h"
#include "ferry-error.h"
#include "ferry-run-manager.h"
#include "ferry-run-setup.h"
#include "ferry-transfer-lock.h"

struct _FerryRunManager
{
  GObject parent_instance;

  FerryConnectorStore *store;
  GPtrArray           *runs;      /* FerryRun*, the model's items */
  GHashTable          *busy;      /* transfer id → GCancellable, set up or running */
};

static void ferry_run_manager_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryRunManager, ferry_run_manager, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, ferry_run_manager_list_model_init))

enum {
  RUN_STARTED,
  RUN_FINISHED,
  PREVIEW_STARTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
ferry_run_manager_get_item_type (GListModel *model)
{
  return FERRY_TYPE_RUN;
}

static guint
ferry_run_manager_get_n_items (GListModel *model)
{
  return FERRY_RUN_MANAGER (model)->runs->len;
}

static gpointer
ferry_run_manager_get_item (GListModel *model,
                            guint       position)
{
  FerryRunManager *self = FERRY_RUN_MANAGER (model);

  if (position >= self->runs->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->runs, position));
}

static void
ferry_run_manager_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = ferry_run_manager_get_item_type;
  iface->get_n_items = ferry_run_manager_get_n_items;
  iface->get_item = ferry_run_manager_get_item;
}

static void
ferry_run_manager_dispose (GObject *object)
{
  FerryRunManager *self = FERRY_RUN_MANAGER (object);

  ferry_run_manager_stop_all (self);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (ferry_run_manager_parent_class)->dispose (object);
}

static void
ferry_run_manager_finalize (GObject *object)
{
  FerryRunManager *self = FERRY_RUN_MANAGER (object);

  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_clear_pointer (&self->busy, g_hash_table_unref);
  G_OBJECT_CLASS (ferry_run_manager_parent_class)->finalize (object);
}

static void
ferry_run_manager_class_init (FerryRunManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_run_manager_dispose;
  object_class->finalize = ferry_run_manager_finalize;

  /* A run has started: it is in the model from now until "run-finished". */
  signals[RUN_STARTED] =
    g_signal_new ("run-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_RUN);
  /* A run has ended (its state is final) and left the model. */
  signals[RUN_FINISHED] =
    g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_RUN);
  /* A preview (a dry run) has been set up and starts now; it is never in
   * the model. */
  signals[PREVIEW_STARTED] =
    g_signal_new ("preview-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_RUN);
}

static void
ferry_run_manager_init (FerryRunManager *self)
{
  self->runs = g_ptr_array_new_with_free_func (g_object_unref);
  self->busy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

FerryRunManager *
ferry_run_manager_new (void)
{
  /* libcurl's global setup here, on the thread that makes the manager:
   * OpenSSL keeps error state for the thread that first initialises it,
   * which a run's controller thread would leave behind when it ends. */
  ferry_curl_global_init ();
  return g_object_new (FERRY_TYPE_RUN_MANAGER, NULL);
}

void
ferry_run_manager_set_connector_store (FerryRunManager     *self,
                                       FerryConnectorStore *store)
{
  g_return_if_fail (FERRY_IS_RUN_MANAGER (self));
  g_return_if_fail (store == NULL || FERRY_IS_CONNECTOR_STORE (store));

  g_set_object (&self->store, store);
}

FerryConnectorStore *
ferry_run_manager_get_connector_store (FerryRunManager *self)
{
  g_return_val_if_fail (FERRY_IS_RUN_MANAGER (self), NULL);
  return self->store;
}

typedef struct
{
  char         *transfer_id;
  gboolean      dry_run;     /* a preview: not in the model, no signals */
  FerryRunKind  kind;        /* a verification is a run like the others */
  gboolean      checksum;
  char         *repair_of;   /* a verification's run id: Copy Again */
  GCancellable *cancellable;   /* the manager's, for stop(); follows the caller's */
  GCancellable *external;
  gulong        external_handler;
  FerryRun     *run;
  FerryTransferLock *lock;     /* this transfer's, across processes */
} StartData;

static void
start_data_free (StartData *data)
{
  if (data->external != NULL)
    g_cancellable_disconnect (data->external, data->external_handler);
  g_clear_object (&data->external);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->run);
  g_clear_pointer (&data->lock, ferry_transfer_lock_release);
  g_free (data->transfer_id);
  g_free (data->repair_of);
  g_free (data);
}

static void
forget (FerryRunManager *self,
        StartData       *data)
{
  guint index;

  g_hash_table_remove (self->busy, data->transfer_id);
  g_clear_pointer (&data->lock, ferry_transfer_lock_release);
  if (data->run != NULL && g_ptr_array_find (self->runs, data->run, &index))
    {
      g_ptr_array_remove_index (self->runs, index);
      g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 0);
    }
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryRunManager *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);

  /* The run's own error stays on the run (ferry_run_get_error()). */
  ferry_run_finish (FERRY_RUN (source), result, NULL);
  forget (self, data);
  if (!data->dry_run)
    g_signal_emit (self, signals[RUN_FINISHED], 0, data->run);
  g_task_return_pointer (task, g_object_ref (data->run), g_object_unref);
}

static void
setup_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryRunManager *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->run = ferry_run_setup_finish (result, &error);
  if (data->run == NULL)
    {
      forget (self, data);
      g_task_return_error (task, error);
      return;
    }
  if (data->dry_run)
    {
      ferry_run_set_dry_run (data->run, TRUE);
      /* The caller follows the plan as it grows. */
      g_signal_emit (self, signals[PREVIEW_STARTED], 0, data->run);
    }
  else
    {
      ferry_run_set_kind (data->run, data->kind, data->checksum);
      if (data->repair_of != NULL)
        ferry_run_set_repair (data->run, data->repair_of);
      g_ptr_array_add (self->runs, g_object_ref (data->run));
      g_list_model_items_changed (G_LIST_MODEL (self), self->runs->len - 1, 0, 1);
      /* Listeners connect to the run before it posts its first line. */
      g_signal_emit (self, signals[RUN_STARTED], 0, data->run);
    }
  ferry_run_start_async (data->run, data->cancellable, run_done, g_steal_pointer (&task));
}

static void
on_external_cancelled (GCancellable *external,
                       GCancellable *own)
{
  g_cancellable_cancel (own);
}

static void
start (FerryRunManager     *self,
       FerryTransfer       *transfer,
       gboolean             dry_run,
       FerryRunKind         kind,
       gboolean             checksum,
       const char          *repair_of,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StartData *data;
  const char *id;
  g_autoptr(GError) lock_error = NULL;
  FerryTransferLock *lock;

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, start);
  id = ferry_transfer_get_id (transfer);
  if (g_hash_table_contains (self->busy, id))
    {
      g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_EXISTS,
                               _("“%s” is running already"), ferry_transfer_get_name (transfer));
      return;
    }
  /* Another process (ferry-cli, the background instance) running it. */
  lock = ferry_transfer_lock_try (id, &lock_error);
  if (lock == NULL)
    {
      if (g_error_matches (lock_error, FERRY_ERROR, FERRY_ERROR_EXISTS))
        g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_EXISTS,
                                 _("“%s” is running already in another Ferry process"),
                                 ferry_transfer_get_name (transfer));
      else
        g_task_return_error (task, g_steal_pointer (&lock_error));
      return;
    }

  data = g_new0 (StartData, 1);
  data->transfer_id = g_strdup (id);
  data->dry_run = dry_run;
  data->lock = lock;
  data->kind = kind;
  data->checksum = checksum;
  data->repair_of = g_strdup (repair_of);
  data->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      data->external = g_object_ref (cancellable);
      data->external_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_external_cancelled),
                                                      g_object_ref (data->cancellable), g_object_unref);
    }
  g_task_set_task_data (task, data, (GDestroyNotify) start_data_free);
  g_hash_table_insert (self->busy, g_strdup (id), g_object_ref (data->cancellable));
  ferry_run_setup_async (transfer, self->store, data->cancellable, setup_done, g_steal_pointer (&task));
}

void
ferry_run_manager_start_async (FerryRunManager     *self,
                               FerryTransfer       *transfer,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_RUN_MANAGER (self));
  g_return_if_fail (FERRY_IS_TRANSFER (transfer));
  start (self, transfer, FALSE, FERRY_RUN_KIND_COPY, FALSE, NULL, cancellable, callback, user_data);
}

void
ferry_run_manager_copy_async (FerryRunManager     *self,
                              FerryTransfer       *transfer,
                              gboolean             checksum,
                              const char          *repair_of,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_RUN_MANAGER (self));
  g_return_if_fail (FERRY_IS_TRANSFER (transfer));
  start (self, transfer, FALSE, FERRY_RUN_KIND_COPY, checksum, repair_of, cancellable, callback, user_data);
}

void
ferry_run_manager_verify_async (FerryRunManager     *self,
                                FerryTransfer       *transfer,
                                gboolean             checksum,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_RUN_MANAGER (self));
  g_return_if_fail (FERRY_IS_TRANSFER (transfer));
  start (self, transfer, FALSE, FERRY_RUN_KIND_VERIFY, checksum, NULL, cancellable, callback, user_data);
}

void
ferry_run_manager_preview_async (FerryRunManager     *self,
                                 FerryTransfer       *transfer,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_RUN_MANAGER (self));
  g_return_if_fail (FERRY_IS_TRANSFER (transfer));
  start (self, transfer, TRUE, FERRY_RUN_KIND_COPY, FALSE, NULL, cancellable, callback, user_data);
}

FerryRun *
ferry_run_manager_start_finish (FerryRunManager  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (FERRY_IS_RUN_MANAGER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
ferry_run_manager_is_busy (FerryRunManager *self,
                           const char      *transfer_id)
{
  g_return_val_if_fail (FERRY_IS_RUN_MANAGER (self), FALSE);
  return transfer_id != NULL && g_hash_table_contains (self->busy, transfer_id);
}

FerryRun *
ferry_run_manager_lookup (FerryRunManager *self,
                          const char      *transfer_id)
{
  g_return_val_if_fail (FERRY_IS_RUN_MANAGER (self), NULL);

  for (guint i = 0; i < self->runs->len; i++)
    {
      FerryRun *run = g_ptr_array_index (self->runs, i);

      if (g_strcmp0 (ferry_transfer_get_id (ferry_run_get_transfer (run)), transfer_id) == 0)
        return run;
    }
  return NULL;
}

void
ferry_run_manager_stop (FerryRunManager *self,
                        const char      *transfer_id)
{
  GCancellable *cancellable;

  g_return_if_fail (FERRY_IS_RUN_MANAGER (self));

  cancellable = g_hash_table_lookup (self->busy, transfer_id);
  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
}

void
ferry_run_manager_stop_all (FerryRunManager *self)
{
  GHashTableIter iter;
  gpointer cancellable;

  g_return_if_fail (FERRY_IS_RUN_MANAGER (self));

  g_hash_table_iter_init (&iter, self->busy);
  while (g_hash_table_iter_next (&iter, NULL, &cancellable))
    g_cancellable_cancel (cancellable);
}
