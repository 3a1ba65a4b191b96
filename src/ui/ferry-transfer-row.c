/* ferry-transfer-row.c: a row of the Migration Manager. Name, source →
 * destination, state, a progress bar, files and bytes done of total, speed
 * and time left and the files being copied while it runs, and when it last
 * ran and how that ended ("Up to date" when it had nothing to copy). The
 * bar measures bytes, as the window title does, once the total is known;
 * it pulses while the walk still counts. Files and bytes count the same
 * things: while it runs, the files handled (copied, found up to date or
 * failed) and their bytes, of all; at the end, "2 files copied (314.6 MB)
 * · 182 already up to date".
 * A verification is not a copy: it never changes the copy's progress,
 * counts or Up to date; it has a line of its own, "Verifying… 120 of 184
 * files compared", then "Verified today 10:09 · all 184 files match".
 * It only reads FerryRun properties, which the engine updates at most ten
 * times a second, and the history summary read on a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "ferry-application.h"
#include "ferry-background.h"
#include "ferry-run-history.h"
#include "ferry-schedule-store.h"
#include "ferry-transfer-row.h"

struct _FerryTransferRow
{
  GtkListBoxRow parent_instance;

  FerryTransfer *transfer;
  FerryConnectorStore *connectors;
  FerryBackground *background;    /* the schedules to show, or NULL */
  FerryRun *run;              /* the latest copy run of this session */
  FerryRunRecord *record;     /* the latest copy run in the history */
  FerryRun *verification;     /* a verification of this session, until the
                               * history has its record */
  FerryRunRecord *verified;   /* the latest verification in the history */
  char *message;
  GCancellable *cancellable;

  GtkLabel *name_label;
  GtkLabel *state_label;
  GtkLabel *route_label;
  GtkProgressBar *progress_bar;
  GtkBox *counts_box;
  GtkLabel *counts_label;
  GtkLabel *speed_label;
  GtkLabel *status_label;
  GtkLabel *verify_label;

  char *accessible_name;  /* what was last told to assistive technology */
  GtkLabel *schedule_label;
  gint64 last_pulse;      /* monotonic, while the walk still counts */
};

G_DEFINE_FINAL_TYPE (FerryTransferRow, ferry_transfer_row, GTK_TYPE_LIST_BOX_ROW)

static char *
side_label (FerryTransferRow *self,
            const char       *connector_id,
            const char       *path)
{
  FerryConnector *connector = ferry_connector_store_find (self->connectors, connector_id);
  const char *name;

  if (connector == NULL)
    name = _("(removed connector)");
  else if (ferry_connector_get_kind (connector) == FERRY_CONNECTOR_KIND_LOCAL)
    {
      const char *home = g_get_home_dir ();
      gsize length = strlen (home);

      /* The home folder as "~", the way a file manager's path bar or a
       * shell shows it: the row has room for the part that tells. */
      if (length > 1 && g_str_has_prefix (path, home) && (path[length] == '/' || path[length] == '\0'))
        return g_strdup_printf ("%s:~%s", _("This Computer"), path + length);
      name = _("This Computer");
    }
  else
    name = ferry_connector_get_name (connector);
  return g_strdup_printf ("%s:%s", name, path);
}

/* A screen reader reads the row as one thing: name, route and state, with
 * the status line as its description. Told only when it changes, not at
 * each of the ten updates a second of a run. */
static void
update_accessible (FerryTransferRow *self)
{
  /* Translators: a transfer row as a screen reader reads it: name, "source → destination", state */
  g_autofree char *name = g_strdup_printf (_("%s, %s, %s"), gtk_label_get_text (self->name_label),
                                           gtk_label_get_text (self->route_label),
                                           gtk_label_get_text (self->state_label));

  if (g_strcmp0 (name, self->accessible_name) != 0)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      g_free (self->accessible_name);
      self->accessible_name = g_steal_pointer (&name);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  gtk_label_get_text (self->status_label), -1);
}

