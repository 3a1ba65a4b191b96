/* ferry-connection-check.c: the step-by-step connection check behind
 * "Authorize" (see ferry-connection-check.h).
 *
 * The worker never touches the object's public state: it keeps its own copy,
 * posts each step change to the caller's main context, and hands the final
 * outcome back through the GTask.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-connection-check.h"
#include "ferry-curl.h"

#define CONNECT_TIMEOUT_SECONDS 10
#define GREETING_TIMEOUT_SECONDS 8
#define MAX_REPLY_BYTES 16384

typedef struct
{
  FerryCheckState state;
  char *detail;
} Step;

/* Everything a run finds out; the worker's own copy. */
typedef struct
{
  Step steps[FERRY_CHECK_N_STEPS];
  FerryCheckStep failed_step;
  GError *error;
  char *hint;
  FerryCertificate *certificate;
  char *host_key;
} Outcome;

struct _FerryConnectionCheck
{
  GObject parent_instance;

  FerryConnector *connector;   /* a copy: the caller may go on editing theirs */
  char *password;
  char *path;

  Outcome outcome;             /* main context only */
  GMainContext *context;       /* where step changes go while running */
};

G_DEFINE_FINAL_TYPE (FerryConnectionCheck, ferry_connection_check, G_TYPE_OBJECT)

