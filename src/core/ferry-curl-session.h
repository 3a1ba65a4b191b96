/* ferry-curl-session.h: one libcurl session into a server, shared by the
 * backends that speak through libcurl (FTP and FTPS, SFTP, WebDAV).
 *
 * A session is one easy handle driven through its own multi handle, which
 * keeps the connection (and its TLS session) open between calls, so a
 * worker logs in once for thousands of files. It moves the bytes of one
 * call between libcurl and the caller's sink or source, notices Cancel
 * within a poll, and turns a failed call into a Ferry error. What a
 * protocol does with it (which commands, which options per call) stays in
 * that protocol's backend file; what differs in how the session waits is
 * said with FerryCurlSessionFlags.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-backend.h"
#include "ferry-curl.h"

G_BEGIN_DECLS

typedef enum
{
  /* FTP: the control connection joins the poll set, so a reply that
   * libcurl 7.88 would read only at its 1 s timeout is read at once. */
  FERRY_CURL_SESSION_WATCH_CONTROL = 1 << 0,
  /* SSH: wait for the server's answer (readable) rather than for the
   * nearly always writable socket libcurl 7.88 asks for. */
  FERRY_CURL_SESSION_WAIT_READABLE = 1 << 1,
} FerryCurlSessionFlags;

typedef struct _FerryCurlSession FerryCurlSession;

/* Sets a protocol's own per-call defaults back, after the common ones. */
typedef void (*FerryCurlResetFunc) (FerryCurlSession *session);

struct _FerryCurlSession
{
  FerryBackend *backend;     /* the backend it belongs to; not owned */
  FerryCurlSessionFlags flags;
  FerryCurlResetFunc reset;  /* NULL: none */

  CURL *easy;
  CURLM *multi;              /* owns the connection cache between calls */
  curl_socket_t control;     /* the first connection (FTP: control), when open */
  guint control_serial;      /* counts control connections, from 1 */
  FerryCurlState state;
  char *password;
  char errbuf[CURL_ERROR_SIZE];

  /* The run's cancellable's descriptor, asked for once per session. */
  FerryCancelFd cancel_fd;

  /* per call */
  GCancellable *cancellable;
  FerrySinkFunc sink;
  gpointer sink_data;
  FerrySourceFunc source;
  gpointer source_data;
  GError *callback_error;
  GString *body;             /* when set, the answer is collected here */
  gsize max_body;            /* ... up to this many bytes (0: 128 MiB) */
};

/* Opens nothing yet: sets up the handles for `backend`'s connector. */
gboolean  ferry_curl_session_init        (FerryCurlSession       *session,
                                          FerryBackend           *backend,
                                          const char             *password,
                                          FerryCurlSessionFlags   flags,
                                          FerryCurlResetFunc      reset,
                                          GError                **error);
/* Closes the connection (FTP: says QUIT) and frees the handles. */
void      ferry_curl_session_clear       (FerryCurlSession       *session);
/* Options that belong to one call go back to their defaults. */
void      ferry_curl_session_reset_call  (FerryCurlSession       *session);
/* Runs the prepared call on `path` of the connector
 * (ferry_connector_dup_url()). */
gboolean  ferry_curl_session_perform     (FerryCurlSession       *session,
                                          const char             *path,
                                          GCancellable           *cancellable,
                                          GError                **error);
/* Runs the prepared call on a full URL. */
gboolean  ferry_curl_session_perform_url (FerryCurlSession       *session,
                                          const char             *url,
                                          GCancellable           *cancellable,
                                          GError                **error);
/* Quote commands on the open connection, with nothing transferred, each
 * with libcurl's '*' prefix so a refusal does not drop the connection;
 * TRUE when libcurl got through them: the caller judges the replies. */
gboolean  ferry_curl_session_run_quotes  (FerryCurlSession       *session,
                                          const char            **commands,
                                          const char             *where,
                                          GCancellable           *cancellable,
                                          GError                **error);

/* A LIST answer as entries, "." and ".." left out; FERRY_ERROR_TRANSIENT
 * when it stops in the middle of a line (cut short, whatever the server
 * said afterwards). Lines no family reads go to `refusals`. */
GPtrArray *ferry_curl_parse_listing      (GString                *body,
                                          GDateTime              *now,
                                          GPtrArray             **refusals,
                                          GError                **error);

gboolean  ferry_curl_has_control_chars   (const char             *path);
/* FERRY_ERROR_BAD_NAME for a path that would split a command in two. */
gboolean  ferry_curl_check_path          (const char             *path,
                                          GError                **error);
/* `dir` with a trailing "/", as a folder's URL path. */
char     *ferry_curl_dir_path            (const char             *dir);

G_END_DECLS
