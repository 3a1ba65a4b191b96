/* ferry-transfer-store.c: transfers as key files, loaded into a list model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ferry-error.h"
#include "ferry-run-history.h"
#include "ferry-schedule-store.h"
#include "ferry-transfer-lock.h"
#include "ferry-transfer-store.h"

struct _FerryTransferStore
{
  GObject parent_instance;

  GPtrArray *transfers;  /* FerryTransfer* */

  /* ferry_transfer_store_watch(): the folder's monitor, a short delay
   * that gathers a burst of events, and the read going on a thread. */
  GFileMonitor *monitor;
  guint         refresh_source;
  GCancellable *refresh_cancellable;
  gboolean      refresh_again;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryTransferStore, ferry_transfer_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return FERRY_TYPE_TRANSFER;
}

static guint
get_n_items (GListModel *model)
{
  return FERRY_TRANSFER_STORE (model)->transfers->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  FerryTransferStore *self = FERRY_TRANSFER_STORE (model);

  if (position >= self->transfers->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->transfers, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
ferry_transfer_store_dispose (GObject *object)
{
  FerryTransferStore *self = FERRY_TRANSFER_STORE (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);
  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
  G_OBJECT_CLASS (ferry_transfer_store_parent_class)->dispose (object);
}

static void
ferry_transfer_store_finalize (GObject *object)
{
  FerryTransferStore *self = FERRY_TRANSFER_STORE (object);

  g_ptr_array_unref (self->transfers);
  G_OBJECT_CLASS (ferry_transfer_store_parent_class)->finalize (object);
}

static void
ferry_transfer_store_class_init (FerryTransferStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ferry_transfer_store_dispose;
  G_OBJECT_CLASS (klass)->finalize = ferry_transfer_store_finalize;
}

static void
ferry_transfer_store_init (FerryTransferStore *self)
{
  self->transfers = g_ptr_array_new_with_free_func (g_object_unref);
}

FerryTransferStore *
ferry_transfer_store_new (void)
{
  return g_object_new (FERRY_TYPE_TRANSFER_STORE, NULL);
}

char *
ferry_transfer_store_dup_folder (void)
{
  return g_build_filename (g_get_user_config_dir (), "ferry", "transfers", NULL);
}

static char *
file_for_id (const char *transfer_id)
{
  g_autofree char *folder = ferry_transfer_store_dup_folder ();
  g_autofree char *base = g_strconcat (transfer_id, ".transfer", NULL);

  return g_build_filename (folder, base, NULL);
}

static char *
file_for (FerryTransfer *transfer)
{
  return file_for_id (ferry_transfer_get_id (transfer));
}

static int
compare_by_name (gconstpointer a,
                 gconstpointer b)
{
  FerryTransfer *ta = *(FerryTransfer **) a;
  FerryTransfer *tb = *(FerryTransfer **) b;
  g_autofree char *ka = g_utf8_collate_key (ferry_transfer_get_name (ta), -1);
  g_autofree char *kb = g_utf8_collate_key (ferry_transfer_get_name (tb), -1);

  return strcmp (ka, kb);
}

/* Every readable transfer in the folder, sorted by name; NULL with an
 * error when the folder cannot be read (not when it does not exist).
 * Touches no store: runs on any thread. */
static GPtrArray *
read_folder (GError **error)
{
  g_autofree char *folder = ferry_transfer_store_dup_folder ();
  g_autoptr(GPtrArray) transfers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  dir = g_dir_open (folder, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&transfers);
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                   _("Could not read the saved transfers: %s"), local_error->message);
      return NULL;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GKeyFile) key_file = g_key_file_new ();
      g_autoptr(GError) file_error = NULL;
      FerryTransfer *transfer;

      if (!g_str_has_suffix (name, ".transfer"))
        continue;
      path = g_build_filename (folder, name, NULL);
      if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &file_error) ||
          (transfer = ferry_transfer_new_from_key_file (key_file, &file_error)) == NULL)
        {
          /* Being written by another process (renamed into place, so
           * rarely), or broken: skipped, not fatal. */
          if (!g_error_matches (file_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            g_warning ("Skipping the unreadable transfer file %s: %s", path, file_error->message);
          continue;
        }
      g_ptr_array_add (transfers, transfer);
    }
  g_ptr_array_sort (transfers, compare_by_name);
  return g_steal_pointer (&transfers);
}

