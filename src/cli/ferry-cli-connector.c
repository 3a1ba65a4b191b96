/* ferry-cli-connector.c: `ferry-cli connector …`: the dispatcher, `list`
 * and `remove`, and the helpers every connector subcommand shares (loading
 * the keyring, finding a connector by name, reading a password from stdin).
 * add, test and reauthorize are in ferry-cli-connector-check.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ferry-cli.h"
#include "ferry-connector-store.h"
#include "ferry-error.h"

#define MAX_PASSWORD_BYTES 4096

/* --- shared helpers (ferry-cli.h) ---------------------------------------------- */

int
ferry_cli_fail_with (const GError *error)
{
  ferry_cli_print_error (error);
  return ferry_cli_exit_for_error (error);
}

FerryConnectorStore *
ferry_cli_load_store (int *exit_code)
{
  g_autoptr(FerryConnectorStore) store = ferry_connector_store_new ();
  g_autoptr(GError) error = NULL;

  if (!ferry_connector_store_load_sync (store, NULL, &error))
    {
      *exit_code = ferry_cli_fail_with (error);
      return NULL;
    }
  return g_steal_pointer (&store);
}

FerryConnector *
ferry_cli_find_connector (FerryConnectorStore *store,
                          const char          *name,
                          int                 *exit_code)
{
  FerryConnector *connector = ferry_connector_store_find_by_name (store, name);

  if (connector == NULL)
    {
      g_printerr ("ferry-cli: ");
      g_printerr (_("no connector named “%s”"), name);
      g_printerr ("\n");
      g_printerr (_("Run “ferry-cli connector list” to see the saved connectors.\n"));
      *exit_code = FERRY_EXIT_USAGE;
    }
  return connector;
}

/* Reads the password from standard input: everything up to EOF, less one
 * trailing newline, so `printf '%s\n' "$PW" | ferry-cli …` works. On a
 * terminal it asks, without echo, and reads one line. Read with read(2) into
 * one fixed buffer, wiped afterwards: no stdio buffer or grown string keeps
 * a copy. */
char *
ferry_cli_read_password_stdin (GError **error)
{
  char *buffer = g_malloc (MAX_PASSWORD_BYTES + 1);
  gsize len = 0;
  gboolean tty = isatty (STDIN_FILENO);
  gboolean too_long = FALSE;
  struct termios saved;
  gboolean echo_off = FALSE;
  char *password = NULL;

  if (tty)
    {
      /* Echo off before the prompt, so nothing typed after it shows. */
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          struct termios quiet = saved;

          quiet.c_lflag &= ~(tcflag_t) ECHO;
          echo_off = tcsetattr (STDIN_FILENO, TCSANOW, &quiet) == 0;
        }
      g_printerr ("%s", _("Password: "));
    }

  while (TRUE)
    {
      ssize_t n;

      if (len == MAX_PASSWORD_BYTES + 1)
        {
          too_long = TRUE;
          break;
        }
      n = read (STDIN_FILENO, buffer + len, MAX_PASSWORD_BYTES + 1 - len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      len += (gsize) n;
      if (tty && memchr (buffer, '\n', len) != NULL)
        break;
    }

  if (echo_off)
    tcsetattr (STDIN_FILENO, TCSANOW, &saved);
  if (tty)
    g_printerr ("\n");

  if (len > 0 && buffer[len - 1] == '\n')
    len--;
  if (len > 0 && buffer[len - 1] == '\r')
    len--;

  if (too_long)
    g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                         _("the password on standard input is too long"));
  else if (memchr (buffer, '\0', len) != NULL || memchr (buffer, '\n', len) != NULL)
    g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                         _("the password on standard input has more than one line"));
  else
    password = g_strndup (buffer, len);

  explicit_bzero (buffer, MAX_PASSWORD_BYTES + 1);
  g_free (buffer);
  return password;
}

gboolean
ferry_cli_parse_options (GOptionContext *context,
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

/* --- list and remove ----------------------------------------------------------- */

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

  if (!ferry_cli_parse_options (context, &argc, &argv, 1, _("one connector NAME")))
    return FERRY_EXIT_USAGE;
  store = ferry_cli_load_store (&exit_code);
  if (store == NULL)
    return exit_code;
  connector = ferry_cli_find_connector (store, argv[1], &exit_code);
  if (connector == NULL)
    return exit_code;

  name = g_strdup (ferry_connector_get_name (connector));
  if (!ferry_connector_store_remove_sync (store, connector, NULL, &error))
    return ferry_cli_fail_with (error);
  g_print (_("Removed connector “%s”.\n"), name);
  return FERRY_EXIT_OK;
}

