/* ferry-cli.c: entry point of ferry-cli, the terminal front end of the Ferry
 * engine. It only parses words and maps results to the exit codes of the
 * contract in DESIGN.md; every rule lives in src/core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ferry-cli.h"
#include "ferry-cli-engine.h"
#include "ferry-error.h"

typedef struct
{
  const char *name;
  FerryCliCommand run;
  const char *summary;
} CommandEntry;

static const CommandEntry commands[] = {
  { "connector", ferry_cli_connector, N_("Authorize, list, test and remove connectors") },
  { "transfer", ferry_cli_transfer, N_("Add, list and remove transfers") },
  { "run", ferry_cli_run, N_("Run a transfer, copying what is new or changed") },
  { "history", ferry_cli_history, N_("List every run of a transfer, copies and verifications, newest first") },
  { "log", ferry_cli_log, N_("Show the log of a transfer’s latest run") },
  { "report", ferry_cli_report, N_("Print the Migration Report of a run as CSV or JSON") },
  { "schedule", ferry_cli_schedule, N_("Run transfers on a schedule, even with the window closed") },
  { "verify", ferry_cli_verify, N_("Check that a transfer’s destination matches its source") },
};

static void
print_help (FILE *out)
{
  fprintf (out, "%s\n  ferry-cli [OPTION…] COMMAND [ARGUMENT…]\n\n", _("Usage:"));
  fprintf (out, "%s\n\n", _("Move files between FTP, FTPS, SFTP servers and this computer."));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Options:"));
  fprintf (out, "  -h, --help     %s\n", _("Show this help and exit"));
  fprintf (out, "  --version      %s\n", _("Show the version and exit"));
  fprintf (out, "\n%s\n", _("Run “ferry-cli COMMAND --help” for the options of a command."));
  fprintf (out, "\n%s\n", _("Exit status: 0 success, 1 some files failed, 2 bad usage or input, "
                            "3 could not connect, log in or trust the server, 4 keyring unavailable, "
                            "130 or 143 stopped by Ctrl-C or SIGTERM."));
}

int
ferry_cli_exit_for_error (const GError *error)
{
  if (error == NULL)
    return FERRY_EXIT_OK;
  if (error->domain != FERRY_ERROR)
    return FERRY_EXIT_USAGE;

  switch ((FerryError) error->code)
    {
    case FERRY_ERROR_KEYRING:
      return FERRY_EXIT_KEYRING;

    case FERRY_ERROR_RESOLVE:
    case FERRY_ERROR_CONNECT:
    case FERRY_ERROR_TLS:
    case FERRY_ERROR_UNTRUSTED:
    case FERRY_ERROR_PIN_MISMATCH:
    case FERRY_ERROR_TLS_REQUIRED:
    case FERRY_ERROR_LOGIN:
    case FERRY_ERROR_DATA_CHANNEL:
    case FERRY_ERROR_TOO_MANY:
      return FERRY_EXIT_CONNECT;

    case FERRY_ERROR_INVALID_INPUT:
    case FERRY_ERROR_EXISTS:
    case FERRY_ERROR_NOT_FOUND:
      return FERRY_EXIT_USAGE;

    case FERRY_ERROR_FAILED:
    case FERRY_ERROR_PERMISSION:
    case FERRY_ERROR_BAD_NAME:
    case FERRY_ERROR_NO_SPACE:
    case FERRY_ERROR_TRANSIENT:
    case FERRY_ERROR_CANCELLED:
    case FERRY_ERROR_PROTOCOL:
    default:
      return FERRY_EXIT_PARTIAL;
    }
}

void
ferry_cli_print_error (const GError *error)
{
  g_printerr ("ferry-cli: %s\n", error->message);
}

void
ferry_cli_usage_error (const char *format,
                       ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("ferry-cli: %s\n", message);
  /* Inside a command, g_get_prgname() is "ferry-cli connector add": point
   * at the help that lists that command's options. */
  if (g_strcmp0 (g_get_prgname (), "ferry-cli") != 0 && g_str_has_prefix (g_get_prgname (), "ferry-cli "))
    g_printerr (_("Run “%s --help” to see its options.\n"), g_get_prgname ());
  else
    g_printerr ("%s\n", _("Run “ferry-cli --help” to see the commands."));
}

gboolean
ferry_cli_use_color (int fd)
{
  const char *no_color = g_getenv ("NO_COLOR");

  if (no_color != NULL && no_color[0] != '\0')
    return FALSE;
  if (g_strcmp0 (g_getenv ("TERM"), "dumb") == 0)
    return FALSE;
  return isatty (fd);
}

void
ferry_cli_json_string (JsonBuilder *builder,
                       const char  *member,
                       const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
ferry_cli_json_int (JsonBuilder *builder,
                    const char  *member,
                    gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

void
ferry_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  /* Not g_print(): JSON is UTF-8 whatever the locale's charset. */
  fputs (text, stdout);
  fputc ('\n', stdout);
}

/* The command is done and its output written: what exit() would still do
 * is run the destructors of every library the process loaded, about 140
 * in an SMB run (Samba's, GnuTLS's, ICU's, libldap's …). They free memory
 * the end of the process frees anyway, and fault in code pages no call
 * touched before: 1.1 MiB of them after an SMB run, which made the
 * process's peak memory come at its exit (bench/README.md, "The SMB
 * job"). So the process ends here, its stdio streams flushed as exit()
 * flushes them. A build with AddressSanitizer (build-aux/ferry-dev test)
 * exits normally: LeakSanitizer looks for leaks in exit(). */
#if defined(__SANITIZE_ADDRESS__)
#define FAST_EXIT 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FAST_EXIT 0
#endif
#endif
#ifndef FAST_EXIT
#define FAST_EXIT 1
#endif

static int
end_process (int status)
{
  if (!FAST_EXIT)
    return status;
  fflush (NULL);
  _exit (status);
}

int
main (int   argc,
      char *argv[])
{
  const char *name;
  const char *localedir = g_getenv ("FERRY_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* A build tree's translations (meson devenv and the tests set it). */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("ferry-cli");
  /* stdout is for results scripts read; G_MESSAGES_DEBUG output (the
   * protocol trace, PASS masked) goes to stderr with the warnings. */
  g_log_writer_default_set_use_stderr (TRUE);

  if (argc < 2)
    {
      print_help (stderr);
      return FERRY_EXIT_USAGE;
    }

  name = argv[1];
  if (strcmp (name, "--help") == 0 || strcmp (name, "-h") == 0 || strcmp (name, "help") == 0)
    {
      print_help (stdout);
      return FERRY_EXIT_OK;
    }
  if (strcmp (name, "--version") == 0)
    {
      g_print ("ferry-cli %s\n", PACKAGE_VERSION);
      return FERRY_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *prgname = NULL;

      if (strcmp (commands[i].name, name) != 0)
        continue;
      if (commands[i].run == NULL)
        {
          g_printerr ("ferry-cli: %s\n", _("this command is not available in this version yet"));
          return FERRY_EXIT_USAGE;
        }
      /* GOption's "Usage:" line names the command: "ferry-cli run [OPTION…] NAME". */
      prgname = g_strdup_printf ("ferry-cli %s", name);
      g_set_prgname (prgname);
      return end_process (commands[i].run (argc - 1, argv + 1));
    }

  if (name[0] == '-')
    ferry_cli_usage_error (_("unknown option “%s”"), name);
  else
    ferry_cli_usage_error (_("unknown command “%s”"), name);
  return FERRY_EXIT_USAGE;
}
