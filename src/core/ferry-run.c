/* ferry-run.c: the FerryRun object. The threads (ferry-run-walk.c,
 * ferry-run-worker.c) post log lines and count into FerryRunShared; a
 * source on the main context drains them at most ten times a second, and
 * at once when the run ends, into the properties (notified only on change),
 * the log model, and the run's journal and log files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ferry-enums.h"
#include "ferry-error.h"
#include "ferry-filter.h"
#include "ferry-run-private.h"

#define DRAIN_INTERVAL_MS  100
#define SPEED_WINDOW_US    (3 * G_USEC_PER_SEC)

/* --- what the threads share ------------------------------------------------------ */

static void
wipe_free (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

FerryRunShared *
_ferry_run_shared_ref (FerryRunShared *shared)
{
  g_atomic_ref_count_inc (&shared->ref_count);
  return shared;
}

void
_ferry_run_shared_unref (FerryRunShared *shared)
{
  if (!g_atomic_ref_count_dec (&shared->ref_count))
    return;
  g_clear_object (&shared->source_connector);
  g_clear_object (&shared->destination_connector);
  wipe_free (shared->source_password);
  wipe_free (shared->destination_password);
  g_free (shared->source_root);
  g_free (shared->destination_root);
  g_free (shared->transfer_id);
  g_free (shared->repair_of);
  g_clear_pointer (&shared->only, g_hash_table_unref);
  g_clear_object (&shared->cancellable);
  g_clear_object (&shared->warm_up);
  g_clear_pointer (&shared->outcomes, ferry_outcome_writer_close);
  g_clear_pointer (&shared->drain, g_source_unref);
  g_async_queue_unref (shared->events);
  g_async_queue_unref (shared->planned);
  g_clear_pointer (&shared->filter, ferry_filter_free);
  g_queue_clear_full (&shared->items, (GDestroyNotify) ferry_plan_item_free);
  _ferry_run_ahead_clear (shared);
  g_clear_pointer (&shared->current, g_ptr_array_unref);
  g_clear_pointer (&shared->folder_times, g_hash_table_unref);
  g_clear_pointer (&shared->touched, g_hash_table_unref);
  g_clear_pointer (&shared->extras, g_ptr_array_unref);
  g_clear_pointer (&shared->recorded, ferry_recorded_times_free);
  g_clear_error (&shared->fatal_error);
  g_clear_pointer (&shared->record, ferry_run_record_free);
  g_mutex_clear (&shared->lock);
  g_mutex_clear (&shared->log_lock);
  g_cond_clear (&shared->cond);
  g_free (shared);
}

/* The line goes to the run's journal and log files at once, from the
 * thread that has something to say (a killed run keeps it), and to the
 * main context as an object, for the log model. */
void
_ferry_run_post (FerryRunShared *shared,
                 FerryLogLevel   level,
                 FerryLogKind    kind,
                 const char     *path,
                 const char     *message)
{
  FerryLogLine *line = ferry_log_line_new (g_get_real_time () / G_USEC_PER_SEC, level, kind, path, message);

  g_mutex_lock (&shared->log_lock);
  if (shared->record != NULL)
    ferry_run_record_append (shared->record, line);
  g_mutex_unlock (&shared->log_lock);
  g_async_queue_push (shared->events, line);
}

void
_ferry_run_post_numbers (FerryRunShared *shared,
                         FerryLogLevel   level,
                         FerryLogKind    kind,
                         const char     *path,
                         const guint64  *numbers,
                         guint           n)
{
  FerryLogLine *line = ferry_log_line_new_numbers (g_get_real_time () / G_USEC_PER_SEC, level, kind, path,
                                                   numbers, n);

  g_mutex_lock (&shared->log_lock);
  if (shared->record != NULL)
    ferry_run_record_append (shared->record, line);
  g_mutex_unlock (&shared->log_lock);
  g_async_queue_push (shared->events, line);
}

/* The run's threads wait on one condition, each for its own reason (a
 * worker for a file, the walk for room in the queue, a worker's login for
 * the walk's), and each wait has a deadline of its own. Both are called
 * with shared->lock held. */
void
_ferry_run_wait (FerryRunShared *shared,
                 gint64          until)
{
  shared->waiting++;
  g_cond_wait_until (&shared->cond, &shared->lock, until);
  shared->waiting--;
}

/* GLib's g_cond_broadcast() is a futex call even when no thread waits;
 * with four workers and the walk telling each other of every file, that
 * was a few system calls per file for nothing. */
void
_ferry_run_wake (FerryRunShared *shared)
{
  if (shared->waiting > 0)
    g_cond_broadcast (&shared->cond);
}

void
_ferry_run_count (FerryRunShared *shared,
                  guint64        *field,
                  gint64          delta)
{
  g_mutex_lock (&shared->lock);
  *field += delta;
  g_mutex_unlock (&shared->lock);
}

void
_ferry_run_record (FerryRunShared   *shared,
                   FerryPlanItem    *item,
                   FerryOutcomeKind  kind,
                   const char       *reason,
                   const char       *message,
                   guint             tries)
{
  /* What only the destination has is described by the destination. */
  const FerryEntry *entry = item->source != NULL ? item->source : item->destination;
  gboolean folder = item->kind == FERRY_PLAN_ITEM_FOLDER ||
                    (entry != NULL && entry->type == FERRY_ENTRY_DIRECTORY);
  gint64 size = -1;
  gint64 modified = 0;

  if (entry != NULL && entry->size_known && !folder)
    size = (gint64) entry->size;
  if (entry != NULL && entry->precision > FERRY_TIME_UNKNOWN)
    modified = entry->mtime;
  if (shared->dry_run)
    {
      g_async_queue_push (shared->planned,
                          ferry_outcome_new (kind, folder, item->relative,
                                             size, modified, reason, message, tries));
      return;
    }
  ferry_outcome_writer_add (shared->outcomes, kind, folder, item->relative, size, modified,
                            reason, message, tries);
}

gboolean
_ferry_run_is_cancel_error (const GError *error)
{
  return g_error_matches (error, FERRY_ERROR, FERRY_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Stops the run: everything waiting on it, the workers' warm-up logins
 * included. The only place the run's cancellable is cancelled, so warm_up
 * is cancelled whenever it is. */
void
_ferry_run_stop (FerryRunShared *shared)
{
  g_cancellable_cancel (shared->cancellable);
  g_cancellable_cancel (shared->warm_up);
}

/* Fails the whole run (disk full, roots unreachable): the first reason wins
 * and every worker stops. */
void
_ferry_run_fail (FerryRunShared *shared,
                 const GError   *error)
{
  g_mutex_lock (&shared->lock);
  if (shared->fatal_error == NULL)
    shared->fatal_error = g_error_copy (error);
  g_mutex_unlock (&shared->lock);
  _ferry_run_stop (shared);
}

/* Spaces the logins of one run so a server never sees a burst of them. */
void
_ferry_run_space_login (FerryRunShared *shared,
                        GCancellable   *also)
{
  gint64 now;
  gint64 until;

  if (shared->both_local)
    return;
  g_mutex_lock (&shared->lock);
  now = g_get_monotonic_time ();
  until = MAX (now, shared->last_login + FERRY_RUN_LOGIN_SPACING);
  shared->last_login = until;
  g_mutex_unlock (&shared->lock);
  /* Stopping the run (or `also`) ends the wait. */
  while (g_get_monotonic_time () < until && !g_cancellable_is_cancelled (shared->cancellable) &&
         (also == NULL || !g_cancellable_is_cancelled (also)))
    g_usleep (MIN (until - g_get_monotonic_time (), 20 * 1000));
}

/* The limit's bucket holds this much time's worth of bytes: a connection
 * that waited for its server may catch up that far, no further. */
#define BUCKET_BURST_US (G_USEC_PER_SEC / 4)

/* One bucket for every connection of the run (a generic cell rate
 * algorithm): each chunk moves the theoretical arrival time on by its
 * size over the rate, and whoever gets ahead of it by more than the burst
 * sleeps the difference. */
void
_ferry_run_throttle (FerryRunShared *shared,
                     gsize           bytes)
{
  gint64 now;
  gint64 wait;

  if (shared->bandwidth_limit == 0 || bytes == 0)
    return;
  g_mutex_lock (&shared->lock);
  now = g_get_monotonic_time ();
  shared->bucket_due = MAX (shared->bucket_due, now) +
                       (gint64) ((double) bytes * G_USEC_PER_SEC / shared->bandwidth_limit);
  wait = shared->bucket_due - now - BUCKET_BURST_US;
  g_mutex_unlock (&shared->lock);
  if (wait > 0)
    _ferry_run_sleep (shared, wait);
}

/* Sleeps `us` microseconds, or less when the run is cancelled. */
void
_ferry_run_sleep (FerryRunShared *shared,
                  gint64          us)
{
  gint64 end = g_get_monotonic_time () + us;

  while (!g_cancellable_is_cancelled (shared->cancellable))
    {
      gint64 left = end - g_get_monotonic_time ();

      if (left <= 0)
        break;
      g_usleep (MIN (left, 50 * 1000));
    }
}

struct _FerryRun
{
  GObject parent_instance;

  FerryTransfer *transfer;
  FerryRunShared *shared;
  GListStore    *log;
  GListStore    *outcomes;      /* a dry run's plan, FerryOutcome */
  GTask         *task;
  GThread       *thread;        /* the controller, joined once it is finished */
  GSource       *drain;
  GCancellable  *external;
  gulong         external_handler;

  FerryRunState  state;
  GError        *error;         /* why it failed or stopped, once it has */
  FerryRunCounters shown;
  guint64        bytes_per_second;
  gint64         eta;
  gboolean       walk_done;
  char         **current_files; /* as last drained, never NULL */

  /* (monotonic time, bytes done) samples for the speed */
  gint64         samples_time[32];
  guint64        samples_bytes[32];
  guint          n_samples;
};

G_DEFINE_FINAL_TYPE (FerryRun, ferry_run, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_FILES_DONE,
  PROP_FILES_TOTAL,
  PROP_FILES_SKIPPED,
  PROP_FILES_FAILED,
  PROP_BYTES_DONE,
  PROP_BYTES_TOTAL,
  PROP_BYTES_SKIPPED,
  PROP_BYTES_PER_SECOND,
  PROP_ETA,
  PROP_TOTAL_KNOWN,
  PROP_CURRENT_FILES,
  PROP_CONNECTIONS,
  PROP_LOG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ferry_run_dispose (GObject *object)
{
  FerryRun *self = FERRY_RUN (object);

  if (self->drain != NULL)
    {
      g_source_destroy (self->drain);
      g_clear_pointer (&self->drain, g_source_unref);
    }
  if (self->external != NULL)
    {
      g_cancellable_disconnect (self->external, self->external_handler);
      g_clear_object (&self->external);
    }
  g_clear_object (&self->transfer);
  g_clear_object (&self->log);
  g_clear_object (&self->outcomes);
  G_OBJECT_CLASS (ferry_run_parent_class)->dispose (object);
}

static void
ferry_run_finalize (GObject *object)
{
  FerryRun *self = FERRY_RUN (object);

  g_clear_pointer (&self->thread, g_thread_unref);   /* never started, or never drained */
  g_clear_pointer (&self->shared, _ferry_run_shared_unref);
  g_clear_pointer (&self->current_files, g_strfreev);
  g_clear_error (&self->error);
  G_OBJECT_CLASS (ferry_run_parent_class)->finalize (object);
}

static void
ferry_run_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  FerryRun *self = FERRY_RUN (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_FILES_DONE:
      g_value_set_uint64 (value, self->shown.files_done);
      break;
    case PROP_FILES_TOTAL:
      g_value_set_uint64 (value, self->shown.files_total);
      break;
    case PROP_FILES_SKIPPED:
      g_value_set_uint64 (value, self->shown.files_skipped);
      break;
    case PROP_FILES_FAILED:
      g_value_set_uint64 (value, self->shown.files_failed);
      break;
    case PROP_BYTES_DONE:
      g_value_set_uint64 (value, self->shown.bytes_done);
      break;
    case PROP_BYTES_TOTAL:
      g_value_set_uint64 (value, self->shown.bytes_total);
      break;
    case PROP_BYTES_SKIPPED:
      g_value_set_uint64 (value, self->shown.bytes_skipped);
      break;
    case PROP_BYTES_PER_SECOND:
      g_value_set_uint64 (value, self->bytes_per_second);
      break;
    case PROP_ETA:
      g_value_set_int64 (value, self->eta);
      break;
    case PROP_TOTAL_KNOWN:
      g_value_set_boolean (value, self->walk_done);
      break;
    case PROP_CONNECTIONS:
      g_value_set_uint64 (value, self->shown.connections);
      break;
    case PROP_CURRENT_FILES:
      g_value_set_boxed (value, self->current_files);
      break;
    case PROP_LOG:
      g_value_set_object (value, self->log);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
counter_spec (const char *name)
{
  return g_param_spec_uint64 (name, NULL, NULL, 0, G_MAXUINT64, 0,
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static void
ferry_run_class_init (FerryRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_run_dispose;
  object_class->finalize = ferry_run_finalize;
  object_class->get_property = ferry_run_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, FERRY_TYPE_RUN_STATE, FERRY_RUN_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FILES_DONE] = counter_spec ("files-done");
  properties[PROP_FILES_TOTAL] = counter_spec ("files-total");
  properties[PROP_FILES_SKIPPED] = counter_spec ("files-skipped");
  properties[PROP_FILES_FAILED] = counter_spec ("files-failed");
  properties[PROP_BYTES_DONE] = counter_spec ("bytes-done");
  properties[PROP_BYTES_TOTAL] = counter_spec ("bytes-total");
  properties[PROP_BYTES_SKIPPED] = counter_spec ("bytes-skipped");
  properties[PROP_BYTES_PER_SECOND] = counter_spec ("bytes-per-second");
  /* How many connections the run may use now (Connections: Automatic
   * moves it; the log says why). */
  properties[PROP_CONNECTIONS] = counter_spec ("connections");
  properties[PROP_ETA] =
    g_param_spec_int64 ("eta", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TOTAL_KNOWN] =
    g_param_spec_boolean ("total-known", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CURRENT_FILES] =
    g_param_spec_boxed ("current-files", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOG] =
    g_param_spec_object ("log", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_run_init (FerryRun *self)
{
  self->log = g_list_store_new (FERRY_TYPE_LOG_LINE);
  self->outcomes = g_list_store_new (FERRY_TYPE_OUTCOME);
  self->eta = -1;
  self->current_files = g_new0 (char *, 1);
}

FerryRun *
ferry_run_new (FerryTransfer  *transfer,
               FerryConnector *source,
               const char     *source_password,
               FerryConnector *destination,
               const char     *destination_password)
{
  FerryRun *self;
  FerryRunShared *shared;

  g_return_val_if_fail (FERRY_IS_TRANSFER (transfer), NULL);
  g_return_val_if_fail (FERRY_IS_CONNECTOR (source), NULL);
  g_return_val_if_fail (FERRY_IS_CONNECTOR (destination), NULL);

  self = g_object_new (FERRY_TYPE_RUN, NULL);
  self->transfer = g_object_ref (transfer);

  shared = g_new0 (FerryRunShared, 1);
  g_atomic_ref_count_init (&shared->ref_count);
  g_mutex_init (&shared->lock);
  g_mutex_init (&shared->log_lock);
  g_cond_init (&shared->cond);
  g_queue_init (&shared->items);
  _ferry_run_ahead_init (shared);
  shared->current = g_ptr_array_new_with_free_func (g_free);
  shared->folder_times = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  shared->touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  shared->events = g_async_queue_new_full (g_object_unref);
  shared->planned = g_async_queue_new_full (g_object_unref);
  /* A transfer is validated when saved; a pattern that cannot match is
   * left out here rather than failing the run. */
  shared->filter = ferry_transfer_dup_filter (transfer, NULL);
  shared->source_connector = g_object_ref (source);
  shared->destination_connector = g_object_ref (destination);
  shared->source_password = g_strdup (source_password);
  shared->destination_password = g_strdup (destination_password);
  shared->source_root = g_strdup (ferry_transfer_get_source_path (transfer));
  shared->destination_root = g_strdup (ferry_transfer_get_destination_path (transfer));
  shared->transfer_id = g_strdup (ferry_transfer_get_id (transfer));
  shared->policy = ferry_transfer_get_existing_policy (transfer);
  shared->delete_extra = ferry_transfer_get_delete_extra (transfer);
  shared->bandwidth_limit = ferry_transfer_get_bandwidth_limit (transfer);
  shared->extras = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_plan_item_free);
  shared->cancellable = g_cancellable_new ();
  shared->warm_up = g_cancellable_new ();
  shared->final_state = FERRY_RUN_STATE_RUNNING;
  shared->both_local = ferry_connector_get_kind (source) == FERRY_CONNECTOR_KIND_LOCAL &&
                       ferry_connector_get_kind (destination) == FERRY_CONNECTOR_KIND_LOCAL;
  _ferry_run_tune_setup (shared, ferry_transfer_get_connections (transfer));
  self->shared = shared;
  return self;
}

static void
set_counter (FerryRun *self,
             guint64  *field,
             guint64   value,
             guint     prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
update_speed (FerryRun *self)
{
  gint64 now = g_get_monotonic_time ();
  guint64 speed = 0;
  gint64 eta = -1;
  guint oldest = 0;
  guint64 handled;

  if (self->n_samples == G_N_ELEMENTS (self->samples_time))
    {
      memmove (self->samples_time, self->samples_time + 1, sizeof self->samples_time[0] * (self->n_samples - 1));
      memmove (self->samples_bytes, self->samples_bytes + 1, sizeof self->samples_bytes[0] * (self->n_samples - 1));
      self->n_samples--;
    }
  self->samples_time[self->n_samples] = now;
  self->samples_bytes[self->n_samples] = self->shown.bytes_done;
  self->n_samples++;

  while (oldest + 1 < self->n_samples && now - self->samples_time[oldest] > SPEED_WINDOW_US)
    oldest++;
  if (now > self->samples_time[oldest] && self->shown.bytes_done >= self->samples_bytes[oldest])
    speed = (self->shown.bytes_done - self->samples_bytes[oldest]) * G_USEC_PER_SEC /
            (now - self->samples_time[oldest]);

  /* What is left excludes the files skipped as identical: a rerun that
   * copies one changed file has that file's bytes left, not the tree's. */
  handled = self->shown.bytes_done + self->shown.bytes_skipped;
  if (self->walk_done && speed > 0 && self->shown.bytes_total >= handled)
    eta = (self->shown.bytes_total - handled) / speed;
  else if (self->walk_done && self->shown.bytes_total <= handled)
    eta = 0;

  if (self->bytes_per_second != speed)
    {
      self->bytes_per_second = speed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_PER_SECOND]);
    }
  if (self->eta != eta)
    {
      self->eta = eta;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ETA]);
    }
}

static void
set_state (FerryRun      *self,
           FerryRunState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* What the threads queued, in one splice each: the log lines, and a dry
 * run's plan. */
static void
take_queued (FerryRun *self)
{
  FerryRunShared *shared = self->shared;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_object_unref);
  FerryLogLine *line;

  while ((line = g_async_queue_try_pop (shared->events)) != NULL)
    g_ptr_array_add (lines, line);
  if (lines->len > 0)
    g_list_store_splice (self->log, g_list_model_get_n_items (G_LIST_MODEL (self->log)), 0,
                         lines->pdata, lines->len);
  if (shared->dry_run)
    {
      g_autoptr(GPtrArray) planned = g_ptr_array_new_with_free_func (g_object_unref);
      FerryOutcome *outcome;

      while ((outcome = g_async_queue_try_pop (shared->planned)) != NULL)
        g_ptr_array_add (planned, outcome);
      if (planned->len > 0)
        g_list_store_splice (self->outcomes, g_list_model_get_n_items (G_LIST_MODEL (self->outcomes)), 0,
                             planned->pdata, planned->len);
    }
}

/* The counters and the files being copied, notified only where they
 * changed. */
static void
show_counters (FerryRun               *self,
               const FerryRunCounters *counters,
               gboolean                walk_done,
               GStrv                  *current)
{
  set_counter (self, &self->shown.files_done, counters->files_done, PROP_FILES_DONE);
  set_counter (self, &self->shown.files_total, counters->files_total, PROP_FILES_TOTAL);
  set_counter (self, &self->shown.files_skipped, counters->files_skipped, PROP_FILES_SKIPPED);
  set_counter (self, &self->shown.files_failed, counters->files_failed, PROP_FILES_FAILED);
  set_counter (self, &self->shown.bytes_done, counters->bytes_done, PROP_BYTES_DONE);
  set_counter (self, &self->shown.bytes_total, counters->bytes_total, PROP_BYTES_TOTAL);
  set_counter (self, &self->shown.bytes_skipped, counters->bytes_skipped, PROP_BYTES_SKIPPED);
  set_counter (self, &self->shown.connections, counters->connections, PROP_CONNECTIONS);
  if (self->walk_done != walk_done)
    {
      self->walk_done = walk_done;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_KNOWN]);
    }
  if (!g_strv_equal ((const char * const *) *current, (const char * const *) self->current_files))
    {
      g_strfreev (self->current_files);
      self->current_files = g_steal_pointer (current);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_FILES]);
    }
}

