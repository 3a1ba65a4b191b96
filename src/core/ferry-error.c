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

