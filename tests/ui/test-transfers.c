/* test-transfers.c: the life of a transfer in the Migration Manager, local
 * → local, through the window as a user drives it (issue 23, items 5-9 and
 * 11).
 *
 * - Deleting a scheduled transfer and letting the Undo toast go forgets
 *   everything kept for it: history, schedule rule, lock, the autostart
 *   entry; `ferry-cli schedule list` shows nothing. Undo, even after the
 *   scheduler pruned the rule meanwhile, brings all of it back.
 * - Migration Report… with JSON chosen writes JSON under a .json name.
 * - The wizard's Preview… previews the unsaved fields and stays open on
 *   its options.
 * - `ferry-cli transfer add/edit/remove` while the window is open: the
 *   rows follow.
 * - At 1024×600 the wizard's last step scrolls and its buttons show
 *   (the small-screen-ui test runs this file on such a screen).
 * - Ctrl+Q quits the application, scheduler and all, after asking while a
 *   transfer runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ferry-application.h"
#include "ferry-folder-chooser.h"
#include "ferry-preview-dialog.h"
#include "ferry-run-history.h"
#include "ferry-schedule-dialog.h"
#include "ferry-schedule-store.h"
#include "ferry-test-ui.h"
#include "ferry-transfer-lock.h"
#include "ferry-verify-dialog.h"
#include "ferry-window.h"

static FerryApplication *app;
static FerryWindow *window;

/* --- helpers --------------------------------------------------------------- */

static GtkWidget *
child_of (gpointer    widget,
          GType       type,
          const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static char *
test_path (const char *name)
{
  return g_build_filename (g_getenv ("FERRY_TEST_DIR"), name, NULL);
}

static void
write_file (const char *path,
            gsize       size)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = g_malloc (size);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < size; i++)
    data[i] = (char) ('a' + i % 26);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, data, size, &error);
  g_assert_no_error (error);
}

static FerryTransferStore *
store (void)
{
  return ferry_window_get_transfer_store (window);
}

/* A local → local transfer with a few files, saved through the window's
 * store and selected. */
static FerryTransfer *
make_transfer (const char *name,
               gsize       size)
{
  g_autofree char *base = g_strdelimit (g_strdup (name), " ", '-');
  g_autofree char *source = test_path (base);
  g_autofree char *destination = g_strconcat (source, "-copy", NULL);
  g_autoptr(FerryTransfer) transfer = ferry_transfer_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *file = g_strdup_printf ("%s/page-%u.html", source, i);

      write_file (file, size);
    }
  {
    g_autofree char *log = g_build_filename (source, "debug.log", NULL);

    write_file (log, 100);
  }
  ferry_transfer_set_name (transfer, name);
  ferry_transfer_set_source_connector_id (transfer, "local");
  ferry_transfer_set_source_path (transfer, source);
  ferry_transfer_set_destination_connector_id (transfer, "local");
  ferry_transfer_set_destination_path (transfer, destination);
  g_assert_true (ferry_transfer_store_save (store (), transfer, &error));
  g_assert_no_error (error);
  ferry_window_select_transfer (window, transfer);
  ferry_test_settle (0.2);
  return ferry_transfer_store_find_by_name (store (), name);
}

static gboolean
run_ended (gpointer user_data)
{
  FerryRun *run = ferry_window_get_run (window, user_data);

  return run != NULL && ferry_window_get_n_active (window) == 0;
}

static void
run_once (FerryTransfer *transfer)
{
  ferry_window_select_transfer (window, transfer);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  g_assert_true (ferry_test_wait_until (run_ended, transfer, 60));
  g_assert_cmpint (ferry_run_get_state (ferry_window_get_run (window, transfer)), ==, FERRY_RUN_STATE_COMPLETED);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) item = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (item, type) && gtk_widget_get_visible (GTK_WIDGET (item)))
        return item;
    }
  return NULL;
}

static gboolean
toplevel_shown (gpointer type)
{
  return find_toplevel (GPOINTER_TO_SIZE (type)) != NULL;
}

static void
respond (const char *response)
{
  AdwMessageDialog *dialog;

  g_assert_true (ferry_test_wait_until (toplevel_shown, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), 10));
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A button somewhere under `widget` by its label or icon name. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label_or_icon)
{
  if (GTK_IS_BUTTON (widget) &&
      (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label_or_icon) == 0 ||
       g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), label_or_icon) == 0))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label_or_icon);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
