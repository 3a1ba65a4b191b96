/* ferry-window-private.h: what the files of the Migration Manager window
 * share (ferry-window.c: the window and its list; ferry-window-actions.c:
 * its actions; ferry-window-runs.c: starting and following runs;
 * ferry-window-schedule.c: the Schedule dialog).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-paced-model.h"
#include "ferry-run-manager.h"
#include "ferry-window.h"

G_BEGIN_DECLS

struct _FerryWindow
{
  AdwApplicationWindow parent_instance;

  GSettings *settings;
  GCancellable *cancellable;
  FerryTransferStore *transfers;
  FerryPacedModel *rows;  /* the transfers the list has rows for (a batch at a time) */
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

/* ferry-window.c */
/* The application's connectors, or NULL before the window has one. */
FerryConnectorStore *_ferry_window_get_connectors (FerryWindow *self);
/* The selected transfer, or NULL. */
FerryTransfer   *_ferry_window_get_selected     (FerryWindow   *self);

/* ferry-window-actions.c */
/* The win.* actions, installed on the class. */
void             _ferry_window_install_actions  (GtkWidgetClass *widget_class);
/* win.reload-connectors: reads the connectors again (also at realize). */
void             _ferry_window_reload_connectors (GtkWidget    *widget,
                                                  const char   *action_name,
                                                  GVariant     *parameter);
/* Frees what a deletion keeps until its Undo toast goes (self->deleted). */
void             _ferry_window_deleted_free     (gpointer       data);

G_END_DECLS
