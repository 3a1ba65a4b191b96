/* ferry-run-private.h: what the pieces of the engine share (DESIGN.md,
 * "Engine"). Not for the UI or the CLI.
 *
 *  - ferry-run.c         the FerryRun object: properties, the drain that
 *                        turns the workers' events into them, the log model
 *  - ferry-run-walk.c    the controller thread: logins, the planner's walk,
 *                        the queue of files for the workers, the run's end
 *  - ferry-run-worker.c  a worker thread: one file at a time, with retries
 *                        and resumes, and its outcome record
 *  - ferry-run-pipe.c    one attempt at moving a file's bytes: straight
 *                        from or to this machine, or through a bounded
 *                        buffer between two servers; the bandwidth limit
 *  - ferry-run-delete.c  after the copies: what is gone from the source
 *                        leaves the destination (Delete=true)
 *  - ferry-run-verify.c  a verification's per-file comparison, and the
 *                        checksums of both sides
 *  - ferry-run-tune.c    Connections: Automatic: more connections while
 *                        they pay, fewer at a server's limit (remembered)
 *  - ferry-run-ahead.c   source folders listed ahead of the walk by
 *                        workers with nothing to copy yet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-backend.h"
#include "ferry-outcome.h"
#include "ferry-planner.h"
#include "ferry-run.h"

G_BEGIN_DECLS

#define FERRY_RUN_QUEUE_MAX      8192   /* files planned ahead of the workers */
#define FERRY_RUN_LOGIN_SPACING  (50 * 1000)   /* µs between two logins of one run */
#define FERRY_RUN_FAR_US         (20 * 1000)   /* a round trip this long makes a server far */

typedef struct
{
  guint64 files_done;
  guint64 files_total;
  guint64 files_skipped;
  guint64 files_failed;
  guint64 bytes_done;
  guint64 bytes_total;
  guint64 bytes_skipped;   /* of the files skipped as identical */
  guint64 files_deleted;   /* gone from the source, removed (or, dry, would be) */
  guint64 differences;     /* a verification's missing, differing, extra */
  guint64 missing;         /* … each of them */
  guint64 differing;
  guint64 extra;
  FerryDifference differ_how; /* how the differing files differ */
  guint64 excluded_files;  /* left out by the filters */
  guint64 excluded_folders; /* … with everything in them */
  guint64 connections;     /* connections the run may use now */
} FerryRunCounters;

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
  FerryFilter         *filter;      /* or NULL */
  gboolean             dry_run;     /* plan only: no worker, nothing written */
  FerryRunKind         kind;        /* a copy, or a verification (nothing written
                                     * at the destination) */
  gboolean             checksum;    /* compare contents too: a verification, or a
                                     * copy of what differs in content */
  char                *repair_of;   /* a verification's run id: copy only what it
                                     * found missing or different */
  GHashTable          *only;        /* with repair_of, filled by the controller
                                     * before the walk: relative path →
                                     * GINT_TO_POINTER (FerryRepairHow) */
  gboolean             delete_extra; /* what only the destination has goes, after
                                     * the copies */
  guint64              bandwidth_limit; /* bytes per second for the whole run, 0: none */
  guint                n_workers;
  gboolean             both_local;
  GCancellable        *cancellable;
  GCancellable        *warm_up;     /* the workers' first logins; also cancelled
                                     * when the walk found nothing to copy */
  FerryOutcomeWriter  *outcomes;    /* thread-safe; NULL when it could not open */

  GAsyncQueue   *events;        /* FerryLogLine*, threads → main context */
  GAsyncQueue   *planned;       /* FerryOutcome*, a dry run's plan → main context */
  GMutex         log_lock;      /* the record's journal and log files */
  GSource       *drain;         /* made ready at once when the run ends */

  GMutex         lock;          /* everything below */
  GCond          cond;          /* through _ferry_run_wait() and _ferry_run_wake() */
  guint          waiting;       /* threads waiting on cond */
  FerryRunCounters counters;
  GPtrArray     *current;       /* char*, the files the workers are copying,
                                 * in the order they started */
  GQueue         items;         /* FerryPlanItem* planned, not yet taken */
  gboolean       walk_done;
  guint64        queued;        /* items ever handed to the workers */
  GQueue         ahead_queue;   /* char*, folders to list ahead, not started */
  GHashTable    *ahead;         /* folder → its listing ahead (ferry-run-ahead.c) */
  guint64        ahead_queued;  /* folders ever asked to be listed ahead */
  gboolean       ahead_off;     /* round trips too short for listing ahead */
  gint64         walker_ready_at; /* when the walk's sessions were logged in */
  gboolean       far;           /* the walk's user name or first command took
                                 * FERRY_RUN_FAR_US or more: workers log in at
                                 * once (ferry-run-worker.c, work_in_sight()) */
  guint64        entries_listed; /* in the source folders the walk has listed */
  gboolean       walker_ready;  /* the walk's sessions are logged in */
  gboolean       source_login_passed;      /* the walk's login passed there: */
  gboolean       destination_login_passed; /* workers' passwords may go */
  FerryBackend  *spare_source;  /* the walk's sessions once it is done, for */
  FerryBackend  *spare_destination; /* a worker not logged in yet */
  gboolean       finished;      /* the controller is done; state and error final */
  guint          active_limit;  /* workers allowed; lowered on "too many",
                                 * moved by Connections: Automatic */
  gboolean       auto_connections; /* Connections: Automatic (set before the threads) */
  guint          auto_cap;      /* the most Automatic may use: 16, or a server's limit */
  guint          remembered_cap; /* a server's limit from an earlier run, 0: none */
  gint64         tune_since;    /* ferry-run-tune.c: the window's start, 0: none yet */
  guint64        tune_files;    /* files_done and bytes_done at its start */
  guint64        tune_bytes;
  double         tune_files_rate; /* per second, before the last change */
  double         tune_bytes_rate;
  guint          tune_previous; /* active_limit before the last change */
  gboolean       tune_settled;  /* more were no faster, or a server said no */
  guint          workers_running; /* worker threads not yet ended */
  guint          busy;          /* workers with a file in hand */
  struct _FerryRunWorker *workers; /* n_workers of them while they run */
  GHashTable    *folder_times;  /* destination folder → its source time
                                 * (gint64*), set at the end of the run */
  GHashTable    *touched;       /* destination folders whose entries changed */
  gint64         last_login;
  gboolean       mtime_warned;
  gboolean       times_not_kept; /* a time could not be set, in this run or
                                  * an earlier one: sizes alone decide, or… */
  FerryRecordedTimes *recorded; /* …with the source's times of the last
                                 * copies (set before the walk, read-only) */
  FerryRunCompared compared;    /* what the walk compares, said in the log */
  gboolean       trash_warned;
  gboolean       hash_logged;   /* the checksum methods were named in the log */
  GPtrArray     *extras;        /* FerryPlanItem*, EXTRA: deleted after the copies */
  gboolean       source_incomplete; /* a source folder or listing could not be read */
  gint64         bucket_due;    /* the bandwidth limit's theoretical arrival time, µs */
  FerryRunState  final_state;
  GError        *fatal_error;   /* roots unreachable, disk full */
  FerryRunRecord *record;       /* set by the controller once its summary is
                                 * written, before the walk and the workers
                                 * start (under log_lock, which also guards
                                 * its files); NULL for a dry run */
} FerryRunShared;