enum {
  STEP_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
outcome_clear (Outcome *outcome)
{
  for (guint i = 0; i < FERRY_CHECK_N_STEPS; i++)
    g_clear_pointer (&outcome->steps[i].detail, g_free);
  g_clear_error (&outcome->error);
  g_clear_pointer (&outcome->hint, g_free);
  g_clear_pointer (&outcome->certificate, ferry_certificate_free);
  g_clear_pointer (&outcome->host_key, g_free);
}

static void
outcome_init (Outcome            *outcome,
              FerryConnectorKind  kind)
{
  memset (outcome, 0, sizeof *outcome);
  outcome->failed_step = FERRY_CHECK_N_STEPS;
  for (guint i = 0; i < FERRY_CHECK_N_STEPS; i++)
    outcome->steps[i].state = FERRY_CHECK_STATE_PENDING;
  if (kind == FERRY_CONNECTOR_KIND_FTP)
    outcome->steps[FERRY_CHECK_STEP_SECURE].state = FERRY_CHECK_STATE_SKIPPED;
  if (kind == FERRY_CONNECTOR_KIND_SFTP)
    outcome->steps[FERRY_CHECK_STEP_DATA_CHANNEL].state = FERRY_CHECK_STATE_SKIPPED;
}

/* --- hints ----------------------------------------------------------------- */

char *
ferry_connection_check_hint_for (FerryCheckStep      step,
                                 FerryError          code,
                                 FerryConnectorKind  kind,
                                 const char         *server,
                                 guint16             port)
{
  const char *host = server != NULL ? server : "";

  switch (code)
    {
    case FERRY_ERROR_RESOLVE:
      return g_strdup_printf (_("Ferry could not find a server called “%s”. Check the name for typing "
                                "mistakes; if it is right, check this computer’s network connection."),
                              host);
    case FERRY_ERROR_CONNECT:
      return g_strdup_printf (_("Nothing answered on port %u of %s. Check that the port is right "
                                "(FTP usually uses 21, implicit FTP over TLS 990, SFTP 22), that the "
                                "server is running, and that its firewall or allow-list lets this "
                                "computer’s address in."),
                              port, host);
    case FERRY_ERROR_TLS_REQUIRED:
      return g_strdup (_("The server only accepts encrypted logins. Choose “FTP over TLS (explicit)” "
                         "as the type."));
    case FERRY_ERROR_TLS:
      if (kind == FERRY_CONNECTOR_KIND_FTPS_IMPLICIT)
        return g_strdup (_("The secure connection failed. Servers on port 21 usually expect TLS to be "
                           "started after connecting: try “FTP over TLS (explicit)”."));
      if (kind == FERRY_CONNECTOR_KIND_FTPS_EXPLICIT)
        return g_strdup (_("The secure connection failed. Servers on port 990 usually expect TLS from "
                           "the first byte: try “FTP over TLS (implicit)”."));
      return g_strdup (_("The secure connection failed. Check that the type matches the server."));
    case FERRY_ERROR_LOGIN:
      return g_strdup (_("The server refused the user name or password. Check both and try again; "
                         "they are case-sensitive."));
    case FERRY_ERROR_DATA_CHANNEL:
      return g_strdup (_("Ferry logged in, but the server could not open a data connection. The server "
                         "must allow passive mode (Ferry never uses active mode): ask its administrator "
                         "to open its passive port range in the firewall."));
    case FERRY_ERROR_TOO_MANY:
      return g_strdup (_("The server has too many connections open right now. Wait a little and try "
                         "again; Ferry will use fewer connections to it."));
    case FERRY_ERROR_UNTRUSTED:
      if (kind == FERRY_CONNECTOR_KIND_SFTP)
        return g_strdup (_("This is the first connection to this SFTP server. Compare its host key "
                           "fingerprint below with the one your hosting provider gives you, and trust "
                           "it only if they match."));
      return g_strdup (_("This computer does not trust the server’s certificate. Compare its "
                         "fingerprint below with the one your hosting provider gives you, and trust "
                         "it only if they match."));
    case FERRY_ERROR_PIN_MISMATCH:
      return g_strdup (_("The server presents a different key from the one you trusted. That happens "
                         "when a certificate or server is replaced — or when someone intercepts the "
                         "connection. Ask the server’s administrator before you trust the new one."));
    case FERRY_ERROR_NOT_FOUND:
    case FERRY_ERROR_PERMISSION:
      return g_strdup (_("Ferry logged in, but could not list the folder. Check that it exists and "
                         "that this user may read it."));
    case FERRY_ERROR_CANCELLED:
      return NULL;
    case FERRY_ERROR_PROTOCOL:
      return g_strdup (_("The server did not answer the way an FTP or SFTP server should. Check the "
                         "type and the port."));
    default:
      break;
    }

  if (step == FERRY_CHECK_STEP_LIST)
    return g_strdup (_("Ferry logged in, but listing the folder failed. Try again; if it keeps "
                       "failing, check the folder and the server’s log."));
  return g_strdup (_("The connection failed. Check the server, port and type, and try again."));
}

/* --- the worker -------------------------------------------------------------- */

typedef struct
{
  FerryConnectionCheck *self;     /* owned reference */
  GMainContext *context;          /* NULL: emit in this thread */
  FerryConnector *connector;
  const char *password;
  const char *path;
  GCancellable *cancellable;
  Outcome *outcome;
} Worker;

typedef struct
{
  FerryConnectionCheck *self;
  FerryCheckStep step;
  FerryCheckState state;
  char *detail;
} StepUpdate;

static void
apply_step (FerryConnectionCheck *self,
            FerryCheckStep        step,
            FerryCheckState       state,
            const char           *detail)
{
  self->outcome.steps[step].state = state;
  g_free (self->outcome.steps[step].detail);
  self->outcome.steps[step].detail = g_strdup (detail);
  g_signal_emit (self, signals[STEP_CHANGED], 0, (guint) step);
}

static gboolean
step_update_dispatch (gpointer data)
{
  StepUpdate *update = data;

  apply_step (update->self, update->step, update->state, update->detail);
  return G_SOURCE_REMOVE;
}

static void
step_update_free (gpointer data)
{
  StepUpdate *update = data;

  g_object_unref (update->self);
  g_free (update->detail);
  g_free (update);
}

static void
set_step (Worker         *worker,
          FerryCheckStep  step,
          FerryCheckState state,
          const char     *detail)
{
  StepUpdate *update;

  worker->outcome->steps[step].state = state;
  g_free (worker->outcome->steps[step].detail);
  worker->outcome->steps[step].detail = g_strdup (detail);

  if (worker->context == NULL)
    {
      apply_step (worker->self, step, state, detail);
      return;
    }

  update = g_new0 (StepUpdate, 1);
  update->self = g_object_ref (worker->self);
  update->step = step;
  update->state = state;
  update->detail = g_strdup (detail);
  g_main_context_invoke_full (worker->context, G_PRIORITY_DEFAULT,
                              step_update_dispatch, update, step_update_free);
}

static gboolean
fail (Worker         *worker,
      FerryCheckStep  step,
      GError         *error,     /* taken */
      const char     *hint)      /* NULL: the generic advice for the error */
{
  FerryConnector *c = worker->connector;

  worker->outcome->failed_step = step;
  worker->outcome->error = error;
  if (hint != NULL)
    worker->outcome->hint = g_strdup (hint);
  else if (error->domain == FERRY_ERROR)
    worker->outcome->hint = ferry_connection_check_hint_for (step, error->code,
                                                             ferry_connector_get_kind (c),
                                                             ferry_connector_get_server (c),
                                                             ferry_connector_get_port (c));
  set_step (worker, step, FERRY_CHECK_STATE_FAILED, error->message);
  return FALSE;
}

static gboolean
fail_literal (Worker         *worker,
              FerryCheckStep  step,
              FerryError      code,
              const char     *message,
              const char     *hint)
{
  return fail (worker, step, g_error_new_literal (FERRY_ERROR, code, message), hint);
}

static gboolean
cancelled (Worker *worker)
{
  if (!g_cancellable_is_cancelled (worker->cancellable))
    return FALSE;
  for (guint i = 0; i < FERRY_CHECK_N_STEPS; i++)
    if (worker->outcome->steps[i].state == FERRY_CHECK_STATE_RUNNING)
      return fail_literal (worker, i, FERRY_ERROR_CANCELLED, _("Cancelled"), NULL), TRUE;
  worker->outcome->error = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_CANCELLED, _("Cancelled"));
  return TRUE;
}

