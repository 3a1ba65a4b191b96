/* ferry-planner.c: per-file decisions and the streaming tree walk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "ferry-error.h"
#include "ferry-name.h"
#include "ferry-filter.h"
#include "ferry-planner.h"

#define DAY (24 * 60 * 60)

static gint64
floor_div (gint64 a,
           gint64 b)
{
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

gboolean
ferry_plan_same_time (gint64             a,
                      FerryTimePrecision a_precision,
                      gint64             b,
                      FerryTimePrecision b_precision)
{
  FerryTimePrecision coarser = MIN (a_precision, b_precision);

  switch (coarser)
    {
    case FERRY_TIME_UNKNOWN:
      return TRUE;
    case FERRY_TIME_DAYS:
      return ABS (floor_div (a, DAY) - floor_div (b, DAY)) <= 1;
    case FERRY_TIME_MINUTES:
      return floor_div (a, 60) == floor_div (b, 60);
    case FERRY_TIME_SECONDS:
    default:
      return ABS (a - b) <= 1;
    }
}

static gboolean
identical (const FerryEntry *src,
           const FerryEntry *dst)
{
  if (!src->size_known || !dst->size_known || src->size != dst->size)
    return FALSE;
  return ferry_plan_same_time (src->mtime, src->precision, dst->mtime, dst->precision);
}

FerryPlanDecision
ferry_plan_decide (const FerryEntry    *src,
                   const FerryEntry    *dst,
                   gboolean             partial_exists,
                   guint64              partial_size,
                   FerryExistingPolicy  policy)
{
  FerryPlanDecision decision = { FERRY_PLAN_COPY, NULL, NULL };

  g_return_val_if_fail (src != NULL, decision);

  if (src->type != FERRY_ENTRY_FILE)
    {
      decision.action = FERRY_PLAN_FAIL;
      decision.reason = N_("not a regular file");
      decision.code = "not-regular-file";
      return decision;
    }
  if (dst != NULL && dst->type == FERRY_ENTRY_DIRECTORY)
    {
      decision.action = FERRY_PLAN_FAIL;
      decision.reason = N_("the destination has a folder of that name");
      decision.code = "destination-is-folder";
      return decision;
    }
  if (dst != NULL && dst->type != FERRY_ENTRY_FILE)
    {
      decision.action = FERRY_PLAN_FAIL;
      decision.reason = N_("the destination has a link or special file of that name");
      decision.code = "destination-is-special";
      return decision;
    }
  if (dst != NULL && policy != FERRY_EXISTING_OVERWRITE && identical (src, dst))
    {
      decision.action = FERRY_PLAN_SKIP;
      decision.reason = N_("identical");
      decision.code = "identical";
      return decision;
    }
  if (partial_exists && partial_size > 0 && src->size_known && partial_size < src->size)
    decision.action = FERRY_PLAN_RESUME;
  return decision;
}

void
ferry_plan_item_free (FerryPlanItem *item)
{
  if (item == NULL)
    return;
  g_free (item->relative);
  g_free (item->source_path);
  g_free (item->destination_path);
  g_clear_pointer (&item->source, ferry_entry_free);
  g_clear_pointer (&item->destination, ferry_entry_free);
  g_free (item->message);
  g_free (item);
}

char *
ferry_plan_keep_both_name (const char *name)
{
  const char *dot = strrchr (name, '.');

  /* ".bashrc" and "name." have no extension worth keeping apart. */
  if (dot == NULL || dot == name || dot[1] == '\0')
    return g_strconcat (name, " (copy)", NULL);
  return g_strdup_printf ("%.*s (copy)%s", (int) (dot - name), name, dot);
}

static char *
join (const char *dir,
      const char *name)
{
  if (g_str_has_suffix (dir, "/"))
    return g_strconcat (dir, name, NULL);
  return g_strconcat (dir, "/", name, NULL);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const FerryEntry *ea = *(FerryEntry **) a;
  const FerryEntry *eb = *(FerryEntry **) b;

  return strcmp (ea->name, eb->name);
}

