/* test-manager.c: the Migration Manager and the Transfer Wizard against a
 * real vsftpd. With a connector and no transfer, New Transfer is the
 * primary button. The wizard, driven the way a user would (choose, browse,
 * type, Next), creates an FTP → local transfer and starts it; the row
 * reaches Completed with the right counts; a rerun copies nothing and says
 * Up to date; View Log
 * shows the summary; a run against a stopped server fails with the reason
 * in the log and in the row. A 10 000-file local run measures how long the
 * main loop ever stalls. Snapshots of each screen go to the build folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry-application.h"
#include "ferry-connector-chooser.h"
#include "ferry-folder-chooser.h"
#include "ferry-preview-dialog.h"
#include "ferry-test-ui.h"
#include "ferry-window.h"

static FerryApplication *app;
static FerryWindow *window;
static char *ftp_connector_id;

static gboolean
window_is_mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (user_data));
}

static GtkWidget *
child_of (gpointer    widget,
          GType       type,
          const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
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
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
}

static gboolean
folder_settled (gpointer user_data)
{
  return !ferry_folder_chooser_get_busy (user_data);
}

static gboolean
connectors_have_ftp (gpointer user_data)
{
  return ferry_connector_store_find_by_id (ferry_application_get_connector_store (app), ftp_connector_id) != NULL;
}

static gboolean
window_idle (gpointer user_data)
{
  return ferry_window_get_n_active (window) == 0;
}

static gboolean
log_has (gpointer user_data)
{
  GListModel *log = ferry_transfer_detail_get_shown_log (ferry_window_get_detail (window));
  guint n = g_list_model_get_n_items (log);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FerryLogLine) line = g_list_model_get_item (log, i);

      if (strstr (ferry_log_line_get_text (line), user_data) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
run_ctl (const char *command)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "python3", g_getenv ("FERRY_TEST_CTL"), command, NULL };
  int status = -1;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
next_step (FerryTransferWizard *wizard,
           const char          *expected)
{
  GtkWidget *next = child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "next_button");

  g_assert_true (gtk_widget_is_sensitive (next));
  g_signal_emit_by_name (next, "clicked");
  g_assert_cmpstr (ferry_transfer_wizard_get_step (wizard), ==, expected);
}

static FerryTransfer *
create_with_wizard (const char *destination)
{
  FerryTransferWizard *wizard;
  FerryConnectorChooser *source_chooser;
  FerryFolderChooser *source_folder;
  FerryConnectorChooser *destination_chooser;
  FerryFolderChooser *destination_folder;
  GtkWidget *next;
  GtkListBox *folders;
  g_autofree char *png = NULL;
  FerryTransfer *transfer;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-transfer", NULL);
  wizard = ferry_window_get_wizard (window);
  g_assert_nonnull (wizard);
  g_assert_true (ferry_test_wait_until (window_is_mapped, wizard, 10));
  next = child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "next_button");
  g_assert_cmpstr (ferry_transfer_wizard_get_step (wizard), ==, "source");

  /* Nothing chosen: Next waits. */
  g_assert_false (gtk_widget_is_sensitive (next));
  source_chooser = FERRY_CONNECTOR_CHOOSER (child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "source_chooser"));
  g_assert_true (ferry_connector_chooser_select_id (source_chooser, ftp_connector_id));
  next_step (wizard, "source-folder");

  /* The server's root, listed live on a worker thread. */
  source_folder = FERRY_FOLDER_CHOOSER (child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "source_folder"));
  g_assert_true (ferry_folder_chooser_get_busy (source_folder));
  g_assert_false (gtk_widget_is_sensitive (next));
  g_assert_true (ferry_test_wait_until (folder_settled, source_folder, 20));
  g_assert_true (ferry_folder_chooser_get_valid (source_folder));
  folders = GTK_LIST_BOX (child_of (source_folder, FERRY_TYPE_FOLDER_CHOOSER, "folder_list"));
  g_assert_nonnull (gtk_list_box_get_row_at_index (folders, 0));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_list_box_get_row_at_index (folders, 0))),
                   ==, "site");

  /* A folder that is not there: the error in place, Next stays off. */
  ferry_folder_chooser_set_path (source_folder, "/no-such-folder");
  g_assert_true (ferry_test_wait_until (folder_settled, source_folder, 20));
  g_assert_false (ferry_folder_chooser_get_valid (source_folder));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child_of (source_folder, FERRY_TYPE_FOLDER_CHOOSER, "stack"))),
                   ==, "error");
  g_assert_false (gtk_widget_is_sensitive (next));

  /* Into "site" by activating its row, as a click does. */
  ferry_folder_chooser_set_path (source_folder, "/");
  g_assert_true (ferry_test_wait_until (folder_settled, source_folder, 20));
  g_signal_emit_by_name (folders, "row-activated", gtk_list_box_get_row_at_index (folders, 0));
  g_assert_cmpstr (ferry_folder_chooser_get_path (source_folder), ==, "/site");
  g_assert_true (ferry_test_wait_until (folder_settled, source_folder, 20));
  g_assert_true (ferry_folder_chooser_get_valid (source_folder));
  ferry_test_settle (0.3);
  png = ferry_test_save_snapshot (GTK_WIDGET (wizard), "wizard-source-folder");
  next_step (wizard, "destination");

  destination_chooser = FERRY_CONNECTOR_CHOOSER (child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "destination_chooser"));
  g_assert_false (gtk_widget_is_sensitive (next));
  g_assert_true (ferry_connector_chooser_select_id (destination_chooser, "local"));
  next_step (wizard, "destination-folder");

  /* A typed path that does not exist yet: created by the run. */
  destination_folder = FERRY_FOLDER_CHOOSER (child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "destination_folder"));
  g_assert_true (ferry_test_wait_until (folder_settled, destination_folder, 20));
  ferry_folder_chooser_set_path (destination_folder, destination);
  g_assert_true (ferry_test_wait_until (folder_settled, destination_folder, 20));
  g_assert_true (ferry_folder_chooser_get_valid (destination_folder));
  next_step (wizard, "options");

  /* A name is suggested; the user's own replaces it. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "name_row"))),
                   ==, "site to This Computer");
  gtk_editable_set_text (GTK_EDITABLE (child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "name_row")), "Site backup");
  ferry_test_settle (0.3);
  g_free (png);
  png = ferry_test_save_snapshot (GTK_WIDGET (wizard), "wizard-options");

  g_assert_true (gtk_widget_is_sensitive (child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "start_button")));
  g_signal_emit_by_name (child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "start_button"), "clicked");
  g_assert_null (ferry_window_get_wizard (window));

  transfer = ferry_transfer_store_find_by_name (ferry_window_get_transfer_store (window), "Site backup");
  g_assert_nonnull (transfer);
  g_assert_cmpstr (ferry_transfer_get_source_path (transfer), ==, "/site");
  g_assert_cmpstr (ferry_transfer_get_destination_path (transfer), ==, destination);
  return transfer;
}

/* No transfer yet, but a connector: the next step, New Transfer, is the
 * primary button. */
