/* ferry-backend-curl-private.h: what the files of the curl backend share.
 *
 * ferry-backend-curl.c        the session: libcurl driven per call, quote
 *                             commands, list, stat, read, write, folders
 * ferry-backend-curl-mtime.c  modification times: MDTM one at a time, the
 *                             pipelined MDTM burst, MFMT and its fallbacks
 * ferry-backend-curl-hash.c   hashes the server computes (HASH, XSHA256…)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-backend.h"
#include "ferry-curl.h"

G_BEGIN_DECLS

typedef enum
{
  MTIME_UNKNOWN,
  MTIME_MFMT,      /* RFC draft "MFMT time path" */
  MTIME_MDTM,      /* "MDTM time path", as vsftpd takes it */
  MTIME_NONE,
} FerryCurlMtimeMethod;

typedef struct
{
  FerryBackend parent;

  CURL *easy;
  CURLM *multi;          /* owns the connection cache between calls */
  curl_socket_t control; /* the FTP control connection, when open */
  FerryCurlState state;
  char *password;
  char errbuf[CURL_ERROR_SIZE];
  gboolean sftp;
  FerryCurlMtimeMethod mtime_method;
  gboolean features_known;  /* FEAT asked, on the first session */
  gboolean has_mlsd;
  gboolean no_list_all;     /* the server refused "LIST -a": plain LIST */
  gboolean has_utf8;
  gboolean has_mdtm;
  guint hash_commands;      /* XSHA256, XSHA1, XMD5 in FEAT: 1 << GChecksumType */
  guint hash_draft;         /* HASH in FEAT, with these algorithms */
  guint hash_selected;      /* the GChecksumType + 1 chosen with OPTS HASH, or 0 */

  /* The run's cancellable and its descriptor, asked for once per session:
   * getting and releasing it around every transfer made and closed an
   * eventfd per file. */
  GCancellable *fd_cancellable;
  int cancel_fd;

  /* per call */
  GCancellable *cancellable;
  FerrySinkFunc sink;
  gpointer sink_data;
  FerrySourceFunc source;
  gpointer source_data;
  GError *callback_error;
  GString *body;
} FerryCurlBackend;

/* ferry-backend-curl.c */

/* FEAT and OPTS UTF8 before the first command of each FTP session. */
gboolean  _ferry_backend_curl_ftp_session       (FerryCurlBackend  *self,
                                                 GCancellable      *cancellable,
                                                 GError           **error);
/* One command on the open connection, judged by its reply. */
gboolean  _ferry_backend_curl_run_quote         (FerryCurlBackend  *self,
                                                 const char        *command,
                                                 GCancellable      *cancellable,
                                                 GError           **error);
/* FTP: "VERB path"; a 550 answer is FERRY_ERROR_NOT_FOUND. */
gboolean  _ferry_backend_curl_ask_about         (FerryCurlBackend  *self,
                                                 const char        *verb,
                                                 const char        *path,
                                                 GCancellable      *cancellable,
                                                 GError           **error);
/* A path as a command's argument: relative for FTP, quoted for SFTP. */
char     *_ferry_backend_curl_quote_arg         (FerryCurlBackend  *self,
                                                 const char        *path);
gboolean  _ferry_backend_curl_has_control_chars (const char        *path);
/* FERRY_ERROR_BAD_NAME for a path that would split a command in two. */
gboolean  _ferry_backend_curl_check_path        (const char        *path,
                                                 GError           **error);

/* ferry-backend-curl-mtime.c */

gboolean  _ferry_backend_curl_ftp_mdtm          (FerryCurlBackend  *self,
                                                 const char        *path,
                                                 gint64            *mtime,
                                                 GCancellable      *cancellable,
                                                 GError           **error);
/* The FerryBackendVTable's get_mtime, get_mtimes and set_mtime. */
gboolean  _ferry_backend_curl_get_mtime         (FerryBackend      *backend,
                                                 const char        *path,
                                                 gint64            *mtime,
                                                 GCancellable      *cancellable,
                                                 GError           **error);
gboolean  _ferry_backend_curl_get_mtimes        (FerryBackend       *backend,
                                                 const char *const  *paths,
                                                 guint               n_paths,
                                                 gint64             *mtimes,
                                                 gboolean           *known,
                                                 GCancellable       *cancellable,
                                                 GError            **error);
gboolean  _ferry_backend_curl_set_mtime         (FerryBackend      *backend,
                                                 const char        *path,
                                                 gint64             mtime,
                                                 GCancellable      *cancellable,
                                                 GError           **error);

/* ferry-backend-curl-hash.c */

/* From the FEAT reply: which hashes the server computes. */
void      _ferry_backend_curl_note_hashes       (FerryCurlBackend  *self,
                                                 GHashTable        *features);
/* The FerryBackendVTable's hash. */
gboolean  _ferry_backend_curl_hash              (FerryBackend      *backend,
                                                 const char        *path,
                                                 GChecksumType      algorithm,
                                                 char             **hex,
                                                 GCancellable      *cancellable,
                                                 GError           **error);

G_END_DECLS
