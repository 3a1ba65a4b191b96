/* ferry-window.c: the Migration Manager window. One row per transfer with
 * its progress, the selected transfer's log, failed files and history beside
 * them; the actions (New Transfer, Start Migrating ↔ Stop, View Log, Edit,
 * Duplicate, Delete, …) live in ferry-window-actions.c.
 * Several runs go at once; the window title shows their progress, closing
 * asks first while they run, and a notification tells when one ends while
 * the window is not focused. Runs are set up and run by src/core on worker
 * threads: this file only reacts to their properties.
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

/* Transfer rows built per main-loop iteration (ferry-paced-model.h): a
 * row takes a few milliseconds to build on a busy machine. */
#define ROWS_PER_BATCH 5


G_DEFINE_FINAL_TYPE (FerryWindow, ferry_window, ADW_TYPE_APPLICATION_WINDOW)

FerryConnectorStore *
_ferry_window_get_connectors (FerryWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return FERRY_IS_APPLICATION (app) ? ferry_application_get_connector_store (FERRY_APPLICATION (app)) : NULL;
}

void
_ferry_window_toast (FerryWindow *self,
                     const char  *text)
{
  /* libadwaita 1.2 reads toast titles as markup: names are escaped. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

FerryTransfer *
_ferry_window_get_selected (FerryWindow *self)
{
  if (self->selected_id == NULL)
    return NULL;
  return ferry_transfer_store_find_by_id (self->transfers, self->selected_id);
}

FerryTransferRow *
ferry_window_find_row (FerryWindow   *self,
                       FerryTransfer *transfer)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->transfer_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (FERRY_IS_TRANSFER_ROW (child)
        && g_strcmp0 (ferry_transfer_get_id (ferry_transfer_row_get_transfer (FERRY_TRANSFER_ROW (child))),
                      ferry_transfer_get_id (transfer)) == 0)
      return FERRY_TRANSFER_ROW (child);
  return NULL;
}

gboolean
_ferry_window_is_active (FerryWindow *self,
                         const char  *id)
{
  return id != NULL && g_hash_table_contains (self->active, id);
}

/* --- window state, title and actions ------------------------------------- */

static void
ferry_window_save_state (FerryWindow *self)
{
  int width;
  int height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  /* Not in delay-apply mode: a close request that is answered with Keep
   * Running leaves the window open, and it would stay in that mode for
   * good, keeping "last-transfer" from being written. */
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      g_settings_set (self->settings, "window-size", "(ii)", width, height);
    }
}

static void
ferry_window_restore_state (FerryWindow *self)
{
  int width;
  int height;

  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

void
_ferry_window_update_actions (FerryWindow *self)
{
  FerryTransfer *selected = _ferry_window_get_selected (self);
  gboolean running = selected != NULL && _ferry_window_is_active (self, self->selected_id);
  gboolean local_destination = FALSE;
  const char *tooltip;

  if (selected != NULL)
    local_destination = g_strcmp0 (ferry_transfer_get_destination_connector_id (selected),
                                   ferry_connector_get_id (ferry_connector_get_local ())) == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start", selected != NULL && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.retry-failed", selected != NULL && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.view-log", selected != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.preview", selected != NULL && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.verify", selected != NULL && !running);
  /* A report needs a run; one going writes its records as it goes. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.report", selected != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit", selected != NULL && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.duplicate", selected != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.delete", selected != NULL && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-destination", local_destination);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.schedule", selected != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->start_button), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button), running);
  /* A greyed-out button says why. */
  if (selected != NULL)
    tooltip = _("Copy what is new or changed since the last run");
  else if (self->transfers != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->transfers)) > 0)
    tooltip = _("Select a transfer in the list to start it");
  else
    tooltip = _("Create a transfer first, with New Transfer");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->start_button), tooltip);
}

/* The next step is the primary button: authorizing a connector first,
 * creating a transfer once one exists. */
static void
update_empty_state (FerryWindow *self)
{
  FerryConnectorStore *connectors = _ferry_window_get_connectors (self);
  gboolean have = connectors != NULL && g_list_model_get_n_items (G_LIST_MODEL (connectors)) > 0;
  GtkWidget *primary = GTK_WIDGET (have ? self->empty_new_transfer_button : self->empty_authorize_button);
  GtkWidget *secondary = GTK_WIDGET (have ? self->empty_authorize_button : self->empty_new_transfer_button);

  gtk_widget_add_css_class (primary, "suggested-action");
  gtk_widget_remove_css_class (secondary, "suggested-action");
  gtk_box_reorder_child_after (GTK_BOX (gtk_widget_get_parent (primary)), primary, NULL);
  if (have)
    adw_status_page_set_description (self->empty_page,
                                     _("Create a transfer to copy the files of a server you authorized to this computer or to another server."));
  else
    adw_status_page_set_description (self->empty_page,
                                     _("Authorize a connector for your FTP or SFTP server, then create a transfer to copy its files to this computer or to another server."));
}

