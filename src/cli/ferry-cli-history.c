/* ferry-cli-history.c: `ferry-cli history NAME [--json]`, every run of a
 * transfer, newest first, copies and verifications alike, each in the
 * words of its kind: the text form says what the window's History says
 * ("Verified · all 184 files match"), and --json gives the same as data:
 * id, kind, started, finished (ISO 8601, UTC), result and the counts of
 * that kind (copied, skipped, failed, bytes; or matches, missing,
 * differs, extra).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "ferry-cli.h"
#include "ferry-cli-engine.h"
#include "ferry-enums.h"
#include "ferry-nick.h"
#include "ferry-run-history.h"

static char *
iso_time (gint64 unix_time)
{
  g_autoptr(GDateTime) when = unix_time > 0 ? g_date_time_new_from_unix_utc (unix_time) : NULL;

  return when != NULL ? g_date_time_format_iso8601 (when) : NULL;
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       unix_time)
{
  g_autofree char *text = iso_time (unix_time);

  json_builder_set_member_name (builder, name);
  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

static void
add_count (JsonBuilder *builder,
           const char  *name,
           guint64      value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, (gint64) MIN (value, (guint64) G_MAXINT64));
}

static void
print_json (GPtrArray *records)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < records->len; i++)
    {
      FerryRunRecord *record = g_ptr_array_index (records, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, record->run_id);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, ferry_enum_to_nick (FERRY_TYPE_RUN_KIND, record->kind));
      add_time (builder, "started", record->started);
      add_time (builder, "finished", record->ended);
      json_builder_set_member_name (builder, "result");
      json_builder_add_string_value (builder, ferry_enum_to_nick (FERRY_TYPE_RUN_RESULT,
                                                                  ferry_run_record_get_result (record)));
      if (record->kind == FERRY_RUN_KIND_VERIFY)
        {
          /* A verification counts the files alike as done. */
          add_count (builder, "matches", record->files_done);
          add_count (builder, "missing", record->files_missing);
          add_count (builder, "differs", record->files_differing);
          add_count (builder, "extra", record->files_extra);
          add_count (builder, "failed", record->files_failed);
        }
      else
        {
          add_count (builder, "copied", record->files_done);
          add_count (builder, "skipped", record->files_skipped);
          add_count (builder, "failed", record->files_failed);
          add_count (builder, "bytes", record->bytes_done);
          if (record->files_deleted > 0)
            add_count (builder, "deleted", record->files_deleted);
        }
      if (record->message != NULL)
        ferry_cli_json_string (builder, "message", record->message);
      if (record->scheduled)
        {
          json_builder_set_member_name (builder, "scheduled");
          json_builder_add_boolean_value (builder, TRUE);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  ferry_cli_print_json (builder);
}

static void
print_text (GPtrArray *records)
{
  for (guint i = 0; i < records->len; i++)
    {
      FerryRunRecord *record = g_ptr_array_index (records, i);
      g_autoptr(GDateTime) started = g_date_time_new_from_unix_local (record->started);
      g_autofree char *when = started != NULL ? g_date_time_format (started, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
      g_autofree char *what = ferry_run_record_describe (record);

      /* Translators: a line of `ferry-cli history`: start time (local),
       * then the run as History words it */
      printf (_("%s  %s%s\n"), when, what, record->scheduled ? _(" · Scheduled") : "");
    }
}

int
ferry_cli_history (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME — every run of a transfer, newest first"));
  g_autoptr(FerryTransferStore) transfers = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  FerryTransfer *transfer;
  int exit_code = FERRY_EXIT_OK;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the runs as one JSON array"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!ferry_cli_parse_options (context, &argc, &argv, 1, _("one transfer NAME")))
    return FERRY_EXIT_USAGE;
  transfer = ferry_cli_load_transfer (argv[1], &transfers, &exit_code);
  if (transfer == NULL)
    return exit_code;
  records = ferry_run_history_list (ferry_transfer_get_id (transfer), &error);
  if (records == NULL)
    return ferry_cli_fail_with (error);
  if (json)
    print_json (records);
  else if (records->len == 0)
    g_print ("%s\n", _("This transfer has not run yet"));
  else
    print_text (records);
  return FERRY_EXIT_OK;
}
