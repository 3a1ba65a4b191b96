/* ferry-test-ui.h: helpers the UI tests share — wait on the main loop with a
 * deadline, and write what a widget shows to a PNG people can look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*FerryTestCondition) (gpointer user_data);

/* After gtk_test_init(): keeps warnings fatal, except the one GTK prints on
 * an X server with no window manager, where focus-out events never come. */
void     ferry_test_ui_init      (void);

/* Iterates the default main context until `condition` holds or `seconds`
 * pass; returns whether it held. */
gboolean ferry_test_wait_until   (FerryTestCondition  condition,
                                  gpointer            user_data,
                                  double              seconds);
/* Runs the main context for `seconds`, for things that settle (layout). */
void     ferry_test_settle       (double              seconds);
/* Renders `widget` as it is on screen into G_TEST_BUILDDIR/NAME.png and
 * returns the path. */
char    *ferry_test_save_snapshot (GtkWidget          *widget,
                                   const char         *name);

G_END_DECLS
