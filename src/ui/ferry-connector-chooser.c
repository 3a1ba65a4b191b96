/* ferry-connector-chooser.c: the connector steps of the Transfer Wizard.
 * This computer and every saved connector as radio rows of a boxed list that
 * follows the store, and Authorize New Connector, which opens the Authorize
 * dialog and chooses what it saved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-authorize-dialog.h"
#include "ferry-connector-chooser.h"

struct _FerryConnectorChooser
{
  AdwBin parent_instance;

  FerryConnectorStore *store;
  char *selected_id;
  char *pending_id;      /* saved by our Authorize dialog, not listed yet */

  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (FerryConnectorChooser, ferry_connector_chooser, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_selected_id (FerryConnectorChooser *self,
                 const char            *id)
{
  if (g_strcmp0 (self->selected_id, id) == 0)
    return;
  g_free (self->selected_id);
  self->selected_id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

static void
on_check_toggled (GtkCheckButton *check,
                  gpointer        user_data)
{
  FerryConnectorChooser *self = user_data;

  if (gtk_check_button_get_active (check))
    set_selected_id (self, g_object_get_data (G_OBJECT (check), "ferry-id"));
}

static GtkCheckButton *
add_row (FerryConnectorChooser *self,
         FerryConnector        *connector,
         GtkCheckButton        *group)
{
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  /* One choice among several: a radio button to assistive technology, which
   * GTK 4.8 does not make of a grouped check button by itself. */
  GtkWidget *check = g_object_new (GTK_TYPE_CHECK_BUTTON,
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_RADIO,
                                   NULL);
  GtkWidget *icon;

  if (ferry_connector_get_kind (connector) == FERRY_CONNECTOR_KIND_LOCAL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("This Computer"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Folders on this computer’s disks"));
      icon = gtk_image_new_from_icon_name ("computer-symbolic");
    }
  else
    {
      g_autofree char *display = ferry_connector_dup_display (connector);

      /* Names are what users typed: never markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), ferry_connector_get_name (connector));
      /* Translators: connector type, then user@server */
      subtitle = g_strdup_printf (_("%s · %s"),
                                  ferry_connector_kind_get_label (ferry_connector_get_kind (connector)),
                                  display);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      icon = gtk_image_new_from_icon_name ("network-server-symbolic");
    }
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (check), "ferry-id", g_strdup (ferry_connector_get_id (connector)), g_free);
  if (group != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
  /* No accessible label of its own: the row makes it "labelled by" its
   * title, and a label would have the name read twice. The row is the one
   * Tab stop (Space or Enter chooses, arrows go from row to row): the
   * button inside would be a second. */
  gtk_widget_set_focusable (check, FALSE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  gtk_list_box_append (self->list, row);

  if (g_strcmp0 (self->selected_id, ferry_connector_get_id (connector)) == 0)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_signal_connect_object (check, "toggled", G_CALLBACK (on_check_toggled), self, 0);
  return GTK_CHECK_BUTTON (check);
}

static void
rebuild (FerryConnectorChooser *self)
{
  GtkWidget *child;
  GtkCheckButton *group;
  guint n;

  if (self->pending_id != NULL && self->store != NULL
      && ferry_connector_store_find_by_id (self->store, self->pending_id) != NULL)
    {
      g_free (self->selected_id);
      self->selected_id = g_steal_pointer (&self->pending_id);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  group = add_row (self, ferry_connector_get_local (), NULL);
  n = self->store != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->store)) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FerryConnector) connector = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      add_row (self, connector, group);
    }
  /* A chosen connector that was removed is no choice any more. */
  if (self->selected_id != NULL && ferry_connector_chooser_get_selected (self) == NULL)
    set_selected_id (self, NULL);
}

static void
on_saved (FerryConnectorChooser *self,
          FerryConnector        *connector)
{
  g_free (self->pending_id);
  self->pending_id = g_strdup (ferry_connector_get_id (connector));
  rebuild (self);
  /* On to the new connector's row, not left on Authorize New Connector. */
  ferry_connector_chooser_focus_choice (self);
}

static void
authorize_clicked (FerryConnectorChooser *self)
{
  FerryAuthorizeDialog *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->store == NULL)
    return;
  dialog = ferry_authorize_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                       self->store, NULL, FERRY_CONNECTOR_KIND_FTP);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_saved), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
