/* ferry-run.c: the copy engine. A controller thread walks the tree and
 * feeds a bounded queue of files; N worker threads copy them, each with its
 * own backends; a main-context source turns what they report into property
 * changes and log lines.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "ferry-backend.h"
#include "ferry-backend-local.h"
#include "ferry-error.h"
#include "ferry-name.h"
#include "ferry-planner.h"
#include "ferry-run.h"

#define QUEUE_MAX          8192               /* files planned ahead of the workers */
#define PIPE_BYTES         (256 * 1024)      /* the bounded buffer between two backends */
#define MAX_TRIES          5
#define MAX_TRIES_WITH_PROGRESS 100          /* bound on resumes of one file */
#define LOGIN_SPACING_US   (50 * 1000)       /* between two logins of one run */
#define DRAIN_INTERVAL_MS  100
#define SPEED_WINDOW_US    (3 * G_USEC_PER_SEC)

/* --- enums ---------------------------------------------------------------------- */

GType
ferry_run_state_get_type (void)
{
  static gsize type;

  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { FERRY_RUN_STATE_IDLE, "FERRY_RUN_STATE_IDLE", "idle" },
        { FERRY_RUN_STATE_RUNNING, "FERRY_RUN_STATE_RUNNING", "running" },
        { FERRY_RUN_STATE_COMPLETED, "FERRY_RUN_STATE_COMPLETED", "completed" },
        { FERRY_RUN_STATE_COMPLETED_WITH_ERRORS, "FERRY_RUN_STATE_COMPLETED_WITH_ERRORS", "completed-with-errors" },
        { FERRY_RUN_STATE_FAILED, "FERRY_RUN_STATE_FAILED", "failed" },
        { FERRY_RUN_STATE_CANCELLED, "FERRY_RUN_STATE_CANCELLED", "cancelled" },
        { FERRY_RUN_STATE_INTERRUPTED, "FERRY_RUN_STATE_INTERRUPTED", "interrupted" },
        { 0, NULL, NULL }
      };

      g_once_init_leave (&type, g_enum_register_static ("FerryRunState", values));
    }
  return type;
}

GType
ferry_log_level_get_type (void)
{
  static gsize type;

  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { FERRY_LOG_INFO, "FERRY_LOG_INFO", "info" },
        { FERRY_LOG_WARNING, "FERRY_LOG_WARNING", "warning" },
        { FERRY_LOG_ERROR, "FERRY_LOG_ERROR", "error" },
        { 0, NULL, NULL }
      };

      g_once_init_leave (&type, g_enum_register_static ("FerryLogLevel", values));
    }
  return type;
}

/* --- FerryLogLine ------------------------------------------------------------- */

struct _FerryLogLine
{
  GObject parent_instance;

  gint64 time;
  FerryLogLevel level;
  char *text;
  char *path;
};

G_DEFINE_FINAL_TYPE (FerryLogLine, ferry_log_line, G_TYPE_OBJECT)

static void
ferry_log_line_finalize (GObject *object)
{
  FerryLogLine *self = FERRY_LOG_LINE (object);

  g_free (self->text);
  g_free (self->path);
  G_OBJECT_CLASS (ferry_log_line_parent_class)->finalize (object);
}

static void
ferry_log_line_class_init (FerryLogLineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ferry_log_line_finalize;
}

static void
ferry_log_line_init (FerryLogLine *self)
{
}

FerryLogLine *
ferry_log_line_new (gint64         time,
                    FerryLogLevel  level,
                    const char    *text,
                    const char    *path)
{
  FerryLogLine *self = g_object_new (FERRY_TYPE_LOG_LINE, NULL);

  self->time = time;
  self->level = level;
  self->text = g_strdup (text);
  self->path = g_strdup (path);
  return self;
}

gint64
ferry_log_line_get_time (FerryLogLine *self)
{
  g_return_val_if_fail (FERRY_IS_LOG_LINE (self), 0);
  return self->time;
}

FerryLogLevel
ferry_log_line_get_level (FerryLogLine *self)
{
  g_return_val_if_fail (FERRY_IS_LOG_LINE (self), FERRY_LOG_INFO);
  return self->level;
}

const char *
ferry_log_line_get_text (FerryLogLine *self)
{
  g_return_val_if_fail (FERRY_IS_LOG_LINE (self), NULL);
  return self->text;
}

const char *
ferry_log_line_get_path (FerryLogLine *self)
{
  g_return_val_if_fail (FERRY_IS_LOG_LINE (self), NULL);
  return self->path;
}

