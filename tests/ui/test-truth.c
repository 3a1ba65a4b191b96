/* test-truth.c: what the Migration Manager says about copies and
 * verifications, through the window (issue 23, "every surface tells the
 * truth"), with a real vsftpd for the failure:
 *  - Verify → Compare Contents finds a file corrupted at the destination
 *    (same size, same time); its Copy Again copies exactly that file, and
 *    a checksum verification afterwards finds every file alike;
 *  - a verification never changes the row's copy counts or its state; the
 *    row has a line of its own, "Verified today 10:09 · all 3 files match";
 *  - History words each run by its kind: "Verified · 1 file differs
 *    (content)", never "Copied 3 files" for a verification;
 *  - a verification that could not connect gives no verdict, only why, in
 *    the connection check's words.
 * Screenshots for data/screenshots: history-copies-and-verifications,
 * verify-failed-connection, row-after-copy-again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <utime.h>

#include "ferry-application.h"
#include "ferry-test-ui.h"
#include "ferry-verify-dialog.h"
#include "ferry-window.h"

static FerryApplication *app;
static FerryWindow *window;
static char *ftp_connector_id;

static gboolean
window_is_mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (user_data));
}

static gboolean
window_idle (gpointer user_data)
{
  return ferry_window_get_n_active (window) == 0;
}

static gboolean
connectors_have_ftp (gpointer user_data)
{
  return ferry_connector_store_find_by_id (ferry_application_get_connector_store (app), ftp_connector_id) != NULL;
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
put (const char *path,
     const char *text)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static FerryTransfer *
add_transfer (const char *name,
              const char *source_connector,
              const char *source,
              const char *destination)
{
  g_autoptr(FerryTransfer) transfer = ferry_transfer_new ();
  g_autoptr(GError) error = NULL;
  FerryTransferStore *store = ferry_window_get_transfer_store (window);

  ferry_transfer_set_name (transfer, name);
  ferry_transfer_set_source_connector_id (transfer, source_connector);
  ferry_transfer_set_source_path (transfer, source);
  ferry_transfer_set_destination_connector_id (transfer, "local");
  ferry_transfer_set_destination_path (transfer, destination);
  g_assert_true (ferry_transfer_store_save (store, transfer, &error));
  g_assert_no_error (error);
  return ferry_transfer_store_find_by_name (store, name);
}

/* The Verify dialog the window opened, or NULL. */
static FerryVerifyDialog *
find_verify_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (FERRY_IS_VERIFY_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return FERRY_VERIFY_DIALOG (toplevel);
    }
  return NULL;
}

static gboolean
verify_dialog_done (gpointer user_data)
{
  FerryVerifyDialog *dialog = find_verify_dialog ();
  const char *page;

  if (dialog == NULL)
    return FALSE;
  page = gtk_stack_get_visible_child_name (GTK_STACK (child_of (dialog, FERRY_TYPE_VERIFY_DIALOG, "stack")));
  return g_strcmp0 (page, "running") != 0 && window_idle (NULL);
}

/* Verify through the window's action; with `checksum`, Compare Contents
 * once the listing's verdict is in. The dialog stays open. */
static FerryVerifyDialog *
verify (FerryTransfer *transfer,
        gboolean       checksum)
{
  FerryVerifyDialog *dialog;

  ferry_window_select_transfer (window, transfer);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.verify", NULL);
  g_assert_true (ferry_test_wait_until (verify_dialog_done, NULL, 60));
  dialog = find_verify_dialog ();
  if (checksum)
    {
      g_signal_emit_by_name (child_of (dialog, FERRY_TYPE_VERIFY_DIALOG, "checksum_button"), "clicked");
      ferry_test_settle (0.1);
      g_assert_true (ferry_test_wait_until (verify_dialog_done, NULL, 60));
    }
  return dialog;
}

static const char *
visible_page (FerryVerifyDialog *dialog)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (child_of (dialog, FERRY_TYPE_VERIFY_DIALOG, "stack")));
}

static const char *
result_title (FerryVerifyDialog *dialog)
{
  return adw_status_page_get_title (ADW_STATUS_PAGE (child_of (dialog, FERRY_TYPE_VERIFY_DIALOG, "result_page")));
}

