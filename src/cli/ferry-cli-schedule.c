/* ferry-cli-schedule.c: `ferry-cli schedule NAME --every … | --off`,
 * `schedule list [--json]` and `schedule run-due`.
 *
 * `run-due` is what a systemd user timer or cron calls on a machine with no
 * desktop session: the same core call as the background instance's minute
 * timer (ferry_scheduler_run_due_async()). It prints one line per due
 * transfer and exits 0 when every due run completed (or nothing was due),
 * 1 when one failed or had failed files. A transfer running in another
 * process is skipped, not waited for, and that is no failure.
 * "list" and "run-due" are words of this command: a transfer with one of
 * those names is scheduled from the app's Schedule dialog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "ferry-cli-engine.h"
#include "ferry-error.h"
#include "ferry-run-history.h"
#include "ferry-run-manager.h"
#include "ferry-schedule-store.h"
#include "ferry-scheduler.h"

static char *
format_iso (GDateTime *time)
{
  /* ISO 8601 with the offset in full ("+01:00"), for scripts. */
  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%S%:z");
}

static char *
format_unix (gint64 seconds)
{
  g_autoptr(GDateTime) time = NULL;

  if (seconds <= 0)
    return NULL;
  time = g_date_time_new_from_unix_local (seconds);
  return time ? format_iso (time) : NULL;
}

static int
schedule_set (int    argc,
              char **argv)
{
  g_autofree char *every = NULL;
  g_autofree char *at = NULL;
  g_autofree char *on = NULL;
  gboolean off = FALSE;
  const GOptionEntry entries[] = {
    { "every", 0, 0, G_OPTION_ARG_STRING, &every, N_("Run every hour, day, week or month"), "hour|day|week|month" },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at, N_("At this time (HH:MM; :MM for hourly), local time; default 00:00"), "HH:MM" },
    { "on", 0, 0, G_OPTION_ARG_STRING, &on, N_("Weekly: mon … sun (default mon); monthly: 1 … 31, the last day in shorter months (default 1)"), "DAY" },
    { "off", 0, 0, G_OPTION_ARG_NONE, &off, N_("Stop running it on a schedule"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME — run a transfer on a schedule, even with Ferry’s window closed"));
  g_autoptr(FerryTransferStore) transfers = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) next = NULL;
  FerryScheduleRule rule = { FERRY_SCHEDULE_EVERY_OFF, 0, 0, 1 };
  FerryTransfer *transfer;
  int exit_code = FERRY_EXIT_OK;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                /* Translators: keep the command lines as they are */
                                _("Other forms:\n"
                                  "  ferry-cli schedule list [--json]   the schedules, their next runs and last results\n"
                                  "  ferry-cli schedule run-due         run what is due now (from a timer or cron)"));
  if (!ferry_cli_parse_options (context, &argc, &argv, 1, _("one transfer NAME")))
    return FERRY_EXIT_USAGE;
  if (off == (every != NULL))
    {
      ferry_cli_usage_error ("%s", _("give either --every or --off"));
      return FERRY_EXIT_USAGE;
    }
  if (off && (at != NULL || on != NULL))
    {
      ferry_cli_usage_error ("%s", _("--at and --on go with --every"));
      return FERRY_EXIT_USAGE;
    }
  if (!off && !ferry_schedule_rule_parse (every, at, on, &rule, &error))
    {
      ferry_cli_usage_error ("%s", error->message);
      return FERRY_EXIT_USAGE;
    }
  transfer = ferry_cli_load_transfer (argv[1], &transfers, &exit_code);
  if (transfer == NULL)
    return exit_code;

  if (!ferry_schedule_store_set (ferry_transfer_get_id (transfer), &rule, &error))
    return ferry_cli_fail_with (error);
  if (off)
    {
      g_print (_("“%s” is no longer scheduled.\n"), ferry_transfer_get_name (transfer));
      return FERRY_EXIT_OK;
    }
  now = g_date_time_new_now_local ();
  next = ferry_schedule_next_after (&rule, now);
  {
    g_autofree char *described = ferry_schedule_rule_describe (&rule);
    g_autofree char *when = ferry_schedule_format_when (next, now);

    /* Translators: a transfer's name, its schedule ("Every day at 14:00"), when it runs next */
    g_print (_("“%s”: %s. Next run: %s.\n"), ferry_transfer_get_name (transfer), described, when);
  }
  return FERRY_EXIT_OK;
}

