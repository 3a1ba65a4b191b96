/* test-planner.c: what a run decides for each file — the rules a user sees
 * as "copied", "resumed", "skipped" or "failed" on a rerun.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <utime.h>

#include "ferry-connector.h"
#include "ferry-outcome.h"
#include "ferry-planner.h"
#include "ferry-recorded-times.h"
#include "ferry-run-history.h"

#define MINUTE 60
#define DAY (24 * 60 * 60)
/* 2026-11-24 12:34:56 UTC */
#define T 1795956896

static FerryEntry *
file (guint64            size,
      gint64             mtime,
      FerryTimePrecision precision)
{
  FerryEntry *entry = ferry_entry_new ("index.html", FERRY_ENTRY_FILE);

  entry->size = size;
  entry->size_known = TRUE;
  entry->mtime = mtime;
  entry->precision = precision;
  return entry;
}

static FerryPlanAction
decide (const FerryEntry    *src,
        const FerryEntry    *dst,
        FerryExistingPolicy  policy)
{
  return ferry_plan_decide (src, dst, FALSE, 0, policy).action;
}

static void
test_new_file_is_copied (void)
{
  g_autoptr(FerryEntry) src = file (100, T, FERRY_TIME_SECONDS);

  g_assert_cmpint (decide (src, NULL, FERRY_EXISTING_SKIP_IDENTICAL), ==, FERRY_PLAN_COPY);
  g_assert_cmpint (decide (src, NULL, FERRY_EXISTING_OVERWRITE), ==, FERRY_PLAN_COPY);
}

static void
test_identical_is_skipped (void)
{
  g_autoptr(FerryEntry) src = file (100, T, FERRY_TIME_SECONDS);
  g_autoptr(FerryEntry) same = file (100, T, FERRY_TIME_SECONDS);
  g_autoptr(FerryEntry) one_second = file (100, T + 1, FERRY_TIME_SECONDS);
  g_autoptr(FerryEntry) later = file (100, T + 5, FERRY_TIME_SECONDS);
  g_autoptr(FerryEntry) bigger = file (101, T, FERRY_TIME_SECONDS);
  g_autoptr(FerryEntry) empty_src = file (0, T, FERRY_TIME_SECONDS);
  g_autoptr(FerryEntry) empty_dst = file (0, T, FERRY_TIME_SECONDS);

  g_assert_cmpint (decide (src, same, FERRY_EXISTING_SKIP_IDENTICAL), ==, FERRY_PLAN_SKIP);
  g_assert_cmpint (decide (src, one_second, FERRY_EXISTING_SKIP_IDENTICAL), ==, FERRY_PLAN_SKIP);
  g_assert_cmpint (decide (src, later, FERRY_EXISTING_SKIP_IDENTICAL), ==, FERRY_PLAN_COPY);
  g_assert_cmpint (decide (src, bigger, FERRY_EXISTING_SKIP_IDENTICAL), ==, FERRY_PLAN_COPY);
  g_assert_cmpint (decide (empty_src, empty_dst, FERRY_EXISTING_SKIP_IDENTICAL), ==, FERRY_PLAN_SKIP);
  /* Overwrite copies even identical files. */
  g_assert_cmpint (decide (src, same, FERRY_EXISTING_OVERWRITE), ==, FERRY_PLAN_COPY);
  /* Keep-both leaves identical files alone too. */
  g_assert_cmpint (decide (src, same, FERRY_EXISTING_KEEP_BOTH), ==, FERRY_PLAN_SKIP);
}

static void
test_minutes_precision (void)
{
  /* A LIST with hh:mm: the seconds are gone, the minute must match. */
  g_autoptr(FerryEntry) src = file (100, T, FERRY_TIME_SECONDS);
  gint64 minute_start = T - T % MINUTE;
  g_autoptr(FerryEntry) same_minute = file (100, minute_start, FERRY_TIME_MINUTES);
  g_autoptr(FerryEntry) next_minute = file (100, minute_start + MINUTE, FERRY_TIME_MINUTES);
  g_autoptr(FerryEntry) previous_minute = file (100, minute_start - MINUTE, FERRY_TIME_MINUTES);

  g_assert_cmpint (decide (src, same_minute, FERRY_EXISTING_SKIP_IDENTICAL), ==, FERRY_PLAN_SKIP);
  g_assert_cmpint (decide (same_minute, src, FERRY_EXISTING_SKIP_IDENTICAL), ==, FERRY_PLAN_SKIP);
  g_assert_cmpint (decide (src, next_minute, FERRY_EXISTING_SKIP_IDENTICAL), ==, FERRY_PLAN_COPY);
  g_assert_cmpint (decide (src, previous_minute, FERRY_EXISTING_SKIP_IDENTICAL), ==, FERRY_PLAN_COPY);
}