static void
update_route (FerryTransferRow *self)
{
  g_autofree char *from = side_label (self, ferry_transfer_get_source_connector_id (self->transfer),
                                      ferry_transfer_get_source_path (self->transfer));
  g_autofree char *to = side_label (self, ferry_transfer_get_destination_connector_id (self->transfer),
                                    ferry_transfer_get_destination_path (self->transfer));
  g_autofree char *route = g_strdup_printf ("%s → %s", from, to);

  gtk_label_set_text (self->name_label, ferry_transfer_get_name (self->transfer));
  gtk_label_set_text (self->route_label, route);
  /* Long folders are shortened in the middle: the whole route on hover. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->route_label), route);
  update_accessible (self);
}

static void
set_state_style (FerryTransferRow *self,
                 FerryRunState     state)
{
  static const char * const classes[] = { "success", "warning", "error", "accent" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), classes[i]);
  switch (state)
    {
    case FERRY_RUN_STATE_COMPLETED:
      gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "success");
      break;
    case FERRY_RUN_STATE_COMPLETED_WITH_ERRORS:
    case FERRY_RUN_STATE_CANCELLED:
    case FERRY_RUN_STATE_INTERRUPTED:
      gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "warning");
      break;
    case FERRY_RUN_STATE_FAILED:
      gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "error");
      break;
    case FERRY_RUN_STATE_RUNNING:
      gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "accent");
      break;
    case FERRY_RUN_STATE_IDLE:
    default:
      break;
    }
}

static char *
format_counts (guint64 files_done,
               guint64 files_total,
               guint64 bytes_done,
               guint64 bytes_total)
{
  g_autofree char *done = g_format_size (bytes_done);
  g_autofree char *total = g_format_size (bytes_total);

  /* PRIu64, not G_GUINT64_FORMAT: xgettext knows only <inttypes.h>'s
   * macros and cuts a msgid at any other. */
  /* Translators: a run under way: files handled (copied, found up to
   * date or failed) of all, and their bytes of all: "12 of 30 files ·
   * 1.2 MB of 4.0 MB"; the plural follows the number of files in all */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%" PRIu64 " of %" PRIu64 " file · %s of %s",
                                       "%" PRIu64 " of %" PRIu64 " files · %s of %s",
                                       (gulong) MIN (files_total, G_MAXULONG)),
                          (guint64) files_done, (guint64) files_total, done, total);
}

static char *
format_when (gint64 unix_time)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (unix_time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (when == NULL)
    return g_strdup ("?");
  if (g_date_time_get_year (when) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (now))
    /* Translators: a time today, strftime format */
    return g_date_time_format (when, _("today %H:%M"));
  /* Translators: a date and time, strftime format */
  return g_date_time_format (when, _("%Y-%m-%d %H:%M"));
}

/* A run that completed with nothing to copy: every file it looked at was
 * already there. Not a failure, whatever "0 bytes copied" suggests. */
static gboolean
is_up_to_date (FerryRunState state,
               guint64       files_copied,
               guint64       files_failed,
               guint64       files_total)
{
  return state == FERRY_RUN_STATE_COMPLETED && files_copied == 0 && files_failed == 0 && files_total > 0;
}

static const char *
state_text (FerryRunState state,
            gboolean      up_to_date)
{
  /* Translators: the state of a transfer whose last run found nothing to copy */
  return up_to_date ? _("Up to date") : ferry_run_state_get_label (state);
}

/* How far through bytes-total: what was copied and what was skipped as
 * identical; by files when the files hold no bytes. */
static double
bytes_fraction (guint64 bytes_handled,
                guint64 bytes_total,
                guint64 files_handled,
                guint64 files_total)
{
  if (bytes_total > 0)
    return (double) MIN (bytes_handled, bytes_total) / (double) bytes_total;
  if (files_total > 0)
    return (double) MIN (files_handled, files_total) / (double) files_total;
  return 0;
}

/* "Copying big.iso", "Copying big.iso and 3 more": the one that has been
 * going longest first; every one of them on hover. Shortened in the
 * middle, so the path comes last but for a short tail that keeps the
 * count in view. */
static char *
format_current (const char * const *files)
{
  guint n = files != NULL ? g_strv_length ((char **) files) : 0;

  if (n == 0)
    return g_strdup (_("Copying…"));
  if (n == 1)
    /* Translators: the file being copied now */
    return g_strdup_printf (_("Copying %s"), files[0]);
  /* Translators: the file being copied the longest, and how many more are
   * being copied beside it; the plural follows that number. A long path
   * is shortened in the middle of the whole text: keep what follows %s
   * short, or the number may be cut */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Copying %s and %u more",
                                       "Copying %s and %u more", n - 1),
                          files[0], n - 1);
}

