/* ferry-window-actions.c: the Migration Manager window's actions, as
 * GNOME Text Editor keeps editor-window-actions.c beside editor-window.c:
 * New Transfer, Edit, Start Migrating ↔ Stop (and Retry Failed), Preview,
 * Verify, Migration Report, View Log, Duplicate, Delete (confirmed,
 * undoable), Open Destination Folder, Schedule (ferry-window-schedule.c),
 * Connectors and their reload. Installed on the class by
 * _ferry_window_install_actions(); the window's state they read and change
 * is in ferry-window-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "ferry-accessible.h"
#include "ferry-connectors-window.h"
#include "ferry-error.h"
#include "ferry-run-history.h"
#include "ferry-run-manager.h"
#include "ferry-preview-dialog.h"
#include "ferry-report-export.h"
#include "ferry-schedule-store.h"
#include "ferry-verify-dialog.h"
#include "ferry-window-private.h"

static void
on_wizard_done (FerryWindow   *self,
                FerryTransfer *transfer,
                gboolean       start)
{
  FerryTransfer *saved = ferry_transfer_store_find_by_id (self->transfers, ferry_transfer_get_id (transfer));

  if (saved == NULL)
    return;
  ferry_window_select_transfer (self, saved);
  if (start)
    _ferry_window_start_transfer (self, saved);
}

/* Start Migrating in a Preview opened from the wizard: the wizard saves
 * and starts, as its own Start Migrating does. */
static void
on_wizard_preview_start (GtkWidget     *wizard,
                         FerryTransfer *transfer)
{
  gtk_widget_activate_action (wizard, "wizard.start", NULL);
}

/* The wizard's Preview…: what it holds, unsaved, over the wizard, which
 * stays open for the filters to be adjusted. */
