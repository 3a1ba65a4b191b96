/* test-authorize.c: the Authorize dialog on a real X server, against a real
 * vsftpd and gnome-keyring — a wrong password fails at "Log in" with advice
 * and saves nothing; the right one passes every step and lands in the
 * keyring; Cancel saves nothing; Reauthorize keeps the id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "ferry-application.h"
#include "ferry-authorize-dialog.h"
#include "ferry-connectors-window.h"
#include "ferry-folder-chooser.h"
#include "ferry-test-ui.h"
#include "ferry-window.h"

static FerryApplication *app;
static GtkWindow *main_window;

static GtkWidget *
child (FerryAuthorizeDialog *dialog,
       const char           *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (dialog), FERRY_TYPE_AUTHORIZE_DIALOG, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static void
type_into (FerryAuthorizeDialog *dialog,
           const char           *row,
           const char           *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, row)), text);
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static gboolean
check_done (gpointer data)
{
  FerryAuthorizeDialog *dialog = data;

  return ferry_authorize_dialog_get_check (dialog) != NULL && !ferry_authorize_dialog_get_busy (dialog);
}

static gboolean
has_focus (gpointer widget)
{
  return gtk_widget_has_focus (widget);
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static FerryConnector *
saved_connector (const char *name)
{
  g_autoptr(FerryConnectorStore) fresh = ferry_connector_store_new ();
  g_autoptr(GError) error = NULL;
  FerryConnector *found;

  g_assert_true (ferry_connector_store_load_sync (fresh, NULL, &error));
  g_assert_no_error (error);
  found = ferry_connector_store_find_by_name (fresh, name);
  return found != NULL ? g_object_ref (found) : NULL;
}

static FerryAuthorizeDialog *
open_dialog (FerryConnector *connector)
{
  FerryAuthorizeDialog *dialog;

  dialog = ferry_authorize_dialog_new (main_window,
                                       ferry_application_get_connector_store (app),
                                       connector, FERRY_CONNECTOR_KIND_FTP);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (ferry_test_wait_until (is_mapped, dialog, 10));
  return dialog;
}

static void
fill_plain_ftp (FerryAuthorizeDialog *dialog,
                const char           *name,
                const char           *password)
{
  type_into (dialog, "name_row", name);
  type_into (dialog, "server_row", "127.0.0.1");
  type_into (dialog, "port_row", g_getenv ("FERRY_TEST_FTP_PORT"));
  type_into (dialog, "username_row", g_getenv ("FERRY_TEST_USER"));
  type_into (dialog, "password_row", password);
}

static void
on_saved (FerryAuthorizeDialog *dialog,
          FerryConnector       *connector,
          gboolean             *saved)
{
  g_autofree char *png = NULL;

  /* Every step passed: keep a picture of that before the dialog closes. */
  for (guint i = 0; i < FERRY_CHECK_N_STEPS; i++)
    {
      FerryCheckState state = ferry_connection_check_get_step_state (ferry_authorize_dialog_get_check (dialog), i);

      g_assert_true (state == FERRY_CHECK_STATE_PASSED || state == FERRY_CHECK_STATE_SKIPPED);
    }
  /* Let the rows lay out and draw before the picture. */
  ferry_test_settle (0.3);
  png = ferry_test_save_snapshot (GTK_WIDGET (dialog), "authorize-passed");
  *saved = TRUE;
}

