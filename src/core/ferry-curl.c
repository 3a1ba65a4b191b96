/* ferry-curl.c: libcurl set up the Ferry way (see ferry-curl.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "ferry-curl.h"
#include "ferry-error.h"
#include "ferry-tls.h"

#define CONNECT_TIMEOUT_SECONDS 15L
#define REPLY_TIMEOUT_SECONDS 30L
/* Below 1 byte/s for a minute is a dead connection; a slow 10 GiB file is
 * fine, so there is no total timeout. */
#define LOW_SPEED_LIMIT 1L
#define LOW_SPEED_SECONDS 60L

/* FERRY_NETWORK_TIMEOUT (seconds, 1–600) replaces both the reply timeout and
 * the low-speed window: for tests of dead servers, and for users on links
 * where a minute is too short or too long. Documented in ferry-cli(1). */
static long
network_timeout (long fallback)
{
  const char *value = g_getenv ("FERRY_NETWORK_TIMEOUT");
  guint64 seconds;

  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 1, 600, &seconds, NULL))
    return (long) seconds;
  return fallback;
}

long
ferry_curl_reply_timeout (void)
{
  return network_timeout (REPLY_TIMEOUT_SECONDS);
}

void
ferry_curl_global_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&initialized, 1);
    }
}

void
ferry_curl_state_reset (FerryCurlState *state)
{
  state->last_code = 0;
  state->last_reply_failed = FALSE;
  g_clear_pointer (&state->last_reply, g_free);
  g_clear_pointer (&state->reply, ferry_ftp_reply_free);
  g_clear_pointer (&state->last_command, g_free);
  /* A reply cut short by an aborted call is no start for the next one. */
  if (state->replies != NULL && ferry_ftp_reply_parser_is_partial (state->replies))
    g_clear_pointer (&state->replies, ferry_ftp_reply_parser_free);
}

void
ferry_curl_state_clear (FerryCurlState *state)
{
  ferry_curl_state_reset (state);
  g_clear_pointer (&state->replies, ferry_ftp_reply_parser_free);
  g_clear_pointer (&state->presented_host_key, g_free);
  g_clear_pointer (&state->login_folder, g_free);
  g_clear_pointer (&state->feat, ferry_ftp_reply_free);
}

/* Masks secrets in one protocol line: "PASS ****", "Authorization: ****". */
static char *
redact_line (const char *line)
{
  if (g_ascii_strncasecmp (line, "PASS ", 5) == 0 || g_ascii_strcasecmp (line, "PASS") == 0)
    return g_strdup ("PASS ****");
  if (g_ascii_strncasecmp (line, "Authorization:", 14) == 0)
    return g_strdup ("Authorization: ****");
  if (g_ascii_strncasecmp (line, "ACCT ", 5) == 0)
    return g_strdup ("ACCT ****");
  return g_strdup (line);
}

/* One complete FTP reply (taken) from the shared parser. */
static void
observe_reply (FerryCurlState *state,
               FerryFtpReply  *reply)
{
  guint n = g_strv_length (reply->lines);
  int code = (int) reply->code;

  state->last_code = code;
  g_free (state->last_reply);
  state->last_reply = *reply->lines[n - 1] != '\0'
                      ? g_strdup_printf ("%d %s", code, reply->lines[n - 1])
                      : g_strdup_printf ("%d", code);
  ferry_curl_mask_control_bytes (state->last_reply);
  /* What the connection check and the backend want to know of the server. */
  if (g_strcmp0 (state->last_command, "PWD") == 0 && code == 257)
    {
      g_free (state->login_folder);
      state->login_folder = ferry_ftp_parse_pwd (reply->lines[0]);
    }
  if (g_strcmp0 (state->last_command, "FEAT") == 0 && code == 211)
    {
      g_clear_pointer (&state->feat, ferry_ftp_reply_free);
      state->feat = g_new0 (FerryFtpReply, 1);
      state->feat->code = reply->code;
      state->feat->lines = g_strdupv (reply->lines);
    }
  g_clear_pointer (&state->reply, ferry_ftp_reply_free);
  state->reply = reply;

  if (state->greeting_code == 0 && state->last_command == NULL)
    state->greeting_code = code;
  /* Called before libcurl sends PASS: it acts on the reply after this. */
  if (code == 331 && state->password_asked != NULL && state->user_sent_at != 0 &&
      g_str_has_prefix (state->last_command, "USER "))
    state->password_asked (state->login_hook_data, g_get_monotonic_time () - state->user_sent_at);
  if (code == 230)
    {
      state->logged_in = TRUE;
      if (state->login_passed != NULL)
        state->login_passed (state->login_hook_data);
    }
  if (code == 227 || code == 229)
    {
      state->data_channel_open = TRUE;
      state->passive_replies++;
    }
}

