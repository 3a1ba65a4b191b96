/* ferry-connection-check-steps.c: the steps of the connection check for
 * FTP, FTPS and SFTP, and the helpers every protocol's steps share, run
 * in the worker thread: find the server, connect and read its greeting
 * (through the shared FTP reply reader), secure the connection, then log
 * in, open a data channel and list through libcurl as a transfer would.
 *
 * Each step change goes to the caller's main context as it happens; the
 * outcome stays the worker's own until the run ends.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-connection-check-private.h"
#include "ferry-curl.h"
#include "ferry-ftp-reply.h"

#define CONNECT_TIMEOUT_SECONDS 10
#define GREETING_TIMEOUT_SECONDS 8
#define MAX_REPLY_BYTES 16384

typedef struct
{
  FerryConnectionCheck *self;
  FerryCheckStep step;
  FerryCheckState state;
  char *detail;
} StepUpdate;

static gboolean
step_update_dispatch (gpointer data)
{
  StepUpdate *update = data;

  _ferry_connection_check_apply_step (update->self, update->step, update->state, update->detail);
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

void
_ferry_check_set_step (FerryCheckWorker *worker,
          FerryCheckStep    step,
          FerryCheckState   state,
          const char       *detail)
{
  StepUpdate *update;

  worker->outcome->steps[step].state = state;
  g_free (worker->outcome->steps[step].detail);
  worker->outcome->steps[step].detail = g_strdup (detail);

  if (worker->context == NULL)
    {
      _ferry_connection_check_apply_step (worker->self, step, state, detail);
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

gboolean
_ferry_check_fail (FerryCheckWorker *worker,
      FerryCheckStep    step,
      GError           *error,     /* taken */
      const char       *hint)      /* NULL: the generic advice for the error */
{
  FerryConnector *c = worker->connector;

  worker->outcome->failed_step = step;
  worker->outcome->error = error;
  if (hint != NULL)
    worker->outcome->hint = g_strdup (hint);
  else if (error->domain == FERRY_ERROR)
    worker->outcome->hint = _ferry_connection_check_hint_for (step, error->code,
                                                              ferry_connector_get_kind (c),
                                                              ferry_connector_get_server (c),
                                                              ferry_connector_get_port (c));
  _ferry_check_set_step (worker, step, FERRY_CHECK_STATE_FAILED, error->message);
  return FALSE;
}

gboolean
_ferry_check_fail_literal (FerryCheckWorker *worker,
              FerryCheckStep    step,
              FerryError        code,
              const char       *message,
              const char       *hint)
{
  return _ferry_check_fail (worker, step, g_error_new_literal (FERRY_ERROR, code, message), hint);
}

gboolean
_ferry_check_cancelled (FerryCheckWorker *worker)
{
  if (!g_cancellable_is_cancelled (worker->cancellable))
    return FALSE;
  for (guint i = 0; i < FERRY_CHECK_N_STEPS; i++)
    if (worker->outcome->steps[i].state == FERRY_CHECK_STATE_RUNNING)
      return _ferry_check_fail_literal (worker, i, FERRY_ERROR_CANCELLED, _("Cancelled"), NULL), TRUE;
  worker->outcome->error = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_CANCELLED, _("Cancelled"));
  return TRUE;
}

gboolean
_ferry_check_step_resolve (FerryCheckWorker *worker)
{
  const char *server = ferry_connector_get_server (worker->connector);
  g_autoptr(GResolver) resolver = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  GList *addresses;

  _ferry_check_set_step (worker, FERRY_CHECK_STEP_RESOLVE, FERRY_CHECK_STATE_RUNNING, server);
  if (g_hostname_is_ip_address (server))
    {
      _ferry_check_set_step (worker, FERRY_CHECK_STEP_RESOLVE, FERRY_CHECK_STATE_PASSED, server);
      return TRUE;
    }

  resolver = g_resolver_get_default ();
  addresses = g_resolver_lookup_by_name (resolver, server, worker->cancellable, &error);
  if (_ferry_check_cancelled (worker))
    return FALSE;
  if (addresses == NULL)
    {
      /* GLib's own message names the server already ("Error resolving
       * “x”: …"): said once. */
      g_autofree char *message = g_strdup_printf (_("No such server: %s"), error->message);

      return _ferry_check_fail_literal (worker, FERRY_CHECK_STEP_RESOLVE, FERRY_ERROR_RESOLVE, message, NULL);
    }
  first = g_inet_address_to_string (addresses->data);
  g_resolver_free_addresses (addresses);
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_RESOLVE, FERRY_CHECK_STATE_PASSED, first);
  return TRUE;
}

