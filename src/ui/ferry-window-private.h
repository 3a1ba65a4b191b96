/* ferry-window-private.h: what the files of the Migration Manager window
 * share (ferry-window.c: the window, its list and actions;
 * ferry-window-runs.c: starting and following runs).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-run-manager.h"
#include "ferry-window.h"

G_BEGIN_DECLS

struct _FerryWindow
{
  AdwApplicationWindow parent_instance;

  GSettings *settings;
  GCancellable *cancellable;
  FerryTransferStore *transfers;
  GHashTable *runs;       /* transfer id → FerryRun, this session's latest */
  GHashTable *messages;   /* transfer id → why that run failed */
  GHashTable *active;     /* transfer ids being set up or running */
  GHashTable *deleted;    /* transfer id → the transfer and its rule, until the undo toast goes */
  char *selected_id;
  gboolean connectors_loaded;
  gboolean closing;
  GApplication *quit_app; /* Quit asked: quit it once the window is gone */
  gboolean following;     /* the run manager's signals are connected */
  GtkWindow *wizard;

  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  AdwStatusPage *empty_page;
  GtkButton *empty_authorize_button;
  GtkButton *empty_new_transfer_button;
  GtkRevealer *keyring_banner;
  GtkLabel *keyring_label;
  AdwWindowTitle *window_title;
  GtkListBox *transfer_list;
  FerryTransferDetail *detail;
  GtkStack *detail_stack;
  GtkButton *start_button;
  GtkButton *stop_button;
};

void             _ferry_window_toast            (FerryWindow   *self,
                                                 const char    *text);
gboolean         _ferry_window_is_active        (FerryWindow   *self,
                                                 const char    *id);
void             _ferry_window_update_actions   (FerryWindow   *self);
void             _ferry_window_update_title     (FerryWindow   *self);
FerryRunManager *_ferry_window_get_run_manager  (FerryWindow   *self);
/* Copies what the verification `run_id` of `transfer` found missing or
 * different (Verify → Copy Again). */
void             _ferry_window_copy_again       (FerryWindow   *self,
                                                 FerryTransfer *transfer,
                                                 const char    *run_id);
void             _ferry_window_start_transfer   (FerryWindow   *self,
                                                 FerryTransfer *transfer);
/* win.schedule: the Schedule dialog for the selected transfer
 * (ferry-window-schedule.c). */
void             _ferry_window_schedule         (GtkWidget     *widget,
                                                 const char    *action_name,
                                                 GVariant      *parameter);
/* Connects to the run manager once the window has its application. */
void             _ferry_window_follow_runs      (FerryWindow   *self);

G_END_DECLS
