/* ferry-backend-ftp-private.h: what the files of the FTP backend share.
 *
 * ferry-backend-ftp.c        the session's FTP side: FEAT, quote commands,
 *                            list, stat, read, write, folders
 * ferry-backend-ftp-mtime.c  modification times: MDTM one at a time, the
 *                            pipelined MDTM burst, MFMT and its fallbacks
 * ferry-backend-ftp-hash.c   hashes the server computes (HASH, XSHA256…)
 * ferry-backend-ftp-retr.c   EPSV and RETR in one write, the next file asked ahead
 * ferry-backend-ftp-list.c   EPSV and LIST in one write; FEAT and OPTS UTF8 ON too
 *
 * The libcurl session itself (handles, driving a call, Cancel) is
 * ferry-curl-session.c, shared with SFTP and WebDAV.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-backend.h"
#include "ferry-curl-session.h"
#include "ferry-ftp-reply.h"

G_BEGIN_DECLS

typedef enum
{
  MTIME_UNKNOWN,
  MTIME_MFMT,      /* RFC draft "MFMT time path" */
  MTIME_MDTM,      /* "MDTM time path", as vsftpd takes it */
  MTIME_NONE,
} FerryFtpMtimeMethod;

/* Whether the next file may be asked for while one is read
 * (ferry-backend-ftp-retr.c). */
typedef enum
{
  FERRY_FTP_AHEAD_UNKNOWN,
  FERRY_FTP_AHEAD_PROBING,  /* a NOOP follows a RETR, its answer will tell */
  FERRY_FTP_AHEAD_OK,       /* NOOP answered after the RETR's end */
  FERRY_FTP_AHEAD_NO,       /* answered during it, or not with 200 */
} FerryFtpAheadMode;

/* One file's EPSV and RETR sent together, and their replies so far. */
typedef struct _FerryFtpJob FerryFtpJob;
struct _FerryFtpJob
{
  char *path;
  guint finals;          /* final replies read: 1 for EPSV, 2 for RETR */
  int epsv_code;
  guint16 port;
  int retr_code;         /* 0 until RETR's final reply */
  gboolean started;      /* 125/150 came */
  char *refusal;         /* RETR's final reply when it is not a success */
};

typedef struct
{
  FerryBackend parent;
  FerryCurlSession session;

  gboolean plain_control;   /* no TLS: the MDTM burst may write on it */
  FerryFtpMtimeMethod mtime_method;
  gboolean features_known;  /* FEAT asked, on the first session */
  gboolean has_mlsd;
  gboolean no_list_all;     /* the server refused "LIST -a": plain LIST */
  gboolean has_utf8;
  gboolean has_mdtm;
  guint hash_commands;      /* XSHA256, XSHA1, XMD5 in FEAT: 1 << GChecksumType */
  guint hash_draft;         /* HASH in FEAT, with these algorithms */
  guint hash_selected;      /* the GChecksumType + 1 chosen with OPTS HASH, or 0 */
  guint binary_serial;      /* session.control_serial of the last binary transfer by libcurl */
  gboolean no_pipelined_retr; /* the server did not answer EPSV with 229 */
  FerryFtpAheadMode ahead_mode;
  char *read_hint;          /* the file the next read() will ask for, or NULL */
  FerryFtpJob *ahead;       /* that file, asked for ahead on this connection… */
  FerryFtpReplyParser *ahead_parser; /* …with the replies read so far */
  guint ahead_serial;       /* …whose session.control_serial this is */
  /* ferry-backend-ftp-tls.c: the pipelined download over TLS */
  gpointer tls_control;     /* libcurl's SSL of the control connection… */
  guint tls_serial;         /* …seen on the connection of this serial */
  gboolean no_pipelined_tls; /* a data connection's TLS went wrong once */
} FerryFtpBackend;

/* ferry-backend-ftp.c */

/* FEAT and OPTS UTF8 before the first command of each FTP session. */
gboolean  _ferry_backend_ftp_session            (FerryFtpBackend   *self,
                                                 GCancellable      *cancellable,
                                                 GError           **error);
/* One command on the open connection, judged by its reply. */
gboolean  _ferry_backend_ftp_run_quote          (FerryFtpBackend   *self,
                                                 const char        *command,
                                                 GCancellable      *cancellable,
                                                 GError           **error);
