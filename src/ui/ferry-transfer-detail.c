/* ferry-transfer-detail.c: what the Migration Manager shows for the selected
 * transfer: the log of its run (ferry-transfer-detail-log.c), the files
 * that failed with the server's reason and Retry Failed (here), every
 * earlier run (ferry-transfer-detail-history.c). A live log is the run's
 * own GListModel, bound, never copied.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-run-history.h"
#include "ferry-transfer-detail-private.h"

G_DEFINE_FINAL_TYPE (FerryTransferDetail, ferry_transfer_detail, GTK_TYPE_BOX)

static void update_run_label (FerryTransferDetail *self);

/* --- failed files ------------------------------------------------------------ */

static void
add_failed_row (FerryTransferDetail *self,
                FerryLogLine        *line)
{
  g_autofree char *path = g_utf8_make_valid (ferry_log_line_get_path (line), -1);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), path);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), ferry_log_line_get_message (line));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-error-symbolic"));
  gtk_list_box_append (self->failed_list, row);
}

static void
update_failed_view (FerryTransferDetail *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->failed));
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file failed in this run",
                                                        "%u files failed in this run", n), n);

  gtk_label_set_text (self->failed_label, text);
  gtk_stack_set_visible_child_name (self->failed_stack, n > 0 ? "list" : "none");
  /* The engine has no run of a chosen few files: Retry Failed reruns the
   * transfer, which copies what failed (and what changed since) and skips
   * the rest as identical. Said plainly, and only where it applies. */
  gtk_widget_set_visible (self->retry_hint, n > 0);
  gtk_widget_set_visible (self->retry_button, n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->failed_label), n > 0);

  /* No file failed because the run never got to them: not a green tick. */
  if (self->run_failure != NULL)
    {
      adw_status_page_set_icon_name (self->failed_none_page, "dialog-warning-symbolic");
      adw_status_page_set_title (self->failed_none_page, _("No File Failed on Its Own"));
      adw_status_page_set_description (self->failed_none_page, self->run_failure);
    }
  else
    {
      adw_status_page_set_icon_name (self->failed_none_page, "emblem-ok-symbolic");
      adw_status_page_set_title (self->failed_none_page, _("No Failed Files"));
      adw_status_page_set_description (self->failed_none_page, NULL);
    }
}

static void
scan_failed (FerryTransferDetail *self,
             guint                from,
             guint                to)
{
  for (guint i = from; i < to; i++)
    {
      g_autoptr(FerryLogLine) line = g_list_model_get_item (self->log, i);

      if (ferry_log_line_is_file_failure (line))
        {
          g_list_store_append (self->failed, line);
          add_failed_row (self, line);
        }
      else if (ferry_log_line_get_kind (line) == FERRY_LOG_KIND_RUN_FAILED)
        {
          /* The run's own failure: the page without failed files says so
           * instead of showing a tick. */
          g_free (self->run_failure);
          self->run_failure = g_utf8_make_valid (ferry_log_line_get_text (line), -1);
        }
    }
  if (to > from)
    update_failed_view (self);
}

static void
on_log_items_changed (FerryTransferDetail *self,
                      guint                position,
                      guint                removed,
                      guint                added)
{
  /* The engine only ever appends. */
  scan_failed (self, position, position + added);
}

void
_ferry_transfer_detail_set_log (FerryTransferDetail *self,
                                GListModel          *log,
                                const char          *label)
{
  GtkWidget *child;

  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);
  g_set_object (&self->log, log);
  gtk_filter_list_model_set_model (self->filtered, log);

  g_list_store_remove_all (self->failed);
  g_clear_pointer (&self->run_failure, g_free);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->failed_list))) != NULL)
    gtk_list_box_remove (self->failed_list, child);
  update_failed_view (self);
  if (log != NULL)
    {
      g_signal_connect_object (log, "items-changed", G_CALLBACK (on_log_items_changed), self,
                               G_CONNECT_SWAPPED);
      scan_failed (self, 0, g_list_model_get_n_items (log));
    }
  gtk_label_set_text (self->run_label, label != NULL ? label : "");
  _ferry_transfer_detail_set_follow (self, TRUE);
}

/* --- object ------------------------------------------------------------------ */

static void
ferry_transfer_detail_realize (GtkWidget *widget)
{
  FerryTransferDetail *self = FERRY_TRANSFER_DETAIL (widget);

  GTK_WIDGET_CLASS (ferry_transfer_detail_parent_class)->realize (widget);

  _ferry_transfer_detail_log_realize (self);
}

static void
ferry_transfer_detail_unrealize (GtkWidget *widget)
{
  FerryTransferDetail *self = FERRY_TRANSFER_DETAIL (widget);

  _ferry_transfer_detail_log_unrealize (self);

  GTK_WIDGET_CLASS (ferry_transfer_detail_parent_class)->unrealize (widget);
}

static void
ferry_transfer_detail_dispose (GObject *object)
{
  FerryTransferDetail *self = FERRY_TRANSFER_DETAIL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->throttle_source, g_source_remove);
  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);
  g_clear_object (&self->log);
  g_clear_object (&self->run);
  g_clear_object (&self->transfer);
  g_clear_object (&self->failed);
  g_clear_pointer (&self->run_failure, g_free);
  g_clear_handle_id (&self->history_fill_id, g_source_remove);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_TRANSFER_DETAIL);
  g_clear_object (&self->filtered);

  G_OBJECT_CLASS (ferry_transfer_detail_parent_class)->dispose (object);
}

