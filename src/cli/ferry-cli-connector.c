/* ferry-cli-connector.c: `ferry-cli connector add|list|test|reauthorize|remove`.
 *
 * Connectors are checked for real before they are saved, untrusted
 * certificates and host keys are shown and pinned only on --trust, and
 * passwords come from stdin or the keyring, never from arguments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ferry-address.h"
#include "ferry-cli.h"
#include "ferry-connection-check.h"
#include "ferry-connector-store.h"
#include "ferry-error.h"

#define MAX_PASSWORD_BYTES 4096

/* --- small helpers ------------------------------------------------------------ */

static int
fail_with (const GError *error)
{
  ferry_cli_print_error (error);
  return ferry_cli_exit_for_error (error);
}

static FerryConnectorStore *
load_store (int *exit_code)
{
  g_autoptr(FerryConnectorStore) store = ferry_connector_store_new ();
  g_autoptr(GError) error = NULL;

  if (!ferry_connector_store_load_sync (store, NULL, &error))
    {
      *exit_code = fail_with (error);
      return NULL;
    }
  return g_steal_pointer (&store);
}

static FerryConnector *
find_connector (FerryConnectorStore *store,
                const char          *name,
                int                 *exit_code)
{
  FerryConnector *connector = ferry_connector_store_find_by_name (store, name);

  if (connector == NULL)
    {
      g_printerr ("ferry-cli: %s\n", _("no connector by that name"));
      g_printerr (_("Run “ferry-cli connector list” to see the saved connectors.\n"));
      *exit_code = FERRY_EXIT_USAGE;
    }
  return connector;
}

/* Reads the password from standard input: everything up to EOF, less one
 * trailing newline, so `printf '%s\n' "$PW" | ferry-cli …` works. */
static char *
read_password_stdin (GError **error)
{
  g_autoptr(GString) text = g_string_sized_new (64);
  char buffer[256];
  size_t n;
  char *password;

  while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
    {
      g_string_append_len (text, buffer, n);
      if (text->len > MAX_PASSWORD_BYTES)
        {
          explicit_bzero (text->str, text->len);
          g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                               _("the password on standard input is too long"));
          return NULL;
        }
    }
  explicit_bzero (buffer, sizeof buffer);
  if (text->len > 0 && text->str[text->len - 1] == '\n')
    g_string_truncate (text, text->len - 1);
  if (text->len > 0 && text->str[text->len - 1] == '\r')
    g_string_truncate (text, text->len - 1);
  if (memchr (text->str, '\0', text->len) != NULL || memchr (text->str, '\n', text->len) != NULL)
    {
      explicit_bzero (text->str, text->len);
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                           _("the password on standard input has more than one line"));
      return NULL;
    }
  password = g_strndup (text->str, text->len);
  explicit_bzero (text->str, text->len);
  return password;
}

/* A password string that is wiped when it goes out of scope. */
typedef char *FerryPassword;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (FerryPassword, ferry_password_free, NULL)

static gboolean
parse (GOptionContext *context,
       int            *argc,
       char         ***argv,
       int             n_positional,
       const char     *what)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      ferry_cli_usage_error ("%s", error->message);
      return FALSE;
    }
  if (*argc != n_positional + 1)
    {
      ferry_cli_usage_error (_("expected %s"), what);
      return FALSE;
    }
  return TRUE;
}

/* --- printing a check ----------------------------------------------------------- */

typedef struct
{
  FerryCheckState printed[FERRY_CHECK_N_STEPS];
  gboolean utf8;
} CheckPrinter;

static void
print_one (FerryConnectionCheck *check,
           guint                 step,
           CheckPrinter         *printer)
{
  FerryCheckState state = ferry_connection_check_get_step_state (check, step);
  const char *detail = ferry_connection_check_get_step_detail (check, step);
  const char *label = ferry_connection_check_get_step_label (check, step);

  printer->printed[step] = state;
  switch (state)
    {
    case FERRY_CHECK_STATE_PASSED:
      if (detail != NULL && *detail != '\0')
        g_print ("  %s %s — %s\n", printer->utf8 ? "✓" : "ok  ", label, detail);
      else
        g_print ("  %s %s\n", printer->utf8 ? "✓" : "ok  ", label);
      break;
    case FERRY_CHECK_STATE_FAILED:
      g_print ("  %s %s — %s\n", printer->utf8 ? "✗" : "FAIL", label, detail != NULL ? detail : "");
      break;
    case FERRY_CHECK_STATE_SKIPPED:
      g_print ("  %s %s (%s)\n", printer->utf8 ? "–" : "skip", label, _("not used by this type"));
      break;
    case FERRY_CHECK_STATE_PENDING:
    case FERRY_CHECK_STATE_RUNNING:
    default:
      break;
    }
}

