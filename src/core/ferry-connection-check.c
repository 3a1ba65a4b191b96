/* ferry-connection-check.c: the step-by-step connection check behind
 * "Authorize" (see ferry-connection-check.h).
 *
 * The worker never touches the object's public state: it keeps its own copy,
 * posts each step change to the caller's main context, and hands the final
 * outcome back through the GTask. The steps themselves are in
 * ferry-connection-check-steps.c, the advice in -hints.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-connection-check-private.h"

struct _FerryConnectionCheck
{
  GObject parent_instance;

  FerryConnector *connector;   /* a copy: the caller may go on editing theirs */
  char *password;
  char *path;

  FerryCheckOutcome outcome;   /* main context only */
  GMainContext *context;       /* where step changes go while running */
};

G_DEFINE_FINAL_TYPE (FerryConnectionCheck, ferry_connection_check, G_TYPE_OBJECT)

enum {
  STEP_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_CAPABILITIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
outcome_clear (FerryCheckOutcome *outcome)
{
  for (guint i = 0; i < FERRY_CHECK_N_STEPS; i++)
    g_clear_pointer (&outcome->steps[i].detail, g_free);
  g_clear_error (&outcome->error);
  g_clear_pointer (&outcome->hint, g_free);
  g_clear_pointer (&outcome->certificate, ferry_certificate_free);
  g_clear_pointer (&outcome->host_key, g_free);
  g_clear_pointer (&outcome->login_folder, g_free);
  g_clear_pointer (&outcome->capabilities, g_free);
}

static gboolean
kind_has_step (FerryConnectorKind kind,
               FerryCheckStep     step)
{
  switch (kind)
    {
    case FERRY_CONNECTOR_KIND_WEBDAV:
    case FERRY_CONNECTOR_KIND_WEBDAVS:
      return TRUE;
    case FERRY_CONNECTOR_KIND_SMB:
      return step != FERRY_CHECK_STEP_SECURE;
    case FERRY_CONNECTOR_KIND_GIO:
      /* GVfs finds, connects and secures: reach it, mount, list. */
      return step == FERRY_CHECK_STEP_PROTOCOL || step == FERRY_CHECK_STEP_LOGIN
             || step == FERRY_CHECK_STEP_LIST;
    case FERRY_CONNECTOR_KIND_FTP:
    case FERRY_CONNECTOR_KIND_FTPS_EXPLICIT:
    case FERRY_CONNECTOR_KIND_FTPS_IMPLICIT:
    case FERRY_CONNECTOR_KIND_SFTP:
    case FERRY_CONNECTOR_KIND_LOCAL:
    default:
      return step != FERRY_CHECK_STEP_PROTOCOL;
    }
}

gboolean
ferry_connection_check_has_step (FerryConnectionCheck *self,
                                 FerryCheckStep        step)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION_CHECK (self), FALSE);
  g_return_val_if_fail (step < FERRY_CHECK_N_STEPS, FALSE);

  return kind_has_step (ferry_connector_get_kind (self->connector), step);
}

static void
outcome_init (FerryCheckOutcome  *outcome,
              FerryConnectorKind  kind)
{
  memset (outcome, 0, sizeof *outcome);
  outcome->failed_step = FERRY_CHECK_N_STEPS;
  for (guint i = 0; i < FERRY_CHECK_N_STEPS; i++)
    outcome->steps[i].state = FERRY_CHECK_STATE_PENDING;
  for (guint i = 0; i < FERRY_CHECK_N_STEPS; i++)
    if (!kind_has_step (kind, i))
      outcome->steps[i].state = FERRY_CHECK_STATE_SKIPPED;
  if (kind == FERRY_CONNECTOR_KIND_FTP || kind == FERRY_CONNECTOR_KIND_WEBDAV)
    outcome->steps[FERRY_CHECK_STEP_SECURE].state = FERRY_CHECK_STATE_SKIPPED;
  if (kind == FERRY_CONNECTOR_KIND_SFTP)
    outcome->steps[FERRY_CHECK_STEP_DATA_CHANNEL].state = FERRY_CHECK_STATE_SKIPPED;
}

void
_ferry_connection_check_apply_step (FerryConnectionCheck *self,
                                    FerryCheckStep        step,
                                    FerryCheckState       state,
                                    const char           *detail)
{
  self->outcome.steps[step].state = state;
  g_free (self->outcome.steps[step].detail);
  self->outcome.steps[step].detail = g_strdup (detail);
  g_signal_emit (self, signals[STEP_CHANGED], 0, (guint) step);
}

