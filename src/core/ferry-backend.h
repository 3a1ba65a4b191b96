/* ferry-backend.h: one session into one connector (DESIGN.md, "Backend").
 *
 * A backend is used by one worker thread at a time and keeps its connection
 * open across calls, so a run of thousands of files logs in once per worker.
 * Paths are absolute within the connector ("/", "/site/index.html"), always
 * with '/' separators, already checked by the caller for hostile names.
 *
 * Data flows through callbacks so that a server-to-server copy can stream
 * through a bounded buffer between two backends on two threads, and nothing
 * is ever staged on disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ferry-connector.h"
#include "ferry-entry.h"

G_BEGIN_DECLS

/* read(): called with each chunk of file data; return FALSE (with error set)
 * to abort the transfer. */
typedef gboolean (*FerrySinkFunc)   (const guint8  *data,
                                     gsize          length,
                                     gpointer       user_data,
                                     GError       **error);
/* write(): fill up to `length` bytes of `buffer`, return how many; 0 means
 * end of file; -1 (with error set) aborts. */
typedef gssize   (*FerrySourceFunc) (guint8        *buffer,
                                     gsize          length,
                                     gpointer       user_data,
                                     GError       **error);
/* Every protocol line and event worth a log line; passwords already masked. */
typedef void     (*FerryTraceFunc)  (const char    *line,
                                     gpointer       user_data);

/* What the engine knows of a file before write() sends its first byte
 * (ferry_backend_write_hinted()). All of it is optional: a backend that
 * cannot use a hint ignores it, and a write without hints is a plain
 * write(). */
typedef struct
{
  /* The source's modification time, for a protocol that takes it with
   * the upload (WebDAV: X-OC-Mtime on the PUT). The engine still calls
   * ferry_backend_finish() with it; the backend knows whether the upload
   * kept it already. */
  gboolean       mtime_known;
  gint64         mtime;
  /* The file's hash as lowercase hex, or NULL, for a protocol that stores
   * a hash sent with the upload (WebDAV: OC-Checksum): given only when it
   * was known before the data (a small local file, a hash the source
   * server computed), never at the cost of reading a source twice. */
  GChecksumType  hash_algorithm;
  const char    *hash_hex;
} FerryWriteHints;