/* "VERB path"; a 550 answer is FERRY_ERROR_NOT_FOUND. */
gboolean  _ferry_backend_ftp_ask_about          (FerryFtpBackend   *self,
                                                 const char        *verb,
                                                 const char        *path,
                                                 GCancellable      *cancellable,
                                                 GError           **error);
/* A path as a command's argument. */
char     *_ferry_backend_ftp_quote_arg          (const char        *path);

/* ferry-backend-ftp-mtime.c */

gboolean  _ferry_backend_ftp_mdtm               (FerryFtpBackend   *self,
                                                 const char        *path,
                                                 gint64            *mtime,
                                                 GCancellable      *cancellable,
                                                 GError           **error);
/* The FerryBackendVTable's get_mtime, get_mtimes and set_mtime. */
gboolean  _ferry_backend_ftp_get_mtime          (FerryBackend      *backend,
                                                 const char        *path,
                                                 gint64            *mtime,
                                                 GCancellable      *cancellable,
                                                 GError           **error);
gboolean  _ferry_backend_ftp_get_mtimes         (FerryBackend       *backend,
                                                 const char *const  *paths,
                                                 guint               n_paths,
                                                 gint64             *mtimes,
                                                 gboolean           *known,
                                                 GCancellable       *cancellable,
                                                 GError            **error);
gboolean  _ferry_backend_ftp_set_mtime          (FerryBackend      *backend,
                                                 const char        *path,
                                                 gint64             mtime,
                                                 GCancellable      *cancellable,
                                                 GError           **error);

/* ferry-backend-ftp-hash.c */

/* From the FEAT reply: which hashes the server computes. */
void      _ferry_backend_ftp_note_hashes        (FerryFtpBackend   *self,
                                                 GHashTable        *features);
/* The FerryBackendVTable's hash. */
gboolean  _ferry_backend_ftp_hash               (FerryBackend      *backend,
                                                 const char        *path,
                                                 GChecksumType      algorithm,
                                                 char             **hex,
                                                 GCancellable      *cancellable,
                                                 GError           **error);

/* The FerryBackendVTable's finish: time, RNFR and RNTO in one round trip. */
/* ferry-backend-ftp-retr.c: EPSV and RETR in one round trip;
 * G_IO_ERROR_NOT_SUPPORTED when libcurl must do it. */
gboolean  _ferry_backend_ftp_read_pipelined     (FerryFtpBackend   *self,
                                                 const char        *path,
                                                 FerrySinkFunc      sink,
                                                 gpointer           sink_data,
                                                 GCancellable      *cancellable,
                                                 GError           **error);

/* "229 Entering Extended Passive Mode (|||port|)": the port. */
gboolean  _ferry_backend_ftp_parse_epsv         (const char        *line,
                                                 guint16           *port);
/* A data connection to the control connection's peer on `port`, not yet
 * open (non-blocking); -1 when it cannot be tried. */
int       _ferry_backend_ftp_open_data          (FerryFtpBackend   *self,
                                                 guint16            port);

/* ferry-backend-ftp-list.c: EPSV and LIST (or MLSD) in one write into
 * `body`; G_IO_ERROR_NOT_SUPPORTED when libcurl must do it. */
gboolean  _ferry_backend_ftp_list_pipelined     (FerryFtpBackend   *self,
                                                 const char        *verb,
                                                 const char        *dir,
                                                 GString           *body,
                                                 GCancellable      *cancellable,
                                                 GError           **error);

/* A new session's FEAT and OPTS UTF8 ON in one write, logged in already:
 * the FEAT reply; G_IO_ERROR_NOT_SUPPORTED when libcurl must ask. */
FerryFtpReply *_ferry_backend_ftp_feat_burst    (FerryFtpBackend   *self,
                                                 GCancellable      *cancellable,
                                                 GError           **error);

/* The FerryBackendVTable's hint_read. */
void      _ferry_backend_ftp_hint_read          (FerryBackend      *backend,
                                                 const char        *path);
/* Forgets the file asked for ahead, closing the control connection when
 * its RETR is still waiting there. */
void      _ferry_backend_ftp_drop_ahead         (FerryFtpBackend   *self);
void      _ferry_backend_ftp_job_free           (FerryFtpJob       *job);

gboolean  _ferry_backend_ftp_finish             (FerryBackend      *backend,
                                                 const char        *from,
                                                 const char        *to,
                                                 gint64             mtime,
                                                 GError           **time_error,
                                                 GCancellable      *cancellable,
                                                 GError           **error);

G_END_DECLS
