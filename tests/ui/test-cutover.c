/* test-cutover.c: the windows of "verify and cut over", local → local so no
 * server is needed. Verify shows "All N files match" on a fresh copy and,
 * after changes, each difference with Copy Again where copying helps;
 * before a transfer's first run that deletes, the confirmation gives the
 * count, Cancel keeps everything, and a transfer with nothing to delete
 * starts without asking.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry-delete-confirm.h"
#include "ferry-resources.h"
#include "ferry-test-ui.h"
#include "ferry-verify-dialog.h"

static FerryRunManager *manager;
static char *root;

static void
put (const char *relative,
     const char *text)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static gboolean
exists (const char *relative)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static FerryTransfer *
local_transfer (gboolean delete_extra)
{
  FerryTransfer *transfer = ferry_transfer_new ();
  g_autofree char *src = g_build_filename (root, "src", NULL);
  g_autofree char *dst = g_build_filename (root, "dst", NULL);

  ferry_transfer_set_name (transfer, "Site");
  ferry_transfer_set_source_connector_id (transfer, "local");
  ferry_transfer_set_source_path (transfer, src);
  ferry_transfer_set_destination_connector_id (transfer, "local");
  ferry_transfer_set_destination_path (transfer, dst);
  ferry_transfer_set_delete_extra (transfer, delete_extra);
  return transfer;
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  FerryRun **run = user_data;

  *run = ferry_run_manager_start_finish (FERRY_RUN_MANAGER (source), result, NULL);
}

static gboolean
is_set (gpointer user_data)
{
  return *(gpointer *) user_data != NULL;
}

static void
run_once (FerryTransfer *transfer)
{
  g_autoptr(FerryRun) run = NULL;

  ferry_run_manager_start_async (manager, transfer, NULL, on_run_done, &run);
  g_assert_true (ferry_test_wait_until (is_set, &run, 30));
  g_assert_cmpint (ferry_run_get_state (run), ==, FERRY_RUN_STATE_COMPLETED);
}

static GtkWidget *
child_of (gpointer    widget,
          const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), FERRY_TYPE_VERIFY_DIALOG, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static gboolean
verify_shown (gpointer user_data)
{
  const char *page = gtk_stack_get_visible_child_name (GTK_STACK (child_of (user_data, "stack")));

  return g_strcmp0 (page, "running") != 0;
}

static guint
n_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    n++;
  return n;
}

static void
test_verify_dialog (void)
{
  g_autoptr(FerryTransfer) transfer = local_transfer (FALSE);
  FerryVerifyDialog *dialog;
  AdwStatusPage *result;
  g_autofree char *path = NULL;

  put ("src/index.html", "<h1>hi</h1>");
  put ("src/css/site.css", "body{}");
  put ("src/img/logo.png", "png");
  run_once (transfer);

  dialog = ferry_verify_dialog_new (NULL, manager, transfer);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (ferry_test_wait_until (verify_shown, dialog, 30));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child_of (dialog, "stack"))), ==, "result");
  result = ADW_STATUS_PAGE (child_of (dialog, "result_page"));
  g_assert_cmpstr (adw_status_page_get_title (result), ==, "All 3 Files Match");
  ferry_test_settle (0.3);
  g_free (ferry_test_save_snapshot (GTK_WIDGET (dialog), "verify-match"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* One file gone, one only at the destination, one of another size. */
  path = g_build_filename (root, "dst", "css", "site.css", NULL);
  g_assert_cmpint (g_unlink (path), ==, 0);
  put ("dst/stray.html", "stray");
  put ("dst/index.html", "<h1>hello, longer</h1>");
  dialog = ferry_verify_dialog_new (NULL, manager, transfer);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (ferry_test_wait_until (verify_shown, dialog, 30));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child_of (dialog, "stack"))), ==, "differences");
  g_assert_cmpuint (n_rows (child_of (dialog, "difference_list")), ==, 3);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child_of (dialog, "summary_label"))), ==,
                   "3 differences among 3 files");
  ferry_test_settle (0.3);
  g_free (ferry_test_save_snapshot (GTK_WIDGET (dialog), "verify-differences"));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

typedef struct
{
  gboolean done;
  gboolean go;
} Confirm;

static void
on_confirmed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Confirm *confirm = user_data;

  confirm->go = ferry_delete_confirm_finish (result, NULL);
  confirm->done = TRUE;
}

static gboolean
confirm_done (gpointer user_data)
{
  return ((Confirm *) user_data)->done;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer user_data)
{
  return find_message_dialog () != NULL;
}

static void
test_delete_confirm (void)
{
  g_autoptr(FerryTransfer) transfer = local_transfer (TRUE);
  Confirm confirm = { FALSE, FALSE };
  AdwMessageDialog *dialog;

  /* Nothing to delete (the verification's stray file gone): no question. */
  {
    g_autofree char *stray = g_build_filename (root, "dst", "stray.html", NULL);

    g_assert_cmpint (g_unlink (stray), ==, 0);
  }
  ferry_delete_confirm_async (NULL, manager, transfer, on_confirmed, &confirm);
  g_assert_true (ferry_test_wait_until (confirm_done, &confirm, 30));
  g_assert_true (confirm.go);
  g_assert_null (find_message_dialog ());

  put ("dst/old-1.html", "old");
  put ("dst/old/2.html", "old");
  confirm.done = FALSE;
  ferry_delete_confirm_async (NULL, manager, transfer, on_confirmed, &confirm);
  g_assert_true (ferry_test_wait_until (dialog_shown, NULL, 30));
  dialog = find_message_dialog ();
  /* Two files and their folder. */
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete 3 Files and Folders?");
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  ferry_test_settle (0.3);
  g_free (ferry_test_save_snapshot (GTK_WIDGET (dialog), "delete-confirm"));
  adw_message_dialog_response (dialog, "cancel");
  g_assert_true (ferry_test_wait_until (confirm_done, &confirm, 10));
  g_assert_false (confirm.go);
  g_assert_true (exists ("dst/old-1.html"));
  g_assert_true (exists ("dst/old/2.html"));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (g_getenv ("DISPLAY") == NULL)
    {
      g_printerr ("needs tests/fixtures/ferry-testenv.py --display\n");
      return 77;
    }
  if (g_getenv ("GSK_RENDERER") == NULL)
    g_setenv ("GSK_RENDERER", "cairo", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  ferry_test_ui_init ();
  ferry_register_resource ();

  root = g_dir_make_tmp ("ferry-cutover-ui-XXXXXX", NULL);
  manager = ferry_run_manager_new ();
  g_test_add_func ("/cutover/verify-dialog", test_verify_dialog);
  g_test_add_func ("/cutover/delete-confirm", test_delete_confirm);
  status = g_test_run ();
  g_clear_object (&manager);
  return status;
}