/* libcurl hands over the control connection's lines as they come: the same
 * reader as every other FTP reply turns them into replies. */
static void
observe_replies (FerryCurlState *state,
                 const char     *data,
                 size_t          size)
{
  FerryFtpReply *reply;
  gboolean ok;

  if (state->replies == NULL)
    state->replies = ferry_ftp_reply_parser_new ();
  ok = ferry_ftp_reply_parser_feed (state->replies, data, size, NULL);
  while ((reply = ferry_ftp_reply_parser_pop (state->replies)) != NULL)
    observe_reply (state, reply);
  /* What is no FTP reply fails libcurl's call too; the next starts afresh. */
  if (!ok)
    g_clear_pointer (&state->replies, ferry_ftp_reply_parser_free);
}

static void
observe_text (FerryCurlState *state,
              const char     *line)
{
  /* libcurl's OpenSSL words when a data connection resumes the session. */
  if (strstr (line, "re-using session ID") != NULL || strstr (line, "reusing session ID") != NULL)
    state->tls_session_reused = TRUE;
  /* libcurl's own words for SSH progress. */
  if (strstr (line, "Authentication complete") != NULL)
    state->logged_in = TRUE;
  /* "*" quote commands that failed: libcurl says so and goes on. */
  if (g_str_has_prefix (line, "QUOT command failed") || strstr (line, "SFTP: ") != NULL
      || strstr (line, "command failed") != NULL)
    {
      state->last_reply_failed = TRUE;
      g_free (state->last_reply);
      state->last_reply = g_strdup (line);
    }
}

