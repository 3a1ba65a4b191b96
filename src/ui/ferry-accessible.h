/* ferry-accessible.h: small repairs of what GTK 4.8 tells assistive
 * technology, shared by the windows of src/ui.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void ferry_accessible_name_mnemonic_buttons (GtkWidget  *root);
void ferry_accessible_name_button           (GtkButton  *button);
void ferry_accessible_name_password_toggle  (GtkWidget  *password_row);
void ferry_accessible_name_row_list         (GtkWidget  *row,
                                             const char *name);
void ferry_accessible_name_combo_list       (GtkWidget  *combo_row,
                                             const char *name);

GtkListItemFactory *ferry_accessible_string_factory_new (void);

G_END_DECLS
