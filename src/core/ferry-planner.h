/* ferry-planner.h: what a run does with each source file (DESIGN.md,
 * "Planner").
 *
 * ferry_plan_decide() is pure: one source entry, what the destination has
 * under that name (and whether a temporary partial copy exists) → copy,
 * resume, skip or fail. ferry_planner_walk() streams the source tree
 * depth-first, listing one folder at a time on each side, and hands out one
 * item per file as it goes: memory grows with the depth of the tree times
 * the size of a folder, never with the whole tree.
 *
 * Times compare to the coarser precision of the two listings:
 *  - SECONDS: equal within one second (FAT and some servers round to two);
 *  - MINUTES: the same minute;
 *  - DAYS: within one day either way, because a LIST date with a year says
 *    nothing of the server's time zone, and a day's shift must not recopy
 *    a whole old site;
 *  - UNKNOWN on either side: the size alone decides.
 * A destination that cannot keep times compares the source's time with the
 * one recorded when the file was last copied (FerryPlanOptions.recorded).
 *
 * Symbolic links are never followed, on any side: a link in the source is
 * skipped with a log line (a link to a file inside the tree would be copied
 * twice, a link outside it would leak files the user did not choose).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ferry-backend.h"
#include "ferry-entry.h"
#include "ferry-filter.h"
#include "ferry-recorded-times.h"
#include "ferry-transfer.h"

G_BEGIN_DECLS

typedef enum
{
  FERRY_PLAN_COPY,
  FERRY_PLAN_RESUME,
  FERRY_PLAN_SKIP,
  FERRY_PLAN_FAIL,
} FerryPlanAction;

typedef struct
{
  FerryPlanAction  action;
  const char      *reason;   /* for FAIL and SKIP: static, untranslated; NULL otherwise */
  const char      *code;     /* the same as a stable word for records ("identical") */
} FerryPlanDecision;

/* Whether two modification times are the same within the coarser of the two
 * precisions (see above). */
gboolean          ferry_plan_same_time (gint64              a,
                                        FerryTimePrecision  a_precision,
                                        gint64              b,
                                        FerryTimePrecision  b_precision);

/* `src` is a file of the source; `dst` what the destination has under the
 * same name, or NULL; `partial_exists`/`partial_size` describe the temporary
 * file of an earlier, unfinished copy. RESUME only when the partial copy is
 * non-empty and smaller than the source. */
FerryPlanDecision ferry_plan_decide    (const FerryEntry    *src,
                                        const FerryEntry    *dst,
                                        gboolean             partial_exists,
                                        guint64              partial_size,
                                        FerryExistingPolicy  policy);

typedef enum
{
  FERRY_PLAN_ITEM_FILE,     /* a file with its decision */
  FERRY_PLAN_ITEM_FOLDER,   /* a folder, created on the destination */
  FERRY_PLAN_ITEM_REFUSED,  /* a hostile name or an unreadable folder: counts as failed */
  FERRY_PLAN_ITEM_IGNORED,  /* a symlink, device or Ferry temp file: logged, not copied */
  FERRY_PLAN_ITEM_EXCLUDED, /* left out by the transfer's filters (a folder: with all in it) */
  FERRY_PLAN_ITEM_EXTRA,    /* only the destination has it (FerryPlanOptions.extras): a
                             * file, or a folder after everything in it */
} FerryPlanItemKind;

typedef struct
{
  FerryPlanItemKind  kind;
  char              *relative;          /* from the roots, '/'-separated, for logs (escaped for REFUSED) */
  char              *source_path;       /* NULL for REFUSED names */
  char              *destination_path;  /* the final name; for keep-both, the alternate one;
                                         * for EXTRA, what only the destination has */
  FerryEntry        *source;            /* NULL for REFUSED names */
  FerryEntry        *destination;       /* or NULL */
  FerryPlanDecision  decision;
  guint64            partial_size;      /* for RESUME */
  char              *message;           /* why, for REFUSED, IGNORED, EXCLUDED (which pattern)
                                         * and FAIL; translated */
  const char        *code;              /* the same as a stable word ("bad-name"), static */
} FerryPlanItem;

void ferry_plan_item_free (FerryPlanItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryPlanItem, ferry_plan_item_free)

/* Takes the item; return FALSE (with error set) to stop the walk. */
typedef gboolean (*FerryPlanFunc) (FerryPlanItem  *item,
                                   gpointer        user_data,
                                   GError        **error);

/* Told, after each source folder is listed, how many entries it holds. */
typedef void (*FerryPlanListedFunc) (guint     n_entries,
                                     gpointer  user_data);

/* Listing ahead: the walk names each source folder it will list soon
 * (`list_ahead`), for another session to list meanwhile, and asks for the
 * listing when it gets there (`take_listing`): the entries, sorted or not,
 * with the lines the parser refused in *refusals (or NULL), or NULL for
 * the walk to list the folder itself, as it does without them. */
typedef void       (*FerryPlanListAheadFunc)   (const char  *path,
                                                gpointer     user_data);
typedef GPtrArray *(*FerryPlanTakeListingFunc) (const char  *path,
                                                GPtrArray  **refusals,
                                                gpointer     user_data);

typedef struct
{
  FerryExistingPolicy  policy;
  const FerryFilter   *filter;    /* NULL: nothing left out */
  gboolean             dry_run;   /* plan only: no folder is created */
  gboolean             sizes_only; /* the destination cannot keep times:
                                    * same size is identical, unless… */
  const FerryRecordedTimes *recorded; /* …with sizes_only, or NULL: a file on
                                    * record there is identical when its size
                                    * and the source's time are those of its
                                    * last copy (code "identical"); one not on
                                    * record by its size alone ("same-size") */
  gboolean             extras;    /* also what only the destination has, as EXTRA
                                   * items (never what the filter leaves out) */
  FerryPlanListedFunc  listed;    /* or NULL; called with `func`'s user_data */
  FerryPlanListAheadFunc   list_ahead;    /* both or neither; with `func`'s user_data */
  FerryPlanTakeListingFunc take_listing;
} FerryPlanOptions;

/* Walks `source_root` on `source`, creating folders under
 * `destination_root` on `destination` as it goes (the root with its
 * parents), unless it is a dry run. FALSE when the roots cannot be listed
 * or created, on cancellation, or when `func` stops it; an unreadable
 * subfolder is a REFUSED item and the walk goes on. What the filter leaves
 * out is an EXCLUDED item, and an excluded folder is not walked.
 *
 * With `extras`, each destination folder's names that the source lacks
 * come after the folder's own items as EXTRA items, depth first: the files
 * of an extra folder, then the folder itself, so deleting them in order
 * empties each folder before it goes. An extra folder that keeps anything
 * (a name the filter leaves out, a name refused as hostile, a link inside
 * that is not ours to judge) is not an EXTRA item itself. Names that fail
 * ferry_name_check() and Ferry's temporary names are never EXTRA. */
gboolean ferry_planner_walk (FerryBackend            *source,
                             const char              *source_root,
                             FerryBackend            *destination,
                             const char              *destination_root,
                             const FerryPlanOptions  *options,
                             FerryPlanFunc            func,
                             gpointer                 user_data,
                             GCancellable            *cancellable,
                             GError                 **error);

/* "stem (copy).ext": the name keep-both writes beside a differing file. */
char    *ferry_plan_keep_both_name (const char *name);

G_END_DECLS