static gboolean
step_resolve (Worker *worker)
{
  const char *server = ferry_connector_get_server (worker->connector);
  g_autoptr(GResolver) resolver = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  GList *addresses;

  set_step (worker, FERRY_CHECK_STEP_RESOLVE, FERRY_CHECK_STATE_RUNNING, server);
  if (g_hostname_is_ip_address (server))
    {
      set_step (worker, FERRY_CHECK_STEP_RESOLVE, FERRY_CHECK_STATE_PASSED, server);
      return TRUE;
    }

  resolver = g_resolver_get_default ();
  addresses = g_resolver_lookup_by_name (resolver, server, worker->cancellable, &error);
  if (cancelled (worker))
    return FALSE;
  if (addresses == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("No such server%.0s: %s"), server, error->message);

      return fail_literal (worker, FERRY_CHECK_STEP_RESOLVE, FERRY_ERROR_RESOLVE, message, NULL);
    }
  first = g_inet_address_to_string (addresses->data);
  g_resolver_free_addresses (addresses);
  set_step (worker, FERRY_CHECK_STEP_RESOLVE, FERRY_CHECK_STATE_PASSED, first);
  return TRUE;
}

/* Reads one FTP reply (multi-line aware: "220-…" lines until "220 …").
 * Returns the code, 0 on something that is not an FTP reply, -1 on timeout
 * or a closed connection with nothing received. */
static int
read_reply (GSocket       *socket,
            GString       *text,
            GCancellable  *cancellable)
{
  char buffer[1024];
  gsize scanned = 0;
  int code;

  g_string_truncate (text, 0);
  while (text->len < MAX_REPLY_BYTES)
    {
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, cancellable, NULL);

      if (n <= 0)
        return text->len > 0 ? 0 : -1;
      g_string_append_len (text, buffer, n);

      if (text->len >= 3 && !(g_ascii_isdigit (text->str[0]) && g_ascii_isdigit (text->str[1])
                              && g_ascii_isdigit (text->str[2])))
        return 0;
      code = atoi (text->str);

      /* Look at each complete line once: the reply ends with "NNN ". */
      while (TRUE)
        {
          const char *line = text->str + scanned;
          const char *newline = memchr (line, '\n', text->len - scanned);

          if (newline == NULL)
            break;
          if (newline - line >= 4 && g_ascii_isdigit (line[0]) && atoi (line) == code
              && line[3] == ' ')
            return code;
          scanned = newline + 1 - text->str;
        }
    }
  return 0;
}

static char *
first_line (const GString *text)
{
  g_autofree char *line = g_strndup (text->str, strcspn (text->str, "\r\n"));

  ferry_curl_mask_control_bytes (line);
  return g_utf8_make_valid (line, -1);
}

