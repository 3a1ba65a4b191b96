/* ferry-schedule.c: schedule rules and their slots; see ferry-schedule.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "ferry-enums.h"
#include "ferry-error.h"
#include "ferry-nick.h"
#include "ferry-schedule.h"

static const char * const weekdays[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
static const char * const weekday_names[] = {
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
};

const char *
ferry_schedule_every_to_string (FerryScheduleEvery every)
{
  return ferry_enum_to_nick (FERRY_TYPE_SCHEDULE_EVERY, every);
}

gboolean
ferry_schedule_every_from_string (const char         *string,
                                  FerryScheduleEvery *every)
{
  int value;

  if (string == NULL || !ferry_enum_from_nick (FERRY_TYPE_SCHEDULE_EVERY, string, &value))
    return FALSE;
  *every = value;
  return TRUE;
}

const char *
ferry_schedule_weekday_to_string (int weekday)
{
  g_return_val_if_fail (weekday >= 1 && weekday <= 7, "");
  return weekdays[weekday - 1];
}

gboolean
ferry_schedule_rule_is_valid (const FerryScheduleRule *rule)
{
  if (rule->minute < 0 || rule->minute > 59)
    return FALSE;
  switch (rule->every)
    {
    case FERRY_SCHEDULE_EVERY_OFF:
    case FERRY_SCHEDULE_EVERY_HOUR:
      return TRUE;
    case FERRY_SCHEDULE_EVERY_DAY:
      return rule->hour >= 0 && rule->hour <= 23;
    case FERRY_SCHEDULE_EVERY_WEEK:
      return rule->hour >= 0 && rule->hour <= 23 && rule->day >= 1 && rule->day <= 7;
    case FERRY_SCHEDULE_EVERY_MONTH:
      return rule->hour >= 0 && rule->hour <= 23 && rule->day >= 1 && rule->day <= 31;
    default:
      return FALSE;
    }
}

gboolean
ferry_schedule_rule_equal (const FerryScheduleRule *a,
                           const FerryScheduleRule *b)
{
  return a->every == b->every && a->hour == b->hour && a->minute == b->minute && a->day == b->day;
}

static gboolean
parse_number (const char *text,
              int         min,
              int         max,
              int        *value)
{
  char *end = NULL;
  long number;

  if (text == NULL || !g_ascii_isdigit (text[0]) || strlen (text) > 2)
    return FALSE;
  number = strtol (text, &end, 10);
  if (*end != '\0' || number < min || number > max)
    return FALSE;
  *value = number;
  return TRUE;
}

gboolean
ferry_schedule_rule_parse (const char         *every,
                           const char         *at,
                           const char         *on,
                           FerryScheduleRule  *rule,
                           GError            **error)
{
  FerryScheduleRule parsed = { FERRY_SCHEDULE_EVERY_OFF, 0, 0, 1 };

  if (!ferry_schedule_every_from_string (every, &parsed.every) || parsed.every == FERRY_SCHEDULE_EVERY_OFF)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                   _("“%s” is not a schedule: use hour, day, week or month"), every ? every : "");
      return FALSE;
    }

  if (at != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (at, ":", -1);
      guint n = g_strv_length (parts);
      gboolean ok;

      if (parsed.every == FERRY_SCHEDULE_EVERY_HOUR)
        /* "HH:MM" is accepted hourly too; only its minutes count. */
        ok = (n == 1 && parse_number (parts[0], 0, 59, &parsed.minute)) ||
             (n == 2 && (parts[0][0] == '\0' || parse_number (parts[0], 0, 23, &parsed.hour)) &&
              parse_number (parts[1], 0, 59, &parsed.minute));
      else
        ok = n == 2 && parse_number (parts[0], 0, 23, &parsed.hour) &&
             parse_number (parts[1], 0, 59, &parsed.minute);
      if (!ok)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                       _("“%s” is not a time: use HH:MM, from 00:00 to 23:59"), at);
          return FALSE;
        }
      if (parsed.every == FERRY_SCHEDULE_EVERY_HOUR)
        parsed.hour = 0;
    }

  if (on != NULL)
    {
      gboolean ok = FALSE;

      if (parsed.every == FERRY_SCHEDULE_EVERY_WEEK)
        {
          g_autofree char *lower = g_ascii_strdown (on, -1);

          for (int i = 0; i < 7 && !ok; i++)
            if (strcmp (lower, weekdays[i]) == 0 || strcmp (lower, weekday_names[i]) == 0)
              {
                parsed.day = i + 1;
                ok = TRUE;
              }
          if (!ok)
            {
              g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                           _("“%s” is not a day of the week: use mon, tue, wed, thu, fri, sat or sun"), on);
              return FALSE;
            }
        }
      else if (parsed.every == FERRY_SCHEDULE_EVERY_MONTH)
        {
          if (!parse_number (on, 1, 31, &parsed.day))
            {
              g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                           _("“%s” is not a day of the month: use 1 to 31"), on);
              return FALSE;
            }
        }
      else
        {
          g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                               _("--on is for weekly and monthly schedules only"));
          return FALSE;
        }
    }

  *rule = parsed;
  return TRUE;
}