toast_button_shown (gpointer label_or_icon)
{
  return find_button (GTK_WIDGET (window), label_or_icon) != NULL;
}

/* Clicks a button of the Undo toast: "_Undo", or its close button. */
static void
click_toast (const char *label_or_icon)
{
  GtkWidget *button;

  g_assert_true (ferry_test_wait_until (toast_button_shown, (gpointer) label_or_icon, 10));
  button = find_button (GTK_WIDGET (window), label_or_icon);
  g_signal_emit_by_name (button, "clicked");
  ferry_test_settle (0.5);
}

static void
delete_selected (void)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.delete", NULL);
  respond ("delete");
}

static char *
run_cli (const char * const *args,
         int                *status)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("FERRY_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, status, &error);
  g_assert_no_error (error);
  return out;
}

static gboolean
history_exists (const char *id)
{
  g_autofree char *folder = ferry_run_history_dup_folder (id);

  return g_file_test (folder, G_FILE_TEST_IS_DIR);
}

static gboolean
lock_exists (const char *id)
{
  g_autofree char *path = ferry_transfer_lock_dup_path (id);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
schedule_daily (const char *id)
{
  FerryScheduleRule rule = { FERRY_SCHEDULE_EVERY_DAY, 3, 0, 1 };
  g_autoptr(GError) error = NULL;

  g_assert_true (ferry_schedule_store_set (id, &rule, &error));
  g_assert_no_error (error);
}

static FerryScheduleEvery
schedule_of (const char *id)
{
  FerryScheduleRule rule;

  ferry_schedule_store_get (id, &rule);
  return rule.every;
}

/* --- 5: one way to forget a transfer ----------------------------------------- */

static gboolean
forgotten (gpointer id)
{
  return !history_exists (id) && schedule_of (id) == FERRY_SCHEDULE_EVERY_OFF && !lock_exists (id);
}

static void
test_delete_forgets (void)
{
  FerryTransfer *transfer = make_transfer ("Nightly site", 1000);
  g_autofree char *id = g_strdup (ferry_transfer_get_id (transfer));
  g_autofree char *autostart = ferry_schedule_store_dup_autostart_path ();
  g_autofree char *listed = NULL;
  const char *list_args[] = { "schedule", "list", NULL };
  int status = -1;

  run_once (transfer);
  schedule_daily (id);
  g_assert_true (history_exists (id));
  g_assert_true (lock_exists (id));
  g_assert_true (g_file_test (autostart, G_FILE_TEST_EXISTS));

  /* User Actions → Delete, confirmed; the toast says so, with Undo. */
  delete_selected ();
  g_assert_null (ferry_transfer_store_find_by_id (store (), id));
  /* Until the toast goes, nothing else is forgotten: Undo needs it. */
  g_assert_true (history_exists (id));
  g_assert_cmpint (schedule_of (id), ==, FERRY_SCHEDULE_EVERY_DAY);
  {
    g_autofree char *png = ferry_test_save_snapshot (GTK_WIDGET (window), "transfers-deleted-toast");

    g_test_message ("toast: %s", png);
  }

  /* The toast dismissed by its close button: the deletion stands. */
  click_toast ("window-close-symbolic");
  g_assert_true (ferry_test_wait_until (forgotten, id, 10));
  g_assert_false (g_file_test (autostart, G_FILE_TEST_EXISTS));

  listed = run_cli (list_args, &status);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (listed, ==, "No schedules. Add one with “ferry-cli schedule NAME --every day”.\n");
}

static void
test_undo_restores (void)
{
  FerryTransfer *transfer = make_transfer ("Weekly share", 1000);
  g_autofree char *id = g_strdup (ferry_transfer_get_id (transfer));
  g_autofree char *autostart = ferry_schedule_store_dup_autostart_path ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) pruned = NULL;
  g_autofree char *listed = NULL;
  const char *list_args[] = { "schedule", "list", NULL };
  int status = -1;

  run_once (transfer);
  schedule_daily (id);
  delete_selected ();
  g_assert_null (ferry_transfer_store_find_by_id (store (), id));

  /* The scheduler's minute comes while the toast shows: the rule of a
   * transfer whose file is gone is pruned, the autostart entry with it. */
  pruned = ferry_schedule_store_prune (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (pruned), ==, 1);
  g_assert_cmpstr (pruned[0], ==, id);
  g_assert_cmpint (schedule_of (id), ==, FERRY_SCHEDULE_EVERY_OFF);
  g_assert_false (g_file_test (autostart, G_FILE_TEST_EXISTS));

  /* Undo brings back the transfer, its history, its schedule, autostart. */
  click_toast ("_Undo");
  transfer = ferry_transfer_store_find_by_id (store (), id);
  g_assert_nonnull (transfer);
  g_assert_nonnull (ferry_window_find_row (window, transfer));
  g_assert_true (history_exists (id));
  g_assert_cmpint (schedule_of (id), ==, FERRY_SCHEDULE_EVERY_DAY);
  g_assert_true (g_file_test (autostart, G_FILE_TEST_EXISTS));
  listed = run_cli (list_args, &status);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_str_has_prefix (listed, "Weekly share\tEvery day at 03:00"));

  /* The toast went by Undo: its dismissal forgets nothing. */
  ferry_test_settle (0.5);
  g_assert_true (history_exists (id));

  /* Leave no schedule behind for the tests after. */
  {
    FerryScheduleRule off = { FERRY_SCHEDULE_EVERY_OFF, 0, 0, 1 };

    g_assert_true (ferry_schedule_store_set (id, &off, &error));
  }
}