char *
ferry_log_line_format (FerryLogLine *self)
{
  static const char * const levels[] = { "info", "warning", "error" };
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (self->time);
  g_autofree char *stamp = when ? g_date_time_format (when, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");

  return g_strdup_printf ("%s  %-8s %s", stamp, levels[self->level], self->text);
}

/* --- shared state between the threads ----------------------------------------- */

typedef struct
{
  guint64 files_done;
  guint64 files_total;
  guint64 files_skipped;
  guint64 files_failed;
  guint64 bytes_done;
  guint64 bytes_total;
} Counters;

typedef struct
{
  gint64         time;
  FerryLogLevel  level;
  char          *text;
  char          *path;
} Event;

static void
event_free (Event *event)
{
  g_free (event->text);
  g_free (event->path);
  g_free (event);
}

typedef struct
{
  gatomicrefcount  ref_count;

  /* Set before the threads start, read-only afterwards. */
  FerryConnector      *source_connector;
  FerryConnector      *destination_connector;
  char                *source_password;
  char                *destination_password;
  char                *source_root;
  char                *destination_root;
  char                *transfer_id;
  FerryExistingPolicy  policy;
  guint                n_workers;
  GCancellable        *cancellable;
  GCancellable        *warm_up;     /* the workers' first logins; also cancelled
                                     * when the walk found nothing to copy */

  GAsyncQueue   *events;        /* Event*, workers → main context */

  GMutex         lock;          /* everything below */
  GCond          cond;
  Counters       counters;
  GQueue         items;         /* FerryPlanItem* planned, not yet taken */
  gboolean       walk_done;
  guint64        queued;        /* items ever handed to the workers */
  gboolean       walker_ready;  /* the walk's sessions are logged in */
  FerryBackend  *spare_source;  /* the walk's sessions once it is done, for */
  FerryBackend  *spare_destination; /* a worker not logged in yet */
  gboolean       finished;      /* the controller is done; state and error final */
  guint          active_limit;  /* workers allowed; lowered on "too many" */
  gint64         last_login;
  gboolean       mtime_warned;
  FerryRunState  final_state;
  GError        *fatal_error;   /* roots unreachable, disk full */
  FerryRunRecord *record;
} Shared;

static void
wipe_free (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static Shared *
shared_ref (Shared *shared)
{
  g_atomic_ref_count_inc (&shared->ref_count);
  return shared;
}

static void
shared_unref (Shared *shared)
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
  g_clear_object (&shared->cancellable);
  g_clear_object (&shared->warm_up);
  g_async_queue_unref (shared->events);
  g_queue_clear_full (&shared->items, (GDestroyNotify) ferry_plan_item_free);
  g_clear_error (&shared->fatal_error);
  g_clear_pointer (&shared->record, ferry_run_record_free);
  g_mutex_clear (&shared->lock);
  g_cond_clear (&shared->cond);
  g_free (shared);
}

static void
post (Shared        *shared,
      FerryLogLevel  level,
      const char    *path,
      const char    *format,
      ...) G_GNUC_PRINTF (4, 5);

static void
post (Shared        *shared,
      FerryLogLevel  level,
      const char    *path,
      const char    *format,
      ...)
{
  Event *event = g_new0 (Event, 1);
  va_list args;

  va_start (args, format);
  event->text = g_strdup_vprintf (format, args);
  va_end (args);
  /* One line per event, whatever a server put in its answer. */
  for (char *p = event->text; *p != '\0'; p++)
    if ((guchar) *p < 0x20)
      *p = ' ';
  event->time = g_get_real_time () / G_USEC_PER_SEC;
  event->level = level;
  event->path = g_strdup (path);
  g_async_queue_push (shared->events, event);
}

static void
count (Shared  *shared,
       guint64 *field,
       gint64   delta)
{
  g_mutex_lock (&shared->lock);
  *field += delta;
  g_mutex_unlock (&shared->lock);
}

static gboolean
is_cancel_error (const GError *error)
{
  return g_error_matches (error, FERRY_ERROR, FERRY_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Stops the run: everything waiting on it, the workers' warm-up logins
 * included. The only place the run's cancellable is cancelled, so warm_up
 * is cancelled whenever it is. */
static void
stop_run (Shared *shared)
{
  g_cancellable_cancel (shared->cancellable);
  g_cancellable_cancel (shared->warm_up);
}

/* Fails the whole run (disk full, roots unreachable): the first reason wins
 * and every worker stops. */
static void
fail_run (Shared       *shared,
          const GError *error)
{
  g_mutex_lock (&shared->lock);
  if (shared->fatal_error == NULL)
    shared->fatal_error = g_error_copy (error);
  g_mutex_unlock (&shared->lock);
  stop_run (shared);
}

/* Spaces the logins of one run so a server never sees a burst of them. */
static void
space_login (Shared       *shared,
             GCancellable *also)
{
  gint64 now;
  gint64 until;

  if (ferry_connector_get_kind (shared->source_connector) == FERRY_CONNECTOR_KIND_LOCAL &&
      ferry_connector_get_kind (shared->destination_connector) == FERRY_CONNECTOR_KIND_LOCAL)
    return;
  g_mutex_lock (&shared->lock);
  now = g_get_monotonic_time ();
  until = MAX (now, shared->last_login + LOGIN_SPACING_US);
  shared->last_login = until;
  g_mutex_unlock (&shared->lock);
  /* Stopping the run (or `also`) ends the wait. */
  while (g_get_monotonic_time () < until && !g_cancellable_is_cancelled (shared->cancellable) &&
         (also == NULL || !g_cancellable_is_cancelled (also)))
    g_usleep (MIN (until - g_get_monotonic_time (), 20 * 1000));
}

/* Sleeps `us` microseconds, or less when the run is cancelled. */
static void
sleep_cancellable (Shared *shared,
                   gint64  us)
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

/* --- the pipe: one backend's read() into another's write() ------------------- */

typedef struct
{
  GMutex        lock;
  GCond         cond;
  guint8       *buffer;
  gsize         head;
  gsize         length;
  gboolean      eof;
  gboolean      aborted;
  GError       *reader_error;
  guint64       transferred;
  guint64       received;     /* by pipe_sink, from `offset` on */
  guint64       expected;     /* the whole file's size, G_MAXUINT64 if unknown */
  Shared       *shared;

  FerryBackend *source;
  const char   *path;
  guint64       offset;
  GCancellable *cancellable;
} Pipe;

/* A server that sends more than the listing announced is stopped at once,
 * not when it ends (it might never): the destination is not a place for
 * unbounded data. `expected` is G_MAXUINT64 when the size is unknown. */
static gboolean
within_announced_size (guint64   expected,
                       guint64   so_far,
                       gsize     length,
                       GError  **error)
{
  if (expected == G_MAXUINT64 || so_far + length <= expected)
    return TRUE;
  g_set_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
               ngettext ("The server sent more than the %" PRIu64 " byte its listing announced",
                         "The server sent more than the %" PRIu64 " bytes its listing announced",
                         (gulong) expected),
               (guint64) expected);
  return FALSE;
}

static gboolean
pipe_sink (const guint8  *data,
           gsize          length,
           gpointer       user_data,
           GError       **error)
{
  Pipe *pipe = user_data;

  if (!within_announced_size (pipe->expected, pipe->offset + pipe->received, length, error))
    return FALSE;
  pipe->received += length;

  while (length > 0)
    {
      gsize space, tail, n;

      g_mutex_lock (&pipe->lock);
      while (pipe->length == PIPE_BYTES && !pipe->aborted &&
             !g_cancellable_is_cancelled (pipe->cancellable))
        g_cond_wait_until (&pipe->cond, &pipe->lock, g_get_monotonic_time () + 100 * 1000);
      if (pipe->aborted || g_cancellable_is_cancelled (pipe->cancellable))
        {
          g_mutex_unlock (&pipe->lock);
          g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CANCELLED, _("Stopped"));
          return FALSE;
        }
      space = PIPE_BYTES - pipe->length;
      tail = (pipe->head + pipe->length) % PIPE_BYTES;
      n = MIN (MIN (length, space), PIPE_BYTES - tail);
      memcpy (pipe->buffer + tail, data, n);
      pipe->length += n;
      data += n;
      length -= n;
      g_cond_broadcast (&pipe->cond);
      g_mutex_unlock (&pipe->lock);
    }
  return TRUE;
}

static gssize
pipe_source (guint8    *buffer,
             gsize      length,
             gpointer   user_data,
             GError   **error)
{
  Pipe *pipe = user_data;
  gsize n;

  g_mutex_lock (&pipe->lock);
  while (pipe->length == 0 && !pipe->eof && pipe->reader_error == NULL &&
         !g_cancellable_is_cancelled (pipe->cancellable))
    g_cond_wait_until (&pipe->cond, &pipe->lock, g_get_monotonic_time () + 100 * 1000);
  if (pipe->length == 0)
    {
      if (pipe->eof)
        {
          g_mutex_unlock (&pipe->lock);
          return 0;
        }
      if (pipe->reader_error != NULL)
        g_propagate_error (error, g_error_copy (pipe->reader_error));
      else
        g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CANCELLED, _("Stopped"));
      g_mutex_unlock (&pipe->lock);
      return -1;
    }
  n = MIN (MIN (length, pipe->length), PIPE_BYTES - pipe->head);
  memcpy (buffer, pipe->buffer + pipe->head, n);
  pipe->head = (pipe->head + n) % PIPE_BYTES;
  pipe->length -= n;
  pipe->transferred += n;
  g_cond_broadcast (&pipe->cond);
  g_mutex_unlock (&pipe->lock);

  count (pipe->shared, &pipe->shared->counters.bytes_done, n);
  return n;
}