/* Reads one FTP reply through the shared reader (ferry-ftp-reply.c); `text`
 * gets the bytes as received, to quote a server that is no FTP server.
 * Returns the code, 0 on something that is not an FTP reply, -1 on timeout
 * or a closed connection with nothing received. */
static int
read_reply (GSocket       *socket,
            GString       *text,
            GCancellable  *cancellable)
{
  g_autoptr(FerryFtpReplyParser) parser = ferry_ftp_reply_parser_new ();
  char buffer[1024];

  g_string_truncate (text, 0);
  while (text->len < MAX_REPLY_BYTES)
    {
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, cancellable, NULL);
      g_autoptr(FerryFtpReply) reply = NULL;

      if (n <= 0)
        return text->len > 0 ? 0 : -1;
      g_string_append_len (text, buffer, n);
      /* An SSH or HTTP server's first line is no reply: no need to wait
       * for the rest. */
      if (!ferry_ftp_reply_parser_feed (parser, buffer, n, NULL))
        return 0;
      reply = ferry_ftp_reply_parser_pop (parser);
      if (reply != NULL)
        return (int) reply->code;
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

/* The server's first words say whether it is the kind of server the
 * connector names; an FTP greeting must be a 2xx or 3xx reply. */
static gboolean
step_greeting (FerryCheckWorker *worker,
               GSocket          *socket)
{
  FerryConnectorKind kind = ferry_connector_get_kind (worker->connector);
  g_autoptr(GString) greeting = g_string_new (NULL);
  g_autofree char *said = NULL;
  int code;

  code = read_reply (socket, greeting, worker->cancellable);
  if (_ferry_check_cancelled (worker))
    return FALSE;
  said = first_line (greeting);

  if (kind == FERRY_CONNECTOR_KIND_SFTP)
    {
      if (!g_str_has_prefix (greeting->str, "SSH-"))
        {
          if (code >= 100)
            return _ferry_check_fail_literal (worker, FERRY_CHECK_STEP_CONNECT, FERRY_ERROR_PROTOCOL, said,
                                 _("This is an FTP server, not an SFTP one. Choose “FTP” or “FTP "
                                   "over TLS” as the type, or the SSH port (usually 22)."));
          return _ferry_check_fail_literal (worker, FERRY_CHECK_STEP_CONNECT, FERRY_ERROR_PROTOCOL,
                               _("The server did not greet like an SSH server"),
                               _("Check that this port is the server’s SSH port (usually 22)."));
        }
    }
  else if (g_str_has_prefix (greeting->str, "SSH-"))
    return _ferry_check_fail_literal (worker, FERRY_CHECK_STEP_CONNECT, FERRY_ERROR_PROTOCOL, said,
                         _("This port belongs to an SSH server. Choose “SFTP” as the type."));
  else if (code == -1)
    return _ferry_check_fail_literal (worker, FERRY_CHECK_STEP_CONNECT, FERRY_ERROR_TLS,
                         _("The server accepted the connection but said nothing"),
                         _("The server probably expects TLS from the first byte. Choose “FTP "
                           "over TLS (implicit)”, usually on port 990."));
  else if (code == 421)
    return _ferry_check_fail_literal (worker, FERRY_CHECK_STEP_CONNECT, FERRY_ERROR_TOO_MANY, said, NULL);
  else if (code < 200 || code >= 400)
    return _ferry_check_fail_literal (worker, FERRY_CHECK_STEP_CONNECT, FERRY_ERROR_PROTOCOL, said, NULL);

  _ferry_check_set_step (worker, FERRY_CHECK_STEP_CONNECT, FERRY_CHECK_STATE_PASSED, said);
  return TRUE;
}

gboolean
_ferry_check_step_connect (FerryCheckWorker  *worker,
                           GSocket          **socket_out,
                           GIOStream        **stream_out)
{
  FerryConnector *c = worker->connector;
  FerryConnectorKind kind = ferry_connector_get_kind (c);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = g_strdup_printf ("%s:%u", ferry_connector_get_server (c),
                                            ferry_connector_get_port (c));
  GSocket *socket;

  _ferry_check_set_step (worker, FERRY_CHECK_STEP_CONNECT, FERRY_CHECK_STATE_RUNNING, where);
  g_socket_client_set_timeout (client, CONNECT_TIMEOUT_SECONDS);
  connection = g_socket_client_connect_to_host (client, ferry_connector_get_server (c),
                                                ferry_connector_get_port (c),
                                                worker->cancellable, &error);
  if (_ferry_check_cancelled (worker))
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
      return _ferry_check_fail_literal (worker, FERRY_CHECK_STEP_CONNECT, FERRY_ERROR_CONNECT, message, NULL);
    }

  socket = g_socket_connection_get_socket (connection);
  g_socket_set_timeout (socket, GREETING_TIMEOUT_SECONDS);

  if (kind == FERRY_CONNECTOR_KIND_FTPS_IMPLICIT || kind == FERRY_CONNECTOR_KIND_WEBDAV
      || kind == FERRY_CONNECTOR_KIND_WEBDAVS)
    {
      /* The server waits for our TLS handshake or request: nothing to
       * read yet. */
      _ferry_check_set_step (worker, FERRY_CHECK_STEP_CONNECT, FERRY_CHECK_STATE_PASSED, where);
    }
  else if (!step_greeting (worker, socket))
    return FALSE;

  *socket_out = g_object_ref (socket);
  *stream_out = G_IO_STREAM (g_steal_pointer (&connection));
  return TRUE;
}