static gboolean
step_connect (Worker      *worker,
              GSocket    **socket_out,
              GIOStream  **stream_out)
{
  FerryConnector *c = worker->connector;
  FerryConnectorKind kind = ferry_connector_get_kind (c);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) greeting = g_string_new (NULL);
  g_autofree char *where = g_strdup_printf ("%s:%u", ferry_connector_get_server (c),
                                            ferry_connector_get_port (c));
  GSocket *socket;
  int code;

  set_step (worker, FERRY_CHECK_STEP_CONNECT, FERRY_CHECK_STATE_RUNNING, where);
  g_socket_client_set_timeout (client, CONNECT_TIMEOUT_SECONDS);
  connection = g_socket_client_connect_to_host (client, ferry_connector_get_server (c),
                                                ferry_connector_get_port (c),
                                                worker->cancellable, &error);
  if (cancelled (worker))
    return FALSE;
  if (connection == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        message = g_strdup_printf (_("%s did not answer within %d seconds"), where, CONNECT_TIMEOUT_SECONDS);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
        message = g_strdup_printf (_("%s refused the connection"), where);
      else
        message = g_strdup (error->message);
      return fail_literal (worker, FERRY_CHECK_STEP_CONNECT, FERRY_ERROR_CONNECT, message, NULL);
    }

  socket = g_socket_connection_get_socket (connection);
  g_socket_set_timeout (socket, GREETING_TIMEOUT_SECONDS);

  if (kind == FERRY_CONNECTOR_KIND_FTPS_IMPLICIT)
    {
      /* The server waits for our TLS handshake: nothing to read yet. */
      set_step (worker, FERRY_CHECK_STEP_CONNECT, FERRY_CHECK_STATE_PASSED, where);
    }
  else
    {
      g_autofree char *said = NULL;

      code = read_reply (socket, greeting, worker->cancellable);
      if (cancelled (worker))
        return FALSE;
      said = first_line (greeting);

      if (kind == FERRY_CONNECTOR_KIND_SFTP)
        {
          if (!g_str_has_prefix (greeting->str, "SSH-"))
            {
              if (code >= 100)
                return fail_literal (worker, FERRY_CHECK_STEP_CONNECT, FERRY_ERROR_PROTOCOL, said,
                                     _("This is an FTP server, not an SFTP one. Choose “FTP” or “FTP "
                                       "over TLS” as the type, or the SSH port (usually 22)."));
              return fail_literal (worker, FERRY_CHECK_STEP_CONNECT, FERRY_ERROR_PROTOCOL,
                                   _("The server did not greet like an SSH server"),
                                   _("Check that this port is the server’s SSH port (usually 22)."));
            }
        }
      else if (g_str_has_prefix (greeting->str, "SSH-"))
        return fail_literal (worker, FERRY_CHECK_STEP_CONNECT, FERRY_ERROR_PROTOCOL, said,
                             _("This port belongs to an SSH server. Choose “SFTP” as the type."));
      else if (code == -1)
        return fail_literal (worker, FERRY_CHECK_STEP_CONNECT, FERRY_ERROR_TLS,
                             _("The server accepted the connection but said nothing"),
                             _("The server probably expects TLS from the first byte. Choose “FTP "
                               "over TLS (implicit)”, usually on port 990."));
      else if (code == 421)
        return fail_literal (worker, FERRY_CHECK_STEP_CONNECT, FERRY_ERROR_TOO_MANY, said, NULL);
      else if (code < 200 || code >= 400)
        return fail_literal (worker, FERRY_CHECK_STEP_CONNECT, FERRY_ERROR_PROTOCOL, said, NULL);

      set_step (worker, FERRY_CHECK_STEP_CONNECT, FERRY_CHECK_STATE_PASSED, said);
    }

  *socket_out = g_object_ref (socket);
  *stream_out = G_IO_STREAM (g_steal_pointer (&connection));
  return TRUE;
}