/* Prints each step once, when it ends; a skipped step is printed in its
 * place, once a later step has ended. */
static void
print_step (FerryConnectionCheck *check,
            guint                 step,
            gpointer              user_data)
{
  CheckPrinter *printer = user_data;
  FerryCheckState state = ferry_connection_check_get_step_state (check, step);

  if (state == printer->printed[step] || state == FERRY_CHECK_STATE_PENDING
      || state == FERRY_CHECK_STATE_RUNNING || state == FERRY_CHECK_STATE_SKIPPED)
    return;
  for (guint i = 0; i < step; i++)
    if (ferry_connection_check_get_step_state (check, i) == FERRY_CHECK_STATE_SKIPPED
        && printer->printed[i] != FERRY_CHECK_STATE_SKIPPED)
      print_one (check, i, printer);
  print_one (check, step, printer);
}

static void
print_certificate (const FerryCertificate *certificate)
{
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;

  if (certificate->not_before != NULL)
    from = g_date_time_format (certificate->not_before, "%Y-%m-%d %H:%M UTC");
  if (certificate->not_after != NULL)
    until = g_date_time_format (certificate->not_after, "%Y-%m-%d %H:%M UTC");

  g_print ("\n%s\n", _("The server’s certificate:"));
  g_print ("  %-12s %s\n", _("Subject:"), certificate->subject);
  g_print ("  %-12s %s\n", _("Issuer:"), certificate->issuer);
  g_print ("  %-12s %s — %s\n", _("Valid:"), from != NULL ? from : "?", until != NULL ? until : "?");
  g_print ("  %-12s %s\n", _("SHA-256:"), certificate->fingerprint);
  if (certificate->trust_problem != NULL)
    g_print ("  %-12s %s\n", _("Problem:"), certificate->trust_problem);
}

static void
print_outcome (FerryConnectionCheck *check,
               const GError         *error,
               const char           *trust)
{
  const FerryCertificate *certificate = ferry_connection_check_get_certificate (check);
  const char *host_key = ferry_connection_check_get_host_key (check);
  const char *hint = ferry_connection_check_get_hint (check);

  if (error == NULL)
    return;

  if (hint != NULL)
    g_print ("\n%s\n", hint);

  if (g_error_matches (error, FERRY_ERROR, FERRY_ERROR_UNTRUSTED)
      || g_error_matches (error, FERRY_ERROR, FERRY_ERROR_PIN_MISMATCH))
    {
      if (certificate != NULL)
        print_certificate (certificate);
      else if (host_key != NULL)
        g_print ("\n%s\n  %s\n", _("The server’s host key fingerprint:"), host_key);

      if (g_error_matches (error, FERRY_ERROR, FERRY_ERROR_UNTRUSTED) && trust == NULL)
        g_print ("\n%s\n  --trust %s\n",
                 _("To trust exactly this one, run the command again with:"),
                 certificate != NULL ? certificate->fingerprint : host_key);
    }
}

/* Runs the check; with --trust, pins what the server presents when it is
 * exactly what the user named, and checks again. */
