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
#include "ferry-filter.h"
#include "ferry-error.h"
#include "ferry-run-history.h"
#include "ferry-schedule-store.h"
#include "ferry-transfer-lock.h"
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

/* Borrowed from `store`; NULL with a message and *exit_code 2 if absent. */
static FerryTransfer *
find_transfer (FerryTransferStore *store,
               const char         *name,
               int                *exit_code)
{
  FerryTransfer *transfer = ferry_transfer_store_find_by_name (store, name);

  if (transfer == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("no transfer named “%s”"), name);

      /* Said back, as for connectors: a typo shows where the user made it. */
      g_printerr ("ferry-cli: %s\n", message);
      g_printerr (_("Run “ferry-cli transfer list” to see the saved transfers.\n"));
      *exit_code = FERRY_EXIT_USAGE;
    }
  return transfer;
}

FerryTransfer *
ferry_cli_load_transfer (const char          *name,
                         FerryTransferStore **store,
                         int                 *exit_code)
{
  *store = ferry_cli_load_transfers (exit_code);
  if (*store == NULL)
    return NULL;
  return find_transfer (*store, name, exit_code);
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

/* What `transfer add` and `transfer edit` take; NULL for "not given". */
typedef struct
{
  char     *from;
  char     *to;
  char     *parallel;
  char     *existing;
  char    **includes;
  char    **excludes;
  gboolean  clear_filters;
  gboolean  skip_hidden;
  gboolean  no_skip_hidden;
  char     *max_size;
  gboolean  delete_extra;
  gboolean  no_delete;
  char     *bwlimit;
} TransferOptions;

static void
transfer_options_clear (TransferOptions *options)
{
  g_free (options->from);
  g_free (options->to);
  g_free (options->parallel);
  g_free (options->existing);
  g_strfreev (options->includes);
  g_strfreev (options->excludes);
  g_free (options->max_size);
  g_free (options->bwlimit);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TransferOptions, transfer_options_clear)

static void
add_option_entries (GOptionContext  *context,
                    TransferOptions *options,
                    gboolean         edit)
{
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &options->from, N_("Where to copy from"), N_("CONNECTOR:/PATH") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &options->to, N_("Where to copy to"), N_("CONNECTOR:/PATH") },
    { "parallel", 0, 0, G_OPTION_ARG_STRING, &options->parallel,
      N_("Connections at a time, 1 to 16, or auto: more while they make it faster (the default)"), N_("N|auto") },
    { "existing", 0, 0, G_OPTION_ARG_STRING, &options->existing,
      N_("What to do with files the destination has: skip-identical (default), overwrite, keep-both"), N_("POLICY") },
    { "include", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->includes,
      N_("Copy only what matches (repeatable; * and ? within a name, ** across folders)"), N_("GLOB") },
    { "exclude", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->excludes,
      N_("Leave out what matches (repeatable; wins over --include)"), N_("GLOB") },
    { "skip-hidden", 0, 0, G_OPTION_ARG_NONE, &options->skip_hidden,
      N_("Leave out files and folders whose names start with a dot"), NULL },
    { "max-size", 0, 0, G_OPTION_ARG_STRING, &options->max_size,
      N_("Leave out files larger than SIZE (512K, 2M, 1G; 0 for no limit)"), N_("SIZE") },
    { "delete", 0, 0, G_OPTION_ARG_NONE, &options->delete_extra,
      N_("Delete files at the destination that are gone from the source"), NULL },
    { "bwlimit", 0, 0, G_OPTION_ARG_STRING, &options->bwlimit,
      N_("Use at most RATE bytes per second for the whole transfer (512K, 2M; 0 for no limit)"), N_("RATE") },
    { NULL }
  };
  /* What only a saved transfer has to undo. */
  GOptionEntry edit_entries[] = {
    { "clear-filters", 0, 0, G_OPTION_ARG_NONE, &options->clear_filters,
      N_("Forget the saved --include and --exclude patterns first"), NULL },
    { "no-skip-hidden", 0, 0, G_OPTION_ARG_NONE, &options->no_skip_hidden, N_("Copy hidden files too"), NULL },
    { "no-delete", 0, 0, G_OPTION_ARG_NONE, &options->no_delete, N_("Never delete at the destination"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (edit)
    g_option_context_add_main_entries (context, edit_entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
}

/* Appends new patterns to the saved ones (none with --clear-filters). */
static void
apply_patterns (FerryTransfer       *transfer,
                const char * const  *saved,
                char               **added,
                gboolean             clear,
                void               (*set) (FerryTransfer *, const char * const *))
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) patterns = NULL;

  if (!clear && saved != NULL)
    g_strv_builder_addv (builder, (const char **) saved);
  if (added != NULL)
    g_strv_builder_addv (builder, (const char **) added);
  patterns = g_strv_builder_end (builder);
  set (transfer, (const char * const *) patterns);
}

/* Checks and applies every option given; the locations are left to the
 * caller, which resolves connectors. FALSE with a usage message printed. */
static gboolean
apply_options (FerryTransfer   *transfer,
               TransferOptions *options)
{
  FerryExistingPolicy policy;
  guint64 bytes;

  if (options->parallel != NULL)
    {
      guint64 n;

      if (g_strcmp0 (options->parallel, "auto") == 0)
        ferry_transfer_set_connections (transfer, FERRY_TRANSFER_CONNECTIONS_AUTO);
      else if (g_ascii_string_to_unsigned (options->parallel, 10, FERRY_TRANSFER_MIN_CONNECTIONS,
                                           FERRY_TRANSFER_MAX_CONNECTIONS, &n, NULL))
        ferry_transfer_set_connections (transfer, (guint) n);
      else
        {
          ferry_cli_usage_error (_("--parallel takes a number from %d to %d, or auto"),
                                 FERRY_TRANSFER_MIN_CONNECTIONS, FERRY_TRANSFER_MAX_CONNECTIONS);
          return FALSE;
        }
    }
  if (options->existing != NULL && !ferry_existing_policy_from_string (options->existing, &policy))
    {
      ferry_cli_usage_error (_("--existing takes skip-identical, overwrite or keep-both"));
      return FALSE;
    }
  if (options->existing != NULL)
    ferry_transfer_set_existing_policy (transfer, policy);
  if (options->includes != NULL || options->clear_filters)
    apply_patterns (transfer, ferry_transfer_get_includes (transfer), options->includes,
                    options->clear_filters, ferry_transfer_set_includes);
  if (options->excludes != NULL || options->clear_filters)
    apply_patterns (transfer, ferry_transfer_get_excludes (transfer), options->excludes,
                    options->clear_filters, ferry_transfer_set_excludes);
  if (options->skip_hidden || options->no_skip_hidden)
    ferry_transfer_set_skip_hidden (transfer, options->skip_hidden);
  if (options->max_size != NULL && !ferry_parse_size (options->max_size, &bytes))
    {
      ferry_cli_usage_error (_("--max-size takes a size like 512K, 2M or 1G"));
      return FALSE;
    }
  if (options->max_size != NULL)
    ferry_transfer_set_max_size (transfer, bytes);
  if (options->delete_extra || options->no_delete)
    ferry_transfer_set_delete_extra (transfer, options->delete_extra);
  if (options->bwlimit != NULL && !ferry_parse_size (options->bwlimit, &bytes))
    {
      ferry_cli_usage_error (_("--bwlimit takes a rate in bytes per second like 512K or 2M"));
      return FALSE;
    }
  if (options->bwlimit != NULL)
    ferry_transfer_set_bandwidth_limit (transfer, bytes);
  return TRUE;
}

/* Sets one end of the transfer from "CONNECTOR:/PATH". */
static gboolean
apply_location (FerryTransfer        *transfer,
                const char           *text,
                gboolean              source,
                FerryConnectorStore **connectors,
                int                  *exit_code)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  FerryConnector *connector;

  if (!split_location (text, &name, &path))
    {
      ferry_cli_usage_error (_("a location is CONNECTOR:/PATH, with an absolute path, like local:/srv/site"));
      *exit_code = FERRY_EXIT_USAGE;
      return FALSE;
    }
  connector = resolve_connector (connectors, name, exit_code);
  if (connector == NULL)
    return FALSE;
  if (source)
    {
      ferry_transfer_set_source_connector_id (transfer, ferry_connector_get_id (connector));
      ferry_transfer_set_source_path (transfer, path);
    }
  else
    {
      ferry_transfer_set_destination_connector_id (transfer, ferry_connector_get_id (connector));
      ferry_transfer_set_destination_path (transfer, path);
    }
  return TRUE;
}