static gpointer
pipe_reader_thread (gpointer data)
{
  Pipe *pipe = data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = ferry_backend_read (pipe->source, pipe->path, pipe->offset,
                           pipe_sink, pipe, pipe->cancellable, &error);
  g_mutex_lock (&pipe->lock);
  if (ok)
    pipe->eof = TRUE;
  else
    pipe->reader_error = g_steal_pointer (&error);
  g_cond_broadcast (&pipe->cond);
  g_mutex_unlock (&pipe->lock);
  return NULL;
}

/* --- workers ------------------------------------------------------------------ */

typedef struct
{
  Shared       *shared;
  guint         index;
  FerryBackend *source;
  FerryBackend *destination;
  gboolean      logged_in;
} Worker;

/* --- one-thread copies: a server and this machine's disk ------------------------ */

typedef struct
{
  Shared         *shared;
  FerryLocalFile *file;
  guint64         offset;
  guint64         expected;     /* the whole file's size, G_MAXUINT64 if unknown */
  guint64         transferred;
} Direct;

/* A server's data straight into the local temporary file. */
static gboolean
direct_sink (const guint8  *data,
             gsize          length,
             gpointer       user_data,
             GError       **error)
{
  Direct *direct = user_data;

  if (!within_announced_size (direct->expected, direct->offset + direct->transferred, length, error))
    return FALSE;
  if (!ferry_local_file_write (direct->file, data, length, error))
    return FALSE;
  direct->transferred += length;
  count (direct->shared, &direct->shared->counters.bytes_done, length);
  return TRUE;
}

/* A local file straight into a server's upload. */
static gssize
direct_source (guint8    *buffer,
               gsize      length,
               gpointer   user_data,
               GError   **error)
{
  Direct *direct = user_data;
  gssize n = ferry_local_file_read (direct->file, buffer, length, error);

  if (n > 0)
    {
      direct->transferred += n;
      count (direct->shared, &direct->shared->counters.bytes_done, n);
    }
  return n;
}

/* Moves the data of one attempt when one end is this machine: no second
 * thread, no buffer in between. FALSE with *handled FALSE when neither end
 * is local (or both are), for the pipe to do it. */
static gboolean
copy_direct (Worker         *worker,
             FerryPlanItem  *item,
             const char     *temp_path,
             guint64         offset,
             guint64        *moved,
             gboolean       *handled,
             GError        **error)
{
  Shared *shared = worker->shared;
  gboolean source_local = ferry_connector_get_kind (shared->source_connector) == FERRY_CONNECTOR_KIND_LOCAL;
  gboolean destination_local = ferry_connector_get_kind (shared->destination_connector) == FERRY_CONNECTOR_KIND_LOCAL;
  Direct direct = { shared, NULL, offset, G_MAXUINT64, 0 };
  g_autoptr(GError) close_error = NULL;
  gboolean ok;

  *handled = source_local != destination_local;
  if (!*handled)
    return FALSE;

  if (item->source->size_known)
    direct.expected = item->source->size;
  if (destination_local)
    {
      direct.file = ferry_local_file_open (temp_path, offset, TRUE, error);
      if (direct.file == NULL)
        return FALSE;
      ok = ferry_backend_read (worker->source, item->source_path, offset,
                               direct_sink, &direct, shared->cancellable, error);
      /* A full disk can surface only on close. */
      if (!ferry_local_file_close (direct.file, &close_error) && ok)
        {
          g_propagate_error (error, g_steal_pointer (&close_error));
          ok = FALSE;
        }
    }
  else
    {
      direct.file = ferry_local_file_open (item->source_path, offset, FALSE, error);
      if (direct.file == NULL)
        return FALSE;
      ok = ferry_backend_write (worker->destination, temp_path, offset,
                                direct_source, &direct, shared->cancellable, error);
      ferry_local_file_close (direct.file, NULL);
    }
  *moved = direct.transferred;
  return ok;
}

