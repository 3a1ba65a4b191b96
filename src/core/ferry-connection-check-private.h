/* ferry-connection-check-private.h: what the files of the connection check
 * share — the outcome a run finds out, the worker that finds it, and the
 * steps and hints that run in it.
 *
 * ferry-connection-check.c        the object, its API and the worker thread
 * ferry-connection-check-steps.c  the steps: resolve, connect, TLS, session
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
/* The advice for an error at a step; NULL for a cancelled check. */
char     *_ferry_connection_check_hint_for   (FerryCheckStep        step,
                                              FerryError            code,
                                              FerryConnectorKind    kind,
                                              const char           *server,
                                              guint16               port);

G_END_DECLS