static void
update_stack (FerryWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->transfers));

  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "transfers" : "empty");
  gtk_stack_set_visible_child_name (self->detail_stack, _ferry_window_get_selected (self) != NULL ? "detail" : "none");
}

/* --- the list ---------------------------------------------------------------- */

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  FerryWindow *self = user_data;
  FerryTransfer *transfer = item;
  const char *id = ferry_transfer_get_id (transfer);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GtkWidget *row = ferry_transfer_row_new (transfer, _ferry_window_get_connectors (self),
                                           FERRY_IS_APPLICATION (app)
                                           ? ferry_application_get_background (FERRY_APPLICATION (app)) : NULL);
  FerryRun *run = g_hash_table_lookup (self->runs, id);

  if (run != NULL)
    {
      ferry_transfer_row_set_run (FERRY_TRANSFER_ROW (row), run);
      ferry_transfer_row_set_message (FERRY_TRANSFER_ROW (row), g_hash_table_lookup (self->messages, id));
    }
  else
    ferry_transfer_row_load_history (FERRY_TRANSFER_ROW (row));
  return row;
}

static void
on_row_selected (FerryWindow   *self,
                 GtkListBoxRow *row)
{
  FerryTransfer *transfer = NULL;

  if (row != NULL && FERRY_IS_TRANSFER_ROW (row))
    transfer = ferry_transfer_row_get_transfer (FERRY_TRANSFER_ROW (row));
  /* Rows are rebuilt when the store changes: keep the selection by id. */
  if (transfer == NULL && self->selected_id != NULL
      && ferry_transfer_store_find_by_id (self->transfers, self->selected_id) != NULL)
    return;
  g_free (self->selected_id);
  self->selected_id = transfer != NULL ? g_strdup (ferry_transfer_get_id (transfer)) : NULL;
  /* Selected again at the next start: Start Migrating is ready then. */
  if (transfer != NULL)
    g_settings_set_string (self->settings, "last-transfer", self->selected_id);
  if (transfer != NULL)
    ferry_transfer_detail_set_transfer (self->detail, transfer,
                                        g_hash_table_lookup (self->runs, self->selected_id));
  else
    ferry_transfer_detail_set_transfer (self->detail, NULL, NULL);
  _ferry_window_update_actions (self);
  update_stack (self);
}

static void
on_transfers_changed (FerryWindow *self)
{
  FerryTransfer *selected = _ferry_window_get_selected (self);

  if (selected != NULL)
    {
      FerryTransferRow *row = ferry_window_find_row (self, selected);

      if (row != NULL && gtk_list_box_get_selected_row (self->transfer_list) != GTK_LIST_BOX_ROW (row))
        gtk_list_box_select_row (self->transfer_list, GTK_LIST_BOX_ROW (row));
      /* Edit may have changed what the detail shows. */
      if (ferry_transfer_detail_get_transfer (self->detail) != selected)
        ferry_transfer_detail_set_transfer (self->detail, selected,
                                            g_hash_table_lookup (self->runs, self->selected_id));
    }
  else if (self->selected_id != NULL)
    {
      g_clear_pointer (&self->selected_id, g_free);
      ferry_transfer_detail_set_transfer (self->detail, NULL, NULL);
    }
  _ferry_window_update_actions (self);
  update_stack (self);
}

/* Rows built later than their transfer arrived: the selected one is
 * selected in the list once its row is there. */
static void
on_rows_changed (FerryWindow *self,
                 guint        position,
                 guint        removed,
                 guint        added)
{
  GtkListBoxRow *current = gtk_list_box_get_selected_row (self->transfer_list);
  FerryTransfer *selected;
  FerryTransferRow *row;

  if (added == 0 || self->selected_id == NULL)
    return;
  /* Already shown selected: nothing to look for among the rows. */
  if (FERRY_IS_TRANSFER_ROW (current)
      && g_strcmp0 (ferry_transfer_get_id (ferry_transfer_row_get_transfer (FERRY_TRANSFER_ROW (current))),
                    self->selected_id) == 0)
    return;
  selected = _ferry_window_get_selected (self);
  if (selected == NULL)
    return;
  row = ferry_window_find_row (self, selected);
  if (row != NULL && gtk_list_box_get_selected_row (self->transfer_list) != GTK_LIST_BOX_ROW (row))
    gtk_list_box_select_row (self->transfer_list, GTK_LIST_BOX_ROW (row));
}

