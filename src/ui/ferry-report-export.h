/* ferry-report-export.h: Migration Report… in the window: a run's outcome
 * records saved as CSV or JSON, as chosen in the file chooser (the
 * portal's), where the user chooses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ferry-report.h"
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

/* The file and format an export writes: the format chosen in the dialog
 * (json_chosen) or else the name's ending, the name ending to match it
 * ("X report.csv" with JSON chosen becomes "X report.json"). */
GFile   *ferry_report_export_choose_format (GFile             *file,
                                            gboolean           json_chosen,
                                            FerryReportFormat *format);

/* Writes the report of `record` to `file` in the calling thread, in the
 * format its name ends with. */
gboolean ferry_report_export_to_file (FerryRunRecord  *record,
                                      GFile           *file,
                                      GCancellable    *cancellable,
                                      GError         **error);

G_END_DECLS
