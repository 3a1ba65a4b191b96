/* ferry-connection-check.h: "Authorize" — connect to a server for real, step
 * by step, and say in plain words which step failed and what to do.
 *
 * Steps: find the server → connect → secure the connection (TLS for FTPS,
 * the host key for SFTP) → log in → open a passive data channel → list the
 * start folder. No password is sent before the secure step passed. An
 * untrusted certificate or host key stops the check with the certificate or
 * fingerprint available, so the user can look at it before trusting it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ferry-connector.h"
#include "ferry-error.h"
#include "ferry-tls.h"

G_BEGIN_DECLS

/* The steps in order. Each protocol names them in its own words
 * (ferry_connection_check_get_step_label()) and has the ones
 * ferry_connection_check_has_step() says:
 *   FTP/FTPS/SFTP: resolve, connect, secure (TLS or host key), login,
 *                  data channel (not SFTP), list
 *   WebDAV:        resolve, connect, secure (webdavs), protocol (the HTTP
 *                  answer), login, data channel (WebDAV offered), list
 *   SMB:           resolve, connect, protocol (negotiate), login, data
 *                  channel (open the share), list
 *   GNOME Files location (GVfs): protocol (reach GVfs), login (mount
 *                  the location), list */
typedef enum
{
  FERRY_CHECK_STEP_RESOLVE,
  FERRY_CHECK_STEP_CONNECT,
  FERRY_CHECK_STEP_SECURE,
  FERRY_CHECK_STEP_PROTOCOL,
  FERRY_CHECK_STEP_LOGIN,
  FERRY_CHECK_STEP_DATA_CHANNEL,
  FERRY_CHECK_STEP_LIST,
  FERRY_CHECK_N_STEPS,
} FerryCheckStep;

typedef enum
{
  FERRY_CHECK_STATE_PENDING,
  FERRY_CHECK_STATE_RUNNING,
  FERRY_CHECK_STATE_PASSED,
  FERRY_CHECK_STATE_FAILED,
  FERRY_CHECK_STATE_SKIPPED,
} FerryCheckState;

#define FERRY_TYPE_CONNECTION_CHECK (ferry_connection_check_get_type ())

G_DECLARE_FINAL_TYPE (FerryConnectionCheck, ferry_connection_check, FERRY, CONNECTION_CHECK, GObject)

/* `path` is the folder to list; NULL lists the login folder. */
FerryConnectionCheck   *ferry_connection_check_new             (FerryConnector        *connector,
                                                                const char            *password,
                                                                const char            *path);

/* Whether the connector's protocol has this step at all (a step it has
 * but skips, as plain FTP skips TLS, is still shown as not used). */
gboolean                ferry_connection_check_has_step        (FerryConnectionCheck  *self,
                                                                FerryCheckStep         step);

/* Blocks; "step-changed" is emitted from the calling thread as it goes. */
gboolean                ferry_connection_check_run_sync        (FerryConnectionCheck  *self,
                                                                GCancellable          *cancellable,
                                                                GError               **error);
/* Runs in a thread; "step-changed" is emitted on the calling thread's main
 * context. */
void                    ferry_connection_check_run_async       (FerryConnectionCheck  *self,
                                                                GCancellable          *cancellable,
                                                                GAsyncReadyCallback    callback,
                                                                gpointer               user_data);
gboolean                ferry_connection_check_run_finish      (FerryConnectionCheck  *self,
                                                                GAsyncResult          *result,
                                                                GError               **error);

const char             *ferry_connection_check_get_step_label  (FerryConnectionCheck  *self,
                                                                FerryCheckStep         step);
FerryCheckState         ferry_connection_check_get_step_state  (FerryConnectionCheck  *self,
                                                                FerryCheckStep         step);
const char             *ferry_connection_check_get_step_detail (FerryConnectionCheck  *self,
                                                                FerryCheckStep         step);
/* The failed step, or FERRY_CHECK_N_STEPS when none failed. */
FerryCheckStep          ferry_connection_check_get_failed_step (FerryConnectionCheck  *self);
/* What to do about the failure, in plain words; NULL when nothing failed. */
const char             *ferry_connection_check_get_hint        (FerryConnectionCheck  *self);
/* The certificate the server presented (FTPS), or NULL. */
const FerryCertificate *ferry_connection_check_get_certificate (FerryConnectionCheck  *self);
/* The SSH host key fingerprint the server presented (SFTP), or NULL. */
const char             *ferry_connection_check_get_host_key    (FerryConnectionCheck  *self);
/* What the server offers, one line for people ("MLSD: yes · …"), once the
 * check passed; NULL before. Also the "capabilities" property. */
const char             *ferry_connection_check_get_capabilities (FerryConnectionCheck *self);
/* The folder the login starts in (PWD), absolute; NULL when unknown. */
const char             *ferry_connection_check_get_login_folder (FerryConnectionCheck *self);
/* The pin to store if the user trusts what the server presented. */
const char             *ferry_connection_check_get_presented_pin (FerryConnectionCheck *self);

/* A failure met outside a check, by a run that logs in and lists, told
 * in the check's words: which side (`side`, "the source"), which step,
 * what to do. NULL when the error is not about reaching a server. */
char                   *ferry_connection_check_explain         (FerryConnector        *connector,
                                                                const char            *side,
                                                                const GError          *error);

G_END_DECLS
