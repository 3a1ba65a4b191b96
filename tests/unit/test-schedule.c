/* test-schedule.c: the slots of schedule rules (ferry-schedule.h) in
 * TZ=Europe/Berlin, over the nights the clocks change in March and October
 * 2026, and a missed stretch catching up once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>

#include "ferry-error.h"
#include "ferry-schedule.h"

static GTimeZone *berlin;

static GDateTime *
at (int year, int month, int day, int hour, int minute)
{
  return g_date_time_new (berlin, year, month, day, hour, minute, 0);
}

/* A moment given in UTC, seen in Berlin (the zone the rules use). */
static GDateTime *
utc (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (year, month, day, hour, minute, 0);

  return g_date_time_to_timezone (time, berlin);
}

static void
assert_same (GDateTime *actual,
             GDateTime *expected)
{
  g_autofree char *a = actual ? g_date_time_format_iso8601 (actual) : g_strdup ("(null)");
  g_autofree char *e = g_date_time_format_iso8601 (expected);

  if (actual == NULL || !g_date_time_equal (actual, expected))
    g_error ("expected %s, got %s", e, a);
}

static FerryScheduleRule
rule (const char *every, const char *when, const char *on)
{
  g_autoptr(GError) error = NULL;
  FerryScheduleRule parsed;

  g_assert_true (ferry_schedule_rule_parse (every, when, on, &parsed, &error));
  g_assert_no_error (error);
  return parsed;
}

/* Slots from `from` up to `to`, by repeated next_after. */
static GPtrArray *
slots_between (const FerryScheduleRule *r,
               GDateTime               *from,
               GDateTime               *to)
{
  GPtrArray *slots = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
  GDateTime *t = g_date_time_ref (from);

  for (;;)
    {
      GDateTime *next = ferry_schedule_next_after (r, t);

      g_date_time_unref (t);
      if (g_date_time_compare (next, to) > 0)
        {
          g_date_time_unref (next);
          return slots;
        }
      g_ptr_array_add (slots, g_date_time_ref (next));
      t = next;
    }
}

static void
test_daily_spring_gap (void)
{
  FerryScheduleRule daily = rule ("day", "02:30", NULL);
  g_autoptr(GDateTime) from = at (2026, 3, 27, 12, 0);
  g_autoptr(GDateTime) to = at (2026, 3, 31, 12, 0);
  g_autoptr(GPtrArray) slots = slots_between (&daily, from, to);
  g_autoptr(GDateTime) jump = utc (2026, 3, 29, 1, 0);     /* 03:00 CEST, when 02:00 CET jumps */
  g_autoptr(GDateTime) before = utc (2026, 3, 28, 1, 30);  /* 02:30 CET */
  g_autoptr(GDateTime) after = utc (2026, 3, 30, 0, 30);   /* 02:30 CEST */
  g_autoptr(GDateTime) now = utc (2026, 3, 29, 1, 10);
  g_autoptr(GDateTime) last = NULL;

  /* 28th, 29th (02:30 does not exist: the first valid time, 03:00), 30th,
   * 31st: one slot a day. */
  g_assert_cmpuint (slots->len, ==, 4);
  assert_same (slots->pdata[0], before);
  assert_same (slots->pdata[1], jump);
  assert_same (slots->pdata[2], after);
  g_assert_cmpint (g_date_time_get_hour (slots->pdata[1]), ==, 3);
  g_assert_cmpint (g_date_time_get_minute (slots->pdata[1]), ==, 0);

  last = ferry_schedule_last_at_or_before (&daily, now);
  assert_same (last, jump);
}

static void
test_daily_autumn_fold (void)
{
  FerryScheduleRule daily = rule ("day", "02:30", NULL);
  g_autoptr(GDateTime) from = at (2026, 10, 24, 12, 0);
  g_autoptr(GDateTime) to = at (2026, 10, 27, 12, 0);
  g_autoptr(GPtrArray) slots = slots_between (&daily, from, to);
  g_autoptr(GDateTime) first = utc (2026, 10, 25, 0, 30);   /* 02:30 CEST */
  g_autoptr(GDateTime) next = utc (2026, 10, 26, 1, 30);    /* 02:30 CET */
  g_autoptr(GDateTime) second_0230 = utc (2026, 10, 25, 1, 45); /* 02:45 CET */
  g_autoptr(GDateTime) again = NULL;

  /* 02:30 happens twice on the 25th: it runs once, at the first. */
  g_assert_cmpuint (slots->len, ==, 3);
  assert_same (slots->pdata[0], first);
  assert_same (slots->pdata[1], next);

  /* During the repeated hour, the day's slot is behind us already. */
  again = ferry_schedule_next_after (&daily, second_0230);
  assert_same (again, next);
  g_assert_false (ferry_schedule_is_due (&daily, g_date_time_to_unix (first), second_0230, NULL));
}

