/* ferry-run-worker.c: a worker thread of a run. It takes planned files
 * from the queue one at a time and copies each with its own sessions
 * (logged in once, reused for every file): the exact time asked where the
 * listing was vague, retries with backoff on a passing failure, a resume
 * from the partial copy, and one outcome record per file whatever happens.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "ferry-enums.h"
#include "ferry-error.h"
#include "ferry-nick.h"
#include "ferry-name.h"
#include "ferry-run-private.h"

#define MAX_TRIES               5
#define MAX_TRIES_WITH_PROGRESS 100   /* bound on resumes of one file */
#define MAX_TRIES_WHEN_BUSY     30    /* bound on "too many connections" */

/* How much of the temporary file is usable for a resume, 0 for none. */
static guint64
partial_size (FerryRunWorker *worker,
              FerryPlanItem  *item,
              const char     *temp_path)
{
  g_autoptr(FerryEntry) entry = NULL;

  entry = ferry_backend_stat (worker->destination, temp_path, worker->shared->cancellable, NULL);
  if (entry == NULL || entry->type != FERRY_ENTRY_FILE || !entry->size_known)
    return 0;
  if (item->source->size_known && entry->size >= item->source->size)
    return 0;
  return entry->size;
}

/* The walk's sessions, logged in and idle once it is done, replace a
 * worker's unopened ones: a short run needs no further login. Called with
 * the lock held. */
gboolean
_ferry_run_take_spares (FerryRunWorker *worker)
{
  FerryRunShared *shared = worker->shared;

  if (shared->spare_source == NULL)
    return FALSE;
  ferry_backend_free (worker->source);
  ferry_backend_free (worker->destination);
  worker->source = g_steal_pointer (&shared->spare_source);
  worker->destination = g_steal_pointer (&shared->spare_destination);
  worker->logged_in = TRUE;
  g_atomic_int_set (&worker->connected, TRUE);
  return TRUE;
}

static void
log_in_first (FerryRunWorker *worker)
{
  FerryRunShared *shared = worker->shared;
  gboolean taken;

  if (worker->logged_in)
    return;
  g_mutex_lock (&shared->lock);
  taken = _ferry_run_take_spares (worker);
  g_mutex_unlock (&shared->lock);
  if (!taken)
    _ferry_run_space_login (shared, NULL);
  worker->logged_in = TRUE;
}

/* A LIST gives minutes or days; the copy deserves the exact time (MDTM),
 * asked only for files that are copied. A server that cannot say keeps the
 * listing's time; a connection lost while asking is one more failed try,
 * returned as FALSE. */
static gboolean
ask_exact_time (FerryRunWorker  *worker,
                FerryPlanItem   *item,
                GError         **error)
{
  g_autoptr(GError) time_error = NULL;
  gint64 exact;

  /* SFTP tells the time with the read itself (ferry-run-pipe.c). */
  if (item->source->precision >= FERRY_TIME_SECONDS || worker->source->times_with_read)
    return TRUE;
  if (ferry_backend_get_mtime (worker->source, item->source_path, &exact,
                               worker->shared->cancellable, &time_error))
    {
      item->source->mtime = exact;
      item->source->precision = FERRY_TIME_SECONDS;
      return TRUE;
    }
  if (ferry_error_is_transient (time_error) ||
      g_error_matches (time_error, FERRY_ERROR, FERRY_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&time_error));
      return FALSE;
    }
  return TRUE;
}

static void
file_copied (FerryRunShared *shared,
             FerryPlanItem  *item,
             guint64         resumed_at,
             guint           tries)
{
  g_autofree char *size = resumed_at > 0 ? g_format_size (resumed_at) : NULL;
  FerryOutcomeKind kind = FERRY_OUTCOME_COPIED;

  if (resumed_at > 0)
    kind = FERRY_OUTCOME_RESUMED;
  else if (item->destination != NULL)
    kind = FERRY_OUTCOME_UPDATED;
  /* Counted, and its folder marked as changed, under one lock. */
  g_mutex_lock (&shared->lock);
  shared->counters.files_done++;
  _ferry_run_touch_folder_of (shared, item->destination_path);
  g_mutex_unlock (&shared->lock);
  _ferry_run_record (shared, item, kind, NULL, NULL, tries);
  _ferry_run_post (shared, FERRY_LOG_INFO, FERRY_LOG_KIND_FILE_COPIED, item->relative, size);
  _ferry_run_tune (shared);
}

