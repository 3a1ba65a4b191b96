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

typedef struct
{
  char   *transfer_id;
  gint64  slot;
} Claim;

static void
claim_free (Claim *claim)
{
  g_free (claim->transfer_id);
  g_free (claim);
}

/* On a worker: the files and the store's lock, never on the caller's main
 * loop (with many schedules that was seconds). */
static void
claim_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GDateTime *now = task_data;
  g_autoptr(GPtrArray) claims = g_ptr_array_new_with_free_func ((GDestroyNotify) claim_free);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) gone = NULL;
  g_auto(GStrv) ids = NULL;

  /* A rule left behind by a transfer removed elsewhere goes first. */
  gone = ferry_schedule_store_prune (&error);
  if (gone == NULL)
    g_warning ("%s", error->message);
  for (guint i = 0; gone != NULL && gone[i] != NULL; i++)
    g_message ("Forgot the schedule of the removed transfer %s", gone[i]);
  ids = ferry_schedule_store_list ();
  for (guint i = 0; ids[i] != NULL; i++)
    {
      Claim *claim;
      gint64 slot;

      /* Claimed under the store's lock: another process asking at the
       * same moment does not start it too. */
      if (!ferry_transfer_store_exists (ids[i]) || !ferry_schedule_store_claim_due (ids[i], now, &slot))
        continue;
      claim = g_new0 (Claim, 1);
      claim->transfer_id = g_strdup (ids[i]);
      claim->slot = slot;
      g_ptr_array_add (claims, claim);
    }
  g_task_return_pointer (task, g_steal_pointer (&claims), (GDestroyNotify) g_ptr_array_unref);
}

static void
claims_done (GObject      *source,
             GAsyncResult *async_result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) claims = g_task_propagate_pointer (G_TASK (async_result), NULL);
  FerryRunManager *manager = g_task_get_source_object (task);
  FerryTransferStore *transfers = g_object_get_data (G_OBJECT (task), "ferry-transfers");
  RunDueData *data = g_task_get_task_data (task);

  for (guint i = 0; claims != NULL && i < claims->len; i++)
    {
      Claim *claim = g_ptr_array_index (claims, i);
      FerryTransfer *transfer = ferry_transfer_store_find_by_id (transfers, claim->transfer_id);
      FerrySchedulerResult *result;
      OneRun *one;

      if (transfer == NULL)
        {
          /* Added a moment ago, not in the caller's store yet: the slot
           * is claimed, so say why it did not run. */
          ferry_schedule_store_record (claim->transfer_id, "skipped", NULL,
                                       _("The transfer was added while its run was due"));
          continue;
        }
      result = g_new0 (FerrySchedulerResult, 1);
      result->transfer = g_object_ref (transfer);
      g_ptr_array_add (data->results, result);
      one = g_new0 (OneRun, 1);
      one->task = g_object_ref (task);
      one->result = result;
      data->pending++;
      ferry_run_manager_start_async (manager, transfer, g_task_get_cancellable (task), run_done, one);
    }
  finish_one (task);
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
  g_autoptr(GTask) claim = NULL;
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
  g_object_set_data_full (G_OBJECT (task), "ferry-transfers", g_object_ref (transfers), g_object_unref);

  claim = g_task_new (NULL, NULL, claims_done, g_steal_pointer (&task));
  g_task_set_source_tag (claim, claim_thread);
  g_task_set_task_data (claim, now != NULL ? g_date_time_ref (now) : g_date_time_new_now_local (),
                        (GDestroyNotify) g_date_time_unref);
  g_task_run_in_thread (claim, claim_thread);
}

GPtrArray *
ferry_scheduler_run_due_finish (FerryRunManager  *manager,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, manager), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
