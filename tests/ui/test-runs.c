/* test-runs.c: the Migration Manager with runs going, local → local so no
 * server is needed. The live log follows its end as lines arrive and stays
 * where the user scrolled to, with Jump to End to follow again, and cuts
 * no line, in a narrower window too; two
 * transfers started together both complete with their own counts in their
 * own rows; closing the window while a run goes asks first and Keep Running
 * keeps it; a run that fails before it counts anything says why instead of
 * showing zero counters. The row's bar measures bytes once the total is
 * known, is full only at the end, and names the file being copied; a
 * rerun with nothing to copy says "Up to date"; a new window selects the
 * transfer used last, with Start Migrating ready.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ferry-application.h"
#include "ferry-test-ui.h"
#include "ferry-window.h"

static FerryApplication *app;
static FerryWindow *window;

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
write_tree (const char *root,
            guint       n_files,
            gsize       size)
{
  g_autofree char *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (char) ('a' + i % 26);
  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *name = g_strdup_printf ("d%02u/file-%04u.txt", i / 50, i);
      g_autofree char *path = g_build_filename (root, name, NULL);
      g_autofree char *dir = g_path_get_dirname (path);
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      g_file_set_contents (path, data, size, &error);
      g_assert_no_error (error);
    }
}

static FerryTransfer *
add_local_transfer (const char *name,
                    const char *source,
                    const char *destination)
{
  g_autoptr(FerryTransfer) transfer = ferry_transfer_new ();
  g_autoptr(GError) error = NULL;
  FerryTransferStore *store = ferry_window_get_transfer_store (window);

  ferry_transfer_set_name (transfer, name);
  ferry_transfer_set_source_connector_id (transfer, "local");
  ferry_transfer_set_source_path (transfer, source);
  ferry_transfer_set_destination_connector_id (transfer, "local");
  ferry_transfer_set_destination_path (transfer, destination);
  g_assert_true (ferry_transfer_store_save (store, transfer, &error));
  g_assert_no_error (error);
  return ferry_transfer_store_find_by_name (store, name);
}

static char *
test_path (const char *name)
{
  return g_build_filename (g_getenv ("FERRY_TEST_DIR"), name, NULL);
}

/* --- the log follows its end ------------------------------------------------ */

static GtkAdjustment *
log_adjustment (void)
{
  FerryTransferDetail *detail = ferry_window_get_detail (window);
  GtkWidget *scroller = child_of (detail, FERRY_TYPE_TRANSFER_DETAIL, "log_scroller");

  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
}

static gboolean
at_end (GtkAdjustment *adjustment)
{
  return gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment)
         >= gtk_adjustment_get_upper (adjustment) - 1;
}

/* What the user sees, not what the adjustment says (the two can disagree:
 * a list view scrolls to its anchor item, and a value set behind its back
 * moves the scrollbar and nothing else). The text of the first line whose
 * bottom is inside the scroller and of the last line whose top is, and
 * whether that last line ends inside it. */
typedef struct
{
  char    *first;
  char    *last;
  gboolean last_whole;
} Shown;

static void
shown_clear (Shown *shown)
{
  g_clear_pointer (&shown->first, g_free);
  g_clear_pointer (&shown->last, g_free);
}

static void
get_shown (Shown *shown)
{
  FerryTransferDetail *detail = ferry_window_get_detail (window);
  GtkWidget *scroller = child_of (detail, FERRY_TYPE_TRANSFER_DETAIL, "log_scroller");
  GtkWidget *view = child_of (detail, FERRY_TYPE_TRANSFER_DETAIL, "log_view");
  double height = gtk_widget_get_height (scroller);
  double first_y = G_MAXDOUBLE;
  double last_y = -G_MAXDOUBLE;

  shown_clear (shown);
  for (GtkWidget *item = gtk_widget_get_first_child (view); item != NULL; item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *label = gtk_widget_get_first_child (item);
      graphene_rect_t bounds;

      if (!GTK_IS_LABEL (label) || !gtk_widget_get_child_visible (item) || !gtk_widget_get_visible (item)
          || !gtk_widget_compute_bounds (item, scroller, &bounds))
        continue;
      if (bounds.origin.y + bounds.size.height <= 0 || bounds.origin.y >= height)
        continue;
      if (bounds.origin.y < first_y)
        {
          first_y = bounds.origin.y;
          g_free (shown->first);
          shown->first = g_strdup (gtk_label_get_text (GTK_LABEL (label)));
        }
      if (bounds.origin.y > last_y)
        {
          last_y = bounds.origin.y;
          g_free (shown->last);
          shown->last = g_strdup (gtk_label_get_text (GTK_LABEL (label)));
          shown->last_whole = bounds.origin.y + bounds.size.height <= height + 1;
        }
    }
}