static void
test_wrong_password_then_right (void)
{
  FerryAuthorizeDialog *dialog = open_dialog (NULL);
  g_autoptr(FerryConnector) none = NULL;
  g_autoptr(FerryConnector) found = NULL;
  g_autofree char *png = NULL;
  gboolean saved = FALSE;
  FerryConnectionCheck *check;
  const char *hint;

  fill_plain_ftp (dialog, "Shop (UI)", "not-the-password");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "authorize.authorize", NULL);
  g_assert_true (ferry_authorize_dialog_get_busy (dialog));
  g_assert_true (ferry_test_wait_until (check_done, dialog, 60));

  check = ferry_authorize_dialog_get_check (dialog);
  g_assert_cmpint (ferry_connection_check_get_failed_step (check), ==, FERRY_CHECK_STEP_LOGIN);
  g_assert_cmpint (ferry_connection_check_get_step_state (check, FERRY_CHECK_STEP_CONNECT), ==,
                   FERRY_CHECK_STATE_PASSED);
  g_assert_true (gtk_widget_get_visible (child (dialog, "hint_group")));
  hint = gtk_label_get_text (GTK_LABEL (child (dialog, "hint_label")));
  g_assert_nonnull (strstr (hint, "user name or password"));
  g_assert_true (gtk_widget_get_sensitive (child (dialog, "fields_group")));

  ferry_test_settle (0.3);
  png = ferry_test_save_snapshot (GTK_WIDGET (dialog), "authorize-failed");

  none = saved_connector ("Shop (UI)");
  g_assert_null (none);

  /* The user fixes the password and tries again. */
  g_signal_connect (dialog, "saved", G_CALLBACK (on_saved), &saved);
  type_into (dialog, "password_row", g_getenv ("FERRY_TEST_PASSWORD"));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "authorize.authorize", NULL);
  g_assert_true (ferry_test_wait_until (flag_set, &saved, 60));

  found = saved_connector ("Shop (UI)");
  g_assert_nonnull (found);
  g_assert_cmpstr (ferry_connector_get_server (found), ==, "127.0.0.1");
  g_assert_cmpstr (ferry_connector_get_username (found), ==, g_getenv ("FERRY_TEST_USER"));
  g_assert_cmpuint (ferry_connector_get_port (found), ==, atoi (g_getenv ("FERRY_TEST_FTP_PORT")));
}

static void
test_pasted_url_fills_fields (void)
{
  FerryAuthorizeDialog *dialog = open_dialog (NULL);
  g_autofree char *url = g_strdup_printf ("sftp://deploy@files.example:2222/");

  type_into (dialog, "server_row", url);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "server_row"))), ==, "files.example");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "port_row"))), ==, "2222");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "username_row"))), ==, "deploy");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (dialog, "type_row"))), ==, 3);

  /* A bad port is refused in place, nothing runs. */
  type_into (dialog, "name_row", "Bad port");
  type_into (dialog, "port_row", "70000");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "authorize.authorize", NULL);
  g_assert_false (ferry_authorize_dialog_get_busy (dialog));
  g_assert_null (ferry_authorize_dialog_get_check (dialog));
  g_assert_true (gtk_widget_get_visible (child (dialog, "problem_group")));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (child (dialog, "field_error_label"))), "65535"));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* What Nextcloud's settings show, pasted: WebDAV over TLS on 443, the
 * server, and the folder the chooser opens at; the Domain row only for
 * SMB, filled from "smb://DOMAIN;user@host/Share". */