static void
test_empty_with_connector (void)
{
  GtkWidget *authorize = child_of (window, FERRY_TYPE_WINDOW, "empty_authorize_button");
  GtkWidget *new_transfer = child_of (window, FERRY_TYPE_WINDOW, "empty_new_transfer_button");
  g_autofree char *png = NULL;

  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child_of (window, FERRY_TYPE_WINDOW, "stack"))),
                   ==, "empty");
  g_assert_true (gtk_widget_has_css_class (new_transfer, "suggested-action"));
  g_assert_false (gtk_widget_has_css_class (authorize, "suggested-action"));
  /* First in the box, where the eye and the Tab key go first. */
  g_assert_true (gtk_widget_get_first_child (gtk_widget_get_parent (new_transfer)) == new_transfer);
  g_assert_true (gtk_widget_get_visible (authorize));
  /* Start Migrating is off, and says why. */
  g_assert_false (gtk_widget_is_sensitive (child_of (window, FERRY_TYPE_WINDOW, "start_button")));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (child_of (window, FERRY_TYPE_WINDOW, "start_button")),
                   ==, "Create a transfer first, with New Transfer");
  png = ferry_test_save_snapshot (GTK_WIDGET (window), "window-empty-with-connector");
}

static void
test_ftp_to_local (void)
{
  const char *root = g_getenv ("FERRY_TEST_FTP_ROOT");
  g_autofree char *destination = g_build_filename (g_getenv ("FERRY_TEST_DIR"), "copy", NULL);
  g_autofree char *copied = g_build_filename (destination, "sub", "deeper", "c.bin", NULL);
  g_autofree char *png = NULL;
  FerryTransfer *transfer;
  FerryTransferRow *row;
  FerryRun *first;
  FerryRun *second;
  FerryRun *third;

  write_file (g_build_filename (root, "site", "index.html", NULL), 1200);
  write_file (g_build_filename (root, "site", "sub", "b.txt", NULL), 3000);
  write_file (g_build_filename (root, "site", "sub", "deeper", "c.bin", NULL), 70000);

  transfer = create_with_wizard (destination);

  /* Start Migrating in the wizard started it. */
  g_assert_cmpuint (ferry_window_get_n_active (window), ==, 1);
  g_assert_true (ferry_test_wait_until (window_idle, NULL, 60));
  first = ferry_window_get_run (window, transfer);
  g_assert_nonnull (first);
  g_assert_cmpint (ferry_run_get_state (first), ==, FERRY_RUN_STATE_COMPLETED);
  g_assert_cmpuint (ferry_run_get_files_done (first), ==, 3);
  g_assert_cmpuint (ferry_run_get_files_total (first), ==, 3);
  g_assert_true (g_file_test (copied, G_FILE_TEST_IS_REGULAR));
  row = ferry_window_find_row (window, transfer);
  g_assert_nonnull (row);
  g_assert_cmpstr (ferry_transfer_row_get_state_text (row), ==, "Completed");
  /* Files and bytes count the same things: those copied. */
  g_assert_true (g_str_has_prefix (ferry_transfer_row_get_counts_text (row), "3 files copied ("));

  /* Rerun (Ctrl+R's action): nothing new, nothing copied. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  g_assert_cmpuint (ferry_window_get_n_active (window), ==, 1);
  g_assert_true (ferry_test_wait_until (window_idle, NULL, 60));
  second = ferry_window_get_run (window, transfer);
  g_assert_true (second != first);
  g_assert_cmpint (ferry_run_get_state (second), ==, FERRY_RUN_STATE_COMPLETED);
  g_assert_cmpuint (ferry_run_get_files_done (second), ==, 0);
  g_assert_cmpuint (ferry_run_get_files_skipped (second), ==, 3);
  /* Read as what it is, not as "0 bytes of 74.2 kB copied". */
  g_assert_cmpstr (ferry_transfer_row_get_state_text (row), ==, "Up to date");
  g_assert_cmpstr (ferry_transfer_row_get_counts_text (row), ==, "Up to date — 3 files checked");

  /* View Log (Ctrl+L's action) shows the summary of that run. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.view-log", NULL);
  g_assert_true (ferry_test_wait_until (log_has, "Copied 0 files", 10));
  ferry_test_settle (0.5);
  png = ferry_test_save_snapshot (GTK_WIDGET (window), "manager-log");

  /* History lists both runs; the second is newest. */
  ferry_transfer_detail_show_page (ferry_window_get_detail (window), "history");
  ferry_test_settle (0.5);
  g_free (png);
  png = ferry_test_save_snapshot (GTK_WIDGET (window), "manager-history");
  ferry_transfer_detail_show_page (ferry_window_get_detail (window), "log");

  /* The server goes away: the run fails and says why, in the log and the row. */
  run_ctl ("stop-ftp");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  g_assert_true (ferry_test_wait_until (window_idle, NULL, 90));
  third = ferry_window_get_run (window, transfer);
  g_assert_true (third != second);
  g_assert_cmpint (ferry_run_get_state (third), ==, FERRY_RUN_STATE_FAILED);
  g_assert_true (ferry_test_wait_until (log_has, "The run failed", 10));
  row = ferry_window_find_row (window, transfer);
  g_assert_cmpstr (ferry_transfer_row_get_state_text (row), ==, "Failed");
  g_test_message ("row says: %s", ferry_transfer_row_get_status_text (row));
  g_assert_cmpstr (ferry_transfer_row_get_status_text (row), !=, "");
  g_assert_true (log_has ((gpointer) ferry_transfer_row_get_status_text (row)));
  ferry_test_settle (0.5);
  g_free (png);
  png = ferry_test_save_snapshot (GTK_WIDGET (window), "manager-failed");
  run_ctl ("start-ftp");
}

