/* ferry-run-walk.c: the controller thread of a run. It logs the walk's two
 * sessions in, starts the workers, walks the source with the planner and
 * queues every file to copy, records what needs no copy, hands its idle
 * sessions to a worker once the walk is done, waits for the workers and
 * writes how the run ended.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "ferry-connection-check.h"
#include "ferry-enums.h"
#include "ferry-error.h"
#include "ferry-nick.h"
#include "ferry-recorded-times.h"
#include "ferry-run-private.h"

/* Hands a file to the workers, waiting while the queue is full. */
static void
queue_for_workers (FerryRunShared *shared,
                   FerryPlanItem  *item)
{
  g_mutex_lock (&shared->lock);
  while (g_queue_get_length (&shared->items) >= FERRY_RUN_QUEUE_MAX &&
         !g_cancellable_is_cancelled (shared->cancellable))
    _ferry_run_wait (shared, g_get_monotonic_time () + 100 * 1000);
  g_queue_push_tail (&shared->items, item);
  shared->queued++;
  _ferry_run_wake (shared);
  g_mutex_unlock (&shared->lock);
}

/* A folder of the source: its time is set at the end of the run (deepest
 * first), once what is in it is written. */
static void
plan_folder (FerryRunShared *shared,
             FerryPlanItem  *item)
{
  if (item->source != NULL && item->source->precision >= FERRY_TIME_MINUTES && !shared->dry_run)
    {
      g_mutex_lock (&shared->lock);
      g_hash_table_replace (shared->folder_times, g_strdup (item->destination_path),
                            g_memdup2 (&item->source->mtime, sizeof (gint64)));
      g_mutex_unlock (&shared->lock);
    }
  if (item->decision.action != FERRY_PLAN_COPY)
    {
      _ferry_run_record (shared, item, FERRY_OUTCOME_UP_TO_DATE, "exists", NULL, 0);
      return;
    }
  /* A new folder's time is set, and its parent changed. */
  g_mutex_lock (&shared->lock);
  _ferry_run_touch_folder_of (shared, item->destination_path);
  g_hash_table_add (shared->touched, g_strdup (item->destination_path));
  g_mutex_unlock (&shared->lock);
  _ferry_run_record (shared, item, FERRY_OUTCOME_CREATED, NULL, NULL, 1);
  _ferry_run_post (shared, FERRY_LOG_INFO, FERRY_LOG_KIND_FOLDER_CREATED, item->relative, NULL);
}

/* A file of the source: counted, then recorded when there is nothing to
 * copy, or queued for the workers. Takes the item. */
static void
plan_file (FerryRunShared *shared,
           FerryPlanItem  *item)
{
  g_mutex_lock (&shared->lock);
  shared->counters.files_total++;
  shared->counters.bytes_total += item->source->size;
  g_mutex_unlock (&shared->lock);

  if (item->decision.action == FERRY_PLAN_SKIP && !shared->dry_run &&
      (shared->checksum ||
       (shared->only != NULL &&
        GPOINTER_TO_INT (g_hash_table_lookup (shared->only, item->relative)) == FERRY_REPAIR_CONTENT)))
    {
      /* Alike by listing: a worker compares the contents, and copies the
       * file when they differ (ferry-run-worker.c). */
      queue_for_workers (shared, item);
      return;
    }
  if (item->decision.action == FERRY_PLAN_SKIP)
    {
      _ferry_run_record (shared, item, FERRY_OUTCOME_UP_TO_DATE, item->code, NULL, 0);
      g_mutex_lock (&shared->lock);
      shared->counters.files_skipped++;
      shared->counters.bytes_skipped += item->source->size;
      g_mutex_unlock (&shared->lock);
    }
  else if (item->decision.action == FERRY_PLAN_FAIL)
    {
      _ferry_run_record (shared, item, FERRY_OUTCOME_FAILED, item->code, item->message, 0);
      _ferry_run_post (shared, FERRY_LOG_ERROR, FERRY_LOG_KIND_FILE_FAILED, item->relative, item->message);
      _ferry_run_count (shared, &shared->counters.files_failed, 1);
    }
  else if (shared->dry_run)
    /* What a run would do, recorded as if done. */
    _ferry_run_record (shared, item,
                       item->decision.action == FERRY_PLAN_RESUME ? FERRY_OUTCOME_RESUMED
                       : item->destination != NULL ? FERRY_OUTCOME_UPDATED : FERRY_OUTCOME_COPIED,
                       NULL, NULL, 0);
  else
    {
      queue_for_workers (shared, item);
      return;
    }
  ferry_plan_item_free (item);
}

