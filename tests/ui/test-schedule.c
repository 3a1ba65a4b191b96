/* test-schedule.c: a scheduled run with the window closed, local → local.
 *
 * The application runs for real (g_application_run): the test sets an
 * hourly schedule in the Schedule dialog, moves the schedule's start two
 * hours back (as if that time had passed), closes the window — the
 * application keeps running, held by its scheduler — lets the scheduler do
 * what its minute timer does, and opens a window again: History lists the
 * run marked Scheduled. Turning the schedule off releases the application,
 * so g_application_run() returns by itself, and the autostart entry goes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ferry-application.h"
#include "ferry-run-history.h"
#include "ferry-schedule-dialog.h"
#include "ferry-schedule-store.h"
#include "ferry-test-ui.h"
#include "ferry-window.h"

static FerryApplication *app;
static char *transfer_id;
static gboolean timed_out;
static gboolean reopened;   /* the part after the window was closed ran */

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

static FerryWindow *
current_window (void)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  return window != NULL && FERRY_IS_WINDOW (window) ? FERRY_WINDOW (window) : NULL;
}

static gboolean
window_is_mapped (gpointer user_data)
{
  FerryWindow *window = current_window ();

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

static FerryScheduleDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (FERRY_IS_SCHEDULE_DIALOG (item) && gtk_widget_get_mapped (GTK_WIDGET (item)))
        return FERRY_SCHEDULE_DIALOG (item);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer user_data)
{
  return find_dialog () != NULL;
}

static gboolean
dialog_gone (gpointer user_data)
{
  return find_dialog () == NULL;
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean
file_gone (gpointer path)
{
  return !g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean
widget_visible (gpointer widget)
{
  return gtk_widget_get_visible (widget);
}

static gboolean
scheduled_run_done (gpointer user_data)
{
  g_autoptr(FerryRunRecord) record = ferry_run_history_latest (transfer_id, NULL);

  return record != NULL && record->scheduled && record->state == FERRY_RUN_STATE_COMPLETED;
}

static gboolean
history_shows_scheduled (gpointer user_data)
{
  FerryTransferDetail *detail = ferry_window_get_detail (current_window ());
  GtkWidget *list = child_of (detail, FERRY_TYPE_TRANSFER_DETAIL, "history_list");
  GtkWidget *row = gtk_widget_get_first_child (list);

  return row != NULL && ADW_IS_PREFERENCES_ROW (row) &&
         strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "Scheduled") != NULL;
}

/* As if the schedule had been set two hours ago: its last slot is due. */
static void
move_schedule_back (void)
{
  g_autofree char *path = ferry_schedule_store_dup_path ();
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_key_file_load_from_file (key_file, path, G_KEY_FILE_KEEP_COMMENTS, &error);
  g_assert_no_error (error);
  g_key_file_set_int64 (key_file, transfer_id, "Since", g_get_real_time () / G_USEC_PER_SEC - 2 * 3600);
  g_key_file_save_to_file (key_file, path, &error);
  g_assert_no_error (error);
}

static void
scenario_with_window (void)
{
  g_autofree char *source = test_path ("schedule-src");
  g_autofree char *destination = test_path ("schedule-out");
  g_autofree char *file = g_build_filename (source, "index.html", NULL);
  g_autofree char *autostart = ferry_schedule_store_dup_autostart_path ();
  g_autofree char *png = NULL;
  g_autoptr(FerryTransfer) transfer = ferry_transfer_new ();
  g_autoptr(GError) error = NULL;
  FerryScheduleRule rule;
  FerryScheduleDialog *dialog;
  FerryWindow *window;
  FerryTransfer *saved;
  FerryTransferRow *row;
  GtkWidget *label;

  g_assert_true (ferry_test_wait_until (window_is_mapped, NULL, 10));
  window = current_window ();

  g_assert_cmpint (g_mkdir_with_parents (source, 0755), ==, 0);
  g_file_set_contents (file, "<h1>hello</h1>\n", -1, &error);
  g_assert_no_error (error);
  ferry_transfer_set_name (transfer, "Nightly");
  ferry_transfer_set_source_connector_id (transfer, "local");
  ferry_transfer_set_source_path (transfer, source);
  ferry_transfer_set_destination_connector_id (transfer, "local");
  ferry_transfer_set_destination_path (transfer, destination);
  g_assert_true (ferry_transfer_store_save (ferry_window_get_transfer_store (window), transfer, &error));
  g_assert_no_error (error);
  saved = ferry_transfer_store_find_by_name (ferry_window_get_transfer_store (window), "Nightly");
  transfer_id = g_strdup (ferry_transfer_get_id (saved));
  ferry_window_select_transfer (window, saved);
  ferry_test_settle (0.5);

  /* User Actions → Schedule…: every hour at :00, saved. */
  g_assert_false (g_file_test (autostart, G_FILE_TEST_EXISTS));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.schedule", NULL);
  g_assert_true (ferry_test_wait_until (dialog_shown, NULL, 10));
  dialog = find_dialog ();
  adw_combo_row_set_selected (ADW_COMBO_ROW (child_of (dialog, FERRY_TYPE_SCHEDULE_DIALOG, "every_row")),
                              FERRY_SCHEDULE_EVERY_HOUR);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child_of (dialog, FERRY_TYPE_SCHEDULE_DIALOG, "minute_spin")), 0);
  ferry_test_settle (0.3);
  label = child_of (dialog, FERRY_TYPE_SCHEDULE_DIALOG, "next_label");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "Every hour at :00. Next run: "));
  g_assert_false (gtk_widget_get_visible (child_of (dialog, FERRY_TYPE_SCHEDULE_DIALOG, "hour_spin")));
  png = ferry_test_save_snapshot (GTK_WIDGET (dialog), "schedule-dialog");
  g_test_message ("dialog: %s", png);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "schedule.save", NULL);
  /* Saved on a worker thread: the dialog goes once it is on disk. */
  g_assert_true (ferry_test_wait_until (dialog_gone, NULL, 10));

  ferry_schedule_store_get (transfer_id, &rule);
  g_assert_cmpint (rule.every, ==, FERRY_SCHEDULE_EVERY_HOUR);
  g_assert_cmpint (rule.minute, ==, 0);
  /* The application's update reads the schedules on a worker thread. */
  g_assert_true (ferry_test_wait_until (file_exists, autostart, 10));
  row = ferry_window_find_row (window, saved);
  label = child_of (row, FERRY_TYPE_TRANSFER_ROW, "schedule_label");
  g_assert_true (ferry_test_wait_until (widget_visible, label, 10));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (label)), "Next run: "));

  /* Close the window and give the main loop back: without the
   * scheduler's hold g_application_run() would return now, and the rest
   * would never run. */
  move_schedule_back ();
  gtk_window_close (GTK_WINDOW (window));
}