/* A button labelled `label` somewhere under `widget`. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
corrupt (const char *path)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  GStatBuf before;
  struct utimbuf times;

  g_assert_cmpint (g_stat (path, &before), ==, 0);
  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  g_assert_cmpuint (length, >, 2);
  data[length / 2] ^= 1;
  g_assert_true (g_file_set_contents (path, data, length, NULL));
  times.actime = before.st_atime;
  times.modtime = before.st_mtime;
  g_assert_cmpint (g_utime (path, &times), ==, 0);
}

static char *
contents_of (const char *path)
{
  char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  return data;
}

static char *
copy_screenshot (const char *png,
                 const char *name)
{
  /* Kept beside the test's own snapshots; the lead copies what is wanted
   * to data/screenshots. */
  g_test_message ("%s: %s", name, png);
  return g_strdup (png);
}

/* --- Copy Again repairs what Compare Contents found ----------------------------- */

static FerryTransfer *site;
static char *site_source;
static char *site_copy;

static gboolean
history_has (gpointer user_data)
{
  GtkWidget *list = child_of (ferry_window_get_detail (window), FERRY_TYPE_TRANSFER_DETAIL, "history_list");
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    n++;
  return n == GPOINTER_TO_UINT (user_data);
}

static gboolean
verify_line_says (gpointer user_data)
{
  FerryTransferRow *row = ferry_window_find_row (window, site);

  return row != NULL && strstr (ferry_transfer_row_get_verify_text (row), user_data) != NULL;
}

static void
on_description (AdwStatusPage  *page,
                GParamSpec     *pspec,
                char          **last)
{
  const char *text = adw_status_page_get_description (page);

  if (text != NULL && *text != '\0')
    {
      g_free (*last);
      *last = g_strdup (text);
    }
}

