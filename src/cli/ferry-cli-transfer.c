/* ferry-cli-transfer.c: `ferry-cli transfer add|list|remove`: saved
 * migrations between two connectors, by name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "ferry-cli-engine.h"
#include "ferry-backend.h"
#include "ferry-error.h"
#include "ferry-run-history.h"
#include "ferry-transfer-store.h"

FerryTransferStore *
ferry_cli_load_transfers (int *exit_code)
{
  g_autoptr(FerryTransferStore) store = ferry_transfer_store_new ();
  g_autoptr(GError) error = NULL;

  if (!ferry_transfer_store_load (store, &error))
    {
      *exit_code = ferry_cli_fail_with (error);
      return NULL;
    }
  return g_steal_pointer (&store);
}

FerryTransfer *
ferry_cli_find_transfer (FerryTransferStore *store,
                         const char         *name,
                         int                *exit_code)
{
  FerryTransfer *transfer = ferry_transfer_store_find_by_name (store, name);

  if (transfer == NULL)
    {
      g_printerr ("ferry-cli: %s\n", _("no transfer by that name"));
      g_printerr (_("Run “ferry-cli transfer list” to see the saved transfers.\n"));
      *exit_code = FERRY_EXIT_USAGE;
    }
  return transfer;
}

/* "CONNECTOR:/path" → the connector's name and the absolute path. */
static gboolean
split_location (const char  *text,
                char       **connector,
                char       **path)
{
  const char *colon = strstr (text, ":/");

  if (colon == NULL || colon == text)
    return FALSE;
  *connector = g_strndup (text, colon - text);
  *path = g_strdup (colon + 1);
  /* "/srv/site/" and "/srv/site" are the same folder. */
  while (strlen (*path) > 1 && g_str_has_suffix (*path, "/"))
    (*path)[strlen (*path) - 1] = '\0';
  return TRUE;
}

/* "local" needs no keyring; any other name reads it once. */
static FerryConnector *
resolve_connector (FerryConnectorStore **store,
                   const char           *name,
                   int                  *exit_code)
{
  FerryConnector *connector = ferry_connector_store_find (NULL, name);

  if (connector != NULL)
    return connector;
  if (*store == NULL)
    {
      *store = ferry_cli_load_store (exit_code);
      if (*store == NULL)
        return NULL;
    }
  return ferry_cli_find_connector (*store, name, exit_code);
}

/* The source folder is there and is a folder, as the wizard's folder
 * chooser makes sure: a transfer from a missing folder would run "with
 * success" and copy nothing, and one from a file would copy it as a folder
 * holding itself. */
static gboolean
check_source_folder (FerryConnectorStore  *store,
                     FerryConnector       *source,
                     const char           *path,
                     int                  *exit_code)
{
  g_auto(FerryPassword) password = NULL;
  g_autoptr(FerryBackend) backend = NULL;
  g_autoptr(GError) error = NULL;

  if (ferry_connector_get_kind (source) != FERRY_CONNECTOR_KIND_LOCAL)
    {
      password = ferry_connector_store_lookup_password_sync (store, source, NULL, &error);
      if (password == NULL)
        {
          *exit_code = ferry_cli_fail_with (error);
          return FALSE;
        }
    }
  backend = ferry_backend_new (source, password, &error);
  if (backend == NULL || !ferry_backend_check_folder (backend, path, NULL, &error))
    {
      *exit_code = ferry_cli_fail_with (error);
      return FALSE;
    }
  return TRUE;
}

