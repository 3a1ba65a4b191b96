/* ferry-run-pipe.c: one attempt at moving one file's bytes. Where one end
 * is this machine, the server's data goes straight into (or comes straight
 * from) the local file, in one thread. Between two servers a reader thread
 * fills a bounded buffer that the destination's upload drains: FTP to FTP
 * streams, with no staging on disk and memory bounded by PIPE_BYTES.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "ferry-backend-local.h"
#include "ferry-error.h"
#include "ferry-run-private.h"

#define PIPE_BYTES (256 * 1024)   /* the bounded buffer between two backends */
/* A local file this small is hashed before its upload when the destination
 * keeps a hash sent with it (OC-Checksum): it is read twice, from the page
 * cache the second time. A larger one goes without. */
#define HINT_HASH_MAX_BYTES (8 * 1024 * 1024)

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
  FerryRunShared *shared;

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
  _ferry_run_throttle (pipe->shared, length);

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

  _ferry_run_count (pipe->shared, &pipe->shared->counters.bytes_done, n);
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

/* --- what the destination may take with the upload --------------------------- */

/* The hash kind both `offered` and the destination's wanted kinds share,
 * SHA-1 first (what Nextcloud and ownCloud keep), or -1. */
static int
hint_algorithm (guint offered,
                guint wanted)
{
  static const GChecksumType order[] = { G_CHECKSUM_SHA1, G_CHECKSUM_MD5, G_CHECKSUM_SHA256 };

  for (gsize i = 0; i < G_N_ELEMENTS (order); i++)
    if ((offered & wanted) & (1u << order[i]))
      return order[i];
  return -1;
}

static char *
hash_local_file (const char     *path,
                 GChecksumType   algorithm,
                 GCancellable   *cancellable)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (algorithm);
  g_autoptr(GError) error = NULL;
  FerryLocalFile *file = ferry_local_file_open (path, 0, FALSE, &error);
  guint8 buffer[16 * 1024];
  gssize n;

  if (file == NULL)
    return NULL;
  while ((n = ferry_local_file_read (file, buffer, sizeof buffer, &error)) > 0
         && !g_cancellable_is_cancelled (cancellable))
    g_checksum_update (checksum, buffer, n);
  ferry_local_file_close (file, NULL);
  if (n != 0)
    return NULL;
  return g_strdup (g_checksum_get_string (checksum));
}

/* The hints for one upload from the start (ferry_backend_write_hinted()):
 * the source's time, and a hash where the destination keeps one and it
 * is known without reading a server's file twice: a small local file, or
 * the source server's own hash. */
static void
prepare_hints (FerryRunWorker   *worker,
               FerryPlanItem    *item,
               guint64           offset,
               gboolean          source_local,
               FerryWriteHints  *hints,
               char            **hash_hex)
{
  guint wanted = ferry_backend_get_upload_hashes (worker->destination);
  int algorithm;

  memset (hints, 0, sizeof *hints);
  *hash_hex = NULL;
  if (item->source->precision != FERRY_TIME_UNKNOWN)
    {
      hints->mtime_known = TRUE;
      hints->mtime = item->source->mtime;
    }
  if (wanted == 0 || offset > 0)
    return;
  if (source_local)
    {
      algorithm = hint_algorithm (wanted, wanted);
      if (algorithm >= 0 && item->source->size_known && item->source->size <= HINT_HASH_MAX_BYTES)
        *hash_hex = hash_local_file (item->source_path, algorithm, worker->shared->cancellable);
    }
  else
    {
      algorithm = hint_algorithm (ferry_backend_get_hashes (worker->source), wanted);
      if (algorithm >= 0 && !ferry_backend_hash (worker->source, item->source_path, algorithm, hash_hex,
                                                 worker->shared->cancellable, NULL))
        *hash_hex = NULL;
    }
  if (*hash_hex != NULL)
    {
      hints->hash_algorithm = algorithm;
      hints->hash_hex = *hash_hex;
    }
}

/* --- one-thread copies: a server and this machine's disk ------------------------ */

typedef struct
{
  FerryRunShared *shared;
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
  _ferry_run_throttle (direct->shared, length);
  if (!ferry_local_file_write (direct->file, data, length, error))
    return FALSE;
  direct->transferred += length;
  _ferry_run_count (direct->shared, &direct->shared->counters.bytes_done, length);
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
      _ferry_run_throttle (direct->shared, n);
      direct->transferred += n;
      _ferry_run_count (direct->shared, &direct->shared->counters.bytes_done, n);
    }
  return n;
}

/* Moves the data of one attempt when one end is this machine: no second
 * thread, no buffer in between. FALSE with *handled FALSE when neither end
 * is local (or both are), for the pipe to do it. */
