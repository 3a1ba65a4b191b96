/* ferry-application.c: the application object: one Migration Manager window,
 * app-wide actions (about, quit, shortcuts) and the shared GSettings.
 * `ferry --background` (the autostart entry) starts it with no window, for
 * the scheduler (ferry-background.c); opening Ferry then attaches a window
 * to that same instance.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-application.h"
#include "ferry-background.h"
#include "ferry-resources.h"
#include "ferry-window.h"

struct _FerryApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
  FerryConnectorStore *connector_store;
  FerryRunManager     *run_manager;
  FerryBackground     *background;
  gboolean             start_in_background;  /* the first activation opens no window */
};

G_DEFINE_FINAL_TYPE (FerryApplication, ferry_application, ADW_TYPE_APPLICATION)

static void
ferry_application_activate (GApplication *app)
{
  FerryApplication *self = FERRY_APPLICATION (app);
  GtkWindow *window;

  if (self->start_in_background)
    {
      /* Started at login: the scheduler holds the application while a
       * schedule exists; with none it ends here. */
      self->start_in_background = FALSE;
      return;
    }
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
  self->background = ferry_background_new (app);
  ferry_background_update (self->background);
}

static void
ferry_application_shutdown (GApplication *app)
{
  FerryApplication *self = FERRY_APPLICATION (app);

  g_clear_object (&self->background);
  G_APPLICATION_CLASS (ferry_application_parent_class)->shutdown (app);
}

static int
ferry_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  FerryApplication *self = FERRY_APPLICATION (app);
  g_autoptr(GError) error = NULL;

  if (!g_variant_dict_contains (options, "background"))
    return -1;
  if (!g_application_register (app, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  /* Ferry runs already (a window, or the background instance): it has
   * the scheduler; nothing to start. */
  if (g_application_get_is_remote (app))
    return 0;
  self->start_in_background = TRUE;
  return -1;
}

static void
ferry_application_dispose (GObject *object)
{
  FerryApplication *self = FERRY_APPLICATION (object);

  g_clear_object (&self->background);
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
  app_class->shutdown = ferry_application_shutdown;
  app_class->handle_local_options = ferry_application_handle_local_options;
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

  /* Through the Manager, which asks about running transfers first and
   * quits once it is gone; the scheduler's hold does not keep the
   * process then. Other windows (dialogs) go with it. */
  windows = gtk_application_get_windows (GTK_APPLICATION (self));
  for (GList *l = windows; l != NULL; l = l->next)
    if (FERRY_IS_WINDOW (l->data))
      {
        ferry_window_quit (FERRY_WINDOW (l->data));
        return;
      }
  g_application_quit (G_APPLICATION (self));
}

/* A notification's "View Log": the window, the transfer, its log. */
static void
ferry_application_show_log (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  FerryApplication *self = user_data;
  const char *id = g_variant_get_string (parameter, NULL);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  FerryTransfer *transfer;

  if (window == NULL || !FERRY_IS_WINDOW (window))
    window = GTK_WINDOW (ferry_window_new (self));
  gtk_window_present (window);
  transfer = ferry_transfer_store_find_by_id (ferry_window_get_transfer_store (FERRY_WINDOW (window)), id);
  if (transfer == NULL)
    return;
  ferry_window_select_transfer (FERRY_WINDOW (window), transfer);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.view-log", NULL);
}

static const GActionEntry app_actions[] = {
  { "about", ferry_application_about },
  { "quit", ferry_application_quit },
  { "show-log", ferry_application_show_log, "s" },
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

  g_application_add_main_option (G_APPLICATION (self), "background", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE,
                                 _("Run scheduled transfers with no window (at login)"), NULL);
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

/* The scheduler of this instance (ferry-background.h); NULL before startup. */
FerryBackground *
ferry_application_get_background (FerryApplication *self)
{
  g_return_val_if_fail (FERRY_IS_APPLICATION (self), NULL);

  return self->background;
}
