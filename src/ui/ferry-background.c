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
  gboolean         refreshing;    /* the schedules are being read on a thread */
  gboolean         refresh_again; /* asked again meanwhile */
  gboolean         refresh_full;  /* … and then prune and hold too */
};

G_DEFINE_FINAL_TYPE (FerryBackground, ferry_background, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_refresh (FerryBackground *self,
                           gboolean         full);

/* Rules and results read once for every row (on a thread), then "changed". */
static void
emit_changed (FerryBackground *self)
{
  start_refresh (self, FALSE);
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
  /* A refresh still out holds the application until it comes back; it
   * never comes back now (cancelled). */
  if (self->refreshing && self->application != NULL)
    g_application_release (self->application);
  self->refreshing = FALSE;
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
start_run_due_with (FerryBackground *self)
{
  FerryRunManager *manager = ferry_application_get_run_manager (FERRY_APPLICATION (self->application));

  ferry_scheduler_run_due_async (manager, self->transfers, NULL, self->cancellable, run_due_done,
                                 g_object_ref (self));
}

static void
transfers_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FerryBackground) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ferry_transfer_store_load_finish (FERRY_TRANSFER_STORE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Scheduled runs: %s", error->message);
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  start_run_due_with (self);
}

static void
start_run_due (FerryBackground *self)
{
  /* Read once, on a thread (200 transfers read here held the main loop);
   * the store follows what the window or ferry-cli change. */
  if (self->transfers == NULL)
    {
      self->transfers = ferry_transfer_store_new ();
      ferry_transfer_store_watch (self->transfers);
      ferry_transfer_store_load_async (self->transfers, self->cancellable, transfers_loaded, g_object_ref (self));
      return;
    }
  start_run_due_with (self);
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

/* Whether a schedule exists decides the hold, the timer and the portal. */
static void
apply_wanted (FerryBackground *self,
              gboolean         wanted)
{
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
}

typedef struct
{
  GWeakRef               self;
  gboolean               full;      /* prune, list and sync the autostart entry too */
  gboolean               wanted;    /* full: a schedule exists */
  FerryScheduleSnapshot *snapshot;
} Refresh;

static void
refresh_free (Refresh *refresh)
{
  g_weak_ref_clear (&refresh->self);
  g_clear_pointer (&refresh->snapshot, ferry_schedule_snapshot_free);
  g_free (refresh);
}

/* The file work of an update: the schedules file is locked and rewritten
 * by prune (flock, fsync), the autostart entry written: not on the main
 * loop (issue 23). */
static void
refresh_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Refresh *refresh = task_data;

  if (refresh->full)
    {
      g_auto(GStrv) ids = NULL;
      g_autoptr(GError) error = NULL;

      /* Rules of transfers removed elsewhere go first: they hold nothing. */
      ids = ferry_schedule_store_prune (&error);
      if (ids == NULL)
        {
          g_warning ("%s", error->message);
          g_clear_error (&error);
        }
      g_clear_pointer (&ids, g_strfreev);
      ids = ferry_schedule_store_list ();
      refresh->wanted = ids[0] != NULL;
      if (!ferry_schedule_store_sync_autostart (&error))
        g_warning ("%s", error->message);
    }
  refresh->snapshot = ferry_schedule_snapshot_read ();
  g_task_return_boolean (task, TRUE);
}

static void
refresh_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Refresh *refresh = g_task_get_task_data (G_TASK (result));
  g_autoptr(FerryBackground) self = g_weak_ref_get (&refresh->self);

  if (self == NULL || g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;  /* the application is going away (dispose released the hold) */
  self->refreshing = FALSE;
  if (refresh->full)
    apply_wanted (self, refresh->wanted);
  g_clear_pointer (&self->snapshot, ferry_schedule_snapshot_free);
  self->snapshot = g_steal_pointer (&refresh->snapshot);
  g_signal_emit (self, signals[CHANGED], 0);
  if (self->refresh_again)
    {
      gboolean full = self->refresh_full;

      self->refresh_again = FALSE;
      self->refresh_full = FALSE;
      start_refresh (self, full);
    }
  /* Taken in start_refresh (after the next one took its own). */
  g_application_release (self->application);
}

static void
start_refresh (FerryBackground *self,
               gboolean         full)
{
  g_autoptr(GTask) task = NULL;
  Refresh *refresh;

  if (self->refreshing)
    {
      self->refresh_again = TRUE;
      self->refresh_full |= full;
      return;
    }
  self->refreshing = TRUE;
  /* `ferry --background` has no window: the process stays until the
   * update has decided whether to hold it. */
  g_application_hold (self->application);
  refresh = g_new0 (Refresh, 1);
  g_weak_ref_init (&refresh->self, self);
  refresh->full = full;
  task = g_task_new (NULL, self->cancellable, refresh_done, NULL);
  g_task_set_source_tag (task, start_refresh);
  g_task_set_task_data (task, refresh, (GDestroyNotify) refresh_free);
  g_task_run_in_thread (task, refresh_thread);
}

/* Reads the schedules on a worker thread; then holds the application (or
 * lets it go) and emits "changed". */
void
ferry_background_update (FerryBackground *self)
{
  g_return_if_fail (FERRY_IS_BACKGROUND (self));

  start_refresh (self, TRUE);
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

  /* Not read yet (the first update is on its way): nothing scheduled to
   * show until "changed". */
  if (self->snapshot == NULL)
    self->snapshot = ferry_schedule_snapshot_new_empty ();
  return self->snapshot;
}
