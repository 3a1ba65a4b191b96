/* ferry-transfer-detail-history.c: every earlier run of the shown
 * transfer, copies and verifications, each in its kind's words
 * (ferry_run_record_describe()), opening its log when activated and
 * saving its Migration Report (see ferry-transfer-detail-private.h). The
 * history and a chosen log are read on worker threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-report-export.h"
#include "ferry-run-history.h"
#include "ferry-transfer-detail-private.h"

/* "Run of 2026-12-06 10:09:12", "Verification of 2026-12-06 10:09:12". */
static char *
record_when (FerryRunRecord *record)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (record->started);
  g_autofree char *stamp = when != NULL ? g_date_time_format (when, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");

  if (record->kind == FERRY_RUN_KIND_VERIFY)
    /* Translators: a verification's start time */
    return g_strdup_printf (_("Verification of %s"), stamp);
  /* Translators: a copy run's start time */
  return g_strdup_printf (_("Run of %s"), stamp);
}

/* Above a run's log: when, how it ended in its kind's words, and what it
 * found or did ("… · Verified · 1 file differs (content)"): "Verified"
 * alone would read as a clean bill after a verification that found
 * differences. */
static char *
record_label (FerryRunRecord *record)
{
  g_autofree char *when = record_when (record);
  g_autofree char *what = ferry_run_record_describe (record);

  /* Translators: a run's start time and what it did */
  return g_strdup_printf (_("%s · %s"), when, what);
}

/* History rows built per main-loop iteration. */
#define HISTORY_ROWS_PER_BATCH 5

static void
on_history_report (GtkButton *button,
                   gpointer   user_data)
{
  FerryTransferDetail *self = user_data;
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->records == NULL || index >= self->records->len || self->transfer == NULL)
    return;
  ferry_report_export (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->transfer,
                       g_ptr_array_index (self->records, index), NULL, NULL);
}

typedef struct
{
  char *label;
  GListModel *lines;
} LogData;

static void
log_data_free (LogData *data)
{
  g_free (data->label);
  g_clear_object (&data->lines);
  g_free (data);
}

/* The journal is indexed here, off the main thread; lines are parsed only
 * when the view asks for them. */
static void
read_log_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  FerryRunRecord *record = task_data;
  g_autoptr(GError) error = NULL;
  LogData *data = g_new0 (LogData, 1);

  data->label = record_label (record);
  data->lines = ferry_run_history_open_log (record, &error);
  if (data->lines == NULL)
    {
      GListStore *store = g_list_store_new (FERRY_TYPE_LOG_LINE);
      g_autoptr(FerryLogLine) line = ferry_log_line_new (record->started, FERRY_LOG_ERROR,
                                                         FERRY_LOG_KIND_NOTE, NULL, error->message);

      g_list_store_append (store, line);
      data->lines = G_LIST_MODEL (store);
    }
  g_task_return_pointer (task, data, (GDestroyNotify) log_data_free);
}

static void
log_read (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(FerryTransferDetail) self = user_data;
  LogData *data = g_task_propagate_pointer (G_TASK (result), NULL);

  if (data != NULL && !g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    _ferry_transfer_detail_set_log (self, data->lines, data->label);
  g_clear_pointer (&data, log_data_free);
}

static FerryRunRecord *
copy_record (FerryRunRecord *record)
{
  FerryRunRecord *copy = g_new0 (FerryRunRecord, 1);

  *copy = *record;
  copy->transfer_id = g_strdup (record->transfer_id);
  copy->run_id = g_strdup (record->run_id);
  copy->message = g_strdup (record->message);
  copy->boot_id = g_strdup (record->boot_id);
  copy->log_fd = -1;
  copy->journal_fd = -1;
  return copy;
}

static void
show_record_log (FerryTransferDetail *self,
                 FerryRunRecord      *record)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, log_read, g_object_ref (self));

  g_task_set_source_tag (task, show_record_log);
  g_task_set_task_data (task, copy_record (record), (GDestroyNotify) ferry_run_record_free);
  g_task_run_in_thread (task, read_log_thread);
}

