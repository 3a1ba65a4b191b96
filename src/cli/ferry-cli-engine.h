/* ferry-cli-engine.h: the entry points of `ferry-cli transfer`, `run`,
 * `log` and `verify` (ferry-cli-transfer.c and ferry-cli-run.c), and what they share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-cli.h"
#include "ferry-transfer-store.h"
#include "ferry-run-manager.h"

G_BEGIN_DECLS

/* `run` ends with 128 + the signal's number when Ctrl-C (SIGINT) or SIGTERM
 * cancelled it, as shells report a process a signal stopped: 130 or 143. */
#define FERRY_EXIT_SIGNAL_BASE 128

int                 ferry_cli_transfer      (int    argc,
                                             char **argv);
int                 ferry_cli_run           (int    argc,
                                             char **argv);
/* ferry-cli-history.c */
int                 ferry_cli_history       (int    argc,
                                             char **argv);
int                 ferry_cli_log           (int    argc,
                                             char **argv);
int                 ferry_cli_report        (int    argc,
                                             char **argv);
/* ferry-cli-schedule.c */
int                 ferry_cli_schedule      (int    argc,
                                             char **argv);
int                 ferry_cli_verify        (int    argc,
                                             char **argv);

/* Ctrl-C (SIGINT) and SIGTERM while `run` or `verify` waits for its run:
 * each cancels `cancellable`, and the first one's number is kept for the
 * exit code (FERRY_EXIT_SIGNAL_BASE + number). */
typedef struct
{
  GCancellable *cancellable;
  int           number;      /* the first signal, or 0 */
  guint         sigint_id;
  guint         sigterm_id;
} FerryCliSignals;

void                ferry_cli_signals_watch   (FerryCliSignals *signals,
                                               GCancellable    *cancellable);
void                ferry_cli_signals_unwatch (FerryCliSignals *signals);
/* FERRY_EXIT_SIGNAL_BASE + the signal that cancelled the run (SIGINT when
 * it was cancelled otherwise). */
int                 ferry_cli_signals_exit    (const FerryCliSignals *signals);

/* A run manager for `transfer`, with the keyring's connectors when the
 * transfer needs a password; NULL with the error printed and *exit_code
 * set. */
FerryRunManager    *ferry_cli_new_run_manager (FerryTransfer *transfer,
                                               int           *exit_code);
/* The saved transfers; NULL with the error printed and *exit_code set. */
FerryTransferStore *ferry_cli_load_transfers (int        *exit_code);
/* The saved transfer `name`, borrowed from *store, which is loaded for it
 * and keeps it alive; NULL with the error printed and *exit_code set (2
 * when there is no such transfer). */
FerryTransfer      *ferry_cli_load_transfer  (const char          *name,
                                              FerryTransferStore **store,
                                              int                 *exit_code);

G_END_DECLS