static gboolean
end_shown (gpointer user_data)
{
  GListModel *log = user_data;
  guint n = g_list_model_get_n_items (log);
  g_autoptr(FerryLogLine) line = g_list_model_get_item (log, n - 1);
  Shown shown = { NULL, };
  gboolean result;

  get_shown (&shown);
  result = shown.last != NULL && g_str_has_suffix (shown.last, ferry_log_line_get_text (line)) && shown.last_whole
           && at_end (log_adjustment ());
  shown_clear (&shown);
  return result;
}

/* While lines pour in (hundreds a drain from a local copy): one of the
 * newest 400 is the last on screen, not a line from the start. */
static gboolean
near_end_shown (gpointer user_data)
{
  GListModel *log = user_data;
  guint n = g_list_model_get_n_items (log);
  Shown shown = { NULL, };
  gboolean result = FALSE;
  guint window_size = 400;

  get_shown (&shown);
  for (guint i = n > window_size ? n - window_size : 0; i < n && shown.last != NULL && !result; i++)
    {
      g_autoptr(FerryLogLine) line = g_list_model_get_item (log, i);

      result = g_str_has_suffix (shown.last, ferry_log_line_get_text (line));
    }
  shown_clear (&shown);
  return result;
}

/* The newest line is on screen, whole, at the bottom. */
static void
assert_end_shown (GListStore *log)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (log));
  g_autoptr(FerryLogLine) line = g_list_model_get_item (G_LIST_MODEL (log), n - 1);
  Shown shown = { NULL, };

  get_shown (&shown);
  g_test_message ("shown: “%s” … “%s”", shown.first, shown.last);
  g_assert_nonnull (shown.last);
  g_assert_true (g_str_has_suffix (shown.last, ferry_log_line_get_text (line)));
  g_assert_true (shown.last_whole);
  shown_clear (&shown);
}

/* No line on screen is cut: every one is whole, wrapped when long. */
static guint
count_cut_lines (void)
{
  FerryTransferDetail *detail = ferry_window_get_detail (window);
  GtkWidget *view = child_of (detail, FERRY_TYPE_TRANSFER_DETAIL, "log_view");
  guint cut = 0;
  guint seen = 0;

  for (GtkWidget *item = gtk_widget_get_first_child (view); item != NULL; item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *label = gtk_widget_get_first_child (item);

      if (!GTK_IS_LABEL (label) || !gtk_widget_get_child_visible (item) || !gtk_widget_get_mapped (label))
        continue;
      seen++;
      if (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))))
        {
          g_test_message ("cut: “%s”", gtk_label_get_text (GTK_LABEL (label)));
          cut++;
        }
    }
  g_assert_cmpuint (seen, >, 0);
  return cut;
}

static void
append_lines (GListStore *log,
              guint       first,
              guint       n)
{
  for (guint i = first; i < first + n; i++)
    {
      g_autofree char *path = g_strdup_printf ("folder/file-%05u.txt", i);
      g_autofree char *text = NULL;
      g_autoptr(FerryLogLine) line = NULL;

      /* Some lines wrap, as long paths and server replies do. */
      if (i % 7 == 0)
        text = g_strdup_printf ("Copied %s (a longer line that wraps in a narrow pane: %s %s %s)",
                                path, path, path, path);
      /* And some fit a wide pane and not a narrow one. */
      else if (i % 7 == 3)
        text = g_strdup_printf ("Copied %s, with a few more words than most", path);
      else
        text = g_strdup_printf ("Copied %s", path);
      line = ferry_log_line_new (g_get_real_time () / G_USEC_PER_SEC, FERRY_LOG_INFO, FERRY_LOG_KIND_NOTE, path, text);
      g_list_store_append (log, line);
    }
}