/* --- closing ----------------------------------------------------------------- */

static void
close_response (AdwMessageDialog *dialog,
                const char       *response,
                FerryWindow      *self)
{
  GHashTableIter iter;
  gpointer key;

  if (!g_str_equal (response, "stop"))
    {
      /* Kept running: Quit is off too. */
      g_clear_object (&self->quit_app);
      return;
    }
  self->closing = TRUE;
  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (_ferry_window_get_run_manager (self) != NULL)
      ferry_run_manager_stop (_ferry_window_get_run_manager (self), key);
  /* The window goes once the last run has stopped (on_run_finished). */
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  if (g_hash_table_size (self->active) == 0)
    gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
ferry_window_close_request (GtkWindow *window)
{
  FerryWindow *self = FERRY_WINDOW (window);
  guint n = g_hash_table_size (self->active);
  GtkWidget *dialog;

  ferry_window_save_state (self);
  if (n == 0 || self->closing)
    return GTK_WINDOW_CLASS (ferry_window_parent_class)->close_request (window);

  dialog = adw_message_dialog_new (window, _("Stop Migrating?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "%u transfer is still running. Stopping keeps what was copied; the next run goes on from there.",
                                               "%u transfers are still running. Stopping keeps what was copied; the next run goes on from there.",
                                               n), n);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep Running"),
                                    "stop", self->quit_app != NULL ? _("_Stop and Quit") : _("_Stop and Close"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "stop", ADW_RESPONSE_DESTRUCTIVE);
  ferry_accessible_name_mnemonic_buttons (dialog);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (close_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* --- object ------------------------------------------------------------------- */

/* The transfer used last, or else the first: after a restart Start
 * Migrating works at once, with no click on a row first. */
static void
select_at_start (FerryWindow *self)
{
  g_autofree char *last = g_settings_get_string (self->settings, "last-transfer");
  FerryTransfer *transfer = ferry_transfer_store_find_by_id (self->transfers, last);
  GtkListBoxRow *row = NULL;

  if (transfer != NULL)
    row = GTK_LIST_BOX_ROW (ferry_window_find_row (self, transfer));
  if (row == NULL && transfer != NULL)
    {
      /* Not built yet (many transfers): selected when it is. */
      g_free (self->selected_id);
      self->selected_id = g_strdup (last);
      return;
    }
  if (row == NULL)
    row = gtk_list_box_get_row_at_index (self->transfer_list, 0);
  if (row == NULL)
    return;
  gtk_list_box_select_row (self->transfer_list, row);
  /* The focus starts there too: the list box would otherwise select the
   * row that takes the window's first focus, its first one. */
  gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
ferry_window_realize (GtkWidget *widget)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  GTK_WIDGET_CLASS (ferry_window_parent_class)->realize (widget);

  /* "application" is set by now: rows can name connectors, and the keyring
   * is read without blocking. */
  /* Rows come a batch per main-loop iteration: 200 rows at once held the
   * main loop for most of a second. */
  g_clear_object (&self->rows);
  self->rows = ferry_paced_model_new (G_LIST_MODEL (self->transfers), ROWS_PER_BATCH);
  gtk_list_box_bind_model (self->transfer_list, G_LIST_MODEL (self->rows), create_row, self, NULL);
  g_signal_connect_object (self->rows, "items-changed", G_CALLBACK (on_rows_changed), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->transfers, "items-changed", G_CALLBACK (on_transfers_changed), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  select_at_start (self);
  update_stack (self);
  if (_ferry_window_get_connectors (self) != NULL)
    g_signal_connect_object (_ferry_window_get_connectors (self), "items-changed", G_CALLBACK (update_empty_state), self,
                             G_CONNECT_SWAPPED);
  update_empty_state (self);
  _ferry_window_reload_connectors (widget, NULL, NULL);
  _ferry_window_follow_runs (self);
}

static void
ferry_window_constructed (GObject *object)
{
  FerryWindow *self = FERRY_WINDOW (object);
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (ferry_window_parent_class)->constructed (object);

  /* Not the application's GSettings: "application" is not set yet while the
   * window is constructed. */
  self->settings = g_settings_new (APPLICATION_ID);
  ferry_window_restore_state (self);

  /* A few small local files: quick enough to read here. Later changes,
   * ferry-cli's included, are read on a thread as they happen. */
  self->transfers = ferry_transfer_store_new ();
  if (!ferry_transfer_store_load (self->transfers, &error))
    _ferry_window_toast (self, error->message);
  ferry_transfer_store_watch (self->transfers);

  gtk_stack_set_visible_child_name (self->stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->transfers)) > 0
                                    ? "transfers" : "empty");
  _ferry_window_update_actions (self);
}

void
ferry_window_quit (FerryWindow *self)
{
  GtkApplication *app;

  g_return_if_fail (FERRY_IS_WINDOW (self));

  app = gtk_window_get_application (GTK_WINDOW (self));
  if (app != NULL)
    g_set_object (&self->quit_app, G_APPLICATION (app));
  gtk_window_close (GTK_WINDOW (self));
}

static void
ferry_window_dispose (GObject *object)
{
  FerryWindow *self = FERRY_WINDOW (object);
  g_autoptr(GApplication) quit_app = g_steal_pointer (&self->quit_app);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->wizard != NULL)
    gtk_window_destroy (self->wizard);
  if (self->transfer_list != NULL)
    gtk_list_box_bind_model (self->transfer_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->settings);
  g_clear_object (&self->rows);
  g_clear_object (&self->transfers);
  g_clear_pointer (&self->runs, g_hash_table_unref);
  g_clear_pointer (&self->messages, g_hash_table_unref);
  g_clear_pointer (&self->active, g_hash_table_unref);
  if (self->deleted != NULL)
    {
      GHashTableIter iter;
      gpointer id;

      /* Deleted with no Undo before closing: the deletion stands, and
       * here, not in a thread the quitting application would not wait for. */
      g_hash_table_iter_init (&iter, self->deleted);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        {
          g_autoptr(GError) error = NULL;

          if (!ferry_transfer_store_forget (id, &error))
            g_warning ("Could not forget the deleted transfer %s: %s", (char *) id, error->message);
        }
    }
  g_clear_pointer (&self->deleted, g_hash_table_unref);
  g_clear_pointer (&self->selected_id, g_free);

  G_OBJECT_CLASS (ferry_window_parent_class)->dispose (object);
  /* Quit ends the process even while the scheduler holds it: Quit is
   * what the user asked for, and autostart brings it back at login. */
  if (quit_app != NULL)
    g_application_quit (quit_app);
}

static void
ferry_window_class_init (FerryWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = ferry_window_constructed;
  object_class->dispose = ferry_window_dispose;
  window_class->close_request = ferry_window_close_request;
  widget_class->realize = ferry_window_realize;

  g_type_ensure (FERRY_TYPE_TRANSFER_DETAIL);

  gtk_widget_class_set_template_from_resource (widget_class, APPLICATION_PATH "/ferry-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, empty_authorize_button);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, empty_new_transfer_button);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, keyring_banner);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, keyring_label);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, transfer_list);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, detail);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, start_button);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, stop_button);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);

  _ferry_window_install_actions (widget_class);
}

static void
ferry_window_init (FerryWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->runs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->active = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->deleted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) _ferry_window_deleted_free);
}

