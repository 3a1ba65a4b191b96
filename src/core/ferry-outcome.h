/* ferry-outcome.h: what a run did with each file and folder (DESIGN.md,
 * "Outcome records").
 *
 * Every file or folder a run considers gets one record: its path relative
 * to the transfer's folders, size and time as the source listed them, the
 * outcome, why (an untranslated code and a message in the writer's
 * language) and how many tries it took. A run appends its records to
 * RUN-ID.records as it goes, each with one write(): a run killed at any
 * moment leaves every record it had finished. The Migration Report, the
 * Verify dialog's differences and a repair's list of files to copy again
 * (ferry_run_set_repair()) are read from these; the failed-files list
 * comes from the log's structured lines (FERRY_LOG_KIND_FILE_FAILED) and
 * the counters from the run's summary (ferry-run-history.h); nothing is
 * read from log text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ferry-enums.h"

G_BEGIN_DECLS

typedef enum
{
  FERRY_OUTCOME_NONE,         /* a damaged record */
  FERRY_OUTCOME_COPIED,       /* new at the destination */
  FERRY_OUTCOME_UPDATED,      /* replaced a different copy */
  FERRY_OUTCOME_RESUMED,      /* an earlier partial copy was finished */
  FERRY_OUTCOME_UP_TO_DATE,   /* the destination had it already */
  FERRY_OUTCOME_CREATED,      /* a folder made at the destination */
  FERRY_OUTCOME_FAILED,       /* tried, and could not be copied */
  FERRY_OUTCOME_REFUSED,      /* an unsafe or unreadable name or folder */
  FERRY_OUTCOME_IGNORED,      /* a link, a device: never copied */
  FERRY_OUTCOME_EXCLUDED,     /* left out by the transfer's filters */
  FERRY_OUTCOME_DELETED,      /* removed from the destination */
  FERRY_OUTCOME_CANCELLED,    /* the run stopped before it was done */
  /* A verification's (ferry_run_set_kind()): */
  FERRY_OUTCOME_MATCHES,      /* both sides have it alike */
  FERRY_OUTCOME_MISSING,      /* the destination lacks it */
  FERRY_OUTCOME_DIFFERS,      /* different; the reason says how: size, time, content, type */
  FERRY_OUTCOME_EXTRA,        /* only the destination has it */
} FerryOutcomeKind;

/* Translated, for people: "Copied", "Up to date", … */
const char *ferry_outcome_kind_get_label (FerryOutcomeKind kind);
/* Whether the outcome is a problem a person should look at. */
gboolean    ferry_outcome_kind_is_problem (FerryOutcomeKind kind);

#define FERRY_TYPE_OUTCOME (ferry_outcome_get_type ())
G_DECLARE_FINAL_TYPE (FerryOutcome, ferry_outcome, FERRY, OUTCOME, GObject)

/* `size` -1 and `modified` 0 when unknown; `reason` and `message` may be
 * NULL. */
FerryOutcome    *ferry_outcome_new          (FerryOutcomeKind  kind,
                                             gboolean          folder,
                                             const char       *path,
                                             gint64            size,
                                             gint64            modified,
                                             const char       *reason,
                                             const char       *message,
                                             guint             tries);
FerryOutcomeKind ferry_outcome_get_kind     (FerryOutcome *self);
const char      *ferry_outcome_get_path     (FerryOutcome *self);
gboolean         ferry_outcome_is_folder    (FerryOutcome *self);
/* -1 when unknown. */
gint64           ferry_outcome_get_size     (FerryOutcome *self);
/* Seconds since the epoch, UTC; 0 when unknown. */
gint64           ferry_outcome_get_modified (FerryOutcome *self);
/* Untranslated and stable ("no-space", "identical", …), or "" when none. */
const char      *ferry_outcome_get_reason   (FerryOutcome *self);
/* Why, in the language of the run that wrote it, or "". */
const char      *ferry_outcome_get_message  (FerryOutcome *self);
guint            ferry_outcome_get_tries    (FerryOutcome *self);

/* A run's records, read on demand (see ferry-line-model.h). A missing file
 * is an empty model. */
GListModel      *ferry_outcome_list_open    (const char    *path,
                                             GError       **error);

typedef struct _FerryOutcomeWriter FerryOutcomeWriter;

/* Opens `path` for appending; thread-safe. */
FerryOutcomeWriter *ferry_outcome_writer_open  (const char          *path,
                                                GError             **error);
/* One record, written at once. `size` -1 and `modified` 0 when unknown;
 * `reason` and `message` may be NULL. Best effort: a failed write is
 * counted (ferry_outcome_writer_get_lost()), never fatal to the run. */
void                ferry_outcome_writer_add   (FerryOutcomeWriter  *writer,
                                                FerryOutcomeKind     kind,
                                                gboolean             folder,
                                                const char          *path,
                                                gint64               size,
                                                gint64               modified,
                                                const char          *reason,
                                                const char          *message,
                                                guint                tries);
guint               ferry_outcome_writer_get_lost (FerryOutcomeWriter *writer);
void                ferry_outcome_writer_close (FerryOutcomeWriter  *writer);

G_END_DECLS
