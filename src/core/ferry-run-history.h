/* ferry-run-history.h: what earlier runs did, on disk (DESIGN.md,
 * "Persistence").
 *
 * Each run of a transfer leaves in $XDG_DATA_HOME/ferry/runs/TRANSFER-ID/ a
 * summary RUN-ID.run (a key file, rewritten atomically at the start and at
 * the end), its log as structured lines RUN-ID.journal (ferry-log-line.h),
 * the same log rendered for people RUN-ID.log, and one record per file
 * considered RUN-ID.records (ferry-outcome.h); the last three are appended
 * as the run goes.
 * RUN-ID sorts by start time. A summary still saying "running" whose process
 * is gone (another pid, or another boot) reads back as interrupted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ferry-log-line.h"

#include "ferry-enums.h"

G_BEGIN_DECLS

typedef enum
{
  FERRY_RUN_STATE_IDLE,
  FERRY_RUN_STATE_RUNNING,
  FERRY_RUN_STATE_COMPLETED,
  FERRY_RUN_STATE_COMPLETED_WITH_ERRORS,
  FERRY_RUN_STATE_FAILED,
  FERRY_RUN_STATE_CANCELLED,
  FERRY_RUN_STATE_INTERRUPTED,  /* only read back from history */
} FerryRunState;

/* "idle", "running", "completed", "completed-with-errors", "failed",
 * "cancelled", "interrupted" */
const char *ferry_run_state_to_string   (FerryRunState  state);
gboolean    ferry_run_state_from_string (const char    *string,
                                         FerryRunState *state);
/* Translated, for people. */
const char *ferry_run_state_get_label   (FerryRunState  state);

/* What a run did: copied (the default), or compared both sides without
 * writing anything (saved as Kind=verify). */
typedef enum
{
  FERRY_RUN_KIND_COPY,
  FERRY_RUN_KIND_VERIFY,
} FerryRunKind;

/* How a file of a verification differs (its records' reason). Bits, so
 * a run keeps all its kinds in one value, but registered as an enum: each
 * value's nick is the record's word. */
typedef enum
{
  FERRY_DIFFERENCE_SIZE    = 1,
  FERRY_DIFFERENCE_TIME    = 2,
  FERRY_DIFFERENCE_CONTENT = 4,
  FERRY_DIFFERENCE_TYPE    = 8,
} FerryDifference;

/* How a run ended, in the words of its kind (`ferry-cli history`):
 * a copy completed, completed with errors or found everything up to date;
 * a verification found that everything matches or that something differs;
 * either failed, was cancelled or was interrupted. */
typedef enum
{
  FERRY_RUN_RESULT_RUNNING,
  FERRY_RUN_RESULT_COMPLETED,
  FERRY_RUN_RESULT_COMPLETED_WITH_ERRORS,
  FERRY_RUN_RESULT_UP_TO_DATE,
  FERRY_RUN_RESULT_FAILED,
  FERRY_RUN_RESULT_CANCELLED,
  FERRY_RUN_RESULT_INTERRUPTED,
  FERRY_RUN_RESULT_MATCHES,
  FERRY_RUN_RESULT_DIFFERS,
} FerryRunResult;

/* How a copy run told a destination file up to date, saved as
 * Compared=NICK and said in its log: by the destination's size and time,
 * by its size and the source's time recorded at the last copy (the
 * destination cannot keep times, ferry-recorded-times.h), or by size
 * alone. UNKNOWN: a run from before this was saved, or a verification. */
typedef enum
{
  FERRY_RUN_COMPARED_UNKNOWN,
  FERRY_RUN_COMPARED_SIZE_AND_TIME,
  FERRY_RUN_COMPARED_SIZE_AND_RECORDED_TIME,
  FERRY_RUN_COMPARED_SIZE_ONLY,
} FerryRunCompared;

