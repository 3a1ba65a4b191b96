/* ferry-scheduler.c: see ferry-scheduler.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ferry-error.h"
#include "ferry-run-history.h"
#include "ferry-schedule-store.h"
#include "ferry-scheduler.h"

void
ferry_scheduler_result_free (FerrySchedulerResult *result)
{
  if (result == NULL)
    return;
  g_clear_object (&result->transfer);
  g_clear_object (&result->run);
  g_clear_error (&result->error);
  g_free (result->result);
  g_free (result);
}

typedef struct
{
  GPtrArray *results;  /* FerrySchedulerResult* */
  guint      pending;
} RunDueData;

static void
run_due_data_free (RunDueData *data)
{
  g_ptr_array_unref (data->results);
  g_free (data);
}

typedef struct
{
  GTask                *task;
  FerrySchedulerResult *result;
} OneRun;

static void
finish_one (GTask *task)
{
  RunDueData *data = g_task_get_task_data (task);

  if (--data->pending == 0)
    g_task_return_pointer (task, g_ptr_array_ref (data->results), (GDestroyNotify) g_ptr_array_unref);
}

static void
run_done (GObject      *source,
          GAsyncResult *async_result,
          gpointer      user_data)
{
  OneRun *one = user_data;
  FerrySchedulerResult *result = one->result;
  const char *transfer_id = ferry_transfer_get_id (result->transfer);
  const char *run_id = NULL;
  const char *message = NULL;

  result->run = ferry_run_manager_start_finish (FERRY_RUN_MANAGER (source), async_result, &result->error);
  if (result->run != NULL)
    {
      FerryRunState state = ferry_run_get_state (result->run);
      const GError *run_error = ferry_run_get_error (result->run);

      result->result = g_strdup (ferry_run_state_to_string (state));
      run_id = ferry_run_get_id (result->run);
      message = run_error != NULL ? run_error->message : NULL;
      /* The summary is final now; History shows the run as scheduled. */
      if (run_id != NULL)
        ferry_run_history_mark_scheduled (transfer_id, run_id);
    }
  else if (g_error_matches (result->error, FERRY_ERROR, FERRY_ERROR_EXISTS))
    {
      result->result = g_strdup ("skipped");
      message = result->error->message;
    }
  else if (g_error_matches (result->error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
           g_error_matches (result->error, FERRY_ERROR, FERRY_ERROR_CANCELLED))
    {
      /* Stopped while it was set up (the application quit). */
      result->result = g_strdup (ferry_run_state_to_string (FERRY_RUN_STATE_CANCELLED));
      message = result->error->message;
    }
  else
    {
      result->result = g_strdup (ferry_run_state_to_string (FERRY_RUN_STATE_FAILED));
      message = result->error->message;
    }
  if (g_strcmp0 (result->result, "skipped") == 0)
    g_message ("Scheduled run of “%s” skipped: %s", ferry_transfer_get_name (result->transfer), message);
  ferry_schedule_store_record (transfer_id, result->result, run_id, message);
  finish_one (one->task);
  g_object_unref (one->task);
  g_free (one);
}

void
ferry_scheduler_run_due_async (FerryRunManager     *manager,
                               FerryTransferStore  *transfers,
                               GDateTime           *now,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  g_auto(GStrv) ids = NULL;
  RunDueData *data;

  g_return_if_fail (FERRY_IS_RUN_MANAGER (manager));
  g_return_if_fail (FERRY_IS_TRANSFER_STORE (transfers));

  task = g_task_new (manager, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_scheduler_run_due_async);
  data = g_new0 (RunDueData, 1);
  data->results = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_scheduler_result_free);
  /* Held until every run is started, so one that fails at once does not
   * complete the task before the others are counted. */
  data->pending = 1;
  g_task_set_task_data (task, data, (GDestroyNotify) run_due_data_free);
  if (now == NULL)
    now = local_now = g_date_time_new_now_local ();

  /* A rule left behind by a transfer removed elsewhere goes first. */
  {
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) gone = ferry_schedule_store_prune (&error);

    if (gone == NULL)
      g_warning ("%s", error->message);
    for (guint i = 0; gone != NULL && gone[i] != NULL; i++)
      g_message ("Forgot the schedule of the removed transfer %s", gone[i]);
  }
  ids = ferry_schedule_store_list ();
  for (guint i = 0; ids[i] != NULL; i++)
    {
      FerryTransfer *transfer = ferry_transfer_store_find_by_id (transfers, ids[i]);
      FerrySchedulerResult *result;
      OneRun *one;
      gint64 slot;

      /* Added after `transfers` was loaded: due at the next call. */
      if (transfer == NULL)
        continue;
      /* Claimed under the store's lock: another process asking at the
       * same moment does not start it too. */
      if (!ferry_schedule_store_claim_due (ids[i], now, &slot))
        continue;
      result = g_new0 (FerrySchedulerResult, 1);
      result->transfer = g_object_ref (transfer);
      g_ptr_array_add (data->results, result);
      one = g_new0 (OneRun, 1);
      one->task = g_object_ref (task);
      one->result = result;
      data->pending++;
      ferry_run_manager_start_async (manager, transfer, cancellable, run_done, one);
    }
  finish_one (task);
}

GPtrArray *
ferry_scheduler_run_due_finish (FerryRunManager  *manager,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, manager), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