ferry_connector_chooser_dispose (GObject *object)
{
  FerryConnectorChooser *self = FERRY_CONNECTOR_CHOOSER (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ferry_connector_chooser_parent_class)->dispose (object);
}

static void
ferry_connector_chooser_finalize (GObject *object)
{
  FerryConnectorChooser *self = FERRY_CONNECTOR_CHOOSER (object);

  g_free (self->selected_id);
  g_free (self->pending_id);

  G_OBJECT_CLASS (ferry_connector_chooser_parent_class)->finalize (object);
}

static void
ferry_connector_chooser_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  FerryConnectorChooser *self = FERRY_CONNECTOR_CHOOSER (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_object (value, ferry_connector_chooser_get_selected (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_connector_chooser_class_init (FerryConnectorChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_connector_chooser_dispose;
  object_class->finalize = ferry_connector_chooser_finalize;
  object_class->get_property = ferry_connector_chooser_get_property;

  properties[PROP_SELECTED] =
    g_param_spec_object ("selected", NULL, NULL, FERRY_TYPE_CONNECTOR,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_connector_chooser_init (FerryConnectorChooser *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *button;

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Connectors"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->list));

  button = gtk_button_new_with_mnemonic (_("_Authorize New Connector…"));
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  g_signal_connect_object (button, "clicked", G_CALLBACK (authorize_clicked), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), button);

  adw_bin_set_child (ADW_BIN (self), box);
  rebuild (self);
}

GtkWidget *
ferry_connector_chooser_new (void)
{
  return g_object_new (FERRY_TYPE_CONNECTOR_CHOOSER, NULL);
}

void
ferry_connector_chooser_set_store (FerryConnectorChooser *self,
                                   FerryConnectorStore   *store)
{
  g_return_if_fail (FERRY_IS_CONNECTOR_CHOOSER (self));
  g_return_if_fail (store == NULL || FERRY_IS_CONNECTOR_STORE (store));

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "items-changed", G_CALLBACK (rebuild), self, G_CONNECT_SWAPPED);
  rebuild (self);
}

FerryConnector *
ferry_connector_chooser_get_selected (FerryConnectorChooser *self)
{
  FerryConnector *local = ferry_connector_get_local ();

  g_return_val_if_fail (FERRY_IS_CONNECTOR_CHOOSER (self), NULL);

  if (self->selected_id == NULL)
    return NULL;
  if (g_str_equal (self->selected_id, ferry_connector_get_id (local)))
    return local;
  return self->store != NULL ? ferry_connector_store_find_by_id (self->store, self->selected_id) : NULL;
}

gboolean
ferry_connector_chooser_select_id (FerryConnectorChooser *self,
                                   const char            *id)
{
  g_autofree char *previous = NULL;

  g_return_val_if_fail (FERRY_IS_CONNECTOR_CHOOSER (self), FALSE);

  previous = g_strdup (self->selected_id);
  set_selected_id (self, id);
  if (id != NULL && ferry_connector_chooser_get_selected (self) == NULL)
    {
      set_selected_id (self, previous);
      return FALSE;
    }
  rebuild (self);
  return TRUE;
}

gboolean
ferry_connector_chooser_focus_choice (FerryConnectorChooser *self)
{
  GtkWidget *first = NULL;

  g_return_val_if_fail (FERRY_IS_CONNECTOR_CHOOSER (self), FALSE);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *check;

      if (!ADW_IS_ACTION_ROW (row))
        continue;
      if (first == NULL)
        first = row;
      check = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
      if (check != NULL && gtk_check_button_get_active (GTK_CHECK_BUTTON (check)))
        return gtk_widget_grab_focus (row);
    }
  return first != NULL && gtk_widget_grab_focus (first);
}