/* A rule whose transfer file is gone (a removal by an older Ferry) is
 * named by `schedule list`, and forgotten. */
static void
test_orphan_rule (void)
{
  g_autofree char *listed = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { g_getenv ("FERRY_CLI"), "schedule", "list", NULL };
  int status = -1;

  schedule_daily ("0f0f0f0f-dead-beef-0000-000000000000");
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &listed, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err, "0f0f0f0f-dead-beef-0000-000000000000"));
  g_assert_cmpint (schedule_of ("0f0f0f0f-dead-beef-0000-000000000000"), ==, FERRY_SCHEDULE_EVERY_OFF);
}

/* --- 6: export in the chosen format -------------------------------------------- */

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
test_export_json (void)
{
  FerryTransfer *transfer = make_transfer ("Report me", 500);
  g_autofree char *folder = test_path ("reports");
  g_autofree char *json_path = g_build_filename (folder, "Report me report.json", NULL);
  g_autofree char *csv_path = g_build_filename (folder, "Report me report.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GtkFileChooser *chooser;
  GListModel *filters;
  g_autoptr(GtkFileFilter) json_filter = NULL;

  run_once (transfer);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  /* GTK's own chooser (no portal here) opens in the working folder. */
  g_assert_cmpint (g_chdir (folder), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.report", NULL);
  g_assert_true (ferry_test_wait_until (toplevel_shown, GSIZE_TO_POINTER (GTK_TYPE_FILE_CHOOSER_DIALOG), 10));
  chooser = GTK_FILE_CHOOSER (find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
  /* The suggestion is CSV's; the user picks JSON and keeps the name. */
  g_assert_cmpstr (gtk_file_chooser_get_current_name (chooser), ==, "Report me report.csv");
  filters = gtk_file_chooser_get_filters (chooser);
  json_filter = g_list_model_get_item (filters, 1);
  g_object_unref (filters);
  g_assert_cmpstr (gtk_file_filter_get_name (json_filter), ==, "JSON");
  gtk_file_chooser_set_filter (chooser, json_filter);
  ferry_test_settle (0.3);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);

  g_assert_true (ferry_test_wait_until (file_exists, json_path, 10));
  g_assert_false (g_file_test (csv_path, G_FILE_TEST_EXISTS));
  g_file_get_contents (json_path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, contents, -1, &error));
  g_assert_no_error (error);
  g_assert_false (g_str_has_prefix (contents, "path,size"));
}

/* --- 7: Preview… in the wizard ------------------------------------------------- */

static gboolean
folder_settled (gpointer user_data)
{
  return !ferry_folder_chooser_get_busy (user_data);
}

static void
wizard_to_options (FerryTransferWizard *wizard)
{
  static const char * const folders[] = { NULL, "source_folder", NULL, "destination_folder" };

  for (guint i = 0; i < 4; i++)
    {
      if (folders[i] != NULL)
        g_assert_true (ferry_test_wait_until (folder_settled,
                                              child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, folders[i]), 20));
      gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL);
    }
  g_assert_cmpstr (ferry_transfer_wizard_get_step (wizard), ==, "options");
}

