/* ferry-cli-connector-check.c: `ferry-cli connector add|test|reauthorize`,
 * the subcommands that run the connection check.
 *
 * Owned by the "check" area (src/core/ferry-connection-check.c and friends);
 * the dispatcher, list, remove and the shared helpers are in
 * ferry-cli-connector.c. Connectors are checked for real before they are
 * saved, untrusted certificates and host keys are shown and pinned only on
 * --trust, and passwords come from stdin or the keyring, never from arguments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-address.h"
#include "ferry-cli.h"
#include "ferry-tls.h"
#include "ferry-connection-check.h"
#include "ferry-connector-store.h"
#include "ferry-error.h"

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
    if (ferry_connection_check_has_step (check, i)
        && ferry_connection_check_get_step_state (check, i) == FERRY_CHECK_STATE_SKIPPED
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
    g_print ("  %-12s %s\n", _("Problem:"), ferry_tls_describe_trust_problem (certificate->trust_problem));
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

/* What the server offers, after a check that passed (the login folder
 * among it: FTP paths are absolute from the server's root). */
static void
print_capabilities (FerryConnectionCheck *check)
{
  const char *capabilities = ferry_connection_check_get_capabilities (check);

  if (capabilities != NULL)
    g_print ("\n%s\n  %s\n", _("The server offers:"), capabilities);
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
    {
      print_capabilities (check);
      return TRUE;
    }

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
    {
      print_capabilities (check);
      return TRUE;
    }
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
              const char      *domain,
              GError         **error)
{
  FerryConnectorKind kind;
  guint16 port_number;

  if (type != NULL)
    {
      if (!ferry_connector_kind_from_string (type, &kind) || kind == FERRY_CONNECTOR_KIND_LOCAL)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                       _("unknown type “%s”; use ftp, ftps-explicit, ftps-implicit, sftp, webdav, webdavs, smb or gio"),
                       type);
          return FALSE;
        }
      ferry_connector_set_kind (connector, kind);
    }
  /* An explicit --type wins over a scheme in the address. */
  if (server != NULL && !ferry_connector_set_address (connector, server, type != NULL, error))
    return FALSE;
  if (port != NULL)
    {
      if (!ferry_address_parse_port (port, &port_number, error))
        return FALSE;
      ferry_connector_set_port (connector, port_number);
    }
  if (user != NULL)
    ferry_connector_set_username (connector, user);
  if (domain != NULL)
    ferry_connector_set_domain (connector, domain);
  return ferry_connector_validate (connector, error);
}

