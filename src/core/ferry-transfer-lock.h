/* ferry-transfer-lock.h: one run of a transfer at a time, across processes
 * (DESIGN.md, "Scheduler").
 *
 * An exclusive flock(2) on $XDG_DATA_HOME/ferry/locks/TRANSFER-ID.lock,
 * taken by the run manager for every run (the window's, ferry-cli's and
 * the scheduler's). The kernel drops it when the holder exits, however it
 * exits, so a killed run never leaves a stale lock behind. The data folder
 * and not $XDG_RUNTIME_DIR: ferry-cli from cron has no runtime folder, and
 * tests isolate themselves by setting XDG_DATA_HOME alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _FerryTransferLock FerryTransferLock;

/* $XDG_DATA_HOME/ferry/locks/NAME.lock */
char              *ferry_transfer_lock_dup_path (const char         *name);
/* Takes the lock without waiting: FERRY_ERROR_EXISTS when another process
 * (or another open of it in this one) holds it. */
FerryTransferLock *ferry_transfer_lock_try      (const char         *name,
                                                 GError            **error);
/* Waits for the lock (short critical sections only). */
FerryTransferLock *ferry_transfer_lock_wait     (const char         *name,
                                                 GError            **error);
void               ferry_transfer_lock_release  (FerryTransferLock  *lock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryTransferLock, ferry_transfer_lock_release)

G_END_DECLS
