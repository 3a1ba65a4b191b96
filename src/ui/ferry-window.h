/* ferry-window.h: the Migration Manager window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ferry-application.h"
#include "ferry-run.h"
#include "ferry-transfer-detail.h"
#include "ferry-transfer-row.h"
#include "ferry-transfer-store.h"
#include "ferry-transfer-wizard.h"

G_BEGIN_DECLS

#define FERRY_TYPE_WINDOW (ferry_window_get_type ())

G_DECLARE_FINAL_TYPE (FerryWindow, ferry_window, FERRY, WINDOW, AdwApplicationWindow)

FerryWindow         *ferry_window_new                (FerryApplication *application);

FerryTransferStore  *ferry_window_get_transfer_store (FerryWindow      *self);
/* This session's latest run of `transfer` (running or ended), or NULL. */
FerryRun            *ferry_window_get_run            (FerryWindow      *self,
                                                      FerryTransfer    *transfer);
/* Whether any run is being set up or running. */
guint                ferry_window_get_n_active       (FerryWindow      *self);
void                 ferry_window_select_transfer    (FerryWindow      *self,
                                                      FerryTransfer    *transfer);
FerryTransferRow    *ferry_window_find_row           (FerryWindow      *self,
                                                      FerryTransfer    *transfer);
FerryTransferDetail *ferry_window_get_detail         (FerryWindow      *self);
/* Quit (Ctrl+Q): closes the window as its close button does, asking first
 * while transfers run, then quits the application, scheduler included. */
void                 ferry_window_quit               (FerryWindow      *self);
/* The Transfer Wizard this window opened and that is still open, or NULL. */
FerryTransferWizard *ferry_window_get_wizard         (FerryWindow      *self);

G_END_DECLS