/* Records and logs what the walk decided; queues what is to be copied
 * (or, in a verification, compared by content). */
static gboolean
on_plan_item (FerryPlanItem  *item,
              gpointer        user_data,
              GError        **error)
{
  FerryRunShared *shared = user_data;

  if (item->kind == FERRY_PLAN_ITEM_REFUSED &&
      (g_strcmp0 (item->code, "unreadable-folder") == 0 || g_strcmp0 (item->code, "unreadable-listing") == 0))
    {
      /* What the source did not show cannot be called gone from it. */
      g_mutex_lock (&shared->lock);
      shared->source_incomplete = TRUE;
      g_mutex_unlock (&shared->lock);
    }
  /* A repair copies what its verification named and leaves the rest
   * alone: not counted, not recorded (folders are still created by the
   * walk where a file needs them; a refused folder is still a failure). */
  if (shared->only != NULL && item->kind != FERRY_PLAN_ITEM_REFUSED &&
      !(item->kind == FERRY_PLAN_ITEM_FOLDER && item->decision.action == FERRY_PLAN_COPY) &&
      (item->kind == FERRY_PLAN_ITEM_EXTRA || !g_hash_table_contains (shared->only, item->relative)))
    {
      ferry_plan_item_free (item);
      return !g_cancellable_set_error_if_cancelled (shared->cancellable, error);
    }
  if (shared->kind == FERRY_RUN_KIND_VERIFY)
    {
      switch (_ferry_run_verify_item (shared, item))
        {
        case FERRY_VERIFY_QUEUE:
          queue_for_workers (shared, item);
          return !g_cancellable_set_error_if_cancelled (shared->cancellable, error);
        case FERRY_VERIFY_RECORDED:
          ferry_plan_item_free (item);
          return !g_cancellable_set_error_if_cancelled (shared->cancellable, error);
        case FERRY_VERIFY_AS_RUN:
        default:
          break;
        }
    }

  switch (item->kind)
    {
    case FERRY_PLAN_ITEM_EXTRA:
      /* Deleted after the copies. */
      g_mutex_lock (&shared->lock);
      g_ptr_array_add (shared->extras, g_steal_pointer (&item));
      g_mutex_unlock (&shared->lock);
      break;

    case FERRY_PLAN_ITEM_FOLDER:
      plan_folder (shared, item);
      break;

    case FERRY_PLAN_ITEM_REFUSED:
      _ferry_run_record (shared, item, FERRY_OUTCOME_REFUSED, item->code, item->message, 0);
      _ferry_run_post (shared, FERRY_LOG_ERROR, FERRY_LOG_KIND_FILE_FAILED, item->relative, item->message);
      _ferry_run_count (shared, &shared->counters.files_failed, 1);
      break;

    case FERRY_PLAN_ITEM_EXCLUDED:
      _ferry_run_record (shared, item, FERRY_OUTCOME_EXCLUDED, item->code, item->message, 0);
      g_mutex_lock (&shared->lock);
      if (item->source != NULL && item->source->type == FERRY_ENTRY_DIRECTORY)
        shared->counters.excluded_folders++;
      else
        shared->counters.excluded_files++;
      g_mutex_unlock (&shared->lock);
      break;

    case FERRY_PLAN_ITEM_IGNORED:
      _ferry_run_record (shared, item, FERRY_OUTCOME_IGNORED, item->code, item->message, 0);
      _ferry_run_post (shared, FERRY_LOG_INFO, FERRY_LOG_KIND_FILE_SKIPPED, item->relative, item->message);
      _ferry_run_count (shared, &shared->counters.files_skipped, 1);
      break;

    case FERRY_PLAN_ITEM_FILE:
      plan_file (shared, g_steal_pointer (&item));
      break;
    }

  ferry_plan_item_free (item);
  return !g_cancellable_set_error_if_cancelled (shared->cancellable, error);
}