/* One attempt: `offset` bytes of the temporary file are already there.
 * Returns the bytes this attempt moved in *moved. */
static gboolean
copy_once (Worker         *worker,
           FerryPlanItem  *item,
           const char     *temp_path,
           guint64         offset,
           guint64        *moved,
           GError        **error)
{
  Shared *shared = worker->shared;
  Pipe pipe = { 0, };
  GThread *reader;
  g_autoptr(GError) write_error = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean handled = FALSE;
  gboolean ok;

  ok = copy_direct (worker, item, temp_path, offset, &pipe.transferred, &handled, error);
  if (handled)
    {
      if (!ok)
        {
          *moved = pipe.transferred;
          return FALSE;
        }
      goto moved;
    }

  g_mutex_init (&pipe.lock);
  g_cond_init (&pipe.cond);
  pipe.buffer = g_malloc (PIPE_BYTES);
  pipe.shared = shared;
  pipe.source = worker->source;
  pipe.path = item->source_path;
  pipe.offset = offset;
  pipe.expected = item->source->size_known ? item->source->size : G_MAXUINT64;
  pipe.cancellable = shared->cancellable;

  reader = g_thread_new ("ferry-read", pipe_reader_thread, &pipe);
  ok = ferry_backend_write (worker->destination, temp_path, offset,
                            pipe_source, &pipe, shared->cancellable, &write_error);
  g_mutex_lock (&pipe.lock);
  if (!ok)
    pipe.aborted = TRUE;
  g_cond_broadcast (&pipe.cond);
  g_mutex_unlock (&pipe.lock);
  g_thread_join (reader);

  *moved = pipe.transferred;
  if (!ok)
    {
      /* The reader's failure is the real one when it caused the write to stop. */
      if (pipe.reader_error != NULL && !is_cancel_error (pipe.reader_error))
        g_propagate_error (error, g_steal_pointer (&pipe.reader_error));
      else
        g_propagate_error (error, g_steal_pointer (&write_error));
    }
  g_clear_error (&pipe.reader_error);
  g_free (pipe.buffer);
  g_mutex_clear (&pipe.lock);
  g_cond_clear (&pipe.cond);
  if (!ok)
    return FALSE;

moved:
  *moved = pipe.transferred;
  if (item->source->size_known && offset + pipe.transferred != item->source->size)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                   ngettext ("%" PRIu64 " byte arrived, the source has %" PRIu64, "%" PRIu64 " bytes arrived, the source has %" PRIu64, (gulong) (offset + pipe.transferred)),
                   (guint64) (offset + pipe.transferred), (guint64) item->source->size);
      return FALSE;
    }

  if (item->source->precision > FERRY_TIME_UNKNOWN &&
      !ferry_backend_set_mtime (worker->destination, temp_path, item->source->mtime,
                                shared->cancellable, &local_error))
    {
      gboolean warn;

      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_mutex_lock (&shared->lock);
      warn = !shared->mtime_warned;
      shared->mtime_warned = TRUE;
      g_mutex_unlock (&shared->lock);
      if (warn)
        post (shared, FERRY_LOG_WARNING, NULL,
              _("The destination cannot set modification times: copies carry the time of copying"));
      g_clear_error (&local_error);
    }

  return ferry_backend_rename (worker->destination, temp_path, item->destination_path,
                               shared->cancellable, error);
}

/* How much of the temporary file is usable for a resume, 0 for none. */
static guint64
partial_size (Worker        *worker,
              FerryPlanItem *item,
              const char    *temp_path)
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
static gboolean
take_spares (Worker *worker)
{
  Shared *shared = worker->shared;

  if (shared->spare_source == NULL)
    return FALSE;
  ferry_backend_free (worker->source);
  ferry_backend_free (worker->destination);
  worker->source = g_steal_pointer (&shared->spare_source);
  worker->destination = g_steal_pointer (&shared->spare_destination);
  worker->logged_in = TRUE;
  return TRUE;
}