/* Edit reopens the wizard filled in; Duplicate and Delete with undo. */
static void
test_edit_duplicate_delete (void)
{
  FerryTransferStore *store = ferry_window_get_transfer_store (window);
  FerryTransfer *transfer = ferry_transfer_store_find_by_name (store, "Site backup");
  FerryTransferWizard *wizard;
  guint n;

  g_assert_nonnull (transfer);
  ferry_window_select_transfer (window, transfer);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit", NULL);
  wizard = ferry_window_get_wizard (window);
  g_assert_nonnull (wizard);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "name_row"))),
                   ==, "Site backup");
  g_assert_cmpstr (ferry_connector_get_id (ferry_connector_chooser_get_selected (FERRY_CONNECTOR_CHOOSER (child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "source_chooser")))),
                   ==, ftp_connector_id);
  g_signal_emit_by_name (child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "next_button"), "clicked");
  g_assert_true (ferry_test_wait_until (folder_settled,
                                        child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "source_folder"), 20));
  g_assert_cmpstr (ferry_folder_chooser_get_path (FERRY_FOLDER_CHOOSER (child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "source_folder"))),
                   ==, "/site");
  gtk_window_destroy (GTK_WINDOW (wizard));

  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.duplicate", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, n + 1);
  g_assert_nonnull (ferry_transfer_store_find_by_name (store, "Site backup (copy)"));
  wizard = ferry_window_get_wizard (window);
  g_assert_nonnull (wizard);
  gtk_window_destroy (GTK_WINDOW (wizard));

  /* Delete goes after confirmation, and Undo brings it back. */
  transfer = ferry_transfer_store_find_by_name (store, "Site backup (copy)");
  ferry_window_select_transfer (window, transfer);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.delete", NULL);
  ferry_test_settle (0.2);
  {
    GList *toplevels = gtk_window_list_toplevels ();
    AdwMessageDialog *dialog = NULL;

    for (GList *l = toplevels; l != NULL; l = l->next)
      if (ADW_IS_MESSAGE_DIALOG (l->data))
        dialog = l->data;
    g_list_free (toplevels);
    g_assert_nonnull (dialog);
    adw_message_dialog_response (dialog, "delete");
    gtk_window_destroy (GTK_WINDOW (dialog));
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, n);
  g_assert_null (ferry_transfer_store_find_by_name (store, "Site backup (copy)"));
  {
    g_autoptr(FerryTransferStore) reread = ferry_transfer_store_new ();

    g_assert_true (ferry_transfer_store_load (reread, NULL));
    g_assert_null (ferry_transfer_store_find_by_name (reread, "Site backup (copy)"));
  }
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-delete", "s", ferry_transfer_get_id (transfer));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, n + 1);
  g_assert_nonnull (ferry_transfer_store_find_by_name (store, "Site backup (copy)"));
}