int
ferry_cli_connector_add (int    argc,
                         char **argv)
{
  g_autofree char *type = NULL;
  g_autofree char *server = NULL;
  g_autofree char *port = NULL;
  g_autofree char *user = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *trust = NULL;
  gboolean password_stdin = FALSE;
  const GOptionEntry entries[] = {
    { "type", 0, 0, G_OPTION_ARG_STRING, &type, N_("ftp, ftps-explicit, ftps-implicit, sftp, webdav, webdavs, smb or gio"), N_("TYPE") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("Server name, address or URL"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_STRING, &port, N_("Port (default: the type’s)"), N_("N") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("User name"), N_("USER") },
    { "domain", 0, 0, G_OPTION_ARG_STRING, &domain, N_("SMB only: the Windows domain or workgroup"), N_("DOMAIN") },
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
  if (!ferry_cli_parse_options (context, &argc, &argv, 1, _("one connector NAME")))
    return FERRY_EXIT_USAGE;
  if (server == NULL)
    {
      ferry_cli_usage_error (_("--server is required"));
      return FERRY_EXIT_USAGE;
    }
  if (type == NULL && strstr (server, "://") == NULL)
    {
      ferry_cli_usage_error (_("--type is required (ftp, ftps-explicit, ftps-implicit, sftp, webdav, webdavs, smb or gio)"));
      return FERRY_EXIT_USAGE;
    }

  connector = ferry_connector_new (FERRY_CONNECTOR_KIND_FTP);
  ferry_connector_set_name (connector, argv[1]);
  if (!apply_fields (connector, type, server, port, user, domain, &error))
    return ferry_cli_fail_with (error);

  store = ferry_cli_load_store (&exit_code);
  if (store == NULL)
    return exit_code;
  if (ferry_connector_store_find_by_name (store, ferry_connector_get_name (connector)) != NULL)
    {
      g_printerr (_("ferry-cli: a connector named “%s” already exists; choose another name, or use "
                    "“connector reauthorize”\n"), ferry_connector_get_name (connector));
      return FERRY_EXIT_USAGE;
    }

  if (password_stdin && (password = ferry_cli_read_password_stdin (&error)) == NULL)
    return ferry_cli_fail_with (error);

  if (!check_connector (connector, password, trust, &error))
    return ferry_cli_fail_with (error);

  if (!ferry_connector_store_save_sync (store, connector, password, NULL, &error))
    return ferry_cli_fail_with (error);

  g_print (_("Saved connector “%s” in the keyring.\n"), ferry_connector_get_name (connector));
  return FERRY_EXIT_OK;
}

int
ferry_cli_connector_test (int    argc,
                          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME — check a saved connector again"));
  g_autoptr(FerryConnectorStore) store = NULL;
  g_auto(FerryPassword) password = NULL;
  g_autoptr(GError) error = NULL;
  FerryConnector *connector;
  int exit_code = FERRY_EXIT_OK;

  if (!ferry_cli_parse_options (context, &argc, &argv, 1, _("one connector NAME")))
    return FERRY_EXIT_USAGE;
  store = ferry_cli_load_store (&exit_code);
  if (store == NULL)
    return exit_code;
  connector = ferry_cli_find_connector (store, argv[1], &exit_code);
  if (connector == NULL)
    return exit_code;

  password = ferry_connector_store_lookup_password_sync (store, connector, NULL, &error);
  if (password == NULL)
    return ferry_cli_fail_with (error);
  if (!check_connector (connector, password, NULL, &error))
    return ferry_cli_fail_with (error);

  g_print (_("The connection works.\n"));
  return FERRY_EXIT_OK;
}

int
ferry_cli_connector_reauthorize (int    argc,
                                 char **argv)
{
  g_autofree char *type = NULL;
  g_autofree char *server = NULL;
  g_autofree char *port = NULL;
  g_autofree char *user = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *trust = NULL;
  gboolean password_stdin = FALSE;
  const GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("New user name"), N_("USER") },
    { "domain", 0, 0, G_OPTION_ARG_STRING, &domain, N_("New domain or workgroup (SMB)"), N_("DOMAIN") },
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
  if (!ferry_cli_parse_options (context, &argc, &argv, 1, _("one connector NAME")))
    return FERRY_EXIT_USAGE;
  if (!password_stdin)
    {
      ferry_cli_usage_error (_("--password-stdin is required: reauthorizing means giving the password again"));
      return FERRY_EXIT_USAGE;
    }

  store = ferry_cli_load_store (&exit_code);
  if (store == NULL)
    return exit_code;
  connector = ferry_cli_find_connector (store, argv[1], &exit_code);
  if (connector == NULL)
    return exit_code;

  edited = ferry_connector_copy (connector);
  if (!apply_fields (edited, type, server, port, user, domain, &error))
    return ferry_cli_fail_with (error);
  /* A new server or a --trust means the old pin no longer speaks for it. */
  if (server != NULL || trust != NULL)
    ferry_connector_set_pin (edited, NULL);

  password = ferry_cli_read_password_stdin (&error);
  if (password == NULL)
    return ferry_cli_fail_with (error);
  if (!check_connector (edited, password, trust, &error))
    return ferry_cli_fail_with (error);
  if (!ferry_connector_store_save_sync (store, edited, password, NULL, &error))
    return ferry_cli_fail_with (error);

  g_print (_("Reauthorized “%s”.\n"), ferry_connector_get_name (edited));
  return FERRY_EXIT_OK;
}
