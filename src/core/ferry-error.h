/* ferry-error.h: the error domain every core call reports in.
 *
 * The codes are stable: the UI maps them to messages and the CLI to exit codes
 * (see DESIGN.md), so add new ones at the end only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FERRY_ERROR (ferry_error_quark ())

typedef enum
{
  FERRY_ERROR_FAILED,             /* anything not listed below */
  FERRY_ERROR_INVALID_INPUT,      /* a field the user typed is not acceptable */
  FERRY_ERROR_EXISTS,             /* a name is already taken */
  FERRY_ERROR_NOT_FOUND,          /* no connector or transfer by that name */
  FERRY_ERROR_KEYRING,            /* Secret Service absent, locked or refusing */
  FERRY_ERROR_RESOLVE,            /* the server name does not resolve */
  FERRY_ERROR_CONNECT,            /* refused, unreachable or timed out */
  FERRY_ERROR_TLS,                /* handshake failed */
  FERRY_ERROR_UNTRUSTED,          /* certificate or host key not trusted yet */
  FERRY_ERROR_PIN_MISMATCH,       /* trusted pin no longer matches */
  FERRY_ERROR_TLS_REQUIRED,       /* server demands TLS and plain FTP was used */
  FERRY_ERROR_LOGIN,              /* credentials refused */
  FERRY_ERROR_DATA_CHANNEL,       /* passive data connection could not open */
  FERRY_ERROR_TOO_MANY,           /* 421: too many connections */
  FERRY_ERROR_PERMISSION,         /* 550 and friends */
  FERRY_ERROR_BAD_NAME,           /* a hostile or unusable file name */
  FERRY_ERROR_NO_SPACE,           /* the destination is full */
  FERRY_ERROR_TRANSIENT,          /* worth retrying: reset, 425/426/450/451 */
  FERRY_ERROR_CANCELLED,          /* the user stopped it */
  FERRY_ERROR_PROTOCOL,           /* the server said something we cannot parse */
} FerryError;

GQuark      ferry_error_quark (void);
/* A failure worth another try after a pause: a reset or timeout, a 421
 * "too many connections", a data channel that would not open, 425/426/450/451. */
gboolean    ferry_error_is_transient (const GError *error);

G_END_DECLS