static JsonNode *
schedule_to_json (FerryTransfer           *transfer,
                  const FerryScheduleRule *rule,
                  GDateTime               *next,
                  FerryScheduleState      *state)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *text = ferry_schedule_rule_to_string (rule);
  g_autofree char *next_text = format_iso (next);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, ferry_transfer_get_name (transfer));
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, ferry_transfer_get_id (transfer));
  json_builder_set_member_name (builder, "rule");
  json_builder_add_string_value (builder, text);
  json_builder_set_member_name (builder, "every");
  json_builder_add_string_value (builder, ferry_schedule_every_to_string (rule->every));
  json_builder_set_member_name (builder, "at");
  {
    g_autofree char *at = rule->every == FERRY_SCHEDULE_EVERY_HOUR
                          ? g_strdup_printf (":%02d", rule->minute)
                          : g_strdup_printf ("%02d:%02d", rule->hour, rule->minute);

    json_builder_add_string_value (builder, at);
  }
  json_builder_set_member_name (builder, "on");
  if (rule->every == FERRY_SCHEDULE_EVERY_WEEK)
    json_builder_add_string_value (builder, ferry_schedule_weekday_to_string (rule->day));
  else if (rule->every == FERRY_SCHEDULE_EVERY_MONTH)
    json_builder_add_int_value (builder, rule->day);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "next_run");
  json_builder_add_string_value (builder, next_text);
  json_builder_set_member_name (builder, "last");
  if (state->result == NULL)
    json_builder_add_null_value (builder);
  else
    {
      g_autofree char *time = format_unix (state->time);
      g_autofree char *slot = format_unix (state->handled);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "result");
      json_builder_add_string_value (builder, state->result);
      json_builder_set_member_name (builder, "slot");
      json_builder_add_string_value (builder, slot);
      json_builder_set_member_name (builder, "time");
      json_builder_add_string_value (builder, time);
      json_builder_set_member_name (builder, "run_id");
      if (state->run_id != NULL)
        json_builder_add_string_value (builder, state->run_id);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "message");
      if (state->message != NULL)
        json_builder_add_string_value (builder, state->message);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static const char *
result_label (const char *result)
{
  FerryRunState state;

  if (result == NULL)
    return _("not run yet");
  if (strcmp (result, "skipped") == 0)
    return _("skipped (it was running already)");
  if (ferry_run_state_from_string (result, &state))
    return ferry_run_state_get_label (state);
  return result;
}

static int
schedule_list (int    argc,
               char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— list scheduled transfers, their next runs and last results"));
  g_autoptr(FerryTransferStore) transfers = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GString) out = g_string_new ("");
  g_auto(GStrv) ids = NULL;
  int exit_code = FERRY_EXIT_OK;
  guint n = 0;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ferry_cli_parse_options (context, &argc, &argv, 0, _("no arguments")))
    return FERRY_EXIT_USAGE;
  transfers = ferry_cli_load_transfers (&exit_code);
  if (transfers == NULL)
    return exit_code;

  /* A schedule whose transfer is gone is forgotten, and said so. */
  {
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) gone = ferry_schedule_store_prune (&error);

    if (gone == NULL)
      return ferry_cli_fail_with (error);
    for (guint i = 0; gone[i] != NULL; i++)
      /* Translators: %s is the id of a transfer that was removed */
      g_printerr (_("Removed the schedule of a transfer that no longer exists (%s).\n"), gone[i]);
  }
  if (json)
    g_string_assign (out, "[");
  ids = ferry_schedule_store_list ();
  for (guint i = 0; ids[i] != NULL; i++)
    {
      FerryTransfer *transfer = ferry_transfer_store_find_by_id (transfers, ids[i]);
      g_auto(FerryScheduleState) state = { 0, };
      g_autoptr(GDateTime) next = NULL;
      FerryScheduleRule rule;

      /* Added since the transfers were read: read them again. */
      if (transfer == NULL && ferry_transfer_store_load (transfers, NULL))
        transfer = ferry_transfer_store_find_by_id (transfers, ids[i]);
      if (transfer == NULL)
        {
          /* Translators: %s is the id of a transfer */
          g_printerr (_("A schedule names a transfer that cannot be read (%s).\n"), ids[i]);
          continue;
        }
      ferry_schedule_store_get (ids[i], &rule);
      ferry_schedule_store_get_state (ids[i], &state);
      next = ferry_schedule_next_after (&rule, now);
      if (json)
        {
          g_autoptr(JsonNode) node = schedule_to_json (transfer, &rule, next, &state);
          g_autofree char *text = json_to_string (node, FALSE);

          /* One object a line, as `transfer list --json` prints them. */
          g_string_append_printf (out, "%s\n  %s", n > 0 ? "," : "", text);
        }
      else
        {
          g_autofree char *described = ferry_schedule_rule_describe (&rule);
          g_autofree char *when = ferry_schedule_format_when (next, now);

          g_string_append_printf (out, "%s\t%s\t%s %s\t%s %s\n", ferry_transfer_get_name (transfer),
                                  described, _("next:"), when, _("last:"), result_label (state.result));
        }
      n++;
    }
  if (json)
    g_string_append (out, n > 0 ? "\n]\n" : "]\n");
  else if (n == 0)
    g_string_append_printf (out, "%s\n", _("No schedules. Add one with “ferry-cli schedule NAME --every day”."));
  fputs (out->str, stdout);
  return FERRY_EXIT_OK;
}

