/* ferry-run-tune.c: Connections: Automatic. A run starts with 4
 * connections (or the limit a server showed on an earlier run, if lower),
 * and every TUNE_WINDOW it compares files and bytes per second with the
 * window before: while either grows by a sixth or more, and there is work
 * queued for more connections, it doubles them, up to 16; when doubling
 * brought nothing, it goes back and stays; when throughput falls to half
 * of what it was, it goes down by a quarter. A server that refuses a
 * connection (421, a 530 "too many", a refused SFTP channel; see
 * ferry-run-worker.c) caps it for the rest of the run, and the cap is
 * remembered per connector (ferry-connection-limits.c) for the next runs.
 * The log says each change and why; the run's "connections" counter is
 * what the transfer's row shows.
 *
 * The measure is taken by the worker that has just finished a file, under
 * the run's lock: no thread of its own, nothing done between files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ferry-connection-limits.h"
#include "ferry-run-private.h"

#define TUNE_WINDOW     (3 * G_USEC_PER_SEC / 2)
#define TUNE_GAIN       (7.0 / 6.0)  /* more connections must bring this much */
#define TUNE_FALL       0.5          /* below this share of before: fewer */

static gboolean
is_remote (FerryConnector *connector)
{
  return ferry_connector_get_kind (connector) != FERRY_CONNECTOR_KIND_LOCAL;
}

/* The lowest limit remembered for a server end of the run, 0 for none. */
static guint
remembered_limit (FerryRunShared *shared)
{
  FerryConnector *ends[] = { shared->source_connector, shared->destination_connector };
  guint limit = 0;

  for (guint i = 0; i < G_N_ELEMENTS (ends); i++)
    if (is_remote (ends[i]))
      {
        guint known = ferry_connection_limit_lookup (ferry_connector_get_id (ends[i]));

        if (known > 0 && (limit == 0 || known < limit))
          limit = known;
      }
  return limit;
}

void
_ferry_run_tune_setup (FerryRunShared *shared,
                       guint           connections)
{
  if (connections != FERRY_TRANSFER_CONNECTIONS_AUTO)
    {
      shared->n_workers = CLAMP (connections, FERRY_TRANSFER_MIN_CONNECTIONS, FERRY_TRANSFER_MAX_CONNECTIONS);
      shared->active_limit = shared->n_workers;
      shared->counters.connections = shared->n_workers;
      return;
    }
  shared->auto_connections = TRUE;
  shared->n_workers = FERRY_TRANSFER_MAX_CONNECTIONS;
  shared->auto_cap = FERRY_TRANSFER_MAX_CONNECTIONS;
  /* Two folders of this machine: no server to ask, no round trips to hide. */
  if (shared->both_local)
    shared->auto_cap = FERRY_TRANSFER_AUTO_START_CONNECTIONS;
  shared->remembered_cap = remembered_limit (shared);
  if (shared->remembered_cap > 0)
    shared->auto_cap = MIN (shared->auto_cap, shared->remembered_cap);
  shared->active_limit = MIN (FERRY_TRANSFER_AUTO_START_CONNECTIONS, shared->auto_cap);
  shared->counters.connections = shared->active_limit;
}

void
_ferry_run_tune_started (FerryRunShared *shared)
{
  g_autofree char *text = NULL;

  if (!shared->auto_connections || shared->dry_run ||
      (shared->kind == FERRY_RUN_KIND_VERIFY && !shared->checksum))
    return;
  if (shared->remembered_cap > 0)
    text = g_strdup_printf (ngettext ("Connections: automatic, starting with %u, at most %u: the server "
                                      "accepted no more on an earlier run",
                                      "Connections: automatic, starting with %u, at most %u: the server "
                                      "accepted no more on an earlier run", shared->auto_cap),
                            shared->active_limit, shared->auto_cap);
  else
    text = g_strdup_printf (_("Connections: automatic, starting with %u, at most %u"),
                            shared->active_limit, shared->auto_cap);
  _ferry_run_post (shared, FERRY_LOG_INFO, FERRY_LOG_KIND_NOTE, NULL, text);
}

static void
set_limit (FerryRunShared *shared,
           guint           limit)
{
  shared->tune_previous = shared->active_limit;
  shared->active_limit = limit;
  shared->counters.connections = limit;
  _ferry_run_wake (shared);
}

