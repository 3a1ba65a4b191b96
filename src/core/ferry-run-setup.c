/* ferry-run-setup.c: see ferry-run-setup.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ferry-error.h"
#include "ferry-backend.h"
#include "ferry-run-setup.h"
#include "ferry-transfer-store.h"

typedef struct
{
  FerryTransfer       *transfer;
  FerryConnectorStore *store;
  FerryConnector      *source;
  FerryConnector      *destination;
  char                *source_password;
  char                *destination_password;
  char                *source_path;       /* rewritten: absolute now */
  char                *destination_path;
} SetupData;

static void
setup_data_free (SetupData *data)
{
  g_clear_object (&data->transfer);
  g_clear_object (&data->store);
  g_clear_object (&data->source);
  g_clear_object (&data->destination);
  g_clear_pointer (&data->source_password, ferry_password_free);
  g_clear_pointer (&data->destination_password, ferry_password_free);
  g_free (data->source_path);
  g_free (data->destination_path);
  g_free (data);
}

static gboolean
is_local (FerryConnector *connector)
{
  return ferry_connector_get_kind (connector) == FERRY_CONNECTOR_KIND_LOCAL;
}

/* A transfer saved before FTP paths were absolute meant its FTP paths from
 * the login folder: the login folder is learned here, at the first
 * connection after the change, and put in front, once (the caller saves
 * the transfer with PathsAbsolute=true). Here because this is the one
 * place every run passes with the passwords at hand, off the main
 * thread, before any path is used; SFTP and local paths were absolute
 * already. */
static char *
absolute_path (FerryConnector  *connector,
               const char      *password,
               const char      *path,
               GCancellable    *cancellable,
               GError         **error)
{
  g_autoptr(FerryBackend) backend = NULL;
  g_autofree char *login = NULL;
  FerryConnectorKind kind = ferry_connector_get_kind (connector);

  if (kind == FERRY_CONNECTOR_KIND_LOCAL || kind == FERRY_CONNECTOR_KIND_SFTP)
    return g_strdup (path);
  backend = ferry_backend_new (connector, password, error);
  if (backend == NULL)
    return NULL;
  login = ferry_backend_dup_login_folder (backend, cancellable, error);
  if (login == NULL)
    return NULL;
  if (g_str_equal (login, "/"))
    return g_strdup (path);
  if (g_str_equal (path, "/") || *path == '\0')
    return g_steal_pointer (&login);
  return g_strconcat (login, path[0] == '/' ? "" : "/", path, NULL);
}

/* Runs in a worker thread: the store's own lookups are thread-safe calls
 * into libsecret, and the connectors are not touched elsewhere meanwhile. */
static void
setup_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SetupData *data = task_data;
  GError *error = NULL;

  if (!is_local (data->source))
    {
      data->source_password = ferry_connector_store_lookup_password_sync (data->store, data->source,
                                                                          cancellable, &error);
      if (error != NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  if (!is_local (data->destination))
    {
      data->destination_password = ferry_connector_store_lookup_password_sync (data->store,
                                                                               data->destination,
                                                                               cancellable, &error);
      if (error != NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  if (!ferry_transfer_get_paths_absolute (data->transfer))
    {
      data->source_path = absolute_path (data->source, data->source_password,
                                         ferry_transfer_get_source_path (data->transfer),
                                         cancellable, &error);
      if (data->source_path != NULL)
        data->destination_path = absolute_path (data->destination, data->destination_password,
                                                ferry_transfer_get_destination_path (data->transfer),
                                                cancellable, &error);
      if (error != NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
}

void
ferry_run_setup_async (FerryTransfer       *transfer,
                       FerryConnectorStore *store,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FerryConnector *source;
  FerryConnector *destination;
  SetupData *data;

  g_return_if_fail (FERRY_IS_TRANSFER (transfer));
  g_return_if_fail (store == NULL || FERRY_IS_CONNECTOR_STORE (store));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_run_setup_async);

  source = ferry_connector_store_find (store, ferry_transfer_get_source_connector_id (transfer));
  destination = ferry_connector_store_find (store, ferry_transfer_get_destination_connector_id (transfer));
  if (source == NULL || destination == NULL)
    {
      g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                               source == NULL
                               ? _("The source connector of this transfer was removed; edit the transfer to choose another")
                               : _("The destination connector of this transfer was removed; edit the transfer to choose another"));
      return;
    }
  if ((!is_local (source) || !is_local (destination)) && store == NULL)
    {
      g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_KEYRING,
                               _("The keyring was not read yet"));
      return;
    }

  data = g_new0 (SetupData, 1);
  data->transfer = g_object_ref (transfer);
  data->store = store != NULL ? g_object_ref (store) : NULL;
  /* Copies: the run keeps them, whatever happens to the saved ones. */
  data->source = ferry_connector_copy (source);
  data->destination = ferry_connector_copy (destination);
  g_task_set_task_data (task, data, (GDestroyNotify) setup_data_free);

  if (is_local (source) && is_local (destination))
    {
      if (!ferry_transfer_get_paths_absolute (transfer))
        {
          data->source_path = g_strdup (ferry_transfer_get_source_path (transfer));
          data->destination_path = g_strdup (ferry_transfer_get_destination_path (transfer));
        }
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_task_run_in_thread (task, setup_thread);
}

FerryRun *
ferry_run_setup_finish (GAsyncResult  *result,
                        GError       **error)
{
  SetupData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  data = g_task_get_task_data (G_TASK (result));
  if (data->source_path != NULL && data->destination_path != NULL)
    {
      g_autoptr(GError) save_error = NULL;

      ferry_transfer_set_source_path (data->transfer, data->source_path);
      ferry_transfer_set_destination_path (data->transfer, data->destination_path);
      ferry_transfer_set_paths_absolute (data->transfer, TRUE);
      /* Not saved: the run goes on with the right paths, and the next
       * setup learns them again. */
      if (!ferry_transfer_store_write (data->transfer, &save_error))
        g_warning ("Could not save the transfer’s absolute paths: %s", save_error->message);
    }
  return ferry_run_new (data->transfer,
                        data->source, data->source_password,
                        data->destination, data->destination_password);
}