static int
transfer_add (int    argc,
              char **argv)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  int parallel = FERRY_TRANSFER_DEFAULT_CONNECTIONS;
  g_autofree char *existing = NULL;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("Where to copy from"), N_("CONNECTOR:/PATH") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("Where to copy to"), N_("CONNECTOR:/PATH") },
    { "parallel", 0, 0, G_OPTION_ARG_INT, &parallel, N_("Connections at a time, 1 to 16 (default 4)"), "N" },
    { "existing", 0, 0, G_OPTION_ARG_STRING, &existing,
      N_("What to do with files the destination has: skip-identical (default), overwrite, keep-both"), N_("POLICY") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME — save a transfer between two connectors"));
  g_autoptr(FerryConnectorStore) connectors = NULL;
  g_autoptr(FerryTransferStore) transfers = NULL;
  g_autoptr(FerryTransfer) transfer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *from_name = NULL;
  g_autofree char *from_path = NULL;
  g_autofree char *to_name = NULL;
  g_autofree char *to_path = NULL;
  FerryExistingPolicy policy = FERRY_EXISTING_SKIP_IDENTICAL;
  FerryConnector *source;
  FerryConnector *destination;
  int exit_code = FERRY_EXIT_OK;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!ferry_cli_parse_options (context, &argc, &argv, 1, _("one transfer NAME")))
    return FERRY_EXIT_USAGE;
  if (from == NULL || to == NULL)
    {
      ferry_cli_usage_error (_("both --from CONNECTOR:/PATH and --to CONNECTOR:/PATH are needed"));
      return FERRY_EXIT_USAGE;
    }
  if (!split_location (from, &from_name, &from_path) || !split_location (to, &to_name, &to_path))
    {
      ferry_cli_usage_error (_("a location is CONNECTOR:/PATH, with an absolute path, like local:/srv/site"));
      return FERRY_EXIT_USAGE;
    }
  if (parallel < FERRY_TRANSFER_MIN_CONNECTIONS || parallel > FERRY_TRANSFER_MAX_CONNECTIONS)
    {
      ferry_cli_usage_error (_("--parallel takes a number from %d to %d"),
                             FERRY_TRANSFER_MIN_CONNECTIONS, FERRY_TRANSFER_MAX_CONNECTIONS);
      return FERRY_EXIT_USAGE;
    }
  if (existing != NULL && !ferry_existing_policy_from_string (existing, &policy))
    {
      ferry_cli_usage_error (_("--existing takes skip-identical, overwrite or keep-both"));
      return FERRY_EXIT_USAGE;
    }

  source = resolve_connector (&connectors, from_name, &exit_code);
  if (source == NULL)
    return exit_code;
  destination = resolve_connector (&connectors, to_name, &exit_code);
  if (destination == NULL)
    return exit_code;

  if (!check_source_folder (connectors, source, from_path, &exit_code))
    return exit_code;

  transfers = ferry_cli_load_transfers (&exit_code);
  if (transfers == NULL)
    return exit_code;

  transfer = ferry_transfer_new ();
  ferry_transfer_set_name (transfer, argv[1]);
  ferry_transfer_set_source_connector_id (transfer, ferry_connector_get_id (source));
  ferry_transfer_set_source_path (transfer, from_path);
  ferry_transfer_set_destination_connector_id (transfer, ferry_connector_get_id (destination));
  ferry_transfer_set_destination_path (transfer, to_path);
  ferry_transfer_set_connections (transfer, parallel);
  ferry_transfer_set_existing_policy (transfer, policy);
  if (!ferry_transfer_store_save (transfers, transfer, &error))
    return ferry_cli_fail_with (error);

  g_print (_("Saved transfer “%s”: %s:%s → %s:%s\n"), ferry_transfer_get_name (transfer),
           ferry_connector_get_name (source), from_path,
           ferry_connector_get_name (destination), to_path);
  return FERRY_EXIT_OK;
}

/* A connector's name for display; its id when the keyring is not at hand or
 * the connector was removed. */
static const char *
connector_name (FerryConnectorStore *store,
                const char          *id)
{
  FerryConnector *connector = ferry_connector_store_find (store, id);

  return connector != NULL ? ferry_connector_get_name (connector) : id;
}