/* Sets a flag the workers wait on, and wakes them. */
static void
raise_flag (FerryRunShared *shared,
            gboolean       *flag)
{
  g_mutex_lock (&shared->lock);
  *flag = TRUE;
  _ferry_run_wake (shared);
  g_mutex_unlock (&shared->lock);
}

/* The walk's login: a user name answered slowly makes the server far, and
 * the workers open their connections at once (work_in_sight() in
 * ferry-run-worker.c), their passwords waiting for this login to pass. */
static gboolean
walk_password_asked (gpointer data,
                     gint64   round_trip)
{
  FerryRunShared *shared = data;

  if (round_trip >= FERRY_RUN_FAR_US)
    raise_flag (shared, &shared->far);
  return TRUE;
}

static void
walk_source_login_passed (gpointer data)
{
  FerryRunShared *shared = data;

  raise_flag (shared, &shared->source_login_passed);
}

static void
walk_destination_login_passed (gpointer data)
{
  FerryRunShared *shared = data;

  raise_flag (shared, &shared->destination_login_passed);
}

/* No trace: protocol lines stay out of the run's log, which is for people
 * (G_MESSAGES_DEBUG=Ferry shows them on stderr). */
static FerryBackend *
open_backend (FerryRunShared  *shared,
              gboolean         source,
              GError         **error)
{
  return ferry_backend_new (source ? shared->source_connector : shared->destination_connector,
                            source ? shared->source_password : shared->destination_password,
                            error);
}

static void
post_started (FerryRunShared *shared)
{
  g_autofree char *source = g_strdup_printf ("%s:%s", ferry_connector_get_name (shared->source_connector),
                                             shared->source_root);
  g_autofree char *destination = g_strdup_printf ("%s:%s", ferry_connector_get_name (shared->destination_connector),
                                                  shared->destination_root);
  g_autofree char *text = ferry_log_line_started_message (shared->active_limit, source, destination);

  _ferry_run_post (shared, FERRY_LOG_INFO, FERRY_LOG_KIND_RUN_STARTED, NULL, text);
  _ferry_run_tune_started (shared);
}

/* Which comparison tells a file up to date in this run, in the log. */
static void
post_compared (FerryRunShared *shared)
{
  g_autofree char *message = NULL;
  const char *nick = ferry_enum_to_nick (FERRY_TYPE_RUN_COMPARED, shared->compared);

  if (shared->kind != FERRY_RUN_KIND_COPY)
    return;
  if (shared->compared == FERRY_RUN_COMPARED_SIZE_AND_RECORDED_TIME)
    message = g_strdup_printf ("%s %u", nick, ferry_recorded_times_get_count (shared->recorded));
  else
    message = g_strdup (nick);
  _ferry_run_post (shared, FERRY_LOG_INFO, FERRY_LOG_KIND_COMPARED, NULL, message);
}

/* The source root is a folder; a passing failure (a 421 at the first
 * login) is asked again, after 0.5 s and 1 s, as the planner's listings are. */