static gboolean
step_secure_tls (Worker  *worker,
                 GSocket *socket)
{
  FerryConnector *c = worker->connector;
  FerryConnectorKind kind = ferry_connector_get_kind (c);
  const char *pin = ferry_connector_get_pin (c);
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryCertificate) certificate = NULL;
  gboolean plain_text = FALSE;

  set_step (worker, FERRY_CHECK_STEP_SECURE, FERRY_CHECK_STATE_RUNNING, NULL);

  if (kind == FERRY_CONNECTOR_KIND_FTPS_EXPLICIT)
    {
      g_autoptr(GString) reply = g_string_new (NULL);
      g_autofree char *said = NULL;
      int code;

      if (g_socket_send (socket, "AUTH TLS\r\n", 10, worker->cancellable, &error) != 10)
        return fail_literal (worker, FERRY_CHECK_STEP_SECURE, FERRY_ERROR_CONNECT,
                             error != NULL ? error->message : _("The connection closed"), NULL);
      code = read_reply (socket, reply, worker->cancellable);
      if (cancelled (worker))
        return FALSE;
      said = first_line (reply);
      if (code != 234)
        return fail_literal (worker, FERRY_CHECK_STEP_SECURE, FERRY_ERROR_TLS,
                             code > 0 ? said : _("The server did not answer AUTH TLS"),
                             _("This server does not offer TLS. Choose plain “FTP” only if you "
                               "accept that your password crosses the network unencrypted."));
    }

  certificate = ferry_tls_probe_socket (socket, ferry_connector_get_server (c), &plain_text, &error);
  if (cancelled (worker))
    return FALSE;
  if (certificate == NULL)
    {
      const char *hint = NULL;
      g_autofree char *message = g_strdup (error->message);

      if (plain_text && kind == FERRY_CONNECTOR_KIND_FTPS_IMPLICIT)
        hint = _("The server answered in plain text, so it does not expect TLS from the first "
                 "byte. Choose “FTP over TLS (explicit)”, which servers on port 21 usually offer.");
      return fail_literal (worker, FERRY_CHECK_STEP_SECURE, FERRY_ERROR_TLS, message, hint);
    }

  worker->outcome->certificate = ferry_certificate_copy (certificate);

  if (pin != NULL)
    {
      g_autofree char *message = NULL;

      if (g_strcmp0 (pin, certificate->pin) == 0)
        {
          set_step (worker, FERRY_CHECK_STEP_SECURE, FERRY_CHECK_STATE_PASSED,
                    _("The certificate you trusted"));
          return TRUE;
        }
      message = g_strdup_printf (_("The server’s key changed: you trusted %s, it now presents %s "
                                   "(certificate fingerprint %s)"),
                                 pin, certificate->pin, certificate->fingerprint);
      return fail_literal (worker, FERRY_CHECK_STEP_SECURE, FERRY_ERROR_PIN_MISMATCH, message, NULL);
    }

  if (!certificate->trusted_by_system)
    {
      g_autofree char *message = g_strdup_printf (_("The certificate is not trusted: %s"),
                                                  certificate->trust_problem);

      return fail_literal (worker, FERRY_CHECK_STEP_SECURE, FERRY_ERROR_UNTRUSTED, message, NULL);
    }

  set_step (worker, FERRY_CHECK_STEP_SECURE, FERRY_CHECK_STATE_PASSED,
            _("Certificate verified by this computer"));
  return TRUE;
}

typedef struct
{
  guint lines;
  gboolean list_started;
} ListCount;

static size_t
count_lines (char   *data,
             size_t  size,
             size_t  nmemb,
             void   *user_data)
{
  ListCount *count = user_data;

  for (size_t i = 0; i < size * nmemb; i++)
    if (data[i] == '\n')
      count->lines++;
  return size * nmemb;
}

static int
progress (void       *user_data,
          curl_off_t  dltotal,
          curl_off_t  dlnow,
          curl_off_t  ultotal,
          curl_off_t  ulnow)
{
  return g_cancellable_is_cancelled (user_data) ? 1 : 0;
}