/* The transfer's source, as set by --from, checked for real. */
static gboolean
check_transfer_source (FerryTransfer       *transfer,
                       FerryConnectorStore *connectors,
                       int                 *exit_code)
{
  FerryConnector *source = ferry_connector_store_find (connectors,
                                                       ferry_transfer_get_source_connector_id (transfer));

  g_assert (source != NULL);   /* apply_location() found it */
  return check_source_folder (connectors, source, ferry_transfer_get_source_path (transfer), exit_code);
}

static void
print_saved (FerryTransfer       *transfer,
             FerryConnectorStore *connectors)
{
  FerryConnector *source = ferry_connector_store_find (connectors,
                                                       ferry_transfer_get_source_connector_id (transfer));
  FerryConnector *destination = ferry_connector_store_find (connectors,
                                                            ferry_transfer_get_destination_connector_id (transfer));

  g_print (_("Saved transfer “%s”: %s:%s → %s:%s\n"), ferry_transfer_get_name (transfer),
           source != NULL ? ferry_connector_get_name (source) : ferry_transfer_get_source_connector_id (transfer),
           ferry_transfer_get_source_path (transfer),
           destination != NULL ? ferry_connector_get_name (destination)
                               : ferry_transfer_get_destination_connector_id (transfer),
           ferry_transfer_get_destination_path (transfer));
}