static gboolean
check_source (FerryRunShared  *shared,
              FerryBackend    *source,
              GError         **error)
{
  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;

      if (ferry_backend_check_folder (source, shared->source_root, shared->cancellable, &local_error))
        return TRUE;
      if (attempt >= 3 || !ferry_error_is_transient (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      _ferry_run_sleep (shared, (G_USEC_PER_SEC / 2) * attempt);
    }
}

/* The workers wait for more than one entry before they log in (see
 * warm_up()). */
static void
on_listed (guint    n_entries,
           gpointer user_data)
{
  FerryRunShared *shared = user_data;

  g_mutex_lock (&shared->lock);
  shared->entries_listed += n_entries;
  _ferry_run_wake (shared);
  g_mutex_unlock (&shared->lock);
}

/* Logs the walk in before the workers (see warm_up()) and walks. A refused
 * login is the run's answer, with no second try behind it; anything else
 * (a 421, a reset) the walk's own retries deal with. */
static gboolean
walk (FerryRunShared  *shared,
      FerryBackend   **walk_source,
      FerryBackend   **walk_destination,
      FerryConnector **unreached,
      GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  FerryPlanOptions options = { 0, };
  gboolean walked;

  if (!ferry_backend_connect (*walk_source, shared->cancellable, &local_error))
    *unreached = shared->source_connector;
  else if (!ferry_backend_connect (*walk_destination, shared->cancellable, &local_error))
    *unreached = shared->destination_connector;
  else
    {
      g_mutex_lock (&shared->lock);
      shared->walker_ready = TRUE;
      shared->walker_ready_at = g_get_monotonic_time ();
      /* A round trip the source's login measured says it now; else the
       * check of the source folder below does. */
      if ((*walk_source)->round_trip >= FERRY_RUN_FAR_US)
        shared->far = TRUE;
      _ferry_run_wake (shared);
      g_mutex_unlock (&shared->lock);
    }
  if (local_error != NULL && !g_error_matches (local_error, FERRY_ERROR, FERRY_ERROR_LOGIN) &&
      !g_error_matches (local_error, FERRY_ERROR, FERRY_ERROR_TLS_REQUIRED) &&
      !g_cancellable_is_cancelled (shared->cancellable))
    g_clear_error (&local_error);
  if (local_error != NULL)
    {
      /* The workers waiting to log in must hear that there is nothing
       * coming, or the run waits for them forever (a password changed on
       * the server since it was saved: found with an SMB share). */
      g_mutex_lock (&shared->lock);
      shared->walk_done = TRUE;
      _ferry_run_wake (shared);
      g_cancellable_cancel (shared->warm_up);
      g_mutex_unlock (&shared->lock);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* A missing source folder must fail the run, not copy nothing and call
   * it done, and a file named as the source must not be copied as a folder
   * holding itself: asked once, before anything is listed or written. It
   * is one round trip on a session logged in: where it takes long, the
   * workers log in now rather than after the first listing (see
   * work_in_sight() in ferry-run-worker.c). */
  if (!check_source (shared, *walk_source, error))
    {
      *unreached = shared->source_connector;
      g_mutex_lock (&shared->lock);
      shared->walk_done = TRUE;
      _ferry_run_wake (shared);
      g_cancellable_cancel (shared->warm_up);
      g_mutex_unlock (&shared->lock);
      return FALSE;
    }
  g_mutex_lock (&shared->lock);
  if (g_get_monotonic_time () - shared->walker_ready_at >= FERRY_RUN_FAR_US &&
      ferry_connector_get_kind (shared->source_connector) != FERRY_CONNECTOR_KIND_LOCAL)
    {
      shared->far = TRUE;
      _ferry_run_wake (shared);
    }
  g_mutex_unlock (&shared->lock);
  options.policy = shared->policy;
  options.filter = shared->filter;
  options.dry_run = shared->dry_run || shared->kind == FERRY_RUN_KIND_VERIFY;
  options.sizes_only = shared->times_not_kept;
  options.recorded = shared->recorded;
  options.extras = shared->delete_extra || shared->kind == FERRY_RUN_KIND_VERIFY;
  options.listed = on_listed;
  /* Workers with nothing to copy yet list the source's folders ahead of
   * the walk; on this machine's disk a listing costs no round trip. In a
   * verification by listing, that is all the workers do. */
  if (shared->n_workers > 0 && !shared->dry_run &&
      ferry_connector_get_kind (shared->source_connector) != FERRY_CONNECTOR_KIND_LOCAL)
    {
      options.list_ahead = _ferry_run_list_ahead;
      options.take_listing = _ferry_run_take_listing;
    }
  if (shared->kind == FERRY_RUN_KIND_VERIFY)
    options.policy = FERRY_EXISTING_SKIP_IDENTICAL;   /* the decision is the comparison */
  walked = ferry_planner_walk (*walk_source, shared->source_root,
                               *walk_destination, shared->destination_root,
                               &options, on_plan_item, shared,
                               shared->cancellable, error);

  /* The walk's sessions go to a worker that has not logged in yet. */
  g_mutex_lock (&shared->lock);
  if (walked && shared->walker_ready)
    {
      shared->spare_source = g_steal_pointer (walk_source);
      shared->spare_destination = g_steal_pointer (walk_destination);
    }
  g_mutex_unlock (&shared->lock);
  g_clear_pointer (walk_source, ferry_backend_free);
  g_clear_pointer (walk_destination, ferry_backend_free);

  g_mutex_lock (&shared->lock);
  shared->walk_done = TRUE;
  _ferry_run_wake (shared);
  /* Workers still logging in would find nothing left to do. */
  if (g_queue_is_empty (&shared->items))
    g_cancellable_cancel (shared->warm_up);
  g_mutex_unlock (&shared->lock);
  return walked;
}

void
_ferry_run_touch_folder_of (FerryRunShared *shared,
                            const char     *path)
{
  g_hash_table_add (shared->touched, g_path_get_dirname (path));
}

static int
deepest_first (gconstpointer a,
               gconstpointer b)
{
  const char *pa = *(const char **) a;
  const char *pb = *(const char **) b;
  guint da = 0, db = 0;

  for (const char *p = pa; *p != '\0'; p++)
    da += *p == '/';
  for (const char *p = pb; *p != '\0'; p++)
    db += *p == '/';
  return da != db ? (int) db - (int) da : strcmp (pa, pb);
}

/* Folder times: a folder's time changes whenever an entry in it does, so
 * they are set at the end, deepest first, on the folders this run created
 * or wrote into. Best effort: a destination that cannot set a folder's
 * time (vsftpd, servers without MFMT) keeps the time of copying, and the
 * files' warning says so already. */
static void
keep_folder_times (FerryRunShared  *shared,
                   FerryBackend   **session)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, shared->folder_times);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_hash_table_contains (shared->touched, key))
      g_ptr_array_add (paths, key);
  if (paths->len == 0)
    return;
  g_ptr_array_sort (paths, deepest_first);
  if (*session == NULL)
    *session = open_backend (shared, FALSE, NULL);
  for (guint i = 0; *session != NULL && i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      const gint64 *mtime = g_hash_table_lookup (shared->folder_times, path);
      g_autoptr(GError) error = NULL;

      if (g_cancellable_is_cancelled (shared->cancellable))
        break;
      if (!ferry_backend_set_mtime (*session, path, *mtime, shared->cancellable, &error))
        {
          g_debug ("folder time of %s not kept: %s", path, error->message);
          /* Not supported here: no use asking for every other folder. */
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED) || ferry_error_is_transient (error))
            break;
        }
    }
}

