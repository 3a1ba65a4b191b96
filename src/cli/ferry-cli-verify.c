/* ferry-cli-verify.c: `ferry-cli verify NAME [--checksum]`, proof that the
 * destination matches the source (DESIGN.md, the CLI contract).
 *
 * The verification is a run like the others (ferry_run_manager_verify_async()),
 * kept in the transfer's history as Kind=verify, so `ferry-cli report`
 * exports it. What it found comes from its outcome records, one line per
 * difference on standard output, untranslated because scripts read them:
 *   missing PATH            the destination lacks it (a folder ends in '/')
 *   differs PATH (size)     also (time), (content) and (type)
 *   extra PATH              only the destination has it
 * then a summary for people. Notes (which checksum method each side used)
 * and errors go to standard error. Exit status: 0 everything matches, 1
 * anything differs or could not be compared, 3 a side cannot be reached.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>

#include "ferry-cli-engine.h"
#include "ferry-error.h"
#include "ferry-outcome.h"
#include "ferry-run.h"
#include "ferry-run-history.h"
#include "ferry-run-manager.h"

typedef struct
{
  GMainLoop    *loop;
  FerryRun     *run;
  GError       *error;
  FerryCliSignals signals;
} VerifyContext;

static void
on_started (VerifyContext *ctx,
            FerryRun      *run)
{
  ctx->run = g_object_ref (run);
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      data)
{
  VerifyContext *ctx = data;
  g_autoptr(FerryRun) run = ferry_run_manager_start_finish (FERRY_RUN_MANAGER (object), result, &ctx->error);

  g_main_loop_quit (ctx->loop);
}

/* The log's notes and errors, to standard error; not the verdict, which
 * standard output has in its own words (a failed verification has none). */
static void
print_notes (FerryRun *run)
{
  GListModel *log = ferry_run_get_log (run);
  guint n = g_list_model_get_n_items (log);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FerryLogLine) line = g_list_model_get_item (log, i);
      FerryLogKind kind = ferry_log_line_get_kind (line);

      if (kind == FERRY_LOG_KIND_NOTE || kind == FERRY_LOG_KIND_FILE_FAILED ||
          kind == FERRY_LOG_KIND_RUN_FAILED || kind == FERRY_LOG_KIND_COMPARING ||
          kind == FERRY_LOG_KIND_FILTERED)
        fprintf (stderr, "%s\n", ferry_log_line_get_text (line));
    }
}

/* One line per difference, from the run's records. */
static guint64
print_differences (FerryTransfer *transfer,
                   FerryRun      *run,
                   GError       **error)
{
  g_autoptr(FerryRunRecord) record = NULL;
  g_autoptr(GListModel) outcomes = NULL;
  guint64 found = 0;

  record = ferry_run_history_find (ferry_transfer_get_id (transfer), ferry_run_get_id (run), error);
  if (record == NULL)
    return G_MAXUINT64;
  outcomes = ferry_run_history_open_outcomes (record, error);
  if (outcomes == NULL)
    return G_MAXUINT64;
  for (guint i = 0; i < g_list_model_get_n_items (outcomes); i++)
    {
      g_autoptr(FerryOutcome) outcome = g_list_model_get_item (outcomes, i);
      const char *slash = ferry_outcome_is_folder (outcome) ? "/" : "";
      const char *path = ferry_outcome_get_path (outcome);

      switch (ferry_outcome_get_kind (outcome))
        {
        case FERRY_OUTCOME_MISSING:
          printf ("missing %s%s\n", path, slash);
          break;
        case FERRY_OUTCOME_DIFFERS:
          printf ("differs %s%s (%s)\n", path, slash, ferry_outcome_get_reason (outcome));
          break;
        case FERRY_OUTCOME_EXTRA:
          printf ("extra %s%s\n", path, slash);
          break;
        default:
          continue;
        }
      found++;
    }
  return found;
}