/* What the row shows, from the run under way or, before one, from the
 * latest run's record. */
typedef struct
{
  FerryRunState state;
  guint64 files_done;     /* handled: copied, skipped as identical, or failed */
  guint64 files_total;
  guint64 files_copied;
  guint64 files_failed;
  guint64 bytes_done;
  guint64 bytes_total;
  guint64 bytes_skipped;
  guint64 files_skipped;
  guint64 files_deleted;
  gboolean total_known;
  gboolean running;
  gboolean counted;       /* anything to count yet */
  gboolean up_to_date;
} Shown;

static void
gather (FerryTransferRow *self,
        Shown            *shown)
{
  *shown = (Shown) { .state = FERRY_RUN_STATE_IDLE, .total_known = TRUE };
  if (self->run != NULL)
    {
      shown->state = ferry_run_get_state (self->run);
      shown->files_copied = ferry_run_get_files_done (self->run);
      shown->files_failed = ferry_run_get_files_failed (self->run);
      shown->files_skipped = ferry_run_get_files_skipped (self->run);
      shown->files_deleted = ferry_run_get_files_deleted (self->run);
      shown->files_done = shown->files_copied + shown->files_skipped + shown->files_failed;
      shown->files_total = ferry_run_get_files_total (self->run);
      shown->bytes_done = ferry_run_get_bytes_done (self->run);
      shown->bytes_total = ferry_run_get_bytes_total (self->run);
      shown->bytes_skipped = ferry_run_get_bytes_skipped (self->run);
      shown->total_known = ferry_run_get_total_known (self->run);
    }
  else if (self->record != NULL)
    {
      shown->state = self->record->state;
      shown->files_copied = self->record->files_done;
      shown->files_failed = self->record->files_failed;
      shown->files_skipped = self->record->files_skipped;
      shown->files_deleted = self->record->files_deleted;
      shown->files_done = self->record->files_done + self->record->files_skipped + self->record->files_failed;
      shown->files_total = self->record->files_total;
      shown->bytes_done = self->record->bytes_done;
      shown->bytes_total = self->record->bytes_total;
    }
  shown->running = shown->state == FERRY_RUN_STATE_RUNNING;
  shown->up_to_date = is_up_to_date (shown->state, shown->files_copied, shown->files_failed, shown->files_total);
  /* A run that ended before it counted anything (no server, no folder,
   * no password) has no counters worth showing: its reason, below, says
   * it all, with no "0 of 0 files". */
  shown->counted = shown->files_total > 0 || shown->files_done > 0 || shown->bytes_total > 0;
}

static void
update_progress (FerryTransferRow *self,
                 const Shown      *shown)
{
  g_autofree char *counts = NULL;
  gboolean show_counts = (self->run != NULL || self->record != NULL) && (shown->counted || shown->running);
  double fraction;

  /* One measure, bytes, the same as the window title's. While the walk
   * still counts, the total grows under any percentage: the bar pulses
   * instead. It is full only once the run completed: a last big file at
   * 3029 of 3030 files is not done. */
  if (shown->state == FERRY_RUN_STATE_COMPLETED)
    fraction = 1.0;
  else
    fraction = bytes_fraction (shown->bytes_done + shown->bytes_skipped, shown->bytes_total,
                               shown->files_done, shown->files_total);
  if (shown->running && !shown->total_known)
    {
      gint64 now = g_get_monotonic_time ();

      /* At the engine's pace (ten updates a second), not at every one of
       * the several notifications each update brings. */
      if (now - self->last_pulse >= 90 * G_TIME_SPAN_MILLISECOND)
        {
          gtk_progress_bar_pulse (self->progress_bar);
          self->last_pulse = now;
        }
    }
  else
    gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, shown->running ? 0.999 : 1.0));
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), show_counts);

  if (shown->running && !shown->counted)
    counts = g_strdup (_("Counting files…"));
  else if (shown->up_to_date)
    /* Translators: a run that found every file already at the destination;
     * the plural follows the number of files */
    counts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Up to date — %" PRIu64 " file checked",
                                           "Up to date — %" PRIu64 " files checked",
                                           (gulong) MIN (shown->files_total, G_MAXULONG)),
                              (guint64) shown->files_total);
  else if (shown->running)
    counts = format_counts (shown->files_done, shown->files_total, shown->bytes_done + shown->bytes_skipped,
                            shown->bytes_total);
  else
    {
      /* Ended: what it copied and what was there already, as History
       * words it (ferry_run_record_describe_counts()). */
      FerryRunRecord ended = { 0, };

      ended.kind = FERRY_RUN_KIND_COPY;
      ended.files_done = shown->files_copied;
      ended.files_skipped = shown->files_skipped;
      ended.files_failed = shown->files_failed;
      ended.files_total = shown->files_total;
      ended.files_deleted = shown->files_deleted;
      ended.bytes_done = shown->bytes_done;
      counts = ferry_run_record_describe_counts (&ended);
    }
  gtk_label_set_text (self->counts_label, show_counts ? counts : "");
  gtk_widget_set_visible (GTK_WIDGET (self->counts_box), show_counts);
}