gboolean
ferry_transfer_store_load (FerryTransferStore *self,
                           GError            **error)
{
  g_autoptr(GPtrArray) transfers = NULL;
  guint old_len;

  g_return_val_if_fail (FERRY_IS_TRANSFER_STORE (self), FALSE);

  old_len = self->transfers->len;
  transfers = read_folder (error);
  g_ptr_array_set_size (self->transfers, 0);
  if (transfers != NULL)
    for (guint i = 0; i < transfers->len; i++)
      g_ptr_array_add (self->transfers, g_object_ref (g_ptr_array_index (transfers, i)));
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->transfers->len);
  return transfers != NULL;
}

static gboolean
same_transfer (FerryTransfer *a,
               FerryTransfer *b)
{
  g_autoptr(GKeyFile) ka = ferry_transfer_to_key_file (a);
  g_autoptr(GKeyFile) kb = ferry_transfer_to_key_file (b);
  g_autofree char *da = g_key_file_to_data (ka, NULL, NULL);
  g_autofree char *db = g_key_file_to_data (kb, NULL, NULL);

  return strcmp (da, db) == 0;
}

/* Takes what was read in, keeping the objects of transfers that did not
 * change (rows and runs hold them) and their places in the list, new ones
 * after them, and saying only what changed. */
static void
merge (FerryTransferStore *self,
       GPtrArray          *fresh)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) merged = g_ptr_array_new_with_free_func (g_object_unref);
  guint old_len = self->transfers->len;
  guint first;
  guint tail;

  for (guint i = 0; i < fresh->len; i++)
    {
      FerryTransfer *read = g_ptr_array_index (fresh, i);

      g_hash_table_insert (by_id, (gpointer) ferry_transfer_get_id (read), read);
    }
  for (guint i = 0; i < old_len; i++)
    {
      FerryTransfer *had = g_ptr_array_index (self->transfers, i);
      FerryTransfer *read = g_hash_table_lookup (by_id, ferry_transfer_get_id (had));

      if (read == NULL)
        continue;  /* removed */
      g_ptr_array_add (merged, g_object_ref (same_transfer (had, read) ? had : read));
      g_hash_table_remove (by_id, ferry_transfer_get_id (had));
    }
  for (guint i = 0; i < fresh->len; i++)
    {
      FerryTransfer *read = g_ptr_array_index (fresh, i);

      if (g_hash_table_contains (by_id, ferry_transfer_get_id (read)))
        g_ptr_array_add (merged, g_object_ref (read));
    }

  for (first = 0; first < old_len && first < merged->len; first++)
    if (g_ptr_array_index (self->transfers, first) != g_ptr_array_index (merged, first))
      break;
  if (first == old_len && first == merged->len)
    return;
  for (tail = 0; tail < old_len - first && tail < merged->len - first; tail++)
    if (g_ptr_array_index (self->transfers, old_len - 1 - tail) != g_ptr_array_index (merged, merged->len - 1 - tail))
      break;
  g_ptr_array_set_size (self->transfers, 0);
  for (guint i = 0; i < merged->len; i++)
    g_ptr_array_add (self->transfers, g_object_ref (g_ptr_array_index (merged, i)));
  g_list_model_items_changed (G_LIST_MODEL (self), first, old_len - first - tail, merged->len - first - tail);
}

static void
refresh_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *transfers = read_folder (&error);

  if (transfers == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, transfers, (GDestroyNotify) g_ptr_array_unref);
}

static gboolean start_refresh (gpointer user_data);

static void
refresh_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  FerryTransferStore *self = FERRY_TRANSFER_STORE (source);
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(GError) error = NULL;

  fresh = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  g_clear_object (&self->refresh_cancellable);
  if (fresh == NULL)
    g_warning ("%s", error->message);
  else
    merge (self, fresh);
  if (self->refresh_again)
    {
      self->refresh_again = FALSE;
      start_refresh (self);
    }
}

