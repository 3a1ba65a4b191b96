/* ferry-cli-run.c: `ferry-cli run NAME` and `ferry-cli log NAME`.
 *
 * `run` drives the same FerryRun the Migration Manager shows: on a terminal
 * a progress line rewritten in place (files, bytes, speed, time left) with
 * warnings and errors above it, in colour unless NO_COLOR is set, and the
 * run's summary at the end; piped, or on TERM=dumb, one plain line per log
 * line. Ctrl-C or SIGTERM cancels cleanly (partial copies keep their
 * temporary names) and the exit status is then 128 + the signal, as a shell
 * would report it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "ferry-cli-engine.h"
#include "ferry-error.h"
#include "ferry-run.h"
#include "ferry-run-history.h"
#include "ferry-report.h"
#include "ferry-run-manager.h"

typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;  /* Ctrl-C and SIGTERM: the setup or the run */
  FerryRun     *run;          /* once set up */
  gboolean   terminal;
  gboolean   color;
  gboolean   progress_shown;
  guint      lines_printed;
  guint      last_skipped;   /* index of the latest routine line not shown */
  FerryCliSignals signals;
  gboolean   finished;
  gboolean   dry_run;        /* the plan is printed at the end, not the log */
  gboolean   checksum;       /* compare contents, copy what differs */
  GError    *error;          /* why it could not start */
} RunContext;

static void
clear_progress (RunContext *ctx)
{
  if (ctx->terminal && ctx->progress_shown)
    {
      fputs ("\r\033[K", stdout);
      ctx->progress_shown = FALSE;
    }
}

static void
show_progress (RunContext *ctx)
{
  g_autofree char *done = NULL;
  g_autofree char *total = NULL;
  g_autofree char *speed = NULL;
  g_autofree char *eta = NULL;
  FerryRun *run = ctx->run;
  guint64 files_total = ferry_run_get_files_total (run);

  if (!ctx->terminal || ctx->finished)
    return;
  /* Files and bytes count the same things: those handled (copied, found
   * up to date or failed) of all, as the window's row does. */
  done = g_format_size (ferry_run_get_bytes_done (run) + ferry_run_get_bytes_skipped (run));
  total = g_format_size (ferry_run_get_bytes_total (run));
  speed = g_format_size (ferry_run_get_bytes_per_second (run));
  eta = ferry_format_eta (ferry_run_get_eta (run));
  fputs ("\r\033[K", stdout);
  /* PRIu64, not G_GUINT64_FORMAT: xgettext knows only <inttypes.h>'s macros. */
  /* Translators: a progress line: files done/total, bytes, speed, time left */
  printf (ngettext ("%" PRIu64 "/%" PRIu64 " file · %s of %s · %s/s · %s left",
                    "%" PRIu64 "/%" PRIu64 " files · %s of %s · %s/s · %s left",
                    (gulong) MIN (files_total, G_MAXULONG)),
          ferry_run_get_files_done (run) + ferry_run_get_files_skipped (run) + ferry_run_get_files_failed (run),
          files_total, done, total, speed, eta);
  fflush (stdout);
  ctx->progress_shown = TRUE;
}

/* How many printed lines the log model may hold before they are let go. */
#define RELEASE_BATCH 256

