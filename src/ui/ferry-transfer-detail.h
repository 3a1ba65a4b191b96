/* ferry-transfer-detail.h: the selected transfer's log, failed files and
 * history of runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ferry-run.h"
#include "ferry-transfer.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TRANSFER_DETAIL (ferry_transfer_detail_get_type ())

G_DECLARE_FINAL_TYPE (FerryTransferDetail, ferry_transfer_detail, FERRY, TRANSFER_DETAIL, GtkBox)

GtkWidget     *ferry_transfer_detail_new             (void);
/* Shows `transfer`: the log of `run` (this session's, live or ended) when
 * given, else of its latest run in history. NULL shows nothing. */
void           ferry_transfer_detail_set_transfer    (FerryTransferDetail *self,
                                                      FerryTransfer       *transfer,
                                                      FerryRun            *run);
FerryTransfer *ferry_transfer_detail_get_transfer    (FerryTransferDetail *self);
/* Rereads the history (a run of the shown transfer ended). */
void           ferry_transfer_detail_reload_history  (FerryTransferDetail *self);
/* "log", "failed" or "history". */
void           ferry_transfer_detail_show_page       (FerryTransferDetail *self,
                                                      const char          *page);
/* The lines the log view shows now (after the Problems Only filter). */
GListModel    *ferry_transfer_detail_get_shown_log   (FerryTransferDetail *self);
/* Failed files of the shown run, FerryLogLine items with a path. */
GListModel    *ferry_transfer_detail_get_failed      (FerryTransferDetail *self);
/* The log as text, one formatted line each, as Copy puts it. */
char          *ferry_transfer_detail_dup_log_text    (FerryTransferDetail *self);

G_END_DECLS