typedef struct
{
  FerryBackend        *source;
  FerryBackend        *destination;
  FerryExistingPolicy  policy;
  const FerryFilter   *filter;       /* or NULL */
  gboolean             dry_run;      /* nothing is created at the destination */
  gboolean             extras;       /* EXTRA items for what only the destination has */
  FerryPlanFunc        func;
  gpointer             user_data;
  GCancellable        *cancellable;
  GPtrArray           *pending;      /* files to copy, waiting for their exact times
                                      * (TIME_BATCH at most); borrowed */
  gboolean             batch_times;  /* the source can give many times at once */
  gboolean             sizes_only;   /* the destination's times say nothing */
  FerryPlanListedFunc  listed;       /* or NULL */
  const FerryRecordedTimes *recorded; /* with sizes_only: the times of the last copies */
  FerryPlanListAheadFunc   list_ahead;   /* or NULL */
  FerryPlanTakeListingFunc take_listing;
} Walk;

/* A listing that gives minutes (LIST) leaves each copied file's exact time
 * for later. Where the source can answer many at once (MDTM pipelined on a
 * plain FTP connection), the walk asks for them in bursts of this many on
 * its own session, and the workers skip the round trip. */
#define TIME_BATCH 64

static gboolean
flush_pending (Walk    *walk,
               GError **error)
{
  GPtrArray *items = walk->pending;
  const char *paths[TIME_BATCH];
  gint64 mtimes[TIME_BATCH] = { 0 };
  gboolean known[TIME_BATCH];
  g_autoptr(GError) local_error = NULL;

  if (items->len == 0)
    return TRUE;

  for (guint i = 0; i < items->len; i++)
    paths[i] = ((FerryPlanItem *) g_ptr_array_index (items, i))->source_path;
  if (!ferry_backend_get_mtimes (walk->source, paths, items->len, mtimes, known,
                                 walk->cancellable, &local_error))
    {
      if (g_cancellable_set_error_if_cancelled (walk->cancellable, error))
        return FALSE;
      /* Not supported, or failed (a server that drops commands sent
       * ahead answers none of them, and a burst waits the reply timeout
       * out): never again on this walk. The workers ask one file at a
       * time, as they would without a burst. */
      walk->batch_times = FALSE;
    }

  for (guint i = 0; i < items->len; i++)
    {
      FerryPlanItem *item = g_ptr_array_index (items, i);

      if (known[i])
        {
          item->source->mtime = mtimes[i];
          item->source->precision = FERRY_TIME_SECONDS;
        }
      /* The callback owns the item from here, even when it stops the walk;
       * the ones after it are freed with the array. */
      items->pdata[i] = NULL;
      if (!walk->func (item, walk->user_data, error))
        return FALSE;
    }
  g_ptr_array_set_size (items, 0);
  return TRUE;
}

static gboolean
emit (Walk           *walk,
      FerryPlanItem  *item,
      GError        **error)
{
  if (walk->batch_times && item->kind == FERRY_PLAN_ITEM_FILE && item->source != NULL &&
      item->source->precision < FERRY_TIME_SECONDS &&
      (item->decision.action == FERRY_PLAN_COPY || item->decision.action == FERRY_PLAN_RESUME))
    {
      g_ptr_array_add (walk->pending, item);
      return walk->pending->len < TIME_BATCH || flush_pending (walk, error);
    }
  return walk->func (item, walk->user_data, error);
}