/* `connector list --json`: every field but the password and the pin
 * itself (only whether there is one). */
static void
print_connectors_json (FerryConnectorStore *store)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FerryConnector) c = g_list_model_get_item (G_LIST_MODEL (store), i);
      const char *username = ferry_connector_get_username (c);

      json_builder_begin_object (builder);
      ferry_cli_json_string (builder, "id", ferry_connector_get_id (c));
      ferry_cli_json_string (builder, "name", ferry_connector_get_name (c));
      ferry_cli_json_string (builder, "type", ferry_connector_kind_to_string (ferry_connector_get_kind (c)));
      ferry_cli_json_string (builder, "server", ferry_connector_get_server (c));
      ferry_cli_json_int (builder, "port", ferry_connector_get_port (c));
      ferry_cli_json_string (builder, "username", username != NULL ? username : "");
      if (ferry_connector_get_domain (c) != NULL)
        ferry_cli_json_string (builder, "domain", ferry_connector_get_domain (c));
      if (ferry_connector_get_folder (c) != NULL)
        ferry_cli_json_string (builder, "folder", ferry_connector_get_folder (c));
      json_builder_set_member_name (builder, "pinned");
      json_builder_add_boolean_value (builder, ferry_connector_get_pin (c) != NULL);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  ferry_cli_print_json (builder);
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
  glong width = 0;
  guint n;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ferry_cli_parse_options (context, &argc, &argv, 0, _("no arguments")))
    return FERRY_EXIT_USAGE;
  store = ferry_cli_load_store (&exit_code);
  if (store == NULL)
    return exit_code;

  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  if (json)
    {
      print_connectors_json (store);
      return FERRY_EXIT_OK;
    }

  if (n == 0)
    {
      g_print (_("No connectors yet. Add one with “ferry-cli connector add”.\n"));
      return FERRY_EXIT_OK;
    }
  /* Columns: name, type, user@server:port, pinned. Names are padded by
   * characters, not bytes, so "Bücher" lines up with "Books". */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FerryConnector) c = g_list_model_get_item (G_LIST_MODEL (store), i);

      width = MAX (width, g_utf8_strlen (ferry_connector_get_name (c), -1));
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FerryConnector) c = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autofree char *display = ferry_connector_dup_display (c);
      const char *name = ferry_connector_get_name (c);

      g_string_truncate (out, 0);
      g_string_append (out, name);
      for (glong pad = g_utf8_strlen (name, -1); pad < width; pad++)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, "  %-13s  %s", ferry_connector_kind_to_string (ferry_connector_get_kind (c)),
                              display);
      /* A GNOME Files location's port, if any, is in its URI. */
      if (ferry_connector_get_port (c) != 0)
        g_string_append_printf (out, ":%u", ferry_connector_get_port (c));
      if (ferry_connector_get_pin (c) != NULL)
        g_string_append_printf (out, "  %s", _("pinned"));
      g_print ("%s\n", out->str);
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
    { "add", ferry_cli_connector_add },
    { "list", connector_list },
    { "test", ferry_cli_connector_test },
    { "reauthorize", ferry_cli_connector_reauthorize },
    { "remove", connector_remove },
  };

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      FILE *out = argc < 2 ? stderr : stdout;

      fprintf (out, "%s\n", _("Usage:"));
      fprintf (out, "  ferry-cli connector add NAME --type TYPE --server HOST|URL [--port N] [--user USER]\n"
                    "                        [--domain DOMAIN] [--password-stdin] [--trust FINGERPRINT]\n"
                    "  ferry-cli connector add NAME --server TYPE://[USER@]HOST[:PORT] [--password-stdin]\n"
                    "                        [--trust FINGERPRINT]\n"
                    "  ferry-cli connector list [--json]\n"
                    "  ferry-cli connector test NAME\n"
                    "  ferry-cli connector reauthorize NAME --password-stdin [--user USER] [--server HOST]\n"
                    "                                [--port N] [--type TYPE] [--domain DOMAIN]\n"
                    "                                [--trust FINGERPRINT]\n"
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