static void
test_copy_again (void)
{
  g_autofree char *logo = NULL;
  g_autofree char *logo_copy = NULL;
  g_autofree char *original = NULL;
  g_autofree char *repaired = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *png = NULL;
  FerryVerifyDialog *dialog;
  FerryTransferRow *row;
  GtkWidget *list;
  GtkWidget *again;
  FerryRun *run;

  site_source = g_build_filename (g_getenv ("FERRY_TEST_DIR"), "truth-site", NULL);
  site_copy = g_build_filename (g_getenv ("FERRY_TEST_DIR"), "truth-copy", NULL);
  logo = g_build_filename (site_source, "img", "logo.png", NULL);
  logo_copy = g_build_filename (site_copy, "img", "logo.png", NULL);
  {
    g_autofree char *index = g_build_filename (site_source, "index.html", NULL);
    g_autofree char *css = g_build_filename (site_source, "css", "site.css", NULL);

    put (index, "<h1>Hello</h1>\n");
    put (css, "body { margin: 0 }\n");
    put (logo, "PNG-ish bytes that stand for a logo, long enough to flip one\n");
  }
  site = add_transfer ("Site", "local", site_source, site_copy);
  ferry_window_select_transfer (window, site);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  g_assert_true (ferry_test_wait_until (window_idle, NULL, 60));
  row = ferry_window_find_row (window, site);
  g_assert_cmpstr (ferry_transfer_row_get_state_text (row), ==, "Completed");
  counts = g_strdup (ferry_transfer_row_get_counts_text (row));
  g_assert_true (g_str_has_prefix (counts, "3 files copied ("));
  g_assert_cmpstr (ferry_transfer_row_get_verify_text (row), ==, "");

  /* A verification by listing: everything matches, and the row's copy
   * counts and state stay the copy's. */
  dialog = verify (site, FALSE);
  g_assert_cmpstr (result_title (dialog), ==, "All 3 Files Match");
  g_assert_true (ferry_test_wait_until (verify_line_says, "Verified today", 10));
  g_assert_nonnull (strstr (ferry_transfer_row_get_verify_text (row), "· all 3 files match"));
  g_assert_cmpstr (ferry_transfer_row_get_state_text (row), ==, "Completed");
  g_assert_cmpstr (ferry_transfer_row_get_counts_text (row), ==, counts);

  /* One byte flipped at the destination, same size and time: only
   * Compare Contents sees it. */
  corrupt (logo_copy);
  original = contents_of (logo);
  {
    g_autofree char *corrupted = contents_of (logo_copy);

    g_assert_cmpstr (corrupted, !=, original);
  }
  gtk_window_destroy (GTK_WINDOW (dialog));
  dialog = verify (site, FALSE);
  g_assert_cmpstr (result_title (dialog), ==, "All 3 Files Match");
  g_signal_emit_by_name (child_of (dialog, FERRY_TYPE_VERIFY_DIALOG, "checksum_button"), "clicked");
  ferry_test_settle (0.1);
  g_assert_true (ferry_test_wait_until (verify_dialog_done, NULL, 60));
  g_assert_cmpstr (visible_page (dialog), ==, "differences");
  list = child_of (dialog, FERRY_TYPE_VERIFY_DIALOG, "difference_list");
  g_assert_nonnull (gtk_widget_get_first_child (list));
  g_assert_null (gtk_widget_get_next_sibling (gtk_widget_get_first_child (list)));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (gtk_widget_get_first_child (list))), ==,
                   "Differs in content");
  g_assert_true (ferry_test_wait_until (verify_line_says, "1 file differs (content)", 10));
  g_assert_cmpstr (ferry_transfer_row_get_state_text (row), ==, "Completed");
  g_assert_cmpstr (ferry_transfer_row_get_counts_text (row), ==, counts);

  /* Copy Again: exactly that file, copied over, content compared. */
  again = find_button (list, "Copy _Again");
  g_assert_nonnull (again);
  g_signal_emit_by_name (again, "clicked");
  ferry_test_settle (0.2);
  g_assert_true (ferry_test_wait_until (window_idle, NULL, 60));
  run = ferry_window_get_run (window, site);
  g_assert_cmpint (ferry_run_get_kind (run), ==, FERRY_RUN_KIND_COPY);
  g_assert_cmpint (ferry_run_get_state (run), ==, FERRY_RUN_STATE_COMPLETED);
  g_assert_cmpuint (ferry_run_get_files_done (run), ==, 1);
  g_assert_cmpuint (ferry_run_get_files_failed (run), ==, 0);
  repaired = contents_of (logo_copy);
  g_assert_cmpstr (repaired, ==, original);
  row = ferry_window_find_row (window, site);
  g_assert_cmpstr (ferry_transfer_row_get_state_text (row), ==, "Completed");
  {
    g_autofree char *size = g_format_size (strlen (original));
    g_autofree char *expected = g_strdup_printf ("1 file copied (%s)", size);

    g_assert_cmpstr (ferry_transfer_row_get_counts_text (row), ==, expected);
  }
  /* The verdict it repaired is older than the copy, and says so. */
  g_assert_true (ferry_test_wait_until (verify_line_says, "1 file differs (content) · a copy ran since", 10));
  ferry_test_settle (0.3);
  png = copy_screenshot (ferry_test_save_snapshot (GTK_WIDGET (window), "row-after-copy-again"),
                         "row-after-copy-again");

  /* A checksum verification now passes; while it went, the dialog
   * showed files and bytes compared, not a spinner alone. */
  dialog = verify (site, FALSE);
  {
    g_autofree char *progress = NULL;
    g_autofree char *size = g_format_size (strlen (original) + strlen ("<h1>Hello</h1>\n")
                                           + strlen ("body { margin: 0 }\n"));
    g_autofree char *expected = g_strdup_printf ("3 of 3 files compared · %s of %s read", size, size);

    g_signal_connect (child_of (dialog, FERRY_TYPE_VERIFY_DIALOG, "running_page"), "notify::description",
                      G_CALLBACK (on_description), &progress);
    g_signal_emit_by_name (child_of (dialog, FERRY_TYPE_VERIFY_DIALOG, "checksum_button"), "clicked");
    ferry_test_settle (0.1);
    g_assert_true (ferry_test_wait_until (verify_dialog_done, NULL, 60));
    g_signal_handlers_disconnect_by_func (child_of (dialog, FERRY_TYPE_VERIFY_DIALOG, "running_page"),
                                          on_description, &progress);
    g_test_message ("progress shown: “%s”", progress);
    g_assert_cmpstr (progress, ==, expected);
  }
  g_assert_cmpstr (visible_page (dialog), ==, "result");
  g_assert_cmpstr (result_title (dialog), ==, "All 3 Files Match");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (ferry_test_wait_until (verify_line_says, "· all 3 files match", 10));
}

/* --- History words each run by its kind ------------------------------------------ */