void
ferry_curl_mask_control_bytes (char *text)
{
  for (char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = '?';
}

void
ferry_curl_state_show (FerryCurlState *state,
                       const char     *line)
{
  if (state->trace != NULL)
    state->trace (line, state->trace_data);
  /* G_MESSAGES_DEBUG=Ferry shows the protocol on stderr, masked like
   * the trace. */
  if (state->debug_log)
    g_debug ("%s", line);
}

static gboolean
is_ftp_family (FerryConnectorKind kind)
{
  return kind == FERRY_CONNECTOR_KIND_FTP || kind == FERRY_CONNECTOR_KIND_FTPS_EXPLICIT
         || kind == FERRY_CONNECTOR_KIND_FTPS_IMPLICIT;
}

static int
debug_callback (CURL          *easy,
                curl_infotype  type,
                char          *data,
                size_t         size,
                void          *user_data)
{
  FerryCurlState *state = user_data;
  g_autofree char *chunk = NULL;
  g_auto(GStrv) lines = NULL;

  if (type != CURLINFO_TEXT && type != CURLINFO_HEADER_IN && type != CURLINFO_HEADER_OUT)
    return 0;
  /* Nobody reads the lines: of libcurl's own words only the few that
   * observe_text() looks for matter, and making the rest is costly. */
  if (type == CURLINFO_TEXT && state->trace == NULL && !state->debug_log &&
      memmem (data, size, "Authentication complete", 23) == NULL &&
      memmem (data, size, "command failed", 14) == NULL &&
      memmem (data, size, "SFTP: ", 6) == NULL &&
      memmem (data, size, "session ID", 10) == NULL)
    return 0;

  /* SFTP: libcurl answers its "pwd" quote command in FTP's words. */
  if (type == CURLINFO_HEADER_IN && size > 5 && memcmp (data, "257 \"", 5) == 0 &&
      !is_ftp_family (ferry_connector_get_kind (state->connector)))
    {
      g_autofree char *text = g_strndup (data, size);

      g_free (state->login_folder);
      state->login_folder = ferry_ftp_parse_pwd (text);
    }

  chunk = g_strndup (data, size);
  lines = g_strsplit (chunk, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strdup (g_strchomp (lines[i]));
      g_autofree char *redacted = NULL;
      g_autofree char *shown = NULL;

      if (*line == '\0')
        continue;
      ferry_curl_mask_control_bytes (line);

      redacted = redact_line (line);
      switch (type)
        {
        case CURLINFO_HEADER_OUT:
          g_free (state->last_command);
          state->last_command = g_strdup (redacted);
          if (g_str_has_prefix (redacted, "USER "))
            state->user_sent_at = g_get_monotonic_time ();
          shown = g_strconcat ("> ", redacted, NULL);
          break;
        case CURLINFO_HEADER_IN:
          shown = g_strconcat ("< ", redacted, NULL);
          break;
        case CURLINFO_TEXT:
        default:
          observe_text (state, redacted);
          shown = g_strconcat ("* ", redacted, NULL);
          break;
        }
      ferry_curl_state_show (state, shown);
    }
  /* After the lines are shown: a reply may wake another session (the
   * login hooks), whose lines must come after these. */
  if (type == CURLINFO_HEADER_IN && is_ftp_family (ferry_connector_get_kind (state->connector)))
    observe_replies (state, data, size);
  return 0;
}

static int
host_key_callback (void       *user_data,
                   int         key_type,
                   const char *key,
                   size_t      key_length)
{
  FerryCurlState *state = user_data;
  const char *pin = ferry_connector_get_pin (state->connector);

  g_free (state->presented_host_key);
  state->presented_host_key = ferry_tls_host_key_fingerprint ((const guint8 *) key, key_length);

  /* Only the key the user trusted, and nothing before one was trusted:
   * authentication never starts with an unknown server. */
  if (pin != NULL && g_str_equal (pin, state->presented_host_key))
    {
      state->host_key_ok = TRUE;
      return CURLKHMATCH_OK;
    }
  return CURLKHMATCH_MISMATCH;
}

gboolean
ferry_curl_setup (CURL            *easy,
                  FerryConnector  *connector,
                  const char      *password,
                  FerryCurlState  *state,
                  GError         **error)
{
  FerryConnectorKind kind;
  const char *username;
  const char *pin;

  g_return_val_if_fail (easy != NULL, FALSE);
  g_return_val_if_fail (FERRY_IS_CONNECTOR (connector), FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  kind = ferry_connector_get_kind (connector);
  if (kind == FERRY_CONNECTOR_KIND_LOCAL)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                           "the local connector does not use libcurl");
      return FALSE;
    }

  state->connector = connector;
  username = ferry_connector_get_username (connector);
  pin = ferry_connector_get_pin (connector);

  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_USERNAME, username != NULL && *username != '\0' ? username : "anonymous");
  curl_easy_setopt (easy, CURLOPT_PASSWORD, password != NULL ? password : "");
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_SECONDS);
  curl_easy_setopt (easy, CURLOPT_LOW_SPEED_LIMIT, LOW_SPEED_LIMIT);
  curl_easy_setopt (easy, CURLOPT_LOW_SPEED_TIME, network_timeout (LOW_SPEED_SECONDS));
  curl_easy_setopt (easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt (easy, CURLOPT_TCP_KEEPIDLE, 30L);
  curl_easy_setopt (easy, CURLOPT_TCP_KEEPINTVL, 15L);
  state->debug_log = !g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN);
  curl_easy_setopt (easy, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt (easy, CURLOPT_DEBUGFUNCTION, debug_callback);
  curl_easy_setopt (easy, CURLOPT_DEBUGDATA, state);

  if (kind == FERRY_CONNECTOR_KIND_SFTP)
    {
      curl_easy_setopt (easy, CURLOPT_SSH_AUTH_TYPES, (long) (CURLSSH_AUTH_PASSWORD | CURLSSH_AUTH_KEYBOARD));
      curl_easy_setopt (easy, CURLOPT_SSH_HOSTKEYFUNCTION, host_key_callback);
      curl_easy_setopt (easy, CURLOPT_SSH_HOSTKEYDATA, state);
      return TRUE;
    }

  if (kind == FERRY_CONNECTOR_KIND_WEBDAV || kind == FERRY_CONNECTOR_KIND_WEBDAVS)
    {
      /* Basic only: offering more makes libcurl ask without credentials
       * first, one more round trip (and a rewound upload) per request. */
      curl_easy_setopt (easy, CURLOPT_HTTPAUTH, (long) CURLAUTH_BASIC);
      /* Never to another server with the password: redirects are refused
       * (the WebDAV backend says where they pointed). */
      curl_easy_setopt (easy, CURLOPT_FOLLOWLOCATION, 0L);
      curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, kind == FERRY_CONNECTOR_KIND_WEBDAVS ? "https" : "http");
      curl_easy_setopt (easy, CURLOPT_USERAGENT, "Ferry/" PACKAGE_VERSION);
      if (kind == FERRY_CONNECTOR_KIND_WEBDAVS && pin != NULL)
        {
          /* The user trusted exactly this key: the pin replaces the CA check. */
          curl_easy_setopt (easy, CURLOPT_PINNEDPUBLICKEY, pin);
          curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, 0L);
          curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, 0L);
        }
      else if (kind == FERRY_CONNECTOR_KIND_WEBDAVS)
        {
          curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, 1L);
          curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, 2L);
        }
      return TRUE;
    }

  /* FTP family: passive only (EPSV, then PASV), and the data connection
   * goes to the control host whatever address a PASV reply names. */
  curl_easy_setopt (easy, CURLOPT_FTP_USE_EPSV, 1L);
  curl_easy_setopt (easy, CURLOPT_FTP_SKIP_PASV_IP, 1L);
  curl_easy_setopt (easy, CURLOPT_SERVER_RESPONSE_TIMEOUT, network_timeout (REPLY_TIMEOUT_SECONDS));

  if (ferry_connector_kind_uses_tls (kind))
    {
      /* Explicit TLS never falls back to plain text. */
      curl_easy_setopt (easy, CURLOPT_USE_SSL, (long) CURLUSESSL_ALL);
      curl_easy_setopt (easy, CURLOPT_FTPSSLAUTH, (long) CURLFTPAUTH_TLS);
      /* TLS 1.2 exactly. With TLS 1.3, vsftpd (3.0.3 on OpenSSL 3, with
       * require_ssl_reuse) answers "426 Failure reading network stream" to an
       * upload that follows a download on the same session — reproduced with
       * the curl tool too; 1.2's session reuse works for both directions. */
      curl_easy_setopt (easy, CURLOPT_SSLVERSION,
                        (long) (CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_MAX_TLSv1_2));
      if (pin != NULL)
        {
          /* The user trusted exactly this key: the pin replaces the CA check. */
          curl_easy_setopt (easy, CURLOPT_PINNEDPUBLICKEY, pin);
          curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, 0L);
          curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, 0L);
        }
      else
        {
          curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, 1L);
          curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, 2L);
        }
    }
  return TRUE;
}