gboolean
_ferry_check_step_secure_tls (FerryCheckWorker *worker,
                              GSocket          *socket)
{
  FerryConnector *c = worker->connector;
  FerryConnectorKind kind = ferry_connector_get_kind (c);
  const char *pin = ferry_connector_get_pin (c);
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryCertificate) certificate = NULL;
  gboolean plain_text = FALSE;

  _ferry_check_set_step (worker, FERRY_CHECK_STEP_SECURE, FERRY_CHECK_STATE_RUNNING, NULL);

  if (kind == FERRY_CONNECTOR_KIND_FTPS_EXPLICIT)
    {
      g_autoptr(GString) reply = g_string_new (NULL);
      g_autofree char *said = NULL;
      int code;

      if (g_socket_send (socket, "AUTH TLS\r\n", 10, worker->cancellable, &error) != 10)
        return _ferry_check_fail_literal (worker, FERRY_CHECK_STEP_SECURE, FERRY_ERROR_CONNECT,
                             error != NULL ? error->message : _("The connection closed"), NULL);
      code = read_reply (socket, reply, worker->cancellable);
      if (_ferry_check_cancelled (worker))
        return FALSE;
      said = first_line (reply);
      if (code != 234)
        return _ferry_check_fail_literal (worker, FERRY_CHECK_STEP_SECURE, FERRY_ERROR_TLS,
                             code > 0 ? said : _("The server did not answer AUTH TLS"),
                             _("This server does not offer TLS. Choose plain “FTP” only if you "
                               "accept that your password crosses the network unencrypted."));
    }

  certificate = ferry_tls_probe_socket (socket, ferry_connector_get_server (c), &plain_text, &error);
  if (_ferry_check_cancelled (worker))
    return FALSE;
  if (certificate == NULL)
    {
      const char *hint = NULL;
      g_autofree char *message = g_strdup (error->message);

      if (plain_text && kind == FERRY_CONNECTOR_KIND_FTPS_IMPLICIT)
        hint = _("The server answered in plain text, so it does not expect TLS from the first "
                 "byte. Choose “FTP over TLS (explicit)”, which servers on port 21 usually offer.");
      return _ferry_check_fail_literal (worker, FERRY_CHECK_STEP_SECURE, FERRY_ERROR_TLS, message, hint);
    }

  worker->outcome->certificate = ferry_certificate_copy (certificate);

  if (pin != NULL)
    {
      g_autofree char *message = NULL;

      if (g_strcmp0 (pin, certificate->pin) == 0)
        {
          _ferry_check_set_step (worker, FERRY_CHECK_STEP_SECURE, FERRY_CHECK_STATE_PASSED,
                    _("The certificate you trusted"));
          return TRUE;
        }
      message = g_strdup_printf (_("The server’s key changed: you trusted %s, it now presents %s "
                                   "(certificate fingerprint %s)"),
                                 pin, certificate->pin, certificate->fingerprint);
      return _ferry_check_fail_literal (worker, FERRY_CHECK_STEP_SECURE, FERRY_ERROR_PIN_MISMATCH, message, NULL);
    }

  if (!certificate->trusted_by_system)
    {
      g_autofree char *message = g_strdup_printf (_("The certificate is not trusted: %s"),
                                                  certificate->trust_problem);

      return _ferry_check_fail_literal (worker, FERRY_CHECK_STEP_SECURE, FERRY_ERROR_UNTRUSTED, message, NULL);
    }

  _ferry_check_set_step (worker, FERRY_CHECK_STEP_SECURE, FERRY_CHECK_STATE_PASSED,
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

/* libcurl failed somewhere between connecting and listing: which step
 * that was shows in what the protocol trace saw pass. Fails that step with
 * `error` (taken), marking the steps before it passed. */
static void
session_failed (FerryCheckWorker *worker,
                FerryCurlState   *state,
                GError           *error)
{
  FerryConnector *c = worker->connector;
  FerryConnectorKind kind = ferry_connector_get_kind (c);
  FerryCheckStep failed;

  /* Which step did libcurl get stuck in? */
  if (kind == FERRY_CONNECTOR_KIND_SFTP && !state->host_key_ok)
    {
      if (state->presented_host_key == NULL)
        failed = FERRY_CHECK_STEP_SECURE;
      else
        {
          g_autofree char *message = NULL;
          const char *pin = ferry_connector_get_pin (c);

          g_clear_error (&error);
          if (pin == NULL)
            {
              message = g_strdup_printf (_("The server’s host key is not trusted yet: %s"),
                                         state->presented_host_key);
              error = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_UNTRUSTED, message);
            }
          else
            {
              message = g_strdup_printf (_("The server’s host key changed: you trusted %s, it now "
                                           "presents %s"), pin, state->presented_host_key);
              error = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_PIN_MISMATCH, message);
            }
          failed = FERRY_CHECK_STEP_SECURE;
        }
    }
  else if (!state->logged_in)
    failed = FERRY_CHECK_STEP_LOGIN;
  else if (kind != FERRY_CONNECTOR_KIND_SFTP && !state->data_channel_open)
    {
      failed = FERRY_CHECK_STEP_DATA_CHANNEL;
      if (error->code != FERRY_ERROR_TOO_MANY)
        error->code = FERRY_ERROR_DATA_CHANNEL;
    }
  else if (kind != FERRY_CONNECTOR_KIND_SFTP && state->last_code != 150 && state->last_code != 125
           && state->last_code != 226 && (error->code == FERRY_ERROR_CONNECT
                                          || error->code == FERRY_ERROR_TRANSIENT))
    {
      /* Passive reply came, but its port could not be reached. */
      failed = FERRY_CHECK_STEP_DATA_CHANNEL;
      error->code = FERRY_ERROR_DATA_CHANNEL;
    }
  else
    failed = FERRY_CHECK_STEP_LIST;

  /* A server that stops answering before the login is through could not
   * be reached, as far as the user can tell (exit code 3, not 1). */
  if (failed <= FERRY_CHECK_STEP_LOGIN && error->domain == FERRY_ERROR &&
      (error->code == FERRY_ERROR_TRANSIENT || error->code == FERRY_ERROR_PROTOCOL ||
       error->code == FERRY_ERROR_FAILED))
    error->code = FERRY_ERROR_CONNECT;

  /* Mark what did pass before the failing step. */
  if (kind == FERRY_CONNECTOR_KIND_SFTP && failed > FERRY_CHECK_STEP_SECURE)
    _ferry_check_set_step (worker, FERRY_CHECK_STEP_SECURE, FERRY_CHECK_STATE_PASSED, state->presented_host_key);
  if (failed > FERRY_CHECK_STEP_LOGIN)
    _ferry_check_set_step (worker, FERRY_CHECK_STEP_LOGIN, FERRY_CHECK_STATE_PASSED, ferry_connector_get_username (c));
  else if (failed < FERRY_CHECK_STEP_LOGIN)
    _ferry_check_set_step (worker, FERRY_CHECK_STEP_LOGIN, FERRY_CHECK_STATE_PENDING, NULL);
  if (failed > FERRY_CHECK_STEP_DATA_CHANNEL && kind != FERRY_CONNECTOR_KIND_SFTP)
    _ferry_check_set_step (worker, FERRY_CHECK_STEP_DATA_CHANNEL, FERRY_CHECK_STATE_PASSED, _("Passive mode"));

  _ferry_check_fail (worker, failed, error, NULL);
}