static void
print_new_lines (RunContext *ctx)
{
  GListModel *log = ferry_run_get_log (ctx->run);
  guint n = g_list_model_get_n_items (log);

  for (; ctx->lines_printed < n; ctx->lines_printed++)
    {
      g_autoptr(FerryLogLine) line = g_list_model_get_item (log, ctx->lines_printed);
      FerryLogLevel level = ferry_log_line_get_level (line);
      const char *text = ferry_log_line_get_text (line);

      /* On a terminal the progress line stands for the routine lines. */
      if (ctx->terminal && level == FERRY_LOG_INFO)
        {
          ctx->last_skipped = ctx->lines_printed;
          continue;
        }
      clear_progress (ctx);
      if (level == FERRY_LOG_ERROR)
        printf ("%s%s%s %s\n", ctx->color ? "\033[1;31m" : "", _("error:"), ctx->color ? "\033[0m" : "", text);
      else if (level == FERRY_LOG_WARNING)
        printf ("%s%s%s %s\n", ctx->color ? "\033[1;33m" : "", _("warning:"), ctx->color ? "\033[0m" : "", text);
      else
        printf ("%s\n", text);
    }
  fflush (stdout);

  /* The lines shown are not needed again, but the latest (the run's
   * summary at its end, see print_summary()): the log model lets go of
   * them, or a run would hold a line of each file it copied until it ends
   * (2000 files: 0.6 MiB, the most of what a run's memory grows by). The
   * run's log file has them all. Let go of in batches: a splice of the
   * model for each line printed cost job 7 of the bench (20000 files)
   * about 1.5 s. */
  if (ctx->lines_printed > RELEASE_BATCH)
    {
      guint shown = ctx->lines_printed - 1;

      ctx->lines_printed -= shown;
      if (ctx->last_skipped != G_MAXUINT)
        ctx->last_skipped = ctx->last_skipped >= shown ? ctx->last_skipped - shown : G_MAXUINT;
      g_signal_handlers_block_matched (log, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, ctx);
      ferry_run_release_log (ctx->run, shown);
      g_signal_handlers_unblock_matched (log, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, ctx);
    }
}

/* On a terminal, the run's last line, its summary, replaces the progress
 * line at the end; it was held back with the other routine lines. */
static void
print_summary (RunContext *ctx)
{
  GListModel *log = ferry_run_get_log (ctx->run);
  guint n = g_list_model_get_n_items (log);
  g_autoptr(FerryLogLine) line = NULL;

  if (!ctx->terminal || n == 0 || ctx->last_skipped != n - 1)
    return;
  line = g_list_model_get_item (log, n - 1);
  clear_progress (ctx);
  printf ("%s\n", ferry_log_line_get_text (line));
  fflush (stdout);
}

static void
on_changed (RunContext *ctx)
{
  /* A dry run prints its plan at the end; stdout stays clean for --json. */
  if (ctx->dry_run)
    return;
  print_new_lines (ctx);
  show_progress (ctx);
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      data)
{
  RunContext *ctx = data;

  g_autoptr(FerryRun) run = ferry_run_manager_start_finish (FERRY_RUN_MANAGER (object), result, &ctx->error);

  ctx->finished = TRUE;
  g_main_loop_quit (ctx->loop);
}

