/* ferry-run-setup.c: see ferry-run-setup.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ferry-error.h"
#include "ferry-run-setup.h"

typedef struct
{
  FerryTransfer       *transfer;
  FerryConnectorStore *store;
  FerryConnector      *source;
  FerryConnector      *destination;
  char                *source_password;
  char                *destination_password;
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
  g_free (data);
}

static gboolean
is_local (FerryConnector *connector)
{
  return ferry_connector_get_kind (connector) == FERRY_CONNECTOR_KIND_LOCAL;
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
  return ferry_run_new (data->transfer,
                        data->source, data->source_password,
                        data->destination, data->destination_password);
}