static gboolean
preview_done (gpointer user_data)
{
  FerryPreviewDialog *dialog = (FerryPreviewDialog *) find_toplevel (FERRY_TYPE_PREVIEW_DIALOG);

  return dialog != NULL && ferry_preview_dialog_is_done (dialog);
}

static void
test_wizard_preview (void)
{
  FerryTransfer *transfer = make_transfer ("Preview first", 200);
  g_autofree char *id = g_strdup (ferry_transfer_get_id (transfer));
  g_autoptr(FerryTransferStore) on_disk = ferry_transfer_store_new ();
  FerryTransferWizard *wizard;
  FerryPreviewDialog *preview;
  GtkWidget *exclude_row;
  guint64 bytes = 0;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit", NULL);
  wizard = ferry_window_get_wizard (window);
  g_assert_nonnull (wizard);
  wizard_to_options (wizard);
  exclude_row = child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "exclude_row");
  gtk_editable_set_text (GTK_EDITABLE (exclude_row), "*.log");

  /* Preview… plans what the fields say, unsaved, over the open wizard. */
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.preview", NULL);
  g_assert_true (ferry_test_wait_until (preview_done, NULL, 30));
  preview = (FerryPreviewDialog *) find_toplevel (FERRY_TYPE_PREVIEW_DIALOG);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (preview)) == GTK_WINDOW (wizard));
  g_assert_cmpuint (ferry_preview_dialog_get_count (preview, FERRY_OUTCOME_EXCLUDED, &bytes), ==, 1);
  g_assert_cmpuint (ferry_preview_dialog_get_count (preview, FERRY_OUTCOME_COPIED, &bytes), ==, 3);
  ferry_test_settle (0.5);
  {
    g_autofree char *png = ferry_test_save_snapshot (GTK_WIDGET (preview), "transfers-wizard-preview");

    g_test_message ("preview: %s", png);
  }
  g_assert_true (ferry_window_get_wizard (window) == wizard);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (wizard)));
  g_assert_true (ferry_transfer_store_load (on_disk, NULL));
  g_assert_null (ferry_transfer_get_excludes (ferry_transfer_store_find_by_id (on_disk, id)));

  /* Closed: back on the options to adjust them, then saved. */
  gtk_window_close (GTK_WINDOW (preview));
  ferry_test_settle (0.2);
  g_assert_cmpstr (ferry_transfer_wizard_get_step (wizard), ==, "options");
  gtk_editable_set_text (GTK_EDITABLE (exclude_row), "*.log, page-2.html");
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.save", NULL);
  ferry_test_settle (0.2);
  g_assert_null (ferry_window_get_wizard (window));
  transfer = ferry_transfer_store_find_by_id (store (), id);
  g_assert_cmpuint (g_strv_length ((GStrv) ferry_transfer_get_excludes (transfer)), ==, 2);
}

/* --- 11: changes made with ferry-cli show in the open window -------------------- */

static gboolean
row_named (gpointer name)
{
  FerryTransfer *transfer = ferry_transfer_store_find_by_name (store (), name);

  return transfer != NULL && ferry_window_find_row (window, transfer) != NULL;
}

static gboolean
no_row_named (gpointer name)
{
  return ferry_transfer_store_find_by_name (store (), name) == NULL;
}

static gboolean
connections_are_3 (gpointer name)
{
  FerryTransfer *transfer = ferry_transfer_store_find_by_name (store (), name);

  return transfer != NULL && ferry_transfer_get_connections (transfer) == 3;
}