static void
scenario_without_window (void)
{
  g_autofree char *destination = test_path ("schedule-out");
  g_autofree char *autostart = ferry_schedule_store_dup_autostart_path ();
  g_autofree char *png = NULL;
  g_autoptr(GError) error = NULL;
  FerryScheduleRule off = { FERRY_SCHEDULE_EVERY_OFF, 0, 0, 1 };
  FerryWindow *window;
  FerryTransfer *saved;

  reopened = TRUE;
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));

  /* What the minute timer does: the due run goes, with no window. */
  ferry_background_run_due (ferry_application_get_background (app));
  g_assert_true (ferry_test_wait_until (scheduled_run_done, NULL, 30));
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_assert_true (g_file_test (destination, G_FILE_TEST_IS_DIR));

  /* Opening Ferry again: a window on the same instance, History says so. */
  g_application_activate (G_APPLICATION (app));
  g_assert_true (ferry_test_wait_until (window_is_mapped, NULL, 10));
  window = current_window ();
  saved = ferry_transfer_store_find_by_id (ferry_window_get_transfer_store (window), transfer_id);
  ferry_window_select_transfer (window, saved);
  ferry_transfer_detail_show_page (ferry_window_get_detail (window), "history");
  g_assert_true (ferry_test_wait_until (history_shows_scheduled, NULL, 10));
  ferry_test_settle (0.5);
  g_free (png);
  png = ferry_test_save_snapshot (GTK_WIDGET (window), "schedule-history");
  g_test_message ("history: %s", png);

  /* The last schedule goes: so do the autostart entry and the hold. */
  g_assert_true (ferry_schedule_store_set (transfer_id, &off, &error));
  g_assert_no_error (error);
  ferry_background_update (ferry_application_get_background (app));
  g_assert_true (ferry_test_wait_until (file_gone, autostart, 10));
  gtk_window_close (GTK_WINDOW (window));
}

static gboolean
second_part (gpointer user_data)
{
  scenario_without_window ();
  return G_SOURCE_REMOVE;
}

static gboolean
first_part (gpointer user_data)
{
  scenario_with_window ();
  g_timeout_add (1000, second_part, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
too_long (gpointer user_data)
{
  timed_out = TRUE;
  g_application_quit (G_APPLICATION (app));
  return G_SOURCE_REMOVE;
}

static void
test_background (void)
{
  char *argv[] = { (char *) "test-schedule", NULL };
  guint timeout_id;
  int status;

  app = ferry_application_new ();
  g_idle_add (first_part, NULL);
  timeout_id = g_timeout_add_seconds (90, too_long, NULL);
  /* Returns once nothing holds the application: no window, no schedule. */
  status = g_application_run (G_APPLICATION (app), 1, argv);
  g_assert_true (reopened);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);
  g_assert_cmpint (status, ==, 0);
  g_clear_object (&app);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSettings) settings = NULL;

  if (g_getenv ("DISPLAY") == NULL)
    {
      g_printerr ("needs tests/fixtures/ferry-testenv.py --display --keyring\n");
      return 77;
    }
  if (g_getenv ("GSK_RENDERER") == NULL)
    g_setenv ("GSK_RENDERER", "cairo", TRUE);
  /* Times in the dialog and on the row in English. */
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  ferry_test_ui_init ();

  settings = g_settings_new (APPLICATION_ID);
  g_settings_set_boolean (settings, "notify-on-finish", FALSE);
  g_settings_set (settings, "window-size", "(ii)", 1100, 700);

  g_test_add_func ("/schedule/background", test_background);
  return g_test_run ();
}
