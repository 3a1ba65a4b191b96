/* ferry-transfer-row.h: one transfer in the Migration Manager.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ferry-background.h"

#include "ferry-connector-store.h"
#include "ferry-run.h"
#include "ferry-transfer.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TRANSFER_ROW (ferry_transfer_row_get_type ())

G_DECLARE_FINAL_TYPE (FerryTransferRow, ferry_transfer_row, FERRY, TRANSFER_ROW, GtkListBoxRow)

/* `background` (may be NULL) gives the schedules to show and says when
 * they change. */
GtkWidget     *ferry_transfer_row_new          (FerryTransfer       *transfer,
                                                FerryConnectorStore *connectors,
                                                FerryBackground     *background);
FerryTransfer *ferry_transfer_row_get_transfer (FerryTransferRow    *self);
/* The run of this session to show (running or ended), or NULL. */
void           ferry_transfer_row_set_run      (FerryTransferRow    *self,
                                                FerryRun            *run);
/* Why the shown run failed, or NULL. */
void           ferry_transfer_row_set_message  (FerryTransferRow    *self,
                                                const char          *message);
/* Reads the latest run from history on a worker thread. */
void           ferry_transfer_row_load_history (FerryTransferRow    *self);
/* What the row says, for tests and accessibility: state and message. */
const char    *ferry_transfer_row_get_state_text  (FerryTransferRow *self);
const char    *ferry_transfer_row_get_counts_text (FerryTransferRow *self);
const char    *ferry_transfer_row_get_status_text (FerryTransferRow *self);
/* The line about the latest verification, "" when there is none. */
const char    *ferry_transfer_row_get_verify_text (FerryTransferRow *self);

G_END_DECLS
