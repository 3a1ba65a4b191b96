/* ferry-application.c: the application object: one Migration Manager window,
 * app-wide actions (about, quit, shortcuts) and the shared GSettings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-application.h"
#include "ferry-resources.h"
#include "ferry-window.h"

struct _FerryApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
  FerryConnectorStore *connector_store;
  FerryRunManager     *run_manager;
};

G_DEFINE_FINAL_TYPE (FerryApplication, ferry_application, ADW_TYPE_APPLICATION)

static void
ferry_application_activate (GApplication *app)
{
  FerryApplication *self = FERRY_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (ferry_window_new (self));

  gtk_window_present (window);
}

static void
ferry_application_startup (GApplication *app)
{
  FerryApplication *self = FERRY_APPLICATION (app);

  G_APPLICATION_CLASS (ferry_application_parent_class)->startup (app);

  self->settings = g_settings_new (APPLICATION_ID);
}

static void
ferry_application_dispose (GObject *object)
{
  FerryApplication *self = FERRY_APPLICATION (object);

  g_clear_object (&self->settings);
  if (self->run_manager != NULL)
    ferry_run_manager_stop_all (self->run_manager);
  g_clear_object (&self->run_manager);
  g_clear_object (&self->connector_store);

  G_OBJECT_CLASS (ferry_application_parent_class)->dispose (object);
}

static void
ferry_application_class_init (FerryApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ferry_application_dispose;

  ferry_register_resource ();

  app_class->activate = ferry_application_activate;
  app_class->startup = ferry_application_startup;
}

static void
ferry_application_about (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  FerryApplication *self = user_data;
  static const char *developers[] = { "The Ferry developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Ferry"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("The Ferry developers"),
                        "version", PACKAGE_VERSION,
                        "website", PACKAGE_WEBSITE,
                        "issue-url", PACKAGE_ISSUES,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your names here, one per line. */
                        "translator-credits", _("translator-credits"),
                        "comments", _("Move a website or a file share off an FTP server"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
ferry_application_quit (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  FerryApplication *self = user_data;
  GList *windows;

  /* Close through the windows so each can ask about running transfers. */
  windows = gtk_application_get_windows (GTK_APPLICATION (self));
  if (windows == NULL)
    g_application_quit (G_APPLICATION (self));
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static const GActionEntry app_actions[] = {
  { "about", ferry_application_about },
  { "quit", ferry_application_quit },
};

static void
ferry_application_init (FerryApplication *self)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *new_accels[] = { "<Control>n", NULL };
  static const char *connectors_accels[] = { "<Control>k", NULL };
  static const char *help_overlay_accels[] = { "<Control>question", "F1", NULL };
  static const char *start_accels[] = { "<Control>r", NULL };
  static const char *view_log_accels[] = { "<Control>l", NULL };
  static const char *edit_accels[] = { "<Control>e", NULL };
  static const char *delete_accels[] = { "Delete", NULL };

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions,
                                   G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.new-transfer", new_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-connectors", connectors_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         help_overlay_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.start", start_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.view-log", view_log_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.edit", edit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.delete", delete_accels);
}

FerryApplication *
ferry_application_new (void)
{
  return g_object_new (FERRY_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "resource-base-path", APPLICATION_PATH,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

/* One list of saved connectors for every window, filled from the keyring by
 * whoever shows it first. */
FerryConnectorStore *
ferry_application_get_connector_store (FerryApplication *self)
{
  g_return_val_if_fail (FERRY_IS_APPLICATION (self), NULL);

  if (self->connector_store == NULL)
    self->connector_store = ferry_connector_store_new ();
  return self->connector_store;
}

GSettings *
ferry_application_get_settings (FerryApplication *self)
{
  g_return_val_if_fail (FERRY_IS_APPLICATION (self), NULL);

  return self->settings;
}

FerryRunManager *
ferry_application_get_run_manager (FerryApplication *self)
{
  g_return_val_if_fail (FERRY_IS_APPLICATION (self), NULL);

  if (self->run_manager == NULL)
    {
      self->run_manager = ferry_run_manager_new ();
      ferry_run_manager_set_connector_store (self->run_manager,
                                             ferry_application_get_connector_store (self));
    }
  return self->run_manager;
}