FerryWindow *
ferry_window_new (FerryApplication *application)
{
  return g_object_new (FERRY_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

FerryTransferStore *
ferry_window_get_transfer_store (FerryWindow *self)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), NULL);

  return self->transfers;
}

FerryRun *
ferry_window_get_run (FerryWindow   *self,
                      FerryTransfer *transfer)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), NULL);
  g_return_val_if_fail (FERRY_IS_TRANSFER (transfer), NULL);

  return g_hash_table_lookup (self->runs, ferry_transfer_get_id (transfer));
}

guint
ferry_window_get_n_active (FerryWindow *self)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), 0);

  return g_hash_table_size (self->active);
}

void
ferry_window_select_transfer (FerryWindow   *self,
                              FerryTransfer *transfer)
{
  FerryTransferRow *row;

  g_return_if_fail (FERRY_IS_WINDOW (self));
  g_return_if_fail (FERRY_IS_TRANSFER (transfer));

  row = ferry_window_find_row (self, transfer);
  if (row != NULL)
    gtk_list_box_select_row (self->transfer_list, GTK_LIST_BOX_ROW (row));
  else if (ferry_transfer_store_find_by_id (self->transfers, ferry_transfer_get_id (transfer)) != NULL)
    {
      /* Its row is still to be built (rows come in batches): selected when
       * it is (on_rows_changed). */
      g_free (self->selected_id);
      self->selected_id = g_strdup (ferry_transfer_get_id (transfer));
    }
}

FerryTransferDetail *
ferry_window_get_detail (FerryWindow *self)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), NULL);

  return self->detail;
}

FerryTransferWizard *
ferry_window_get_wizard (FerryWindow *self)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), NULL);

  return self->wizard != NULL ? FERRY_TRANSFER_WIZARD (self->wizard) : NULL;
}
