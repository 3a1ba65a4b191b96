/* ferry-window-schedule.c: User Actions → Schedule… in the Migration
 * Manager (the window's part of the scheduler: the dialog; the runs
 * themselves come through the run manager like any other).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ferry-schedule-dialog.h"
#include "ferry-window-private.h"

void
_ferry_window_schedule (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  FerryTransfer *selected = NULL;
  FerryBackground *background;
  GtkApplication *app;

  if (self->selected_id != NULL)
    selected = ferry_transfer_store_find_by_id (self->transfers, self->selected_id);
  if (selected == NULL)
    return;
  app = gtk_window_get_application (GTK_WINDOW (self));
  background = FERRY_IS_APPLICATION (app) ? ferry_application_get_background (FERRY_APPLICATION (app)) : NULL;
  gtk_window_present (GTK_WINDOW (ferry_schedule_dialog_new (GTK_WINDOW (self), selected, background)));
}