static const char *
yes_no (gboolean yes)
{
  return yes ? _("yes") : _("no");
}

/* What the server offers that a migration cares about, in one line. */
static char *
describe_capabilities (FerryConnector *c,
                       FerryCurlState *state)
{
  FerryConnectorKind kind = ferry_connector_get_kind (c);
  g_autoptr(GHashTable) features = state->feat != NULL ? ferry_ftp_parse_feat (state->feat) : NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  const char *folder = state->login_folder != NULL ? state->login_folder : _("unknown");
  const char *times;

  if (kind == FERRY_CONNECTOR_KIND_SFTP)
    return g_strdup_printf (_("Login folder: %s"), folder);
  if (features != NULL && g_hash_table_contains (features, "MFMT"))
    times = "MFMT";
  else if (features != NULL && g_hash_table_contains (features, "MDTM"))
    times = _("MDTM (reading; setting is tried)");
  else
    times = _("no");
  g_string_append_printf (text, _("MLSD: %s"),
                          yes_no (features != NULL && (g_hash_table_contains (features, "MLSD") ||
                                                       g_hash_table_contains (features, "MLST"))));
  g_string_append (text, " · ");
  g_string_append_printf (text, _("Times: %s"), times);
  g_string_append (text, " · ");
  g_string_append_printf (text, _("UTF8: %s"), yes_no (features != NULL && g_hash_table_contains (features, "UTF8")));
  g_string_append (text, " · ");
  g_string_append_printf (text, _("REST: %s"), yes_no (features != NULL && g_hash_table_contains (features, "REST")));
  if (ferry_connector_kind_uses_tls (kind))
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, _("TLS session reuse: %s"), yes_no (state->tls_session_reused));
    }
  g_string_append (text, " · ");
  g_string_append_printf (text, _("Login folder: %s"), folder);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