static gboolean
check_connector (FerryConnector  *connector,
                 const char      *password,
                 const char      *trust,
                 GError         **error)
{
  CheckPrinter printer = { .utf8 = g_get_charset (NULL) };
  g_autoptr(FerryConnectionCheck) check = NULL;
  g_autoptr(GError) local_error = NULL;
  const FerryCertificate *certificate;
  const char *host_key;
  gboolean matches;

  g_print (_("Checking %s…\n"), ferry_connector_get_name (connector));
  check = ferry_connection_check_new (connector, password, NULL);
  g_signal_connect (check, "step-changed", G_CALLBACK (print_step), &printer);
  if (ferry_connection_check_run_sync (check, NULL, &local_error))
    return TRUE;

  if (trust == NULL || !g_error_matches (local_error, FERRY_ERROR, FERRY_ERROR_UNTRUSTED))
    {
      print_outcome (check, local_error, trust);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  certificate = ferry_connection_check_get_certificate (check);
  host_key = ferry_connection_check_get_host_key (check);
  if (certificate != NULL)
    matches = ferry_certificate_matches (certificate, trust);
  else
      {
      g_autofree char *wanted = g_strstrip (g_strdup (trust));

      matches = host_key != NULL && g_str_equal (wanted, host_key);
    }

  if (!matches)
    {
      print_outcome (check, local_error, trust);
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_UNTRUSTED,
                   _("the fingerprint given with --trust is not the one the server presents; nothing was trusted"));
      return FALSE;
    }

  ferry_connector_set_pin (connector, ferry_connection_check_get_presented_pin (check));
  g_print (_("Trusting the presented key (%s) and checking again…\n"),
           certificate != NULL ? certificate->fingerprint : host_key);

  g_clear_object (&check);
  printer = (CheckPrinter) { .utf8 = printer.utf8 };
  check = ferry_connection_check_new (connector, password, NULL);
  g_signal_connect (check, "step-changed", G_CALLBACK (print_step), &printer);
  g_clear_error (&local_error);
  if (ferry_connection_check_run_sync (check, NULL, &local_error))
    return TRUE;
  print_outcome (check, local_error, trust);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* --- subcommands -------------------------------------------------------------- */

static gboolean
apply_fields (FerryConnector  *connector,
              const char      *type,
              const char      *server,
              const char      *port,
              const char      *user,
              GError         **error)
{
  FerryConnectorKind kind;
  guint16 port_number;

  if (type != NULL)
    {
      if (!ferry_connector_kind_from_string (type, &kind) || kind == FERRY_CONNECTOR_KIND_LOCAL)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                       _("unknown type “%s”; use ftp, ftps-explicit, ftps-implicit or sftp"), type);
          return FALSE;
        }
      ferry_connector_set_kind (connector, kind);
    }
  if (server != NULL)
    {
      g_autoptr(FerryAddress) address = ferry_address_parse (server, error);

      if (address == NULL)
        return FALSE;
      /* An explicit --type wins over a scheme in the address. */
      if (address->has_kind && type == NULL)
        ferry_connector_set_kind (connector, address->kind);
      ferry_connector_set_server (connector, address->host);
      if (address->port != 0)
        ferry_connector_set_port (connector, address->port);
      if (address->username != NULL)
        ferry_connector_set_username (connector, address->username);
    }
  if (port != NULL)
    {
      if (!ferry_address_parse_port (port, &port_number, error))
        return FALSE;
      ferry_connector_set_port (connector, port_number);
    }
  if (user != NULL)
    ferry_connector_set_username (connector, user);
  return ferry_connector_validate (connector, error);
}

