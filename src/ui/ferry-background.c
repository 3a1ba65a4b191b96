/* ferry-background.c: see ferry-background.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "ferry-application.h"
#include "ferry-background.h"
#include "ferry-run-history.h"
#include "ferry-schedule-store.h"
#include "ferry-scheduler.h"

/* A minute: the finest a rule gets. After a suspend the timer catches up
 * on its own (slots are compared with the wall clock), logind's signal
 * just makes it prompt. */
#define TICK_SECONDS 60

struct _FerryBackground
{
  GObject parent_instance;

  GApplication    *application;   /* owns this */
  GCancellable    *cancellable;
  GFileMonitor    *monitor;       /* the schedules file, changed by ferry-cli too */
  FerryTransferStore *transfers;  /* read once, then following the folder */
  FerryScheduleSnapshot *snapshot; /* what the rows show, read once per change */
  GDBusConnection *system_bus;
  guint            sleep_subscription;
  guint            tick_id;
  gboolean         held;
  gboolean         running;       /* a run-due is going */
  gboolean         again;         /* asked again meanwhile */
  gboolean         portal_asked;
};

G_DEFINE_FINAL_TYPE (FerryBackground, ferry_background, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Rules and results read once for every row, then "changed". */
static void
emit_changed (FerryBackground *self)
{
  g_clear_pointer (&self->snapshot, ferry_schedule_snapshot_free);
  self->snapshot = ferry_schedule_snapshot_read ();
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
ferry_background_dispose (GObject *object)
{
  FerryBackground *self = FERRY_BACKGROUND (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->system_bus != NULL && self->sleep_subscription != 0)
    g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_subscription);
  self->sleep_subscription = 0;
  g_clear_object (&self->system_bus);
  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
  g_clear_object (&self->transfers);
  g_clear_pointer (&self->snapshot, ferry_schedule_snapshot_free);
  if (self->held && self->application != NULL)
    g_application_release (self->application);
  self->held = FALSE;
  G_OBJECT_CLASS (ferry_background_parent_class)->dispose (object);
}

static void
ferry_background_class_init (FerryBackgroundClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_background_dispose;

  /* The schedules changed, or a minute went by: next runs to show anew. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ferry_background_init (FerryBackground *self)
{
  self->cancellable = g_cancellable_new ();
}

/* --- notifications ------------------------------------------------------------ */

static void
notify_result (FerryBackground      *self,
               FerrySchedulerResult *result)
{
  FerryApplication *app = FERRY_APPLICATION (self->application);
  const char *id = ferry_transfer_get_id (result->transfer);
  const char *name = ferry_transfer_get_name (result->transfer);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *notification_id = g_strconcat ("scheduled-", id, NULL);
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  gboolean failed;

  if (g_strcmp0 (result->result, "skipped") == 0 || g_strcmp0 (result->result, "cancelled") == 0)
    return;
  failed = result->run == NULL || ferry_run_get_state (result->run) != FERRY_RUN_STATE_COMPLETED;
  if (!failed && !g_settings_get_boolean (ferry_application_get_settings (app), "notify-scheduled-success"))
    return;

  if (result->run == NULL)
    {
      /* Translators: %s is a transfer's name */
      title = g_strdup_printf (_("Scheduled run of “%s” could not start"), name);
      body = g_strdup (result->error ? result->error->message : "");
    }
  else
    {
      FerryRunState state = ferry_run_get_state (result->run);
      const GError *error = ferry_run_get_error (result->run);
      guint64 failed_files = ferry_run_get_files_failed (result->run);

      if (state == FERRY_RUN_STATE_COMPLETED)
        /* Translators: %s is a transfer's name */
        title = g_strdup_printf (_("Scheduled run of “%s” completed"), name);
      else if (state == FERRY_RUN_STATE_COMPLETED_WITH_ERRORS)
        /* Translators: %s is a transfer's name */
        title = g_strdup_printf (_("Scheduled run of “%s” had failed files"), name);
      else
        /* Translators: %s is a transfer's name */
        title = g_strdup_printf (_("Scheduled run of “%s” failed"), name);
      if (error != NULL)
        body = g_strdup (error->message);
      else
        /* Translators: a scheduled run's notification: files copied, files failed */
        body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " file copied, %" PRIu64 " failed",
                                             "%" PRIu64 " files copied, %" PRIu64 " failed",
                                             (gulong) MIN (ferry_run_get_files_done (result->run), G_MAXULONG)),
                                ferry_run_get_files_done (result->run), failed_files);
    }

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, failed ? G_NOTIFICATION_PRIORITY_HIGH : G_NOTIFICATION_PRIORITY_NORMAL);
  g_notification_set_default_action_and_target (notification, "app.show-log", "s", id);
  g_notification_add_button_with_target (notification, _("View Log"), "app.show-log", "s", id);
  g_application_send_notification (self->application, notification_id, notification);
}