static gboolean
reply_mentions_tls (const char *reply)
{
  g_autofree char *lower = NULL;

  if (reply == NULL)
    return FALSE;
  lower = g_ascii_strdown (reply, -1);
  return strstr (lower, "encrypt") != NULL || strstr (lower, "tls") != NULL
         || strstr (lower, "ssl") != NULL || strstr (lower, "secure") != NULL;
}

/* A refusal because of a connection limit, whatever its code: 421 by the
 * book, but proftpd says "530 Sorry, the maximum number of clients (2) from
 * your host are already connected." Only words that say so plainly count,
 * so a wrong password is never taken for a busy server. */
gboolean
ferry_curl_reply_means_too_many (int         code,
                                 const char *reply)
{
  static const char *const phrases[] = {
    "too many", "maximum number of clients", "maximum number of connections",
    "connection limit", "max connections", "maximum connections",
  };
  g_autofree char *lower = NULL;

  if (code == 421)
    return TRUE;
  if (reply == NULL || code < 400 || code >= 600)
    return FALSE;
  lower = g_ascii_strdown (reply, -1);
  for (guint i = 0; i < G_N_ELEMENTS (phrases); i++)
    if (strstr (lower, phrases[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* An SSH server's refusal of one more session, in libcurl's and libssh2's
 * words (issue 25): ProFTPD's mod_sftp with MaxClientsPerHost lets the
 * connection in and refuses its channel ("Failure initializing sftp
 * session: Unable to startup channel"); OpenSSH refuses a channel beyond
 * MaxSessions ("Channel open failure"), and closes a connection beyond
 * MaxStartups during the banner exchange ("Failure establishing ssh
 * session: -13, Failed getting banner"). Each is "too many connections",
 * as FTP's 421 is: fewer connections, not a failed file. */
static gboolean
ssh_means_too_many (const char *detail)
{
  return detail != NULL &&
         (strstr (detail, "Unable to startup channel") != NULL ||
          strstr (detail, "Channel open failure") != NULL ||
          strstr (detail, "Failed getting banner") != NULL);
}

/* One switch over libcurl's codes, long because libcurl has many: read
 * whole, it shows which FerryError each failure becomes. */
void
ferry_curl_set_error (GError        **error,
                      CURLcode        code,
                      FerryCurlState *state,
                      const char     *errbuf)
{
  const char *detail = errbuf != NULL && *errbuf != '\0' ? errbuf : curl_easy_strerror (code);
  const char *reply = state != NULL && state->last_reply != NULL ? state->last_reply : NULL;
  int reply_code = state != NULL ? state->last_code : 0;
  FerryError ferry_code;
  g_autofree char *message = NULL;
  gboolean too_many = ferry_curl_reply_means_too_many (reply_code, reply) ||
                      (state != NULL && state->connector != NULL &&
                       ferry_connector_get_kind (state->connector) == FERRY_CONNECTOR_KIND_SFTP &&
                       ssh_means_too_many (detail));

  switch (code)
    {
    case CURLE_COULDNT_RESOLVE_HOST:
      ferry_code = FERRY_ERROR_RESOLVE;
      break;
    case CURLE_COULDNT_CONNECT:
      ferry_code = FERRY_ERROR_CONNECT;
      break;
    case CURLE_OPERATION_TIMEDOUT:
      /* libcurl reports a 421 (closing the session) as a timeout too. */
      if (reply_code == 421)
        {
          ferry_code = FERRY_ERROR_TOO_MANY;
          detail = _("the server closed the session");
        }
      else
        ferry_code = (state != NULL && state->greeting_code == 0) ? FERRY_ERROR_CONNECT : FERRY_ERROR_TRANSIENT;
      break;
    case CURLE_LOGIN_DENIED:
      if (too_many)
        ferry_code = FERRY_ERROR_TOO_MANY;
      else
        ferry_code = reply_mentions_tls (reply) ? FERRY_ERROR_TLS_REQUIRED : FERRY_ERROR_LOGIN;
      break;
    case CURLE_USE_SSL_FAILED:
      ferry_code = FERRY_ERROR_TLS;
      detail = _("the server does not offer TLS");
      break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_SHUTDOWN_FAILED:
      ferry_code = FERRY_ERROR_TLS;
      break;
    case CURLE_PEER_FAILED_VERIFICATION:
      ferry_code = (state != NULL && state->connector != NULL
                    && ferry_connector_get_pin (state->connector) != NULL)
                   ? FERRY_ERROR_PIN_MISMATCH : FERRY_ERROR_UNTRUSTED;
      break;
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      ferry_code = FERRY_ERROR_PIN_MISMATCH;
      break;
    case CURLE_FTP_WEIRD_PASV_REPLY:
    case CURLE_FTP_WEIRD_227_FORMAT:
    case CURLE_FTP_CANT_GET_HOST:
    case CURLE_FTP_ACCEPT_FAILED:
    case CURLE_FTP_ACCEPT_TIMEOUT:
      ferry_code = FERRY_ERROR_DATA_CHANNEL;
      break;
    case CURLE_REMOTE_ACCESS_DENIED:
    case CURLE_REMOTE_FILE_NOT_FOUND:
    case CURLE_QUOTE_ERROR:
    case CURLE_UPLOAD_FAILED:
    case CURLE_FTP_COULDNT_RETR_FILE:
      if (too_many)
        ferry_code = FERRY_ERROR_TOO_MANY;
      else if (reply_code == 553)
        ferry_code = FERRY_ERROR_BAD_NAME;
      else if (reply_code == 452 || reply_code == 552)
        ferry_code = FERRY_ERROR_NO_SPACE;
      else if (reply_code == 450 || reply_code == 451 || reply_code == 425 || reply_code == 426)
        ferry_code = FERRY_ERROR_TRANSIENT;
      else if (code == CURLE_REMOTE_FILE_NOT_FOUND
               || (reply_code == 550 && reply != NULL && strstr (reply, "No such") != NULL))
        ferry_code = FERRY_ERROR_NOT_FOUND;
      else
        ferry_code = FERRY_ERROR_PERMISSION;
      break;
    case CURLE_REMOTE_DISK_FULL:
      ferry_code = FERRY_ERROR_NO_SPACE;
      break;
    case CURLE_WRITE_ERROR:
      ferry_code = errno == ENOSPC ? FERRY_ERROR_NO_SPACE : FERRY_ERROR_FAILED;
      break;
    case CURLE_ABORTED_BY_CALLBACK:
      ferry_code = FERRY_ERROR_CANCELLED;
      break;
    case CURLE_WEIRD_SERVER_REPLY:
      ferry_code = too_many ? FERRY_ERROR_TOO_MANY : FERRY_ERROR_PROTOCOL;
      break;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_FTP_PORT_FAILED:
    case CURLE_SSH:
    default:
      ferry_code = too_many ? FERRY_ERROR_TOO_MANY : FERRY_ERROR_TRANSIENT;
      break;
    }

  if (reply != NULL && reply_code >= 400)
    {
      g_autofree char *number = g_strdup_printf ("%d", reply_code);
      const char *words = reply;

      /* libcurl's own words often carry the code already ("Access denied:
       * 530"): the server's reply then goes without it, said once. */
      if (strstr (detail, number) != NULL && g_str_has_prefix (reply, number))
        words = reply + strlen (number) + strspn (reply + strlen (number), " -");
      message = g_strdup_printf (_("%s (the server said: %s)"), detail, *words != '\0' ? words : reply);
    }
  else
    message = g_strdup (detail);
  g_set_error_literal (error, FERRY_ERROR, ferry_code, message);
}
