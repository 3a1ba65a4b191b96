/* ferry-transfer-store.h: the saved transfers, as a GListModel of
 * FerryTransfer, one key file each in $XDG_CONFIG_HOME/ferry/transfers/.
 *
 * Files are written atomically (a temporary file, fsync, rename), so a crash
 * never leaves a half-written transfer. The calls are quick local file I/O.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ferry-transfer.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TRANSFER_STORE (ferry_transfer_store_get_type ())

G_DECLARE_FINAL_TYPE (FerryTransferStore, ferry_transfer_store, FERRY, TRANSFER_STORE, GObject)

FerryTransferStore *ferry_transfer_store_new          (void);
/* $XDG_CONFIG_HOME/ferry/transfers */
char               *ferry_transfer_store_dup_folder   (void);

/* Reads every saved transfer; files that do not parse are skipped with a
 * warning, so one broken file does not hide the others. */
gboolean            ferry_transfer_store_load         (FerryTransferStore *self,
                                                       GError            **error);
/* The same, the files read on a worker thread; _finish() fills the store
 * (on the caller's thread). */
void                ferry_transfer_store_load_async   (FerryTransferStore  *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            ferry_transfer_store_load_finish  (FerryTransferStore  *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
/* Follows the folder from now on (GFileMonitor): transfers added, edited
 * or removed by another process (ferry-cli) are read in on a thread and
 * merged, items that did not change keeping their objects. Changes this
 * store makes itself merge as no change. */
void                ferry_transfer_store_watch        (FerryTransferStore *self);
/* Borrowed; NULL when there is none. Names compare case-insensitively. */
FerryTransfer      *ferry_transfer_store_find_by_name (FerryTransferStore *self,
                                                       const char         *name);
FerryTransfer      *ferry_transfer_store_find_by_id   (FerryTransferStore *self,
                                                       const char         *id);
/* Adds or replaces (same id) after validating; another transfer with the
 * same name is FERRY_ERROR_EXISTS. */
/* Writes the transfer's file only (atomically), for a change the store's
 * list already shows: the one-time rewrite of old FTP paths. */
gboolean            ferry_transfer_store_write        (FerryTransfer      *transfer,
                                                       GError            **error);
gboolean            ferry_transfer_store_save         (FerryTransferStore *self,
                                                       FerryTransfer      *transfer,
                                                       GError            **error);
/* Removes the transfer's file and its item; what else was kept for it
 * stays until ferry_transfer_store_forget() (the window's Undo needs it). */
gboolean            ferry_transfer_store_remove       (FerryTransferStore *self,
                                                       FerryTransfer      *transfer,
                                                       GError            **error);
/* Whether the transfer's file is on disk now (whatever a store loaded). */
gboolean            ferry_transfer_store_exists       (const char         *transfer_id);
/* The one way to forget a removed transfer, for every front end: the
 * history of its runs (summaries, logs, journals, records), its schedule
 * rule and state (and the autostart entry when that was the last rule) and
 * its lock file. FERRY_ERROR_EXISTS, with nothing forgotten, while a run of
 * it holds the lock in any process. Blocking local I/O: from a thread in
 * the UI. */
gboolean            ferry_transfer_store_forget       (const char         *transfer_id,
                                                       GError            **error);

G_END_DECLS