static void
test_pasted_webdav_and_smb (void)
{
  FerryAuthorizeDialog *dialog = open_dialog (NULL);
  GtkWidget *domain = child (dialog, "domain_row");
  GListModel *types = adw_combo_row_get_model (ADW_COMBO_ROW (child (dialog, "type_row")));
  guint selected;
  g_autofree char *png = NULL;

  g_assert_false (gtk_widget_get_visible (domain));
  type_into (dialog, "server_row", "https://alice@cloud.example.com/remote.php/dav/files/alice/");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "server_row"))), ==, "cloud.example.com");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "port_row"))), ==, "443");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "username_row"))), ==, "alice");
  selected = adw_combo_row_get_selected (ADW_COMBO_ROW (child (dialog, "type_row")));
  g_assert_cmpstr (gtk_string_object_get_string (g_list_model_get_item (types, selected)), ==, "WebDAV over TLS");
  g_object_unref (g_list_model_get_item (types, selected));
  g_assert_false (gtk_widget_get_visible (domain));

  type_into (dialog, "server_row", "smb://OFFICE;bob@nas.local/Projects");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "server_row"))), ==, "nas.local");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "port_row"))), ==, "445");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "username_row"))), ==, "bob");
  g_assert_true (gtk_widget_get_visible (domain));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (domain)), ==, "OFFICE");
  type_into (dialog, "name_row", "Office NAS");
  ferry_test_settle (0.5);
  png = ferry_test_save_snapshot (GTK_WIDGET (dialog), "authorize-smb");
  g_test_message ("snapshot: %s", png);

  /* A bad domain is marked on its own row. */
  type_into (dialog, "domain_row", "BAD\\DOMAIN");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "authorize.authorize", NULL);
  g_assert_null (ferry_authorize_dialog_get_check (dialog));
  g_assert_true (gtk_widget_has_css_class (domain, "error"));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_cancel_saves_nothing (void)
{
  FerryAuthorizeDialog *dialog = open_dialog (NULL);
  g_autoptr(FerryConnector) found = NULL;

  fill_plain_ftp (dialog, "Cancelled (UI)", g_getenv ("FERRY_TEST_PASSWORD"));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "authorize.authorize", NULL);
  /* Escape closes the dialog mid-check. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  ferry_test_settle (2.0);
  found = saved_connector ("Cancelled (UI)");
  g_assert_null (found);
}

static void
test_reauthorize_keeps_id (void)
{
  g_autoptr(FerryConnector) before = saved_connector ("Shop (UI)");
  g_autoptr(FerryConnector) after = NULL;
  FerryAuthorizeDialog *dialog;
  gboolean saved = FALSE;

  g_assert_nonnull (before);
  dialog = open_dialog (before);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Reauthorize Shop (UI)");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "name_row"))), ==, "Shop (UI)");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "password_row"))), ==, "");

  g_signal_connect (dialog, "saved", G_CALLBACK (on_saved), &saved);
  type_into (dialog, "password_row", g_getenv ("FERRY_TEST_PASSWORD"));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "authorize.authorize", NULL);
  g_assert_true (ferry_test_wait_until (flag_set, &saved, 60));

  after = saved_connector ("Shop (UI)");
  g_assert_nonnull (after);
  g_assert_cmpstr (ferry_connector_get_id (after), ==, ferry_connector_get_id (before));
}

static void
test_untrusted_certificate_shown_then_trusted (void)
{
  FerryAuthorizeDialog *dialog = open_dialog (NULL);
  g_autoptr(FerryConnector) found = NULL;
  g_autofree char *png = NULL;
  gboolean saved = FALSE;
  FerryConnectionCheck *check;

  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, "type_row")), 1);   /* explicit TLS */
  fill_plain_ftp (dialog, "Secure (UI)", g_getenv ("FERRY_TEST_PASSWORD"));
  type_into (dialog, "port_row", g_getenv ("FERRY_TEST_FTPS_PORT"));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "authorize.authorize", NULL);
  g_assert_true (ferry_test_wait_until (check_done, dialog, 60));

  check = ferry_authorize_dialog_get_check (dialog);
  g_assert_cmpint (ferry_connection_check_get_failed_step (check), ==, FERRY_CHECK_STEP_SECURE);
  /* Nothing was sent before trust: the login step never ran. */
  g_assert_cmpint (ferry_connection_check_get_step_state (check, FERRY_CHECK_STEP_LOGIN), ==,
                   FERRY_CHECK_STATE_PENDING);
  g_assert_true (gtk_widget_get_visible (child (dialog, "trust_group")));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (dialog, "fingerprint_row"))), ==,
                   g_getenv ("FERRY_TEST_CERT_SHA256"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (dialog, "subject_row"))),
                            "127.0.0.1"));
  found = saved_connector ("Secure (UI)");
  g_assert_null (found);

  /* Trust is offered, not pressed for the user: a second Enter must not
   * trust a certificate nobody looked at. The certificate's first row has
   * the focus and is scrolled into view; Authorize stays the default. */
  /* The focus moves on the frames after the layout placed the row: on a
   * loaded machine that takes longer than a few frames' time. */
  g_assert_true (ferry_test_wait_until (has_focus, child (dialog, "subject_row"), 10));
  ferry_test_settle (0.3);
  g_assert_false (gtk_widget_has_focus (child (dialog, "trust_button")));
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (dialog)) != child (dialog, "trust_button"));
  g_assert_true (gtk_widget_has_focus (child (dialog, "subject_row")));
  {
    GtkWidget *page = child (dialog, "page");
    GtkWidget *subject = child (dialog, "subject_row");
    graphene_point_t top;

    g_assert_true (gtk_widget_compute_point (subject, page, &GRAPHENE_POINT_INIT (0, 0), &top));
    g_assert_cmpfloat (top.y, >=, 0);
    g_assert_cmpfloat (top.y + gtk_widget_get_height (subject), <=, gtk_widget_get_height (page));
  }
  png = ferry_test_save_snapshot (GTK_WIDGET (dialog), "authorize-untrusted");

  g_signal_connect (dialog, "saved", G_CALLBACK (on_saved), &saved);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "authorize.trust", NULL);
  g_assert_true (ferry_test_wait_until (flag_set, &saved, 60));

  found = saved_connector ("Secure (UI)");
  g_assert_nonnull (found);
  g_assert_true (g_str_has_prefix (ferry_connector_get_pin (found), "sha256//"));
}

