/* ferry-schedule.h: when a transfer runs by itself (DESIGN.md,
 * "Scheduler"): a rule, and pure functions from a rule and a time to the
 * rule's slots.
 *
 * A slot is an instant the rule names: every hour at :MM, every day at
 * HH:MM, every week on DAY at HH:MM, every month on the Nth at HH:MM, in
 * the time zone of the GDateTime handed in (the local one in the app and
 * ferry-cli). Daily, weekly and monthly slots are one per calendar day the
 * rule names, so a day with a DST change still has one slot: a time that
 * happens twice (October in Europe) runs at its first occurrence only, and a
 * time the clocks skip (March) runs at the first valid time after the jump
 * (02:30 → 03:00 in Europe/Berlin). Hourly slots are real hours. A monthly
 * rule on a day the month lacks (the 31st in April, the 29th in February)
 * runs on the month's last day.
 *
 * No I/O here: ferry-schedule-store.h saves rules, ferry-scheduler.h runs
 * what is due.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  FERRY_SCHEDULE_EVERY_OFF,
  FERRY_SCHEDULE_EVERY_HOUR,
  FERRY_SCHEDULE_EVERY_DAY,
  FERRY_SCHEDULE_EVERY_WEEK,
  FERRY_SCHEDULE_EVERY_MONTH,
} FerryScheduleEvery;

typedef struct
{
  FerryScheduleEvery every;
  int                hour;    /* 0–23; unused hourly */
  int                minute;  /* 0–59 */
  int                day;     /* weekly: 1 Monday … 7 Sunday; monthly: 1–31 */
} FerryScheduleRule;

/* From the words of `ferry-cli schedule NAME --every WORD [--at HH:MM]
 * [--on DAY]`: `every` "hour", "day", "week" or "month"; `at` "HH:MM" (":MM"
 * or "MM" hourly), NULL for 00:00 (or :00); `on` "mon"…"sun" (or the full
 * English name) weekly, "1"…"31" monthly, NULL for Monday or the 1st.
 * FERRY_ERROR_INVALID_INPUT saying which word is wrong. */
gboolean    ferry_schedule_rule_parse      (const char              *every,
                                            const char              *at,
                                            const char              *on,
                                            FerryScheduleRule       *rule,
                                            GError                 **error);
gboolean    ferry_schedule_rule_is_valid   (const FerryScheduleRule *rule);
gboolean    ferry_schedule_rule_equal      (const FerryScheduleRule *a,
                                            const FerryScheduleRule *b);
/* "off", "hour", "day", "week", "month" */
const char *ferry_schedule_every_to_string (FerryScheduleEvery       every);
gboolean    ferry_schedule_every_from_string (const char            *string,
                                            FerryScheduleEvery      *every);
/* "mon" … "sun" for 1 … 7 */
const char *ferry_schedule_weekday_to_string (int                    weekday);
/* The rule in English words scripts can read back: "every day at 14:00",
 * "every week on mon at 09:30", "off". */
char       *ferry_schedule_rule_to_string  (const FerryScheduleRule *rule);
/* The rule for people, translated: "Every day at 14:00". */
char       *ferry_schedule_rule_describe   (const FerryScheduleRule *rule);

/* The first slot strictly after `after`, in after's time zone; NULL when
 * the rule is off. */
GDateTime  *ferry_schedule_next_after      (const FerryScheduleRule *rule,
                                            GDateTime               *after);
/* The latest slot at or before `now`; NULL when the rule is off. */
GDateTime  *ferry_schedule_last_at_or_before (const FerryScheduleRule *rule,
                                            GDateTime               *now);
/* Whether a run is due at `now`: the latest slot at or before `now` is
 * later than `handled` (the slot the last scheduled run was for, or when
 * the rule was set; seconds since the epoch). However many slots were
 * missed, that is one run: the caller records the slot it ran for in
 * *slot (seconds since the epoch). */
gboolean    ferry_schedule_is_due          (const FerryScheduleRule *rule,
                                            gint64                   handled,
                                            GDateTime               *now,
                                            gint64                  *slot);
/* "today 14:00", "tomorrow 02:30", "Mon 09:30", "31 Mar 02:00" relative to
 * `now`, for a transfer's row. */
char       *ferry_schedule_format_when     (GDateTime               *when,
                                            GDateTime               *now);

G_END_DECLS