typedef struct
{
  /* Entries of `dir`, without "." and ".."; names are as the server sent
   * them (the caller checks them). Array of FerryEntry*, freeing. */
  GPtrArray *(*list)      (FerryBackend  *self,
                           const char    *dir,
                           GCancellable  *cancellable,
                           GError       **error);
  /* The entry at `path` with size and the most precise time available, or
   * NULL with FERRY_ERROR_NOT_FOUND. */
  FerryEntry *(*stat)     (FerryBackend  *self,
                           const char    *path,
                           GCancellable  *cancellable,
                           GError       **error);
  /* Optional: only the exact modification time of the file at `path`, when
   * that is cheaper than stat(). */
  gboolean   (*get_mtime) (FerryBackend  *self,
                           const char    *path,
                           gint64        *mtime,
                           GCancellable  *cancellable,
                           GError       **error);
  /* Optional: the exact modification times of many files at once, where
   * the protocol can ask for them together. Sets known[i] and, when TRUE,
   * mtimes[i]; a file the server says nothing useful about stays unknown.
   * FALSE with G_IO_ERROR_NOT_SUPPORTED when this session cannot batch. */
  gboolean   (*get_mtimes) (FerryBackend       *self,
                            const char *const  *paths,
                            guint               n_paths,
                            gint64             *mtimes,
                            gboolean           *known,
                            GCancellable       *cancellable,
                            GError            **error);
  gboolean   (*read)      (FerryBackend  *self,
                           const char    *path,
                           guint64        offset,
                           FerrySinkFunc  sink,
                           gpointer       sink_data,
                           GCancellable  *cancellable,
                           GError       **error);
  /* offset 0 creates or truncates; offset > 0 appends at that offset
   * (APPE or REST+STOR; the local backend seeks). */
  gboolean   (*write)     (FerryBackend   *self,
                           const char     *path,
                           guint64         offset,
                           FerrySourceFunc source,
                           gpointer        source_data,
                           GCancellable   *cancellable,
                           GError        **error);
  /* Creates one level; succeeds when it exists already. */
  gboolean   (*mkdir)     (FerryBackend  *self,
                           const char    *path,
                           GCancellable  *cancellable,
                           GError       **error);
  /* Best effort where the server has no MFMT: FALSE with
   * G_IO_ERROR_NOT_SUPPORTED, which the caller logs once and ignores. */
  gboolean   (*set_mtime) (FerryBackend  *self,
                           const char    *path,
                           gint64         mtime,
                           GCancellable  *cancellable,
                           GError       **error);
  /* Optional: set_mtime() of `from`, then rename() to `to`, sent together
   * where the protocol lets a client send before the answer (FTP on a
   * plain control connection: one round trip instead of three). The time's
   * failure goes to *time_error, as set_mtime() would say it; FALSE is the
   * rename's failure, or G_IO_ERROR_NOT_SUPPORTED before anything was sent
   * (ferry_backend_finish() then does the two calls). */
  gboolean   (*finish)    (FerryBackend  *self,
                           const char    *from,
                           const char    *to,
                           gint64         mtime,
                           GError       **time_error,
                           GCancellable  *cancellable,
                           GError       **error);
  /* Replaces `to` when it exists. */
  gboolean   (*rename)    (FerryBackend  *self,
                           const char    *from,
                           const char    *to,
                           GCancellable  *cancellable,
                           GError       **error);
  gboolean   (*remove)    (FerryBackend  *self,
                           const char    *path,
                           GCancellable  *cancellable,
                           GError       **error);
  /* Optional: whether `path` is a folder, in one round trip where the
   * protocol has one (FTP: CWD); without it, stat() decides. */
  gboolean   (*is_folder) (FerryBackend  *self,
                           const char    *path,
                           gboolean      *is_file,
                           GCancellable  *cancellable,
                           GError       **error);
  /* Optional: the folder the session starts in (FTP: PWD), absolute. */
  char      *(*login_folder) (FerryBackend  *self,
                              GCancellable  *cancellable,
                              GError       **error);
  /* An empty folder. */
  gboolean   (*remove_folder) (FerryBackend  *self,
                               const char    *path,
                               GCancellable  *cancellable,
                               GError       **error);
  /* Optional: the server's own hash of the file at `path`, as lowercase
   * hex, with `algorithm` G_CHECKSUM_SHA256, SHA1 or MD5; FALSE with
   * G_IO_ERROR_NOT_SUPPORTED when it offers none for that algorithm. */
  gboolean   (*hash)      (FerryBackend   *self,
                           const char     *path,
                           GChecksumType   algorithm,
                           char          **hex,
                           GCancellable   *cancellable,
                           GError        **error);
  /* Optional: opens the session (logs in) now rather than at the first
   * command. */
  gboolean   (*connect)   (FerryBackend  *self,
                           GCancellable  *cancellable,
                           GError       **error);
  /* Optional: write() with what the engine knows of the file beforehand
   * (`hints` never NULL here); without it, write() is called. */
  gboolean   (*write_hinted) (FerryBackend           *self,
                              const char             *path,
                              guint64                 offset,
                              const FerryWriteHints  *hints,
                              FerrySourceFunc         source,
                              gpointer                source_data,
                              GCancellable           *cancellable,
                              GError                **error);
  /* Optional: the next read() on this session will be of `path` (NULL:
   * none known), so the protocol may ask for it ahead (FTP: its EPSV and
   * RETR while the current file is read). Only a hint: any other call
   * comes first at the cost of the request made ahead. */
  void       (*hint_read) (FerryBackend  *self,
                           const char    *path);
  void       (*free)      (FerryBackend  *self);
} FerryBackendVTable;