typedef struct
{
  gint64 last;
  gint64 max_gap;
  guint  ticks;
  gboolean took_snapshot;
  FerryRun *run;
} StallProbe;

static gboolean
probe_tick (gpointer user_data)
{
  StallProbe *probe = user_data;
  gint64 now = g_get_monotonic_time ();

  if (probe->last != 0 && now - probe->last > probe->max_gap)
    probe->max_gap = now - probe->last;
  if (probe->last != 0 && now - probe->last > 100000 && probe->run != NULL)
    g_printerr ("gap %.0f ms ending at files done %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT "\n",
                (now - probe->last) / 1000.0, ferry_run_get_files_done (probe->run), ferry_run_get_files_total (probe->run));
  probe->last = now;
  probe->ticks++;
  return G_SOURCE_CONTINUE;
}

static gboolean
halfway (gpointer user_data)
{
  FerryRun *run = user_data;

  return ferry_run_get_files_total (run) > 0
         && ferry_run_get_files_done (run) * 3 > ferry_run_get_files_total (run);
}

/* 10 000 small files local → local, with the detail pane showing the live
 * log: how long is the main loop ever busy without a break? */
static void
test_stall_10000 (void)
{
  g_autofree char *source = g_build_filename (g_getenv ("FERRY_TEST_DIR"), "many", NULL);
  g_autofree char *destination = g_build_filename (g_getenv ("FERRY_TEST_DIR"), "many-copy", NULL);
  g_autoptr(FerryTransfer) transfer = ferry_transfer_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *png = NULL;
  StallProbe probe = { 0, };
  FerryRun *run;
  guint timer;
  gint64 started;

  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *name = g_strdup_printf ("d%02u/file-%05u.txt", i / 100, i);
      g_autofree char *path = g_build_filename (source, name, NULL);

      write_file (path, 512 + i % 1024);
    }
  ferry_transfer_set_name (transfer, "Ten thousand files");
  ferry_transfer_set_source_connector_id (transfer, "local");
  ferry_transfer_set_source_path (transfer, source);
  ferry_transfer_set_destination_connector_id (transfer, "local");
  ferry_transfer_set_destination_path (transfer, destination);
  g_assert_true (ferry_transfer_store_save (ferry_window_get_transfer_store (window), transfer, &error));
  g_assert_no_error (error);
  ferry_window_select_transfer (window, transfer);
  ferry_test_settle (0.3);

  timer = g_timeout_add (5, probe_tick, &probe);
  started = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (ferry_window_get_run (window, transfer) == NULL && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  run = ferry_window_get_run (window, transfer);
  g_assert_nonnull (run);
  probe.run = run;
  g_assert_true (ferry_test_wait_until (halfway, run, 120));
  /* Rendering the snapshot is the test's own work, not the app's. */
  png = ferry_test_save_snapshot (GTK_WIDGET (window), "manager-running");
  probe.last = 0;
  g_assert_true (ferry_test_wait_until (window_idle, NULL, 300));
  g_source_remove (timer);

  g_assert_cmpint (ferry_run_get_state (run), ==, FERRY_RUN_STATE_COMPLETED);
  g_assert_cmpuint (ferry_run_get_files_done (run), ==, 10000);
  g_test_message ("10 000 files local→local in %.1f s; main loop: %u ticks, longest stall %.1f ms",
                  (g_get_monotonic_time () - started) / 1e6, probe.ticks, probe.max_gap / 1000.0);
  g_printerr ("STALL: 10000 files in %.1f s, longest main-loop stall %.1f ms (%u ticks of 5 ms)\n",
              (g_get_monotonic_time () - started) / 1e6, probe.max_gap / 1000.0, probe.ticks);
  /* Snapshots and the first layout of a long log are in there too. */
  g_assert_cmpint (probe.max_gap, <, 500 * 1000);
}

