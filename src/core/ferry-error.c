/* ferry-error.c: the Ferry error domain.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ferry-error.h"

G_DEFINE_QUARK (ferry-error-quark, ferry_error)

gboolean
ferry_error_is_transient (const GError *error)
{
  return g_error_matches (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT) ||
         g_error_matches (error, FERRY_ERROR, FERRY_ERROR_TOO_MANY) ||
         g_error_matches (error, FERRY_ERROR, FERRY_ERROR_DATA_CHANNEL) ||
         g_error_matches (error, FERRY_ERROR, FERRY_ERROR_CONNECT);
}

/* A stable token for logs and `--json` output; never shown as a sentence. */
const char *
ferry_error_code_name (FerryError code)
{
  static const char * const names[] = {
    [FERRY_ERROR_FAILED] = "failed",
    [FERRY_ERROR_INVALID_INPUT] = "invalid-input",
    [FERRY_ERROR_EXISTS] = "exists",
    [FERRY_ERROR_NOT_FOUND] = "not-found",
    [FERRY_ERROR_KEYRING] = "keyring",
    [FERRY_ERROR_RESOLVE] = "resolve",
    [FERRY_ERROR_CONNECT] = "connect",
    [FERRY_ERROR_TLS] = "tls",
    [FERRY_ERROR_UNTRUSTED] = "untrusted",
    [FERRY_ERROR_PIN_MISMATCH] = "pin-mismatch",
    [FERRY_ERROR_TLS_REQUIRED] = "tls-required",
    [FERRY_ERROR_LOGIN] = "login",
    [FERRY_ERROR_DATA_CHANNEL] = "data-channel",
    [FERRY_ERROR_TOO_MANY] = "too-many-connections",
    [FERRY_ERROR_PERMISSION] = "permission",
    [FERRY_ERROR_BAD_NAME] = "bad-name",
    [FERRY_ERROR_NO_SPACE] = "no-space",
    [FERRY_ERROR_TRANSIENT] = "transient",
    [FERRY_ERROR_CANCELLED] = "cancelled",
    [FERRY_ERROR_PROTOCOL] = "protocol",
  };

  if ((guint) code < G_N_ELEMENTS (names) && names[code] != NULL)
    return names[code];
  return "failed";
}