static const char *
reason_of (const GError *error)
{
  if (error->domain == FERRY_ERROR)
    return ferry_enum_to_nick (FERRY_TYPE_ERROR, error->code);
  return "io-error";
}

static void
file_failed (FerryRunShared *shared,
             FerryPlanItem  *item,
             const GError   *error,
             guint           tries)
{
  _ferry_run_count (shared, &shared->counters.files_failed, 1);
  _ferry_run_record (shared, item, FERRY_OUTCOME_FAILED, reason_of (error), error->message, tries);
  _ferry_run_post (shared, FERRY_LOG_ERROR, FERRY_LOG_KIND_FILE_FAILED, item->relative, error->message);
}

/* A "too many connections" answer (421, or a 530 that says so): the
 * highest worker retires for the rest of the run, and the walk's idle
 * sessions, if no worker took them, log out to free their places. The
 * warning names the connections that go on: the workers still at work,
 * never more than the new limit. */
static void
fewer_connections (FerryRunWorker *worker)
{
  FerryRunShared *shared = worker->shared;
  g_autofree char *text = NULL;
  g_autofree char *learned = NULL;
  FerryBackend *spare_source;
  FerryBackend *spare_destination;
  guint in_use = 0;

  g_mutex_lock (&shared->lock);
  /* As many as the other workers whose sessions the server took, but
   * fewer than before; one at least, to go on. */
  for (guint i = 0; shared->workers != NULL && i < shared->n_workers; i++)
    if (&shared->workers[i] != worker && i < shared->active_limit &&
        g_atomic_int_get (&shared->workers[i].connected))
      in_use++;
  shared->active_limit = MAX (1, MIN (shared->active_limit - 1, in_use));
  shared->counters.connections = shared->active_limit;
  in_use = MIN (shared->active_limit, shared->workers_running);
  learned = _ferry_run_tune_refused (shared, shared->active_limit);
  spare_source = g_steal_pointer (&shared->spare_source);
  spare_destination = g_steal_pointer (&shared->spare_destination);
  g_mutex_unlock (&shared->lock);
  g_clear_pointer (&spare_source, ferry_backend_free);
  g_clear_pointer (&spare_destination, ferry_backend_free);
  text = g_strdup_printf (_("The server has too many connections: going on with %u"), MAX (in_use, 1));
  _ferry_run_post (shared, FERRY_LOG_WARNING, FERRY_LOG_KIND_NOTE, NULL, text);
  if (learned != NULL)
    _ferry_run_post (shared, FERRY_LOG_INFO, FERRY_LOG_KIND_NOTE, NULL, learned);
}

/* After fewer_connections(): whether this worker is one too many now. */
static gboolean
retired (FerryRunWorker *worker)
{
  gboolean result;

  g_mutex_lock (&worker->shared->lock);
  result = worker->index != 0 && worker->index >= worker->shared->active_limit;
  g_mutex_unlock (&worker->shared->lock);
  return result;
}

/* "Too many connections": one fewer for the run, and when that retires this
 * worker, its file goes back to the queue for another worker to copy on a
 * connection the server took. TRUE when it did. */
static gboolean
hand_back_when_too_many (FerryRunWorker *worker,
                         FerryPlanItem  *item)
{
  FerryRunShared *shared = worker->shared;

  g_atomic_int_set (&worker->connected, FALSE);
  fewer_connections (worker);
  if (!retired (worker))
    return FALSE;
  g_mutex_lock (&shared->lock);
  if (worker->next != NULL)
    {
      g_queue_push_head (&shared->items, g_steal_pointer (&worker->next));
      shared->busy--;
    }
  g_queue_push_head (&shared->items, item);
  _ferry_run_wake (shared);
  g_mutex_unlock (&shared->lock);
  return TRUE;
}

/* One file, tried until it is copied, fails for good or the run stops;
 * FALSE when it was handed back to the queue (the item is the queue's). */