static void
test_days_precision (void)
{
  /* A LIST with a year: only the day, in the server's unknown time zone, so
   * a day either way still counts as the same. */
  g_autoptr(FerryEntry) src = file (100, T, FERRY_TIME_SECONDS);
  gint64 day_start = T - T % DAY;
  g_autoptr(FerryEntry) same_day = file (100, day_start, FERRY_TIME_DAYS);
  g_autoptr(FerryEntry) day_before = file (100, day_start - DAY, FERRY_TIME_DAYS);
  g_autoptr(FerryEntry) day_after = file (100, day_start + DAY, FERRY_TIME_DAYS);
  g_autoptr(FerryEntry) week_later = file (100, day_start + 7 * DAY, FERRY_TIME_DAYS);
  g_autoptr(FerryEntry) other_size = file (99, day_start, FERRY_TIME_DAYS);

  g_assert_cmpint (decide (src, same_day, FERRY_EXISTING_SKIP_IDENTICAL), ==, FERRY_PLAN_SKIP);
  g_assert_cmpint (decide (src, day_before, FERRY_EXISTING_SKIP_IDENTICAL), ==, FERRY_PLAN_SKIP);
  g_assert_cmpint (decide (src, day_after, FERRY_EXISTING_SKIP_IDENTICAL), ==, FERRY_PLAN_SKIP);
  g_assert_cmpint (decide (src, week_later, FERRY_EXISTING_SKIP_IDENTICAL), ==, FERRY_PLAN_COPY);
  g_assert_cmpint (decide (src, other_size, FERRY_EXISTING_SKIP_IDENTICAL), ==, FERRY_PLAN_COPY);
  /* Days against minutes: the coarser wins. */
  {
    g_autoptr(FerryEntry) minutes = file (100, T - T % MINUTE, FERRY_TIME_MINUTES);

    g_assert_cmpint (decide (minutes, same_day, FERRY_EXISTING_SKIP_IDENTICAL), ==, FERRY_PLAN_SKIP);
  }
}

static void
test_unknown_time_uses_size (void)
{
  g_autoptr(FerryEntry) src = file (100, T, FERRY_TIME_SECONDS);
  g_autoptr(FerryEntry) no_time = file (100, 0, FERRY_TIME_UNKNOWN);
  g_autoptr(FerryEntry) no_time_other_size = file (7, 0, FERRY_TIME_UNKNOWN);
  g_autoptr(FerryEntry) no_size = file (100, T, FERRY_TIME_SECONDS);

  no_size->size_known = FALSE;
  no_size->size = 0;
  g_assert_cmpint (decide (src, no_time, FERRY_EXISTING_SKIP_IDENTICAL), ==, FERRY_PLAN_SKIP);
  g_assert_cmpint (decide (src, no_time_other_size, FERRY_EXISTING_SKIP_IDENTICAL), ==, FERRY_PLAN_COPY);
  /* Without a size nothing can be called identical. */
  g_assert_cmpint (decide (src, no_size, FERRY_EXISTING_SKIP_IDENTICAL), ==, FERRY_PLAN_COPY);
}