static void
update_speed (FerryTransferRow *self,
              const Shown      *shown)
{
  g_autofree char *speed = NULL;

  if (shown->running)
    {
      g_autofree char *rate = g_format_size (ferry_run_get_bytes_per_second (self->run));
      guint64 connections = ferry_run_get_connections (self->run);
      gint64 seconds = ferry_run_get_eta (self->run);

      if (seconds >= 0)
        {
          g_autofree char *eta = ferry_format_eta (seconds);

          /* Translators: speed and time left, "350 kB/s · 0:12 left" */
          speed = g_strdup_printf (_("%s/s · %s left"), rate, eta);
        }
      else
        /* Translators: speed while the time left is not known yet, "350 kB/s" */
        speed = g_strdup_printf (_("%s/s"), rate);
      /* How many connections the run uses now (Connections: Automatic
       * moves it; the log says why). */
      if (connections > 0)
        {
          g_autofree char *with = g_steal_pointer (&speed);

          /* Translators: the speed line and the connections in use, "350 kB/s · 0:12 left · 4 connections" */
          speed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u connection", "%s · %u connections",
                                                (gulong) connections),
                                   with, (guint) connections);
        }
    }
  gtk_label_set_text (self->speed_label, speed != NULL ? speed : "");
}

static void
update_status (FerryTransferRow *self,
               const Shown      *shown)
{
  g_autofree char *status = NULL;
  g_autofree char *tooltip = NULL;
  FerryRunState state = shown->state;

  if (shown->running)
    {
      const char * const *files = ferry_run_get_current_files (self->run);

      status = format_current (files);
      if (files != NULL && files[0] != NULL)
        tooltip = g_strjoinv ("\n", (char **) files);
    }
  else if (self->message != NULL && (state == FERRY_RUN_STATE_FAILED || state == FERRY_RUN_STATE_CANCELLED))
    status = g_strdup (self->message);
  else if (self->run == NULL && self->record != NULL)
    {
      g_autofree char *when = format_when (self->record->started);

      if (self->record->message != NULL && state == FERRY_RUN_STATE_FAILED)
        /* Translators: when the last run started, and why it failed */
        status = g_strdup_printf (_("Last run %s: %s"), when, self->record->message);
      else
        /* Translators: when the last run started, and how it ended */
        status = g_strdup_printf (_("Last run %s · %s"), when, state_text (state, shown->up_to_date));
    }
  else if (self->run != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *when = format_when (g_date_time_to_unix (now));

      status = g_strdup_printf (_("Last run %s · %s"), when, state_text (state, shown->up_to_date));
    }
  else
    status = g_strdup (_("Not run yet: select it and press Start Migrating"));
  /* The files being copied stay on one line, shortened in the middle where
   * a long path has least to say; whole in the tooltip and for a screen
   * reader (the row's description). Everything else wraps. */
  gtk_label_set_wrap (self->status_label, !shown->running);
  gtk_label_set_ellipsize (self->status_label, shown->running ? PANGO_ELLIPSIZE_MIDDLE : PANGO_ELLIPSIZE_NONE);
  gtk_label_set_text (self->status_label, status);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), tooltip);
  if (state == FERRY_RUN_STATE_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

/* A verification's own line: while it goes, how far; after, its verdict
 * from the history (read again once it ended). */
static void
update_verification (FerryTransferRow *self)
{
  g_autofree char *text = NULL;

  if (self->verification != NULL && ferry_run_get_state (self->verification) == FERRY_RUN_STATE_RUNNING)
    {
      FerryRun *run = self->verification;
      guint64 compared = ferry_run_get_files_done (run) + ferry_run_get_differences (run) +
                         ferry_run_get_files_failed (run);

      if (!ferry_run_get_total_known (run) && compared == 0)
        text = g_strdup (_("Verifying…"));
      else if (ferry_run_get_checksum (run) && ferry_run_get_bytes_total (run) > 0)
        {
          g_autofree char *done = g_format_size (ferry_run_get_bytes_done (run));
          g_autofree char *total = g_format_size (ferry_run_get_bytes_total (run));

          /* Translators: a checksum verification under way: files
           * compared of all, bytes read of all */
          text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Comparing contents… %" PRIu64 " of %" PRIu64 " file · %s of %s read",
                                               "Comparing contents… %" PRIu64 " of %" PRIu64 " files · %s of %s read",
                                               (gulong) MIN (ferry_run_get_files_total (run), G_MAXULONG)),
                                  compared, ferry_run_get_files_total (run), done, total);
        }
      else
        /* Translators: a verification under way */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Verifying… %" PRIu64 " of %" PRIu64 " file compared",
                                             "Verifying… %" PRIu64 " of %" PRIu64 " files compared",
                                             (gulong) MIN (ferry_run_get_files_total (run), G_MAXULONG)),
                                compared, ferry_run_get_files_total (run));
    }
  else if (self->verified != NULL)
    {
      g_autofree char *when = format_when (self->verified->started);
      FerryRunResult result = ferry_run_record_get_result (self->verified);

      if (result == FERRY_RUN_RESULT_MATCHES || result == FERRY_RUN_RESULT_DIFFERS ||
          result == FERRY_RUN_RESULT_COMPLETED_WITH_ERRORS)
        {
          g_autofree char *counts = ferry_run_record_describe_counts (self->verified);
          /* Run ids sort by start time. */
          const char *copied = self->run != NULL ? ferry_run_get_id (self->run)
                               : self->record != NULL ? self->record->run_id : NULL;

          if (result != FERRY_RUN_RESULT_MATCHES && g_strcmp0 (copied, self->verified->run_id) > 0)
            /* Translators: the row's line about the latest verification,
             * which a copy ran after (Copy Again): "Verified today 10:09 ·
             * 1 file differs (content) · a copy ran since" */
            text = g_strdup_printf (_("%s %s · %s · a copy ran since"),
                                    ferry_run_result_get_label (result, FERRY_RUN_KIND_VERIFY), when, counts);
          else
            /* Translators: the row's line about the latest verification:
             * "Verified today 10:09 · all 184 files match" */
            text = g_strdup_printf (_("%s %s · %s"), ferry_run_result_get_label (result, FERRY_RUN_KIND_VERIFY),
                                    when, counts);
        }
      else if (result == FERRY_RUN_RESULT_FAILED && self->verified->message != NULL)
        /* Translators: "Verification failed today 10:09: why" */
        text = g_strdup_printf (_("%s %s: %s"), ferry_run_result_get_label (result, FERRY_RUN_KIND_VERIFY),
                                when, self->verified->message);
      else
        /* Translators: "Verification cancelled today 10:09" */
        text = g_strdup_printf (_("%s %s"), ferry_run_result_get_label (result, FERRY_RUN_KIND_VERIFY), when);
    }
  gtk_label_set_text (self->verify_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->verify_label), text != NULL);
}