static char *
format_time (gint64 seconds)
{
  g_autoptr(GDateTime) when = seconds > 0 ? g_date_time_new_from_unix_utc (seconds) : NULL;

  return when != NULL ? g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

/* One transfer of `transfer list --json`: names, paths, options and the
 * latest run (null before the first). */
static void
add_transfer_json (JsonBuilder          *builder,
                   FerryTransfer        *transfer,
                   const char           *from,
                   const char           *to,
                   const FerryRunRecord *last)
{
  json_builder_begin_object (builder);
  ferry_cli_json_string (builder, "name", ferry_transfer_get_name (transfer));
  ferry_cli_json_string (builder, "id", ferry_transfer_get_id (transfer));
  json_builder_set_member_name (builder, "from");
  json_builder_begin_object (builder);
  ferry_cli_json_string (builder, "connector", from);
  ferry_cli_json_string (builder, "path", ferry_transfer_get_source_path (transfer));
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "to");
  json_builder_begin_object (builder);
  ferry_cli_json_string (builder, "connector", to);
  ferry_cli_json_string (builder, "path", ferry_transfer_get_destination_path (transfer));
  json_builder_end_object (builder);
  ferry_cli_json_int (builder, "parallel", ferry_transfer_get_connections (transfer));
  ferry_cli_json_string (builder, "existing",
                         ferry_existing_policy_to_string (ferry_transfer_get_existing_policy (transfer)));
  json_builder_set_member_name (builder, "last_run");
  if (last == NULL)
    json_builder_add_null_value (builder);
  else
    {
      g_autofree char *started = format_time (last->started);
      g_autofree char *ended = format_time (last->ended);

      json_builder_begin_object (builder);
      ferry_cli_json_string (builder, "state", ferry_run_state_to_string (last->state));
      ferry_cli_json_string (builder, "started", started != NULL ? started : "");
      ferry_cli_json_string (builder, "ended", ended);
      ferry_cli_json_int (builder, "files_copied", (gint64) last->files_done);
      ferry_cli_json_int (builder, "files_skipped", (gint64) last->files_skipped);
      ferry_cli_json_int (builder, "files_failed", (gint64) last->files_failed);
      ferry_cli_json_int (builder, "bytes_copied", (gint64) last->bytes_done);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

static int
transfer_list (int    argc,
               char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— list the saved transfers"));
  g_autoptr(FerryTransferStore) transfers = NULL;
  g_autoptr(FerryConnectorStore) connectors = NULL;
  g_autoptr(GString) out = g_string_new ("");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean needs_keyring = FALSE;
  int exit_code = FERRY_EXIT_OK;
  guint n;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!ferry_cli_parse_options (context, &argc, &argv, 0, _("no other words")))
    return FERRY_EXIT_USAGE;
  transfers = ferry_cli_load_transfers (&exit_code);
  if (transfers == NULL)
    return exit_code;

  n = g_list_model_get_n_items (G_LIST_MODEL (transfers));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FerryTransfer) transfer = g_list_model_get_item (G_LIST_MODEL (transfers), i);

      if (ferry_connector_store_find (NULL, ferry_transfer_get_source_connector_id (transfer)) == NULL
          || ferry_connector_store_find (NULL, ferry_transfer_get_destination_connector_id (transfer)) == NULL)
        needs_keyring = TRUE;
    }
  if (needs_keyring)
    {
      /* Names are nicer than ids, but a listing works without the keyring. */
      g_autoptr(FerryConnectorStore) store = ferry_connector_store_new ();

      if (ferry_connector_store_load_sync (store, NULL, NULL))
        connectors = g_steal_pointer (&store);
    }

  if (json)
    json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FerryTransfer) transfer = g_list_model_get_item (G_LIST_MODEL (transfers), i);
      g_autoptr(FerryRunRecord) last = ferry_run_history_latest (ferry_transfer_get_id (transfer), NULL);
      const char *from = connector_name (connectors, ferry_transfer_get_source_connector_id (transfer));
      const char *to = connector_name (connectors, ferry_transfer_get_destination_connector_id (transfer));

      if (json)
        add_transfer_json (builder, transfer, from, to, last);
      else
        g_string_append_printf (out, "%s\t%s:%s → %s:%s\t%s\n",
                                ferry_transfer_get_name (transfer),
                                from, ferry_transfer_get_source_path (transfer),
                                to, ferry_transfer_get_destination_path (transfer),
                                last ? ferry_run_state_get_label (last->state)
                                     : ferry_run_state_get_label (FERRY_RUN_STATE_IDLE));
    }
  if (json)
    {
      json_builder_end_array (builder);
      ferry_cli_print_json (builder);
      return FERRY_EXIT_OK;
    }
  if (n == 0)
    g_string_append_printf (out, "%s\n", _("No transfers yet. Add one with “ferry-cli transfer add”."));
  fputs (out->str, stdout);
  return FERRY_EXIT_OK;
}

static int
transfer_remove (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME — remove a saved transfer and its history"));
  g_autoptr(FerryTransferStore) transfers = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *id = NULL;
  FerryTransfer *transfer;
  int exit_code = FERRY_EXIT_OK;

  if (!ferry_cli_parse_options (context, &argc, &argv, 1, _("one transfer NAME")))
    return FERRY_EXIT_USAGE;
  transfers = ferry_cli_load_transfers (&exit_code);
  if (transfers == NULL)
    return exit_code;
  transfer = ferry_cli_find_transfer (transfers, argv[1], &exit_code);
  if (transfer == NULL)
    return exit_code;

  name = g_strdup (ferry_transfer_get_name (transfer));
  id = g_strdup (ferry_transfer_get_id (transfer));
  if (!ferry_transfer_store_remove (transfers, transfer, &error))
    return ferry_cli_fail_with (error);
  ferry_run_history_forget (id);
  g_print (_("Removed transfer “%s”.\n"), name);
  return FERRY_EXIT_OK;
}

int
ferry_cli_transfer (int    argc,
                    char **argv)
{
  static const struct {
    const char *name;
    FerryCliCommand run;
  } subcommands[] = {
    { "add", transfer_add },
    { "list", transfer_list },
    { "remove", transfer_remove },
  };

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      FILE *out = argc < 2 ? stderr : stdout;

      fprintf (out, "%s\n", _("Usage:"));
      fprintf (out, "  ferry-cli transfer add NAME --from CONNECTOR:/PATH --to CONNECTOR:/PATH [--parallel N]\n"
                    "                        [--existing POLICY]\n");
      fprintf (out, "  ferry-cli transfer list [--json]\n");
      fprintf (out, "  ferry-cli transfer remove NAME\n");
      fprintf (out, "\n%s\n", _("“local” is the built-in connector for this computer’s files."));
      return argc < 2 ? FERRY_EXIT_USAGE : FERRY_EXIT_OK;
    }
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (strcmp (argv[1], subcommands[i].name) == 0)
      {
        g_autofree char *prgname = g_strdup_printf ("ferry-cli transfer %s", argv[1]);

        g_set_prgname (prgname);
        return subcommands[i].run (argc - 1, argv + 1);
      }

  ferry_cli_usage_error (_("unknown transfer command “%s”"), argv[1]);
  return FERRY_EXIT_USAGE;
}