/* Opens every session (without logging in), starts the workers, walks and
 * waits for them. FALSE when the walk failed. */
static gboolean
copy_tree (FerryRunShared  *shared,
           FerryConnector **unreached,
           GError         **error)
{
  g_autoptr(FerryBackend) walk_source = NULL;
  g_autoptr(FerryBackend) walk_destination = NULL;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  /* A dry run has no workers: the walk is the whole of it. A verification
   * by listing has them only to list the source's folders ahead of the
   * walk, where the source is remote (see walk()). */
  guint n_workers = shared->dry_run ? 0 : shared->n_workers;
  FerryRunWorker *workers = g_new0 (FerryRunWorker, MAX (n_workers, 1));
  gboolean walked = FALSE;
  gboolean opened;

  if (shared->kind == FERRY_RUN_KIND_VERIFY && !shared->checksum &&
      ferry_connector_get_kind (shared->source_connector) == FERRY_CONNECTOR_KIND_LOCAL)
    n_workers = 0;
  walk_source = open_backend (shared, TRUE, error);
  opened = walk_source != NULL && (walk_destination = open_backend (shared, FALSE, error)) != NULL;
  if (opened)
    {
      walk_source->before_password = walk_destination->before_password = walk_password_asked;
      walk_source->login_passed = walk_source_login_passed;
      walk_destination->login_passed = walk_destination_login_passed;
      walk_source->login_data = walk_destination->login_data = shared;
    }
  for (guint i = 0; opened && i < n_workers; i++)
    {
      workers[i].shared = shared;
      workers[i].index = i;
      workers[i].source = open_backend (shared, TRUE, error);
      workers[i].destination = workers[i].source != NULL ? open_backend (shared, FALSE, error) : NULL;
      opened = workers[i].destination != NULL;
      if (opened)
        {
          workers[i].source->before_password = _ferry_run_worker_source_gate;
          workers[i].destination->before_password = _ferry_run_worker_destination_gate;
          workers[i].source->login_data = workers[i].destination->login_data = &workers[i];
        }
    }

  if (opened)
    {
      _ferry_run_space_login (shared, NULL);
      g_mutex_lock (&shared->lock);
      shared->workers_running = n_workers;
      shared->workers = workers;
      g_mutex_unlock (&shared->lock);
      for (guint i = 0; i < n_workers; i++)
        g_ptr_array_add (threads, g_thread_new ("ferry-worker", _ferry_run_worker_thread, &workers[i]));
      walked = walk (shared, &walk_source, &walk_destination, unreached, error);
      for (guint i = 0; i < threads->len; i++)
        g_thread_join (g_ptr_array_index (threads, i));
      g_mutex_lock (&shared->lock);
      shared->workers = NULL;
      g_mutex_unlock (&shared->lock);
    }

  if (walked && !shared->dry_run && !g_cancellable_is_cancelled (shared->cancellable))
    {
      g_autoptr(FerryBackend) session = NULL;

      g_mutex_lock (&shared->lock);
      session = g_steal_pointer (&shared->spare_destination);
      g_mutex_unlock (&shared->lock);
      keep_folder_times (shared, &session);
    }

  g_mutex_lock (&shared->lock);
  g_clear_pointer (&shared->spare_source, ferry_backend_free);
  g_clear_pointer (&shared->spare_destination, ferry_backend_free);
  /* What a stopped run had queued and no worker took: not copied. */
  while (!g_queue_is_empty (&shared->items))
    {
      g_autoptr(FerryPlanItem) item = g_queue_pop_head (&shared->items);

      _ferry_run_record (shared, item, FERRY_OUTCOME_CANCELLED, "cancelled", NULL, 0);
    }
  g_mutex_unlock (&shared->lock);
  for (guint i = 0; i < n_workers; i++)
    {
      g_clear_pointer (&workers[i].source, ferry_backend_free);
      g_clear_pointer (&workers[i].destination, ferry_backend_free);
    }
  g_free (workers);

  /* Deletions once every copy is done, and only after a whole walk. */
  if (walked && !g_cancellable_is_cancelled (shared->cancellable) && shared->extras->len > 0)
    _ferry_run_delete_extras (shared);
  return walked;
}