/* --- running what is due ------------------------------------------------------ */

static void
run_due_done (GObject      *source,
              GAsyncResult *async_result,
              gpointer      user_data)
{
  g_autoptr(FerryBackground) self = user_data;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  results = ferry_scheduler_run_due_finish (FERRY_RUN_MANAGER (source), async_result, &error);
  self->running = FALSE;
  if (g_cancellable_is_cancelled (self->cancellable))
    return;  /* the application is going away */
  if (results == NULL)
    g_warning ("Scheduled runs: %s", error->message);
  else if (self->application != NULL)
    for (guint i = 0; i < results->len; i++)
      notify_result (self, g_ptr_array_index (results, i));
  emit_changed (self);
  if (self->again)
    {
      self->again = FALSE;
      ferry_background_run_due (self);
    }
}

static void
start_run_due (FerryBackground *self)
{
  FerryRunManager *manager = ferry_application_get_run_manager (FERRY_APPLICATION (self->application));
  g_autoptr(GError) error = NULL;

  /* Read once; the store follows what the window or ferry-cli change. */
  if (self->transfers == NULL)
    {
      self->transfers = ferry_transfer_store_new ();
      if (!ferry_transfer_store_load (self->transfers, &error))
        g_warning ("Scheduled runs: %s", error->message);
      ferry_transfer_store_watch (self->transfers);
    }
  ferry_scheduler_run_due_async (manager, self->transfers, NULL, self->cancellable, run_due_done,
                                 g_object_ref (self));
}

static void
connectors_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FerryBackground) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Without the keyring the runs that need it fail, and say so. */
  if (!ferry_connector_store_load_finish (FERRY_CONNECTOR_STORE (source), result, &error))
    g_warning ("Scheduled runs: %s", error->message);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  start_run_due (self);
}

void
ferry_background_run_due (FerryBackground *self)
{
  FerryConnectorStore *connectors;

  g_return_if_fail (FERRY_IS_BACKGROUND (self));

  if (self->running)
    {
      self->again = TRUE;
      return;
    }
  self->running = TRUE;
  /* Passwords come from the keyring: read it once if no window has. */
  connectors = ferry_application_get_connector_store (FERRY_APPLICATION (self->application));
  if (g_list_model_get_n_items (G_LIST_MODEL (connectors)) == 0)
    ferry_connector_store_load_async (connectors, self->cancellable, connectors_loaded, g_object_ref (self));
  else
    start_run_due (self);
}

static gboolean
on_tick (gpointer user_data)
{
  FerryBackground *self = user_data;

  ferry_background_run_due (self);
  /* "today" turns into "tomorrow" on the rows too. */
  emit_changed (self);
  return G_SOURCE_CONTINUE;
}

static void
on_prepare_for_sleep (GDBusConnection *connection,
                      const char      *sender,
                      const char      *path,
                      const char      *interface,
                      const char      *signal,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  FerryBackground *self = user_data;
  gboolean going_to_sleep = TRUE;

  if (g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    g_variant_get (parameters, "(b)", &going_to_sleep);
  /* Woken up: what was due while asleep runs now, once. */
  if (!going_to_sleep && self->held)
    ferry_background_run_due (self);
}

static void
system_bus_ready (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FerryBackground) self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);

  if (bus == NULL)
    {
      /* No system bus (a container): the minute timer catches up alone. */
      g_debug ("No system bus for logind's PrepareForSleep: %s", error->message);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (bus);
      return;
    }
  self->system_bus = bus;
  self->sleep_subscription =
    g_dbus_connection_signal_subscribe (bus, "org.freedesktop.login1", "org.freedesktop.login1.Manager",
                                        "PrepareForSleep", "/org/freedesktop/login1", NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, on_prepare_for_sleep, self, NULL);
}

