/* ferry-window-runs.c: the Migration Manager's side of runs. Runs live in
 * the application's run manager; the window starts them there, follows
 * every one that starts (from it or from anyone else), shows their progress
 * in its title, and tells with a notification when one ends while the
 * window is not focused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "ferry-delete-confirm.h"
#include "ferry-run-history.h"
#include "ferry-window-private.h"

void
_ferry_window_update_title (FerryWindow *self)
{
  GHashTableIter iter;
  gpointer key;
  guint64 done = 0;
  guint64 total = 0;
  guint n = g_hash_table_size (self->active);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  gboolean counted = TRUE;
  int percent;

  if (n == 0)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Ferry"));
      adw_window_title_set_subtitle (self->window_title, "");
      return;
    }
  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      FerryRun *run = g_hash_table_lookup (self->runs, key);

      /* Still being set up, or still counting what there is to copy: any
       * percentage would be of a total that grows, 90 % one moment and
       * 40 % the next. */
      if (run == NULL || !ferry_run_get_total_known (run))
        counted = FALSE;
      if (run == NULL)
        continue;
      /* The rows' measure: bytes copied or found identical, of the total. */
      done += ferry_run_get_bytes_done (run) + ferry_run_get_bytes_skipped (run);
      total += ferry_run_get_bytes_total (run);
    }
  if (!counted || total == 0)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Ferry"));
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u migration running",
                                               "%u migrations running", n), n);
      adw_window_title_set_subtitle (self->window_title, subtitle);
      return;
    }
  /* 100 % only once every run has ended: a last big file is not done. */
  percent = (int) MIN (MIN (done, total) * 100 / total, 99);
  /* Translators: the window title while runs go, "Ferry — 45%" */
  title = g_strdup_printf (_("Ferry — %d%%"), percent);
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u migration running · %d%%",
                                           "%u migrations running · %d%%", n), n, percent);
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static void
notify_finished (FerryWindow *self,
                 FerryRun    *run,
                 const char  *message)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  FerryTransfer *transfer = ferry_run_get_transfer (run);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;

  if (app == NULL || gtk_window_is_active (GTK_WINDOW (self))
      || !g_settings_get_boolean (self->settings, "notify-on-finish"))
    return;
  if (ferry_run_get_kind (run) == FERRY_RUN_KIND_VERIFY)
    {
      FerryRunResult result;

      /* A verification's end in its own words: "Verified", not
       * "Completed with errors" for a difference found. */
      switch (ferry_run_get_state (run))
        {
        case FERRY_RUN_STATE_FAILED:
          result = FERRY_RUN_RESULT_FAILED;
          break;
        case FERRY_RUN_STATE_CANCELLED:
          result = FERRY_RUN_RESULT_CANCELLED;
          break;
        default:
          result = ferry_run_get_differences (run) > 0 ? FERRY_RUN_RESULT_DIFFERS : FERRY_RUN_RESULT_MATCHES;
          break;
        }
      title = g_strdup_printf (_("%s: %s"), ferry_transfer_get_name (transfer),
                               ferry_run_result_get_label (result, FERRY_RUN_KIND_VERIFY));
    }
  else
    /* Translators: notification title: transfer name, how its run ended */
    title = g_strdup_printf (_("%s: %s"), ferry_transfer_get_name (transfer),
                             ferry_run_state_get_label (ferry_run_get_state (run)));
  if (message != NULL)
    body = g_strdup (message);
  else if (ferry_run_get_kind (run) == FERRY_RUN_KIND_VERIFY)
    body = ferry_run_get_differences (run) == 0
           ? g_strdup (_("The destination matches the source"))
           /* Translators: a verification's end in a notification */
           : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " difference found",
                                           "%" PRIu64 " differences found",
                                           (gulong) MIN (ferry_run_get_differences (run), G_MAXULONG)),
                              ferry_run_get_differences (run));
  else if (ferry_run_get_state (run) == FERRY_RUN_STATE_COMPLETED && ferry_run_get_files_done (run) == 0
           && ferry_run_get_files_total (run) > 0)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Up to date — %" PRIu64 " file checked",
                                         "Up to date — %" PRIu64 " files checked",
                                         (gulong) MIN (ferry_run_get_files_total (run), G_MAXULONG)),
                            (guint64) ferry_run_get_files_total (run));
  else
    /* Translators: a finished run in a notification; the plural follows
     * the number of files copied */
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Copied %" PRIu64 " file, skipped %" PRIu64 ", failed %" PRIu64,
                                         "Copied %" PRIu64 " files, skipped %" PRIu64 ", failed %" PRIu64,
                                         (gulong) MIN (ferry_run_get_files_done (run), G_MAXULONG)),
                            (guint64) ferry_run_get_files_done (run), (guint64) ferry_run_get_files_skipped (run),
                            (guint64) ferry_run_get_files_failed (run));
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_default_action (notification, "app.activate");
  id = g_strdup_printf ("run-%s", ferry_transfer_get_id (transfer));
  g_application_send_notification (app, id, notification);
}