char *
ferry_schedule_rule_to_string (const FerryScheduleRule *rule)
{
  switch (rule->every)
    {
    case FERRY_SCHEDULE_EVERY_HOUR:
      return g_strdup_printf ("every hour at :%02d", rule->minute);
    case FERRY_SCHEDULE_EVERY_DAY:
      return g_strdup_printf ("every day at %02d:%02d", rule->hour, rule->minute);
    case FERRY_SCHEDULE_EVERY_WEEK:
      return g_strdup_printf ("every week on %s at %02d:%02d",
                              ferry_schedule_weekday_to_string (rule->day), rule->hour, rule->minute);
    case FERRY_SCHEDULE_EVERY_MONTH:
      return g_strdup_printf ("every month on %d at %02d:%02d", rule->day, rule->hour, rule->minute);
    case FERRY_SCHEDULE_EVERY_OFF:
    default:
      return g_strdup ("off");
    }
}

static char *
weekday_label (int weekday)
{
  /* 2024-01-01 was a Monday: the locale names the day. */
  g_autoptr(GDateTime) date = g_date_time_new_utc (2024, 1, weekday, 12, 0, 0);

  return g_date_time_format (date, "%A");
}

char *
ferry_schedule_rule_describe (const FerryScheduleRule *rule)
{
  g_autofree char *day = NULL;

  switch (rule->every)
    {
    case FERRY_SCHEDULE_EVERY_HOUR:
      /* Translators: %02d is the minute past each hour */
      return g_strdup_printf (_("Every hour at :%02d"), rule->minute);
    case FERRY_SCHEDULE_EVERY_DAY:
      /* Translators: a time, HH:MM */
      return g_strdup_printf (_("Every day at %02d:%02d"), rule->hour, rule->minute);
    case FERRY_SCHEDULE_EVERY_WEEK:
      day = weekday_label (rule->day);
      /* Translators: a day of the week, then a time */
      return g_strdup_printf (_("Every %s at %02d:%02d"), day, rule->hour, rule->minute);
    case FERRY_SCHEDULE_EVERY_MONTH:
      /* Translators: a day of the month (1–31), then a time */
      return g_strdup_printf (_("Every month on day %d at %02d:%02d"), rule->day, rule->hour, rule->minute);
    case FERRY_SCHEDULE_EVERY_OFF:
    default:
      return g_strdup (_("Not scheduled"));
    }
}

/* Whether the rule has a slot on this calendar date. */
static gboolean
date_matches (const FerryScheduleRule *rule,
              GDate                   *date)
{
  switch (rule->every)
    {
    case FERRY_SCHEDULE_EVERY_DAY:
      return TRUE;
    case FERRY_SCHEDULE_EVERY_WEEK:
      return (int) g_date_get_weekday (date) == rule->day;
    case FERRY_SCHEDULE_EVERY_MONTH:
      {
        int last = g_date_get_days_in_month (g_date_get_month (date), g_date_get_year (date));

        return (int) g_date_get_day (date) == MIN (rule->day, last);
      }
    case FERRY_SCHEDULE_EVERY_OFF:
    case FERRY_SCHEDULE_EVERY_HOUR:
    default:
      return FALSE;
    }
}

static gboolean
wall_time_is (GDateTime *time,
              GDate     *date,
              int        hour,
              int        minute)
{
  return g_date_time_get_year (time) == g_date_get_year (date) &&
         g_date_time_get_month (time) == (int) g_date_get_month (date) &&
         g_date_time_get_day_of_month (time) == g_date_get_day (date) &&
         g_date_time_get_hour (time) == hour &&
         g_date_time_get_minute (time) == minute;
}

/* The instant of HH:MM on `date` in `tz`. A time the clocks skip becomes
 * the first minute that exists after it (the moment of the jump); a time
 * that happens twice is its first occurrence (GLib picks the later one). */
static GDateTime *
slot_on (GTimeZone *tz,
         GDate     *date,
         int        hour,
         int        minute)
{
  GDateTime *time = g_date_time_new (tz, g_date_get_year (date), g_date_get_month (date),
                                     g_date_get_day (date), hour, minute, 0);

  if (time != NULL && wall_time_is (time, date, hour, minute))
    {
      /* The same wall time an hour earlier: the first of the two. */
      GDateTime *earlier = g_date_time_add_hours (time, -1);

      if (wall_time_is (earlier, date, hour, minute))
        {
          g_date_time_unref (time);
          return earlier;
        }
      g_date_time_unref (earlier);
      return time;
    }
  if (time == NULL)
    return NULL;
  g_date_time_unref (time);
  /* In a gap: walk the wall clock forward a minute at a time until it
   * names a time that exists (gaps are an hour or less, anywhere). */
  for (int m = hour * 60 + minute + 1; m < 24 * 60; m++)
    {
      time = g_date_time_new (tz, g_date_get_year (date), g_date_get_month (date),
                              g_date_get_day (date), m / 60, m % 60, 0);
      if (time != NULL && wall_time_is (time, date, m / 60, m % 60))
        return time;
      g_clear_pointer (&time, g_date_time_unref);
    }
  return NULL;
}