static gboolean
start_refresh (gpointer user_data)
{
  FerryTransferStore *self = user_data;
  g_autoptr(GTask) task = NULL;

  self->refresh_source = 0;
  if (self->refresh_cancellable != NULL)
    {
      self->refresh_again = TRUE;
      return G_SOURCE_REMOVE;
    }
  self->refresh_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->refresh_cancellable, refresh_done, NULL);
  g_task_set_source_tag (task, start_refresh);
  g_task_run_in_thread (task, refresh_thread);
  return G_SOURCE_REMOVE;
}

void
ferry_transfer_store_load_async (FerryTransferStore  *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FERRY_IS_TRANSFER_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_transfer_store_load_async);
  g_task_run_in_thread (task, refresh_thread);
}

gboolean
ferry_transfer_store_load_finish (FerryTransferStore  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_autoptr(GPtrArray) fresh = NULL;

  g_return_val_if_fail (FERRY_IS_TRANSFER_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  fresh = g_task_propagate_pointer (G_TASK (result), error);
  if (fresh == NULL)
    return FALSE;
  merge (self, fresh);
  return TRUE;
}

static void
on_folder_changed (FerryTransferStore *self,
                   GFile              *file,
                   GFile              *other,
                   GFileMonitorEvent   event)
{
  /* A save is a temporary file renamed over: several events, one read. */
  if (event == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED)
    return;
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  self->refresh_source = g_timeout_add (100, start_refresh, self);
}

void
ferry_transfer_store_watch (FerryTransferStore *self)
{
  g_autofree char *folder = ferry_transfer_store_dup_folder ();
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (FERRY_IS_TRANSFER_STORE (self));

  if (self->monitor != NULL)
    return;
  /* Watched before it exists too: the first `transfer add` creates it. */
  g_mkdir_with_parents (folder, 0700);
  file = g_file_new_for_path (folder);
  self->monitor = g_file_monitor_directory (file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (self->monitor == NULL)
    {
      g_warning ("Changes made to the transfers elsewhere will show after a restart: %s", error->message);
      return;
    }
  g_signal_connect_object (self->monitor, "changed", G_CALLBACK (on_folder_changed), self, G_CONNECT_SWAPPED);
}

FerryTransfer *
ferry_transfer_store_find_by_name (FerryTransferStore *self,
                                   const char         *name)
{
  g_autofree char *wanted = NULL;

  g_return_val_if_fail (FERRY_IS_TRANSFER_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  wanted = g_utf8_casefold (name, -1);
  for (guint i = 0; i < self->transfers->len; i++)
    {
      FerryTransfer *transfer = g_ptr_array_index (self->transfers, i);
      g_autofree char *folded = g_utf8_casefold (ferry_transfer_get_name (transfer), -1);

      if (strcmp (folded, wanted) == 0)
        return transfer;
    }
  return NULL;
}

FerryTransfer *
ferry_transfer_store_find_by_id (FerryTransferStore *self,
                                 const char         *id)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_STORE (self), NULL);

  for (guint i = 0; i < self->transfers->len; i++)
    {
      FerryTransfer *transfer = g_ptr_array_index (self->transfers, i);

      if (g_strcmp0 (ferry_transfer_get_id (transfer), id) == 0)
        return transfer;
    }
  return NULL;
}

gboolean
ferry_transfer_store_write (FerryTransfer  *transfer,
                            GError        **error)
{
  g_autofree char *folder = ferry_transfer_store_dup_folder ();
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  g_return_val_if_fail (FERRY_IS_TRANSFER (transfer), FALSE);

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, FERRY_ERROR, saved == ENOSPC ? FERRY_ERROR_NO_SPACE : FERRY_ERROR_FAILED,
                   _("Could not create %s: %s"), folder, g_strerror (saved));
      return FALSE;
    }
  key_file = ferry_transfer_to_key_file (transfer);
  data = g_key_file_to_data (key_file, &length, NULL);
  path = file_for (transfer);
  if (!g_file_set_contents_full (path, data, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, FERRY_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOSPC) ? FERRY_ERROR_NO_SPACE : FERRY_ERROR_FAILED,
                   _("Could not save the transfer: %s"), local_error->message);
      return FALSE;
    }

  return TRUE;
}