static void
test_hourly_over_changes (void)
{
  FerryScheduleRule hourly = rule ("hour", ":15", NULL);
  g_autoptr(GDateTime) autumn_from = utc (2026, 10, 24, 22, 0);  /* 00:00 CEST */
  g_autoptr(GDateTime) autumn_to = utc (2026, 10, 25, 3, 0);     /* 04:00 CET */
  g_autoptr(GPtrArray) autumn = slots_between (&hourly, autumn_from, autumn_to);
  g_autoptr(GDateTime) spring_from = utc (2026, 3, 28, 23, 0);   /* 00:00 CET */
  g_autoptr(GDateTime) spring_to = utc (2026, 3, 29, 2, 0);      /* 04:00 CEST */
  g_autoptr(GPtrArray) spring = slots_between (&hourly, spring_from, spring_to);

  /* Real hours: five in the five hours of the long night, 02:15 twice. */
  g_assert_cmpuint (autumn->len, ==, 5);
  for (guint i = 0; i < autumn->len; i++)
    g_assert_cmpint (g_date_time_get_minute (autumn->pdata[i]), ==, 15);
  g_assert_cmpint (g_date_time_get_hour (autumn->pdata[2]), ==, 2);
  g_assert_cmpint (g_date_time_get_hour (autumn->pdata[3]), ==, 2);
  /* Three in the three hours of the short one, no 02:15. */
  g_assert_cmpuint (spring->len, ==, 3);
  g_assert_cmpint (g_date_time_get_hour (spring->pdata[1]), ==, 1);
  g_assert_cmpint (g_date_time_get_hour (spring->pdata[2]), ==, 3);
}

static void
test_weekly_and_monthly (void)
{
  FerryScheduleRule weekly = rule ("week", "02:30", "sun");
  FerryScheduleRule monthly = rule ("month", "08:00", "31");
  g_autoptr(GDateTime) saturday = at (2026, 3, 28, 12, 0);
  g_autoptr(GDateTime) sunday = ferry_schedule_next_after (&weekly, saturday);
  g_autoptr(GDateTime) jump = utc (2026, 3, 29, 1, 0);
  g_autoptr(GDateTime) march = at (2026, 3, 31, 9, 0);
  g_autoptr(GDateTime) april = ferry_schedule_next_after (&monthly, march);
  g_autoptr(GDateTime) april_30 = at (2026, 4, 30, 8, 0);
  g_autoptr(GDateTime) feb = at (2026, 2, 1, 0, 0);
  g_autoptr(GDateTime) feb_slot = ferry_schedule_next_after (&monthly, feb);
  g_autoptr(GDateTime) feb_28 = at (2026, 2, 28, 8, 0);

  /* A Sunday at 02:30, on the Sunday the clocks skip it. */
  assert_same (sunday, jump);
  /* The 31st in a month of 30 (or 28) days is its last day. */
  assert_same (april, april_30);
  assert_same (feb_slot, feb_28);
}

static void
test_missed_slots_catch_up_once (void)
{
  FerryScheduleRule hourly = rule ("hour", "00", NULL);
  g_autoptr(GDateTime) set = at (2026, 3, 1, 10, 5);
  g_autoptr(GDateTime) month_later = g_date_time_add_days (set, 30);
  g_autoptr(GDateTime) soon = g_date_time_add_minutes (set, 30);
  g_autoptr(GDateTime) expected = at (2026, 3, 31, 11, 0);
  g_autoptr(GDateTime) minute_later = g_date_time_add_minutes (month_later, 1);
  gint64 slot = 0;

  g_assert_false (ferry_schedule_is_due (&hourly, g_date_time_to_unix (set), soon, &slot));
  /* 720 slots went by: one run, for the latest. */
  g_assert_true (ferry_schedule_is_due (&hourly, g_date_time_to_unix (set), month_later, &slot));
  g_assert_cmpint (slot, ==, g_date_time_to_unix (expected) - 3600);
  g_assert_false (ferry_schedule_is_due (&hourly, slot, minute_later, NULL));
}

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  FerryScheduleRule r;
  g_autofree char *text = NULL;

  r = rule ("week", "09:05", "Friday");
  g_assert_cmpint (r.day, ==, 5);
  text = ferry_schedule_rule_to_string (&r);
  g_assert_cmpstr (text, ==, "every week on fri at 09:05");

  g_assert_false (ferry_schedule_rule_parse ("fortnight", NULL, NULL, &r, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (ferry_schedule_rule_parse ("day", "24:00", NULL, &r, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (ferry_schedule_rule_parse ("month", "10:00", "32", &r, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (ferry_schedule_rule_parse ("day", "10:00", "mon", &r, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "Europe/Berlin", TRUE);
  g_test_init (&argc, &argv, NULL);
  berlin = g_time_zone_new_local ();
  g_assert_cmpstr (g_time_zone_get_identifier (berlin), ==, "Europe/Berlin");

  g_test_add_func ("/schedule/daily-spring-gap", test_daily_spring_gap);
  g_test_add_func ("/schedule/daily-autumn-fold", test_daily_autumn_fold);
  g_test_add_func ("/schedule/hourly-over-changes", test_hourly_over_changes);
  g_test_add_func ("/schedule/weekly-and-monthly", test_weekly_and_monthly);
  g_test_add_func ("/schedule/missed-slots-catch-up-once", test_missed_slots_catch_up_once);
  g_test_add_func ("/schedule/parse", test_parse);
  return g_test_run ();
}