static void
copy_file (Worker        *worker,
           FerryPlanItem *item)
{
  Shared *shared = worker->shared;
  g_autofree char *temp_path = ferry_path_temp_name (item->destination_path);
  guint64 offset = item->decision.action == FERRY_PLAN_RESUME ? item->partial_size : 0;

  if (!worker->logged_in)
    {
      gboolean taken;

      g_mutex_lock (&shared->lock);
      taken = take_spares (worker);
      g_mutex_unlock (&shared->lock);
      if (!taken)
        space_login (shared, NULL);
      worker->logged_in = TRUE;
    }

  for (guint attempt = 1, tries = 1; ; attempt++, tries++)
    {
      g_autoptr(GError) error = NULL;
      guint64 moved = 0;
      gboolean transient;
      gboolean copied = FALSE;

      if (g_cancellable_is_cancelled (shared->cancellable))
        return;

      /* A LIST gives minutes or days; the copy deserves the exact time
       * (MDTM), asked only for files that are copied. A server that cannot
       * say keeps the listing's time; a connection lost while asking is
       * one more failed try. */
      if (item->source->precision < FERRY_TIME_SECONDS)
        {
          gint64 exact;
          g_autoptr(GError) time_error = NULL;

          if (ferry_backend_get_mtime (worker->source, item->source_path, &exact, shared->cancellable, &time_error))
            {
              item->source->mtime = exact;
              item->source->precision = FERRY_TIME_SECONDS;
            }
          else if (ferry_error_is_transient (time_error) ||
                   g_error_matches (time_error, FERRY_ERROR, FERRY_ERROR_CANCELLED))
            error = g_steal_pointer (&time_error);
        }

      if (error == NULL)
        {
          count (shared, &shared->counters.bytes_done, offset);
          copied = copy_once (worker, item, temp_path, offset, &moved, &error);
          if (!copied)
            count (shared, &shared->counters.bytes_done, -(gint64) offset);
        }
      if (copied)
        {
          count (shared, &shared->counters.files_done, 1);
          if (offset > 0)
            {
              g_autofree char *size = g_format_size (offset);

              post (shared, FERRY_LOG_INFO, item->relative, _("Copied %s (resumed at %s)"),
                    item->relative, size);
            }
          else
            post (shared, FERRY_LOG_INFO, item->relative, _("Copied %s"), item->relative);
          return;
        }
      /* What this attempt added no longer counts: the next one recounts
       * whatever it resumes from. */
      count (shared, &shared->counters.bytes_done, -(gint64) moved);

      if (g_cancellable_is_cancelled (shared->cancellable) || is_cancel_error (error))
        return;

      if (g_error_matches (error, FERRY_ERROR, FERRY_ERROR_NO_SPACE))
        {
          post (shared, FERRY_LOG_ERROR, item->relative, _("%s: %s"), item->relative, error->message);
          count (shared, &shared->counters.files_failed, 1);
          fail_run (shared, error);
          return;
        }

      transient = ferry_error_is_transient (error);
      if (!transient && offset > 0 && attempt < MAX_TRIES)
        {
          /* The destination may not take appends: start over once. */
          post (shared, FERRY_LOG_WARNING, item->relative,
                _("%s: could not resume (%s); copying it again from the start"),
                item->relative, error->message);
          offset = 0;
          continue;
        }
      /* An attempt that moved data earns a fresh series of tries: a flaky
       * link may need many resumes for one big file, each one progress. */
      if (moved > 0 && transient && tries < MAX_TRIES_WITH_PROGRESS)
        attempt = 1;
      if (!transient || attempt >= MAX_TRIES)
        {
          post (shared, FERRY_LOG_ERROR, item->relative, _("%s: %s"), item->relative, error->message);
          count (shared, &shared->counters.files_failed, 1);
          return;
        }

      if (g_error_matches (error, FERRY_ERROR, FERRY_ERROR_TOO_MANY))
        {
          guint limit;

          g_mutex_lock (&shared->lock);
          if (shared->active_limit > 1)
            shared->active_limit--;
          limit = shared->active_limit;
          g_mutex_unlock (&shared->lock);
          post (shared, FERRY_LOG_WARNING, NULL,
                _("The server has too many connections: going on with %u"), limit);
        }
      else
        post (shared, FERRY_LOG_WARNING, item->relative, _("%s: %s; trying again"),
              item->relative, error->message);

      /* 0.5 s, 1 s, 2 s, 4 s, each ±50 % so workers do not retry in step. */
      sleep_cancellable (shared, (gint64) (500 * 1000 * (1 << (attempt - 1)) *
                                           g_random_double_range (0.5, 1.5)));
      offset = partial_size (worker, item, temp_path);
    }
}

/* Logs a worker in while the walk is still listing, so the first files do
 * not wait for a login after them; logins stay spaced. Given up as soon as
 * the walk ends with nothing to copy (a rerun with nothing changed) or the
 * run stops. A failure here is left for the first real command to report. */