static void
test_log_follows (void)
{
  g_autofree char *source = test_path ("follow-source");
  g_autofree char *destination = test_path ("follow-copy");
  FerryTransferDetail *detail = ferry_window_get_detail (window);
  GtkWidget *jump = child_of (detail, FERRY_TYPE_TRANSFER_DETAIL, "jump_revealer");
  FerryTransfer *transfer;
  g_autoptr(FerryRun) run = NULL;
  GtkAdjustment *adjustment;
  GListStore *log;
  guint n = 0;
  double kept;
  Shown before = { NULL, };
  Shown after = { NULL, };
  g_autofree char *png = NULL;

  write_tree (source, 1, 10);
  transfer = add_local_transfer ("Follow", source, destination);
  ferry_window_select_transfer (window, transfer);
  ferry_test_settle (0.3);

  /* A run that is not started: its log model is the one the engine fills
   * (appending batches, as its drain does), here filled by the test at a
   * pace it controls. */
  run = ferry_run_new (transfer, ferry_connector_get_local (), NULL, ferry_connector_get_local (), NULL);
  g_assert_true (G_IS_LIST_STORE (ferry_run_get_log (run)));
  log = G_LIST_STORE (ferry_run_get_log (run));
  ferry_transfer_detail_set_transfer (detail, transfer, run);
  ferry_transfer_detail_show_page (detail, "log");
  adjustment = log_adjustment ();
  ferry_test_settle (0.3);

  /* Lines arrive in batches, as from the engine: after each, the end shows. */
  for (guint batch = 0; batch < 15; batch++)
    {
      append_lines (log, n, 40);
      n += 40;
      ferry_test_settle (0.12);
    }
  g_assert_true (ferry_test_wait_until (end_shown, log, 10));
  g_test_message ("after %u lines: value %.0f page %.0f upper %.0f", n, gtk_adjustment_get_value (adjustment),
                  gtk_adjustment_get_page_size (adjustment), gtk_adjustment_get_upper (adjustment));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, 2 * gtk_adjustment_get_page_size (adjustment));
  assert_end_shown (log);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (jump)));
  g_assert_cmpuint (count_cut_lines (), ==, 0);

  /* A narrower window: lines that fitted and no longer do wrap too. */
  {
    int width;
    int height;

    gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
    gtk_window_set_default_size (GTK_WINDOW (window), 820, height);
    ferry_test_settle (0.5);
    g_assert_cmpuint (count_cut_lines (), ==, 0);
    g_free (png);
    png = ferry_test_save_snapshot (GTK_WIDGET (window), "log-narrow");
    gtk_window_set_default_size (GTK_WINDOW (window), width, height);
    ferry_test_settle (0.5);
    g_assert_true (ferry_test_wait_until (end_shown, log, 10));
  }

  /* The user scrolls up to read: new lines do not move the view, and
   * Jump to End is offered. */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) / 3);
  ferry_test_settle (0.2);
  g_assert_false (at_end (adjustment));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (jump)));
  /* GTK 4.8 estimates the height of rows it has no widget for and
   * measures them once shown, so the first layout after a jump into the
   * middle may still shift a line or two: let one batch settle it. */
  append_lines (log, n, 40);
  n += 40;
  ferry_test_settle (0.3);
  kept = gtk_adjustment_get_value (adjustment);
  get_shown (&before);
  for (guint batch = 0; batch < 5; batch++)
    {
      append_lines (log, n, 40);
      n += 40;
      ferry_test_settle (0.12);
    }
  ferry_test_settle (1.0);
  g_test_message ("scrolled up: value %.0f (was %.0f) upper %.0f", gtk_adjustment_get_value (adjustment),
                  kept, gtk_adjustment_get_upper (adjustment));
  /* The same lines on screen. (The value itself may drift a little: rows
   * above that were never shown have estimated heights.) */
  get_shown (&after);
  g_test_message ("first line shown: “%s”, then “%s”", before.first, after.first);
  g_assert_nonnull (before.first);
  g_assert_cmpstr (before.first, ==, after.first);
  g_assert_false (at_end (adjustment));
  shown_clear (&before);
  shown_clear (&after);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (jump)));
  g_free (png);
  png = ferry_test_save_snapshot (GTK_WIDGET (window), "log-scrolled-up");

  /* Jump to End: at the end, and following again. */
  g_signal_emit_by_name (gtk_revealer_get_child (GTK_REVEALER (jump)), "clicked");
  g_assert_true (ferry_test_wait_until (end_shown, log, 10));
  assert_end_shown (log);
  append_lines (log, n, 40);
  n += 40;
  g_assert_true (ferry_test_wait_until (end_shown, log, 10));
  assert_end_shown (log);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (jump)));

  /* Scrolling back down to the end by hand follows again too. */
  gtk_adjustment_set_value (adjustment, 0);
  ferry_test_settle (0.2);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
  ferry_test_settle (0.2);
  append_lines (log, n, 40);
  n += 40;
  g_assert_true (ferry_test_wait_until (end_shown, log, 10));
  assert_end_shown (log);

  /* Problems Only while following: still at the end when shown again. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child_of (detail, FERRY_TYPE_TRANSFER_DETAIL, "problems_toggle")), TRUE);
  ferry_test_settle (0.2);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child_of (detail, FERRY_TYPE_TRANSFER_DETAIL, "problems_toggle")), FALSE);
  g_assert_true (ferry_test_wait_until (end_shown, log, 10));
  assert_end_shown (log);

  ferry_transfer_detail_set_transfer (detail, transfer, NULL);
}

/* --- two at once ---------------------------------------------------------------- */