/* The run's end, after its last lines: the task returns. */
static void
return_task (FerryRun *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  /* It has nothing left to do but return: joined, its thread-local state
   * (OpenSSL's, for one) is freed before a process like ferry-cli exits. */
  g_clear_pointer (&self->thread, g_thread_join);
  g_clear_pointer (&self->drain, g_source_unref);
  if (self->shared->fatal_error != NULL)
    {
      self->error = g_error_copy (self->shared->fatal_error);
      g_task_return_error (task, g_error_copy (self->shared->fatal_error));
    }
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
drain (gpointer data)
{
  FerryRun *self = data;
  FerryRunShared *shared = self->shared;
  FerryRunCounters counters;
  gboolean finished;
  FerryRunState final_state;
  gboolean walk_done;
  g_auto(GStrv) current = NULL;

  g_object_ref (self);

  /* finished is read first: every event was queued before it was set. */
  g_mutex_lock (&shared->lock);
  finished = shared->finished;
  final_state = shared->final_state;
  counters = shared->counters;
  walk_done = shared->walk_done;
  current = g_new (char *, shared->current->len + 1);
  for (guint i = 0; i < shared->current->len; i++)
    current[i] = g_strdup (g_ptr_array_index (shared->current, i));
  current[shared->current->len] = NULL;
  g_mutex_unlock (&shared->lock);

  take_queued (self);
  g_object_freeze_notify (G_OBJECT (self));
  show_counters (self, &counters, walk_done, &current);
  self->shown.files_deleted = counters.files_deleted;
  self->shown.differences = counters.differences;
  update_speed (self);
  if (finished)
    set_state (self, final_state);
  g_object_thaw_notify (G_OBJECT (self));

  if (finished)
    return_task (self);
  g_object_unref (self);
  return finished ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static void
on_external_cancelled (GCancellable *cancellable,
                       gpointer      data)
{
  _ferry_run_stop (data);
}

void
ferry_run_start_async (FerryRun            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_RUN (self));
  g_return_if_fail (self->state == FERRY_RUN_STATE_IDLE && self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, ferry_run_start_async);
  /* The drain source returns the task itself, after the last events. */
  g_task_set_check_cancellable (self->task, FALSE);

  if (cancellable != NULL)
    {
      self->external = g_object_ref (cancellable);
      self->external_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_external_cancelled),
                                                      _ferry_run_shared_ref (self->shared),
                                                      (GDestroyNotify) _ferry_run_shared_unref);
    }

  set_state (self, FERRY_RUN_STATE_RUNNING);
  self->drain = g_timeout_source_new (DRAIN_INTERVAL_MS);
  g_source_set_callback (self->drain, drain, self, NULL);
  g_source_set_static_name (self->drain, "[ferry-run-drain]");
  g_source_attach (self->drain, g_main_context_get_thread_default ());
  self->shared->drain = g_source_ref (self->drain);

  self->thread = g_thread_new ("ferry-run", _ferry_run_controller_thread, _ferry_run_shared_ref (self->shared));
  /* Keep the run alive while its drain source may fire. */
  g_object_ref (self);
  g_task_set_task_data (self->task, self, g_object_unref);
}