static void
date_of (GDateTime *time,
         GDate     *date)
{
  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (time), g_date_time_get_month (time),
                  g_date_time_get_year (time));
}

/* Hourly: the instant at :MM of the real hour `time` is in. */
static GDateTime *
hour_slot_of (const FerryScheduleRule *rule,
              GDateTime               *time)
{
  GTimeSpan into_hour = (g_date_time_get_minute (time) * 60 + g_date_time_get_second (time)) * G_TIME_SPAN_SECOND +
                        g_date_time_get_microsecond (time);
  g_autoptr(GDateTime) hour = g_date_time_add (time, -into_hour);

  return g_date_time_add_minutes (hour, rule->minute);
}

GDateTime *
ferry_schedule_next_after (const FerryScheduleRule *rule,
                           GDateTime               *after)
{
  GTimeZone *tz;
  GDate date;

  g_return_val_if_fail (rule != NULL, NULL);
  g_return_val_if_fail (after != NULL, NULL);

  if (!ferry_schedule_rule_is_valid (rule) || rule->every == FERRY_SCHEDULE_EVERY_OFF)
    return NULL;
  if (rule->every == FERRY_SCHEDULE_EVERY_HOUR)
    {
      GDateTime *slot = hour_slot_of (rule, after);

      if (g_date_time_compare (slot, after) <= 0)
        {
          GDateTime *later = g_date_time_add_hours (slot, 1);

          g_date_time_unref (slot);
          slot = later;
        }
      return slot;
    }

  tz = g_date_time_get_timezone (after);
  date_of (after, &date);
  /* A month and a bit covers every rule's next slot. */
  for (int i = 0; i < 40; i++, g_date_add_days (&date, 1))
    {
      g_autoptr(GDateTime) slot = NULL;

      if (!date_matches (rule, &date))
        continue;
      slot = slot_on (tz, &date, rule->hour, rule->minute);
      if (slot != NULL && g_date_time_compare (slot, after) > 0)
        return g_steal_pointer (&slot);
    }
  g_return_val_if_reached (NULL);
}

GDateTime *
ferry_schedule_last_at_or_before (const FerryScheduleRule *rule,
                                  GDateTime               *now)
{
  GTimeZone *tz;
  GDate date;

  g_return_val_if_fail (rule != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  if (!ferry_schedule_rule_is_valid (rule) || rule->every == FERRY_SCHEDULE_EVERY_OFF)
    return NULL;
  if (rule->every == FERRY_SCHEDULE_EVERY_HOUR)
    {
      GDateTime *slot = hour_slot_of (rule, now);

      if (g_date_time_compare (slot, now) > 0)
        {
          GDateTime *earlier = g_date_time_add_hours (slot, -1);

          g_date_time_unref (slot);
          slot = earlier;
        }
      return slot;
    }

  tz = g_date_time_get_timezone (now);
  date_of (now, &date);
  for (int i = 0; i < 40; i++, g_date_subtract_days (&date, 1))
    {
      g_autoptr(GDateTime) slot = NULL;

      if (!date_matches (rule, &date))
        continue;
      slot = slot_on (tz, &date, rule->hour, rule->minute);
      if (slot != NULL && g_date_time_compare (slot, now) <= 0)
        return g_steal_pointer (&slot);
    }
  g_return_val_if_reached (NULL);
}

gboolean
ferry_schedule_is_due (const FerryScheduleRule *rule,
                       gint64                   handled,
                       GDateTime               *now,
                       gint64                  *slot)
{
  g_autoptr(GDateTime) last = ferry_schedule_last_at_or_before (rule, now);
  gint64 last_unix;

  if (last == NULL)
    return FALSE;
  last_unix = g_date_time_to_unix (last);
  if (slot != NULL)
    *slot = last_unix;
  return last_unix > handled;
}

char *
ferry_schedule_format_when (GDateTime *when,
                            GDateTime *now)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (when, g_date_time_get_timezone (now));
  g_autofree char *time = g_date_time_format (local, "%H:%M");
  g_autofree char *day = NULL;
  GDate a, b;
  int days;

  date_of (now, &a);
  date_of (local, &b);
  days = g_date_days_between (&a, &b);
  if (days == 0)
    /* Translators: when a scheduled run comes next; %s is HH:MM */
    return g_strdup_printf (_("today %s"), time);
  if (days == 1)
    /* Translators: when a scheduled run comes next; %s is HH:MM */
    return g_strdup_printf (_("tomorrow %s"), time);
  if (days > 1 && days < 7)
    day = g_date_time_format (local, "%a");
  else
    day = g_date_time_format (local, "%-d %b");
  /* Translators: a day ("Mon" or "31 Mar") and a time (HH:MM) */
  return g_strdup_printf (_("%s %s"), g_strstrip (day), time);
}
