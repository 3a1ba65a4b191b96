/* ferry-accessible.c: small repairs of what GTK 4.8 tells assistive
 * technology. GTK 4.8 names a button with a mnemonic label twice: from its
 * accessible label, which gtk_button_set_label() sets to the raw text
 * ("_Start Migrating"), and from the label inside it that the mnemonic
 * makes it "labelled by" ("Start Migrating"); Orca reads both. Dropping the
 * first leaves the name people see. libadwaita 1.2's password row shows its
 * text with an unnamed toggle, which AT-SPI calls "GtkImage".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-accessible.h"

/* Call again after each gtk_button_set_label(): it sets the raw text anew. */
void
ferry_accessible_name_button (GtkButton *button)
{
  g_return_if_fail (GTK_IS_BUTTON (button));

  if (gtk_button_get_use_underline (button) && gtk_button_get_label (button) != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* Every button with a mnemonic label under `root`, `root` included. */
void
ferry_accessible_name_mnemonic_buttons (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root))
    ferry_accessible_name_button (GTK_BUTTON (root));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    ferry_accessible_name_mnemonic_buttons (child);
}

static gboolean
name_toggles (GtkWidget *widget)
{
  gboolean found = FALSE;

  if (GTK_IS_TOGGLE_BUTTON (widget) || (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) == NULL))
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Show Password"),
                                      -1);
      return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    found |= name_toggles (child);
  return found;
}

/* The eye button of an AdwPasswordEntryRow. */
void
ferry_accessible_name_password_toggle (GtkWidget *password_row)
{
  g_return_if_fail (GTK_IS_WIDGET (password_row));

  name_toggles (password_row);
}

/* The boxed list a preferences row sits in: libadwaita 1.2 leaves it
 * unnamed, and AT-SPI then calls it "GtkListBox". */
void
ferry_accessible_name_row_list (GtkWidget  *row,
                                const char *name)
{
  GtkWidget *list;

  g_return_if_fail (GTK_IS_WIDGET (row));

  list = gtk_widget_get_parent (row);
  if (GTK_IS_LIST_BOX (list))
    gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
name_list_views (GtkWidget  *widget,
                 const char *name)
{
  if (GTK_IS_LIST_VIEW (widget))
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_list_views (child, name);
}

/* The list of choices of a combo row (its popover), "GtkListView" otherwise. */
void
ferry_accessible_name_combo_list (GtkWidget  *combo_row,
                                  const char *name)
{
  g_return_if_fail (GTK_IS_WIDGET (combo_row));

  name_list_views (combo_row, name);
}

static void
name_item_setup (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

static void
name_item_bind (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  const char *text = gtk_string_object_get_string (gtk_list_item_get_item (item));
  GtkWidget *label = gtk_list_item_get_child (item);
  GtkWidget *row = gtk_widget_get_parent (label);

  gtk_label_set_text (GTK_LABEL (label), text);
  /* GTK 4.8 does not name a list's row after what it shows, and GtkListItem
   * has an accessible label only from 4.12: name the row the label is in. */
  if (row != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

/* A factory for a list of GtkStringObject whose rows are read by name. */
GtkListItemFactory *
ferry_accessible_string_factory_new (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (name_item_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (name_item_bind), NULL);
  return factory;
}