step_session (FerryCheckWorker *worker)
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
  struct curl_slist *quotes = NULL;
  CURLcode code;
  CURL *easy;

  ferry_curl_global_init ();

  if (worker->path != NULL && *worker->path != '\0')
    path = g_str_has_suffix (worker->path, "/") ? g_strdup (worker->path)
                                                : g_strconcat (worker->path, "/", NULL);
  /* No path: the login folder, which PWD names. */
  url = ferry_connector_dup_url (c, path);
  /* libcurl's SFTP "pwd" names the URL's folder: the home only for "/~/". */
  if (kind == FERRY_CONNECTOR_KIND_SFTP && path == NULL)
    quotes = curl_slist_append (quotes, "pwd");
  else if (kind != FERRY_CONNECTOR_KIND_SFTP)
    {
      /* "*": a server without FEAT (RFC 2389 is optional) still passes. */
      quotes = curl_slist_append (quotes, "*FEAT");
      quotes = curl_slist_append (quotes, "*PWD");
    }

  easy = curl_easy_init ();
  if (!ferry_curl_setup (easy, c, worker->password, &state, &error))
    {
      curl_easy_cleanup (easy);
      return _ferry_check_fail (worker, FERRY_CHECK_STEP_LOGIN, error, NULL);
    }
  curl_easy_setopt (easy, CURLOPT_URL, url);
  curl_easy_setopt (easy, CURLOPT_QUOTE, quotes);
  curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, count_lines);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, &count);
  curl_easy_setopt (easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (easy, CURLOPT_XFERINFOFUNCTION, progress);
  curl_easy_setopt (easy, CURLOPT_XFERINFODATA, worker->cancellable);

  if (kind == FERRY_CONNECTOR_KIND_SFTP)
    _ferry_check_set_step (worker, FERRY_CHECK_STEP_SECURE, FERRY_CHECK_STATE_RUNNING, NULL);
  _ferry_check_set_step (worker, FERRY_CHECK_STEP_LOGIN, FERRY_CHECK_STATE_RUNNING, ferry_connector_get_username (c));

  code = curl_easy_perform (easy);
  curl_easy_cleanup (easy);
  curl_slist_free_all (quotes);

  if (kind == FERRY_CONNECTOR_KIND_SFTP && state.presented_host_key != NULL)
    worker->outcome->host_key = g_strdup (state.presented_host_key);

  if (code == CURLE_OK)
    {
      if (kind == FERRY_CONNECTOR_KIND_SFTP)
        _ferry_check_set_step (worker, FERRY_CHECK_STEP_SECURE, FERRY_CHECK_STATE_PASSED, state.presented_host_key);
      _ferry_check_set_step (worker, FERRY_CHECK_STEP_LOGIN, FERRY_CHECK_STATE_PASSED, ferry_connector_get_username (c));
      if (kind != FERRY_CONNECTOR_KIND_SFTP)
        _ferry_check_set_step (worker, FERRY_CHECK_STEP_DATA_CHANNEL, FERRY_CHECK_STATE_PASSED, _("Passive mode"));
      worker->outcome->login_folder = g_strdup (state.login_folder);
      worker->outcome->capabilities = describe_capabilities (c, &state);
      detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry in %s", "%u entries in %s",
                                             count.lines),
                                count.lines, path != NULL ? path
                                             : state.login_folder != NULL ? state.login_folder : "/");
      _ferry_check_set_step (worker, FERRY_CHECK_STEP_LIST, FERRY_CHECK_STATE_PASSED, detail);
      ferry_curl_state_clear (&state);
      return TRUE;
    }

  if (_ferry_check_cancelled (worker))
    {
      ferry_curl_state_clear (&state);
      return FALSE;
    }

  ferry_curl_set_error (&error, code, &state, errbuf);
  session_failed (worker, &state, error);
  ferry_curl_state_clear (&state);
  return FALSE;
}