static gboolean
step_session (Worker *worker)
{
  FerryConnector *c = worker->connector;
  FerryConnectorKind kind = ferry_connector_get_kind (c);
  FerryCurlState state = { 0 };
  ListCount count = { 0 };
  char errbuf[CURL_ERROR_SIZE] = "";
  g_autofree char *url = NULL;
  g_autofree char *path = NULL;
  g_autofree char *detail = NULL;
  GError *error = NULL;
  CURLcode code;
  CURL *easy;
  FerryCheckStep failed;

  ferry_curl_global_init ();

  if (worker->path != NULL && *worker->path != '\0')
    path = g_str_has_suffix (worker->path, "/") ? g_strdup (worker->path)
                                                : g_strconcat (worker->path, "/", NULL);
  else
    path = g_strdup (kind == FERRY_CONNECTOR_KIND_SFTP ? "/~/" : "/");
  url = ferry_connector_dup_url (c, path);

  easy = curl_easy_init ();
  if (!ferry_curl_setup (easy, c, worker->password, &state, &error))
    {
      curl_easy_cleanup (easy);
      return fail (worker, FERRY_CHECK_STEP_LOGIN, error, NULL);
    }
  curl_easy_setopt (easy, CURLOPT_URL, url);
  curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, count_lines);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, &count);
  curl_easy_setopt (easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (easy, CURLOPT_XFERINFOFUNCTION, progress);
  curl_easy_setopt (easy, CURLOPT_XFERINFODATA, worker->cancellable);

  if (kind == FERRY_CONNECTOR_KIND_SFTP)
    set_step (worker, FERRY_CHECK_STEP_SECURE, FERRY_CHECK_STATE_RUNNING, NULL);
  set_step (worker, FERRY_CHECK_STEP_LOGIN, FERRY_CHECK_STATE_RUNNING, ferry_connector_get_username (c));

  code = curl_easy_perform (easy);
  curl_easy_cleanup (easy);

  if (kind == FERRY_CONNECTOR_KIND_SFTP && state.presented_host_key != NULL)
    worker->outcome->host_key = g_strdup (state.presented_host_key);

  if (code == CURLE_OK)
    {
      if (kind == FERRY_CONNECTOR_KIND_SFTP)
        set_step (worker, FERRY_CHECK_STEP_SECURE, FERRY_CHECK_STATE_PASSED, state.presented_host_key);
      set_step (worker, FERRY_CHECK_STEP_LOGIN, FERRY_CHECK_STATE_PASSED, ferry_connector_get_username (c));
      if (kind != FERRY_CONNECTOR_KIND_SFTP)
        set_step (worker, FERRY_CHECK_STEP_DATA_CHANNEL, FERRY_CHECK_STATE_PASSED, _("Passive mode"));
      detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry in %s", "%u entries in %s",
                                             count.lines),
                                count.lines, path);
      set_step (worker, FERRY_CHECK_STEP_LIST, FERRY_CHECK_STATE_PASSED, detail);
      ferry_curl_state_clear (&state);
      return TRUE;
    }

  if (cancelled (worker))
    {
      ferry_curl_state_clear (&state);
      return FALSE;
    }

  ferry_curl_set_error (&error, code, &state, errbuf);

  /* Which step did libcurl get stuck in? */
  if (kind == FERRY_CONNECTOR_KIND_SFTP && !state.host_key_ok)
    {
      if (state.presented_host_key == NULL)
        failed = FERRY_CHECK_STEP_SECURE;
      else
        {
          g_autofree char *message = NULL;
          const char *pin = ferry_connector_get_pin (c);

          g_clear_error (&error);
          if (pin == NULL)
            {
              message = g_strdup_printf (_("The server’s host key is not trusted yet: %s"),
                                         state.presented_host_key);
              error = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_UNTRUSTED, message);
            }
          else
            {
              message = g_strdup_printf (_("The server’s host key changed: you trusted %s, it now "
                                           "presents %s"), pin, state.presented_host_key);
              error = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_PIN_MISMATCH, message);
            }
          failed = FERRY_CHECK_STEP_SECURE;
        }
    }
  else if (!state.logged_in)
    failed = FERRY_CHECK_STEP_LOGIN;
  else if (kind != FERRY_CONNECTOR_KIND_SFTP && !state.data_channel_open)
    {
      failed = FERRY_CHECK_STEP_DATA_CHANNEL;
      if (error->code != FERRY_ERROR_TOO_MANY)
        error->code = FERRY_ERROR_DATA_CHANNEL;
    }
  else if (kind != FERRY_CONNECTOR_KIND_SFTP && state.last_code != 150 && state.last_code != 125
           && state.last_code != 226 && (error->code == FERRY_ERROR_CONNECT
                                         || error->code == FERRY_ERROR_TRANSIENT))
    {
      /* Passive reply came, but its port could not be reached. */
      failed = FERRY_CHECK_STEP_DATA_CHANNEL;
      error->code = FERRY_ERROR_DATA_CHANNEL;
    }
  else
    failed = FERRY_CHECK_STEP_LIST;

  /* Mark what did pass before the failing step. */
  if (kind == FERRY_CONNECTOR_KIND_SFTP && failed > FERRY_CHECK_STEP_SECURE)
    set_step (worker, FERRY_CHECK_STEP_SECURE, FERRY_CHECK_STATE_PASSED, state.presented_host_key);
  if (failed > FERRY_CHECK_STEP_LOGIN)
    set_step (worker, FERRY_CHECK_STEP_LOGIN, FERRY_CHECK_STATE_PASSED, ferry_connector_get_username (c));
  else if (failed < FERRY_CHECK_STEP_LOGIN)
    set_step (worker, FERRY_CHECK_STEP_LOGIN, FERRY_CHECK_STATE_PENDING, NULL);
  if (failed > FERRY_CHECK_STEP_DATA_CHANNEL && kind != FERRY_CONNECTOR_KIND_SFTP)
    set_step (worker, FERRY_CHECK_STEP_DATA_CHANNEL, FERRY_CHECK_STATE_PASSED, _("Passive mode"));

  ferry_curl_state_clear (&state);
  return fail (worker, failed, error, NULL);
}

