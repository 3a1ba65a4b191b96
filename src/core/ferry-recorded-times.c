/* ferry-recorded-times.c: see ferry-recorded-times.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry-enums.h"
#include "ferry-line-model.h"
#include "ferry-nick.h"
#include "ferry-outcome.h"
#include "ferry-recorded-times.h"
#include "ferry-run-history.h"

/* Runs read at most: a transfer whose runs never finish cleanly costs a
 * bounded time to start. */
#define MAX_RUNS 64

typedef struct
{
  guint32 offset;   /* of the path in `paths` */
  guint32 order;    /* while sorting a batch: the order of adding */
  gint64  size;
  gint64  mtime;
} Slot;

struct _FerryRecordedTimes
{
  GString *paths;   /* NUL-terminated paths, one after another */
  GArray  *sealed;  /* Slot, sorted by path, no path twice */
  GArray  *batch;   /* Slot, as added since the last seal */
};

FerryRecordedTimes *
ferry_recorded_times_new (void)
{
  FerryRecordedTimes *self = g_new0 (FerryRecordedTimes, 1);

  self->paths = g_string_new (NULL);
  self->sealed = g_array_new (FALSE, FALSE, sizeof (Slot));
  self->batch = g_array_new (FALSE, FALSE, sizeof (Slot));
  return self;
}

void
ferry_recorded_times_free (FerryRecordedTimes *self)
{
  if (self == NULL)
    return;
  g_string_free (self->paths, TRUE);
  g_array_unref (self->sealed);
  g_array_unref (self->batch);
  g_free (self);
}

static const Slot *
find (const FerryRecordedTimes *self,
      const char               *path)
{
  guint low = 0;
  guint high = self->sealed->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      const Slot *slot = &g_array_index (self->sealed, Slot, middle);
      int order = strcmp (path, self->paths->str + slot->offset);

      if (order == 0)
        return slot;
      if (order < 0)
        high = middle;
      else
        low = middle + 1;
    }
  return NULL;
}

void
ferry_recorded_times_add (FerryRecordedTimes *self,
                          const char         *path,
                          gint64              size,
                          gint64              mtime)
{
  Slot slot = { 0, };

  g_return_if_fail (self != NULL && path != NULL);

  /* 4 GiB of paths is far past any tree a run walks: the rest is left
   * unrecorded (those files compare by size). */
  if (self->paths->len + strlen (path) + 1 > G_MAXUINT32 || self->batch->len == G_MAXUINT32)
    return;
  if (find (self, path) != NULL)
    return;
  slot.offset = (guint32) self->paths->len;
  slot.order = self->batch->len;
  slot.size = size;
  slot.mtime = mtime;
  g_string_append_len (self->paths, path, strlen (path) + 1);
  g_array_append_val (self->batch, slot);
}

static int
compare_slots (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const char *paths = user_data;
  const Slot *sa = a;
  const Slot *sb = b;
  int order = strcmp (paths + sa->offset, paths + sb->offset);

  if (order != 0)
    return order;
  return sa->order < sb->order ? -1 : sa->order > sb->order;
}

void
ferry_recorded_times_seal (FerryRecordedTimes *self)
{
  GArray *merged;
  guint i = 0;
  guint j = 0;

  g_return_if_fail (self != NULL);

  if (self->batch->len == 0)
    return;
  g_array_sort_with_data (self->batch, compare_slots, self->paths->str);
  /* Merge two sorted runs; within the batch the first added of a path
   * wins (its duplicates' paths stay in the block, unused). */
  merged = g_array_sized_new (FALSE, FALSE, sizeof (Slot), self->sealed->len + self->batch->len);
  while (i < self->sealed->len || j < self->batch->len)
    {
      const Slot *a = i < self->sealed->len ? &g_array_index (self->sealed, Slot, i) : NULL;
      const Slot *b = j < self->batch->len ? &g_array_index (self->batch, Slot, j) : NULL;

      if (b != NULL && merged->len > 0 &&
          strcmp (self->paths->str + g_array_index (merged, Slot, merged->len - 1).offset,
                  self->paths->str + b->offset) == 0)
        {
          j++;
          continue;
        }
      if (a != NULL && (b == NULL || strcmp (self->paths->str + a->offset, self->paths->str + b->offset) < 0))
        {
          g_array_append_val (merged, *a);
          i++;
        }
      else
        {
          g_array_append_val (merged, *b);
          j++;
        }
    }
  g_array_unref (self->sealed);
  self->sealed = merged;
  g_array_set_size (self->batch, 0);
}