static void
post_summary (FerryRunShared         *shared,
              const FerryRunCounters *totals,
              gint64                  started)
{
  guint64 numbers[] = {
    [FERRY_LOG_SUMMARY_COPIED] = totals->files_done,
    [FERRY_LOG_SUMMARY_BYTES] = totals->bytes_done,
    [FERRY_LOG_SUMMARY_SKIPPED] = totals->files_skipped,
    [FERRY_LOG_SUMMARY_FAILED] = totals->files_failed,
    [FERRY_LOG_SUMMARY_TENTHS] = MAX (g_get_monotonic_time () - started, 0) / 100000,
  };

  _ferry_run_post_numbers (shared, FERRY_LOG_INFO, FERRY_LOG_KIND_SUMMARY, NULL, numbers, G_N_ELEMENTS (numbers));
}

static void
post_verify_summary (FerryRunShared         *shared,
                     const FerryRunCounters *totals)
{
  guint64 numbers[] = {
    [FERRY_LOG_VERIFY_COMPARED] = totals->files_total,
    [FERRY_LOG_VERIFY_DIFFERENCES] = totals->differences,
    [FERRY_LOG_VERIFY_FAILED] = totals->files_failed,
  };

  _ferry_run_post_numbers (shared, FERRY_LOG_INFO, FERRY_LOG_KIND_VERIFY_SUMMARY, NULL, numbers, G_N_ELEMENTS (numbers));
}