static gboolean
run_steps (Worker *worker)
{
  FerryConnectorKind kind = ferry_connector_get_kind (worker->connector);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  if (!ferry_connector_validate (worker->connector, &error))
    return fail (worker, FERRY_CHECK_STEP_RESOLVE, g_steal_pointer (&error), NULL);

  if (!step_resolve (worker))
    return FALSE;
  if (!step_connect (worker, &socket, &stream))
    return FALSE;
  if (ferry_connector_kind_uses_tls (kind) && !step_secure_tls (worker, socket))
    return FALSE;
  g_io_stream_close (stream, NULL, NULL);
  return step_session (worker);
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
ferry_connection_check_class_init (FerryConnectionCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ferry_connection_check_finalize;

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

static Outcome *
run_worker (FerryConnectionCheck *self,
            GMainContext         *context,
            GCancellable         *cancellable)
{
  Outcome *outcome = g_new0 (Outcome, 1);
  Worker worker = {
    .self = self,
    .context = context,
    .connector = self->connector,
    .password = self->password,
    .path = self->path,
    .cancellable = cancellable,
    .outcome = outcome,
  };

  outcome_init (outcome, ferry_connector_get_kind (self->connector));
  run_steps (&worker);
  return outcome;
}

static gboolean
take_outcome (FerryConnectionCheck  *self,
              Outcome               *outcome,
              GError               **error)
{
  gboolean ok = outcome->error == NULL;

  outcome_clear (&self->outcome);
  self->outcome = *outcome;
  if (!ok)
    g_propagate_error (error, g_error_copy (outcome->error));
  for (guint i = 0; i < FERRY_CHECK_N_STEPS; i++)
    g_signal_emit (self, signals[STEP_CHANGED], 0, i);
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
  Outcome *outcome = data;

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
  Outcome *outcome;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  outcome = g_task_propagate_pointer (G_TASK (result), &task_error);
  if (outcome == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&task_error));
      return FALSE;
    }
  return take_outcome (self, outcome, error);
}

FerryConnector *
ferry_connection_check_get_connector (FerryConnectionCheck *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTION_CHECK (self), NULL);
  return self->connector;
}

const char *
ferry_connection_check_get_step_label (FerryConnectionCheck *self,
                                       FerryCheckStep        step)
{
  FerryConnectorKind kind;

  g_return_val_if_fail (FERRY_IS_CONNECTION_CHECK (self), NULL);
  g_return_val_if_fail (step < FERRY_CHECK_N_STEPS, NULL);

  kind = ferry_connector_get_kind (self->connector);
  switch (step)
    {
    case FERRY_CHECK_STEP_RESOLVE:
      return _("Find the server");
    case FERRY_CHECK_STEP_CONNECT:
      return _("Connect");
    case FERRY_CHECK_STEP_SECURE:
      return kind == FERRY_CONNECTOR_KIND_SFTP ? _("Check the host key") : _("Secure the connection");
    case FERRY_CHECK_STEP_LOGIN:
      return _("Log in");
    case FERRY_CHECK_STEP_DATA_CHANNEL:
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
