/* test-planner.c: what a run decides for each file — the rules a user sees
 * as "copied", "resumed", "skipped" or "failed" on a rerun.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

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

  return g_test_run ();
}