static void
save_record (FerryRunShared         *shared,
             FerryRunState           state,
             const FerryRunCounters *totals,
             const GError           *error)
{
  g_autoptr(GError) save_error = NULL;
  FerryRunRecord *record = shared->record;

  if (record == NULL)
    return;
  record->state = state;
  record->ended = g_get_real_time () / G_USEC_PER_SEC;
  record->files_done = totals->files_done;
  record->files_skipped = totals->files_skipped;
  record->files_failed = totals->files_failed;
  record->files_total = totals->files_total;
  record->bytes_done = totals->bytes_done;
  record->bytes_total = totals->bytes_total;
  record->files_deleted = totals->files_deleted;
  record->differences = totals->differences;
  record->files_missing = totals->missing;
  record->files_differing = totals->differing;
  record->files_extra = totals->extra;
  record->differ_how = totals->differ_how;
  g_free (record->message);
  record->message = error != NULL ? g_strdup (error->message) : NULL;
  g_mutex_lock (&shared->lock);
  record->times_not_kept = shared->times_not_kept;
  g_mutex_unlock (&shared->lock);
  record->compared = shared->kind == FERRY_RUN_KIND_COPY ? shared->compared : FERRY_RUN_COMPARED_UNKNOWN;
  if (!ferry_run_record_save (record, &save_error))
    _ferry_run_post (shared, FERRY_LOG_WARNING, FERRY_LOG_KIND_NOTE, NULL, save_error->message);
}

/* A summary that says "running" before the first byte moves, so a crash
 * shows as interrupted; the journal, log and records files open. Here and
 * not on the main thread: the summary is written durably (an fsync). */
static gboolean
begin_record (FerryRunShared  *shared,
              GError         **error)
{
  g_autofree char *outcomes_path = NULL;
  FerryRunRecord *record = ferry_run_record_begin (shared->transfer_id, error);

  if (record == NULL)
    return FALSE;
  /* Known from the end's save on; one that dies before reads back as an
   * interrupted copy that copied nothing. */
  record->kind = shared->kind;
  outcomes_path = ferry_run_record_dup_path (record, ".records");
  shared->outcomes = ferry_outcome_writer_open (outcomes_path, error);
  g_mutex_lock (&shared->log_lock);
  shared->record = record;
  g_mutex_unlock (&shared->log_lock);
  return shared->outcomes != NULL;
}