static gboolean
is_cancel_error (const GError *error)
{
  return g_error_matches (error, FERRY_ERROR, FERRY_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gboolean
emit_simple (Walk               *walk,
             FerryPlanItemKind   kind,
             const char         *code,
             const char         *relative,
             char               *message,
             GError            **error)
{
  FerryPlanItem *item = g_new0 (FerryPlanItem, 1);

  item->kind = kind;
  item->code = code;
  item->relative = g_strdup (relative);
  item->message = message;
  return emit (walk, item, error);
}

/* A listing that failed for a passing reason (a dropped connection, a 421
 * "too many connections", a timeout) is asked again, after 0.5 s and 1 s:
 * a run must not fail on its first login being refused. */
#define LIST_TRIES 3

static GPtrArray *
list_retrying (Walk          *walk,
               FerryBackend  *backend,
               const char    *path,
               GError       **error)
{
  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      GPtrArray *entries = ferry_backend_list (backend, path, walk->cancellable, &local_error);
      gint64 until;

      if (entries != NULL)
        return entries;
      if (attempt >= LIST_TRIES || !ferry_error_is_transient (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      until = g_get_monotonic_time () + (G_USEC_PER_SEC / 2) * attempt;
      while (g_get_monotonic_time () < until && !g_cancellable_is_cancelled (walk->cancellable))
        g_usleep (50 * 1000);
    }
}

/* The destination folder's entries by name, or an empty table when it does
 * not exist yet (`*exists` FALSE). */
static GHashTable *
list_destination (Walk        *walk,
                  const char  *path,
                  gboolean    *exists,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) ferry_entry_free);

  *exists = TRUE;
  entries = list_retrying (walk, walk->destination, path, &local_error);
  if (entries == NULL)
    {
      if (g_error_matches (local_error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND))
        {
          *exists = FALSE;
          return table;
        }
      g_hash_table_unref (table);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  /* Steal the entries into the table. */
  g_ptr_array_set_free_func (entries, NULL);
  for (guint i = 0; i < entries->len; i++)
    {
      FerryEntry *entry = g_ptr_array_index (entries, i);

      if (entry->name == NULL || g_hash_table_contains (table, entry->name))
        ferry_entry_free (entry);
      else
        g_hash_table_insert (table, entry->name, entry);
    }
  return table;
}

/* --- what only the destination has ------------------------------------------ */

/* Whether a folder's listing is one entry with the folder's own name. */
static gboolean
lists_itself (GPtrArray  *entries,
              const char *dir)
{
  g_autofree char *base = g_path_get_basename (dir);
  const FerryEntry *only;

  if (entries->len != 1)
    return FALSE;
  only = g_ptr_array_index (entries, 0);
  return only->name != NULL && strcmp (only->name, base) == 0;
}


static gboolean
emit_extra (Walk              *walk,
            const FerryEntry  *entry,
            const char        *destination_path,
            const char        *relative,
            GError           **error)
{
  FerryPlanItem *item = g_new0 (FerryPlanItem, 1);

  item->kind = FERRY_PLAN_ITEM_EXTRA;
  item->code = "gone-from-source";
  item->relative = g_strdup (relative);
  item->destination_path = g_strdup (destination_path);
  item->destination = ferry_entry_copy (entry);
  return emit (walk, item, error);
}

static gboolean walk_extra (Walk              *walk,
                            const FerryEntry  *entry,
                            const char        *destination_dir,
                            const char        *relative,
                            gboolean          *gone,
                            GError           **error);

/* Everything in an extra folder, depth first; *gone says whether every
 * name in it was an EXTRA item (so the folder itself can go). An
 * unreadable one keeps everything and is a REFUSED item. */
static gboolean
walk_extra_folder (Walk        *walk,
                   const char  *destination_dir,
                   const char  *relative,
                   gboolean    *gone,
                   GError     **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) local_error = NULL;

  *gone = FALSE;
  entries = list_retrying (walk, walk->destination, destination_dir, &local_error);
  if (entries == NULL)
    {
      if (is_cancel_error (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return emit_simple (walk, FERRY_PLAN_ITEM_REFUSED, "unreadable-destination-folder", relative,
                          g_strdup_printf (_("could not list the destination folder: %s"),
                                           local_error->message),
                          error);
    }
  g_ptr_array_sort (entries, compare_entries);
  if (lists_itself (entries, destination_dir))
    {
      /* vsftpd's answer for a folder it may not open (see walk_folder()):
       * nothing in it is known, so nothing goes. */
      return emit_simple (walk, FERRY_PLAN_ITEM_REFUSED, "unreadable-destination-folder", relative,
                          g_strdup (_("could not list the destination folder: the server showed the "
                                      "folder itself instead of its content (is it readable?)")),
                          error);
    }
  *gone = walk->destination->list_refusals == NULL || walk->destination->list_refusals->len == 0;
  for (guint i = 0; i < entries->len; i++)
    {
      const FerryEntry *entry = g_ptr_array_index (entries, i);
      gboolean this_gone = FALSE;

      if (!walk_extra (walk, entry, destination_dir, relative, &this_gone, error))
        return FALSE;
      *gone = *gone && this_gone;
    }
  return TRUE;
}

/* One name only the destination has: an EXTRA item unless it must stay. */
static gboolean
walk_extra (Walk              *walk,
            const FerryEntry  *entry,
            const char        *destination_dir,
            const char        *relative,
            gboolean          *gone,
            GError           **error)
{
  g_autofree char *path = NULL;
  g_autofree char *sub_relative = NULL;
  const char *excluded_by = NULL;

  *gone = FALSE;
  if (g_cancellable_set_error_if_cancelled (walk->cancellable, error))
    return FALSE;
  /* A hostile name is never touched, and never leaves its folder empty. */
  if (entry->name == NULL || !ferry_name_check (entry->name, strlen (entry->name), NULL))
    {
      *gone = entry->name != NULL && (strcmp (entry->name, ".") == 0 || strcmp (entry->name, "..") == 0);
      return TRUE;
    }
  if (ferry_name_is_temp (entry->name))
    return TRUE;   /* an unfinished copy: ours, kept for a resume */
  path = ferry_path_join_checked (destination_dir, entry->name, NULL);
  if (path == NULL)
    return TRUE;
  sub_relative = relative[0] ? join (relative, entry->name) : g_strdup (entry->name);

  switch (entry->type)
    {
    case FERRY_ENTRY_DIRECTORY:
      if (!ferry_filter_keeps_folder (walk->filter, sub_relative, &excluded_by))
        return TRUE;
      if (!walk_extra_folder (walk, path, sub_relative, gone, error))
        return FALSE;
      if (!*gone)
        return TRUE;
      break;
    case FERRY_ENTRY_FILE:
    case FERRY_ENTRY_SYMLINK:   /* the link itself, never what it points to */
      if (!ferry_filter_keeps_file (walk->filter, sub_relative,
                                    entry->size_known ? entry->size : G_MAXUINT64, &excluded_by))
        return TRUE;
      break;
    case FERRY_ENTRY_OTHER:
    default:
      return TRUE;
    }
  *gone = TRUE;
  return emit_extra (walk, entry, path, sub_relative, error);
}

/* The names of `dst_entries` that `entries` (the source folder's) lack. */
static gboolean
walk_extras (Walk        *walk,
             GPtrArray   *entries,
             GHashTable  *dst_entries,
             const char  *destination_dir,
             const char  *relative,
             GError     **error)
{
  g_autoptr(GHashTable) in_source = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) extras = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  for (guint i = 0; i < entries->len; i++)
    {
      const FerryEntry *src = g_ptr_array_index (entries, i);

      if (src->name == NULL)
        continue;
      g_hash_table_add (in_source, g_strdup (src->name));
      /* keep-both's copies beside a source file are the transfer's own */
      if (walk->policy == FERRY_EXISTING_KEEP_BOTH && src->type == FERRY_ENTRY_FILE)
        g_hash_table_add (in_source, ferry_plan_keep_both_name (src->name));
    }
  g_hash_table_iter_init (&iter, dst_entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!g_hash_table_contains (in_source, ((FerryEntry *) value)->name))
      g_ptr_array_add (extras, value);
  g_ptr_array_sort (extras, compare_entries);

  for (guint i = 0; i < extras->len; i++)
    {
      gboolean gone;

      if (!walk_extra (walk, g_ptr_array_index (extras, i), destination_dir, relative, &gone, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean walk_folder (Walk        *walk,
                             const char  *source_dir,
                             const char  *destination_dir,
                             const char  *relative,
                             gboolean     destination_exists,
                             GError     **error);

static gboolean
plan_file (Walk        *walk,
           FerryEntry  *src,
           GHashTable  *dst_entries,
           const char  *source_dir,
           const char  *destination_dir,
           const char  *relative,
           GError     **error)
{
  FerryPlanItem *item;
  const FerryEntry *dst;
  const FerryEntry *partial;
  g_autofree char *temp_path = NULL;
  g_autofree char *file_relative = relative[0] ? join (relative, src->name) : g_strdup (src->name);
  const char *excluded_by = NULL;
  const char *target_name = src->name;
  g_autofree char *alternate = NULL;
  g_autoptr(GError) join_error = NULL;
  g_autoptr(FerryEntry) vague = NULL;
  gboolean by_size = FALSE;

  item = g_new0 (FerryPlanItem, 1);
  if (!ferry_filter_keeps_file (walk->filter, file_relative, src->size_known ? src->size : G_MAXUINT64,
                                &excluded_by))
    {
      item->kind = FERRY_PLAN_ITEM_EXCLUDED;
      item->code = excluded_by;
      item->message = ferry_filter_explain (walk->filter, file_relative, FALSE, excluded_by);
      item->relative = g_steal_pointer (&file_relative);
      item->source = ferry_entry_copy (src);
      return emit (walk, item, error);
    }

  dst = g_hash_table_lookup (dst_entries, src->name);
  if (walk->policy == FERRY_EXISTING_KEEP_BOTH && dst != NULL &&
      ferry_plan_decide (src, dst, FALSE, 0, FERRY_EXISTING_SKIP_IDENTICAL).action == FERRY_PLAN_COPY)
    {
      alternate = ferry_plan_keep_both_name (src->name);
      target_name = alternate;
      dst = g_hash_table_lookup (dst_entries, alternate);
    }

  item->kind = FERRY_PLAN_ITEM_FILE;
  item->relative = g_steal_pointer (&file_relative);
  item->source_path = join (source_dir, src->name);
  item->destination_path = ferry_path_join_checked (destination_dir, target_name, &join_error);
  if (item->destination_path == NULL)
    {
      item->kind = FERRY_PLAN_ITEM_REFUSED;
      item->code = "bad-name";
      item->message = g_strdup (join_error->message);
      return emit (walk, item, error);
    }
  temp_path = ferry_path_temp_name (item->destination_path);
  partial = g_hash_table_lookup (dst_entries, strrchr (temp_path, '/') + 1);
  if (walk->sizes_only && dst != NULL)
    {
      gint64 recorded_size;
      gint64 recorded_mtime;

      vague = ferry_entry_copy (dst);
      if (src->precision > FERRY_TIME_UNKNOWN && dst->size_known &&
          ferry_recorded_times_lookup (walk->recorded, item->relative, &recorded_size, &recorded_mtime) &&
          recorded_size == (gint64) dst->size)
        {
          /* The destination holds the copy the record describes: its time
           * is, in effect, the source's time when it was copied. */
          vague->mtime = recorded_mtime;
          vague->precision = src->precision;
        }
      else
        {
          /* A time of unknown precision matches any: the size decides. */
          vague->precision = FERRY_TIME_UNKNOWN;
          by_size = TRUE;
        }
      dst = vague;
    }
  item->decision = ferry_plan_decide (src, dst,
                                      partial != NULL && partial->type == FERRY_ENTRY_FILE && partial->size_known,
                                      partial != NULL ? partial->size : 0,
                                      walk->policy == FERRY_EXISTING_KEEP_BOTH ? FERRY_EXISTING_SKIP_IDENTICAL : walk->policy);
  if (item->decision.action == FERRY_PLAN_RESUME)
    item->partial_size = partial->size;
  if (item->decision.action == FERRY_PLAN_SKIP && by_size)
    {
      /* Not "identical": a later run must not take its time for a copy's. */
      item->decision.reason = N_("same size");
      item->decision.code = "same-size";
    }
  if (item->decision.action == FERRY_PLAN_FAIL)
    item->message = g_strdup (_(item->decision.reason));
  item->code = item->decision.code;
  item->source = ferry_entry_copy (src);
  item->destination = dst != NULL ? ferry_entry_copy (dst) : NULL;
  return emit (walk, item, error);
}

/* The source folder's entries, sorted; NULL with *error for the root (or a
 * stop), NULL with nothing set when the folder was refused instead (an
 * item said why). */
static GPtrArray *
list_source (Walk        *walk,
             const char  *source_dir,
             const char  *relative,
             GError     **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) taken_refusals = NULL;
  GPtrArray *refusals;
  g_autoptr(GError) local_error = NULL;

  /* Listed ahead by another session, or here and now. */
  if (walk->take_listing != NULL)
    entries = walk->take_listing (source_dir, &taken_refusals, walk->user_data);
  if (entries == NULL)
    entries = list_retrying (walk, walk->source, source_dir, &local_error);
  refusals = entries != NULL && taken_refusals == NULL ? walk->source->list_refusals : taken_refusals;
  if (entries == NULL)
    {
      if (relative[0] == '\0' || g_error_matches (local_error, FERRY_ERROR, FERRY_ERROR_CANCELLED) ||
          g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        emit_simple (walk, FERRY_PLAN_ITEM_REFUSED, "unreadable-folder", relative,
                     g_strdup_printf (_("could not list the folder: %s"), local_error->message), error);
      return NULL;
    }
  g_ptr_array_sort (entries, compare_entries);
  if (walk->extras && relative[0] != '\0' && lists_itself (entries, source_dir))
    {
      /* vsftpd answers LIST of a folder it may not open with the folder's
       * own line. Taken for its content, it would make everything in the
       * destination's folder look gone from the source: refused instead,
       * which also keeps the run from deleting anything. A real folder
       * holding only a folder of its own name is refused with it. */
      emit_simple (walk, FERRY_PLAN_ITEM_REFUSED, "unreadable-folder", relative,
                   g_strdup (_("could not list the folder: the server showed the folder itself "
                               "instead of its content (is it readable?)")),
                   error);
      return NULL;
    }
  /* A line the parser could not read is said, with why: never guessed. */
  for (guint i = 0; refusals != NULL && i < refusals->len; i++)
    if (!emit_simple (walk, FERRY_PLAN_ITEM_REFUSED, "unreadable-listing", relative[0] ? relative : "/",
                      g_strdup (g_ptr_array_index (refusals, i)), error))
      return NULL;
  return g_steal_pointer (&entries);
}

/* A source folder: left out by the filter, refused, or created (unless it
 * is there, or this is a dry run) and walked. */
static gboolean
plan_subfolder (Walk        *walk,
                FerryEntry  *src,
                GHashTable  *dst_entries,
                const char  *source_dir,
                const char  *destination_dir,
                const char  *relative,
                GError     **error)
{
  g_autofree char *sub_source = join (source_dir, src->name);
  g_autofree char *sub_destination = join (destination_dir, src->name);
  g_autofree char *sub_relative = relative[0] ? join (relative, src->name) : g_strdup (src->name);
  const FerryEntry *dst = g_hash_table_lookup (dst_entries, src->name);
  g_autoptr(GError) mkdir_error = NULL;
  const char *excluded_by = NULL;
  FerryPlanItem *item;

  if (!ferry_filter_keeps_folder (walk->filter, sub_relative, &excluded_by))
    {
      /* Left out with everything in it: not even listed. */
      item = g_new0 (FerryPlanItem, 1);
      item->kind = FERRY_PLAN_ITEM_EXCLUDED;
      item->code = excluded_by;
      item->message = ferry_filter_explain (walk->filter, sub_relative, TRUE, excluded_by);
      item->relative = g_strdup (sub_relative);
      item->source = ferry_entry_copy (src);
      return emit (walk, item, error);
    }
  if (dst != NULL && dst->type != FERRY_ENTRY_DIRECTORY)
    return emit_simple (walk, FERRY_PLAN_ITEM_REFUSED, "destination-is-file", sub_relative,
                        g_strdup (_("the destination has a file of that name")), error);
  if (dst == NULL && !walk->dry_run &&
      !ferry_backend_mkdir (walk->destination, sub_destination, walk->cancellable, &mkdir_error))
    {
      if (g_cancellable_is_cancelled (walk->cancellable))
        {
          g_propagate_error (error, g_steal_pointer (&mkdir_error));
          return FALSE;
        }
      return emit_simple (walk, FERRY_PLAN_ITEM_REFUSED, "folder-not-created", sub_relative,
                          g_strdup_printf (_("could not create the folder: %s"), mkdir_error->message),
                          error);
    }

  item = g_new0 (FerryPlanItem, 1);
  item->kind = FERRY_PLAN_ITEM_FOLDER;
  item->relative = g_strdup (sub_relative);
  item->source_path = g_strdup (sub_source);
  item->destination_path = g_strdup (sub_destination);
  item->source = ferry_entry_copy (src);
  item->decision.action = dst != NULL ? FERRY_PLAN_SKIP : FERRY_PLAN_COPY;
  if (!emit (walk, item, error))
    return FALSE;
  return walk_folder (walk, sub_source, sub_destination, sub_relative, dst != NULL, error);
}

/* One entry of a source folder: a refused name, our own partial copy, a
 * link or device, a file, or a folder. */
static gboolean
plan_entry (Walk        *walk,
            FerryEntry  *src,
            GHashTable  *dst_entries,
            const char  *source_dir,
            const char  *destination_dir,
            const char  *relative,
            GError     **error)
{
  g_autofree char *reason = NULL;

  if (src->name == NULL || !ferry_name_check (src->name, strlen (src->name), &reason))
    {
      g_autofree char *shown = ferry_name_escape_for_log (src->name ? src->name : "",
                                                          src->name ? strlen (src->name) : 0);
      g_autofree char *where = relative[0] ? g_strconcat (relative, "/", shown, NULL) : g_strdup (shown);

      return emit_simple (walk, FERRY_PLAN_ITEM_REFUSED, "bad-name", where,
                          g_strdup_printf (_("refused the name: %s"), reason ? reason : _("not a valid name")),
                          error);
    }
  if (ferry_name_is_temp (src->name))
    return TRUE;  /* our own partial copies, should the source be an old destination */
  if (src->type == FERRY_ENTRY_SYMLINK || src->type == FERRY_ENTRY_OTHER)
    {
      g_autofree char *where = relative[0] ? join (relative, src->name) : g_strdup (src->name);

      return emit_simple (walk, FERRY_PLAN_ITEM_IGNORED,
                          src->type == FERRY_ENTRY_SYMLINK ? "symbolic-link" : "special-file", where,
                          g_strdup (src->type == FERRY_ENTRY_SYMLINK
                                    ? _("symbolic link not followed")
                                    : _("not a file or folder")),
                          error);
    }
  if (src->type == FERRY_ENTRY_DIRECTORY)
    return plan_subfolder (walk, src, dst_entries, source_dir, destination_dir, relative, error);
  return plan_file (walk, src, dst_entries, source_dir, destination_dir, relative, error);
}

static gboolean
walk_folder (Walk        *walk,
             const char  *source_dir,
             const char  *destination_dir,
             const char  *relative,
             gboolean     destination_exists,
             GError     **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) dst_entries = NULL;
  g_autoptr(GError) local_error = NULL;

  if (g_cancellable_set_error_if_cancelled (walk->cancellable, error))
    return FALSE;
  entries = list_source (walk, source_dir, relative, &local_error);
  if (entries == NULL)
    {
      /* Refused with an item, the walk goes on; the root's failure ends it. */
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (walk->listed != NULL)
    walk->listed (entries->len, walk->user_data);
  /* The subfolders this walk will list, in the order it will: listed
   * meanwhile on other sessions where there are some. */
  for (guint i = 0; walk->list_ahead != NULL && i < entries->len; i++)
    {
      FerryEntry *src = g_ptr_array_index (entries, i);
      g_autofree char *sub_relative = NULL;
      g_autofree char *sub_source = NULL;
      const char *why = NULL;

      if (src->type != FERRY_ENTRY_DIRECTORY || src->name == NULL || ferry_name_is_temp (src->name))
        continue;
      sub_relative = relative[0] ? join (relative, src->name) : g_strdup (src->name);
      if (!ferry_filter_keeps_folder (walk->filter, sub_relative, &why))
        continue;
      sub_source = join (source_dir, src->name);
      walk->list_ahead (sub_source, walk->user_data);
    }

  if (destination_exists)
    {
      dst_entries = list_destination (walk, destination_dir, &destination_exists, &local_error);
      if (dst_entries == NULL)
        {
          if (relative[0] == '\0')
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          return emit_simple (walk, FERRY_PLAN_ITEM_REFUSED, "unreadable-destination-folder", relative,
                              g_strdup_printf (_("could not list the destination folder: %s"),
                                               local_error->message),
                              error);
        }
    }
  else
    dst_entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) ferry_entry_free);

  /* Files first, then folders: a folder's own files start copying before
   * the walk goes deeper. */
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < entries->len; i++)
        {
          FerryEntry *src = g_ptr_array_index (entries, i);

          if (g_cancellable_set_error_if_cancelled (walk->cancellable, error))
            return FALSE;
          if ((pass == 0) == (src->type == FERRY_ENTRY_DIRECTORY))
            continue;
          if (!plan_entry (walk, src, dst_entries, source_dir, destination_dir, relative, error))
            return FALSE;
        }
      /* This folder's files go to the workers before the walk goes deeper. */
      if (pass == 0 && !flush_pending (walk, error))
        return FALSE;
    }
  if (walk->extras && g_hash_table_size (dst_entries) > 0)
    {
      if (!walk_extras (walk, entries, dst_entries, destination_dir, relative, error))
        return FALSE;
      return flush_pending (walk, error);
    }
  return TRUE;
}

/* Creates the destination root and its parents, one level at a time. */
static gboolean
make_root (Walk        *walk,
           const char  *root,
           GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (root, "/", -1);
  g_autoptr(GString) path = g_string_new ("");

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0')
        continue;
      g_string_append_c (path, '/');
      g_string_append (path, parts[i]);
      if (!ferry_backend_mkdir (walk->destination, path->str, walk->cancellable, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
ferry_planner_walk (FerryBackend            *source,
                    const char              *source_root,
                    FerryBackend            *destination,
                    const char              *destination_root,
                    const FerryPlanOptions  *options,
                    FerryPlanFunc            func,
                    gpointer                 user_data,
                    GCancellable            *cancellable,
                    GError                 **error)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_plan_item_free);
  Walk walk = { source, destination, options->policy, options->filter, options->dry_run,
                options->extras, func, user_data, cancellable, pending, !options->dry_run,
                options->sizes_only, options->listed, options->recorded,
                options->list_ahead, options->take_listing };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) probe = NULL;
  gboolean exists = TRUE;

  g_return_val_if_fail (source != NULL && destination != NULL, FALSE);
  g_return_val_if_fail (source_root != NULL && destination_root != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  /* The walk's first command on the destination: a server full for a
   * moment (sshd still counting the last run's connections as logging in)
   * gets the same tries as every listing. */
  probe = list_retrying (&walk, destination, destination_root, &local_error);
  if (probe == NULL)
    {
      /* Servers answer a missing folder with 550 like a forbidden one, so
       * anything but trouble reaching the server is worth a mkdir; when that
       * fails too, the listing's answer is the one to report. */
      if (local_error->domain != FERRY_ERROR ||
          !(local_error->code == FERRY_ERROR_NOT_FOUND || local_error->code == FERRY_ERROR_PERMISSION ||
            local_error->code == FERRY_ERROR_FAILED || local_error->code == FERRY_ERROR_PROTOCOL) ||
          (!walk.dry_run && !make_root (&walk, destination_root, NULL)))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      exists = FALSE;
    }
  else if (probe->len == 0)
    {
      /* vsftpd lists a folder that does not exist as an empty one; creating
       * it is a no-op when it is really there and empty. */
      if (!walk.dry_run && !make_root (&walk, destination_root, error))
        return FALSE;
    }
  g_clear_pointer (&probe, g_ptr_array_unref);

  return walk_folder (&walk, source_root, destination_root, "", exists, error);
}