static gboolean
on_signal (gpointer data,
           int      number)
{
  FerryCliSignals *signals = data;

  if (signals->number == 0)
    signals->number = number;
  g_cancellable_cancel (signals->cancellable);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sigint (gpointer data)
{
  return on_signal (data, SIGINT);
}

static gboolean
on_sigterm (gpointer data)
{
  return on_signal (data, SIGTERM);
}

void
ferry_cli_signals_watch (FerryCliSignals *signals,
                         GCancellable    *cancellable)
{
  signals->cancellable = cancellable;
  signals->number = 0;
  signals->sigint_id = g_unix_signal_add (SIGINT, on_sigint, signals);
  signals->sigterm_id = g_unix_signal_add (SIGTERM, on_sigterm, signals);
}

void
ferry_cli_signals_unwatch (FerryCliSignals *signals)
{
  g_clear_handle_id (&signals->sigint_id, g_source_remove);
  g_clear_handle_id (&signals->sigterm_id, g_source_remove);
}

int
ferry_cli_signals_exit (const FerryCliSignals *signals)
{
  return FERRY_EXIT_SIGNAL_BASE + (signals->number != 0 ? signals->number : SIGINT);
}

/* The run has been set up: follow it from its first line. */
static void
on_run_started (RunContext *ctx,
                FerryRun   *run)
{
  ctx->run = g_object_ref (run);
  g_signal_connect_swapped (ferry_run_get_log (run), "items-changed", G_CALLBACK (on_changed), ctx);
  g_signal_connect_swapped (run, "notify::bytes-done", G_CALLBACK (on_changed), ctx);
  g_signal_connect_swapped (run, "notify::files-total", G_CALLBACK (on_changed), ctx);
  g_signal_connect_swapped (run, "notify::bytes-per-second", G_CALLBACK (on_changed), ctx);
}

static int
exit_code_of (RunContext *ctx)
{
  FerryRunState state = ferry_run_get_state (ctx->run);
  const GError *error = ferry_run_get_error (ctx->run);
  int exit_code;

  if (state == FERRY_RUN_STATE_CANCELLED)
    return ferry_cli_signals_exit (&ctx->signals);
  if (state == FERRY_RUN_STATE_COMPLETED)
    return FERRY_EXIT_OK;
  if (state == FERRY_RUN_STATE_COMPLETED_WITH_ERRORS || error == NULL)
    return FERRY_EXIT_PARTIAL;
  exit_code = ferry_cli_exit_for_error (error);
  /* A run that failed is at least a partial failure, never success. */
  return exit_code == FERRY_EXIT_OK ? FERRY_EXIT_PARTIAL : exit_code;
}

/* The plan, in people's words: one line per entry, then the totals. */
static void
print_plan_text (GListModel *plan)
{
  guint64 files[FERRY_OUTCOME_CANCELLED + 1] = { 0 };
  guint64 bytes[FERRY_OUTCOME_CANCELLED + 1] = { 0 };
  guint n = g_list_model_get_n_items (plan);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FerryOutcome) entry = g_list_model_get_item (plan, i);
      FerryOutcomeKind kind = ferry_outcome_get_kind (entry);
      const char *message = ferry_outcome_get_message (entry);
      g_autofree char *size = NULL;

      if (kind > FERRY_OUTCOME_CANCELLED)
        continue;
      if (!ferry_outcome_is_folder (entry))
        {
          files[kind]++;
          bytes[kind] += MAX (ferry_outcome_get_size (entry), 0);
        }
      if (kind == FERRY_OUTCOME_UP_TO_DATE)
        continue;   /* the totals say how many; the list is what changes */
      size = ferry_outcome_get_size (entry) >= 0 ? g_format_size (ferry_outcome_get_size (entry)) : NULL;
      printf ("%-11s %s%s%s%s\n", ferry_report_plan_action (kind), ferry_outcome_get_path (entry),
              ferry_outcome_is_folder (entry) ? "/" : "",
              size != NULL ? "  " : "", size != NULL ? size : "");
      if (*message != '\0')
        printf ("            %s\n", message);
    }
  printf ("\n");
  for (FerryOutcomeKind kind = FERRY_OUTCOME_COPIED; kind < FERRY_OUTCOME_CANCELLED; kind++)
    {
      g_autofree char *size = g_format_size (bytes[kind]);

      if (kind == FERRY_OUTCOME_CREATED || (kind == FERRY_OUTCOME_DELETED && files[kind] == 0))
        continue;
      /* Translators: a line of a dry run's totals: an outcome ("Copied",
       * "Up to date"…), then files and their size */
      printf (ngettext ("%-28s %" PRIu64 " file, %s\n", "%-28s %" PRIu64 " files, %s\n",
                        (gulong) MIN (files[kind], G_MAXULONG)),
              ferry_outcome_kind_get_label (kind), (guint64) files[kind], size);
    }
}

static int
print_plan (RunContext *ctx,
            gboolean    json)
{
  GListModel *plan = ferry_run_get_plan (ctx->run);
  FerryRunState state = ferry_run_get_state (ctx->run);

  if (state == FERRY_RUN_STATE_FAILED || state == FERRY_RUN_STATE_CANCELLED)
    {
      print_new_lines (ctx);
      return exit_code_of (ctx);
    }
  if (json)
    {
      g_autoptr(GOutputStream) out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
      g_autoptr(GError) error = NULL;

      if (!ferry_report_write_plan_json (plan, out, NULL, &error))
        return ferry_cli_fail_with (error);
    }
  else
    print_plan_text (plan);
  fflush (stdout);
  return FERRY_EXIT_OK;
}