gpointer
_ferry_run_controller_thread (gpointer data)
{
  FerryRunShared *shared = data;
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  FerryRunState state;
  FerryRunCounters totals;
  gboolean walked = FALSE;
  FerryConnector *unreached = NULL;   /* the side a failure is about, if known */

  /* What an earlier run learned of the destination: it cannot keep times
   * (a server without MFMT), so sizes alone tell a copy is done. Read
   * before this run's own record exists. */
  if (shared->transfer_id != NULL)
    {
      g_autoptr(FerryRunRecord) previous = ferry_run_history_latest (shared->transfer_id, NULL);

      shared->times_not_kept = previous != NULL && previous->times_not_kept;
      /* The source's times when each file was last copied stand in for
       * the destination's (ferry-recorded-times.h). */
      if (shared->times_not_kept)
        shared->recorded = ferry_recorded_times_load (shared->transfer_id, shared->cancellable);
    }
  if (!shared->times_not_kept)
    shared->compared = FERRY_RUN_COMPARED_SIZE_AND_TIME;
  else if (ferry_recorded_times_get_count (shared->recorded) > 0)
    shared->compared = FERRY_RUN_COMPARED_SIZE_AND_RECORDED_TIME;
  else
    shared->compared = FERRY_RUN_COMPARED_SIZE_ONLY;

  /* A dry run leaves no history. */
  if (shared->dry_run || begin_record (shared, &error))
    {
      post_started (shared);
      post_compared (shared);
      if (shared->repair_of == NULL || _ferry_run_load_repair (shared, &error))
        walked = copy_tree (shared, &unreached, &error);
    }

  g_mutex_lock (&shared->lock);
  if (shared->fatal_error != NULL)
    {
      g_clear_error (&error);
      error = g_error_copy (shared->fatal_error);
      state = FERRY_RUN_STATE_FAILED;
    }
  else if (g_cancellable_is_cancelled (shared->cancellable))
    state = FERRY_RUN_STATE_CANCELLED;
  else if (!walked)
    state = FERRY_RUN_STATE_FAILED;
  else if (shared->counters.files_failed > 0 || shared->counters.differences > 0)
    state = FERRY_RUN_STATE_COMPLETED_WITH_ERRORS;
  else
    state = FERRY_RUN_STATE_COMPLETED;
  totals = shared->counters;
  g_mutex_unlock (&shared->lock);

  /* Not libcurl's words ("Failed to connect to 127.0.0.1 port 2121 after
   * 0 ms"): the connection check's, which say which side, which step and
   * what to do. */
  if (state == FERRY_RUN_STATE_FAILED && error != NULL)
    {
      FerryConnector *side = unreached != NULL ? unreached : shared->destination_connector;
      g_autofree char *explained = NULL;

      if (unreached != NULL || error->code == FERRY_ERROR_CONNECT || error->code == FERRY_ERROR_RESOLVE)
        explained = ferry_connection_check_explain (side, side == shared->source_connector
                                                          ? _("the source") : _("the destination"),
                                                    error);
      if (explained != NULL)
        {
          g_debug ("the run failed: %s", error->message);
          g_free (error->message);
          error->message = g_steal_pointer (&explained);
        }
      _ferry_run_post (shared, FERRY_LOG_ERROR, FERRY_LOG_KIND_RUN_FAILED, NULL, error->message);
    }
  else if (state == FERRY_RUN_STATE_CANCELLED)
    _ferry_run_post (shared, FERRY_LOG_WARNING, FERRY_LOG_KIND_RUN_CANCELLED, NULL, NULL);
  /* What the filters left out, said once: a user wondering where a file
   * went finds it here (each one is in the records, with its pattern). */
  if (walked && (totals.excluded_files > 0 || totals.excluded_folders > 0))
    {
      guint64 numbers[] = {
        [FERRY_LOG_FILTERED_FILES] = totals.excluded_files,
        [FERRY_LOG_FILTERED_FOLDERS] = totals.excluded_folders,
      };

      _ferry_run_post_numbers (shared, FERRY_LOG_INFO, FERRY_LOG_KIND_FILTERED, NULL, numbers, G_N_ELEMENTS (numbers));
    }
  /* A verification that did not get through the tree has no verdict:
   * "all 0 files compared" must never follow a failure. */
  if (shared->kind == FERRY_RUN_KIND_VERIFY)
    {
      if (state == FERRY_RUN_STATE_COMPLETED || state == FERRY_RUN_STATE_COMPLETED_WITH_ERRORS)
        post_verify_summary (shared, &totals);
    }
  else if (!shared->dry_run)
    post_summary (shared, &totals, started);
  save_record (shared, state, &totals, error);

  g_mutex_lock (&shared->lock);
  shared->final_state = state;
  if (state == FERRY_RUN_STATE_CANCELLED && error == NULL)
    error = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_CANCELLED, _("The run was cancelled"));
  if ((state == FERRY_RUN_STATE_FAILED || state == FERRY_RUN_STATE_CANCELLED) && shared->fatal_error == NULL)
    shared->fatal_error = g_steal_pointer (&error);
  shared->finished = TRUE;
  g_mutex_unlock (&shared->lock);
  /* The main context learns of the end now, not at the drain's next tick:
   * a one-file run would wait up to a tenth of a second for nothing. */
  if (shared->drain != NULL)
    g_source_set_ready_time (shared->drain, 0);

  _ferry_run_shared_unref (shared);
  return NULL;
}