/* --- the object ----------------------------------------------------------------- */

static void
ferry_connection_check_finalize (GObject *object)
{
  FerryConnectionCheck *self = FERRY_CONNECTION_CHECK (object);

  g_clear_object (&self->connector);
  if (self->password != NULL)
    explicit_bzero (self->password, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
  g_clear_pointer (&self->path, g_free);
  outcome_clear (&self->outcome);

  G_OBJECT_CLASS (ferry_connection_check_parent_class)->finalize (object);
}

static void
ferry_connection_check_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  FerryConnectionCheck *self = FERRY_CONNECTION_CHECK (object);

  switch (prop_id)
    {
    case PROP_CAPABILITIES:
      g_value_set_string (value, self->outcome.capabilities);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_connection_check_class_init (FerryConnectionCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ferry_connection_check_finalize;
  object_class->get_property = ferry_connection_check_get_property;

  /**
   * FerryConnectionCheck:capabilities:
   *
   * What the server offers, in one line for people, once the check
   * passed: listing with times (MLSD), setting times (MFMT/MDTM), UTF-8
   * names, resuming (REST), TLS session reuse and the login folder.
   */
  properties[PROP_CAPABILITIES] =
    g_param_spec_string ("capabilities", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FerryConnectionCheck::step-changed:
   * @step: the FerryCheckStep whose state or detail changed
   */
  signals[STEP_CHANGED] =
    g_signal_new ("step-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
ferry_connection_check_init (FerryConnectionCheck *self)
{
}

FerryConnectionCheck *
ferry_connection_check_new (FerryConnector *connector,
                            const char     *password,
                            const char     *path)
{
  FerryConnectionCheck *self;

  g_return_val_if_fail (FERRY_IS_CONNECTOR (connector), NULL);

  self = g_object_new (FERRY_TYPE_CONNECTION_CHECK, NULL);
  self->connector = ferry_connector_copy (connector);
  self->password = g_strdup (password != NULL ? password : "");
  self->path = g_strdup (path);
  outcome_init (&self->outcome, ferry_connector_get_kind (connector));
  return self;
}

static FerryCheckOutcome *
run_worker (FerryConnectionCheck *self,
            GMainContext         *context,
            GCancellable         *cancellable)
{
  FerryCheckOutcome *outcome = g_new0 (FerryCheckOutcome, 1);
  FerryCheckWorker worker = {
    .self = self,
    .context = context,
    .connector = self->connector,
    .password = self->password,
    .path = self->path,
    .cancellable = cancellable,
    .outcome = outcome,
  };

  outcome_init (outcome, ferry_connector_get_kind (self->connector));
  _ferry_connection_check_run_steps (&worker);
  return outcome;
}

static gboolean
take_outcome (FerryConnectionCheck  *self,
              FerryCheckOutcome     *outcome,
              GError               **error)
{
  gboolean ok = outcome->error == NULL;

  outcome_clear (&self->outcome);
  self->outcome = *outcome;
  if (!ok)
    g_propagate_error (error, g_error_copy (outcome->error));
  for (guint i = 0; i < FERRY_CHECK_N_STEPS; i++)
    g_signal_emit (self, signals[STEP_CHANGED], 0, i);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPABILITIES]);
  g_free (outcome);
  return ok;
}

static void
reset (FerryConnectionCheck *self)
{
  outcome_clear (&self->outcome);
  outcome_init (&self->outcome, ferry_connector_get_kind (self->connector));
}

gboolean
ferry_connection_check_run_sync (FerryConnectionCheck  *self,
                                 GCancellable          *cancellable,
                                 GError               **error)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION_CHECK (self), FALSE);

  reset (self);
  return take_outcome (self, run_worker (self, NULL, cancellable), error);
}

static void
outcome_free (gpointer data)
{
  FerryCheckOutcome *outcome = data;

  outcome_clear (outcome);
  g_free (outcome);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  FerryConnectionCheck *self = source_object;

  g_task_return_pointer (task, run_worker (self, task_data, cancellable), outcome_free);
}

void
ferry_connection_check_run_async (FerryConnectionCheck *self,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FERRY_IS_CONNECTION_CHECK (self));

  reset (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_connection_check_run_async);
  g_task_set_task_data (task, g_main_context_ref_thread_default (),
                        (GDestroyNotify) g_main_context_unref);
  g_task_run_in_thread (task, check_thread);
}

