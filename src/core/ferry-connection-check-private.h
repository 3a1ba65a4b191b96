/* ferry-connection-check-private.h: what the files of the connection check
 * share — the outcome a run finds out, the worker that finds it, and the
 * steps and hints that run in it.
 *
 * ferry-connection-check.c        the object, its API and the worker thread
 * ferry-connection-check-steps.c  the FTP/FTPS/SFTP steps: resolve, connect,
 *                                 TLS, session; and the helpers below
 * ferry-connection-check-webdav.c the WebDAV steps
 * ferry-connection-check-smb.c    the SMB steps
 * ferry-connection-check-gio.c    the GNOME Files location (GVfs) steps
 * ferry-connection-check-hints.c  what to do about a failure, in plain words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-connection-check.h"

G_BEGIN_DECLS

typedef struct
{
  FerryCheckState state;
  char *detail;
} FerryCheckStepResult;

/* Everything a run finds out; the worker's own copy. */
typedef struct
{
  FerryCheckStepResult steps[FERRY_CHECK_N_STEPS];
  FerryCheckStep failed_step;
  GError *error;
  char *hint;
  FerryCertificate *certificate;
  char *host_key;
  char *login_folder;   /* PWD once logged in */
  char *capabilities;   /* one line of what the server offers, for people */
} FerryCheckOutcome;

typedef struct
{
  FerryConnectionCheck *self;     /* the task holds a reference */
  GMainContext *context;          /* NULL: emit in this thread */
  FerryConnector *connector;
  const char *password;
  const char *path;
  GCancellable *cancellable;
  FerryCheckOutcome *outcome;
} FerryCheckWorker;

/* Records a step's change in the object and emits "step-changed"; main
 * context only. */
void      _ferry_connection_check_apply_step (FerryConnectionCheck *self,
                                              FerryCheckStep        step,
                                              FerryCheckState       state,
                                              const char           *detail);
/* Runs every step in the calling thread; FALSE when one failed. */
gboolean  _ferry_connection_check_run_steps  (FerryCheckWorker     *worker);
/* One protocol's steps, from resolving the name on; FALSE when one failed. */
gboolean  _ferry_connection_check_run_webdav (FerryCheckWorker     *worker);
gboolean  _ferry_connection_check_run_smb    (FerryCheckWorker     *worker);
gboolean  _ferry_connection_check_run_gio    (FerryCheckWorker     *worker);

/* Helpers for the steps (ferry-connection-check-steps.c). */
/* Records a step's state in the outcome and posts it to the caller. */
void      _ferry_check_set_step              (FerryCheckWorker     *worker,
                                              FerryCheckStep        step,
                                              FerryCheckState       state,
                                              const char           *detail);
/* Fails `step` with `error` (taken); `hint` NULL: the generic advice. */
gboolean  _ferry_check_fail                  (FerryCheckWorker     *worker,
                                              FerryCheckStep        step,
                                              GError               *error,
                                              const char           *hint);
gboolean  _ferry_check_fail_literal          (FerryCheckWorker     *worker,
                                              FerryCheckStep        step,
                                              FerryError            code,
                                              const char           *message,
                                              const char           *hint);
/* TRUE (and the running step failed) when the check was cancelled. */
gboolean  _ferry_check_cancelled             (FerryCheckWorker     *worker);
/* The "Find the server" step. */
gboolean  _ferry_check_step_resolve          (FerryCheckWorker     *worker);

/* The "Connect" step: a TCP connection (FTP and SFTP: and the greeting). */
gboolean  _ferry_check_step_connect          (FerryCheckWorker     *worker,
                                              GSocket             **socket_out,
                                              GIOStream           **stream_out);
/* The "Secure the connection" step on a connected socket: the TLS
 * handshake (FTPS explicit: after AUTH TLS), the certificate shown and
 * checked against the pin or the system's trust. */
gboolean  _ferry_check_step_secure_tls       (FerryCheckWorker     *worker,
                                              GSocket              *socket);

/* The advice for an error at a step; NULL for a cancelled check. */
char     *_ferry_connection_check_hint_for   (FerryCheckStep        step,
                                              FerryError            code,
                                              FerryConnectorKind    kind,
                                              const char           *server,
                                              guint16               port);

G_END_DECLS