static gboolean
both_started (gpointer user_data)
{
  FerryTransfer **transfers = user_data;

  return ferry_window_get_run (window, transfers[0]) != NULL && ferry_window_get_run (window, transfers[1]) != NULL;
}

static gboolean
both_moving (gpointer user_data)
{
  FerryTransfer **transfers = user_data;

  for (guint i = 0; i < 2; i++)
    {
      FerryRun *run = ferry_window_get_run (window, transfers[i]);

      if (run == NULL || ferry_run_get_files_done (run) == 0 || ferry_run_get_state (run) != FERRY_RUN_STATE_RUNNING)
        return FALSE;
    }
  return TRUE;
}

static gboolean
log_grown (gpointer user_data)
{
  FerryRun *run = user_data;

  return g_list_model_get_n_items (ferry_run_get_log (run)) >= 1500
         || ferry_run_get_state (run) != FERRY_RUN_STATE_RUNNING;
}

static void
test_two_at_once (void)
{
  g_autofree char *source_a = test_path ("two-a");
  g_autofree char *source_b = test_path ("two-b");
  g_autofree char *copy_a = test_path ("two-a-copy");
  g_autofree char *copy_b = test_path ("two-b-copy");
  g_autofree char *png = NULL;
  FerryTransfer *transfers[2];
  FerryRun *runs[2];
  gint64 waited;

  /* Local copies are quick: enough files that both runs take a while. */
  write_tree (source_a, 6000, 700);
  write_tree (source_b, 4000, 1500);
  transfers[0] = add_local_transfer ("Two A", source_a, copy_a);
  transfers[1] = add_local_transfer ("Two B", source_b, copy_b);

  /* Started together: A with Start Migrating, then B the same way. */
  ferry_window_select_transfer (window, transfers[0]);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  ferry_window_select_transfer (window, transfers[1]);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  g_assert_cmpuint (ferry_window_get_n_active (window), ==, 2);
  g_assert_true (ferry_test_wait_until (both_started, transfers, 20));

  /* Both move at the same time, and the title counts both. */
  g_assert_true (ferry_test_wait_until (both_moving, transfers, 30));
  g_assert_cmpuint (ferry_window_get_n_active (window), ==, 2);
  g_assert_nonnull (strstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (child_of (window, FERRY_TYPE_WINDOW, "window_title"))),
                            "2 migrations running"));
  /* The selected one's log follows its end while it runs: once it is long
   * enough that its start and its end are far apart. */
  g_assert_true (ferry_test_wait_until (log_grown, ferry_window_get_run (window, transfers[1]), 60));
  waited = g_get_monotonic_time ();
  g_assert_true (ferry_test_wait_until (near_end_shown, ferry_run_get_log (ferry_window_get_run (window, transfers[1])), 10));
  g_test_message ("the end of the running log shown after %.0f ms", (g_get_monotonic_time () - waited) / 1000.0);
  if (ferry_window_get_n_active (window) == 2)
    png = ferry_test_save_snapshot (GTK_WIDGET (window), "manager-two-running");
  g_assert_true (ferry_test_wait_until (window_idle, NULL, 120));

  runs[0] = ferry_window_get_run (window, transfers[0]);
  runs[1] = ferry_window_get_run (window, transfers[1]);
  g_assert_true (runs[0] != runs[1]);
  g_assert_cmpint (ferry_run_get_state (runs[0]), ==, FERRY_RUN_STATE_COMPLETED);
  g_assert_cmpint (ferry_run_get_state (runs[1]), ==, FERRY_RUN_STATE_COMPLETED);
  g_assert_cmpuint (ferry_run_get_files_done (runs[0]), ==, 6000);
  g_assert_cmpuint (ferry_run_get_files_total (runs[0]), ==, 6000);
  g_assert_cmpuint (ferry_run_get_bytes_done (runs[0]), ==, 6000 * 700);
  g_assert_cmpuint (ferry_run_get_files_done (runs[1]), ==, 4000);
  g_assert_cmpuint (ferry_run_get_files_total (runs[1]), ==, 4000);
  g_assert_cmpuint (ferry_run_get_bytes_done (runs[1]), ==, 4000 * 1500);

  /* Each row shows its own run. */
  g_assert_cmpstr (ferry_transfer_row_get_state_text (ferry_window_find_row (window, transfers[0])), ==, "Completed");
  g_assert_cmpstr (ferry_transfer_row_get_state_text (ferry_window_find_row (window, transfers[1])), ==, "Completed");
  {
    g_autofree char *size_a = g_format_size (6000 * 700);
    g_autofree char *size_b = g_format_size (4000 * 1500);
    g_autofree char *counts_a = g_strdup_printf ("6000 files copied (%s)", size_a);
    g_autofree char *counts_b = g_strdup_printf ("4000 files copied (%s)", size_b);

    g_assert_cmpstr (ferry_transfer_row_get_counts_text (ferry_window_find_row (window, transfers[0])), ==, counts_a);
    g_assert_cmpstr (ferry_transfer_row_get_counts_text (ferry_window_find_row (window, transfers[1])), ==, counts_b);
  }
  g_assert_true (g_file_test (copy_a, G_FILE_TEST_IS_DIR));
  {
    g_autofree char *last_b = g_build_filename (copy_b, "d79", "file-3999.txt", NULL);
    g_autofree char *last_a = g_build_filename (copy_a, "d119", "file-5999.txt", NULL);

    g_assert_true (g_file_test (last_a, G_FILE_TEST_IS_REGULAR));
    g_assert_true (g_file_test (last_b, G_FILE_TEST_IS_REGULAR));
  }

  /* The detail shows the selected one's log, not the other's, and its end. */
  g_assert_true (ferry_test_wait_until (end_shown, ferry_run_get_log (runs[1]), 10));
  g_assert_true (ferry_transfer_detail_get_transfer (ferry_window_get_detail (window)) == transfers[1]);
  g_assert_cmpuint (g_list_model_get_n_items (ferry_transfer_detail_get_shown_log (ferry_window_get_detail (window))),
                    ==, g_list_model_get_n_items (ferry_run_get_log (runs[1])));
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (child_of (window, FERRY_TYPE_WINDOW, "window_title"))),
                   ==, "");
}