FerryRunManager *
_ferry_window_get_run_manager (FerryWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return FERRY_IS_APPLICATION (app) ? ferry_application_get_run_manager (FERRY_APPLICATION (app)) : NULL;
}

static void
destroy_if_closing (FerryWindow *self)
{
  if (self->closing && g_hash_table_size (self->active) == 0)
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_run_notify (FerryWindow *self)
{
  _ferry_window_update_title (self);
}

/* A run started, here or by anyone else through the run manager: its row,
 * and the detail pane when it shows that transfer, follow it. */
static void
on_run_started (FerryWindow *self,
                FerryRun    *run)
{
  FerryTransfer *transfer = ferry_run_get_transfer (run);
  const char *id = ferry_transfer_get_id (transfer);
  FerryTransfer *shown = ferry_transfer_store_find_by_id (self->transfers, id);
  FerryTransferRow *row = shown != NULL ? ferry_window_find_row (self, shown) : NULL;

  g_hash_table_add (self->active, g_strdup (id));
  g_hash_table_replace (self->runs, g_strdup (id), g_object_ref (run));
  if (ferry_run_get_kind (run) == FERRY_RUN_KIND_COPY)
    g_hash_table_remove (self->messages, id);
  g_signal_connect_object (run, "notify", G_CALLBACK (on_run_notify), self, G_CONNECT_SWAPPED);
  if (row != NULL)
    {
      /* A verification's failure is its own line's, not the copy's. */
      if (ferry_run_get_kind (run) == FERRY_RUN_KIND_COPY)
        ferry_transfer_row_set_message (row, NULL);
      ferry_transfer_row_set_run (row, run);
    }
  if (shown != NULL && g_strcmp0 (self->selected_id, id) == 0)
    ferry_transfer_detail_set_transfer (self->detail, shown, run);
  _ferry_window_update_actions (self);
  _ferry_window_update_title (self);
}

static void
on_run_finished (FerryWindow *self,
                 FerryRun    *run)
{
  const GError *error = ferry_run_get_error (run);
  const char *id = ferry_transfer_get_id (ferry_run_get_transfer (run));
  FerryTransfer *shown;
  FerryTransferRow *row;

  if (error != NULL && ferry_run_get_kind (run) == FERRY_RUN_KIND_COPY)
    g_hash_table_replace (self->messages, g_strdup (id), g_strdup (error->message));
  g_hash_table_remove (self->active, id);

  shown = ferry_transfer_store_find_by_id (self->transfers, id);
  row = shown != NULL ? ferry_window_find_row (self, shown) : NULL;
  if (row != NULL && ferry_run_get_kind (run) == FERRY_RUN_KIND_COPY)
    ferry_transfer_row_set_message (row, error != NULL ? error->message : NULL);
  if (shown != NULL && ferry_transfer_detail_get_transfer (self->detail) == shown)
    ferry_transfer_detail_reload_history (self->detail);

  _ferry_window_update_title (self);
  _ferry_window_update_actions (self);
  notify_finished (self, run, error != NULL ? error->message : NULL);
  destroy_if_closing (self);
}

/* Only a run that could not start needs an answer here; one that started
 * was followed through "run-started" and "run-finished". */
typedef struct
{
  FerryWindow *self;
  char        *id;
} StartData;

static void
start_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  StartData *data = user_data;
  g_autoptr(FerryWindow) self = data->self;
  g_autofree char *id = data->id;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryRun) run = ferry_run_manager_start_finish (FERRY_RUN_MANAGER (source), result, &error);

  g_free (data);
  if (run != NULL || self->active == NULL)
    return;
  g_hash_table_remove (self->active, id);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !self->closing)
    _ferry_window_toast (self, error->message);
  _ferry_window_update_actions (self);
  _ferry_window_update_title (self);
  destroy_if_closing (self);
}

