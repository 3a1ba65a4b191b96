/* ferry-connector-row.c: a saved connector — name, type, user@server — with
 * Reauthorize shown while the pointer is over the row or it has keyboard
 * focus, and a menu with Reauthorize, Test Connection and Remove. The row
 * only names actions; the list that holds it carries them out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-connector-row.h"

struct _FerryConnectorRow
{
  AdwActionRow parent_instance;

  FerryConnector *connector;
  gboolean hovered;

  GtkButton *reauthorize_button;
  GtkMenuButton *menu_button;
};

G_DEFINE_FINAL_TYPE (FerryConnectorRow, ferry_connector_row, ADW_TYPE_ACTION_ROW)

static void
update_reveal (FerryConnectorRow *self)
{
  gboolean focused = gtk_widget_has_focus (GTK_WIDGET (self))
                     || gtk_widget_get_focus_child (GTK_WIDGET (self)) != NULL;

  /* Faded rather than hidden: the row keeps its layout under the pointer. */
  gtk_widget_set_opacity (GTK_WIDGET (self->reauthorize_button), self->hovered || focused ? 1.0 : 0.0);
}

static void
on_enter (FerryConnectorRow *self)
{
  self->hovered = TRUE;
  update_reveal (self);
}

static void
on_leave (FerryConnectorRow *self)
{
  self->hovered = FALSE;
  update_reveal (self);
}

static void
ferry_connector_row_dispose (GObject *object)
{
  FerryConnectorRow *self = FERRY_CONNECTOR_ROW (object);

  g_clear_object (&self->connector);

  G_OBJECT_CLASS (ferry_connector_row_parent_class)->dispose (object);
}

static void
ferry_connector_row_class_init (FerryConnectorRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_connector_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, APPLICATION_PATH "/ferry-connector-row.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryConnectorRow, reauthorize_button);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectorRow, menu_button);
}

static void
ferry_connector_row_init (FerryConnectorRow *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (motion, "enter", G_CALLBACK (on_enter), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "leave", G_CALLBACK (on_leave), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect_object (focus, "enter", G_CALLBACK (update_reveal), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (focus, "leave", G_CALLBACK (update_reveal), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
}

GtkWidget *
ferry_connector_row_new (FerryConnector *connector)
{
  FerryConnectorRow *self;
  g_autofree char *display = NULL;
  g_autofree char *subtitle = NULL;
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) danger = g_menu_new ();
  g_autoptr(GMenuItem) reauthorize = g_menu_item_new (_("_Reauthorize…"), NULL);
  g_autoptr(GMenuItem) test = g_menu_item_new (_("_Test Connection"), NULL);
  g_autoptr(GMenuItem) remove = g_menu_item_new (_("_Remove…"), NULL);
  g_autofree char *accessible_label = NULL;
  const char *trusted = "";
  const char *id;

  g_return_val_if_fail (FERRY_IS_CONNECTOR (connector), NULL);

  self = g_object_new (FERRY_TYPE_CONNECTOR_ROW, NULL);
  self->connector = g_object_ref (connector);
  id = ferry_connector_get_id (connector);

  display = ferry_connector_dup_display (connector);
  /* What the user trusted, in the words the Authorize dialog showed it. */
  if (ferry_connector_get_pin (connector) != NULL)
    trusted = ferry_connector_get_kind (connector) == FERRY_CONNECTOR_KIND_SFTP
              ? _(" · host key trusted") : _(" · certificate trusted");
  /* A GNOME Files location's port, if any, is in its address. */
  if (ferry_connector_get_port (connector) == 0)
    subtitle = g_strdup_printf ("%s · %s%s", ferry_connector_kind_get_label (ferry_connector_get_kind (connector)),
                                display, trusted);
  else
    subtitle = g_strdup_printf ("%s · %s:%u%s", ferry_connector_kind_get_label (ferry_connector_get_kind (connector)),
                                display, ferry_connector_get_port (connector), trusted);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), ferry_connector_get_name (connector));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  accessible_label = g_strdup_printf (_("Reauthorize %s"), ferry_connector_get_name (connector));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->reauthorize_button), g_variant_new_string (id));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->reauthorize_button), "connectors.reauthorize");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reauthorize_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label,
                                  -1);
  /* GTK 4.8 would add the mnemonic label it is "labelled by" to that name:
   * "Reauthorize Shop Reauthorize". */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->reauthorize_button),
                                 GTK_ACCESSIBLE_RELATION_LABELLED_BY);

  g_menu_item_set_action_and_target_value (reauthorize, "connectors.reauthorize", g_variant_new_string (id));
  g_menu_item_set_action_and_target_value (test, "connectors.test", g_variant_new_string (id));
  g_menu_item_set_action_and_target_value (remove, "connectors.remove", g_variant_new_string (id));
  g_menu_append_item (menu, reauthorize);
  g_menu_append_item (menu, test);
  g_menu_append_item (danger, remove);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (danger));
  gtk_menu_button_set_menu_model (self->menu_button, G_MENU_MODEL (menu));
  return GTK_WIDGET (self);
}

FerryConnector *
ferry_connector_row_get_connector (FerryConnectorRow *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTOR_ROW (self), NULL);
  return self->connector;
}
