/* ferry-curl.h: one place that turns a connector into a configured libcurl
 * easy handle — credentials, TLS and pins, SSH host keys, passive mode,
 * keepalive and timeouts — and turns libcurl's answers into Ferry errors.
 *
 * Shared by the connection check and the curl backend so both behave alike.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <curl/curl.h>
#include <glib.h>

#include "ferry-backend.h"
#include "ferry-connector.h"
#include "ferry-ftp-reply.h"

G_BEGIN_DECLS

/* What the protocol trace showed while a handle worked; owned by the caller
 * of ferry_curl_setup() and filled by libcurl's callbacks. */
typedef struct
{
  FerryConnector *connector;          /* borrowed */
  FerryTraceFunc  trace;              /* each protocol line, PASS masked */
  gpointer        trace_data;

  int             last_code;          /* last FTP reply code */
  char           *last_reply;         /* and its last line, "NNN text" */
  FerryFtpReply  *reply;              /* FTP: that reply whole, all its lines */
  FerryFtpReplyParser *replies;       /* FTP: reads libcurl's incoming lines */
  char           *last_command;      /* last command sent, masked */
  int             greeting_code;      /* the 220 (or 421…) that opened the session */
  char           *presented_host_key; /* SSH: SHA256:… the server showed */
  gboolean        host_key_ok;
  gboolean        logged_in;          /* 230, or SSH authentication complete */
  gboolean        data_channel_open;  /* 227/229 passive reply */
  guint           passive_replies;    /* how many 227/229 replies so far */
  gboolean        last_reply_failed;  /* SFTP: libcurl said a quote command failed */
  gboolean        debug_log;          /* G_MESSAGES_DEBUG asks for the protocol */
  char           *login_folder;       /* from a PWD reply (SFTP: libcurl's "pwd") */
  FerryFtpReply  *feat;               /* FTP: the reply to FEAT, when asked */
  gboolean        tls_session_reused; /* a data connection resumed the control's TLS session */
  /* FTP: asked when the server has taken the user name and waits for the
   * password (331), with the round trip USER took; FALSE: the password
   * must not go (the hook has shut the connection). NULL: it goes. Then
   * login_passed on the 230. */
  gboolean      (*password_asked) (gpointer data,
                                   gint64   round_trip);
  void          (*login_passed)   (gpointer data);
  gpointer        login_hook_data;
  gint64          user_sent_at;       /* when USER went, for that round trip */
} FerryCurlState;

void     ferry_curl_global_init (void);
/* Seconds to wait for a reply: 30, or FERRY_NETWORK_TIMEOUT. */
long     ferry_curl_reply_timeout (void);
void     ferry_curl_state_reset (FerryCurlState *state);
void     ferry_curl_state_clear (FerryCurlState *state);
/* Server text is not trusted: every control byte in `text` becomes '?',
 * in place, before it reaches a log line or an error message. */
void     ferry_curl_mask_control_bytes (char *text);
/* One protocol line (already masked, without control bytes) to the trace
 * and, with G_MESSAGES_DEBUG=Ferry, to the debug log. */
void     ferry_curl_state_show  (FerryCurlState *state,
                                 const char     *line);

/* Configures `easy` for `connector`. The password is copied into libcurl
 * (CURLOPT_PASSWORD), never into a URL. `state` must outlive the handle. */
gboolean ferry_curl_setup       (CURL           *easy,
                                 FerryConnector *connector,
                                 const char     *password,
                                 FerryCurlState *state,
                                 GError        **error);

/* A reply that refuses because of a connection limit (421, or proftpd's
 * "530 Sorry, the maximum number of clients ..."). */
gboolean ferry_curl_reply_means_too_many (int         code,
                                          const char *reply);
/* Maps a failed transfer to FERRY_ERROR_* with the server's own words. */
void     ferry_curl_set_error   (GError        **error,
                                 CURLcode        code,
                                 FerryCurlState *state,
                                 const char     *errbuf);

G_END_DECLS