typedef struct _FerryRunWorker
{
  FerryRunShared *shared;
  guint           index;
  FerryBackend   *source;
  FerryBackend   *destination;
  gboolean        logged_in;
  gint            connected;  /* atomic: its last login or copy worked */
  FerryPlanItem  *next;       /* the file it copies next, taken from the
                               * queue (and counted busy) with the current
                               * one, so the source may ask for it ahead */
} FerryRunWorker;

FerryRunShared *_ferry_run_shared_ref    (FerryRunShared *shared);
void            _ferry_run_shared_unref  (FerryRunShared *shared);

/* A log line for the main context; `path` and `message` may be NULL. */
void     _ferry_run_post          (FerryRunShared  *shared,
                                   FerryLogLevel    level,
                                   FerryLogKind     kind,
                                   const char      *path,
                                   const char      *message);
/* A line of numbers (ferry_log_line_new_numbers()). */
void     _ferry_run_post_numbers  (FerryRunShared  *shared,
                                   FerryLogLevel    level,
                                   FerryLogKind     kind,
                                   const char      *path,
                                   const guint64   *numbers,
                                   guint            n);
void     _ferry_run_wait          (FerryRunShared  *shared,
                                   gint64           until);
void     _ferry_run_wake          (FerryRunShared  *shared);
void     _ferry_run_count         (FerryRunShared  *shared,
                                   guint64         *field,
                                   gint64           delta);
/* One outcome record for a planned item. */
void     _ferry_run_record        (FerryRunShared  *shared,
                                   FerryPlanItem   *item,
                                   FerryOutcomeKind kind,
                                   const char      *reason,
                                   const char      *message,
                                   guint            tries);
gboolean _ferry_run_is_cancel_error (const GError  *error);
void     _ferry_run_stop          (FerryRunShared  *shared);
void     _ferry_run_fail          (FerryRunShared  *shared,
                                   const GError    *error);
