/* ferry-report-export.h: Migration Report… in the window: a run's outcome
 * records saved as CSV (or JSON, by the name's ending) where the user
 * chooses, through the file chooser portal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ferry-run-history.h"
#include "ferry-transfer.h"

G_BEGIN_DECLS

/* `record` NULL for the transfer's latest run. `done` gets a message for a
 * toast (the file saved, or why not) on the main thread. */
void ferry_report_export (GtkWindow      *parent,
                          FerryTransfer  *transfer,
                          FerryRunRecord *record,
                          void          (*done) (gpointer    user_data,
                                                 const char *message),
                          gpointer        user_data);

/* Writes the report of `record` to `file` in the calling thread. */
gboolean ferry_report_export_to_file (FerryRunRecord  *record,
                                      GFile           *file,
                                      GCancellable    *cancellable,
                                      GError         **error);

G_END_DECLS