static gboolean
copy_file (FerryRunWorker *worker,
           FerryPlanItem  *item)
{
  FerryRunShared *shared = worker->shared;
  g_autofree char *temp_path = ferry_path_temp_name (item->destination_path);
  guint64 offset = item->decision.action == FERRY_PLAN_RESUME ? item->partial_size : 0;

  log_in_first (worker);
  for (guint attempt = 1, tries = 1; ; attempt++, tries++)
    {
      g_autoptr(GError) error = NULL;
      guint64 moved = 0;
      gboolean transient;
      gboolean copied = FALSE;

      if (g_cancellable_is_cancelled (shared->cancellable))
        break;

      if (ask_exact_time (worker, item, &error))
        {
          ferry_backend_hint_read (worker->source, worker->next != NULL ? worker->next->source_path : NULL);
          _ferry_run_count (shared, &shared->counters.bytes_done, offset);
          copied = _ferry_run_copy_once (worker, item, temp_path, offset, &moved, &error);
          if (!copied)
            _ferry_run_count (shared, &shared->counters.bytes_done, -(gint64) offset);
        }
      if (copied)
        {
          g_atomic_int_set (&worker->connected, TRUE);
          file_copied (shared, item, offset, tries);
          return TRUE;
        }
      /* What this attempt added no longer counts: the next one recounts
       * whatever it resumes from. */
      _ferry_run_count (shared, &shared->counters.bytes_done, -(gint64) moved);

      if (g_cancellable_is_cancelled (shared->cancellable) || _ferry_run_is_cancel_error (error))
        break;

      if (g_error_matches (error, FERRY_ERROR, FERRY_ERROR_NO_SPACE))
        {
          file_failed (shared, item, error, tries);
          _ferry_run_fail (shared, error);
          return TRUE;
        }

      transient = ferry_error_is_transient (error);
      if (!transient && offset > 0 && attempt < MAX_TRIES)
        {
          /* The destination may not take appends: start over once. */
          _ferry_run_post (shared, FERRY_LOG_WARNING, FERRY_LOG_KIND_FILE_RESTART, item->relative,
                           error->message);
          offset = 0;
          continue;
        }
      /* An attempt that moved data earns a fresh series of tries: a flaky
       * link may need many resumes for one big file, each one progress. */
      if (moved > 0 && transient && tries < MAX_TRIES_WITH_PROGRESS)
        attempt = 1;
      /* A busy server is no fault of the file: the tries go on, with
       * pauses of at most 2 s, while other workers finish. */
      if (g_error_matches (error, FERRY_ERROR, FERRY_ERROR_TOO_MANY) && tries < MAX_TRIES_WHEN_BUSY)
        attempt = MIN (attempt, 3);
      if (!transient || attempt >= MAX_TRIES)
        {
          file_failed (shared, item, error, tries);
          return TRUE;
        }

      if (g_error_matches (error, FERRY_ERROR, FERRY_ERROR_TOO_MANY))
        {
          if (hand_back_when_too_many (worker, item))
            return FALSE;
        }
      else
        _ferry_run_post (shared, FERRY_LOG_WARNING, FERRY_LOG_KIND_FILE_RETRY, item->relative,
                         error->message);

      /* 0.5 s, 1 s, 2 s, 4 s, each ±50 % so workers do not retry in step. */
      _ferry_run_sleep (shared, (gint64) (500 * 1000 * (1 << (attempt - 1)) *
                                          g_random_double_range (0.5, 1.5)));
      offset = partial_size (worker, item, temp_path);
    }
  /* Stopped before it was done: the report says so. */
  _ferry_run_record (shared, item, FERRY_OUTCOME_CANCELLED, "cancelled", NULL, 0);
  return TRUE;
}

/* A file alike by listing in a copy that compares contents (--checksum,
 * or a repair of a file that differed in content): left alone when the
 * contents match, copied over when they differ. The bytes read to compare
 * are not bytes copied. FALSE when it was handed back to the queue. */
static gboolean
compare_then_copy (FerryRunWorker *worker,
                   FerryPlanItem  *item)
{
  FerryRunShared *shared = worker->shared;
  g_autoptr(GError) error = NULL;
  const char *how = NULL;
  gboolean same = FALSE;
  guint tries = 0;

  log_in_first (worker);
  if (!_ferry_run_compare_contents (worker, item, FALSE, &same, &how, &tries, &error))
    {
      if (_ferry_run_is_cancel_error (error))
        _ferry_run_record (shared, item, FERRY_OUTCOME_CANCELLED, "cancelled", NULL, 0);
      else
        file_failed (shared, item, error, tries);
      return TRUE;
    }
  if (same)
    {
      _ferry_run_record (shared, item, FERRY_OUTCOME_UP_TO_DATE, how, NULL, 0);
      g_mutex_lock (&shared->lock);
      shared->counters.files_skipped++;
      shared->counters.bytes_skipped += item->source->size;
      g_mutex_unlock (&shared->lock);
      return TRUE;
    }
  {
    guint64 numbers[] = { [FERRY_LOG_DIFFERS_OUTCOME] = FERRY_OUTCOME_DIFFERS,
                          [FERRY_LOG_DIFFERS_HOW] = FERRY_DIFFERENCE_CONTENT };

    _ferry_run_post_numbers (shared, FERRY_LOG_INFO, FERRY_LOG_KIND_FILE_DIFFERS, item->relative,
                             numbers, G_N_ELEMENTS (numbers));
  }
  item->decision.action = FERRY_PLAN_COPY;
  item->decision.code = NULL;
  item->code = NULL;
  return copy_file (worker, item);
}