/* --- closing while a run goes ----------------------------------------------------- */

static AdwMessageDialog *
find_message_dialog (void)
{
  GList *toplevels = gtk_window_list_toplevels ();
  AdwMessageDialog *dialog = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      dialog = l->data;
  g_list_free (toplevels);
  return dialog;
}

static gboolean
dialog_mapped (gpointer user_data)
{
  AdwMessageDialog *dialog = find_message_dialog ();

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog)) && gtk_widget_get_width (GTK_WIDGET (dialog)) > 0;
}

static gboolean
run_moving (gpointer user_data)
{
  FerryRun *run = ferry_window_get_run (window, user_data);

  return run != NULL && ferry_run_get_files_done (run) > 0;
}

static void
test_close_confirm (void)
{
  g_autofree char *source = test_path ("close-source");
  g_autofree char *destination = test_path ("close-copy");
  g_autofree char *png = NULL;
  FerryTransfer *transfer;
  AdwMessageDialog *dialog;
  FerryRun *run;

  write_tree (source, 4000, 2000);
  transfer = add_local_transfer ("Close", source, destination);
  ferry_window_select_transfer (window, transfer);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  g_assert_true (ferry_test_wait_until (run_moving, transfer, 20));

  /* Closing asks first, and says why. */
  g_assert_null (find_message_dialog ());
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (ferry_test_wait_until (dialog_mapped, NULL, 10));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Stop Migrating?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "1 transfer is still running"));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  png = ferry_test_save_snapshot (GTK_WIDGET (dialog), "close-confirm");

  /* Keep Running: the window stays and the run goes on. */
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  ferry_test_settle (0.2);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (window)));
  g_assert_true (gtk_application_get_active_window (GTK_APPLICATION (app)) == GTK_WINDOW (window));
  run = ferry_window_get_run (window, transfer);
  g_assert_nonnull (run);
  g_assert_true (ferry_test_wait_until (window_idle, NULL, 120));
  g_assert_cmpint (ferry_run_get_state (run), ==, FERRY_RUN_STATE_COMPLETED);
  g_assert_cmpuint (ferry_run_get_files_done (run), ==, 4000);

  /* With nothing running, closing asks nothing. (Not done here: the other
   * tests need the window. test-window closes an idle one.) */
}

/* --- a run that fails before it counts ----------------------------------------- */