static void
warm_up (Worker *worker)
{
  Shared *shared = worker->shared;
  GCancellable *cancellable = shared->warm_up;   /* stop_run() cancels it too */
  gboolean early;

  if (ferry_connector_get_kind (shared->source_connector) == FERRY_CONNECTOR_KIND_LOCAL &&
      ferry_connector_get_kind (shared->destination_connector) == FERRY_CONNECTOR_KIND_LOCAL)
    return;

  /* The walk's own logins come first: every file waits for its listing,
   * and a server hashing five passwords at once answers all of them late.
   * And a worker logs in only once there is work for it: a one-file run
   * costs the server two logins, not five. Except the first worker, which
   * logs in beside the walk (50 ms after it): a server hashes two
   * passwords on two cores as fast as one, and the run's first tenth of
   * a second no longer leaves a core idle (job 1: 52 % → 100 % busy). */
  early = worker->index == 0 && shared->n_workers > 1;
  g_mutex_lock (&shared->lock);
  while (!early && (!shared->walker_ready || shared->queued <= worker->index) && !shared->walk_done &&
         !g_cancellable_is_cancelled (cancellable))
    g_cond_wait_until (&shared->cond, &shared->lock, g_get_monotonic_time () + 50 * 1000);
  if (shared->queued <= worker->index && !early)
    {
      /* The walk ended with fewer files than workers: nothing for this one. */
      g_mutex_unlock (&shared->lock);
      return;
    }
  /* The last worker's session is the walk's own, once the walk is done:
   * N connections cost the server N logins, not N + 1 (each one a slow
   * password hash: about 130 ms of vsftpd's CPU here). A walk that goes on
   * for more than a second leaves this worker to log in by itself. */
  if (worker->index == shared->n_workers - 1)
    {
      gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC;

      while (!shared->walk_done && g_get_monotonic_time () < until && !g_cancellable_is_cancelled (cancellable))
        g_cond_wait_until (&shared->cond, &shared->lock, MIN (until, g_get_monotonic_time () + 50 * 1000));
      if (take_spares (worker))
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
  space_login (shared, cancellable);
  g_mutex_lock (&shared->lock);
  if (take_spares (worker))
    {
      g_mutex_unlock (&shared->lock);
      return;
    }
  g_mutex_unlock (&shared->lock);
  worker->logged_in = TRUE;
  if (g_cancellable_is_cancelled (cancellable))
    return;

  ferry_backend_connect (worker->source, cancellable, NULL);
  ferry_backend_connect (worker->destination, cancellable, NULL);
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;
  Shared *shared = worker->shared;

  warm_up (worker);
  for (;;)
    {
      FerryPlanItem *item = NULL;

      g_mutex_lock (&shared->lock);
      while (g_queue_is_empty (&shared->items) && !shared->walk_done &&
             !g_cancellable_is_cancelled (shared->cancellable))
        g_cond_wait_until (&shared->cond, &shared->lock, g_get_monotonic_time () + 100 * 1000);
      /* After a "too many connections", the highest workers retire. */
      if (worker->index == 0 || worker->index < shared->active_limit)
        item = g_queue_pop_head (&shared->items);
      if (shared->walk_done && g_queue_is_empty (&shared->items))
        g_cancellable_cancel (shared->warm_up);
      g_cond_broadcast (&shared->cond);
      g_mutex_unlock (&shared->lock);

      if (item == NULL || g_cancellable_is_cancelled (shared->cancellable))
        {
          g_clear_pointer (&item, ferry_plan_item_free);
          break;
        }
      copy_file (worker, item);
      ferry_plan_item_free (item);
    }

  /* Closing the sessions logs out; the next worker's login waits its turn. */
  g_clear_pointer (&worker->source, ferry_backend_free);
  g_clear_pointer (&worker->destination, ferry_backend_free);
  return NULL;
}

/* --- the controller ----------------------------------------------------------- */

static gboolean
on_plan_item (FerryPlanItem  *item,
              gpointer        user_data,
              GError        **error)
{
  Shared *shared = user_data;

  switch (item->kind)
    {
    case FERRY_PLAN_ITEM_FOLDER:
      if (item->decision.action == FERRY_PLAN_COPY)
        post (shared, FERRY_LOG_INFO, item->relative, _("Created the folder %s"), item->relative);
      break;

    case FERRY_PLAN_ITEM_REFUSED:
      post (shared, FERRY_LOG_ERROR, item->relative, _("%s: %s"), item->relative, item->message);
      count (shared, &shared->counters.files_failed, 1);
      break;

    case FERRY_PLAN_ITEM_IGNORED:
      post (shared, FERRY_LOG_INFO, item->relative, _("%s: %s, skipped"), item->relative, item->message);
      count (shared, &shared->counters.files_skipped, 1);
      break;

    case FERRY_PLAN_ITEM_FILE:
      g_mutex_lock (&shared->lock);
      shared->counters.files_total++;
      shared->counters.bytes_total += item->source->size;
      g_mutex_unlock (&shared->lock);

      if (item->decision.action == FERRY_PLAN_SKIP)
        {
          count (shared, &shared->counters.files_skipped, 1);
          break;
        }
      if (item->decision.action == FERRY_PLAN_FAIL)
        {
          post (shared, FERRY_LOG_ERROR, item->relative, _("%s: %s"), item->relative, item->message);
          count (shared, &shared->counters.files_failed, 1);
          break;
        }

      g_mutex_lock (&shared->lock);
      while (g_queue_get_length (&shared->items) >= QUEUE_MAX &&
             !g_cancellable_is_cancelled (shared->cancellable))
        g_cond_wait_until (&shared->cond, &shared->lock, g_get_monotonic_time () + 100 * 1000);
      g_queue_push_tail (&shared->items, g_steal_pointer (&item));
      shared->queued++;
      g_cond_broadcast (&shared->cond);
      g_mutex_unlock (&shared->lock);
      break;
    }

  ferry_plan_item_free (item);
  return !g_cancellable_set_error_if_cancelled (shared->cancellable, error);
}

static FerryBackend *
open_backend (Shared          *shared,
              gboolean         source,
              GError         **error)
{
  FerryBackend *backend;

  backend = ferry_backend_new (source ? shared->source_connector : shared->destination_connector,
                               source ? shared->source_password : shared->destination_password,
                               error);
  /* No trace: protocol lines stay out of the run's log, which is for
   * people (G_MESSAGES_DEBUG=Ferry shows them on stderr). */
  return backend;
}

static gpointer
controller_thread (gpointer data)
{
  Shared *shared = data;
  g_autoptr(FerryBackend) walk_source = NULL;
  g_autoptr(FerryBackend) walk_destination = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  Worker *workers;
  gint64 started = g_get_monotonic_time ();
  FerryRunState state;
  Counters totals;
  gboolean walked = FALSE;

  workers = g_new0 (Worker, shared->n_workers);

  post (shared, FERRY_LOG_INFO, NULL, ngettext ("Started: %s:%s → %s:%s, %u connection", "Started: %s:%s → %s:%s, %u connections", shared->n_workers),
        ferry_connector_get_name (shared->source_connector), shared->source_root,
        ferry_connector_get_name (shared->destination_connector), shared->destination_root,
        shared->n_workers);

  walk_source = open_backend (shared, TRUE, &error);
  if (walk_source != NULL)
    walk_destination = open_backend (shared, FALSE, &error);
  for (guint i = 0; walk_destination != NULL && i < shared->n_workers; i++)
    {
      workers[i].shared = shared;
      workers[i].index = i;
      workers[i].source = open_backend (shared, TRUE, &error);
      if (workers[i].source == NULL)
        break;
      workers[i].destination = open_backend (shared, FALSE, &error);
      if (workers[i].destination == NULL)
        break;
    }

  if (error == NULL)
    {
      space_login (shared, NULL);
      for (guint i = 0; i < shared->n_workers; i++)
        g_ptr_array_add (threads, g_thread_new ("ferry-worker", worker_thread, &workers[i]));

      /* Log the walk in before the workers (see warm_up()); a refusal here
       * is the run's answer, with no second try behind it. */
      if (ferry_backend_connect (walk_source, shared->cancellable, &error) &&
          ferry_backend_connect (walk_destination, shared->cancellable, &error))
        {
          g_mutex_lock (&shared->lock);
          shared->walker_ready = TRUE;
          g_cond_broadcast (&shared->cond);
          g_mutex_unlock (&shared->lock);
        }
      /* Anything but a refused login (a 421, a reset) the walk's own
       * retries deal with. */
      if (error != NULL && !g_error_matches (error, FERRY_ERROR, FERRY_ERROR_LOGIN) &&
          !g_error_matches (error, FERRY_ERROR, FERRY_ERROR_TLS_REQUIRED) &&
          !g_cancellable_is_cancelled (shared->cancellable))
        g_clear_error (&error);
      walked = error == NULL &&
               ferry_planner_walk (walk_source, shared->source_root,
                                   walk_destination, shared->destination_root,
                                   shared->policy, on_plan_item, shared,
                                   shared->cancellable, &error);
      /* The walk's sessions go to a worker that has not logged in yet. */
      g_mutex_lock (&shared->lock);
      if (walked && shared->walker_ready)
        {
          shared->spare_source = g_steal_pointer (&walk_source);
          shared->spare_destination = g_steal_pointer (&walk_destination);
        }
      g_mutex_unlock (&shared->lock);
      g_clear_pointer (&walk_source, ferry_backend_free);
      g_clear_pointer (&walk_destination, ferry_backend_free);

      g_mutex_lock (&shared->lock);
      shared->walk_done = TRUE;
      g_cond_broadcast (&shared->cond);
      /* Workers still logging in would find nothing left to do. */
      if (g_queue_is_empty (&shared->items))
        g_cancellable_cancel (shared->warm_up);
      g_mutex_unlock (&shared->lock);

      for (guint i = 0; i < threads->len; i++)
        g_thread_join (g_ptr_array_index (threads, i));
      g_clear_pointer (&shared->spare_source, ferry_backend_free);
      g_clear_pointer (&shared->spare_destination, ferry_backend_free);
    }
  for (guint i = 0; i < shared->n_workers; i++)
    {
      g_clear_pointer (&workers[i].source, ferry_backend_free);
      g_clear_pointer (&workers[i].destination, ferry_backend_free);
    }
  g_free (workers);

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
  else if (shared->counters.files_failed > 0)
    state = FERRY_RUN_STATE_COMPLETED_WITH_ERRORS;
  else
    state = FERRY_RUN_STATE_COMPLETED;
  totals = shared->counters;
  g_mutex_unlock (&shared->lock);

  if (state == FERRY_RUN_STATE_FAILED && error != NULL)
    post (shared, FERRY_LOG_ERROR, NULL, _("The run failed: %s"), error->message);
  else if (state == FERRY_RUN_STATE_CANCELLED)
    post (shared, FERRY_LOG_WARNING, NULL, _("Cancelled; partial copies stay under temporary names and the next run resumes them"));
  {
    g_autofree char *size = g_format_size (totals.bytes_done);

    post (shared, FERRY_LOG_INFO, NULL,
          /* Translators: the summary line of a run: copied files, their size,
           * skipped and failed files, seconds. */
          ngettext ("Copied %" PRIu64 " file (%s), skipped %" PRIu64 ", failed %" PRIu64 " in %.1f s",
                    "Copied %" PRIu64 " files (%s), skipped %" PRIu64 ", failed %" PRIu64 " in %.1f s",
                    totals.files_done),
          (guint64) totals.files_done, size, (guint64) totals.files_skipped, (guint64) totals.files_failed,
          (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  }

  if (shared->record != NULL)
    {
      g_autoptr(GError) save_error = NULL;
      FerryRunRecord *record = shared->record;

      record->state = state;
      record->ended = g_get_real_time () / G_USEC_PER_SEC;
      record->files_done = totals.files_done;
      record->files_skipped = totals.files_skipped;
      record->files_failed = totals.files_failed;
      record->files_total = totals.files_total;
      record->bytes_done = totals.bytes_done;
      record->bytes_total = totals.bytes_total;
      g_free (record->message);
      record->message = error != NULL ? g_strdup (error->message) : NULL;
      if (!ferry_run_record_save (record, &save_error))
        post (shared, FERRY_LOG_WARNING, NULL, "%s", save_error->message);
    }

  g_mutex_lock (&shared->lock);
  shared->final_state = state;
  if (state == FERRY_RUN_STATE_CANCELLED && error == NULL)
    error = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_CANCELLED, _("The run was cancelled"));
  if (state == FERRY_RUN_STATE_FAILED || state == FERRY_RUN_STATE_CANCELLED)
    {
      if (shared->fatal_error == NULL)
        shared->fatal_error = g_steal_pointer (&error);
    }
  shared->finished = TRUE;
  g_mutex_unlock (&shared->lock);

  shared_unref (shared);
  return NULL;
}

/* --- FerryRun ------------------------------------------------------------------ */

struct _FerryRun
{
  GObject parent_instance;

  FerryTransfer *transfer;
  Shared        *shared;
  GListStore    *log;
  GTask         *task;
  GSource       *drain;
  GCancellable  *external;
  gulong         external_handler;

  FerryRunState  state;
  Counters       shown;
  guint64        bytes_per_second;
  gint64         eta;
  gboolean       walk_done;

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
  PROP_BYTES_PER_SECOND,
  PROP_ETA,
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
  G_OBJECT_CLASS (ferry_run_parent_class)->dispose (object);
}

static void
ferry_run_finalize (GObject *object)
{
  FerryRun *self = FERRY_RUN (object);

  g_clear_pointer (&self->shared, shared_unref);
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
    case PROP_BYTES_PER_SECOND:
      g_value_set_uint64 (value, self->bytes_per_second);
      break;
    case PROP_ETA:
      g_value_set_int64 (value, self->eta);
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
  properties[PROP_BYTES_PER_SECOND] = counter_spec ("bytes-per-second");
  properties[PROP_ETA] =
    g_param_spec_int64 ("eta", NULL, NULL, -1, G_MAXINT64, -1,
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
  self->eta = -1;
}

FerryRun *
ferry_run_new (FerryTransfer  *transfer,
               FerryConnector *source,
               const char     *source_password,
               FerryConnector *destination,
               const char     *destination_password)
{
  FerryRun *self;
  Shared *shared;

  g_return_val_if_fail (FERRY_IS_TRANSFER (transfer), NULL);
  g_return_val_if_fail (FERRY_IS_CONNECTOR (source), NULL);
  g_return_val_if_fail (FERRY_IS_CONNECTOR (destination), NULL);

  self = g_object_new (FERRY_TYPE_RUN, NULL);
  self->transfer = g_object_ref (transfer);

  shared = g_new0 (Shared, 1);
  g_atomic_ref_count_init (&shared->ref_count);
  g_mutex_init (&shared->lock);
  g_cond_init (&shared->cond);
  g_queue_init (&shared->items);
  shared->events = g_async_queue_new_full ((GDestroyNotify) event_free);
  shared->source_connector = g_object_ref (source);
  shared->destination_connector = g_object_ref (destination);
  shared->source_password = g_strdup (source_password);
  shared->destination_password = g_strdup (destination_password);
  shared->source_root = g_strdup (ferry_transfer_get_source_path (transfer));
  shared->destination_root = g_strdup (ferry_transfer_get_destination_path (transfer));
  shared->transfer_id = g_strdup (ferry_transfer_get_id (transfer));
  shared->policy = ferry_transfer_get_existing_policy (transfer);
  shared->n_workers = CLAMP (ferry_transfer_get_connections (transfer),
                             FERRY_TRANSFER_MIN_CONNECTIONS, FERRY_TRANSFER_MAX_CONNECTIONS);
  shared->active_limit = shared->n_workers;
  shared->cancellable = g_cancellable_new ();
  shared->warm_up = g_cancellable_new ();
  shared->final_state = FERRY_RUN_STATE_RUNNING;
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

  if (self->walk_done && speed > 0 && self->shown.bytes_total >= self->shown.bytes_done)
    eta = (self->shown.bytes_total - self->shown.bytes_done) / speed;
  else if (self->walk_done && self->shown.bytes_total <= self->shown.bytes_done)
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

static gboolean
drain (gpointer data)
{
  FerryRun *self = data;
  Shared *shared = self->shared;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_object_unref);
  Counters counters;
  gboolean finished;
  FerryRunState final_state;
  Event *event;

  g_object_ref (self);

  /* finished is read first: every event was queued before it was set. */
  g_mutex_lock (&shared->lock);
  finished = shared->finished;
  final_state = shared->final_state;
  counters = shared->counters;
  self->walk_done = shared->walk_done;
  g_mutex_unlock (&shared->lock);

  while ((event = g_async_queue_try_pop (shared->events)) != NULL)
    {
      FerryLogLine *line = ferry_log_line_new (event->time, event->level, event->text, event->path);

      if (shared->record != NULL)
        {
          g_autofree char *formatted = ferry_log_line_format (line);

          ferry_run_record_append_log (shared->record, formatted);
        }
      g_ptr_array_add (lines, line);
      event_free (event);
    }
  if (lines->len > 0)
    g_list_store_splice (self->log, g_list_model_get_n_items (G_LIST_MODEL (self->log)), 0,
                         lines->pdata, lines->len);

  g_object_freeze_notify (G_OBJECT (self));
  set_counter (self, &self->shown.files_done, counters.files_done, PROP_FILES_DONE);
  set_counter (self, &self->shown.files_total, counters.files_total, PROP_FILES_TOTAL);
  set_counter (self, &self->shown.files_skipped, counters.files_skipped, PROP_FILES_SKIPPED);
  set_counter (self, &self->shown.files_failed, counters.files_failed, PROP_FILES_FAILED);
  set_counter (self, &self->shown.bytes_done, counters.bytes_done, PROP_BYTES_DONE);
  set_counter (self, &self->shown.bytes_total, counters.bytes_total, PROP_BYTES_TOTAL);
  update_speed (self);
  if (finished)
    set_state (self, final_state);
  g_object_thaw_notify (G_OBJECT (self));

  if (finished)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);
      GError *error = NULL;

      g_clear_pointer (&self->drain, g_source_unref);
      if (shared->fatal_error != NULL)
        error = g_error_copy (shared->fatal_error);
      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (self);
      return G_SOURCE_REMOVE;
    }
  g_object_unref (self);
  return G_SOURCE_CONTINUE;
}

static void
on_external_cancelled (GCancellable *cancellable,
                       gpointer      data)
{
  stop_run (data);
}

void
ferry_run_start_async (FerryRun            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  GThread *thread;

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
                                                      shared_ref (self->shared),
                                                      (GDestroyNotify) shared_unref);
    }

  /* A summary that says "running" before the first byte moves, so a crash
   * shows as interrupted. */
  self->shared->record = ferry_run_record_begin (self->shared->transfer_id, &error);
  if (self->shared->record == NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      set_state (self, FERRY_RUN_STATE_FAILED);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  set_state (self, FERRY_RUN_STATE_RUNNING);
  self->drain = g_timeout_source_new (DRAIN_INTERVAL_MS);
  g_source_set_callback (self->drain, drain, self, NULL);
  g_source_set_static_name (self->drain, "[ferry-run-drain]");
  g_source_attach (self->drain, g_main_context_get_thread_default ());

  thread = g_thread_new ("ferry-run", controller_thread, shared_ref (self->shared));
  g_thread_unref (thread);
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
  stop_run (self->shared);
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

GListModel *
ferry_run_get_log (FerryRun *self)
{
  g_return_val_if_fail (FERRY_IS_RUN (self), NULL);
  return G_LIST_MODEL (self->log);
}