struct _FerryBackend
{
  const FerryBackendVTable *vtable;
  FerryConnector           *connector;  /* owned reference */
  FerryTraceFunc            trace;
  gpointer                  trace_data;
  /* Why lines of the last listing were refused, one translated message
   * each (ferry_listing_parse_full()), or NULL: the caller reports them. */
  GPtrArray                *list_refusals;
  /* read() learns the file's exact time in passing (SFTP: the stat libcurl
   * makes with the download), so nobody need ask before: then, after a
   * read, read_mtime_known and read_mtime say it. */
  gboolean                  times_with_read;
  gboolean                  read_mtime_known;
  gint64                    read_mtime;
  /* The hashes the server offers (1 << GChecksumType), once known. */
  guint                     hashes;
  /* The hashes write_hinted() sends with an upload for the server to keep
   * (1 << GChecksumType), once known: the engine works one out beforehand
   * only for a destination that keeps it. */
  guint                     upload_hashes;
  /* µs one command took on the open session, once measured (FTP: the
   * FEAT asked after the login), or 0: how far the server is. */
  gint64                    round_trip;
  /* Optional, set before the first call; called on the session's thread
   * with login_data. before_password: the server has taken the user name
   * and waits for the password (FTP's 331), after `round_trip` µs; FALSE
   * drops the connection with the password unsent, and the login fails.
   * login_passed: the server accepted the login (FTP's 230). A run opens
   * its workers' connections while its first login is checked this way,
   * and sends their passwords only once that one passed. */
  gboolean                (*before_password) (gpointer data,
                                              gint64   round_trip);
  void                    (*login_passed)    (gpointer data);
  gpointer                  login_data;
};

/* A session for `connector`; `password` is copied into the session and wiped
 * when it is freed (may be NULL for local). Does not connect yet: the first
 * call does, and later calls reuse the connection. */
FerryBackend *ferry_backend_new        (FerryConnector  *connector,
                                        const char      *password,
                                        GError         **error);
void          ferry_backend_set_trace  (FerryBackend    *self,
                                        FerryTraceFunc   trace,
                                        gpointer         trace_data);
void          ferry_backend_free       (FerryBackend    *self);
/* The next read() will be of `path`: see FerryBackendVTable.hint_read. */
void          ferry_backend_hint_read  (FerryBackend    *self,
                                        const char      *path);
/* Whether hint_read() can make reads faster on this backend. */
gboolean      ferry_backend_reads_ahead (FerryBackend   *self);
/* Logs in now, where the backend has a session to open; TRUE otherwise. */
gboolean      ferry_backend_connect    (FerryBackend    *self,
                                        GCancellable    *cancellable,
                                        GError         **error);

GPtrArray    *ferry_backend_list       (FerryBackend    *self,
                                        const char      *dir,
                                        GCancellable    *cancellable,
                                        GError         **error);
FerryEntry   *ferry_backend_stat       (FerryBackend    *self,
                                        const char      *path,
                                        GCancellable    *cancellable,
                                        GError         **error);
/* The file's modification time to the second; FALSE when the server cannot
 * tell it that precisely. */
gboolean      ferry_backend_get_mtime  (FerryBackend    *self,
                                        const char      *path,
                                        gint64          *mtime,
                                        GCancellable    *cancellable,
                                        GError         **error);
gboolean      ferry_backend_get_mtimes (FerryBackend       *self,
                                        const char *const  *paths,
                                        guint               n_paths,
                                        gint64             *mtimes,
                                        gboolean           *known,
                                        GCancellable       *cancellable,
                                        GError            **error);
gboolean      ferry_backend_read       (FerryBackend    *self,
                                        const char      *path,
                                        guint64          offset,
                                        FerrySinkFunc    sink,
                                        gpointer         sink_data,
                                        GCancellable    *cancellable,
                                        GError         **error);
gboolean      ferry_backend_write      (FerryBackend    *self,
                                        const char      *path,
                                        guint64          offset,
                                        FerrySourceFunc  source,
                                        gpointer         source_data,
                                        GCancellable    *cancellable,
                                        GError         **error);