void
_ferry_run_tune (FerryRunShared *shared)
{
  g_autofree char *text = NULL;
  gint64 now;
  double seconds, files_rate, bytes_rate;
  guint queued;

  if (!shared->auto_connections)
    return;
  now = g_get_monotonic_time ();
  g_mutex_lock (&shared->lock);
  if (shared->tune_since == 0)
    {
      /* The first window starts with the first file done: the logins and
       * the first listing are no measure of the link. */
      shared->tune_since = now;
      shared->tune_files = shared->counters.files_done;
      shared->tune_bytes = shared->counters.bytes_done;
      g_mutex_unlock (&shared->lock);
      return;
    }
  if (now - shared->tune_since < TUNE_WINDOW)
    {
      g_mutex_unlock (&shared->lock);
      return;
    }
  seconds = (now - shared->tune_since) / (double) G_USEC_PER_SEC;
  files_rate = (shared->counters.files_done - shared->tune_files) / seconds;
  bytes_rate = (shared->counters.bytes_done - MIN (shared->tune_bytes, shared->counters.bytes_done)) / seconds;
  shared->tune_since = now;
  shared->tune_files = shared->counters.files_done;
  shared->tune_bytes = shared->counters.bytes_done;
  queued = g_queue_get_length (&shared->items);

  if (shared->tune_files_rate == 0 && shared->tune_bytes_rate == 0)
    {
      /* The first measure: the rate of the connections we started with. */
      shared->tune_files_rate = files_rate;
      shared->tune_bytes_rate = bytes_rate;
    }
  else if (!shared->tune_settled)
    {
      gboolean faster = files_rate >= shared->tune_files_rate * TUNE_GAIN ||
                        bytes_rate >= shared->tune_bytes_rate * TUNE_GAIN;

      if (!faster && shared->active_limit > shared->tune_previous)
        {
          guint more = shared->active_limit;

          set_limit (shared, shared->tune_previous);
          shared->tune_settled = TRUE;
          text = g_strdup_printf (_("Connections: %u, back from %u: more were no faster"),
                                  shared->active_limit, more);
          g_mutex_unlock (&shared->lock);
          _ferry_run_post (shared, FERRY_LOG_INFO, FERRY_LOG_KIND_NOTE, NULL, text);
          return;
        }
      if (faster)
        {
          shared->tune_files_rate = files_rate;
          shared->tune_bytes_rate = bytes_rate;
        }
      else
        shared->tune_settled = TRUE;
    }
  else if (files_rate < shared->tune_files_rate * TUNE_FALL && bytes_rate < shared->tune_bytes_rate * TUNE_FALL &&
           queued >= shared->active_limit && shared->active_limit > 1)
    {
      /* Throughput fell with work waiting: the server or the link is
       * overloaded; a quarter fewer, measured again from here. */
      guint fewer = MAX (1, shared->active_limit - MAX (1, shared->active_limit / 4));

      text = g_strdup_printf (_("Connections: %u, down from %u: files per second fell"),
                              fewer, shared->active_limit);
      set_limit (shared, fewer);
      shared->tune_files_rate = files_rate;
      shared->tune_bytes_rate = bytes_rate;
      g_mutex_unlock (&shared->lock);
      _ferry_run_post (shared, FERRY_LOG_INFO, FERRY_LOG_KIND_NOTE, NULL, text);
      return;
    }

  /* More, while it pays and there is work queued for them. */
  if (!shared->tune_settled && shared->active_limit < shared->auto_cap && queued >= shared->active_limit)
    {
      guint more = MIN (shared->auto_cap, shared->active_limit * 2);

      text = g_strdup_printf (_("Connections: %u, up from %u: files per second keep growing"),
                              more, shared->active_limit);
      set_limit (shared, more);
    }
  g_mutex_unlock (&shared->lock);
  if (text != NULL)
    _ferry_run_post (shared, FERRY_LOG_INFO, FERRY_LOG_KIND_NOTE, NULL, text);
}

/* Called with the lock held, after fewer_connections() lowered the limit
 * to `kept`: that is the server's limit for this run and the next ones.
 * Returns what to add to the log, or NULL. */
char *
_ferry_run_tune_refused (FerryRunShared *shared,
                         guint           kept)
{
  FerryConnector *ends[] = { shared->source_connector, shared->destination_connector };

  if (!shared->auto_connections || kept >= shared->auto_cap)
    return NULL;
  shared->auto_cap = kept;
  shared->tune_settled = TRUE;
  shared->counters.connections = shared->active_limit;
  /* Which end refused is not known here; a server end of a run with one
   * (the usual case) is the one. */
  for (guint i = 0; i < G_N_ELEMENTS (ends); i++)
    if (is_remote (ends[i]))
      ferry_connection_limit_remember (ferry_connector_get_id (ends[i]), kept, NULL);
  return g_strdup_printf (ngettext ("Connections: at most %u from now on, also in later runs: "
                                    "the server accepts no more",
                                    "Connections: at most %u from now on, also in later runs: "
                                    "the server accepts no more", kept), kept);
}