FerryRunManager *
ferry_cli_new_run_manager (FerryTransfer *transfer,
                           int           *exit_code)
{
  g_autoptr(FerryConnectorStore) connectors = NULL;
  FerryRunManager *manager;

  /* A transfer between local folders needs no password: no keyring. */
  if (ferry_transfer_needs_keyring (transfer))
    {
      connectors = ferry_cli_load_store (exit_code);
      if (connectors == NULL)
        return NULL;
    }
  manager = ferry_run_manager_new ();
  ferry_run_manager_set_connector_store (manager, connectors);
  return manager;
}

/* Starts the run (or the preview) through the manager and runs the main
 * loop until it ends, Ctrl-C and SIGTERM cancelling it. */
static void
run_and_wait (RunContext      *ctx,
              FerryRunManager *manager,
              FerryTransfer   *transfer)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  ctx->loop = loop;
  ctx->last_skipped = G_MAXUINT;
  /* A dumb terminal (Emacs' shell, for one) cannot erase a line: plain lines. */
  ctx->terminal = isatty (STDOUT_FILENO) && g_strcmp0 (g_getenv ("TERM"), "dumb") != 0;
  ctx->color = ctx->terminal && ferry_cli_use_color (STDOUT_FILENO);

  g_signal_connect_swapped (manager, ctx->dry_run ? "preview-started" : "run-started",
                            G_CALLBACK (on_run_started), ctx);
  ferry_cli_signals_watch (&ctx->signals, ctx->cancellable);
  if (ctx->dry_run)
    ferry_run_manager_preview_async (manager, transfer, ctx->cancellable, on_run_done, ctx);
  else
    ferry_run_manager_copy_async (manager, transfer, ctx->checksum, NULL, ctx->cancellable, on_run_done, ctx);
  g_main_loop_run (loop);
  ferry_cli_signals_unwatch (&ctx->signals);
  g_signal_handlers_disconnect_by_data (manager, ctx);
  ctx->loop = NULL;
}