/* Whether a worker has work in sight: the walk is logged in, more files
 * are queued than there are workers before this one, and the walk has
 * listed more than one entry (a run of one file copies it on the walk's
 * own session, with no login of its own). On a far server (the walk's
 * first command took FERRY_RUN_FAR_US or more) the workers log in as soon
 * as the walk is in: each login is four round trips or more, and waiting
 * for the first listing put them after it on every run, where the folders
 * listed ahead and the first files need them; the logins of a run of one
 * file are the price. Called with the lock held. */
static gboolean
work_in_sight (FerryRunWorker *worker)
{
  FerryRunShared *shared = worker->shared;

  return (shared->far ||
          (shared->walker_ready &&
           (shared->queued > worker->index || shared->ahead_queued > worker->index) && shared->entries_listed > 1)) &&
         (worker->index == 0 || worker->index < shared->active_limit);
}

/* How long a worker's password waits for the walk's login at most: then
 * its login fails, and the first real command logs in again. */
#define PASSWORD_GATE_US (10 * G_USEC_PER_SEC)

/* A worker's login waits at the password until the walk's login to the
 * same side has passed (its 230), so on a far server its connection and
 * user name go while the walk logs in (work_in_sight()): a wrong password
 * still costs the server one failed login, not one a connection, and a
 * server that counts sessions at the password (ProFTPD's
 * MaxClientsPerHost) still counts the walk's first. The passwords that
 * waited go out spaced, as the logins do. */
static gboolean
password_gate (FerryRunWorker *worker,
               gboolean        source)
{
  FerryRunShared *shared = worker->shared;
  gboolean *passed = source ? &shared->source_login_passed : &shared->destination_login_passed;
  gint64 until = g_get_monotonic_time () + PASSWORD_GATE_US;
  gboolean waited = FALSE;
  gboolean go;

  g_mutex_lock (&shared->lock);
  while (!*passed && !shared->walker_ready && !shared->walk_done && g_get_monotonic_time () < until &&
         !g_cancellable_is_cancelled (shared->cancellable) && !g_cancellable_is_cancelled (shared->warm_up))
    {
      waited = TRUE;
      _ferry_run_wait (shared, MIN (until, g_get_monotonic_time () + 50 * 1000));
    }
  go = (*passed || shared->walker_ready) && !g_cancellable_is_cancelled (shared->cancellable);
  g_mutex_unlock (&shared->lock);
  if (go && waited)
    _ferry_run_space_login (shared, NULL);
  return go;
}

gboolean
_ferry_run_worker_source_gate (gpointer data,
                               gint64   round_trip)
{
  return password_gate (data, TRUE);
}

gboolean
_ferry_run_worker_destination_gate (gpointer data,
                                    gint64   round_trip)
{
  return password_gate (data, FALSE);
}

/* Logs a worker in while the walk is still listing, so the first files do
 * not wait for a login after them; logins stay spaced. Given up as soon as
 * the walk ends with nothing to copy (a rerun with nothing changed) or the
 * run stops. A failure here is left for the first real command to report.
 *
 * The walk's own logins come first (on a far server only the passwords
 * wait: password_gate()): every file waits for its listing, a
 * server hashing five passwords at once answers all of them late, and a
 * server that counts sessions at the password (ProFTPD's
 * MaxClientsPerHost) must count the walk's before any worker's. And a
 * worker logs in only once there is work for it: a rerun with nothing
 * changed, or a run of one file, costs the server the walk's login alone. */