static int
connector_add (int    argc,
               char **argv)
{
  g_autofree char *type = NULL;
  g_autofree char *server = NULL;
  g_autofree char *port = NULL;
  g_autofree char *user = NULL;
  g_autofree char *trust = NULL;
  gboolean password_stdin = FALSE;
  const GOptionEntry entries[] = {
    { "type", 0, 0, G_OPTION_ARG_STRING, &type, N_("ftp, ftps-explicit, ftps-implicit or sftp"), N_("TYPE") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("Server name, address or URL"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_STRING, &port, N_("Port (default: the type’s)"), N_("N") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("User name"), N_("USER") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin, N_("Read the password from standard input"), NULL },
    { "trust", 0, 0, G_OPTION_ARG_STRING, &trust, N_("Trust the certificate or host key with this SHA-256 fingerprint"), N_("FINGERPRINT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME — authorize and save a connector"));
  g_autoptr(FerryConnectorStore) store = NULL;
  g_autoptr(FerryConnector) connector = NULL;
  g_auto(FerryPassword) password = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code = FERRY_EXIT_OK;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse (context, &argc, &argv, 1, _("one connector NAME")))
    return FERRY_EXIT_USAGE;
  if (server == NULL)
    {
      ferry_cli_usage_error (_("--server is required"));
      return FERRY_EXIT_USAGE;
    }
  if (type == NULL && strstr (server, "://") == NULL)
    {
      ferry_cli_usage_error (_("--type is required (ftp, ftps-explicit, ftps-implicit or sftp)"));
      return FERRY_EXIT_USAGE;
    }

  connector = ferry_connector_new (FERRY_CONNECTOR_KIND_FTP);
  ferry_connector_set_name (connector, argv[1]);
  if (!apply_fields (connector, type, server, port, user, &error))
    return fail_with (error);

  store = load_store (&exit_code);
  if (store == NULL)
    return exit_code;
  if (ferry_connector_store_find_by_name (store, ferry_connector_get_name (connector)) != NULL)
    {
      g_printerr (_("ferry-cli: a connector named “%s” already exists; choose another name, or use "
                    "“connector reauthorize”\n"), ferry_connector_get_name (connector));
      return FERRY_EXIT_USAGE;
    }

  if (password_stdin && (password = read_password_stdin (&error)) == NULL)
    return fail_with (error);

  if (!check_connector (connector, password, trust, &error))
    return fail_with (error);

  if (!ferry_connector_store_save_sync (store, connector, password, NULL, &error))
    return fail_with (error);

  g_print (_("Saved connector “%s” in the keyring.\n"), ferry_connector_get_name (connector));
  return FERRY_EXIT_OK;
}

static int
connector_test (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME — check a saved connector again"));
  g_autoptr(FerryConnectorStore) store = NULL;
  g_auto(FerryPassword) password = NULL;
  g_autoptr(GError) error = NULL;
  FerryConnector *connector;
  int exit_code = FERRY_EXIT_OK;

  if (!parse (context, &argc, &argv, 1, _("one connector NAME")))
    return FERRY_EXIT_USAGE;
  store = load_store (&exit_code);
  if (store == NULL)
    return exit_code;
  connector = find_connector (store, argv[1], &exit_code);
  if (connector == NULL)
    return exit_code;

  password = ferry_connector_store_lookup_password_sync (store, connector, NULL, &error);
  if (password == NULL)
    return fail_with (error);
  if (!check_connector (connector, password, NULL, &error))
    return fail_with (error);

  g_print (_("The connection works.\n"));
  return FERRY_EXIT_OK;
}

static int
connector_reauthorize (int    argc,
                       char **argv)
{
  g_autofree char *type = NULL;
  g_autofree char *server = NULL;
  g_autofree char *port = NULL;
  g_autofree char *user = NULL;
  g_autofree char *trust = NULL;
  gboolean password_stdin = FALSE;
  const GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("New user name"), N_("USER") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("New server name, address or URL"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_STRING, &port, N_("New port"), N_("N") },
    { "type", 0, 0, G_OPTION_ARG_STRING, &type, N_("New type"), N_("TYPE") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin, N_("Read the password from standard input"), NULL },
    { "trust", 0, 0, G_OPTION_ARG_STRING, &trust, N_("Trust the certificate or host key with this SHA-256 fingerprint"), N_("FINGERPRINT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME — check again with a new password or fields, and save in place"));
  g_autoptr(FerryConnectorStore) store = NULL;
  g_autoptr(FerryConnector) edited = NULL;
  g_auto(FerryPassword) password = NULL;
  g_autoptr(GError) error = NULL;
  FerryConnector *connector;
  int exit_code = FERRY_EXIT_OK;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse (context, &argc, &argv, 1, _("one connector NAME")))
    return FERRY_EXIT_USAGE;
  if (!password_stdin)
    {
      ferry_cli_usage_error (_("--password-stdin is required: reauthorizing means giving the password again"));
      return FERRY_EXIT_USAGE;
    }

  store = load_store (&exit_code);
  if (store == NULL)
    return exit_code;
  connector = find_connector (store, argv[1], &exit_code);
  if (connector == NULL)
    return exit_code;

  edited = ferry_connector_copy (connector);
  if (!apply_fields (edited, type, server, port, user, &error))
    return fail_with (error);
  /* A new server or a --trust means the old pin no longer speaks for it. */
  if (server != NULL || trust != NULL)
    ferry_connector_set_pin (edited, NULL);

  password = read_password_stdin (&error);
  if (password == NULL)
    return fail_with (error);
  if (!check_connector (edited, password, trust, &error))
    return fail_with (error);
  if (!ferry_connector_store_save_sync (store, edited, password, NULL, &error))
    return fail_with (error);

  g_print (_("Reauthorized “%s”.\n"), ferry_connector_get_name (edited));
  return FERRY_EXIT_OK;
}