int
ferry_cli_run (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME — run a transfer, copying what is new or changed"));
  g_autoptr(FerryTransferStore) transfers = NULL;
  g_autoptr(FerryRunManager) manager = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  RunContext ctx = { 0, };
  FerryTransfer *transfer;
  int exit_code = FERRY_EXIT_OK;
  gboolean dry_run = FALSE;
  gboolean json = FALSE;
  gboolean checksum = FALSE;
  GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Show what a run would do, and do nothing: no folder, no file, no history"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("With --dry-run: print the plan as one JSON object"), NULL },
    { "checksum", 'c', 0, G_OPTION_ARG_NONE, &checksum,
      N_("Compare contents too: copy every file whose content differs, even with the same size and time"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!ferry_cli_parse_options (context, &argc, &argv, 1, _("one transfer NAME")))
    return FERRY_EXIT_USAGE;
  if (json && !dry_run)
    {
      ferry_cli_usage_error (_("--json goes with --dry-run"));
      return FERRY_EXIT_USAGE;
    }
  if (checksum && dry_run)
    {
      ferry_cli_usage_error (_("--checksum does not go with --dry-run: a preview reads no contents"));
      return FERRY_EXIT_USAGE;
    }
  transfer = ferry_cli_load_transfer (argv[1], &transfers, &exit_code);
  if (transfer == NULL)
    return exit_code;
  /* The same setup and run as the Migration Manager's. */
  manager = ferry_cli_new_run_manager (transfer, &exit_code);
  if (manager == NULL)
    return exit_code;
  ctx.cancellable = cancellable;
  ctx.dry_run = dry_run;
  ctx.checksum = checksum;
  run_and_wait (&ctx, manager, transfer);
  if (ctx.run == NULL)
    {
      /* It never started: a connector removed, the keyring, Ctrl-C. */
      if (ctx.signals.number != 0)
        exit_code = ferry_cli_signals_exit (&ctx.signals);
      else
        exit_code = ferry_cli_fail_with (ctx.error);
      g_clear_error (&ctx.error);
      return exit_code;
    }
  g_signal_handlers_disconnect_by_data (ferry_run_get_log (ctx.run), &ctx);
  g_signal_handlers_disconnect_by_data (ctx.run, &ctx);
  if (dry_run)
    exit_code = print_plan (&ctx, json);
  else
    {
      print_new_lines (&ctx);
      clear_progress (&ctx);
      print_summary (&ctx);
      exit_code = exit_code_of (&ctx);
    }
  g_clear_object (&ctx.run);
  g_clear_error (&ctx.error);
  return exit_code;
}

int
ferry_cli_log (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME — show the log of a transfer’s latest run"));
  g_autoptr(FerryTransferStore) transfers = NULL;
  g_autoptr(FerryRunRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) started = NULL;
  g_autofree char *when = NULL;
  g_autoptr(GListModel) lines = NULL;
  FerryTransfer *transfer;
  int exit_code = FERRY_EXIT_OK;

  if (!ferry_cli_parse_options (context, &argc, &argv, 1, _("one transfer NAME")))
    return FERRY_EXIT_USAGE;
  transfer = ferry_cli_load_transfer (argv[1], &transfers, &exit_code);
  if (transfer == NULL)
    return exit_code;

  record = ferry_run_history_latest (ferry_transfer_get_id (transfer), &error);
  if (record == NULL)
    return ferry_cli_fail_with (error);
  /* Rendered from the journal, in the reader's language. */
  lines = ferry_run_history_open_log (record, &error);
  if (lines == NULL)
    return ferry_cli_fail_with (error);

  started = g_date_time_new_from_unix_utc (record->started);
  when = started ? g_date_time_format (started, "%Y-%m-%d %H:%M:%S UTC") : g_strdup ("?");
  if (record->kind == FERRY_RUN_KIND_VERIFY)
    /* Translators: the first line of `ferry-cli log` after a verification:
     * start time and how it ended ("Verified", "Verification failed") */
    g_print (_("Verification of %s: %s\n"), when,
             ferry_run_result_get_label (ferry_run_record_get_result (record), record->kind));
  else
    /* Translators: the first line of `ferry-cli log`: start time and state */
    g_print (_("Run of %s: %s\n"), when, ferry_run_state_get_label (record->state));
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(FerryLogLine) line = g_list_model_get_item (lines, i);
      g_autofree char *text = ferry_log_line_format (line);

      puts (text);
    }
  return FERRY_EXIT_OK;
}

int
ferry_cli_report (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME — the Migration Report of a run: one row per file"));
  g_autoptr(FerryTransferStore) transfers = NULL;
  g_autoptr(FerryRunRecord) record = NULL;
  g_autoptr(GListModel) outcomes = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *run_id = NULL;
  g_autofree char *format_name = NULL;
  FerryReportFormat format = FERRY_REPORT_CSV;
  FerryTransfer *transfer;
  int exit_code = FERRY_EXIT_OK;
  GOptionEntry entries[] = {
    { "run", 0, 0, G_OPTION_ARG_STRING, &run_id, N_("Which run (the latest when not given)"), N_("RUN-ID") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name, N_("csv (the default) or json"), N_("FORMAT") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!ferry_cli_parse_options (context, &argc, &argv, 1, _("one transfer NAME")))
    return FERRY_EXIT_USAGE;
  if (format_name != NULL && !ferry_report_format_from_string (format_name, &format))
    {
      ferry_cli_usage_error (_("--format takes csv or json"));
      return FERRY_EXIT_USAGE;
    }
  transfer = ferry_cli_load_transfer (argv[1], &transfers, &exit_code);
  if (transfer == NULL)
    return exit_code;

  if (run_id != NULL)
    record = ferry_run_history_find (ferry_transfer_get_id (transfer), run_id, &error);
  else
    record = ferry_run_history_latest (ferry_transfer_get_id (transfer), &error);
  if (record == NULL)
    return ferry_cli_fail_with (error);
  outcomes = ferry_run_history_open_outcomes (record, &error);
  if (outcomes == NULL)
    return ferry_cli_fail_with (error);
  out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  if (!ferry_report_write (outcomes, format, out, NULL, &error))
    return ferry_cli_fail_with (error);
  return FERRY_EXIT_OK;
}