typedef struct
{
  char          *transfer_id;
  char          *run_id;
  FerryRunState  state;
  gint64         started;        /* seconds since the epoch, UTC */
  gint64         ended;          /* 0 while running */
  guint64        files_done;     /* copied */
  guint64        files_skipped;
  guint64        files_failed;
  guint64        files_total;
  guint64        bytes_done;
  guint64        bytes_total;
  char          *message;        /* why it failed, or NULL */
  gboolean       scheduled;      /* started by the scheduler (Scheduled=true) */
  gboolean       times_not_kept; /* the destination could not set a file's
                                  * time: the next run compares sizes only */
  FerryRunKind   kind;
  guint64        files_deleted;  /* gone from the source, removed here */
  guint64        differences;    /* a verification's missing, differing and extra files */
  guint64        files_missing;  /* … each of them */
  guint64        files_differing;
  guint64        files_extra;
  FerryDifference differ_how;    /* how the differing files differ */
  FerryRunCompared compared;     /* what told a file up to date (Compared=) */

  /* private */
  int            log_fd;
  int            journal_fd;
  gint64         pid;
  char          *boot_id;
} FerryRunRecord;

/* How the run ended, in its kind's words. */
FerryRunResult  ferry_run_record_get_result  (const FerryRunRecord *record);
/* What a run did, as the window's History and `ferry-cli history` word
 * it, translated: "Verified · all 184 files match", "Verified · 1 file
 * differs (content)", "Completed · 2 files copied (314.6 MB) · 182
 * already up to date". */
char           *ferry_run_record_describe    (const FerryRunRecord *record);
/* The counts alone: "all 184 files match", "2 files copied (314.6 MB) ·
 * 182 already up to date". */
char           *ferry_run_record_describe_counts (const FerryRunRecord *record);
/* The first part alone: "Verified", "Up to date", "Verification failed". */
const char     *ferry_run_result_get_label   (FerryRunResult        result,
                                              FerryRunKind          kind);

/* $XDG_DATA_HOME/ferry/runs/TRANSFER-ID */
char           *ferry_run_history_dup_folder (const char      *transfer_id);

/* A new record for a run starting now, state running, saved at once, with
 * its log file open for appending. */
FerryRunRecord *ferry_run_record_begin       (const char      *transfer_id,
                                              GError         **error);
/* Rewrites the summary atomically (end the run by setting state, ended and
 * the counters first). */
gboolean        ferry_run_record_save        (FerryRunRecord  *record,
                                              GError         **error);
/* One line of the log, to the journal and rendered to RUN-ID.log; best
 * effort. */
void            ferry_run_record_append      (FerryRunRecord  *record,
                                              FerryLogLine    *line);
/* RUN-ID followed by `extension` (".records"), in the run's folder. */
char           *ferry_run_record_dup_path    (FerryRunRecord  *record,
                                              const char      *extension);
void            ferry_run_record_free        (FerryRunRecord  *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryRunRecord, ferry_run_record_free)

/* Every readable run of a transfer, newest first (FerryRunRecord*). */
GPtrArray      *ferry_run_history_list       (const char      *transfer_id,
                                              GError         **error);
/* The newest run, or NULL with FERRY_ERROR_NOT_FOUND. */
FerryRunRecord *ferry_run_history_latest     (const char      *transfer_id,
                                              GError         **error);
/* The newest run of one kind (the latest copy, the latest verification),
 * or NULL with FERRY_ERROR_NOT_FOUND. */
FerryRunRecord *ferry_run_history_latest_of_kind (const char  *transfer_id,
                                              FerryRunKind     kind,
                                              GError         **error);
/* One run by its id, or NULL with FERRY_ERROR_NOT_FOUND. */
FerryRunRecord *ferry_run_history_find       (const char      *transfer_id,
                                              const char      *run_id,
                                              GError         **error);
/* The whole log of a run, as text people read (RUN-ID.log). */
char           *ferry_run_history_read_log   (FerryRunRecord  *record,
                                              GError         **error);
/* The log of a run as FerryLogLine items, read on demand from its journal.
 * A run from before journals gives its text lines as notes. */
GListModel     *ferry_run_history_open_log   (FerryRunRecord  *record,
                                              GError         **error);
/* What the run did with each file: FerryOutcome items, read on demand. */
GListModel     *ferry_run_history_open_outcomes (FerryRunRecord *record,
                                              GError         **error);
/* Marks a run's summary Scheduled=true (after it ended: the run rewrites
 * its summary until then); best effort. */
void            ferry_run_history_mark_scheduled (const char  *transfer_id,
                                              const char      *run_id);
/* Removes every run of a transfer (when the transfer is removed). */
void            ferry_run_history_forget     (const char      *transfer_id);

G_END_DECLS