/* --- Flatpak ------------------------------------------------------------------- */

static void
portal_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    g_warning ("Could not ask to run in the background: %s", error->message);
}

/* Inside Flatpak the host's autostart folder is out of reach: the
 * Background portal writes the entry (and may ask the user once). */
static void
request_background (FerryBackground *self,
                    gboolean         autostart)
{
  GDBusConnection *bus = g_application_get_dbus_connection (self->application);
  GVariantBuilder options;
  const char *commandline[] = { "ferry", "--background", NULL };

  if (bus == NULL || g_getenv ("FLATPAK_ID") == NULL)
    return;
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("Ferry runs scheduled transfers with its window closed")));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (autostart));
  g_variant_builder_add (&options, "{sv}", "commandline", g_variant_new_strv (commandline, -1));
  g_variant_builder_add (&options, "{sv}", "dbus-activatable", g_variant_new_boolean (FALSE));
  g_dbus_connection_call (bus, "org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop",
                          "org.freedesktop.portal.Background", "RequestBackground",
                          g_variant_new ("(sa{sv})", "", &options), G_VARIANT_TYPE ("(o)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable, portal_done, NULL);
}

/* --- holding the application --------------------------------------------------- */

void
ferry_background_update (FerryBackground *self)
{
  g_auto(GStrv) ids = NULL;
  g_autoptr(GError) error = NULL;
  gboolean wanted;

  g_return_if_fail (FERRY_IS_BACKGROUND (self));

  /* Rules of transfers removed elsewhere go first: they hold nothing. */
  ids = ferry_schedule_store_prune (&error);
  if (ids == NULL)
    {
      g_warning ("%s", error->message);
      g_clear_error (&error);
    }
  g_clear_pointer (&ids, g_strfreev);
  ids = ferry_schedule_store_list ();
  wanted = ids[0] != NULL;
  if (!ferry_schedule_store_sync_autostart (&error))
    g_warning ("%s", error->message);
  if (wanted != self->portal_asked)
    {
      request_background (self, wanted);
      self->portal_asked = wanted;
    }

  if (wanted && !self->held)
    {
      g_application_hold (self->application);
      self->held = TRUE;
      self->tick_id = g_timeout_add_seconds (TICK_SECONDS, on_tick, self);
      g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, system_bus_ready, g_object_ref (self));
      /* What was missed while Ferry was not running (the computer was off). */
      ferry_background_run_due (self);
    }
  else if (!wanted && self->held)
    {
      g_clear_handle_id (&self->tick_id, g_source_remove);
      if (self->system_bus != NULL && self->sleep_subscription != 0)
        g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_subscription);
      self->sleep_subscription = 0;
      g_clear_object (&self->system_bus);
      self->held = FALSE;
      g_application_release (self->application);
    }
  emit_changed (self);
}

static void
on_schedules_file_changed (FerryBackground   *self,
                           GFile             *file,
                           GFile             *other,
                           GFileMonitorEvent  event)
{
  if (event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT || event == G_FILE_MONITOR_EVENT_DELETED ||
      event == G_FILE_MONITOR_EVENT_CREATED || event == G_FILE_MONITOR_EVENT_MOVED_IN ||
      event == G_FILE_MONITOR_EVENT_RENAMED)
    ferry_background_update (self);
}

FerryBackground *
ferry_background_new (GApplication *application)
{
  FerryBackground *self;
  g_autofree char *path = ferry_schedule_store_dup_path ();
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_return_val_if_fail (FERRY_IS_APPLICATION (application), NULL);

  self = g_object_new (FERRY_TYPE_BACKGROUND, NULL);
  self->application = application;
  /* ferry-cli schedule … in a terminal: the app follows. */
  self->monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
  if (self->monitor != NULL)
    g_signal_connect_object (self->monitor, "changed", G_CALLBACK (on_schedules_file_changed), self,
                             G_CONNECT_SWAPPED);
  return self;
}

/* The schedules as last read (at the last "changed"); never NULL. */
FerryScheduleSnapshot *
ferry_background_get_schedules (FerryBackground *self)
{
  g_return_val_if_fail (FERRY_IS_BACKGROUND (self), NULL);

  if (self->snapshot == NULL)
    self->snapshot = ferry_schedule_snapshot_read ();
  return self->snapshot;
}