static void
confirmed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  StartData *data = user_data;
  FerryWindow *self = data->self;
  g_autoptr(GError) error = NULL;
  FerryRunManager *manager = _ferry_window_get_run_manager (self);
  FerryTransfer *transfer = ferry_transfer_store_find_by_id (self->transfers, data->id);

  if (ferry_delete_confirm_finish (result, &error) && manager != NULL && transfer != NULL && !self->closing)
    {
      ferry_run_manager_start_async (manager, transfer, NULL, start_done, data);
      return;
    }
  g_hash_table_remove (self->active, data->id);
  if (error != NULL && !self->closing)
    _ferry_window_toast (self, error->message);
  _ferry_window_update_actions (self);
  _ferry_window_update_title (self);
  destroy_if_closing (self);
  g_object_unref (data->self);
  g_free (data->id);
  g_free (data);
}

void
_ferry_window_start_transfer (FerryWindow   *self,
                              FerryTransfer *transfer)
{
  const char *id = ferry_transfer_get_id (transfer);
  const char *local = ferry_connector_get_id (ferry_connector_get_local ());
  FerryRunManager *manager = _ferry_window_get_run_manager (self);
  StartData *data;

  if (manager == NULL || _ferry_window_is_active (self, id) || ferry_run_manager_is_busy (manager, id))
    return;
  if (!self->connectors_loaded
      && (g_strcmp0 (ferry_transfer_get_source_connector_id (transfer), local) != 0
          || g_strcmp0 (ferry_transfer_get_destination_connector_id (transfer), local) != 0))
    {
      _ferry_window_toast (self, _("The keyring is still being read; try again in a moment"));
      return;
    }
  g_hash_table_add (self->active, g_strdup (id));
  _ferry_window_update_actions (self);
  data = g_new0 (StartData, 1);
  data->self = g_object_ref (self);
  data->id = g_strdup (id);
  /* A transfer that deletes asks first, once (ferry-delete-confirm.c). */
  ferry_delete_confirm_async (GTK_WINDOW (self), manager, transfer, confirmed, data);
}

void
_ferry_window_copy_again (FerryWindow   *self,
                          FerryTransfer *transfer,
                          const char    *run_id)
{
  FerryTransfer *saved = ferry_transfer_store_find_by_id (self->transfers, ferry_transfer_get_id (transfer));
  FerryRunManager *manager = _ferry_window_get_run_manager (self);
  const char *id;
  StartData *data;

  if (saved == NULL || manager == NULL || run_id == NULL)
    return;
  id = ferry_transfer_get_id (saved);
  if (_ferry_window_is_active (self, id) || ferry_run_manager_is_busy (manager, id))
    return;
  g_hash_table_add (self->active, g_strdup (id));
  _ferry_window_update_actions (self);
  data = g_new0 (StartData, 1);
  data->self = g_object_ref (self);
  data->id = g_strdup (id);
  /* Nothing is deleted by a repair: no question first. */
  ferry_run_manager_copy_async (manager, saved, FALSE, run_id, NULL, start_done, data);
}

/* Runs live in the application: this window follows those that start from
 * now on, and those that were going before it opened. */
void
_ferry_window_follow_runs (FerryWindow *self)
{
  FerryRunManager *manager = _ferry_window_get_run_manager (self);

  if (manager == NULL || self->following)
    return;
  self->following = TRUE;
  g_signal_connect_object (manager, "run-started", G_CALLBACK (on_run_started), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (manager, "run-finished", G_CALLBACK (on_run_finished), self, G_CONNECT_SWAPPED);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (manager)); i++)
    {
      g_autoptr(FerryRun) run = g_list_model_get_item (G_LIST_MODEL (manager), i);

      on_run_started (self, run);
    }
}