static void
test_cli_changes (void)
{
  g_autofree char *source = test_path ("cli-src");
  g_autofree char *from = g_strconcat ("local:", source, NULL);
  g_autofree char *to = g_strconcat ("local:", source, "-copy", NULL);
  const char *add[] = { "transfer", "add", "Added in a terminal", "--from", from, "--to", to, NULL };
  const char *edit[] = { "transfer", "edit", "Added in a terminal", "--parallel", "3", NULL };
  const char *remove[] = { "transfer", "remove", "Added in a terminal", NULL };
  FerryTransfer *before = ferry_transfer_store_find_by_name (store (), "Nightly site");
  int status = -1;

  g_assert_cmpint (g_mkdir_with_parents (source, 0755), ==, 0);
  g_free (run_cli (add, &status));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (ferry_test_wait_until (row_named, (gpointer) "Added in a terminal", 10));
  {
    g_autofree char *png = ferry_test_save_snapshot (GTK_WIDGET (window), "transfers-cli-added");

    g_test_message ("added: %s", png);
  }

  g_free (run_cli (edit, &status));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (ferry_test_wait_until (connections_are_3, (gpointer) "Added in a terminal", 10));

  g_free (run_cli (remove, &status));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (ferry_test_wait_until (no_row_named, (gpointer) "Added in a terminal", 10));
  /* What did not change keeps its object (rows, runs hold it). */
  g_assert_true (before == NULL || ferry_transfer_store_find_by_name (store (), "Nightly site") == before);
}

/* --- 8: a 1024×600 screen ------------------------------------------------------ */

static gboolean
screen_is_small (void)
{
  GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  GdkRectangle geometry;

  gdk_monitor_get_geometry (monitor, &geometry);
  return geometry.width <= 1024 && geometry.height <= 600;
}

/* Shown and inside the window's height: a button the user can click. */
static void
assert_reachable (GtkWidget *widget,
                  GtkWidget *toplevel,
                  int        height)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_compute_bounds (widget, toplevel, &bounds));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, height);
}

/* A dialog on the small screen: no taller than it, at least or as shown,
 * and a snapshot to look at. */
static void
assert_fits (GtkWidget  *dialog,
             const char *snapshot)
{
  g_autofree char *png = NULL;
  int minimum;

  ferry_test_settle (0.5);
  gtk_widget_measure (dialog, GTK_ORIENTATION_VERTICAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("%s: at least %d px tall, shown %d px", snapshot, minimum, gtk_widget_get_height (dialog));
  g_assert_cmpint (minimum, <=, 600);
  g_assert_cmpint (gtk_widget_get_height (dialog), <=, 600);
  png = ferry_test_save_snapshot (dialog, snapshot);
  g_test_message ("%s", png);
}

static void
test_small_screen (void)
{
  FerryTransferWizard *wizard;
  GtkScrolledWindow *scroller;
  GtkAdjustment *adjustment;
  GtkWidget *summary;
  graphene_rect_t bounds;
  int minimum;
  int height;

  if (!screen_is_small ())
    {
      g_test_skip ("runs as small-screen-ui, on a 1024×600 screen");
      return;
    }
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 600);
  make_transfer ("Small screen", 100);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit", NULL);
  wizard = ferry_window_get_wizard (window);
  g_assert_nonnull (wizard);
  wizard_to_options (wizard);
  ferry_test_settle (0.5);

  /* The last step fits: it scrolls, its buttons show. */
  gtk_widget_measure (GTK_WIDGET (wizard), GTK_ORIENTATION_VERTICAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("wizard at its last step: at least %d px tall, shown %d px", minimum,
                  gtk_widget_get_height (GTK_WIDGET (wizard)));
  g_assert_cmpint (minimum, <=, 600);
  height = gtk_widget_get_height (GTK_WIDGET (wizard));
  g_assert_cmpint (height, <=, 600);
  assert_reachable (child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "save_button"), GTK_WIDGET (wizard), height);
  assert_reachable (child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "start_button"), GTK_WIDGET (wizard), height);
  assert_reachable (child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "back_button"), GTK_WIDGET (wizard), height);
  {
    g_autofree char *png = ferry_test_save_snapshot (GTK_WIDGET (wizard), "transfers-wizard-1024x600");

    g_test_message ("wizard: %s", png);
  }

  /* Scrolled to the end, the summary is in view. */
  scroller = GTK_SCROLLED_WINDOW (child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "options_scroller"));
  adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, gtk_adjustment_get_page_size (adjustment));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
  ferry_test_settle (0.3);
  summary = child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "to_row");
  g_assert_true (gtk_widget_compute_bounds (summary, GTK_WIDGET (scroller), &bounds));
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (GTK_WIDGET (scroller)));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  {
    g_autofree char *png = ferry_test_save_snapshot (GTK_WIDGET (wizard), "transfers-wizard-1024x600-end");

    g_test_message ("wizard scrolled: %s", png);
  }
  /* Its Preview fits too. */
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.preview", NULL);
  g_assert_true (ferry_test_wait_until (preview_done, NULL, 30));
  assert_fits (GTK_WIDGET (find_toplevel (FERRY_TYPE_PREVIEW_DIALOG)), "transfers-preview-1024x600");
  gtk_window_destroy (find_toplevel (FERRY_TYPE_PREVIEW_DIALOG));
  gtk_window_destroy (GTK_WINDOW (wizard));

  /* So do Schedule… and Verify… */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.schedule", NULL);
  g_assert_true (ferry_test_wait_until (toplevel_shown, GSIZE_TO_POINTER (FERRY_TYPE_SCHEDULE_DIALOG), 10));
  assert_fits (GTK_WIDGET (find_toplevel (FERRY_TYPE_SCHEDULE_DIALOG)), "transfers-schedule-1024x600");
  gtk_window_destroy (find_toplevel (FERRY_TYPE_SCHEDULE_DIALOG));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.verify", NULL);
  g_assert_true (ferry_test_wait_until (toplevel_shown, GSIZE_TO_POINTER (FERRY_TYPE_VERIFY_DIALOG), 10));
  ferry_test_settle (2.0);
  assert_fits (GTK_WIDGET (find_toplevel (FERRY_TYPE_VERIFY_DIALOG)), "transfers-verify-1024x600");
  gtk_window_destroy (find_toplevel (FERRY_TYPE_VERIFY_DIALOG));

  /* The window itself fits too. */
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 600);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 1024);
}