/* The steps, advice and certificate of a check were about the type it
 * checked: another type clears them. */
static void
test_type_change_clears_check (void)
{
  FerryAuthorizeDialog *dialog = open_dialog (NULL);

  fill_plain_ftp (dialog, "Typed (UI)", "not-the-password");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "authorize.authorize", NULL);
  g_assert_true (ferry_test_wait_until (check_done, dialog, 60));
  g_assert_true (gtk_widget_get_visible (child (dialog, "hint_group")));
  g_assert_true (gtk_widget_get_visible (child (dialog, "check_group")));

  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, "type_row")), 3);   /* SFTP */
  g_assert_false (gtk_widget_get_visible (child (dialog, "hint_group")));
  g_assert_false (gtk_widget_get_visible (child (dialog, "check_group")));
  g_assert_false (gtk_widget_get_visible (child (dialog, "trust_group")));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Fits beside the 640 px main window, and shrinks on a small screen: the
 * fields scroll. */
static void
test_dialog_fits (void)
{
  FerryAuthorizeDialog *dialog = open_dialog (NULL);
  int default_width, default_height, minimum;

  gtk_window_get_default_size (GTK_WINDOW (dialog), &default_width, &default_height);
  g_assert_cmpint (default_height, <=, 600);
  gtk_widget_measure (GTK_WIDGET (dialog), GTK_ORIENTATION_VERTICAL, 560, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 400);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_connectors_window_lists_saved (void)
{
  FerryConnectorsWindow *window = ferry_connectors_window_new (main_window, ferry_application_get_connector_store (app));
  GtkWidget *list;
  g_autofree char *png = NULL;
  guint rows = 0;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ferry_test_wait_until (is_mapped, window, 10));
  ferry_test_settle (1.0);

  list = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), FERRY_TYPE_CONNECTORS_WINDOW, "list"));
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      rows++;
  /* Shop and Secure from the tests above. */
  g_assert_cmpuint (rows, ==, 2);
  png = ferry_test_save_snapshot (GTK_WIDGET (window), "connectors");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
chooser_settled (gpointer chooser)
{
  return !ferry_folder_chooser_get_busy (chooser);
}

/* The folder chooser of the Transfer Wizard on the saved location: its
 * folders, listed through GVfs in a thread, and a typed path checked. */
