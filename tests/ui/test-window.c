/* test-window.c: the Migration Manager window opens on a real X server and,
 * with no transfers, shows the empty state that tells the user what to do;
 * its size is remembered in GSettings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ferry-application.h"
#include "ferry-test-ui.h"
#include "ferry-window.h"

static gboolean
window_is_mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (user_data));
}

/* One application for the whole test program, as in real life: it owns the
 * application id on the private bus. */
static FerryApplication *app;

static FerryWindow *
open_window (void)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (app));

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (FERRY_IS_WINDOW (window));
  g_assert_true (ferry_test_wait_until (window_is_mapped, window, 10));
  return FERRY_WINDOW (window);
}

static void
test_empty_state (void)
{
  g_autofree char *png = NULL;
  FerryWindow *window = open_window ();
  GtkStack *stack;
  AdwStatusPage *empty;

  stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (window), FERRY_TYPE_WINDOW, "stack"));
  empty = ADW_STATUS_PAGE (gtk_widget_get_template_child (GTK_WIDGET (window), FERRY_TYPE_WINDOW,
                                                          "empty_page"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (empty)));
  g_assert_cmpstr (adw_status_page_get_title (empty), ==, "No Transfers Yet");
  g_assert_nonnull (strstr (adw_status_page_get_description (empty), "Authorize a connector"));

  /* The first step is one click away: the button is there and enabled. */
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                                    FERRY_TYPE_WINDOW,
                                                                                    "empty_new_transfer_button"))));

  ferry_test_settle (0.5);
  png = ferry_test_save_snapshot (GTK_WIDGET (window), "window-empty");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
banner_shown (gpointer user_data)
{
  return gtk_revealer_get_reveal_child (user_data);
}

/* Run without a keyring: the window says so instead of looking empty. */
static void
test_keyring_banner (void)
{
  FerryWindow *window = open_window ();
  GtkRevealer *banner = GTK_REVEALER (gtk_widget_get_template_child (GTK_WIDGET (window), FERRY_TYPE_WINDOW,
                                                                   "keyring_banner"));
  GtkLabel *label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (window), FERRY_TYPE_WINDOW,
                                                            "keyring_label"));
  g_autofree char *png = NULL;

  g_assert_true (ferry_test_wait_until (banner_shown, banner, 10));
  g_assert_nonnull (strstr (gtk_label_get_text (label), "keyring"));
  ferry_test_settle (0.5);
  png = ferry_test_save_snapshot (GTK_WIDGET (window), "window-no-keyring");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_size_remembered (void)
{
  FerryWindow *window = open_window ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  int width = 0;
  int height = 0;

  /* What a user's resize does: the window takes the new size on screen. */
  gtk_window_set_default_size (GTK_WINDOW (window), 777, 555);
  ferry_test_settle (0.5);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <, 800);
  gtk_window_close (GTK_WINDOW (window));

  g_settings_get (settings, "window-size", "(ii)", &width, &height);
  g_assert_cmpint (width, ==, 777);
  g_assert_cmpint (height, ==, 555);

  /* A new window starts at the remembered size. */
  window = open_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 777);
  g_assert_cmpint (height, ==, 555);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  if (g_getenv ("DISPLAY") == NULL)
    {
      g_printerr ("needs tests/fixtures/ferry-testenv.py --display\n");
      return 77;
    }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  ferry_test_ui_init ();

  app = ferry_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/window/empty-state", test_empty_state);
  g_test_add_func ("/window/size-remembered", test_size_remembered);
  if (g_getenv ("GNOME_KEYRING_CONTROL") == NULL)
    g_test_add_func ("/window/keyring-banner", test_keyring_banner);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