static void
ferry_transfer_detail_class_init (FerryTransferDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_transfer_detail_dispose;
  widget_class->realize = ferry_transfer_detail_realize;
  widget_class->unrealize = ferry_transfer_detail_unrealize;

  gtk_widget_class_set_template_from_resource (widget_class, APPLICATION_PATH "/ferry-transfer-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, run_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, problems_toggle);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, log_scroller);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, log_view);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, jump_revealer);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, failed_stack);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, failed_list);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, failed_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, failed_none_page);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, retry_hint);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, retry_button);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, history_stack);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, history_list);
  _ferry_transfer_detail_log_bind_callbacks (widget_class);
  _ferry_transfer_detail_history_bind_callbacks (widget_class);
}

static void
ferry_transfer_detail_init (FerryTransferDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->failed = g_list_store_new (FERRY_TYPE_LOG_LINE);
  _ferry_transfer_detail_log_init (self);
  update_failed_view (self);
}

static void
update_run_label (FerryTransferDetail *self)
{
  FerryRunState state;
  g_autofree char *text = NULL;

  if (self->run == NULL)
    return;
  state = ferry_run_get_state (self->run);
  if (ferry_run_get_kind (self->run) == FERRY_RUN_KIND_VERIFY)
    {
      FerryRunResult result = state == FERRY_RUN_STATE_FAILED ? FERRY_RUN_RESULT_FAILED
                              : state == FERRY_RUN_STATE_CANCELLED ? FERRY_RUN_RESULT_CANCELLED
                              : ferry_run_get_differences (self->run) > 0 ? FERRY_RUN_RESULT_DIFFERS
                              : FERRY_RUN_RESULT_MATCHES;

      /* A verification is no run that copied: its own words. */
      if (state == FERRY_RUN_STATE_RUNNING || state == FERRY_RUN_STATE_IDLE)
        text = g_strdup (_("The verification in progress"));
      else
        /* Translators: above the log of a verification, with how it ended ("Verified") */
        text = g_strdup_printf (_("The latest verification · %s"),
                                ferry_run_result_get_label (result, FERRY_RUN_KIND_VERIFY));
    }
  else if (state == FERRY_RUN_STATE_RUNNING || state == FERRY_RUN_STATE_IDLE)
    text = g_strdup (_("The run in progress"));
  else if (state == FERRY_RUN_STATE_COMPLETED && ferry_run_get_files_done (self->run) == 0
           && ferry_run_get_files_total (self->run) > 0)
    /* Translators: above the log of a run that found nothing to copy */
    text = g_strdup_printf (_("The latest run · %s"), _("Up to date"));
  else
    /* Translators: above the log of a run of this session, with how it ended */
    text = g_strdup_printf (_("The latest run · %s"), ferry_run_state_get_label (state));
  gtk_label_set_text (self->run_label, text);
}

void
_ferry_transfer_detail_forget_run (FerryTransferDetail *self)
{
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_func (self->run, update_run_label, self);
  g_clear_object (&self->run);
}

GtkWidget *
ferry_transfer_detail_new (void)
{
  return g_object_new (FERRY_TYPE_TRANSFER_DETAIL, NULL);
}

void
ferry_transfer_detail_set_transfer (FerryTransferDetail *self,
                                    FerryTransfer       *transfer,
                                    FerryRun            *run)
{
  g_return_if_fail (FERRY_IS_TRANSFER_DETAIL (self));
  g_return_if_fail (transfer == NULL || FERRY_IS_TRANSFER (transfer));
  g_return_if_fail (run == NULL || FERRY_IS_RUN (run));

  if (self->transfer != transfer)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      g_set_object (&self->transfer, transfer);
    }
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_func (self->run, update_run_label, self);
  g_set_object (&self->run, run);
  if (run != NULL)
    {
      _ferry_transfer_detail_set_log (self, ferry_run_get_log (run), NULL);
      g_signal_connect_object (run, "notify::state", G_CALLBACK (update_run_label), self, G_CONNECT_SWAPPED);
      update_run_label (self);
    }
  else
    _ferry_transfer_detail_set_log (self, NULL, NULL);
  if (transfer != NULL)
    ferry_transfer_detail_reload_history (self);
}

FerryTransfer *
ferry_transfer_detail_get_transfer (FerryTransferDetail *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_DETAIL (self), NULL);

  return self->transfer;
}

void
ferry_transfer_detail_show_page (FerryTransferDetail *self,
                                 const char          *page)
{
  g_return_if_fail (FERRY_IS_TRANSFER_DETAIL (self));

  gtk_stack_set_visible_child_name (self->stack, page);
  if (g_str_equal (page, "log"))
    gtk_widget_grab_focus (GTK_WIDGET (self->log_view));
}

GListModel *
ferry_transfer_detail_get_shown_log (FerryTransferDetail *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_DETAIL (self), NULL);

  return G_LIST_MODEL (self->filtered);
}

GListModel *
ferry_transfer_detail_get_failed (FerryTransferDetail *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_DETAIL (self), NULL);

  return G_LIST_MODEL (self->failed);
}