gboolean
ferry_connection_check_run_finish (FerryConnectionCheck  *self,
                                   GAsyncResult          *result,
                                   GError               **error)
{
  g_autoptr(GError) task_error = NULL;
  FerryCheckOutcome *outcome;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  outcome = g_task_propagate_pointer (G_TASK (result), &task_error);
  if (outcome == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&task_error));
      return FALSE;
    }
  return take_outcome (self, outcome, error);
}

const char *
ferry_connection_check_get_step_label (FerryConnectionCheck *self,
                                       FerryCheckStep        step)
{
  FerryConnectorKind kind;
  gboolean web;

  g_return_val_if_fail (FERRY_IS_CONNECTION_CHECK (self), NULL);
  g_return_val_if_fail (step < FERRY_CHECK_N_STEPS, NULL);

  kind = ferry_connector_get_kind (self->connector);
  web = kind == FERRY_CONNECTOR_KIND_WEBDAV || kind == FERRY_CONNECTOR_KIND_WEBDAVS;
  switch (step)
    {
    case FERRY_CHECK_STEP_RESOLVE:
      return _("Find the server");
    case FERRY_CHECK_STEP_CONNECT:
      return _("Connect");
    case FERRY_CHECK_STEP_SECURE:
      return kind == FERRY_CONNECTOR_KIND_SFTP ? _("Check the host key") : _("Secure the connection");
    case FERRY_CHECK_STEP_PROTOCOL:
      if (kind == FERRY_CONNECTOR_KIND_GIO)
        return _("Reach GVfs");
      return kind == FERRY_CONNECTOR_KIND_SMB ? _("Negotiate the protocol") : _("Get an answer over HTTP");
    case FERRY_CHECK_STEP_LOGIN:
      return kind == FERRY_CONNECTOR_KIND_GIO ? _("Open the location") : _("Log in");
    case FERRY_CHECK_STEP_DATA_CHANNEL:
      if (web)
        return _("Check that WebDAV is offered");
      if (kind == FERRY_CONNECTOR_KIND_SMB)
        return _("Open the share");
      return _("Open a data channel");
    case FERRY_CHECK_STEP_LIST:
      return _("List the folder");
    case FERRY_CHECK_N_STEPS:
    default:
      g_assert_not_reached ();
    }
}

FerryCheckState
ferry_connection_check_get_step_state (FerryConnectionCheck *self,
                                       FerryCheckStep        step)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION_CHECK (self), FERRY_CHECK_STATE_PENDING);
  g_return_val_if_fail (step < FERRY_CHECK_N_STEPS, FERRY_CHECK_STATE_PENDING);
  return self->outcome.steps[step].state;
}

const char *
ferry_connection_check_get_step_detail (FerryConnectionCheck *self,
                                        FerryCheckStep        step)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION_CHECK (self), NULL);
  g_return_val_if_fail (step < FERRY_CHECK_N_STEPS, NULL);
  return self->outcome.steps[step].detail;
}

FerryCheckStep
ferry_connection_check_get_failed_step (FerryConnectionCheck *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION_CHECK (self), FERRY_CHECK_N_STEPS);
  return self->outcome.failed_step;
}

const char *
ferry_connection_check_get_hint (FerryConnectionCheck *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION_CHECK (self), NULL);
  return self->outcome.hint;
}

const FerryCertificate *
ferry_connection_check_get_certificate (FerryConnectionCheck *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION_CHECK (self), NULL);
  return self->outcome.certificate;
}

const char *
ferry_connection_check_get_host_key (FerryConnectionCheck *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION_CHECK (self), NULL);
  return self->outcome.host_key;
}

const char *
ferry_connection_check_get_presented_pin (FerryConnectionCheck *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION_CHECK (self), NULL);

  if (self->outcome.host_key != NULL)
    return self->outcome.host_key;
  if (self->outcome.certificate != NULL)
    return self->outcome.certificate->pin;
  return NULL;
}


const char *
ferry_connection_check_get_capabilities (FerryConnectionCheck *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION_CHECK (self), NULL);
  return self->outcome.capabilities;
}

const char *
ferry_connection_check_get_login_folder (FerryConnectionCheck *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION_CHECK (self), NULL);
  return self->outcome.login_folder;
}