static int
transfer_add (int    argc,
              char **argv)
{
  g_auto(TransferOptions) options = { 0, };
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME — save a transfer between two connectors"));
  g_autoptr(FerryConnectorStore) connectors = NULL;
  g_autoptr(FerryTransferStore) transfers = NULL;
  g_autoptr(FerryTransfer) transfer = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code = FERRY_EXIT_OK;

  add_option_entries (context, &options, FALSE);
  if (!ferry_cli_parse_options (context, &argc, &argv, 1, _("one transfer NAME")))
    return FERRY_EXIT_USAGE;
  if (options.from == NULL || options.to == NULL)
    {
      ferry_cli_usage_error (_("both --from CONNECTOR:/PATH and --to CONNECTOR:/PATH are needed"));
      return FERRY_EXIT_USAGE;
    }
  transfer = ferry_transfer_new ();
  ferry_transfer_set_name (transfer, argv[1]);
  if (!apply_options (transfer, &options))
    return FERRY_EXIT_USAGE;
  if (!apply_location (transfer, options.from, TRUE, &connectors, &exit_code) ||
      !apply_location (transfer, options.to, FALSE, &connectors, &exit_code) ||
      !check_transfer_source (transfer, connectors, &exit_code))
    return exit_code;

  transfers = ferry_cli_load_transfers (&exit_code);
  if (transfers == NULL)
    return exit_code;
  if (!ferry_transfer_store_save (transfers, transfer, &error))
    return ferry_cli_fail_with (error);
  print_saved (transfer, connectors);
  return FERRY_EXIT_OK;
}