static void
browse_location (FerryConnector *connector)
{
  g_autofree char *folder = g_build_filename (g_getenv ("FERRY_TEST_WEBDAV_ROOT"), "Ordner ü", NULL);
  g_autofree char *inner = g_build_filename (folder, "innen", NULL);
  g_autofree char *png = NULL;
  struct passwd *www = getpwnam ("www-data");
  GtkWidget *window = gtk_window_new ();
  GtkWidget *chooser = ferry_folder_chooser_new ();
  GtkWidget *list;
  gboolean listed = FALSE;

  g_assert_nonnull (www);
  g_assert_cmpint (g_mkdir_with_parents (inner, 0755), ==, 0);
  g_assert_cmpint (chown (folder, www->pw_uid, www->pw_gid), ==, 0);
  g_assert_cmpint (chown (inner, www->pw_uid, www->pw_gid), ==, 0);

  gtk_window_set_default_size (GTK_WINDOW (window), 480, 400);
  gtk_window_set_child (GTK_WINDOW (window), chooser);
  gtk_window_present (GTK_WINDOW (window));
  ferry_folder_chooser_set_connector (FERRY_FOLDER_CHOOSER (chooser), ferry_application_get_connector_store (app),
                                      connector, NULL);
  g_assert_true (ferry_test_wait_until (chooser_settled, chooser, 60));
  g_assert_true (ferry_folder_chooser_get_valid (FERRY_FOLDER_CHOOSER (chooser)));
  g_assert_cmpstr (ferry_folder_chooser_get_path (FERRY_FOLDER_CHOOSER (chooser)), ==, "/");
  list = GTK_WIDGET (gtk_widget_get_template_child (chooser, FERRY_TYPE_FOLDER_CHOOSER, "folder_list"));
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_PREFERENCES_ROW (row)
        && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "Ordner ü") == 0)
      listed = TRUE;
  g_assert_true (listed);
  ferry_test_settle (0.3);
  png = ferry_test_save_snapshot (window, "folder-chooser-gio");
  g_test_message ("snapshot: %s", png);

  ferry_folder_chooser_set_path (FERRY_FOLDER_CHOOSER (chooser), "/Ordner ü/innen");
  g_assert_true (ferry_test_wait_until (chooser_settled, chooser, 60));
  g_assert_true (ferry_folder_chooser_get_valid (FERRY_FOLDER_CHOOSER (chooser)));
  g_assert_cmpstr (ferry_folder_chooser_get_path (FERRY_FOLDER_CHOOSER (chooser)), ==, "/Ordner ü/innen");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A GNOME Files location: a google-drive:// address picks the type and
 * stays whole, the Port row goes; then a dav:// location of the fixture's
 * Apache, mounted by the real gvfsd-dav: a wrong password fails at "Open
 * the location" with the wrong-password advice, the right one is saved. */