static void
test_fails_before_counting (void)
{
  g_autofree char *source = test_path ("no-such-source");
  g_autofree char *destination = test_path ("never-copy");
  g_autofree char *png = NULL;
  FerryTransfer *transfer;
  FerryTransferRow *row;
  FerryRun *run;
  const char *status;

  transfer = add_local_transfer ("Nothing there", source, destination);
  ferry_window_select_transfer (window, transfer);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  g_assert_true (ferry_test_wait_until (window_idle, NULL, 30));
  run = ferry_window_get_run (window, transfer);
  g_assert_nonnull (run);
  g_assert_cmpint (ferry_run_get_state (run), ==, FERRY_RUN_STATE_FAILED);
  g_assert_cmpuint (ferry_run_get_files_total (run), ==, 0);

  row = ferry_window_find_row (window, transfer);
  status = ferry_transfer_row_get_status_text (row);
  g_test_message ("row says: “%s” / “%s”", ferry_transfer_row_get_counts_text (row), status);
  g_assert_cmpstr (ferry_transfer_row_get_state_text (row), ==, "Failed");
  /* No "0 of 0 files · 0 bytes of 0 bytes copied": the reason instead. */
  g_assert_null (strstr (ferry_transfer_row_get_counts_text (row), "0 of 0"));
  g_assert_false (gtk_widget_get_visible (child_of (row, FERRY_TYPE_TRANSFER_ROW, "counts_box")));
  g_assert_false (gtk_widget_get_visible (child_of (row, FERRY_TYPE_TRANSFER_ROW, "progress_bar")));
  g_assert_cmpstr (status, !=, "");
  g_assert_nonnull (strstr (status, "no-such-source"));
  /* Failed Files does not show a green tick for a run that never got to
   * any file. */
  {
    FerryTransferDetail *detail = ferry_window_get_detail (window);
    AdwStatusPage *none = ADW_STATUS_PAGE (child_of (detail, FERRY_TYPE_TRANSFER_DETAIL, "failed_none_page"));

    g_assert_cmpuint (g_list_model_get_n_items (ferry_transfer_detail_get_failed (detail)), ==, 0);
    g_assert_cmpstr (adw_status_page_get_icon_name (none), !=, "emblem-ok-symbolic");
    g_assert_nonnull (strstr (adw_status_page_get_description (none), "no-such-source"));
  }
  ferry_test_settle (0.3);
  png = ferry_test_save_snapshot (GTK_WIDGET (window), "manager-failed-early");

  /* The same when the row is built again from the history (a new session). */
  {
    g_autoptr(GtkWidget) rebuilt = g_object_ref_sink (ferry_transfer_row_new (transfer, NULL, NULL));
    gboolean loaded = FALSE;

    ferry_transfer_row_load_history (FERRY_TRANSFER_ROW (rebuilt));
    for (guint i = 0; i < 200 && !loaded; i++)
      {
        ferry_test_settle (0.05);
        loaded = g_strcmp0 (ferry_transfer_row_get_state_text (FERRY_TRANSFER_ROW (rebuilt)), "Failed") == 0;
      }
    g_assert_true (loaded);
    g_test_message ("rebuilt row says: “%s” / “%s”", ferry_transfer_row_get_counts_text (FERRY_TRANSFER_ROW (rebuilt)),
                    ferry_transfer_row_get_status_text (FERRY_TRANSFER_ROW (rebuilt)));
    g_assert_false (gtk_widget_get_visible (child_of (rebuilt, FERRY_TYPE_TRANSFER_ROW, "counts_box")));
    g_assert_nonnull (strstr (ferry_transfer_row_get_status_text (FERRY_TRANSFER_ROW (rebuilt)), "no-such-source"));
  }
}

/* --- one progress measure, the files being copied, up to date ------------------ */

typedef struct
{
  FerryTransfer *transfer;
  guint          checked;       /* updates seen with the total known */
  guint          wrong;         /* of those, a bar that was not the bytes' share */
  gboolean       full_early;    /* a full bar while it ran */
  gboolean       current_seen;  /* "Copying d…/file…" with the file named */
  char          *current_text;
  char          *current_tooltip;
} ProgressWatch;