/* write() with `hints` (may be NULL) for a backend that can use them. */
gboolean      ferry_backend_write_hinted (FerryBackend          *self,
                                          const char            *path,
                                          guint64                offset,
                                          const FerryWriteHints *hints,
                                          FerrySourceFunc        source,
                                          gpointer               source_data,
                                          GCancellable          *cancellable,
                                          GError               **error);
/* The hashes the server keeps when write_hinted() sends one (a bit per
 * GChecksumType), 0 when none or not known yet. */
guint         ferry_backend_get_upload_hashes (FerryBackend *self);
gboolean      ferry_backend_mkdir      (FerryBackend    *self,
                                        const char      *path,
                                        GCancellable    *cancellable,
                                        GError         **error);
gboolean      ferry_backend_set_mtime  (FerryBackend    *self,
                                        const char      *path,
                                        gint64           mtime,
                                        GCancellable    *cancellable,
                                        GError         **error);
gboolean      ferry_backend_rename     (FerryBackend    *self,
                                        const char      *from,
                                        const char      *to,
                                        GCancellable    *cancellable,
                                        GError         **error);
/* TRUE when `path` is a folder. FALSE with FERRY_ERROR_NOT_FOUND when
 * nothing is there, FERRY_ERROR_INVALID_INPUT when it is a file, or the
 * error that kept the question from an answer. The messages name the path
 * and the connector. A listing cannot tell: vsftpd lists a missing folder
 * as an empty one, and a file as a folder holding itself. */
gboolean      ferry_backend_check_folder (FerryBackend  *self,
                                          const char    *path,
                                          GCancellable  *cancellable,
                                          GError       **error);
/* The folder a session starts in ("/home/web"), for a folder chooser's
 * first page; "/" where the backend cannot tell. */
char         *ferry_backend_dup_login_folder (FerryBackend  *self,
                                              GCancellable  *cancellable,
                                              GError       **error);
gboolean      ferry_backend_remove     (FerryBackend    *self,
                                        const char      *path,
                                        GCancellable    *cancellable,
                                        GError         **error);
gboolean      ferry_backend_remove_folder (FerryBackend *self,
                                        const char      *path,
                                        GCancellable    *cancellable,
                                        GError         **error);
/* Which hashes the server computes itself (a bit per GChecksumType), 0
 * when none or before the first command. */
guint         ferry_backend_get_hashes (FerryBackend    *self);
gboolean      ferry_backend_hash       (FerryBackend    *self,
                                        const char      *path,
                                        GChecksumType    algorithm,
                                        char           **hex,
                                        GCancellable    *cancellable,
                                        GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryBackend, ferry_backend_free)

/* TRUE, with FERRY_ERROR_CANCELLED ("Cancelled") set, when `cancellable`
 * is cancelled: the check a backend makes between the steps of a call. */
gboolean      ferry_backend_check_cancelled (GCancellable  *cancellable,
                                             GError       **error);

/* A run's cancellable and its descriptor for poll(), kept across a
 * backend's calls: getting and releasing it around every transfer made and
 * closed an eventfd per file. Zero it, then set fd to -1. */
typedef struct
{
  GCancellable *cancellable;
  int fd;
} FerryCancelFd;

/* The descriptor to poll for `cancellable` (-1 for NULL), asked for only
 * when the cancellable changes. */
int           ferry_cancel_fd_for           (FerryCancelFd  *self,
                                             GCancellable   *cancellable);
void          ferry_cancel_fd_clear         (FerryCancelFd  *self);

/* The copy's last steps: the time onto `from` (its failure in *time_error,
 * the rename goes on), then `from` renamed to `to`; in one round trip
 * where the backend can (see the vtable's finish). */
gboolean      ferry_backend_finish     (FerryBackend    *self,
                                        const char      *from,
                                        const char      *to,
                                        gint64           mtime,
                                        GError         **time_error,
                                        GCancellable    *cancellable,
                                        GError         **error);

G_END_DECLS