static void
test_gnome_files_location (void)
{
  FerryAuthorizeDialog *dialog;
  GListModel *types;
  g_autoptr(FerryConnector) none = NULL;
  g_autoptr(FerryConnector) found = NULL;
  g_autofree char *location = NULL;
  g_autofree char *png = NULL;
  FerryConnectionCheck *check;
  gboolean saved = FALSE;
  guint selected;

  if (g_getenv ("FERRY_TEST_GVFSD") == NULL || *g_getenv ("FERRY_TEST_GVFSD") == '\0')
    {
      g_test_skip ("gvfsd is not installed (gvfs-daemons)");
      return;
    }
  dialog = open_dialog (NULL);
  types = adw_combo_row_get_model (ADW_COMBO_ROW (child (dialog, "type_row")));
  g_assert_true (gtk_widget_get_visible (child (dialog, "port_row")));
  type_into (dialog, "server_row", "google-drive://alice@example.com/");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "server_row"))), ==,
                   "google-drive://alice@example.com/");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "username_row"))), ==, "alice");
  selected = adw_combo_row_get_selected (ADW_COMBO_ROW (child (dialog, "type_row")));
  g_assert_cmpstr (gtk_string_object_get_string (g_list_model_get_item (types, selected)), ==,
                   "GNOME Files Location (through GVfs)");
  g_object_unref (g_list_model_get_item (types, selected));
  g_assert_false (gtk_widget_get_visible (child (dialog, "port_row")));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child (dialog, "server_row"))), ==, "_Location");
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (child (dialog, "fields_group"))),
                            "slower than a direct connector"));

  /* Chosen in the Type row, back and forth: the Port row follows. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, "type_row")), 0);
  g_assert_true (gtk_widget_get_visible (child (dialog, "port_row")));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child (dialog, "server_row"))), ==, "_Server");
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, "type_row")), selected);
  g_assert_false (gtk_widget_get_visible (child (dialog, "port_row")));

  /* With the type chosen, a dav:// location stays a location. */
  location = g_strdup_printf ("dav://127.0.0.1:%s/", g_getenv ("FERRY_TEST_WEBDAV_PORT"));
  type_into (dialog, "name_row", "Files (UI)");
  type_into (dialog, "server_row", location);
  type_into (dialog, "username_row", g_getenv ("FERRY_TEST_USER"));
  type_into (dialog, "password_row", "not-the-password");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "server_row"))), ==, location);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (dialog, "type_row"))), ==, selected);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "authorize.authorize", NULL);
  g_assert_true (ferry_test_wait_until (check_done, dialog, 90));
  check = ferry_authorize_dialog_get_check (dialog);
  g_assert_cmpint (ferry_connection_check_get_failed_step (check), ==, FERRY_CHECK_STEP_LOGIN);
  g_assert_cmpstr (ferry_connection_check_get_step_label (check, FERRY_CHECK_STEP_LOGIN), ==, "Open the location");
  g_assert_cmpint (ferry_connection_check_get_step_state (check, FERRY_CHECK_STEP_PROTOCOL), ==,
                   FERRY_CHECK_STATE_PASSED);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (child (dialog, "hint_label"))), "user name or password"));
  ferry_test_settle (0.3);
  png = ferry_test_save_snapshot (GTK_WIDGET (dialog), "authorize-gio-failed");
  g_test_message ("snapshot: %s", png);
  none = saved_connector ("Files (UI)");
  g_assert_null (none);

  g_signal_connect (dialog, "saved", G_CALLBACK (on_saved), &saved);
  type_into (dialog, "password_row", g_getenv ("FERRY_TEST_PASSWORD"));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "authorize.authorize", NULL);
  g_assert_true (ferry_test_wait_until (flag_set, &saved, 90));
  found = saved_connector ("Files (UI)");
  g_assert_nonnull (found);
  g_assert_cmpint (ferry_connector_get_kind (found), ==, FERRY_CONNECTOR_KIND_GIO);
  g_assert_cmpstr (ferry_connector_get_server (found), ==, location);
  g_assert_cmpstr (ferry_connector_get_username (found), ==, g_getenv ("FERRY_TEST_USER"));

  browse_location (found);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  if (g_getenv ("DISPLAY") == NULL || g_getenv ("FERRY_TEST_FTP_PORT") == NULL)
    {
      g_printerr ("needs tests/fixtures/ferry-testenv.py --display --keyring --ftp\n");
      return 77;
    }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  ferry_test_ui_init ();

  app = ferry_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  main_window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (ferry_test_wait_until (is_mapped, main_window, 10));
  g_assert_true (ferry_connector_store_load_sync (ferry_application_get_connector_store (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/authorize/wrong-password-then-right", test_wrong_password_then_right);
  g_test_add_func ("/authorize/pasted-url", test_pasted_url_fills_fields);
  g_test_add_func ("/authorize/pasted-webdav-and-smb", test_pasted_webdav_and_smb);
  g_test_add_func ("/authorize/cancel-saves-nothing", test_cancel_saves_nothing);
  g_test_add_func ("/authorize/reauthorize-keeps-id", test_reauthorize_keeps_id);
  g_test_add_func ("/authorize/untrusted-certificate", test_untrusted_certificate_shown_then_trusted);
  g_test_add_func ("/authorize/type-change-clears-check", test_type_change_clears_check);
  g_test_add_func ("/authorize/dialog-fits", test_dialog_fits);
  g_test_add_func ("/authorize/connectors-window", test_connectors_window_lists_saved);
  g_test_add_func ("/authorize/gnome-files-location", test_gnome_files_location);

  status = g_test_run ();
  gtk_window_destroy (main_window);
  g_clear_object (&app);
  return status;
}