static void
warm_up (FerryRunWorker *worker)
{
  FerryRunShared *shared = worker->shared;
  GCancellable *cancellable = shared->warm_up;   /* stop_run() cancels it too */

  if (ferry_connector_get_kind (shared->source_connector) == FERRY_CONNECTOR_KIND_LOCAL &&
      ferry_connector_get_kind (shared->destination_connector) == FERRY_CONNECTOR_KIND_LOCAL)
    return;

  g_mutex_lock (&shared->lock);
  while (!work_in_sight (worker) && !shared->walk_done && !g_cancellable_is_cancelled (cancellable))
    _ferry_run_wait (shared, g_get_monotonic_time () + 50 * 1000);
  if (!work_in_sight (worker))
    {
      /* The walk ended with fewer files than workers: nothing for this
       * one, or, for a single file, the walk's sessions (see
       * log_in_first()). */
      g_mutex_unlock (&shared->lock);
      return;
    }
  /* The last worker's session is the walk's own, once the walk is done:
   * N connections cost the server N logins, not N + 1 (each one a slow
   * password hash: about 130 ms of vsftpd's CPU here). A walk that goes on
   * for more than a second after its login leaves this worker to log in by
   * itself. */
  if (worker->index == (shared->auto_connections ? shared->active_limit : shared->n_workers) - 1)
    {
      gint64 until;

      while (!shared->walker_ready && !shared->walk_done && !g_cancellable_is_cancelled (cancellable))
        _ferry_run_wait (shared, g_get_monotonic_time () + 50 * 1000);
      until = g_get_monotonic_time () + G_USEC_PER_SEC;
      while (!shared->walk_done && g_get_monotonic_time () < until && !g_cancellable_is_cancelled (cancellable))
        _ferry_run_wait (shared, MIN (until, g_get_monotonic_time () + 50 * 1000));
      if (_ferry_run_take_spares (worker))
        {
          g_mutex_unlock (&shared->lock);
          return;
        }
      if (shared->walk_done && g_queue_is_empty (&shared->items))
        {
          g_mutex_unlock (&shared->lock);
          return;
        }
    }
  g_mutex_unlock (&shared->lock);
  _ferry_run_space_login (shared, cancellable);
  g_mutex_lock (&shared->lock);
  if (_ferry_run_take_spares (worker))
    {
      g_mutex_unlock (&shared->lock);
      return;
    }
  g_mutex_unlock (&shared->lock);
  worker->logged_in = TRUE;
  if (g_cancellable_is_cancelled (cancellable))
    return;

  if (ferry_backend_connect (worker->source, cancellable, NULL) &&
      ferry_backend_connect (worker->destination, cancellable, NULL))
    g_atomic_int_set (&worker->connected, TRUE);
}

/* The largest file behind which the next is reserved: a big one would
 * keep the next from the other workers for as long as it takes. */
#define RESERVE_BEHIND_MAX (1024 * 1024)

/* A file copied whole from the start, its download one read(). */
static gboolean
plain_copy (FerryRunShared *shared,
            FerryPlanItem  *item)
{
  return shared->kind != FERRY_RUN_KIND_VERIFY && item->kind == FERRY_PLAN_ITEM_FILE &&
         item->decision.action == FERRY_PLAN_COPY && item->source_path != NULL && item->source != NULL;
}

/* With a small file to copy, the one after it too, where the source can
 * ask for it while the first is read (ferry_backend_hint_read(): FTP sends
 * its EPSV and RETR, SFTP its STAT and OPEN, with the current file's
 * requests; one round trip a small file). Only a plain copy of a file
 * whose time is known already: nothing needs the source's session between
 * the two reads. Called with the lock held; the reserved file counts as
 * busy. */
static void
reserve_next (FerryRunWorker *worker,
              FerryPlanItem  *item)
{
  FerryRunShared *shared = worker->shared;
  FerryPlanItem *next = g_queue_peek_head (&shared->items);

  if (worker->next != NULL || item == NULL || next == NULL
      || !plain_copy (shared, item) || !plain_copy (shared, next)
      || !item->source->size_known || item->source->size > RESERVE_BEHIND_MAX
      || next->source->precision < FERRY_TIME_SECONDS
      || !ferry_backend_reads_ahead (worker->source)
      || g_cancellable_is_cancelled (shared->cancellable))
    return;
  worker->next = g_queue_pop_head (&shared->items);
  shared->busy++;
}