gboolean
ferry_transfer_store_save (FerryTransferStore *self,
                           FerryTransfer      *transfer,
                           GError            **error)
{
  FerryTransfer *same_name;
  guint position;

  g_return_val_if_fail (FERRY_IS_TRANSFER_STORE (self), FALSE);
  g_return_val_if_fail (FERRY_IS_TRANSFER (transfer), FALSE);

  if (!ferry_transfer_validate (transfer, error))
    return FALSE;
  same_name = ferry_transfer_store_find_by_name (self, ferry_transfer_get_name (transfer));
  if (same_name != NULL && same_name != transfer &&
      g_strcmp0 (ferry_transfer_get_id (same_name), ferry_transfer_get_id (transfer)) != 0)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_EXISTS,
                   _("A transfer named “%s” exists already"), ferry_transfer_get_name (transfer));
      return FALSE;
    }

  if (!ferry_transfer_store_write (transfer, error))
    return FALSE;

  for (position = 0; position < self->transfers->len; position++)
    {
      FerryTransfer *existing = g_ptr_array_index (self->transfers, position);

      if (g_strcmp0 (ferry_transfer_get_id (existing), ferry_transfer_get_id (transfer)) == 0)
        break;
    }
  if (position < self->transfers->len)
    {
      if (g_ptr_array_index (self->transfers, position) != transfer)
        {
          g_object_unref (g_ptr_array_index (self->transfers, position));
          g_ptr_array_index (self->transfers, position) = g_object_ref (transfer);
        }
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
    }
  else
    {
      g_ptr_array_add (self->transfers, g_object_ref (transfer));
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
    }
  return TRUE;
}

gboolean
ferry_transfer_store_remove (FerryTransferStore *self,
                             FerryTransfer      *transfer,
                             GError            **error)
{
  g_autofree char *path = NULL;
  guint position;

  g_return_val_if_fail (FERRY_IS_TRANSFER_STORE (self), FALSE);
  g_return_val_if_fail (FERRY_IS_TRANSFER (transfer), FALSE);

  path = file_for (transfer);
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved = errno;

      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                   _("Could not remove the transfer: %s"), g_strerror (saved));
      return FALSE;
    }
  if (g_ptr_array_find (self->transfers, transfer, &position))
    {
      g_ptr_array_remove_index (self->transfers, position);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
    }
  return TRUE;
}

gboolean
ferry_transfer_store_exists (const char *transfer_id)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (transfer_id != NULL, FALSE);

  /* An id is a file name here: nothing that could leave the folder. */
  if (transfer_id[0] == '\0' || transfer_id[0] == '.' || strchr (transfer_id, '/') != NULL)
    return FALSE;
  path = file_for_id (transfer_id);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

gboolean
ferry_transfer_store_forget (const char  *transfer_id,
                             GError     **error)
{
  g_autoptr(FerryTransferLock) lock = NULL;
  g_autofree char *lock_path = NULL;

  g_return_val_if_fail (transfer_id != NULL && transfer_id[0] != '\0', FALSE);
  g_return_val_if_fail (strchr (transfer_id, '/') == NULL && transfer_id[0] != '.', FALSE);

  /* A run going elsewhere (ferry-cli in a terminal) writes its history
   * still: forgetting under it would leave half a run behind. */
  lock = ferry_transfer_lock_try (transfer_id, error);
  if (lock == NULL)
    return FALSE;
  ferry_run_history_forget (transfer_id);
  if (!ferry_schedule_store_forget (transfer_id, error))
    return FALSE;
  /* Removed while held, unlike a living transfer's lock (see
   * ferry-transfer-lock.c): with its file gone nothing starts it again. */
  lock_path = ferry_transfer_lock_dup_path (transfer_id);
  g_unlink (lock_path);
  return TRUE;
}