/* --- the main loop with 200 scheduled transfers ------------------------------- */

typedef struct
{
  gint64 last;
  gint64 max_gap;
  gint64 phase_gap;
  guint  ticks;
} StallProbe;

/* The longest stall since the last phase, named; then a new phase. */
static void
end_phase (StallProbe *probe,
           const char *name)
{
  g_test_message ("stall in %s: %.1f ms", name, probe->phase_gap / 1000.0);
  g_printerr ("STALL-200 phase %s: %.1f ms\n", name, probe->phase_gap / 1000.0);
  probe->phase_gap = 0;
}

static gboolean
probe_tick (gpointer user_data)
{
  StallProbe *probe = user_data;
  gint64 now = g_get_monotonic_time ();

  if (probe->last != 0 && now - probe->last > probe->max_gap)
    probe->max_gap = now - probe->last;
  if (probe->last != 0 && now - probe->last > probe->phase_gap)
    probe->phase_gap = now - probe->last;
  probe->last = now;
  probe->ticks++;
  return G_SOURCE_CONTINUE;
}

static gboolean
has_n_transfers (gpointer n)
{
  return g_list_model_get_n_items (G_LIST_MODEL (store ())) >= GPOINTER_TO_UINT (n);
}

/* 200 transfers, each with a schedule and 100 runs of history, come in
 * through the folder (as from ferry-cli); the scheduler's minute passes
 * twice; a transfer is selected and its History shown. How long is the
 * main loop ever busy without a break? The figure is printed (STALL-200:),
 * for the report; the assertion only catches a hang. */