gpointer
_ferry_run_worker_thread (gpointer data)
{
  FerryRunWorker *worker = data;
  FerryRunShared *shared = worker->shared;

  warm_up (worker);
  for (;;)
    {
      FerryPlanItem *item = NULL;
      char *begun = NULL;   /* the item's name in shared->current, which owns it */

      g_mutex_lock (&shared->lock);
      /* The file taken with the last one: counted busy already. */
      if (worker->next != NULL)
        {
          item = g_steal_pointer (&worker->next);
          begun = g_strdup (item->relative);
          g_ptr_array_add (shared->current, begun);
          reserve_next (worker, item);
          if (shared->walk_done && g_queue_is_empty (&shared->items))
            g_cancellable_cancel (shared->warm_up);
          _ferry_run_wake (shared);
          g_mutex_unlock (&shared->lock);
        }
      else
        {
          /* A busy worker may yet hand its file back (see copy_file()): the
           * others wait for that before they end. */
          while (!g_cancellable_is_cancelled (shared->cancellable))
            {
              gboolean allowed = worker->index == 0 || worker->index < shared->active_limit;

              /* After a "too many connections", the highest workers retire;
               * with Connections: Automatic, those the run may call on later
               * wait for it. */
              if (!allowed && !(shared->auto_connections && worker->index < shared->auto_cap))
                break;
              if (allowed && (!g_queue_is_empty (&shared->items) || !g_queue_is_empty (&shared->ahead_queue)))
                break;
              if (g_queue_is_empty (&shared->items) && shared->walk_done && shared->busy == 0)
                break;
              _ferry_run_wait (shared, g_get_monotonic_time () + 100 * 1000);
            }
          /* A folder the walk will need first: the walk waits for it, the
           * files do not. */
          if ((worker->index == 0 || worker->index < shared->active_limit) &&
              !g_queue_is_empty (&shared->ahead_queue) && !g_cancellable_is_cancelled (shared->cancellable))
            {
              g_mutex_unlock (&shared->lock);
              log_in_first (worker);
              g_mutex_lock (&shared->lock);
              _ferry_run_worker_list_ahead (worker);
              g_mutex_unlock (&shared->lock);
              continue;
            }
          if (worker->index == 0 || worker->index < shared->active_limit)
            item = g_queue_pop_head (&shared->items);
          /* Taken and shown as being copied under one lock: a lock taken
           * once per file is a futex call less whenever threads contend. */
          if (item != NULL)
            {
              shared->busy++;
              begun = g_strdup (item->relative);
              g_ptr_array_add (shared->current, begun);
              reserve_next (worker, item);
            }
          if (shared->walk_done && g_queue_is_empty (&shared->items))
            g_cancellable_cancel (shared->warm_up);
          _ferry_run_wake (shared);
          g_mutex_unlock (&shared->lock);
        }

      if (item != NULL && g_cancellable_is_cancelled (shared->cancellable))
        _ferry_run_record (shared, item, FERRY_OUTCOME_CANCELLED, "cancelled", NULL, 0);
      if (item == NULL || g_cancellable_is_cancelled (shared->cancellable))
        {
          g_mutex_lock (&shared->lock);
          if (item != NULL)
            {
              g_ptr_array_remove (shared->current, begun);
              shared->busy--;
            }
          g_mutex_unlock (&shared->lock);
          g_clear_pointer (&item, ferry_plan_item_free);
          break;
        }
      {
        gboolean done = TRUE;

        if (shared->kind == FERRY_RUN_KIND_VERIFY)
          {
            log_in_first (worker);
            _ferry_run_verify_file (worker, item);
          }
        else if (item->decision.action == FERRY_PLAN_SKIP)
          done = compare_then_copy (worker, item);
        else
          done = copy_file (worker, item);
        /* An item copy_file() handed back (too many connections) is the
         * queue's again. */
        if (done)
          ferry_plan_item_free (item);
      }
      g_mutex_lock (&shared->lock);
      /* By pointer, keeping the order: two workers may copy files of one
       * name (a retry after a restart), each ends its own. */
      g_ptr_array_remove (shared->current, begun);
      begun = NULL;
      shared->busy--;
      _ferry_run_wake (shared);
      g_mutex_unlock (&shared->lock);
    }

  g_mutex_lock (&shared->lock);
  if (worker->next != NULL)
    {
      /* Not reached: the loop ends with no file taken. */
      _ferry_run_record (shared, worker->next, FERRY_OUTCOME_CANCELLED, "cancelled", NULL, 0);
      g_clear_pointer (&worker->next, ferry_plan_item_free);
      shared->busy--;
    }
  shared->workers_running--;
  g_mutex_unlock (&shared->lock);
  /* Closing the sessions logs out; the next worker's login waits its turn. */
  g_clear_pointer (&worker->source, ferry_backend_free);
  g_clear_pointer (&worker->destination, ferry_backend_free);
  return NULL;
}