static int
connector_remove (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME — remove a connector from the keyring"));
  g_autoptr(FerryConnectorStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  FerryConnector *connector;
  int exit_code = FERRY_EXIT_OK;

  if (!parse (context, &argc, &argv, 1, _("one connector NAME")))
    return FERRY_EXIT_USAGE;
  store = load_store (&exit_code);
  if (store == NULL)
    return exit_code;
  connector = find_connector (store, argv[1], &exit_code);
  if (connector == NULL)
    return exit_code;

  name = g_strdup (ferry_connector_get_name (connector));
  if (!ferry_connector_store_remove_sync (store, connector, NULL, &error))
    return fail_with (error);
  g_print (_("Removed connector “%s”.\n"), name);
  return FERRY_EXIT_OK;
}

static int
connector_list (int    argc,
                char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— list saved connectors"));
  g_autoptr(FerryConnectorStore) store = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  int exit_code = FERRY_EXIT_OK;
  guint n;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse (context, &argc, &argv, 0, _("no arguments")))
    return FERRY_EXIT_USAGE;
  store = load_store (&exit_code);
  if (store == NULL)
    return exit_code;

  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  if (json)
    {
      g_string_append_c (out, '[');
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(FerryConnector) c = g_list_model_get_item (G_LIST_MODEL (store), i);
          const char *username = ferry_connector_get_username (c);

          g_string_append (out, i == 0 ? "\n  {" : ",\n  {");
          g_string_append (out, "\"id\": ");
          ferry_cli_json_string (out, ferry_connector_get_id (c));
          g_string_append (out, ", \"name\": ");
          ferry_cli_json_string (out, ferry_connector_get_name (c));
          g_string_append (out, ", \"type\": ");
          ferry_cli_json_string (out, ferry_connector_kind_to_string (ferry_connector_get_kind (c)));
          g_string_append (out, ", \"server\": ");
          ferry_cli_json_string (out, ferry_connector_get_server (c));
          g_string_append_printf (out, ", \"port\": %u, \"username\": ", ferry_connector_get_port (c));
          ferry_cli_json_string (out, username != NULL ? username : "");
          g_string_append_printf (out, ", \"pinned\": %s}",
                                  ferry_connector_get_pin (c) != NULL ? "true" : "false");
        }
      g_string_append (out, n > 0 ? "\n]\n" : "]\n");
      fputs (out->str, stdout);
      return FERRY_EXIT_OK;
    }

  if (n == 0)
    {
      g_print (_("No connectors yet. Add one with “ferry-cli connector add”.\n"));
      return FERRY_EXIT_OK;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FerryConnector) c = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autofree char *display = ferry_connector_dup_display (c);

      g_print ("%-24s %-14s %s:%u%s\n", ferry_connector_get_name (c),
               ferry_connector_kind_to_string (ferry_connector_get_kind (c)), display,
               ferry_connector_get_port (c),
               ferry_connector_get_pin (c) != NULL ? _("  (pinned)") : "");
    }
  return FERRY_EXIT_OK;
}

int
ferry_cli_connector (int    argc,
                     char **argv)
{
  static const struct
  {
    const char *name;
    FerryCliCommand run;
  } subcommands[] = {
    { "add", connector_add },
    { "list", connector_list },
    { "test", connector_test },
    { "reauthorize", connector_reauthorize },
    { "remove", connector_remove },
  };

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      FILE *out = argc < 2 ? stderr : stdout;

      fprintf (out, "%s\n", _("Usage:"));
      fprintf (out, "  ferry-cli connector add NAME --type TYPE --server HOST [--port N] [--user USER]\n"
                    "                        [--password-stdin] [--trust FINGERPRINT]\n"
                    "  ferry-cli connector list [--json]\n"
                    "  ferry-cli connector test NAME\n"
                    "  ferry-cli connector reauthorize NAME [--user USER] --password-stdin [--trust FINGERPRINT]\n"
                    "  ferry-cli connector remove NAME\n");
      return argc < 2 ? FERRY_EXIT_USAGE : FERRY_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (g_str_equal (argv[1], subcommands[i].name))
      {
        g_autofree char *prgname = g_strdup_printf ("ferry-cli connector %s", argv[1]);

        g_set_prgname (prgname);
        return subcommands[i].run (argc - 1, argv + 1);
      }

  ferry_cli_usage_error (_("unknown connector command “%s”"), argv[1]);
  return FERRY_EXIT_USAGE;
}