static void
test_partial_resumes (void)
{
  g_autoptr(FerryEntry) src = file (1000, T, FERRY_TIME_SECONDS);
  g_autoptr(FerryEntry) old = file (500, T - DAY * 30, FERRY_TIME_SECONDS);
  g_autoptr(FerryEntry) same = file (1000, T, FERRY_TIME_SECONDS);

  g_assert_cmpint (ferry_plan_decide (src, NULL, TRUE, 400, FERRY_EXISTING_SKIP_IDENTICAL).action, ==, FERRY_PLAN_RESUME);
  /* An older final file does not matter: the partial copy is newer work. */
  g_assert_cmpint (ferry_plan_decide (src, old, TRUE, 400, FERRY_EXISTING_SKIP_IDENTICAL).action, ==, FERRY_PLAN_RESUME);
  g_assert_cmpint (ferry_plan_decide (src, old, TRUE, 400, FERRY_EXISTING_OVERWRITE).action, ==, FERRY_PLAN_RESUME);
  /* Empty, complete or oversized partials start over. */
  g_assert_cmpint (ferry_plan_decide (src, NULL, TRUE, 0, FERRY_EXISTING_SKIP_IDENTICAL).action, ==, FERRY_PLAN_COPY);
  g_assert_cmpint (ferry_plan_decide (src, NULL, TRUE, 1000, FERRY_EXISTING_SKIP_IDENTICAL).action, ==, FERRY_PLAN_COPY);
  g_assert_cmpint (ferry_plan_decide (src, NULL, TRUE, 5000, FERRY_EXISTING_SKIP_IDENTICAL).action, ==, FERRY_PLAN_COPY);
  /* A finished identical file wins over a leftover partial. */
  g_assert_cmpint (ferry_plan_decide (src, same, TRUE, 400, FERRY_EXISTING_SKIP_IDENTICAL).action, ==, FERRY_PLAN_SKIP);
}

static void
test_type_clashes_fail (void)
{
  g_autoptr(FerryEntry) src = file (10, T, FERRY_TIME_SECONDS);
  g_autoptr(FerryEntry) folder = ferry_entry_new ("index.html", FERRY_ENTRY_DIRECTORY);
  g_autoptr(FerryEntry) link = ferry_entry_new ("index.html", FERRY_ENTRY_SYMLINK);
  FerryPlanDecision decision;

  decision = ferry_plan_decide (src, folder, FALSE, 0, FERRY_EXISTING_OVERWRITE);
  g_assert_cmpint (decision.action, ==, FERRY_PLAN_FAIL);
  g_assert_nonnull (decision.reason);
  g_assert_nonnull (strstr (decision.reason, "folder"));
  decision = ferry_plan_decide (src, link, FALSE, 0, FERRY_EXISTING_SKIP_IDENTICAL);
  g_assert_cmpint (decision.action, ==, FERRY_PLAN_FAIL);
  decision = ferry_plan_decide (folder, NULL, FALSE, 0, FERRY_EXISTING_SKIP_IDENTICAL);
  g_assert_cmpint (decision.action, ==, FERRY_PLAN_FAIL);
}

static void
test_keep_both_name (void)
{
  struct { const char *name, *expected; } cases[] = {
    { "report.pdf", "report (copy).pdf" },
    { "archive.tar.gz", "archive.tar (copy).gz" },
    { "README", "README (copy)" },
    { ".htaccess", ".htaccess (copy)" },
    { "name.", "name. (copy)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = ferry_plan_keep_both_name (cases[i].name);

      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

static void
touch (const char *root,
       const char *relative)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autofree char *folder = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "x", 1, NULL));
}

static gboolean
collect (FerryPlanItem  *item,
         gpointer        user_data,
         GError        **error)
{
  GString *seen = user_data;

  if (item->kind == FERRY_PLAN_ITEM_EXTRA)
    g_string_append_printf (seen, "%s%s;", item->relative,
                            item->destination->type == FERRY_ENTRY_DIRECTORY ? "/" : "");
  ferry_plan_item_free (item);
  return TRUE;
}

/* A mirror deletes, in this order, what only the destination has: the
 * files of a folder before the folder, never what the filter leaves out,
 * never a hostile name or a partial copy, and never a folder that keeps
 * one of those. */