void     _ferry_run_space_login   (FerryRunShared  *shared,
                                   GCancellable    *also);
void     _ferry_run_sleep         (FerryRunShared  *shared,
                                   gint64           us);

/* ferry-run-pipe.c: one attempt; `offset` bytes of the temporary file are
 * there already; *moved is what this attempt added. */
gboolean _ferry_run_copy_once     (FerryRunWorker  *worker,
                                   FerryPlanItem   *item,
                                   const char      *temp_path,
                                   guint64          offset,
                                   guint64         *moved,
                                   GError         **error);

/* Waits as long as the bandwidth limit wants for `bytes` more (shared by
 * every connection of the run); nothing without a limit. */
void     _ferry_run_throttle      (FerryRunShared  *shared,
                                   gsize            bytes);

/* ferry-run-delete.c: after the copies, in walk order (files, then the
 * folders they emptied); to the Trash where this machine is the
 * destination. A dry run records what would go. */
void     _ferry_run_delete_extras (FerryRunShared  *shared);

/* What a repair (repair_of) does with a path its verification named. */
typedef enum
{
  FERRY_REPAIR_COPY = 1,     /* missing, or differing by listing: as a run decides */
  FERRY_REPAIR_CONTENT,      /* differed in content: compared again, copied if so */
} FerryRepairHow;

/* ferry-run-verify.c: the walk's verdict on one item of a verification. */
typedef enum
{
  FERRY_VERIFY_RECORDED,   /* judged and recorded */
  FERRY_VERIFY_QUEUE,      /* a file for the workers to compare by content */
  FERRY_VERIFY_AS_RUN,     /* recorded as a run records it (excluded, refused…) */
} FerryVerifyVerdict;

FerryVerifyVerdict _ferry_run_verify_item (FerryRunShared  *shared,
                                           FerryPlanItem   *item);
/* A worker's comparison of one file's contents. */
void     _ferry_run_verify_file   (FerryRunWorker  *worker,
                                   FerryPlanItem   *item);
/* The comparison itself, with retries: *same says whether the contents
 * are alike, *how names the algorithm ("sha-256"); FALSE with the reason
 * when a side could not be read. `count_bytes`: what is read counts as
 * the run's bytes-done (a verification's progress). */
gboolean _ferry_run_compare_contents (FerryRunWorker  *worker,
                                      FerryPlanItem   *item,
                                      gboolean         count_bytes,
                                      gboolean        *same,
                                      const char     **how,
                                      guint           *tries,
                                      GError         **error);
/* The repair's verification read: shared->only. FALSE with the reason. */
gboolean _ferry_run_load_repair   (FerryRunShared  *shared,
                                   GError         **error);

/* ferry-run-tune.c: Connections: Automatic. Setup before the threads
 * start (`connections` as the transfer has it); the log line at the start;
 * the measure after each copied file (takes the lock); and the server's
 * refusal, with the lock held (returns a log line, or NULL). */
void     _ferry_run_tune_setup    (FerryRunShared  *shared,
                                   guint            connections);
void     _ferry_run_tune_started  (FerryRunShared  *shared);
void     _ferry_run_tune          (FerryRunShared  *shared);
char    *_ferry_run_tune_refused  (FerryRunShared  *shared,
                                   guint            kept);

/* ferry-run-ahead.c: the planner's list_ahead and take_listing (user_data:
 * the shared state), and a worker's turn at a listing (lock held; let go
 * while it lists; TRUE when it did one). */
void       _ferry_run_ahead_init        (FerryRunShared  *shared);
void       _ferry_run_ahead_clear       (FerryRunShared  *shared);
void       _ferry_run_list_ahead        (const char      *path,
                                         gpointer         user_data);
GPtrArray *_ferry_run_take_listing      (const char      *path,
                                         GPtrArray      **refusals,
                                         gpointer         user_data);
gboolean   _ferry_run_worker_list_ahead (FerryRunWorker  *worker);

/* ferry-run-worker.c */
gpointer _ferry_run_worker_thread (gpointer        data);
gboolean _ferry_run_take_spares   (FerryRunWorker  *worker);
/* FerryBackend.before_password of a worker's source and destination
 * sessions: data is the worker. */
gboolean _ferry_run_worker_source_gate      (gpointer  data,
                                             gint64    round_trip);
gboolean _ferry_run_worker_destination_gate (gpointer  data,
                                             gint64    round_trip);

/* ferry-run-walk.c: the whole run, from its first login to its record. */
/* The folder holding `path` changed: its time is set again at the end.
 * Called with the lock held. */
void     _ferry_run_touch_folder_of (FerryRunShared *shared,
                                     const char     *path);
gpointer _ferry_run_controller_thread (gpointer    data);

G_END_DECLS
