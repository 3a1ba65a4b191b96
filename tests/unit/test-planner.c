/* test-planner.c: what a run decides for each file — the rules a user sees
 * as "copied", "resumed", "skipped" or "failed" on a rerun.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry-connector.h"
#include "ferry-planner.h"

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

int
main (int   argc,
      char *argv[])
{
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

  return g_test_run ();
}