static void
test_extras (void)
{
  g_autofree char *root = g_dir_make_tmp ("ferry-planner-XXXXXX", NULL);
  g_autofree char *src = g_build_filename (root, "src", NULL);
  g_autofree char *dst = g_build_filename (root, "dst", NULL);
  const char *excludes[] = { "*.log", NULL };
  g_autoptr(FerryFilter) filter = ferry_filter_new (NULL, excludes, FALSE, 0, NULL);
  g_autoptr(FerryBackend) source = ferry_backend_new (ferry_connector_get_local (), NULL, NULL);
  g_autoptr(FerryBackend) destination = ferry_backend_new (ferry_connector_get_local (), NULL, NULL);
  g_autoptr(GString) seen = g_string_new ("");
  g_autoptr(GError) error = NULL;
  FerryPlanOptions options = { .policy = FERRY_EXISTING_SKIP_IDENTICAL, .filter = filter, .dry_run = TRUE, .extras = TRUE };
  const char *at_both[] = { "index.html", "css/site.css", NULL };
  const char *at_destination[] = {
    "old.html", "css/old.css", "gone/deep/a.txt", "gone/b.txt",
    "keep.log", "mixed/x.txt", "mixed/debug.log", "bad\x1bname", ".index.html.ferry-part",
    "hostile/esc\x1b[0m", NULL
  };

  for (guint i = 0; at_both[i] != NULL; i++)
    {
      touch (src, at_both[i]);
      touch (dst, at_both[i]);
    }
  for (guint i = 0; at_destination[i] != NULL; i++)
    {
      g_autofree char *name = g_strcompress (at_destination[i]);

      touch (dst, name);
    }
  g_assert_true (ferry_planner_walk (source, src, destination, dst, &options, collect, seen, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (seen->str, ==,
                   "css/old.css;"
                   "gone/b.txt;gone/deep/a.txt;gone/deep/;gone/;"
                   "mixed/x.txt;"
                   "old.html;");

  /* Without the option, nothing of the kind. */
  g_string_truncate (seen, 0);
  options.extras = FALSE;
  g_assert_true (ferry_planner_walk (source, src, destination, dst, &options, collect, seen, NULL, &error));
  g_assert_cmpstr (seen->str, ==, "");
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", root);

    g_assert_cmpint (system (command), ==, 0);
  }
}

/* The index of the source's times at the last copy: the newest record of
 * a path wins, across batches and within one; paths sort as bytes. */
static void
test_recorded_index (void)
{
  g_autoptr(FerryRecordedTimes) index = ferry_recorded_times_new ();
  gint64 size = 0;
  gint64 mtime = 0;

  ferry_recorded_times_add (index, "b/z.txt", 1, 100);
  ferry_recorded_times_add (index, "a.txt", 2, 200);
  ferry_recorded_times_add (index, "b/z.txt", 9, 900);   /* older, same batch */
  g_assert_false (ferry_recorded_times_lookup (index, "a.txt", NULL, NULL));   /* not sealed yet */
  ferry_recorded_times_seal (index);
  ferry_recorded_times_add (index, "a.txt", 3, 300);     /* older run */
  ferry_recorded_times_add (index, "c d/\xc3\xa9.txt", 4, 400);
  ferry_recorded_times_seal (index);
  g_assert_cmpuint (ferry_recorded_times_get_count (index), ==, 3);
  g_assert_true (ferry_recorded_times_lookup (index, "b/z.txt", &size, &mtime));
  g_assert_cmpint (size, ==, 1);
  g_assert_cmpint (mtime, ==, 100);
  g_assert_true (ferry_recorded_times_lookup (index, "a.txt", &size, &mtime));
  g_assert_cmpint (mtime, ==, 200);
  g_assert_true (ferry_recorded_times_lookup (index, "c d/\xc3\xa9.txt", &size, &mtime));
  g_assert_cmpint (mtime, ==, 400);
  g_assert_false (ferry_recorded_times_lookup (index, "b", NULL, NULL));
  g_assert_false (ferry_recorded_times_lookup (index, "b/z.txt2", NULL, NULL));
  g_assert_false (ferry_recorded_times_lookup (NULL, "a.txt", NULL, NULL));

  /* 100 000 paths, added in a scrambled order, all found. */
  {
    g_autoptr(FerryRecordedTimes) big = ferry_recorded_times_new ();

    for (guint i = 0; i < 100000; i++)
      {
        guint n = (i * 7919u) % 100000u;
        g_autofree char *path = g_strdup_printf ("d%02u/f%06u.html", n % 50, n);

        ferry_recorded_times_add (big, path, n, T + n);
        if (i % 30000 == 29999)
          ferry_recorded_times_seal (big);
      }
    ferry_recorded_times_seal (big);
    g_assert_cmpuint (ferry_recorded_times_get_count (big), ==, 100000);
    for (guint n = 0; n < 100000; n += 997)
      {
        g_autofree char *path = g_strdup_printf ("d%02u/f%06u.html", n % 50, n);

        g_assert_true (ferry_recorded_times_lookup (big, path, &size, &mtime));
        g_assert_cmpint (mtime, ==, T + n);
      }
  }
}

/* Which records of a run count: what was copied, and what was up to date
 * by a time, never a file judged by its size alone. */
static void
test_recorded_records (void)
{
  g_autofree char *root = g_dir_make_tmp ("ferry-planner-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (root, "run.records", NULL);
  g_autofree char *missing = g_build_filename (root, "none.records", NULL);
  FerryOutcomeWriter *writer = ferry_outcome_writer_open (path, NULL);
  g_autoptr(GError) error = NULL;
  guint untrusted = 0;

  g_assert_nonnull (writer);
  ferry_outcome_writer_add (writer, FERRY_OUTCOME_COPIED, FALSE, "copied.txt", 10, T, NULL, NULL, 1);
  ferry_outcome_writer_add (writer, FERRY_OUTCOME_UPDATED, FALSE, "tab\there.txt", 11, T + 1, NULL, NULL, 1);
  ferry_outcome_writer_add (writer, FERRY_OUTCOME_RESUMED, FALSE, "resumed.bin", 12, T + 2, NULL, NULL, 2);
  ferry_outcome_writer_add (writer, FERRY_OUTCOME_UP_TO_DATE, FALSE, "by-time.txt", 13, T + 3, "identical", NULL, 0);
  ferry_outcome_writer_add (writer, FERRY_OUTCOME_UP_TO_DATE, FALSE, "by-size.txt", 14, T + 4, "same-size", NULL, 0);
  ferry_outcome_writer_add (writer, FERRY_OUTCOME_FAILED, FALSE, "failed.txt", 15, T + 5, "io-error", NULL, 5);
  ferry_outcome_writer_add (writer, FERRY_OUTCOME_CREATED, TRUE, "folder", -1, T + 6, NULL, NULL, 0);
  ferry_outcome_writer_add (writer, FERRY_OUTCOME_COPIED, FALSE, "no-time.txt", 16, 0, NULL, NULL, 1);
  ferry_outcome_writer_close (writer);

  for (guint by_time = 0; by_time < 2; by_time++)
    {
      g_autoptr(FerryRecordedTimes) index = ferry_recorded_times_new ();
      gint64 mtime = 0;

      untrusted = 0;
      g_assert_true (ferry_recorded_times_add_file (index, path, by_time, &untrusted, &error));
      g_assert_no_error (error);
      g_assert_true (ferry_recorded_times_lookup (index, "copied.txt", NULL, &mtime));
      g_assert_cmpint (mtime, ==, T);
      g_assert_true (ferry_recorded_times_lookup (index, "tab\there.txt", NULL, &mtime));
      g_assert_cmpint (mtime, ==, T + 1);
      g_assert_true (ferry_recorded_times_lookup (index, "resumed.bin", NULL, NULL));
      g_assert_cmpint (ferry_recorded_times_lookup (index, "by-time.txt", NULL, NULL), ==, by_time);
      g_assert_false (ferry_recorded_times_lookup (index, "by-size.txt", NULL, NULL));
      g_assert_false (ferry_recorded_times_lookup (index, "failed.txt", NULL, NULL));
      g_assert_false (ferry_recorded_times_lookup (index, "folder", NULL, NULL));
      g_assert_false (ferry_recorded_times_lookup (index, "no-time.txt", NULL, NULL));
      g_assert_cmpuint (untrusted, ==, by_time ? 1 : 2);
      g_assert_cmpuint (ferry_recorded_times_get_count (index), ==, by_time ? 4 : 3);
      g_assert_true (ferry_recorded_times_add_file (index, missing, TRUE, NULL, &error));
    }
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", root);

    g_assert_cmpint (system (command), ==, 0);
  }
}

/* One finished run in the history, with its records. */
static void
add_run (const char       *transfer_id,
         FerryRunKind      kind,
         FerryRunState     state,
         FerryRunCompared  compared,
         const char       *path,
         FerryOutcomeKind  outcome,
         gint64            mtime,
         const char       *reason)
{
  g_autoptr(FerryRunRecord) record = ferry_run_record_begin (transfer_id, NULL);
  g_autofree char *records = NULL;
  FerryOutcomeWriter *writer;

  g_assert_nonnull (record);
  records = ferry_run_record_dup_path (record, ".records");
  writer = ferry_outcome_writer_open (records, NULL);
  ferry_outcome_writer_add (writer, outcome, FALSE, path, 1, mtime, reason, NULL, 1);
  ferry_outcome_writer_close (writer);
  record->kind = kind;
  record->state = state;
  record->compared = compared;
  record->ended = record->started;
  g_assert_true (ferry_run_record_save (record, NULL));
  g_usleep (2000);   /* run IDs apart */
}

/* The history read newest first: the newest record of a path wins, a
 * verification and a run still going are skipped, and reading stops after
 * the first run that finished cleanly comparing times. */
static void
test_recorded_history (void)
{
  const char *id = "recorded-history-test";
  g_autoptr(FerryRecordedTimes) index = NULL;
  gint64 mtime = 0;

  add_run (id, FERRY_RUN_KIND_COPY, FERRY_RUN_STATE_COMPLETED, FERRY_RUN_COMPARED_SIZE_AND_TIME,
           "older.txt", FERRY_OUTCOME_COPIED, T - 100, NULL);
  add_run (id, FERRY_RUN_KIND_COPY, FERRY_RUN_STATE_COMPLETED, FERRY_RUN_COMPARED_SIZE_AND_TIME,
           "a.txt", FERRY_OUTCOME_COPIED, T, NULL);
  add_run (id, FERRY_RUN_KIND_COPY, FERRY_RUN_STATE_COMPLETED_WITH_ERRORS, FERRY_RUN_COMPARED_SIZE_AND_RECORDED_TIME,
           "b.txt", FERRY_OUTCOME_UP_TO_DATE, T + 1, "identical");
  add_run (id, FERRY_RUN_KIND_COPY, FERRY_RUN_STATE_COMPLETED, FERRY_RUN_COMPARED_UNKNOWN,
           "c.txt", FERRY_OUTCOME_UP_TO_DATE, T + 2, "identical");   /* a run from before: by size? */
  add_run (id, FERRY_RUN_KIND_VERIFY, FERRY_RUN_STATE_COMPLETED, FERRY_RUN_COMPARED_UNKNOWN,
           "d.txt", FERRY_OUTCOME_COPIED, T + 3, NULL);
  add_run (id, FERRY_RUN_KIND_COPY, FERRY_RUN_STATE_COMPLETED_WITH_ERRORS, FERRY_RUN_COMPARED_SIZE_AND_RECORDED_TIME,
           "a.txt", FERRY_OUTCOME_UPDATED, T + 60, NULL);

  index = ferry_recorded_times_load (id, NULL);
  g_assert_true (ferry_recorded_times_lookup (index, "a.txt", NULL, &mtime));
  g_assert_cmpint (mtime, ==, T + 60);
  g_assert_true (ferry_recorded_times_lookup (index, "b.txt", NULL, &mtime));
  g_assert_cmpint (mtime, ==, T + 1);
  g_assert_false (ferry_recorded_times_lookup (index, "c.txt", NULL, NULL));
  g_assert_false (ferry_recorded_times_lookup (index, "d.txt", NULL, NULL));
  g_assert_false (ferry_recorded_times_lookup (index, "older.txt", NULL, NULL));
  g_assert_cmpuint (ferry_recorded_times_get_count (index), ==, 2);
  ferry_run_history_forget (id);
}

static void
set_time (const char *root,
          const char *relative,
          gint64      mtime)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  struct utimbuf times = { (time_t) mtime, (time_t) mtime };

  g_assert_cmpint (utime (path, &times), ==, 0);
}