gboolean
_ferry_connection_check_run_steps (FerryCheckWorker *worker)
{
  FerryConnectorKind kind = ferry_connector_get_kind (worker->connector);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  if (!ferry_connector_validate (worker->connector, &error))
    return _ferry_check_fail (worker, FERRY_CHECK_STEP_RESOLVE, g_steal_pointer (&error), NULL);

  /* One protocol's steps per file. */
  switch (kind)
    {
    case FERRY_CONNECTOR_KIND_WEBDAV:
    case FERRY_CONNECTOR_KIND_WEBDAVS:
      return _ferry_connection_check_run_webdav (worker);
    case FERRY_CONNECTOR_KIND_SMB:
      return _ferry_connection_check_run_smb (worker);
    case FERRY_CONNECTOR_KIND_GIO:
      return _ferry_connection_check_run_gio (worker);
    case FERRY_CONNECTOR_KIND_FTP:
    case FERRY_CONNECTOR_KIND_FTPS_EXPLICIT:
    case FERRY_CONNECTOR_KIND_FTPS_IMPLICIT:
    case FERRY_CONNECTOR_KIND_SFTP:
    case FERRY_CONNECTOR_KIND_LOCAL:
    default:
      break;
    }

  if (!_ferry_check_step_resolve (worker))
    return FALSE;
  if (!_ferry_check_step_connect (worker, &socket, &stream))
    return FALSE;
  if (ferry_connector_kind_uses_tls (kind) && !_ferry_check_step_secure_tls (worker, socket))
    return FALSE;
  g_io_stream_close (stream, NULL, NULL);
  return step_session (worker);
}