static FerryPreviewDialog *
find_preview (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (FERRY_IS_PREVIEW_DIALOG (toplevel))
        return FERRY_PREVIEW_DIALOG (toplevel);
    }
  return NULL;
}

static gboolean
preview_done (gpointer user_data)
{
  return ferry_preview_dialog_is_done (user_data);
}

/* The subtitle of the group row titled `title`, as on screen. */
static const char *
group_subtitle (FerryPreviewDialog *dialog,
                const char         *title)
{
  GtkWidget *list = child_of (dialog, FERRY_TYPE_PREVIEW_DIALOG, "group_list");

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
      return gtk_widget_get_visible (row) ? adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) : NULL;
  return NULL;
}

/* Preview of 10 000 files: the counts on screen, nothing written, and how
 * long the main loop ever stalls while the plan streams in. */
static void
test_preview_10000 (void)
{
  g_autofree char *source = g_build_filename (g_getenv ("FERRY_TEST_DIR"), "preview-many", NULL);
  g_autofree char *destination = g_build_filename (g_getenv ("FERRY_TEST_DIR"), "preview-copy", NULL);
  g_autoptr(FerryTransfer) transfer = ferry_transfer_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *png = NULL;
  const char *excludes[] = { "*.skip", NULL };
  StallProbe probe = { 0, };
  FerryPreviewDialog *dialog;
  guint64 bytes = 0;
  guint timer;

  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *name = g_strdup_printf ("d%02u/file-%05u.%s", i / 100, i, i % 10 == 0 ? "skip" : "txt");
      g_autofree char *path = g_build_filename (source, name, NULL);

      write_file (path, 100);
    }
  ferry_transfer_set_name (transfer, "Preview ten thousand");
  ferry_transfer_set_source_connector_id (transfer, "local");
  ferry_transfer_set_source_path (transfer, source);
  ferry_transfer_set_destination_connector_id (transfer, "local");
  ferry_transfer_set_destination_path (transfer, destination);
  ferry_transfer_set_excludes (transfer, excludes);
  g_assert_true (ferry_transfer_store_save (ferry_window_get_transfer_store (window), transfer, &error));
  g_assert_no_error (error);
  ferry_window_select_transfer (window, transfer);
  ferry_test_settle (0.3);

  timer = g_timeout_add (5, probe_tick, &probe);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.preview", NULL);
  dialog = find_preview ();
  g_assert_nonnull (dialog);
  g_assert_true (ferry_test_wait_until (preview_done, dialog, 120));
  g_source_remove (timer);
  ferry_test_settle (0.3);

  g_assert_cmpuint (ferry_preview_dialog_get_count (dialog, FERRY_OUTCOME_COPIED, &bytes), ==, 9000);
  g_assert_cmpuint (bytes, ==, 9000 * 100);
  g_assert_cmpuint (ferry_preview_dialog_get_count (dialog, FERRY_OUTCOME_EXCLUDED, NULL), ==, 1000);
  g_assert_cmpstr (group_subtitle (dialog, "New: Will Be Copied"), ==, "9000 files · 900.0\u00a0kB");
  g_assert_cmpstr (group_subtitle (dialog, "Left Out by Filters"), ==, "1000 files · 100.0\u00a0kB");
  g_assert_false (g_file_test (destination, G_FILE_TEST_EXISTS));
  png = ferry_test_save_snapshot (GTK_WIDGET (dialog), "preview");
  g_printerr ("PREVIEW: 10000 entries, longest main-loop stall %.1f ms (%u ticks of 5 ms)\n",
              probe.max_gap / 1000.0, probe.ticks);
  g_assert_cmpint (probe.max_gap, <, 500 * 1000);
  gtk_window_close (GTK_WINDOW (dialog));
  ferry_test_settle (0.2);
}

