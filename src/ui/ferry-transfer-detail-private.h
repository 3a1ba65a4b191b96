/* ferry-transfer-detail-private.h: what the files of the transfer detail
 * share, as GNOME Text Editor splits its window (editor-window-private.h):
 *
 *  - ferry-transfer-detail.c          the object: which transfer and run it
 *                                     shows, the failed files of that log
 *  - ferry-transfer-detail-log.c      the log view: following the end,
 *                                     Problems Only, the lines, the keys,
 *                                     Copy and Save
 *  - ferry-transfer-detail-history.c  every earlier run, each opening its
 *                                     log and its Migration Report
 *
 * All on the main thread; history is read on worker threads and handed
 * back whole.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-transfer-detail.h"

G_BEGIN_DECLS

struct _FerryTransferDetail
{
  GtkBox parent_instance;

  FerryTransfer *transfer;
  FerryRun *run;
  GListModel *log;            /* the run's log, or lines read from history */
  GListStore *failed;
  char *run_failure;          /* why the shown run failed as a whole, or NULL */
  GPtrArray *records;         /* FerryRunRecord*, newest first */
  guint history_fill_id;      /* History rows still to build (a batch per idle) */
  GCancellable *cancellable;  /* history reads for this transfer */
  GtkFilterListModel *filtered;
  GtkCustomFilter *filter;
  gboolean follow;
  gboolean scroll_pending;     /* scroll to the end after the next frame */
  gint64 last_scroll;         /* when it last did, monotonic */
  guint throttle_source;
  double last_value;          /* the log's scroll position when last seen */
  gboolean in_frame;          /* between the frame clock's before- and after-paint */
  GdkFrameClock *frame_clock;
  int char_width;             /* of the log's monospace font, Pango units; 0: not known */
  int lines_width;            /* the log's width when lines were last fitted */

  GtkStack *stack;
  GtkLabel *run_label;
  GtkToggleButton *problems_toggle;
  GtkScrolledWindow *log_scroller;
  GtkListView *log_view;
  GtkRevealer *jump_revealer;
  GtkStack *failed_stack;
  GtkListBox *failed_list;
  GtkLabel *failed_label;
  AdwStatusPage *failed_none_page;
  GtkWidget *retry_hint;
  GtkWidget *retry_button;
  GtkStack *history_stack;
  GtkListBox *history_list;
};

/* ferry-transfer-detail.c: shows `log` (NULL: none) with `label` above it,
 * and the failed files in it. */
void     _ferry_transfer_detail_set_log       (FerryTransferDetail *self,
                                               GListModel          *log,
                                               const char          *label);

/* The shown log is no longer the live run's. */
void     _ferry_transfer_detail_forget_run    (FerryTransferDetail *self);

/* ferry-transfer-detail-log.c */
void     _ferry_transfer_detail_log_init      (FerryTransferDetail *self);
void     _ferry_transfer_detail_log_realize   (FerryTransferDetail *self);
void     _ferry_transfer_detail_log_unrealize (FerryTransferDetail *self);
void     _ferry_transfer_detail_set_follow    (FerryTransferDetail *self,
                                               gboolean             follow);
void     _ferry_transfer_detail_log_bind_callbacks (GtkWidgetClass *widget_class);

/* ferry-transfer-detail-history.c */
void     _ferry_transfer_detail_history_bind_callbacks (GtkWidgetClass *widget_class);

G_END_DECLS