int
ferry_cli_verify (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME — check that the destination matches the source"));
  g_autoptr(FerryTransferStore) transfers = NULL;
  g_autoptr(FerryRunManager) manager = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  VerifyContext ctx = { 0, };
  FerryTransfer *transfer;
  FerryRunState state;
  int exit_code = FERRY_EXIT_OK;
  gboolean checksum = FALSE;
  guint64 found;
  GOptionEntry entries[] = {
    { "checksum", 'c', 0, G_OPTION_ARG_NONE, &checksum,
      N_("Compare contents too (SHA-256, or the hash the server computes), not only sizes and times"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!ferry_cli_parse_options (context, &argc, &argv, 1, _("one transfer NAME")))
    return FERRY_EXIT_USAGE;
  transfer = ferry_cli_load_transfer (argv[1], &transfers, &exit_code);
  if (transfer == NULL)
    return exit_code;
  manager = ferry_cli_new_run_manager (transfer, &exit_code);
  if (manager == NULL)
    return exit_code;
  loop = g_main_loop_new (NULL, FALSE);
  ctx.loop = loop;
  g_signal_connect_swapped (manager, "run-started", G_CALLBACK (on_started), &ctx);
  ferry_cli_signals_watch (&ctx.signals, cancellable);
  ferry_run_manager_verify_async (manager, transfer, checksum, cancellable, on_done, &ctx);
  g_main_loop_run (loop);
  ferry_cli_signals_unwatch (&ctx.signals);
  g_signal_handlers_disconnect_by_data (manager, &ctx);

  if (ctx.run == NULL)
    {
      if (ctx.signals.number != 0)
        exit_code = ferry_cli_signals_exit (&ctx.signals);
      else
        exit_code = ferry_cli_fail_with (ctx.error);
      g_clear_error (&ctx.error);
      return exit_code;
    }
  g_clear_error (&ctx.error);

  state = ferry_run_get_state (ctx.run);
  print_notes (ctx.run);
  if (state == FERRY_RUN_STATE_CANCELLED)
    exit_code = ferry_cli_signals_exit (&ctx.signals);
  else if (state == FERRY_RUN_STATE_FAILED)
    {
      /* A side that cannot be listed at all is a side that cannot be
       * reached; the keyring keeps its own code. */
      exit_code = ferry_cli_exit_for_error (ferry_run_get_error (ctx.run));
      if (exit_code != FERRY_EXIT_KEYRING)
        exit_code = FERRY_EXIT_CONNECT;
    }
  else
    {
      found = print_differences (transfer, ctx.run, &error);
      if (found == G_MAXUINT64)
        exit_code = ferry_cli_fail_with (error);
      else if (found > 0 || ferry_run_get_files_failed (ctx.run) > 0)
        {
          guint64 failed = ferry_run_get_files_failed (ctx.run);

          /* Translators: the end of `ferry-cli verify` when anything differs */
          if (found > 0)
            printf (ngettext ("%" PRIu64 " difference\n", "%" PRIu64 " differences\n",
                              (gulong) MIN (found, G_MAXULONG)), found);
          if (failed > 0)
            printf (ngettext ("%" PRIu64 " file could not be compared\n",
                              "%" PRIu64 " files could not be compared\n",
                              (gulong) MIN (failed, G_MAXULONG)), failed);
          exit_code = FERRY_EXIT_PARTIAL;
        }
      else
        {
          guint64 n = ferry_run_get_files_total (ctx.run);

          /* Translators: the end of `ferry-cli verify` when all is well; %'
           * groups the digits the locale's way ("12 408") */
          printf (ngettext ("All %'" PRIu64 " file matches\n", "All %'" PRIu64 " files match\n",
                            (gulong) MIN (n, G_MAXULONG)), n);
          exit_code = FERRY_EXIT_OK;
        }
    }
  fflush (stdout);
  if (ferry_run_get_id (ctx.run) != NULL && state != FERRY_RUN_STATE_CANCELLED)
    {
      g_autofree char *quoted = g_shell_quote (ferry_transfer_get_name (transfer));

      /* Translators: the last line of `ferry-cli verify`, on standard
       * error: the run's id, then the command that exports it */
      g_printerr (_("Kept in the history as run %s: ferry-cli report %s --run %s\n"),
                  ferry_run_get_id (ctx.run), quoted, ferry_run_get_id (ctx.run));
    }
  g_clear_object (&ctx.run);
  return exit_code;
}
