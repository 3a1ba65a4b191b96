/* ferry-schedule-dialog.h: User Actions → Schedule…: when a transfer runs
 * by itself (off, every hour, day, week or month; the time; the day).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ferry-background.h"
#include "ferry-transfer.h"

G_BEGIN_DECLS

#define FERRY_TYPE_SCHEDULE_DIALOG (ferry_schedule_dialog_get_type ())
G_DECLARE_FINAL_TYPE (FerryScheduleDialog, ferry_schedule_dialog, FERRY, SCHEDULE_DIALOG, AdwWindow)

/* Shows the transfer's schedule; Save stores it (on a worker thread) and
 * tells `background`, the application's scheduler (may be NULL). */
FerryScheduleDialog *ferry_schedule_dialog_new (GtkWindow       *parent,
                                                FerryTransfer   *transfer,
                                                FerryBackground *background);

G_END_DECLS
