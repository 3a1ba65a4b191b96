/* ferry-connectors-window.c: the saved connectors, read from the keyring,
 * with Reauthorize, Test Connection and Remove on each, and one row per type
 * to authorize a new one. A keyring that is absent or locked shows a banner
 * with the reason and Try Again, never an empty list that looks fine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-accessible.h"
#include "ferry-authorize-dialog.h"
#include "ferry-connection-check.h"
#include "ferry-connector-row.h"
#include "ferry-connectors-window.h"

struct _FerryConnectorsWindow
{
  AdwWindow parent_instance;

  FerryConnectorStore *store;
  GCancellable *cancellable;

  AdwToastOverlay *toast_overlay;
  GtkRevealer *banner_revealer;
  GtkLabel *banner_label;
  GtkListBox *list;
  AdwPreferencesGroup *new_group;
};

G_DEFINE_FINAL_TYPE (FerryConnectorsWindow, ferry_connectors_window, ADW_TYPE_WINDOW)

static void
toast (FerryConnectorsWindow *self,
       const char            *text)
{
  /* libadwaita 1.2 reads toast titles as markup: names are escaped. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  return ferry_connector_row_new (item);
}

static void
loaded (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(FerryConnectorsWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ferry_connector_store_load_finish (FERRY_CONNECTOR_STORE (source), result, &error))
    {
      if (g_error_matches (error, FERRY_ERROR, FERRY_ERROR_CANCELLED))
        return;
      gtk_label_set_text (self->banner_label, error->message);
      gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
      return;
    }
  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
}

void
ferry_connectors_window_reload (FerryConnectorsWindow *self)
{
  g_return_if_fail (FERRY_IS_CONNECTORS_WINDOW (self));

  ferry_connector_store_load_async (self->store, self->cancellable, loaded, g_object_ref (self));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ferry_connectors_window_reload (FERRY_CONNECTORS_WINDOW (widget));
}

static void
on_saved (FerryConnectorsWindow *self,
          FerryConnector        *connector)
{
  g_autofree char *text = g_strdup_printf (_("“%s” is authorized"), ferry_connector_get_name (connector));

  toast (self, text);
}

static void
open_dialog (FerryConnectorsWindow *self,
             FerryConnector        *connector,
             FerryConnectorKind     kind)
{
  FerryAuthorizeDialog *dialog = ferry_authorize_dialog_new (GTK_WINDOW (self), self->store, connector, kind);

  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_saved), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
authorize_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FerryConnectorKind kind = FERRY_CONNECTOR_KIND_FTP;

  ferry_connector_kind_from_string (g_variant_get_string (parameter, NULL), &kind);
  open_dialog (FERRY_CONNECTORS_WINDOW (widget), NULL, kind);
}

static FerryConnector *
connector_for (FerryConnectorsWindow *self,
               GVariant              *parameter)
{
  return ferry_connector_store_find_by_id (self->store, g_variant_get_string (parameter, NULL));
}

static void
reauthorize_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FerryConnectorsWindow *self = FERRY_CONNECTORS_WINDOW (widget);
  FerryConnector *connector = connector_for (self, parameter);

  if (connector != NULL)
    open_dialog (self, connector, ferry_connector_get_kind (connector));
}

typedef struct
{
  FerryConnectorsWindow *self;
  FerryConnector *connector;
} TestData;

static void
test_data_free (TestData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->connector);
  g_free (data);
}

static void
tested (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  TestData *data = user_data;
  FerryConnectionCheck *check = FERRY_CONNECTION_CHECK (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (ferry_connection_check_run_finish (check, result, &error))
    text = g_strdup_printf (_("“%s” works"), ferry_connector_get_name (data->connector));
  else if (!g_error_matches (error, FERRY_ERROR, FERRY_ERROR_CANCELLED))
    text = g_strdup_printf (_("“%s”: %s"), ferry_connector_get_name (data->connector),
                            ferry_connection_check_get_hint (check) != NULL
                            ? ferry_connection_check_get_hint (check) : error->message);
  if (text != NULL)
    toast (data->self, text);
  g_object_unref (check);
  test_data_free (data);
}

static void
password_for_test (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TestData *data = user_data;
  g_autoptr(GError) error = NULL;
  char *password = ferry_connector_store_lookup_password_finish (FERRY_CONNECTOR_STORE (source), result, &error);
  FerryConnectionCheck *check;

  if (password == NULL)
    {
      toast (data->self, error->message);
      test_data_free (data);
      return;
    }
  check = ferry_connection_check_new (data->connector, password, NULL);
  ferry_password_free (password);
  ferry_connection_check_run_async (check, data->self->cancellable, tested, data);
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FerryConnectorsWindow *self = FERRY_CONNECTORS_WINDOW (widget);
  FerryConnector *connector = connector_for (self, parameter);
  g_autofree char *text = NULL;
  TestData *data;

  if (connector == NULL)
    return;
  text = g_strdup_printf (_("Checking “%s”…"), ferry_connector_get_name (connector));
  toast (self, text);
  data = g_new0 (TestData, 1);
  data->self = g_object_ref (self);
  data->connector = g_object_ref (connector);
  ferry_connector_store_lookup_password_async (self->store, connector, self->cancellable,
                                               password_for_test, data);
}

static void
removed (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(FerryConnectorsWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ferry_connector_store_remove_finish (FERRY_CONNECTOR_STORE (source), result, &error))
    toast (self, error->message);
  else
    toast (self, _("Connector removed"));
}

static void
remove_response (AdwMessageDialog      *dialog,
                 const char            *response,
                 FerryConnectorsWindow *self)
{
  FerryConnector *connector = g_object_get_data (G_OBJECT (dialog), "connector");

  if (g_strcmp0 (response, "remove") == 0 && connector != NULL)
    ferry_connector_store_remove_async (self->store, connector, self->cancellable, removed, g_object_ref (self));
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FerryConnectorsWindow *self = FERRY_CONNECTORS_WINDOW (widget);
  FerryConnector *connector = connector_for (self, parameter);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (connector == NULL)
    return;
  heading = g_strdup_printf (_("Remove “%s”?"), ferry_connector_get_name (connector));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading,
                                                       _("Its password is deleted from the keyring. Transfers "
                                                         "that use it will need another connector.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  ferry_accessible_name_mnemonic_buttons (GTK_WIDGET (dialog));
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "connector", g_object_ref (connector), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_type_rows (FerryConnectorsWindow *self)
{
  static const struct
  {
    FerryConnectorKind kind;
    const char *description;
  } types[] = {
    { FERRY_CONNECTOR_KIND_FTPS_EXPLICIT, N_("Encrypted FTP that starts in plain text, usually on port 21") },
    { FERRY_CONNECTOR_KIND_SFTP, N_("File transfer over SSH, usually on port 22") },
    { FERRY_CONNECTOR_KIND_FTPS_IMPLICIT, N_("Encrypted from the first byte, usually on port 990") },
    { FERRY_CONNECTOR_KIND_FTP, N_("Unencrypted: passwords and files cross the network as they are") },
    { FERRY_CONNECTOR_KIND_WEBDAVS, N_("Nextcloud, ownCloud and other web folders over HTTPS, usually on port 443") },
    { FERRY_CONNECTOR_KIND_WEBDAV, N_("Web folders over plain HTTP: passwords and files cross the network as they are") },
    { FERRY_CONNECTOR_KIND_SMB, N_("A Windows or Samba file share (SMB2 or SMB3), usually on port 445") },
    { FERRY_CONNECTOR_KIND_GIO, N_("Anything GNOME Files opens, such as Google Drive or OneDrive from Online "
                                   "Accounts, through GVfs: slower than a direct connector") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), ferry_connector_kind_get_label (types[i].kind));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(types[i].description));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "connectors.authorize");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row),
                                              g_variant_new_string (ferry_connector_kind_to_string (types[i].kind)));
      adw_preferences_group_add (self->new_group, row);
    }
}

static void
ferry_connectors_window_dispose (GObject *object)
{
  FerryConnectorsWindow *self = FERRY_CONNECTORS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ferry_connectors_window_parent_class)->dispose (object);
}

static void
ferry_connectors_window_class_init (FerryConnectorsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_connectors_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, APPLICATION_PATH "/ferry-connectors-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryConnectorsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectorsWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectorsWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectorsWindow, list);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectorsWindow, new_group);

  gtk_widget_class_install_action (widget_class, "connectors.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "connectors.authorize", "s", authorize_action);
  gtk_widget_class_install_action (widget_class, "connectors.reauthorize", "s", reauthorize_action);
  gtk_widget_class_install_action (widget_class, "connectors.test", "s", test_action);
  gtk_widget_class_install_action (widget_class, "connectors.remove", "s", remove_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ferry_connectors_window_init (FerryConnectorsWindow *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  placeholder = gtk_label_new (_("No connectors yet. Authorize one below."));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 18);
  gtk_widget_set_margin_bottom (placeholder, 18);
  gtk_list_box_set_placeholder (self->list, placeholder);
  add_type_rows (self);
  ferry_accessible_name_mnemonic_buttons (GTK_WIDGET (self));
}

FerryConnectorsWindow *
ferry_connectors_window_new (GtkWindow           *parent,
                             FerryConnectorStore *store)
{
  FerryConnectorsWindow *self;

  g_return_val_if_fail (FERRY_IS_CONNECTOR_STORE (store), NULL);

  self = g_object_new (FERRY_TYPE_CONNECTORS_WINDOW, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (store), create_row, self, NULL);
  ferry_connectors_window_reload (self);
  return self;
}
