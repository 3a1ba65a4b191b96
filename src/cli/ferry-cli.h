/* ferry-cli.h: what the subcommands of ferry-cli share: the exit codes of
 * the CLI contract (DESIGN.md) and a few printing helpers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

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
/* Appends `value` as a JSON string literal, escaped. */
void      ferry_cli_json_string    (GString      *out,
                                    const char   *value);

int       ferry_cli_connector      (int           argc,
                                    char        **argv);

G_END_DECLS