static void
on_wizard_preview (FerryWindow         *self,
                   FerryTransfer       *transfer,
                   FerryTransferWizard *wizard)
{
  FerryRunManager *manager = _ferry_window_get_run_manager (self);
  FerryPreviewDialog *dialog;

  if (manager == NULL)
    return;
  dialog = ferry_preview_dialog_new (GTK_WINDOW (wizard), manager, transfer);
  g_signal_connect_object (dialog, "start", G_CALLBACK (on_wizard_preview_start), wizard, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_wizard (FerryWindow   *self,
             FerryTransfer *transfer)
{
  FerryConnectorStore *connectors = _ferry_window_get_connectors (self);
  FerryTransferWizard *wizard;

  if (connectors == NULL)
    return;
  if (self->wizard != NULL)
    gtk_window_destroy (self->wizard);
  wizard = ferry_transfer_wizard_new (GTK_WINDOW (self), connectors, self->transfers, transfer);
  g_signal_connect_object (wizard, "done", G_CALLBACK (on_wizard_done), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (wizard, "preview", G_CALLBACK (on_wizard_preview), self, G_CONNECT_SWAPPED);
  self->wizard = GTK_WINDOW (wizard);
  g_object_add_weak_pointer (G_OBJECT (wizard), (gpointer *) &self->wizard);
  gtk_window_present (GTK_WINDOW (wizard));
}

static void
ferry_window_new_transfer (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  open_wizard (FERRY_WINDOW (widget), NULL);
}

static void
ferry_window_edit (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  FerryTransfer *selected = _ferry_window_get_selected (self);

  if (selected != NULL && !_ferry_window_is_active (self, self->selected_id))
    open_wizard (self, selected);
}

static void
ferry_window_start (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  FerryTransfer *selected = _ferry_window_get_selected (self);

  if (selected != NULL)
    _ferry_window_start_transfer (self, selected);
}

static void
ferry_window_stop (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  FerryRunManager *manager = _ferry_window_get_run_manager (self);

  if (self->selected_id == NULL || !_ferry_window_is_active (self, self->selected_id) || manager == NULL)
    return;
  ferry_run_manager_stop (manager, self->selected_id);
}

static void
on_preview_start (FerryWindow   *self,
                  FerryTransfer *transfer)
{
  FerryTransfer *saved = ferry_transfer_store_find_by_id (self->transfers, ferry_transfer_get_id (transfer));

  if (saved != NULL)
    _ferry_window_start_transfer (self, saved);
}

static void
ferry_window_preview (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  FerryTransfer *selected = _ferry_window_get_selected (self);
  FerryRunManager *manager = _ferry_window_get_run_manager (self);
  FerryPreviewDialog *dialog;

  if (selected == NULL || manager == NULL || _ferry_window_is_active (self, self->selected_id))
    return;
  dialog = ferry_preview_dialog_new (GTK_WINDOW (self), manager, selected);
  g_signal_connect_object (dialog, "start", G_CALLBACK (on_preview_start), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
ferry_window_verify (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  FerryTransfer *selected = _ferry_window_get_selected (self);
  FerryRunManager *manager = _ferry_window_get_run_manager (self);
  FerryVerifyDialog *dialog;

  if (selected == NULL || manager == NULL || _ferry_window_is_active (self, self->selected_id))
    return;
  dialog = ferry_verify_dialog_new (GTK_WINDOW (self), manager, selected);
  /* Copy Again copies what that verification found (ferry-window-runs.c). */
  g_signal_connect_object (dialog, "copy-again", G_CALLBACK (_ferry_window_copy_again), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
report_saved (gpointer    user_data,
              const char *message)
{
  g_autoptr(FerryWindow) self = user_data;

  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    _ferry_window_toast (self, message);
}

static void
ferry_window_report (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  FerryTransfer *selected = _ferry_window_get_selected (self);

  if (selected != NULL)
    ferry_report_export (GTK_WINDOW (self), selected, NULL, report_saved, g_object_ref (self));
}

static void
ferry_window_view_log (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  if (_ferry_window_get_selected (self) != NULL)
    ferry_transfer_detail_show_page (self->detail, "log");
}

static void
ferry_window_duplicate (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  FerryTransfer *selected = _ferry_window_get_selected (self);
  g_autoptr(FerryTransfer) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (selected == NULL)
    return;
  copy = ferry_transfer_new ();
  ferry_transfer_set_source_connector_id (copy, ferry_transfer_get_source_connector_id (selected));
  ferry_transfer_set_source_path (copy, ferry_transfer_get_source_path (selected));
  ferry_transfer_set_destination_connector_id (copy, ferry_transfer_get_destination_connector_id (selected));
  ferry_transfer_set_destination_path (copy, ferry_transfer_get_destination_path (selected));
  ferry_transfer_copy_options (copy, selected);
  /* Translators: the name of a duplicated transfer */
  name = g_strdup_printf (_("%s (copy)"), ferry_transfer_get_name (selected));
  for (guint i = 2; ferry_transfer_store_find_by_name (self->transfers, name) != NULL && i < 1000; i++)
    {
      g_free (name);
      name = g_strdup_printf (_("%s (copy %u)"), ferry_transfer_get_name (selected), i);
    }
  ferry_transfer_set_name (copy, name);
  if (!ferry_transfer_store_save (self->transfers, copy, &error))
    {
      _ferry_window_toast (self, error->message);
      return;
    }
  ferry_window_select_transfer (self, copy);
  open_wizard (self, copy);
}

/* What a deletion keeps until its Undo toast goes: the transfer, and its
 * schedule rule, which the scheduler may prune meanwhile (its file is
 * gone) and Undo puts back. */
typedef struct
{
  FerryTransfer     *transfer;
  FerryScheduleRule  rule;
} Deleted;

void
_ferry_window_deleted_free (gpointer data)
{
  Deleted *deleted = data;

  g_clear_object (&deleted->transfer);
  g_free (deleted);
}

static void
forget_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  if (!ferry_transfer_store_forget (task_data, &error))
    g_warning ("Could not forget the deleted transfer %s: %s", (char *) task_data, error->message);
  g_task_return_boolean (task, TRUE);
}

static void
on_delete_toast_dismissed (AdwToast    *toast_,
                           FerryWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (toast_), "ferry-id");
  g_autoptr(GTask) task = NULL;

  /* Undone meanwhile, or the window is going (dispose forgot it). */
  if (self->deleted == NULL || !g_hash_table_remove (self->deleted, id))
    return;
  g_hash_table_remove (self->runs, id);
  g_hash_table_remove (self->messages, id);
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_task_data (task, g_strdup (id), g_free);
  g_task_run_in_thread (task, forget_thread);
}

static void
delete_transfer (FerryWindow   *self,
                 FerryTransfer *transfer)
{
  g_autoptr(FerryTransfer) kept = g_object_ref (transfer);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *escaped = NULL;
  const char *id = ferry_transfer_get_id (kept);
  Deleted *deleted;
  AdwToast *undo;

  deleted = g_new0 (Deleted, 1);
  /* One small key file, read before the transfer's file goes. */
  ferry_schedule_store_get (id, &deleted->rule);
  if (!ferry_transfer_store_remove (self->transfers, kept, &error))
    {
      g_free (deleted);
      _ferry_window_toast (self, error->message);
      return;
    }
  deleted->transfer = g_object_ref (kept);
  g_hash_table_replace (self->deleted, g_strdup (id), deleted);

  escaped = g_markup_escape_text (ferry_transfer_get_name (kept), -1);
  /* Translators: a toast after Delete, with Undo */
  title = g_strdup_printf (_("“%s” deleted"), escaped);
  undo = adw_toast_new (title);
  adw_toast_set_button_label (undo, _("_Undo"));
  adw_toast_set_action_name (undo, "win.undo-delete");
  adw_toast_set_action_target_value (undo, g_variant_new_string (id));
  g_object_set_data_full (G_OBJECT (undo), "ferry-id", g_strdup (id), g_free);
  g_signal_connect_object (undo, "dismissed", G_CALLBACK (on_delete_toast_dismissed), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, undo);
}

static void
ferry_window_undo_delete (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  Deleted *deleted = NULL;
  FerryScheduleRule now;

  if (!g_hash_table_steal_extended (self->deleted, id, (gpointer *) &key, (gpointer *) &deleted))
    return;
  if (!ferry_transfer_store_save (self->transfers, deleted->transfer, &error))
    {
      _ferry_window_toast (self, error->message);
      _ferry_window_deleted_free (deleted);
      return;
    }
  /* The scheduler pruned the rule while the transfer was gone: back too. */
  ferry_schedule_store_get (id, &now);
  if (deleted->rule.every != FERRY_SCHEDULE_EVERY_OFF && !ferry_schedule_rule_equal (&now, &deleted->rule)
      && !ferry_schedule_store_set (id, &deleted->rule, &error))
    _ferry_window_toast (self, error->message);
  ferry_window_select_transfer (self, deleted->transfer);
  _ferry_window_deleted_free (deleted);
}

static void
delete_response (AdwMessageDialog *dialog,
                 const char       *response,
                 FerryWindow      *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "ferry-id");
  FerryTransfer *transfer;

  if (!g_str_equal (response, "delete"))
    return;
  transfer = ferry_transfer_store_find_by_id (self->transfers, id);
  if (transfer != NULL && !_ferry_window_is_active (self, id))
    delete_transfer (self, transfer);
}

static void
ferry_window_delete (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  FerryTransfer *selected = _ferry_window_get_selected (self);
  GtkWidget *dialog;

  if (selected == NULL || _ferry_window_is_active (self, self->selected_id))
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL);
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Delete “%s”?"),
                                     ferry_transfer_get_name (selected));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("The transfer and the history of its runs are removed. Files it copied stay where they are."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  ferry_accessible_name_mnemonic_buttons (dialog);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "ferry-id", g_strdup (self->selected_id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
ferry_window_open_destination (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  FerryTransfer *selected = _ferry_window_get_selected (self);
  g_autoptr(GFile) file = NULL;
  g_autofree char *uri = NULL;

  if (selected == NULL)
    return;
  file = g_file_new_for_path (ferry_transfer_get_destination_path (selected));
  uri = g_file_get_uri (file);
  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
}

static void
ferry_window_show_connectors (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  FerryConnectorStore *connectors = _ferry_window_get_connectors (FERRY_WINDOW (widget));
  FerryConnectorsWindow *window;

  g_return_if_fail (connectors != NULL);

  window = ferry_connectors_window_new (GTK_WINDOW (widget), connectors);
  gtk_window_present (GTK_WINDOW (window));
}

static void
connectors_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FerryWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (ferry_connector_store_load_finish (FERRY_CONNECTOR_STORE (source), result, &error))
    {
      self->connectors_loaded = TRUE;
      gtk_revealer_set_reveal_child (self->keyring_banner, FALSE);
      return;
    }
  if (g_error_matches (error, FERRY_ERROR, FERRY_ERROR_CANCELLED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* No keyring means no connectors: say so where the user starts. */
  gtk_label_set_text (self->keyring_label, error->message);
  gtk_revealer_set_reveal_child (self->keyring_banner, TRUE);
}

void
_ferry_window_reload_connectors (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  FerryConnectorStore *connectors = _ferry_window_get_connectors (self);

  if (connectors == NULL)
    return;
  ferry_connector_store_load_async (connectors, self->cancellable, connectors_loaded, g_object_ref (self));
}

void
_ferry_window_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.new-transfer", NULL, ferry_window_new_transfer);
  gtk_widget_class_install_action (widget_class, "win.start", NULL, ferry_window_start);
  gtk_widget_class_install_action (widget_class, "win.retry-failed", NULL, ferry_window_start);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, ferry_window_stop);
  gtk_widget_class_install_action (widget_class, "win.view-log", NULL, ferry_window_view_log);
  gtk_widget_class_install_action (widget_class, "win.preview", NULL, ferry_window_preview);
  gtk_widget_class_install_action (widget_class, "win.report", NULL, ferry_window_report);
  gtk_widget_class_install_action (widget_class, "win.verify", NULL, ferry_window_verify);
  gtk_widget_class_install_action (widget_class, "win.edit", NULL, ferry_window_edit);
  gtk_widget_class_install_action (widget_class, "win.duplicate", NULL, ferry_window_duplicate);
  gtk_widget_class_install_action (widget_class, "win.delete", NULL, ferry_window_delete);
  gtk_widget_class_install_action (widget_class, "win.undo-delete", "s", ferry_window_undo_delete);
  gtk_widget_class_install_action (widget_class, "win.open-destination", NULL, ferry_window_open_destination);
  gtk_widget_class_install_action (widget_class, "win.schedule", NULL, _ferry_window_schedule);
  gtk_widget_class_install_action (widget_class, "win.show-connectors", NULL, ferry_window_show_connectors);
  gtk_widget_class_install_action (widget_class, "win.reload-connectors", NULL, _ferry_window_reload_connectors);
}