static void
test_stall_200 (void)
{
  g_autofree char *rules_path = ferry_schedule_store_dup_path ();
  g_autoptr(GKeyFile) rules = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) base = g_date_time_new_now_utc ();
  g_autofree char *summary = NULL;
  FerryBackground *background = ferry_application_get_background (app);
  guint before = g_list_model_get_n_items (G_LIST_MODEL (store ()));
  StallProbe probe = { 0, };
  FerryTransfer *picked;
  guint timer;
  gint64 started;

  if (g_getenv ("FERRY_TEST_STALL") == NULL)
    {
      g_test_skip ("set FERRY_TEST_STALL=1 to measure (about a minute of setup)");
      return;
    }
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(FerryTransfer) transfer = ferry_transfer_new ();
      g_autofree char *name = g_strdup_printf ("Site %03u", i);
      g_autofree char *source = g_strdup_printf ("%s/many/%03u", g_getenv ("FERRY_TEST_DIR"), i);
      g_autofree char *destination = g_strconcat (source, "-copy", NULL);
      g_autofree char *folder = NULL;

      ferry_transfer_set_name (transfer, name);
      ferry_transfer_set_source_connector_id (transfer, "local");
      ferry_transfer_set_source_path (transfer, source);
      ferry_transfer_set_destination_connector_id (transfer, "local");
      ferry_transfer_set_destination_path (transfer, destination);
      g_ptr_array_add (ids, g_strdup (ferry_transfer_get_id (transfer)));
      g_key_file_set_string (rules, ferry_transfer_get_id (transfer), "Every", "day");
      g_key_file_set_string (rules, ferry_transfer_get_id (transfer), "At", "03:00");
      g_key_file_set_int64 (rules, ferry_transfer_get_id (transfer), "Since", g_date_time_to_unix (base));

      /* 100 runs: summaries as a run leaves them. */
      folder = ferry_run_history_dup_folder (ferry_transfer_get_id (transfer));
      g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
      for (guint r = 0; r < 100; r++)
        {
          g_autoptr(GDateTime) when = g_date_time_add_hours (base, -(int) (100 - r) * 24);
          g_autofree char *stamp = g_date_time_format (when, "%Y%m%dT%H%M%S");
          g_autofree char *path = g_strdup_printf ("%s/%s.000000Z.run", folder, stamp);
          g_autofree char *text = g_strdup_printf ("[Run]\nTransfer=%s\nState=completed\nStarted=%" G_GINT64_FORMAT
                                                   "\nEnded=%" G_GINT64_FORMAT "\nFilesCopied=3\nFilesSkipped=0\n"
                                                   "FilesFailed=0\nFilesTotal=3\nBytesCopied=300\nBytesTotal=300\n"
                                                   "Pid=1\nBootId=\n",
                                                   ferry_transfer_get_id (transfer), g_date_time_to_unix (when),
                                                   g_date_time_to_unix (when) + 2);

          g_file_set_contents (path, text, -1, &error);
          g_assert_no_error (error);
        }
      g_assert_true (ferry_transfer_store_write (transfer, &error));
      g_assert_no_error (error);
    }
  g_key_file_save_to_file (rules, rules_path, &error);
  g_assert_no_error (error);
  /* The summaries above must read as runs. */
  {
    g_autoptr(FerryRunRecord) latest = ferry_run_history_latest (g_ptr_array_index (ids, 0), &error);

    g_assert_no_error (error);
    g_assert_cmpint (latest->state, ==, FERRY_RUN_STATE_COMPLETED);
  }

  timer = g_timeout_add (5, probe_tick, &probe);
  started = g_get_monotonic_time ();
  /* The rows come in through the folder's monitor. */
  g_assert_true (ferry_test_wait_until (has_n_transfers, GUINT_TO_POINTER (before + 200), 60));
  ferry_test_settle (2.0);
  end_phase (&probe, "rows");
  /* The scheduler's minute, twice (the schedules file changed too). */
  ferry_background_update (background);
  ferry_background_run_due (background);
  ferry_test_settle (2.0);
  ferry_background_update (background);
  ferry_test_settle (2.0);
  end_phase (&probe, "scheduler");
  /* A transfer selected, its History shown. */
  picked = ferry_transfer_store_find_by_id (store (), g_ptr_array_index (ids, 100));
  ferry_window_select_transfer (window, picked);
  ferry_transfer_detail_show_page (ferry_window_get_detail (window), "history");
  ferry_test_settle (3.0);
  end_phase (&probe, "history");
  g_source_remove (timer);

  summary = g_strdup_printf ("STALL-200: 200 scheduled transfers with 100 runs each: longest main-loop stall %.1f ms "
                             "(%u ticks of 5 ms in %.1f s)",
                             probe.max_gap / 1000.0, probe.ticks, (g_get_monotonic_time () - started) / 1e6);
  g_test_message ("%s", summary);
  g_printerr ("%s\n", summary);
  g_assert_cmpint (probe.max_gap, <, 10 * G_USEC_PER_SEC);

  /* Leave no schedules behind for the tests after. */
  g_assert_cmpint (g_unlink (rules_path), ==, 0);
  ferry_background_update (background);
}

/* --- 9: Ctrl+Q ----------------------------------------------------------------- */

typedef enum
{
  QUIT_ASKED,
  QUIT_KEPT,
  QUIT_CONFIRMED,
} QuitStage;

static QuitStage quit_stage;
static gboolean quit_timed_out;
static char *slow_id;