static void
update (FerryTransferRow *self)
{
  Shown shown;

  gather (self, &shown);
  if (self->run == NULL && self->record == NULL)
    gtk_label_set_text (self->state_label, _("Never run"));
  else
    gtk_label_set_text (self->state_label, state_text (shown.state, shown.up_to_date));
  set_state_style (self, shown.state);
  update_progress (self, &shown);
  update_speed (self, &shown);
  update_status (self, &shown);
  update_verification (self);
  update_accessible (self);
}

typedef struct
{
  FerryRunRecord *copy;      /* the latest copy run, or NULL */
  FerryRunRecord *verify;    /* the latest verification, or NULL */
} Latest;

static void
latest_free (Latest *latest)
{
  g_clear_pointer (&latest->copy, ferry_run_record_free);
  g_clear_pointer (&latest->verify, ferry_run_record_free);
  g_free (latest);
}

static void
history_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(FerryTransferRow) self = user_data;
  Latest *latest = g_task_propagate_pointer (G_TASK (result), NULL);

  if (latest == NULL || g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    {
      g_clear_pointer (&latest, latest_free);
      return;
    }
  g_clear_pointer (&self->record, ferry_run_record_free);
  self->record = g_steal_pointer (&latest->copy);
  g_clear_pointer (&self->verified, ferry_run_record_free);
  self->verified = g_steal_pointer (&latest->verify);
  /* The history has the verification that ended: its verdict comes from
   * there now. */
  if (self->verification != NULL && ferry_run_get_state (self->verification) != FERRY_RUN_STATE_RUNNING &&
      self->verified != NULL && g_strcmp0 (self->verified->run_id, ferry_run_get_id (self->verification)) == 0)
    {
      g_signal_handlers_disconnect_by_data (self->verification, self);
      g_clear_object (&self->verification);
    }
  latest_free (latest);
  update (self);
}

