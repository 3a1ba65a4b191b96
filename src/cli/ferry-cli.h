/* ferry-cli.h: what the subcommands of ferry-cli share: the exit codes of
 * the CLI contract (DESIGN.md) and a few printing helpers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ferry-connector-store.h"

G_BEGIN_DECLS

typedef enum
{
  FERRY_EXIT_OK = 0,          /* success: every file copied or identical */
  FERRY_EXIT_PARTIAL = 1,     /* the run finished but some files failed */
  FERRY_EXIT_USAGE = 2,       /* bad usage or input */
  FERRY_EXIT_CONNECT = 3,     /* could not connect, authenticate or trust */
  FERRY_EXIT_KEYRING = 4,     /* keyring unavailable */
} FerryExit;

/* A subcommand gets argv starting at its own name. */
typedef int (*FerryCliCommand) (int argc, char **argv);

int       ferry_cli_exit_for_error (const GError *error);
void      ferry_cli_print_error    (const GError *error);
void      ferry_cli_usage_error    (const char   *format,
                                    ...) G_GNUC_PRINTF (1, 2);
gboolean  ferry_cli_use_color      (int           fd);
/* Prints the JSON a builder made to standard output, indented, with a
 * final newline. */
void      ferry_cli_print_json     (JsonBuilder  *builder);
/* One member of the object being built: a string (NULL gives null) or a
 * number. */
void      ferry_cli_json_string    (JsonBuilder  *builder,
                                    const char   *member,
                                    const char   *value);
void      ferry_cli_json_int       (JsonBuilder  *builder,
                                    const char   *member,
                                    gint64        value);

/* Prints the error and returns the exit code it maps to. */
int       ferry_cli_fail_with      (const GError *error);
/* Parses a subcommand's options; exactly `n_positional` words must follow
 * the subcommand's name (`what` says which, for the message). Prints the
 * usage error itself. */
gboolean  ferry_cli_parse_options  (GOptionContext *context,
                                    int            *argc,
                                    char         ***argv,
                                    int             n_positional,
                                    const char     *what);

/* The saved connectors, loaded from the keyring; NULL with the error printed
 * and *exit_code set (4 when the keyring is unavailable). */
FerryConnectorStore *ferry_cli_load_store     (int                 *exit_code);
/* Borrowed from `store`; NULL with a message and *exit_code 2 if absent. */
FerryConnector      *ferry_cli_find_connector (FerryConnectorStore *store,
                                               const char          *name,
                                               int                 *exit_code);
/* The password on standard input up to EOF, less one trailing newline.
 * Free it with ferry_password_free() (or hold it in a g_auto(FerryPassword)). */
char                *ferry_cli_read_password_stdin (GError    **error);

/* `ferry-cli connector …` (ferry-cli-connector.c): dispatches to the
 * subcommands; list and remove live there too. */
int       ferry_cli_connector      (int           argc,
                                    char        **argv);
/* add, test and reauthorize run the connection check
 * (ferry-cli-connector-check.c, area "check"). argv starts at the
 * subcommand's own name. */
int       ferry_cli_connector_add         (int    argc,
                                           char **argv);
int       ferry_cli_connector_test        (int    argc,
                                           char **argv);
int       ferry_cli_connector_reauthorize (int    argc,
                                           char **argv);

G_END_DECLS