static gboolean
slow_running (gpointer user_data)
{
  FerryTransfer *transfer = ferry_transfer_store_find_by_id (store (), slow_id);
  FerryRun *run = transfer != NULL ? ferry_window_get_run (window, transfer) : NULL;

  return run != NULL && ferry_run_get_state (run) == FERRY_RUN_STATE_RUNNING;
}

static gboolean
quit_scenario (gpointer user_data)
{
  AdwMessageDialog *dialog;

  /* Ctrl+Q is app.quit; a transfer runs, so the window asks first. */
  g_assert_true (ferry_test_wait_until (slow_running, NULL, 30));
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  g_assert_true (ferry_test_wait_until (toplevel_shown, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), 10));
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "stop"), ==, "_Stop and Quit");
  {
    g_autofree char *png = ferry_test_save_snapshot (GTK_WIDGET (window), "transfers-quit-asks");

    g_test_message ("asks: %s", png);
  }
  /* Keep Running: nothing quits. */
  quit_stage = QUIT_KEPT;
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  ferry_test_settle (0.5);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_cmpuint (ferry_window_get_n_active (window), ==, 1);

  /* Again, Stop and Quit: the run stops, the process ends although a
   * schedule holds the application. */
  quit_stage = QUIT_CONFIRMED;
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  respond ("stop");
  return G_SOURCE_REMOVE;
}

static gboolean
quit_too_long (gpointer user_data)
{
  quit_timed_out = TRUE;
  g_application_quit (G_APPLICATION (app));
  return G_SOURCE_REMOVE;
}

static void
test_quit (void)
{
  char *argv[] = { (char *) "test-transfers", NULL };
  g_auto(GStrv) actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), "<Control>q");
  FerryTransfer *transfer = make_transfer ("Slow", 4 * 1024 * 1024);
  guint timeout_id;
  int status;

  g_assert_true (g_strv_contains ((const char * const *) actions, "app.quit"));
  ferry_transfer_set_bandwidth_limit (transfer, 64 * 1024);
  g_assert_true (ferry_transfer_store_save (store (), transfer, NULL));
  slow_id = g_strdup (ferry_transfer_get_id (transfer));
  schedule_daily (slow_id);
  ferry_background_update (ferry_application_get_background (app));
  ferry_window_select_transfer (window, transfer);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);

  g_idle_add (quit_scenario, NULL);
  timeout_id = g_timeout_add_seconds (60, quit_too_long, NULL);
  status = g_application_run (G_APPLICATION (app), 1, argv);
  g_assert_false (quit_timed_out);
  g_source_remove (timeout_id);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (quit_stage, ==, QUIT_CONFIRMED);
  /* The run stopped, and History says so. */
  {
    g_autoptr(FerryRunRecord) record = ferry_run_history_latest (slow_id, NULL);

    g_assert_nonnull (record);
    g_assert_cmpint (record->state, ==, FERRY_RUN_STATE_CANCELLED);
  }
  window = NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  int status;

  if (g_getenv ("DISPLAY") == NULL || g_getenv ("FERRY_CLI") == NULL)
    {
      g_printerr ("needs tests/fixtures/ferry-testenv.py --display --keyring\n");
      return 77;
    }
  if (g_getenv ("GSK_RENDERER") == NULL)
    g_setenv ("GSK_RENDERER", "cairo", TRUE);
  /* The CLI's words and the rule's description in English. */
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  ferry_test_ui_init ();

  settings = g_settings_new (APPLICATION_ID);
  g_settings_set_boolean (settings, "notify-on-finish", FALSE);
  g_settings_set (settings, "window-size", "(ii)", 1000, 560);

  app = ferry_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = FERRY_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  ferry_test_settle (1.0);

  g_test_add_func ("/transfers/delete-forgets", test_delete_forgets);
  g_test_add_func ("/transfers/undo-restores", test_undo_restores);
  g_test_add_func ("/transfers/orphan-rule", test_orphan_rule);
  g_test_add_func ("/transfers/export-json", test_export_json);
  g_test_add_func ("/transfers/wizard-preview", test_wizard_preview);
  g_test_add_func ("/transfers/cli-changes", test_cli_changes);
  g_test_add_func ("/transfers/small-screen", test_small_screen);
  g_test_add_func ("/transfers/stall-200", test_stall_200);
  /* Last: it runs the application until it quits. */
  g_test_add_func ("/transfers/quit", test_quit);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
