/* ferry-window.c: the Migration Manager window. It shows the transfers, or an
 * empty state that says what to do first, and remembers its size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-connectors-window.h"
#include "ferry-error.h"
#include "ferry-window.h"

struct _FerryWindow
{
  AdwApplicationWindow parent_instance;

  GSettings *settings;
  GCancellable *cancellable;

  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  AdwStatusPage *empty_page;
  GtkButton *empty_new_transfer_button;
  GtkRevealer *keyring_banner;
  GtkLabel *keyring_label;
};

G_DEFINE_FINAL_TYPE (FerryWindow, ferry_window, ADW_TYPE_APPLICATION_WINDOW)

static void
ferry_window_save_state (FerryWindow *self)
{
  int width;
  int height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      g_settings_set (self->settings, "window-size", "(ii)", width, height);
    }
  g_settings_apply (self->settings);
}

static void
ferry_window_restore_state (FerryWindow *self)
{
  int width;
  int height;

  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
ferry_window_close_request (GtkWindow *window)
{
  ferry_window_save_state (FERRY_WINDOW (window));

  return GTK_WINDOW_CLASS (ferry_window_parent_class)->close_request (window);
}

static void
ferry_window_new_transfer (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  /* The wizard lands with the Migration Manager work; until then say so
   * instead of silently doing nothing. */
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Creating transfers here is not available yet; use “ferry-cli transfer add”")));
}

static void
ferry_window_show_connectors (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (widget));
  FerryConnectorsWindow *connectors;

  g_return_if_fail (FERRY_IS_APPLICATION (app));

  connectors = ferry_connectors_window_new (GTK_WINDOW (widget),
                                            ferry_application_get_connector_store (FERRY_APPLICATION (app)));
  gtk_window_present (GTK_WINDOW (connectors));
}

static void
connectors_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FerryWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (ferry_connector_store_load_finish (FERRY_CONNECTOR_STORE (source), result, &error))
    {
      gtk_revealer_set_reveal_child (self->keyring_banner, FALSE);
      return;
    }
  if (g_error_matches (error, FERRY_ERROR, FERRY_ERROR_CANCELLED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* No keyring means no connectors: say so where the user starts. */
  gtk_label_set_text (self->keyring_label, error->message);
  gtk_revealer_set_reveal_child (self->keyring_banner, TRUE);
}

static void
ferry_window_reload_connectors (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (!FERRY_IS_APPLICATION (app))
    return;
  ferry_connector_store_load_async (ferry_application_get_connector_store (FERRY_APPLICATION (app)),
                                    self->cancellable, connectors_loaded, g_object_ref (self));
}

static void
ferry_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ferry_window_parent_class)->realize (widget);

  /* "application" is set by now; read the keyring without blocking. */
  ferry_window_reload_connectors (widget, NULL, NULL);
}

static void
ferry_window_constructed (GObject *object)
{
  FerryWindow *self = FERRY_WINDOW (object);

  G_OBJECT_CLASS (ferry_window_parent_class)->constructed (object);

  /* Not the application's GSettings: "application" is not set yet while the
   * window is constructed, and delay-apply mode here must not leak there. */
  self->settings = g_settings_new (APPLICATION_ID);
  ferry_window_restore_state (self);

  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
ferry_window_dispose (GObject *object)
{
  FerryWindow *self = FERRY_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ferry_window_parent_class)->dispose (object);
}

static void
ferry_window_class_init (FerryWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = ferry_window_constructed;
  object_class->dispose = ferry_window_dispose;
  window_class->close_request = ferry_window_close_request;
  widget_class->realize = ferry_window_realize;

  gtk_widget_class_set_template_from_resource (widget_class, APPLICATION_PATH "/ferry-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, empty_new_transfer_button);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, keyring_banner);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, keyring_label);

  gtk_widget_class_install_action (widget_class, "win.new-transfer", NULL, ferry_window_new_transfer);
  gtk_widget_class_install_action (widget_class, "win.show-connectors", NULL, ferry_window_show_connectors);
  gtk_widget_class_install_action (widget_class, "win.reload-connectors", NULL, ferry_window_reload_connectors);
}

static void
ferry_window_init (FerryWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

FerryWindow *
ferry_window_new (FerryApplication *application)
{
  return g_object_new (FERRY_TYPE_WINDOW,
                       "application", application,
                       NULL);
}