static void
on_history_activated (FerryTransferDetail *self,
                      GtkListBoxRow       *row)
{
  guint index = gtk_list_box_row_get_index (row);

  if (self->records == NULL || index >= self->records->len)
    return;
  /* Another run's log: not the live one any more. */
  _ferry_transfer_detail_forget_run (self);
  show_record_log (self, g_ptr_array_index (self->records, index));
  gtk_stack_set_visible_child_name (self->stack, "log");
}

/* One row of History: what a run did, when, and its report button. */
static GtkWidget *
history_row_new (FerryTransferDetail *self,
                 guint                index)
{
  FerryRunRecord *record = g_ptr_array_index (self->records, index);
  /* What it did, in its kind's words (ferry-run-history.h): never
   * "Copied 184 files" for a verification. */
  g_autofree char *title = ferry_run_record_describe (record);
  g_autofree char *subtitle = record_when (record);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *report;

  if (record->scheduled)
    {
      /* Translators: a run in History the scheduler started:
       * "Completed · 3 files copied (1.2 kB) · Scheduled" */
      char *marked = g_strdup_printf (_("%s · Scheduled"), title);

      g_free (title);
      title = marked;
    }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  /* This run's Migration Report, as User Actions gives the latest's. */
  report = gtk_button_new_from_icon_name ("document-save-as-symbolic");
  gtk_widget_set_valign (report, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (report, "flat");
  gtk_widget_set_tooltip_text (report, _("Save this run’s Migration Report"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (report), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Save this run’s Migration Report"), -1);
  g_object_set_data (G_OBJECT (report), "index", GUINT_TO_POINTER (index));
  g_signal_connect_object (report, "clicked", G_CALLBACK (on_history_report), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), report);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

/* A batch of rows per main-loop iteration, below redraws: 100 runs of
 * history built at once held the main loop for half a second. */
static gboolean
fill_history (gpointer user_data)
{
  FerryTransferDetail *self = user_data;
  GtkWidget *last = gtk_widget_get_last_child (GTK_WIDGET (self->history_list));
  guint n = GTK_IS_LIST_BOX_ROW (last) ? (guint) gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (last)) + 1 : 0;

  for (guint i = 0; i < HISTORY_ROWS_PER_BATCH && n < self->records->len; i++, n++)
    gtk_list_box_append (self->history_list, history_row_new (self, n));
  if (n < self->records->len)
    return G_SOURCE_CONTINUE;
  self->history_fill_id = 0;
  return G_SOURCE_REMOVE;
}

static void
history_listed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(FerryTransferDetail) self = user_data;
  g_autoptr(GPtrArray) records = g_task_propagate_pointer (G_TASK (result), NULL);
  GtkWidget *child;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  g_clear_handle_id (&self->history_fill_id, g_source_remove);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, child);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  self->records = g_steal_pointer (&records);
  if (self->records == NULL)
    self->records = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_run_record_free);

  /* The newest at once, the rest from an idle callback. */
  for (guint i = 0; i < HISTORY_ROWS_PER_BATCH && i < self->records->len; i++)
    gtk_list_box_append (self->history_list, history_row_new (self, i));
  if (self->records->len > HISTORY_ROWS_PER_BATCH)
    self->history_fill_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, fill_history, self, NULL);
  gtk_stack_set_visible_child_name (self->history_stack, self->records->len > 0 ? "list" : "none");

  /* Nothing live to show: the latest run's log. */
  if (self->run == NULL)
    {
      if (self->records->len > 0)
        show_record_log (self, g_ptr_array_index (self->records, 0));
      else
        _ferry_transfer_detail_set_log (self, NULL, _("This transfer has not run yet"));
    }
}

static void
list_history_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GPtrArray *records = ferry_run_history_list (task_data, NULL);

  g_task_return_pointer (task, records, (GDestroyNotify) g_ptr_array_unref);
}

void
ferry_transfer_detail_reload_history (FerryTransferDetail *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FERRY_IS_TRANSFER_DETAIL (self));

  if (self->transfer == NULL)
    return;
  task = g_task_new (NULL, self->cancellable, history_listed, g_object_ref (self));
  g_task_set_source_tag (task, ferry_transfer_detail_reload_history);
  g_task_set_task_data (task, g_strdup (ferry_transfer_get_id (self->transfer)), g_free);
  g_task_run_in_thread (task, list_history_thread);
}

void
_ferry_transfer_detail_history_bind_callbacks (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_history_activated);
}
