/* ferry-background.h: the application's scheduler service (DESIGN.md,
 * "Scheduler"; the issue "Scheduled incremental runs that happen with the
 * window closed").
 *
 * One per application. While at least one schedule exists it holds the
 * application (closing the last window leaves the process running; `ferry
 * --background` at login starts it with no window), and every minute, and
 * when the machine wakes from suspend (logind's PrepareForSleep false), it
 * runs what is due through ferry_scheduler_run_due_async() on the
 * application's run manager, so an open window shows scheduled runs live.
 * A scheduled run that fails or has failed files sends a notification whose
 * button opens its log; a clean one stays quiet unless the setting
 * notify-scheduled-success says otherwise. Outside Flatpak the autostart
 * entry follows the schedules (ferry-schedule-store.h); inside, the
 * Background portal is asked for autostart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ferry-schedule-store.h"

G_BEGIN_DECLS

#define FERRY_TYPE_BACKGROUND (ferry_background_get_type ())
G_DECLARE_FINAL_TYPE (FerryBackground, ferry_background, FERRY, BACKGROUND, GObject)

/* `application` is a FerryApplication, not referenced (it owns this). */
FerryBackground *ferry_background_new     (GApplication    *application);
/* Schedules were changed (in this process or another): hold or release the
 * application, ask the portal, and emit "changed" so rows show the next run. */
void             ferry_background_update  (FerryBackground *self);
/* The rules and the scheduler's results as read at the last "changed",
 * for the rows to show without reading files; borrowed, never NULL. */
FerryScheduleSnapshot *ferry_background_get_schedules (FerryBackground *self);
/* Runs what is due now (the minute timer calls it too). */
void             ferry_background_run_due (FerryBackground *self);

G_END_DECLS