static void
check_row (ProgressWatch *watch)
{
  FerryRun *run = ferry_window_get_run (window, watch->transfer);
  FerryTransferRow *row = ferry_window_find_row (window, watch->transfer);
  GtkWidget *bar;
  GtkWidget *status;
  double fraction;

  if (run == NULL || row == NULL || ferry_run_get_state (run) != FERRY_RUN_STATE_RUNNING)
    return;
  bar = child_of (row, FERRY_TYPE_TRANSFER_ROW, "progress_bar");
  status = child_of (row, FERRY_TYPE_TRANSFER_ROW, "status_label");
  fraction = gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (bar));
  if (fraction >= 1.0)
    watch->full_early = TRUE;
  if (ferry_run_get_total_known (run) && ferry_run_get_bytes_total (run) > 0)
    {
      /* The bar, the bytes and the files count the same things: those
       * copied or found up to date, of all. */
      guint64 handled = ferry_run_get_bytes_done (run) + ferry_run_get_bytes_skipped (run);
      double expected = (double) handled / (double) ferry_run_get_bytes_total (run);
      g_autofree char *done = g_format_size (handled);
      g_autofree char *total = g_format_size (ferry_run_get_bytes_total (run));
      g_autofree char *bytes = g_strdup_printf ("%s of %s", done, total);
      g_autofree char *files = g_strdup_printf ("%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " files",
                                                ferry_run_get_files_done (run) + ferry_run_get_files_skipped (run)
                                                + ferry_run_get_files_failed (run),
                                                ferry_run_get_files_total (run));
      const char *counts = ferry_transfer_row_get_counts_text (row);

      watch->checked++;
      if (ABS (fraction - MIN (expected, 0.999)) > 1e-9 || strstr (counts, bytes) == NULL
          || strstr (counts, files) == NULL)
        {
          g_test_message ("bar %.4f, bytes %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT ", row “%s”", fraction,
                          handled, ferry_run_get_bytes_total (run), counts);
          watch->wrong++;
        }
    }
  if (ferry_run_get_current_files (run)[0] != NULL
      && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (status)), "Copying d")
      && gtk_widget_get_tooltip_text (status) != NULL
      && strstr (gtk_widget_get_tooltip_text (status), ferry_run_get_current_files (run)[0]) != NULL)
    {
      watch->current_seen = TRUE;
      g_free (watch->current_text);
      watch->current_text = g_strdup (gtk_label_get_text (GTK_LABEL (status)));
    }
}

static gboolean
idle_and_checked (gpointer user_data)
{
  check_row (user_data);
  return ferry_window_get_n_active (window) == 0;
}

static void
test_row_progress (void)
{
  g_autofree char *source = test_path ("progress-source");
  g_autofree char *destination = test_path ("progress-copy");
  g_autofree char *big = g_build_filename (source, "d00", "big.bin", NULL);
  g_autofree char *png = NULL;
  g_autofree char *expected = NULL;
  ProgressWatch watch = { NULL, };
  FerryTransferRow *row;
  FerryRun *run;
  GtkWidget *bar;

  /* Many small files and one big one: a bar counting files would be
   * nearly full while the big one is still copying. */
  write_tree (source, 1500, 4000);
  {
    g_autofree char *data = g_malloc0 (40 * 1024 * 1024);
    g_autoptr(GError) error = NULL;

    g_file_set_contents (big, data, 40 * 1024 * 1024, &error);
    g_assert_no_error (error);
  }
  watch.transfer = add_local_transfer ("Progress", source, destination);
  ferry_window_select_transfer (window, watch.transfer);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  g_assert_true (ferry_test_wait_until (idle_and_checked, &watch, 120));

  run = ferry_window_get_run (window, watch.transfer);
  row = ferry_window_find_row (window, watch.transfer);
  bar = child_of (row, FERRY_TYPE_TRANSFER_ROW, "progress_bar");
  g_test_message ("%u updates checked with the total known, %u wrong; current file shown: “%s”",
                  watch.checked, watch.wrong, watch.current_text);
  g_assert_cmpint (ferry_run_get_state (run), ==, FERRY_RUN_STATE_COMPLETED);
  g_assert_cmpuint (watch.checked, >, 0);
  g_assert_cmpuint (watch.wrong, ==, 0);
  g_assert_false (watch.full_early);
  g_assert_true (watch.current_seen);
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (bar)), ==, 1.0);
  g_assert_cmpstr (ferry_transfer_row_get_state_text (row), ==, "Completed");
  g_free (watch.current_text);

  /* A rerun with nothing to copy reads as what it is. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  g_assert_true (ferry_test_wait_until (window_idle, NULL, 60));
  run = ferry_window_get_run (window, watch.transfer);
  g_assert_cmpuint (ferry_run_get_files_done (run), ==, 0);
  g_assert_cmpuint (ferry_run_get_files_skipped (run), ==, 1501);
  row = ferry_window_find_row (window, watch.transfer);
  g_assert_cmpstr (ferry_transfer_row_get_state_text (row), ==, "Up to date");
  g_assert_cmpstr (ferry_transfer_row_get_counts_text (row), ==, "Up to date — 1501 files checked");
  g_assert_nonnull (strstr (ferry_transfer_row_get_status_text (row), "Up to date"));
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (child_of (row, FERRY_TYPE_TRANSFER_ROW, "progress_bar"))),
                     ==, 1.0);
  ferry_test_settle (0.3);
  png = ferry_test_save_snapshot (GTK_WIDGET (window), "manager-up-to-date");

  /* Read back from history in a new session, it says the same. */
  {
    g_autoptr(GtkWidget) rebuilt = g_object_ref_sink (ferry_transfer_row_new (watch.transfer, NULL, NULL));
    gboolean loaded = FALSE;

    ferry_transfer_row_load_history (FERRY_TRANSFER_ROW (rebuilt));
    for (guint i = 0; i < 200 && !loaded; i++)
      {
        ferry_test_settle (0.05);
        loaded = g_strcmp0 (ferry_transfer_row_get_state_text (FERRY_TRANSFER_ROW (rebuilt)), "Up to date") == 0;
      }
    g_assert_true (loaded);
    expected = g_strdup ("Up to date — 1501 files checked");
    g_assert_cmpstr (ferry_transfer_row_get_counts_text (FERRY_TRANSFER_ROW (rebuilt)), ==, expected);
  }

  /* Two files changed: the row counts what was copied and what was
   * there already, files and bytes alike, while it runs and after. */
  {
    g_autofree char *first = g_build_filename (source, "d00", "file-0000.txt", NULL);
    g_autofree char *second = g_build_filename (source, "d01", "file-0050.txt", NULL);
    g_autofree char *text = g_strnfill (5000, 'x');
    g_autofree char *size = g_format_size (10000);
    g_autofree char *counts = g_strdup_printf ("2 files copied (%s) · 1499 already up to date", size);
    ProgressWatch again = { NULL, };

    g_assert_true (g_file_set_contents (first, text, 5000, NULL));
    g_assert_true (g_file_set_contents (second, text, 5000, NULL));
    again.transfer = watch.transfer;
    gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
    g_assert_true (ferry_test_wait_until (idle_and_checked, &again, 60));
    g_assert_cmpuint (again.wrong, ==, 0);
    g_free (again.current_text);
    run = ferry_window_get_run (window, watch.transfer);
    g_assert_cmpuint (ferry_run_get_files_done (run), ==, 2);
    row = ferry_window_find_row (window, watch.transfer);
    g_assert_cmpstr (ferry_transfer_row_get_state_text (row), ==, "Completed");
    g_assert_cmpstr (ferry_transfer_row_get_counts_text (row), ==, counts);
  }
}

