/* ferry-log-line.h: one line of a run's log, as a structure (DESIGN.md,
 * "Events" and "Outcome records").
 *
 * A line has a time, a level, a kind, the file it is about and a message.
 * What people read (ferry_log_line_get_text()) is rendered from those in
 * the reader's language, so a log written in German reads in English, and
 * nothing ever parses text to learn which file failed: the kind says so.
 *
 * A run keeps its lines in RUN-ID.journal, one per line, tab-separated and
 * escaped (ferry_log_line_serialize() / ferry_log_line_parse()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ferry-enums.h"

G_BEGIN_DECLS

typedef enum
{
  FERRY_LOG_INFO,
  FERRY_LOG_WARNING,
  FERRY_LOG_ERROR,
} FerryLogLevel;

typedef enum
{
  FERRY_LOG_KIND_NOTE,            /* anything else: the message as written */
  FERRY_LOG_KIND_RUN_STARTED,     /* message: ferry_log_line_started_message() */
  FERRY_LOG_KIND_RUN_FAILED,      /* message: why */
  FERRY_LOG_KIND_RUN_CANCELLED,
  FERRY_LOG_KIND_SUMMARY,         /* numbers: FerryLogSummary (a copy's end) */
  FERRY_LOG_KIND_FOLDER_CREATED,  /* path */
  FERRY_LOG_KIND_FILE_COPIED,     /* path; message: where it resumed, or empty */
  FERRY_LOG_KIND_FILE_FAILED,     /* path; message: why */
  FERRY_LOG_KIND_FILE_SKIPPED,    /* path; message: why (a link, a device) */
  FERRY_LOG_KIND_FILE_RETRY,      /* path; message: what went wrong this time */
  FERRY_LOG_KIND_FILE_RESTART,    /* path; message: why the resume did not work */
  FERRY_LOG_KIND_FILE_DELETED,    /* path, gone from the source; numbers: FerryLogDeleted
                                   * (before them, the message said "trash") */
  FERRY_LOG_KIND_FILE_DIFFERS,    /* path; numbers: FerryLogDiffers (before them, the
                                   * message said missing, extra, size, time, content
                                   * or type) */
  FERRY_LOG_KIND_VERIFY_SUMMARY,  /* numbers: FerryLogVerifySummary (a verification's
                                   * verdict) */
  FERRY_LOG_KIND_COMPARING,       /* numbers: FerryLogComparing (how contents are
                                   * compared, once a run) */
  FERRY_LOG_KIND_FILTERED,        /* numbers: FerryLogFiltered (what the filters
                                   * left out, at a run's end) */
  FERRY_LOG_KIND_COMPARED,        /* message: what tells a file up to date: the nick of
                                   * a FerryRunCompared, and for size-and-recorded-time
                                   * the number of files on record ("NICK N") */
} FerryLogKind;

/* The numbers of the lines whose words are all Ferry's: kept as numbers
 * in the journal and put into a sentence when read, in the reader's
 * language (ferry_log_line_get_number()). */
typedef enum
{
  FERRY_LOG_SUMMARY_COPIED,
  FERRY_LOG_SUMMARY_BYTES,
  FERRY_LOG_SUMMARY_SKIPPED,
  FERRY_LOG_SUMMARY_FAILED,
  FERRY_LOG_SUMMARY_TENTHS,     /* of a second the run took */
} FerryLogSummary;

typedef enum
{
  FERRY_LOG_VERIFY_COMPARED,    /* files of the source */
  FERRY_LOG_VERIFY_DIFFERENCES, /* missing, differing, extra */
  FERRY_LOG_VERIFY_FAILED,      /* could not be compared */
} FerryLogVerifySummary;

typedef enum
{
  FERRY_LOG_COMPARING_ALGORITHM,         /* a GChecksumType, both sides */
  FERRY_LOG_COMPARING_SOURCE_SERVER,     /* 1: the source's server computes it */
  FERRY_LOG_COMPARING_DESTINATION_SERVER,
} FerryLogComparing;

typedef enum
{
  FERRY_LOG_DELETED_HOW,        /* FERRY_LOG_DELETED_REMOVED or _TRASHED */
} FerryLogDeleted;

#define FERRY_LOG_DELETED_REMOVED 1
#define FERRY_LOG_DELETED_TRASHED 2

typedef enum
{
  FERRY_LOG_DIFFERS_OUTCOME,    /* FERRY_OUTCOME_MISSING, _DIFFERS or _EXTRA */
  FERRY_LOG_DIFFERS_HOW,        /* for DIFFERS, a FerryDifference */
} FerryLogDiffers;

typedef enum
{
  FERRY_LOG_FILTERED_FILES,     /* files the filters left out */
  FERRY_LOG_FILTERED_FOLDERS,   /* folders left out, with all in them */
} FerryLogFiltered;

#define FERRY_LOG_N_NUMBERS 6

#define FERRY_TYPE_LOG_LINE (ferry_log_line_get_type ())
G_DECLARE_FINAL_TYPE (FerryLogLine, ferry_log_line, FERRY, LOG_LINE, GObject)

FerryLogLine  *ferry_log_line_new        (gint64         time,
                                          FerryLogLevel  level,
                                          FerryLogKind   kind,
                                          const char    *path,
                                          const char    *message);
/* Seconds since the epoch, UTC. */
gint64         ferry_log_line_get_time    (FerryLogLine  *self);
FerryLogLevel  ferry_log_line_get_level   (FerryLogLine  *self);
FerryLogKind   ferry_log_line_get_kind    (FerryLogLine  *self);
/* The file the line is about, relative to the transfer's folders, or NULL. */
const char    *ferry_log_line_get_path    (FerryLogLine  *self);
/* The line's own part: the reason of a failed file, a whole sentence for
 * a note. Never NULL. */
const char    *ferry_log_line_get_message (FerryLogLine  *self);
/* The sentence people read, in the current language: "Copied a/b.txt". */
const char    *ferry_log_line_get_text    (FerryLogLine  *self);
/* Whether the line says a file failed (the run goes on). */
gboolean       ferry_log_line_is_file_failure (FerryLogLine *self);
/* "2026-11-25 01:02:03  error    TEXT", as RUN-ID.log has it; the text
 * alone for a line with no time (an old log's line, read as it was). */
char          *ferry_log_line_format      (FerryLogLine  *self);

/* The message of the line that starts a run: numbers and names only,
 * put into a sentence when read. */
char          *ferry_log_line_started_message (guint       connections,
                                               const char *source,
                                               const char *destination);
/* A line of numbers (a summary, a verdict): `numbers` has `n` of them, at
 * most FERRY_LOG_N_NUMBERS, indexed by the kind's enum above. */
FerryLogLine  *ferry_log_line_new_numbers (gint64          time,
                                           FerryLogLevel   level,
                                           FerryLogKind    kind,
                                           const char     *path,
                                           const guint64  *numbers,
                                           guint           n);
/* One of a line's numbers, 0 when it has none. */
guint64        ferry_log_line_get_number  (FerryLogLine  *self,
                                           guint          index);

/* One journal line, with its newline. */
char          *ferry_log_line_serialize   (FerryLogLine  *self);
/* One journal line (without its newline), or NULL when it is not one. */
FerryLogLine  *ferry_log_line_parse       (const char    *line,
                                           gsize          length);

/* Every line of a journal file, read on demand: a GListModel of
 * FerryLogLine that maps the file and indexes its lines, so a 100 000-file
 * run's log opens without being parsed whole. A missing file is an empty
 * model. */
GListModel    *ferry_log_journal_open     (const char    *path,
                                           GError       **error);

G_END_DECLS