static void
history_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  g_autoptr(GPtrArray) records = ferry_run_history_list (task_data, NULL);
  Latest *latest = g_new0 (Latest, 1);

  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      FerryRunRecord *record = g_ptr_array_index (records, i);
      FerryRunRecord **slot = record->kind == FERRY_RUN_KIND_VERIFY ? &latest->verify : &latest->copy;

      if (*slot == NULL)
        *slot = g_ptr_array_steal_index (records, i--);
      if (latest->copy != NULL && latest->verify != NULL)
        break;
    }
  g_task_return_pointer (task, latest, (GDestroyNotify) latest_free);
}

void
ferry_transfer_row_load_history (FerryTransferRow *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FERRY_IS_TRANSFER_ROW (self));

  task = g_task_new (NULL, self->cancellable, history_loaded, g_object_ref (self));
  g_task_set_source_tag (task, ferry_transfer_row_load_history);
  g_task_set_task_data (task, g_strdup (ferry_transfer_get_id (self->transfer)), g_free);
  g_task_run_in_thread (task, history_thread);
}

static void
ferry_transfer_row_dispose (GObject *object)
{
  FerryTransferRow *self = FERRY_TRANSFER_ROW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_clear_object (&self->run);
  if (self->verification != NULL)
    g_signal_handlers_disconnect_by_data (self->verification, self);
  g_clear_object (&self->verification);
  g_clear_object (&self->transfer);
  g_clear_object (&self->connectors);
  g_clear_object (&self->background);
  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_TRANSFER_ROW);

  G_OBJECT_CLASS (ferry_transfer_row_parent_class)->dispose (object);
}

static void
ferry_transfer_row_finalize (GObject *object)
{
  FerryTransferRow *self = FERRY_TRANSFER_ROW (object);

  g_clear_pointer (&self->record, ferry_run_record_free);
  g_clear_pointer (&self->verified, ferry_run_record_free);
  g_free (self->message);
  g_free (self->accessible_name);

  G_OBJECT_CLASS (ferry_transfer_row_parent_class)->finalize (object);
}

static void
ferry_transfer_row_class_init (FerryTransferRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_transfer_row_dispose;
  object_class->finalize = ferry_transfer_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, APPLICATION_PATH "/ferry-transfer-row.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, route_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, counts_box);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, counts_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, speed_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, verify_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, schedule_label);
}