/* --- the transfer used last, selected at start-up -------------------------------- */

static void
test_last_transfer_selected (void)
{
  FerryTransferStore *store = ferry_window_get_transfer_store (window);
  FerryTransfer *used = ferry_transfer_store_find_by_name (store, "Progress");
  FerryWindow *second;
  FerryTransfer *shown;
  GtkWidget *start;

  g_assert_nonnull (used);
  /* Used last: another one is selected first, then this one. */
  ferry_window_select_transfer (window, ferry_transfer_store_find_by_name (store, "Close"));
  ferry_window_select_transfer (window, used);

  /* A new Migration Manager, as after a restart. */
  second = ferry_window_new (app);
  gtk_window_present (GTK_WINDOW (second));
  g_assert_true (ferry_test_wait_until (window_is_mapped, second, 10));
  ferry_test_settle (0.3);
  shown = ferry_transfer_detail_get_transfer (ferry_window_get_detail (second));
  g_assert_nonnull (shown);
  g_assert_cmpstr (ferry_transfer_get_id (shown), ==, ferry_transfer_get_id (used));
  start = child_of (second, FERRY_TYPE_WINDOW, "start_button");
  g_assert_true (gtk_widget_get_visible (start));
  g_assert_true (gtk_widget_is_sensitive (start));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (start), !=, NULL);
  gtk_window_destroy (GTK_WINDOW (second));
  ferry_test_settle (0.2);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  int status;

  if (g_getenv ("DISPLAY") == NULL)
    {
      g_printerr ("needs tests/fixtures/ferry-testenv.py --display --keyring\n");
      return 77;
    }

  /* As in test-manager: cairo, not llvmpipe's GL, under Xvfb. */
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
  g_application_activate (G_APPLICATION (app));
  window = FERRY_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (ferry_test_wait_until (window_is_mapped, window, 10));
  ferry_test_settle (1.0);

  g_test_add_func ("/runs/log-follows", test_log_follows);
  g_test_add_func ("/runs/two-at-once", test_two_at_once);
  g_test_add_func ("/runs/close-confirm", test_close_confirm);
  g_test_add_func ("/runs/fails-before-counting", test_fails_before_counting);
  g_test_add_func ("/runs/row-progress", test_row_progress);
  g_test_add_func ("/runs/last-transfer-selected", test_last_transfer_selected);

  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  return status;
}