typedef struct
{
  GMainLoop *loop;
  GPtrArray *results;
  GError    *error;
} RunDueContext;

static void
on_run_due_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RunDueContext *ctx = user_data;

  ctx->results = ferry_scheduler_run_due_finish (FERRY_RUN_MANAGER (source), result, &ctx->error);
  g_main_loop_quit (ctx->loop);
}

static int
schedule_run_due (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— run every scheduled transfer that is due now, once"));
  g_autoptr(FerryTransferStore) transfers = NULL;
  g_autoptr(FerryConnectorStore) connectors = NULL;
  g_autoptr(FerryRunManager) manager = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_auto(GStrv) ids = NULL;
  RunDueContext ctx = { 0, };
  int exit_code = FERRY_EXIT_OK;

  g_option_context_set_description (context, _("Exit status: 0 when every due run completed or nothing was due, "
                                               "1 when a run failed or some of its files did."));
  if (!ferry_cli_parse_options (context, &argc, &argv, 0, _("no arguments")))
    return FERRY_EXIT_USAGE;
  transfers = ferry_cli_load_transfers (&exit_code);
  if (transfers == NULL)
    return exit_code;

  /* The keyring only when a scheduled transfer reaches a server; without
   * it those runs fail and the others still run. */
  ids = ferry_schedule_store_list ();
  for (guint i = 0; ids[i] != NULL && connectors == NULL; i++)
    {
      FerryTransfer *transfer = ferry_transfer_store_find_by_id (transfers, ids[i]);
      int ignored;

      if (transfer != NULL && ferry_transfer_needs_keyring (transfer))
        {
          connectors = ferry_cli_load_store (&ignored);
          break;
        }
    }

  manager = ferry_run_manager_new ();
  ferry_run_manager_set_connector_store (manager, connectors);
  loop = g_main_loop_new (NULL, FALSE);
  ctx.loop = loop;
  ferry_scheduler_run_due_async (manager, transfers, NULL, NULL, on_run_due_done, &ctx);
  g_main_loop_run (loop);
  if (ctx.results == NULL)
    {
      exit_code = ferry_cli_fail_with (ctx.error);
      g_clear_error (&ctx.error);
      return exit_code;
    }

  for (guint i = 0; i < ctx.results->len; i++)
    {
      FerrySchedulerResult *result = g_ptr_array_index (ctx.results, i);
      const char *name = ferry_transfer_get_name (result->transfer);

      if (result->run != NULL)
        {
          FerryRunState state = ferry_run_get_state (result->run);

          /* PRIu64, not G_GUINT64_FORMAT: xgettext knows only <inttypes.h>'s macros. */
          /* Translators: a scheduled run's line: name, state, then counts */
          g_print (_("%s: %s (%" PRIu64 " copied, %" PRIu64 " unchanged, %" PRIu64 " failed)\n"),
                   name, ferry_run_state_get_label (state),
                   ferry_run_get_files_done (result->run), ferry_run_get_files_skipped (result->run),
                   ferry_run_get_files_failed (result->run));
          if (state != FERRY_RUN_STATE_COMPLETED)
            exit_code = FERRY_EXIT_PARTIAL;
        }
      else if (g_strcmp0 (result->result, "skipped") == 0)
        /* Translators: a transfer's name, then why its scheduled run was skipped */
        g_print (_("%s: skipped: %s\n"), name, result->error->message);
      else
        {
          g_print (_("%s: could not start: %s\n"), name, result->error->message);
          exit_code = FERRY_EXIT_PARTIAL;
        }
    }
  g_ptr_array_unref (ctx.results);
  return exit_code;
}

int
ferry_cli_schedule (int    argc,
                    char **argv)
{
  if (argc < 2)
    {
      fprintf (stderr, "%s\n", _("Usage:"));
      fprintf (stderr, "  ferry-cli schedule NAME --every hour|day|week|month [--at HH:MM] [--on DAY]\n");
      fprintf (stderr, "  ferry-cli schedule NAME --off\n");
      fprintf (stderr, "  ferry-cli schedule list [--json]\n");
      fprintf (stderr, "  ferry-cli schedule run-due\n");
      return FERRY_EXIT_USAGE;
    }
  if (strcmp (argv[1], "list") == 0 || strcmp (argv[1], "run-due") == 0)
    {
      g_autofree char *prgname = g_strdup_printf ("ferry-cli schedule %s", argv[1]);

      g_set_prgname (prgname);
      return strcmp (argv[1], "list") == 0 ? schedule_list (argc - 1, argv + 1)
                                           : schedule_run_due (argc - 1, argv + 1);
    }
  return schedule_set (argc, argv);
}