static int
transfer_edit (int    argc,
               char **argv)
{
  g_auto(TransferOptions) options = { 0, };
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME — change a saved transfer; what is not given stays"));
  g_autoptr(FerryConnectorStore) connectors = NULL;
  g_autoptr(FerryTransferStore) transfers = NULL;
  g_autoptr(FerryTransfer) changed = NULL;
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(GError) error = NULL;
  FerryTransfer *transfer;
  int exit_code = FERRY_EXIT_OK;

  add_option_entries (context, &options, TRUE);
  if (!ferry_cli_parse_options (context, &argc, &argv, 1, _("one transfer NAME")))
    return FERRY_EXIT_USAGE;
  transfer = ferry_cli_load_transfer (argv[1], &transfers, &exit_code);
  if (transfer == NULL)
    return exit_code;

  /* Changes go to a copy: a rejected edit leaves the saved one whole. */
  key_file = ferry_transfer_to_key_file (transfer);
  changed = ferry_transfer_new_from_key_file (key_file, &error);
  if (changed == NULL)
    return ferry_cli_fail_with (error);
  if (!apply_options (changed, &options))
    return FERRY_EXIT_USAGE;
  if ((options.from != NULL && !apply_location (changed, options.from, TRUE, &connectors, &exit_code)) ||
      (options.to != NULL && !apply_location (changed, options.to, FALSE, &connectors, &exit_code)) ||
      (options.from != NULL && !check_transfer_source (changed, connectors, &exit_code)))
    return exit_code;
  if (!ferry_transfer_store_save (transfers, changed, &error))
    return ferry_cli_fail_with (error);
  print_saved (changed, connectors);
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
add_patterns_json (JsonBuilder        *builder,
                   const char         *member,
                   const char * const *patterns)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; patterns != NULL && patterns[i] != NULL; i++)
    json_builder_add_string_value (builder, patterns[i]);
  json_builder_end_array (builder);
}

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
  /* A number, or "auto" for Connections: Automatic. */
  if (ferry_transfer_get_connections (transfer) == FERRY_TRANSFER_CONNECTIONS_AUTO)
    ferry_cli_json_string (builder, "parallel", "auto");
  else
    ferry_cli_json_int (builder, "parallel", ferry_transfer_get_connections (transfer));
  ferry_cli_json_string (builder, "existing",
                         ferry_existing_policy_to_string (ferry_transfer_get_existing_policy (transfer)));
  add_patterns_json (builder, "include", ferry_transfer_get_includes (transfer));
  add_patterns_json (builder, "exclude", ferry_transfer_get_excludes (transfer));
  json_builder_set_member_name (builder, "skip_hidden");
  json_builder_add_boolean_value (builder, ferry_transfer_get_skip_hidden (transfer));
  ferry_cli_json_int (builder, "max_size", (gint64) ferry_transfer_get_max_size (transfer));
  json_builder_set_member_name (builder, "delete");
  json_builder_add_boolean_value (builder, ferry_transfer_get_delete_extra (transfer));
  ferry_cli_json_int (builder, "bwlimit", (gint64) ferry_transfer_get_bandwidth_limit (transfer));
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

      /* The core's rule, not a copy of it. */
      if (ferry_transfer_needs_keyring (transfer))
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
      /* The latest copy: a verification copies nothing (`history` has it). */
      g_autoptr(FerryRunRecord) last = ferry_run_history_latest_of_kind (ferry_transfer_get_id (transfer),
                                                                         FERRY_RUN_KIND_COPY, NULL);
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
  g_autoptr(FerryTransferLock) lock = NULL;
  FerryTransfer *transfer;
  int exit_code = FERRY_EXIT_OK;

  if (!ferry_cli_parse_options (context, &argc, &argv, 1, _("one transfer NAME")))
    return FERRY_EXIT_USAGE;
  transfer = ferry_cli_load_transfer (argv[1], &transfers, &exit_code);
  if (transfer == NULL)
    return exit_code;

  name = g_strdup (ferry_transfer_get_name (transfer));
  id = g_strdup (ferry_transfer_get_id (transfer));
  /* Not while it runs elsewhere: its history is being written. */
  lock = ferry_transfer_lock_try (id, &error);
  if (lock == NULL)
    {
      /* Translators: a transfer's name, then why ("Another Ferry process is running it") */
      g_printerr (_("Cannot remove “%s”: %s.\n"), name, error->message);
      return FERRY_EXIT_USAGE;
    }
  g_clear_pointer (&lock, ferry_transfer_lock_release);
  if (!ferry_transfer_store_remove (transfers, transfer, &error))
    return ferry_cli_fail_with (error);
  /* The window's Undo and the CLI forget through the same core call. */
  if (!ferry_transfer_store_forget (id, &error))
    return ferry_cli_fail_with (error);
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
    { "edit", transfer_edit },
    { "list", transfer_list },
    { "remove", transfer_remove },
  };

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      FILE *out = argc < 2 ? stderr : stdout;

      fprintf (out, "%s\n", _("Usage:"));
      fprintf (out, "  ferry-cli transfer add NAME --from CONNECTOR:/PATH --to CONNECTOR:/PATH [--parallel N|auto]\n"
                    "                        [--existing POLICY] [--include GLOB]... [--exclude GLOB]...\n"
                    "                        [--skip-hidden] [--max-size SIZE] [--delete] [--bwlimit RATE]\n");
      fprintf (out, "  ferry-cli transfer edit NAME [any option of add] [--clear-filters]\n"
                    "                        [--no-skip-hidden] [--no-delete]\n");
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