gboolean
ferry_run_finish (FerryRun      *self,
                  GAsyncResult  *result,
                  GError       **error)
{
  g_return_val_if_fail (FERRY_IS_RUN (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ferry_run_cancel (FerryRun *self)
{
  g_return_if_fail (FERRY_IS_RUN (self));
  _ferry_run_stop (self->shared);
}

FerryTransfer *
ferry_run_get_transfer (FerryRun *self)
{
  g_return_val_if_fail (FERRY_IS_RUN (self), NULL);
  return self->transfer;
}

FerryRunState
ferry_run_get_state (FerryRun *self)
{
  g_return_val_if_fail (FERRY_IS_RUN (self), FERRY_RUN_STATE_IDLE);
  return self->state;
}

#define COUNTER_GETTER(name)                             \
  guint64                                                \
  ferry_run_get_##name (FerryRun *self)                  \
  {                                                      \
    g_return_val_if_fail (FERRY_IS_RUN (self), 0);       \
    return self->shown.name;                             \
  }

COUNTER_GETTER (files_done)
COUNTER_GETTER (files_total)
COUNTER_GETTER (files_skipped)
COUNTER_GETTER (files_failed)
COUNTER_GETTER (bytes_done)
COUNTER_GETTER (bytes_total)
COUNTER_GETTER (bytes_skipped)
COUNTER_GETTER (connections)

guint64
ferry_run_get_bytes_per_second (FerryRun *self)
{
  g_return_val_if_fail (FERRY_IS_RUN (self), 0);
  return self->bytes_per_second;
}

gint64
ferry_run_get_eta (FerryRun *self)
{
  g_return_val_if_fail (FERRY_IS_RUN (self), -1);
  return self->eta;
}

gboolean
ferry_run_get_total_known (FerryRun *self)
{
  g_return_val_if_fail (FERRY_IS_RUN (self), FALSE);
  return self->walk_done;
}

const char * const *
ferry_run_get_current_files (FerryRun *self)
{
  g_return_val_if_fail (FERRY_IS_RUN (self), NULL);
  return (const char * const *) self->current_files;
}

GListModel *
ferry_run_get_log (FerryRun *self)
{
  g_return_val_if_fail (FERRY_IS_RUN (self), NULL);
  return G_LIST_MODEL (self->log);
}

void
ferry_run_release_log (FerryRun *self,
                       guint     n_lines)
{
  g_return_if_fail (FERRY_IS_RUN (self));
  g_return_if_fail (n_lines <= g_list_model_get_n_items (G_LIST_MODEL (self->log)));

  if (n_lines > 0)
    g_list_store_splice (self->log, 0, n_lines, NULL, 0);
}

const char *
ferry_run_get_id (FerryRun *self)
{
  const char *id = NULL;

  g_return_val_if_fail (FERRY_IS_RUN (self), NULL);
  g_mutex_lock (&self->shared->log_lock);
  if (self->shared->record != NULL)
    id = self->shared->record->run_id;
  g_mutex_unlock (&self->shared->log_lock);
  return id;
}

const GError *
ferry_run_get_error (FerryRun *self)
{
  g_return_val_if_fail (FERRY_IS_RUN (self), NULL);
  return self->error;
}

void
ferry_run_set_dry_run (FerryRun *self,
                       gboolean  dry_run)
{
  g_return_if_fail (FERRY_IS_RUN (self));
  g_return_if_fail (self->state == FERRY_RUN_STATE_IDLE);
  self->shared->dry_run = !!dry_run;
}

void
ferry_run_set_kind (FerryRun     *self,
                    FerryRunKind  kind,
                    gboolean      checksum)
{
  g_return_if_fail (FERRY_IS_RUN (self));
  g_return_if_fail (self->state == FERRY_RUN_STATE_IDLE);
  self->shared->kind = kind;
  self->shared->checksum = !!checksum;
}

gboolean
ferry_run_get_checksum (FerryRun *self)
{
  g_return_val_if_fail (FERRY_IS_RUN (self), FALSE);
  return self->shared->checksum;
}

void
ferry_run_set_repair (FerryRun   *self,
                      const char *verification_id)
{
  g_return_if_fail (FERRY_IS_RUN (self));
  g_return_if_fail (self->state == FERRY_RUN_STATE_IDLE);
  g_free (self->shared->repair_of);
  self->shared->repair_of = g_strdup (verification_id);
}

FerryRunKind
ferry_run_get_kind (FerryRun *self)
{
  g_return_val_if_fail (FERRY_IS_RUN (self), FERRY_RUN_KIND_COPY);
  return self->shared->kind;
}

guint64
ferry_run_get_differences (FerryRun *self)
{
  g_return_val_if_fail (FERRY_IS_RUN (self), 0);
  return self->shown.differences;
}

guint64
ferry_run_get_files_deleted (FerryRun *self)
{
  g_return_val_if_fail (FERRY_IS_RUN (self), 0);
  return self->shown.files_deleted;
}

gboolean
ferry_run_get_dry_run (FerryRun *self)
{
  g_return_val_if_fail (FERRY_IS_RUN (self), FALSE);
  return self->shared->dry_run;
}

GListModel *
ferry_run_get_plan (FerryRun *self)
{
  g_return_val_if_fail (FERRY_IS_RUN (self), NULL);
  return G_LIST_MODEL (self->outcomes);
}

char *
ferry_format_eta (gint64 seconds)
{
  if (seconds < 0)
    return g_strdup ("–");
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));
  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}