static void
test_history_words (void)
{
  FerryTransferDetail *detail = ferry_window_get_detail (window);
  static const char * const expected[] = {
    "Verified · all 3 files match",
    "Verified · all 3 files match",
    "Completed · 1 file copied (",
    "Verified · 1 file differs (content)",
    "Verified · all 3 files match",
    "Verified · all 3 files match",
    "Completed · 3 files copied (",
  };
  GtkWidget *list;
  GtkWidget *row;
  guint i = 0;
  g_autofree char *png = NULL;

  g_assert_nonnull (site);
  ferry_window_select_transfer (window, site);
  ferry_transfer_detail_reload_history (detail);
  g_assert_true (ferry_test_wait_until (history_has, GUINT_TO_POINTER (G_N_ELEMENTS (expected)), 10));
  list = child_of (detail, FERRY_TYPE_TRANSFER_DETAIL, "history_list");
  for (row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row), i++)
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
      const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

      g_test_message ("History: “%s” / “%s”", title, subtitle);
      g_assert_true (g_str_has_prefix (title, expected[i]));
      if (g_str_has_prefix (title, "Verified"))
        {
          g_assert_null (strstr (title, "opied"));
          g_assert_true (g_str_has_prefix (subtitle, "Verification of "));
        }
      else
        g_assert_true (g_str_has_prefix (subtitle, "Run of "));
    }
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (expected));
  ferry_transfer_detail_show_page (detail, "history");
  ferry_test_settle (0.5);
  png = copy_screenshot (ferry_test_save_snapshot (GTK_WIDGET (window), "history-copies-and-verifications"),
                         "history-copies-and-verifications");
  ferry_transfer_detail_show_page (detail, "log");
}

/* --- a verification that could not connect -------------------------------------- */

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

static gboolean
verify_line_failed (gpointer user_data)
{
  return g_str_has_prefix (ferry_transfer_row_get_verify_text (user_data), "Verification failed today ");
}

static void
test_verify_failed_connection (void)
{
  g_autofree char *destination = g_build_filename (g_getenv ("FERRY_TEST_DIR"), "truth-ftp-copy", NULL);
  g_autofree char *png = NULL;
  FerryTransfer *transfer = add_transfer ("Old Site", ftp_connector_id, "/", destination);
  FerryVerifyDialog *dialog;
  FerryTransferRow *row;
  const char *description;

  run_ctl ("stop-ftp");
  dialog = verify (transfer, FALSE);
  g_assert_cmpstr (visible_page (dialog), ==, "result");
  g_assert_cmpstr (result_title (dialog), ==, "Could Not Compare");
  description = adw_status_page_get_description (ADW_STATUS_PAGE (child_of (dialog, FERRY_TYPE_VERIFY_DIALOG,
                                                                           "result_page")));
  g_test_message ("Verify says: %s", description);
  /* Which side, which step, what to do; not libcurl's words. */
  g_assert_nonnull (strstr (description, "the source, “Test FTP”: the step “Connect” failed."));
  g_assert_nonnull (strstr (description, "Nothing answered on port"));
  g_assert_null (strstr (description, "Failed to connect to"));
  g_assert_null (strstr (description, "Couldn't connect"));
  ferry_test_settle (0.3);
  png = copy_screenshot (ferry_test_save_snapshot (GTK_WIDGET (dialog), "verify-failed-connection"),
                         "verify-failed-connection");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* No verdict in the log either, and the row's line says it failed. */
  g_assert_true (ferry_test_wait_until (log_has, "the step “Connect” failed", 10));
  g_assert_false (log_has ("The destination matches"));
  g_assert_false (log_has ("files compared"));
  g_assert_false (log_has ("Failed to connect to"));
  row = ferry_window_find_row (window, transfer);
  g_assert_true (ferry_test_wait_until (verify_line_failed, row, 10));
  g_test_message ("row: “%s”", ferry_transfer_row_get_verify_text (row));
  g_assert_nonnull (strstr (ferry_transfer_row_get_verify_text (row), "the step “Connect” failed"));
  g_assert_cmpstr (ferry_transfer_row_get_state_text (row), ==, "Never run");
  run_ctl ("start-ftp");
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
  if (g_getenv ("GSK_RENDERER") == NULL)
    g_setenv ("GSK_RENDERER", "cairo", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  ferry_test_ui_init ();

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

  g_test_add_func ("/truth/copy-again", test_copy_again);
  g_test_add_func ("/truth/history-words", test_history_words);
  g_test_add_func ("/truth/verify-failed-connection", test_verify_failed_connection);

  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  g_free (ftp_connector_id);
  return status;
}
