/* ferry-run-ahead.c: source folders listed ahead of the walk by workers
 * that have no file to copy yet. Over a link with a long round trip, a
 * rerun with nothing to copy is its listings one after the other, two
 * round trips each (EPSV, LIST): the walk names the subfolders it will
 * list (ferry-planner.c, list_ahead), idle workers list them on their own
 * sessions, logged in at the same time, and the walk takes each listing
 * when it gets there. A request no worker has started yet is taken back
 * and listed by the walk itself; a worker's failure (its login refused,
 * a lost connection) is never the answer either: the walk lists the folder
 * itself, with its retries, as it would without help.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ferry-run-private.h"

#define AHEAD_MIN_US (60 * 1000)

typedef enum
{
  AHEAD_QUEUED,
  AHEAD_RUNNING,
  AHEAD_DONE,
} AheadState;

typedef struct
{
  AheadState  state;
  GPtrArray  *entries;    /* NULL when the listing failed */
  GPtrArray  *refusals;   /* char*, or NULL */
} Ahead;

static void
ahead_free (Ahead *ahead)
{
  g_clear_pointer (&ahead->entries, g_ptr_array_unref);
  g_clear_pointer (&ahead->refusals, g_ptr_array_unref);
  g_free (ahead);
}

void
_ferry_run_ahead_init (FerryRunShared *shared)
{
  g_queue_init (&shared->ahead_queue);
  shared->ahead = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) ahead_free);
}

void
_ferry_run_ahead_clear (FerryRunShared *shared)
{
  g_queue_clear_full (&shared->ahead_queue, g_free);
  g_clear_pointer (&shared->ahead, g_hash_table_unref);
}

void
_ferry_run_list_ahead (const char *path,
                       gpointer    user_data)
{
  FerryRunShared *shared = user_data;

  g_mutex_lock (&shared->lock);
  /* Worth a worker's login only where round trips are slow: the walk's
   * first listing (with the check of the source folder before it, four
   * round trips or so) took AHEAD_MIN_US or more. On a near server the
   * walk lists faster alone than a worker logs in. */
  if (shared->ahead_queued == 0 && !shared->ahead_off &&
      g_get_monotonic_time () - shared->walker_ready_at < AHEAD_MIN_US)
    shared->ahead_off = TRUE;
  if (!shared->ahead_off && !g_hash_table_contains (shared->ahead, path))
    {
      Ahead *ahead = g_new0 (Ahead, 1);

      ahead->state = AHEAD_QUEUED;
      g_hash_table_insert (shared->ahead, g_strdup (path), ahead);
      g_queue_push_tail (&shared->ahead_queue, g_strdup (path));
      shared->ahead_queued++;
      _ferry_run_wake (shared);
    }
  g_mutex_unlock (&shared->lock);
}

GPtrArray *
_ferry_run_take_listing (const char  *path,
                         GPtrArray  **refusals,
                         gpointer     user_data)
{
  FerryRunShared *shared = user_data;
  GPtrArray *entries = NULL;
  Ahead *ahead;

  *refusals = NULL;
  g_mutex_lock (&shared->lock);
  ahead = g_hash_table_lookup (shared->ahead, path);
  if (ahead != NULL && ahead->state == AHEAD_QUEUED)
    {
      /* Nobody started it: the walk is as quick. */
      GList *link = g_queue_find_custom (&shared->ahead_queue, path, (GCompareFunc) g_strcmp0);

      if (link != NULL)
        {
          g_free (link->data);
          g_queue_delete_link (&shared->ahead_queue, link);
        }
    }
  else
    while (ahead != NULL && ahead->state == AHEAD_RUNNING && !g_cancellable_is_cancelled (shared->cancellable))
      {
        _ferry_run_wait (shared, g_get_monotonic_time () + 100 * 1000);
        ahead = g_hash_table_lookup (shared->ahead, path);
      }
  if (ahead != NULL && ahead->state == AHEAD_DONE)
    {
      entries = g_steal_pointer (&ahead->entries);
      *refusals = g_steal_pointer (&ahead->refusals);
    }
  if (ahead != NULL && ahead->state != AHEAD_RUNNING)
    g_hash_table_remove (shared->ahead, path);
  g_mutex_unlock (&shared->lock);
  return entries;
}

/* Called with the lock held by a worker allowed to work; lists the next
 * folder asked for, if any, on the worker's source session (the lock is
 * let go meanwhile). TRUE when it did. */
gboolean
_ferry_run_worker_list_ahead (FerryRunWorker *worker)
{
  FerryRunShared *shared = worker->shared;
  g_autofree char *path = g_queue_pop_head (&shared->ahead_queue);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) refusals = NULL;
  Ahead *ahead;

  if (path == NULL)
    return FALSE;
  ahead = g_hash_table_lookup (shared->ahead, path);
  if (ahead == NULL)
    return TRUE;
  ahead->state = AHEAD_RUNNING;
  g_mutex_unlock (&shared->lock);

  entries = ferry_backend_list (worker->source, path, shared->cancellable, NULL);
  if (entries != NULL && worker->source->list_refusals != NULL && worker->source->list_refusals->len > 0)
    {
      refusals = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < worker->source->list_refusals->len; i++)
        g_ptr_array_add (refusals, g_strdup (g_ptr_array_index (worker->source->list_refusals, i)));
    }

  g_mutex_lock (&shared->lock);
  ahead = g_hash_table_lookup (shared->ahead, path);
  if (ahead != NULL)
    {
      ahead->state = AHEAD_DONE;
      ahead->entries = g_steal_pointer (&entries);
      ahead->refusals = g_steal_pointer (&refusals);
    }
  _ferry_run_wake (shared);
  return TRUE;
}