gboolean
ferry_recorded_times_lookup (const FerryRecordedTimes *self,
                             const char               *path,
                             gint64                   *size,
                             gint64                   *mtime)
{
  const Slot *slot;

  if (self == NULL || path == NULL)
    return FALSE;
  slot = find (self, path);
  if (slot == NULL)
    return FALSE;
  if (size != NULL)
    *size = slot->size;
  if (mtime != NULL)
    *mtime = slot->mtime;
  return TRUE;
}

guint
ferry_recorded_times_get_count (const FerryRecordedTimes *self)
{
  return self != NULL ? self->sealed->len : 0;
}

static gboolean
parse_number (const char *text,
              gint64     *value)
{
  char *end;

  if (*text == '\0')
    return FALSE;
  *value = g_ascii_strtoll (text, &end, 10);
  return *end == '\0';
}

/* One line of RUN-ID.records (see ferry_outcome_writer_add()). */
static void
add_line (FerryRecordedTimes *self,
          const char         *line,
          gsize               length,
          gboolean            decided_by_time,
          guint              *untrusted)
{
  g_auto(GStrv) fields = ferry_fields_split (line, length, 8);
  int kind;
  gint64 size;
  gint64 mtime;

  if (fields == NULL || !g_str_equal (fields[1], "file") ||
      !ferry_enum_from_nick (FERRY_TYPE_OUTCOME_KIND, fields[0], &kind))
    return;
  if (kind == FERRY_OUTCOME_UP_TO_DATE && !(decided_by_time && g_str_equal (fields[5], "identical")))
    {
      (*untrusted)++;
      return;
    }
  if (kind != FERRY_OUTCOME_COPIED && kind != FERRY_OUTCOME_UPDATED && kind != FERRY_OUTCOME_RESUMED &&
      kind != FERRY_OUTCOME_UP_TO_DATE)
    return;
  /* A record without a time (the source gave none) tells nothing. */
  if (!parse_number (fields[2], &size) || size < 0 || !parse_number (fields[3], &mtime) || mtime == 0)
    return;
  ferry_recorded_times_add (self, fields[6], size, mtime);
}

gboolean
ferry_recorded_times_add_file (FerryRecordedTimes *self,
                               const char         *records_path,
                               gboolean            decided_by_time,
                               guint              *untrusted,
                               GError            **error)
{
  g_autofree char *line = NULL;
  size_t capacity = 0;
  guint ignored = 0;
  ssize_t length;
  FILE *file;

  g_return_val_if_fail (self != NULL && records_path != NULL, FALSE);

  if (untrusted == NULL)
    untrusted = &ignored;
  file = fopen (records_path, "re");
  if (file == NULL)
    {
      int saved = errno;

      if (saved == ENOENT)
        return TRUE;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", records_path, g_strerror (saved));
      return FALSE;
    }
  /* A line at a time: the file is read once, start to end. A last line
   * without its newline (a run killed mid-write) is left out. */
  while ((length = getline (&line, &capacity, file)) > 0)
    {
      if (line[length - 1] != '\n')
        break;
      add_line (self, line, (gsize) length - 1, decided_by_time, untrusted);
    }
  fclose (file);
  ferry_recorded_times_seal (self);
  return TRUE;
}

FerryRecordedTimes *
ferry_recorded_times_load (const char   *transfer_id,
                           GCancellable *cancellable)
{
  FerryRecordedTimes *self = ferry_recorded_times_new ();
  g_autoptr(GPtrArray) runs = NULL;
  guint read = 0;

  g_return_val_if_fail (transfer_id != NULL, self);

  runs = ferry_run_history_list (transfer_id, NULL);
  for (guint i = 0; runs != NULL && i < runs->len && read < MAX_RUNS; i++)
    {
      FerryRunRecord *run = g_ptr_array_index (runs, i);
      g_autofree char *path = NULL;
      gboolean by_time;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      if (run->kind != FERRY_RUN_KIND_COPY || run->state == FERRY_RUN_STATE_RUNNING)
        continue;
      by_time = run->compared == FERRY_RUN_COMPARED_SIZE_AND_TIME ||
                run->compared == FERRY_RUN_COMPARED_SIZE_AND_RECORDED_TIME;
      path = ferry_run_record_dup_path (run, ".records");
      if (!ferry_recorded_times_add_file (self, path, by_time, NULL, NULL))
        continue;
      read++;
      /* Every file of the tree is on record from here on, as far as any
       * record knows it: a file such a run judged by its size alone had no
       * record to go by then either (or one the destination had outgrown). */
      if (run->state == FERRY_RUN_STATE_COMPLETED && by_time)
        break;
    }
  return self;
}