static gboolean
copy_direct (FerryRunWorker  *worker,
             FerryPlanItem   *item,
             const char      *temp_path,
             guint64          offset,
             guint64         *moved,
             gboolean        *handled,
             GError         **error)
{
  FerryRunShared *shared = worker->shared;
  gboolean source_local = ferry_connector_get_kind (shared->source_connector) == FERRY_CONNECTOR_KIND_LOCAL;
  gboolean destination_local = ferry_connector_get_kind (shared->destination_connector) == FERRY_CONNECTOR_KIND_LOCAL;
  Direct direct = { shared, NULL, offset, G_MAXUINT64, 0 };
  g_autoptr(GError) close_error = NULL;
  g_autofree char *hash_hex = NULL;
  FerryWriteHints hints;
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
      prepare_hints (worker, item, offset, TRUE, &hints, &hash_hex);
      direct.file = ferry_local_file_open (item->source_path, offset, FALSE, error);
      if (direct.file == NULL)
        return FALSE;
      ok = ferry_backend_write_hinted (worker->destination, temp_path, offset, &hints,
                                       direct_source, &direct, shared->cancellable, error);
      ferry_local_file_close (direct.file, NULL);
    }
  *moved = direct.transferred;
  return ok;
}

/* Between two servers: a reader thread fills the bounded buffer that the
 * destination's upload drains. */
static gboolean
copy_through_pipe (FerryRunWorker  *worker,
                   FerryPlanItem   *item,
                   const char      *temp_path,
                   guint64          offset,
                   guint64         *moved,
                   GError         **error)
{
  FerryRunShared *shared = worker->shared;
  Pipe pipe = { 0, };
  GThread *reader;
  g_autoptr(GError) write_error = NULL;
  g_autofree char *hash_hex = NULL;
  FerryWriteHints hints;
  gboolean ok;

  /* Before the reader starts: the source's session is free for a hash. */
  prepare_hints (worker, item, offset, FALSE, &hints, &hash_hex);
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
  ok = ferry_backend_write_hinted (worker->destination, temp_path, offset, &hints,
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
      if (pipe.reader_error != NULL && !_ferry_run_is_cancel_error (pipe.reader_error))
        g_propagate_error (error, g_steal_pointer (&pipe.reader_error));
      else
        g_propagate_error (error, g_steal_pointer (&write_error));
    }
  g_clear_error (&pipe.reader_error);
  g_free (pipe.buffer);
  g_mutex_clear (&pipe.lock);
  g_cond_clear (&pipe.cond);
  return ok;
}

/* The time, then the final name, in one round trip where the destination
 * can (ferry_backend_finish()). A time that cannot be set never costs the
 * file its name: the copy is complete, and the first such failure is said
 * once. A lost connection or a stop is worth another try, FALSE. */
static gboolean
finish (FerryRunWorker  *worker,
        FerryPlanItem   *item,
        const char      *temp_path,
        GError         **error)
{
  FerryRunShared *shared = worker->shared;
  g_autoptr(GError) local_error = NULL;
  gboolean warn;

  if (worker->source->times_with_read && worker->source->read_mtime_known &&
      item->source->precision < FERRY_TIME_SECONDS)
    {
      item->source->mtime = worker->source->read_mtime;
      item->source->precision = FERRY_TIME_SECONDS;
    }
  if (item->source->precision == FERRY_TIME_UNKNOWN)
    return ferry_backend_rename (worker->destination, temp_path, item->destination_path,
                                 shared->cancellable, error);
  if (!ferry_backend_finish (worker->destination, temp_path, item->destination_path, item->source->mtime,
                             &local_error, shared->cancellable, error))
    return FALSE;
  if (local_error == NULL)
    return TRUE;
  g_mutex_lock (&shared->lock);
  warn = !shared->mtime_warned;
  shared->mtime_warned = TRUE;
  shared->times_not_kept = TRUE;
  g_mutex_unlock (&shared->lock);
  if (warn)
    {
      g_autofree char *text = g_strdup_printf (_("Modification times are not kept at the destination "
                                                 "(%s): copies carry the time of copying, and later "
                                                 "runs compare sizes and the source’s times "
                                                 "recorded at each copy"),
                                               local_error->message);

      _ferry_run_post (shared, FERRY_LOG_WARNING, FERRY_LOG_KIND_NOTE, NULL, text);
    }
  return TRUE;
}

/* One attempt: `offset` bytes of the temporary file are already there.
 * Returns the bytes this attempt moved in *moved. The data, its size
 * checked, the time, and only then the final name. */
gboolean
_ferry_run_copy_once (FerryRunWorker  *worker,
                      FerryPlanItem   *item,
                      const char      *temp_path,
                      guint64          offset,
                      guint64         *moved,
                      GError         **error)
{
  gboolean handled = FALSE;
  gboolean ok;

  *moved = 0;
  ok = copy_direct (worker, item, temp_path, offset, moved, &handled, error);
  if (!handled)
    ok = copy_through_pipe (worker, item, temp_path, offset, moved, error);
  if (!ok)
    return FALSE;

  if (item->source->size_known && offset + *moved != item->source->size)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                   ngettext ("%" PRIu64 " byte arrived, the source has %" PRIu64,
                             "%" PRIu64 " bytes arrived, the source has %" PRIu64, (gulong) (offset + *moved)),
                   (guint64) (offset + *moved), (guint64) item->source->size);
      return FALSE;
    }
  return finish (worker, item, temp_path, error);
}