static void
ferry_transfer_row_init (FerryTransferRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/* "Next run: today 14:00" while the transfer has a schedule. */
static void
update_schedule (FerryTransferRow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) next = NULL;
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;
  g_auto(FerryScheduleState) state = { 0, };
  FerryScheduleRule rule;

  /* Read once for all rows by the scheduler (a file read per row and
   * minute held up the window with many transfers). */
  if (self->background != NULL)
    ferry_schedule_snapshot_get (ferry_background_get_schedules (self->background),
                                 ferry_transfer_get_id (self->transfer), &rule);
  else
    ferry_schedule_store_get (ferry_transfer_get_id (self->transfer), &rule);
  next = ferry_schedule_next_after (&rule, now);
  gtk_widget_set_visible (GTK_WIDGET (self->schedule_label), next != NULL);
  if (next == NULL)
    return;
  when = ferry_schedule_format_when (next, now);
  if (self->background != NULL)
    ferry_schedule_snapshot_get_state (ferry_background_get_schedules (self->background),
                                       ferry_transfer_get_id (self->transfer), &state);
  else
    ferry_schedule_store_get_state (ferry_transfer_get_id (self->transfer), &state);
  if (g_strcmp0 (state.result, "skipped") == 0)
    /* Translators: when a scheduled transfer runs next, and that its last
     * scheduled run was skipped because it was running already */
    text = g_strdup_printf (_("Next run: %s · the last one was skipped (it was running)"), when);
  else
    /* Translators: when a scheduled transfer runs next: "today 14:00" */
    text = g_strdup_printf (_("Next run: %s"), when);
  gtk_label_set_text (self->schedule_label, text);
}

GtkWidget *
ferry_transfer_row_new (FerryTransfer       *transfer,
                        FerryConnectorStore *connectors,
                        FerryBackground     *background)
{
  FerryTransferRow *self;

  g_return_val_if_fail (FERRY_IS_TRANSFER (transfer), NULL);
  g_return_val_if_fail (background == NULL || FERRY_IS_BACKGROUND (background), NULL);

  self = g_object_new (FERRY_TYPE_TRANSFER_ROW, NULL);
  self->transfer = g_object_ref (transfer);
  if (connectors != NULL)
    {
      self->connectors = g_object_ref (connectors);
      g_signal_connect_object (connectors, "items-changed", G_CALLBACK (update_route), self, G_CONNECT_SWAPPED);
    }
  if (background != NULL)
    {
      self->background = g_object_ref (background);
      g_signal_connect_object (background, "changed", G_CALLBACK (update_schedule), self, G_CONNECT_SWAPPED);
    }
  update_route (self);
  update (self);
  update_schedule (self);
  return GTK_WIDGET (self);
}

FerryTransfer *
ferry_transfer_row_get_transfer (FerryTransferRow *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_ROW (self), NULL);

  return self->transfer;
}

/* A verification ended: its verdict and counts are read back from the
 * history, as after a restart. */
static void
on_verification_state (FerryTransferRow *self)
{
  if (self->verification != NULL && ferry_run_get_state (self->verification) != FERRY_RUN_STATE_RUNNING &&
      ferry_run_get_state (self->verification) != FERRY_RUN_STATE_IDLE)
    ferry_transfer_row_load_history (self);
}

void
ferry_transfer_row_set_run (FerryTransferRow *self,
                            FerryRun         *run)
{
  g_return_if_fail (FERRY_IS_TRANSFER_ROW (self));

  /* A verification has its own line and leaves the copy's alone. */
  if (run != NULL && ferry_run_get_kind (run) == FERRY_RUN_KIND_VERIFY)
    {
      if (self->verification == run)
        return;
      if (self->verification != NULL)
        g_signal_handlers_disconnect_by_data (self->verification, self);
      g_set_object (&self->verification, run);
      g_signal_connect_object (run, "notify::state", G_CALLBACK (on_verification_state), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (run, "notify", G_CALLBACK (update_verification), self, G_CONNECT_SWAPPED);
      update (self);
      return;
    }
  if (self->run == run)
    return;
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_set_object (&self->run, run);
  if (run != NULL)
    g_signal_connect_object (run, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
}

void
ferry_transfer_row_set_message (FerryTransferRow *self,
                                const char       *message)
{
  g_return_if_fail (FERRY_IS_TRANSFER_ROW (self));

  g_free (self->message);
  self->message = g_strdup (message);
  update (self);
}

const char *
ferry_transfer_row_get_state_text (FerryTransferRow *self)
{
  return gtk_label_get_text (self->state_label);
}

const char *
ferry_transfer_row_get_counts_text (FerryTransferRow *self)
{
  return gtk_label_get_text (self->counts_label);
}

const char *
ferry_transfer_row_get_status_text (FerryTransferRow *self)
{
  return gtk_label_get_text (self->status_label);
}

const char *
ferry_transfer_row_get_verify_text (FerryTransferRow *self)
{
  return gtk_label_get_text (self->verify_label);
}