static gboolean
collect_decisions (FerryPlanItem  *item,
                   gpointer        user_data,
                   GError        **error)
{
  GString *seen = user_data;

  if (item->kind == FERRY_PLAN_ITEM_FILE)
    g_string_append_printf (seen, "%s:%s:%s;", item->relative,
                            item->decision.action == FERRY_PLAN_SKIP ? "skip" :
                            item->decision.action == FERRY_PLAN_COPY ? "copy" : "other",
                            item->code != NULL ? item->code : "");
  ferry_plan_item_free (item);
  return TRUE;
}

/* A destination that cannot keep times (every copy carries the time of
 * copying): a file is copied again when the source's time differs from the
 * one recorded at its last copy, whatever the destination's time; a file
 * not on record, or whose record describes another size than the
 * destination's, is judged by its size ("same-size", never "identical"). */
static void
test_recorded_times_decide (void)
{
  g_autofree char *root = g_dir_make_tmp ("ferry-planner-XXXXXX", NULL);
  g_autofree char *src = g_build_filename (root, "src", NULL);
  g_autofree char *dst = g_build_filename (root, "dst", NULL);
  g_autoptr(FerryBackend) source = ferry_backend_new (ferry_connector_get_local (), NULL, NULL);
  g_autoptr(FerryBackend) destination = ferry_backend_new (ferry_connector_get_local (), NULL, NULL);
  g_autoptr(FerryRecordedTimes) recorded = ferry_recorded_times_new ();
  g_autoptr(GString) seen = g_string_new ("");
  g_autoptr(GError) error = NULL;
  FerryPlanOptions options = { .policy = FERRY_EXISTING_SKIP_IDENTICAL, .dry_run = TRUE, .sizes_only = TRUE };
  const char *names[] = { "changed.txt", "other-size.txt", "same.txt", "sub/changed.txt", "unrecorded.txt", NULL };

  for (guint i = 0; names[i] != NULL; i++)
    {
      touch (src, names[i]);
      touch (dst, names[i]);
      set_time (src, names[i], T);
      set_time (dst, names[i], T + DAY);   /* the time of copying */
    }
  set_time (src, "changed.txt", T + MINUTE);
  set_time (src, "sub/changed.txt", T - 2);
  ferry_recorded_times_add (recorded, "changed.txt", 1, T);
  ferry_recorded_times_add (recorded, "other-size.txt", 2, T + MINUTE);
  ferry_recorded_times_add (recorded, "same.txt", 1, T);
  ferry_recorded_times_add (recorded, "sub/changed.txt", 1, T);
  ferry_recorded_times_seal (recorded);

  options.recorded = recorded;
  g_assert_true (ferry_planner_walk (source, src, destination, dst, &options, collect_decisions, seen, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (seen->str, ==,
                   "changed.txt:copy:;"
                   "other-size.txt:skip:same-size;"
                   "same.txt:skip:identical;"
                   "unrecorded.txt:skip:same-size;"
                   "sub/changed.txt:copy:;");

  /* Without records: sizes alone, as before. */
  g_string_truncate (seen, 0);
  options.recorded = NULL;
  g_assert_true (ferry_planner_walk (source, src, destination, dst, &options, collect_decisions, seen, NULL, &error));
  g_assert_cmpstr (seen->str, ==,
                   "changed.txt:skip:same-size;"
                   "other-size.txt:skip:same-size;"
                   "same.txt:skip:same-size;"
                   "unrecorded.txt:skip:same-size;"
                   "sub/changed.txt:skip:same-size;");

  /* A destination that keeps times ignores the records. */
  g_string_truncate (seen, 0);
  options.recorded = recorded;
  options.sizes_only = FALSE;
  g_assert_true (ferry_planner_walk (source, src, destination, dst, &options, collect_decisions, seen, NULL, &error));
  g_assert_cmpstr (seen->str, ==,
                   "changed.txt:copy:;"
                   "other-size.txt:copy:;"
                   "same.txt:copy:;"
                   "unrecorded.txt:copy:;"
                   "sub/changed.txt:copy:;");
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", root);

    g_assert_cmpint (system (command), ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("ferry-planner-data-XXXXXX", NULL);

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/planner/new-file-is-copied", test_new_file_is_copied);
  g_test_add_func ("/planner/identical-is-skipped", test_identical_is_skipped);
  g_test_add_func ("/planner/minutes-precision", test_minutes_precision);
  g_test_add_func ("/planner/days-precision", test_days_precision);
  g_test_add_func ("/planner/unknown-time-uses-size", test_unknown_time_uses_size);
  g_test_add_func ("/planner/partial-resumes", test_partial_resumes);
  g_test_add_func ("/planner/type-clashes-fail", test_type_clashes_fail);
  g_test_add_func ("/planner/keep-both-name", test_keep_both_name);
  g_test_add_func ("/planner/extras", test_extras);
  g_test_add_func ("/planner/recorded-index", test_recorded_index);
  g_test_add_func ("/planner/recorded-records", test_recorded_records);
  g_test_add_func ("/planner/recorded-history", test_recorded_history);
  g_test_add_func ("/planner/recorded-times-decide", test_recorded_times_decide);

  {
    int status = g_test_run ();
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", data_home);

    g_assert_cmpint (system (command), ==, 0);
    return status;
  }
}