static gboolean
filter_count_is (gpointer user_data)
{
  FerryTransferWizard *wizard = ferry_window_get_wizard (window);
  GtkWidget *row = child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "filter_count_row");

  return g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), user_data) == 0;
}

/* Edit of the 10 000-file transfer: the filter fields count, against its
 * last run's records, what the patterns being typed would leave out. */
static void
test_filter_count (void)
{
  FerryTransferStore *store = ferry_window_get_transfer_store (window);
  FerryTransfer *transfer = ferry_transfer_store_find_by_name (store, "Ten thousand files");
  FerryTransferWizard *wizard;
  g_autofree char *png = NULL;

  g_assert_nonnull (transfer);
  ferry_window_select_transfer (window, transfer);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit", NULL);
  wizard = ferry_window_get_wizard (window);
  g_assert_nonnull (wizard);
  gtk_stack_set_visible_child_name (GTK_STACK (child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "stack")), "options");
  /* file-00000 … file-00099, and the 100 files of d99. */
  gtk_editable_set_text (GTK_EDITABLE (child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "exclude_row")),
                         "file-000*.txt, d99/");
  g_assert_true (ferry_test_wait_until (filter_count_is,
                                        "These patterns leave out 200 of the 10000 files the last run saw", 30));
  gtk_editable_set_text (GTK_EDITABLE (child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "max_size_row")), "1000");
  /* 512 + i % 1024 bytes: 1000 bytes or less for i % 1024 <= 488. */
  g_assert_true (ferry_test_wait_until (filter_count_is,
                                        "These patterns leave out 5210 of the 10000 files the last run saw", 30));
  gtk_editable_set_text (GTK_EDITABLE (child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "max_size_row")), "lots");
  g_assert_true (ferry_test_wait_until (filter_count_is, "“lots” is not a size: write it like 500K, 100M or 2G", 30));
  gtk_editable_set_text (GTK_EDITABLE (child_of (wizard, FERRY_TYPE_TRANSFER_WIZARD, "max_size_row")), "");
  ferry_test_settle (0.5);
  png = ferry_test_save_snapshot (GTK_WIDGET (wizard), "wizard-filters");
  gtk_window_destroy (GTK_WINDOW (wizard));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryConnector) connector = NULL;
  g_autoptr(GSettings) settings = NULL;
  int status;

  if (g_getenv ("DISPLAY") == NULL || g_getenv ("FERRY_TEST_FTP_PORT") == NULL)
    {
      g_printerr ("needs tests/fixtures/ferry-testenv.py --display --keyring --ftp\n");
      return 77;
    }

  /* Xvfb has no GPU: GL goes through llvmpipe, whose frames alone take
   * hundreds of milliseconds on a loaded machine and would hide what the
   * app does to the main loop. Cairo draws the same widgets in software. */
  if (g_getenv ("GSK_RENDERER") == NULL)
    g_setenv ("GSK_RENDERER", "cairo", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  ferry_test_ui_init ();

  /* No notification server on the private bus. */
  settings = g_settings_new (APPLICATION_ID);
  g_settings_set_boolean (settings, "notify-on-finish", FALSE);
  g_settings_set (settings, "window-size", "(ii)", 1100, 700);

  app = ferry_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  connector = ferry_connector_new (FERRY_CONNECTOR_KIND_FTP);
  ferry_connector_set_name (connector, "Test FTP");
  ferry_connector_set_server (connector, "127.0.0.1");
  ferry_connector_set_port (connector, atoi (g_getenv ("FERRY_TEST_FTP_PORT")));
  ferry_connector_set_username (connector, g_getenv ("FERRY_TEST_USER"));
  g_assert_true (ferry_connector_store_save_sync (ferry_application_get_connector_store (app), connector,
                                                  g_getenv ("FERRY_TEST_PASSWORD"), NULL, &error));
  g_assert_no_error (error);
  ftp_connector_id = g_strdup (ferry_connector_get_id (connector));

  g_application_activate (G_APPLICATION (app));
  window = FERRY_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (ferry_test_wait_until (window_is_mapped, window, 10));
  g_assert_true (ferry_test_wait_until (connectors_have_ftp, NULL, 10));
  ferry_test_settle (1.0);

  g_test_add_func ("/manager/empty-with-connector", test_empty_with_connector);
  g_test_add_func ("/manager/ftp-to-local", test_ftp_to_local);
  g_test_add_func ("/manager/edit-duplicate-delete", test_edit_duplicate_delete);
  g_test_add_func ("/manager/stall-10000", test_stall_10000);
  g_test_add_func ("/manager/preview-10000", test_preview_10000);
  g_test_add_func ("/manager/filter-count", test_filter_count);

  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  return status;
}
