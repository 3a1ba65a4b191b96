/* ferry-backend-smb.c: SMB shares (SMB2 and SMB3 only) through libsmbclient,
 * the library GVfs uses too.
 *
 * One SMBCCTX per session: a context is never used by two threads at once,
 * and each worker of a run has its own session, so its own connection to
 * the server, logged in once. The password reaches libsmbclient only
 * through the authentication callback, never in a URL, and is wiped when the
 * session ends. libsmbclient reports failures as errno values it mapped from
 * NT_STATUS codes; they become Ferry's errors here. Two of them need a
 * second look: EACCES may be a refused login or a refused file, and ENOENT
 * at a share's root is a share that does not exist; the list of shares the
 * server offers tells them apart.
 *
 * Times are kept (smbc_utimes, to the second); the protocol has no hash the
 * server computes, so `verify --checksum` reads both sides.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <libsmbclient.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "ferry-backend-smb.h"
#include "ferry-error.h"
#include "ferry-module.h"

/* One SMB2 READ or WRITE per call (servers take 1 to 8 MiB in one): large
 * enough to keep a link busy, small enough that four workers and the
 * walk's sessions stay within the run's memory budget. Allocated at the
 * first read or write: a session that only lists never needs it. */
#define CHUNK_SIZE (256 * 1024)
#define TIMEOUT_MS 30000

typedef struct
{
  FerryBackend parent;

  SMBCCTX *ctx;
  char *password;
  char *username;
  char *domain;
  char *server;
  guint16 port;
  /* A command went through: the login is good, so a later EACCES is about
   * a file, not about the credentials. */
  gboolean logged_in;
  /* The share last seen to exist: a missing file in it is just that. */
  char *share_seen;
  /* The share this session's context has a connection to ("" for the
   * server's list of shares), or NULL: calls elsewhere may connect. */
  char *share_connected;
  guint8 *buffer;
} SmbBackend;

/* libsmbclient is opened when the first SMB session starts, not linked:
 * it pulls in dozens of Samba's libraries, which cost every ferry-cli and
 * window process about 11 MiB of memory, SMB or not (measured on Debian
 * 12: `ferry-cli --help` 23 MiB linked, 11.4 MiB without; opening it
 * adds 14.6 MiB to a process before any context exists). */
#define LIBSMBCLIENT_SONAME "libsmbclient.so.0"

#define SMB_FUNCTIONS(X) \
  X (smbc_free_context) \
  X (smbc_getFunctionCheckServer) \
  X (smbc_getFunctionClose) \
  X (smbc_getFunctionClosedir) \
  X (smbc_getFunctionLseek) \
  X (smbc_getFunctionMkdir) \
  X (smbc_getFunctionOpen) \
  X (smbc_getFunctionOpendir) \
  X (smbc_getFunctionPurgeCachedServers) \
  X (smbc_getFunctionRead) \
  X (smbc_getFunctionReaddir) \
  X (smbc_getFunctionReaddirPlus2) \
  X (smbc_getFunctionRename) \
  X (smbc_getFunctionRmdir) \
  X (smbc_getFunctionStat) \
  X (smbc_getFunctionUnlink) \
  X (smbc_getFunctionUtimes) \
  X (smbc_getFunctionWrite) \
  X (smbc_getOptionUserData) \
  X (smbc_init_context) \
  X (smbc_new_context) \
  X (smbc_setDebug) \
  X (smbc_setFunctionCheckServer) \
  X (smbc_setFunctionAuthDataWithContext) \
  X (smbc_setOptionDebugToStderr) \
  X (smbc_setOptionFallbackAfterKerberos) \
  X (smbc_setOptionNoAutoAnonymousLogin) \
  X (smbc_setOptionProtocols) \
  X (smbc_setOptionUseCCache) \
  X (smbc_setOptionUseKerberos) \
  X (smbc_setOptionUserData) \
  X (smbc_setPort) \
  X (smbc_setTimeout) \
  X (smbc_setWorkgroup) \
  X (smbc_version)

struct smb_thread_functions;

static struct
{
#define DECLARE_FUNCTION(name) __typeof__ (name) *name;
  SMB_FUNCTIONS (DECLARE_FUNCTION)
#undef DECLARE_FUNCTION
  int (*smb_thread_set_functions) (const struct smb_thread_functions *functions);
  int (*smb_thread_once) (bool *once, void (*init) (void *data), void *data);
  int (*_talloc_free) (void *ptr, const char *location);
} lib;

typedef struct
{
  gboolean loaded;
  char *error;
} LibraryState;

/* Samba's thread interface (lib/util/smb_threads.h of Samba 4, checked
 * against 4.17's libsamba-util, which calls lock_mutex at offset 16): the
 * functions it calls for its locks (its once-only initialisations too, in
 * its own smb_thread_once(), which the layout is recognised by) and for
 * its thread-local talloc stack. */
struct smb_thread_functions
{
  int   (*create_mutex)    (const char *name, void **lock, const char *location);
  void  (*destroy_mutex)   (void *lock, const char *location);
  int   (*lock_mutex)      (void *lock, int lock_type, const char *location);
  int   (*create_tls)      (const char *name, void **key, const char *location);
  void  (*destroy_tls)     (void **key, const char *location);
  int   (*set_tls)         (void *key, const void *value, const char *location);
  void *(*get_tls)         (void *key, const char *location);
};

#define SMB_THREAD_UNLOCK 2

/* Samba's locks by name. Each is one of Samba's globals, and libsmbclient
 * makes its context counter's lock again whenever a context comes after
 * the last one went (its once-only setup starts over), without
 * destroying the old one: one lock per name keeps it the same lock, held
 * or not, and nothing is lost. */
static GMutex mutexes_lock;
static GHashTable *mutexes;

static int
thread_create_mutex (const char  *name,
                     void       **lock,
                     const char  *location)
{
  GMutex *mutex;

  g_mutex_lock (&mutexes_lock);
  if (mutexes == NULL)
    mutexes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  mutex = g_hash_table_lookup (mutexes, name);
  if (mutex == NULL)
    {
      mutex = g_new0 (GMutex, 1);
      g_mutex_init (mutex);
      g_hash_table_insert (mutexes, g_strdup (name), mutex);
    }
  g_mutex_unlock (&mutexes_lock);
  *lock = mutex;
  return 0;
}

static gboolean
is_mutex (gpointer key,
          gpointer value,
          gpointer mutex)
{
  return value == mutex;
}

static void
thread_destroy_mutex (void       *lock,
                      const char *location)
{
  g_mutex_lock (&mutexes_lock);
  g_hash_table_foreach_remove (mutexes, is_mutex, lock);
  g_mutex_unlock (&mutexes_lock);
  g_mutex_clear (lock);
  g_free (lock);
}

static int
thread_lock_mutex (void       *lock,
                   int         lock_type,
                   const char *location)
{
  if (lock_type == SMB_THREAD_UNLOCK)
    g_mutex_unlock (lock);
  else
    g_mutex_lock (lock);
  return 0;
}

/* The one thread-local value Samba keeps is its talloc stack (struct
 * talloc_stackframe in lib/util/talloc_stack.c: two ints, then the talloc
 * array of frames). Freed when a thread ends: the engine starts a reader
 * thread for each file it streams from a share. */
typedef struct
{
  int size;
  int allocated;
  void *frames;
} TallocStack;

static int (*talloc_free_function) (void *ptr, const char *location);

/* Samba took the thread functions: calls of different sessions may run
 * at the same time (see library_lock). */
static gboolean calls_side_by_side;

static void
free_talloc_stack (void *value)
{
  TallocStack *stack = value;

  if (talloc_free_function != NULL && stack->frames != NULL)
    talloc_free_function (stack->frames, G_STRLOC);
  free (stack);
}

static int
thread_create_tls (const char  *name,
                   void       **key,
                   const char  *location)
{
  pthread_key_t *pkey = g_new0 (pthread_key_t, 1);
  int code = pthread_key_create (pkey, g_str_equal (name, "talloc_stackframe") ? free_talloc_stack : NULL);

  if (code != 0)
    {
      g_free (pkey);
      return code;
    }
  *key = pkey;
  return 0;
}

static void
thread_destroy_tls (void       **key,
                    const char  *location)
{
  if (*key == NULL)
    return;
  pthread_key_delete (*(pthread_key_t *) *key);
  g_free (*key);
  *key = NULL;
}

static int
thread_set_tls (void       *key,
                const void *value,
                const char *location)
{
  return pthread_setspecific (*(pthread_key_t *) key, value);
}

/* Asked before the key exists too: Samba's talloc stack looks for the
 * thread's stack first, and makes the key only when there is none. */
static void *
thread_get_tls (void       *key,
                const char *location)
{
  if (key == NULL)
    return NULL;
  return pthread_getspecific (*(pthread_key_t *) key);
}

static const struct smb_thread_functions thread_functions = {
  thread_create_mutex,
  thread_destroy_mutex,
  thread_lock_mutex,
  thread_create_tls,
  thread_destroy_tls,
  thread_set_tls,
  thread_get_tls,
};

#define SYMBOL(name) { #name, (gpointer *) &lib.name },
static const FerrySymbol smb_symbols[] = { SMB_FUNCTIONS (SYMBOL) };
#undef SYMBOL

static gpointer
load_library (gpointer data)
{
  LibraryState *state = g_new0 (LibraryState, 1);
  GModule *module = ferry_module_open (LIBSMBCLIENT_SONAME, smb_symbols, G_N_ELEMENTS (smb_symbols), &state->error);

  if (module == NULL)
    return state;
  /* The thread functions, from the libraries libsmbclient itself loads
   * (libsamba-util, libtalloc), set before the first call into Samba makes
   * its talloc stack. Only Samba 4, whose thread interface and talloc
   * stack this knows (see struct smb_thread_functions); elsewhere every
   * call takes the lock alone, as libsmbclient without thread functions
   * needs. */
  if (g_str_has_prefix (lib.smbc_version (), "4.")
      && g_module_symbol (module, "smb_thread_set_functions", (gpointer *) &lib.smb_thread_set_functions)
      && g_module_symbol (module, "smb_thread_once", (gpointer *) &lib.smb_thread_once)
      && g_module_symbol (module, "_talloc_free", (gpointer *) &lib._talloc_free)
      && lib.smb_thread_set_functions (&thread_functions) == 0)
    {
      talloc_free_function = lib._talloc_free;
      calls_side_by_side = TRUE;
    }
  /* Kept for the life of the process: contexts may outlive any one run. */
  g_module_make_resident (module);
  state->loaded = TRUE;
  return state;
}

static gboolean
ensure_library (GError **error)
{
  static GOnce once = G_ONCE_INIT;
  LibraryState *state = g_once (&once, load_library, NULL);

  if (state->loaded)
    return TRUE;
  g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
               _("SMB shares need Samba’s client library (%s), which could not be loaded: %s"),
               LIBSMBCLIENT_SONAME, state->error);
  return FALSE;
}

/* libsmbclient keeps process-wide state behind every context: its
 * smb.conf, its debug settings, the name cache, and one talloc stack for
 * every call in flight. That stack becomes one per thread once Samba is
 * given thread functions (smb_thread_set_functions(), which libsamba-util
 * exports; Debian 12's libsmbclient does not export its own
 * smbc_thread_posix(), which calls it with pthread functions), so that is
 * done as the library is loaded, before any call into Samba (see
 * load_library()). What stays process-wide is guarded by library_lock:
 *
 * - shared: a call on a context whose connection to the path's share is
 *   made already (a request and its answer on that session's own socket);
 *   the four workers' calls run side by side;
 * - exclusive: making, configuring and freeing a context (smb.conf's
 *   options are global), and any call that may connect: the session's
 *   first, the first on another share, and a reconnection libsmbclient
 *   decides on its own (check_server() below takes the lock exclusively
 *   before it connects), since connecting resolves names through Samba's
 *   name cache, which is not safe to share between threads.
 *
 * A call is one request and its answer (a read or write of up to
 * CHUNK_SIZE); the data callbacks of the engine run outside the lock, the
 * authentication callback (which takes no lock) inside.
 *
 * What it changed (2026-12-06, FTP → SMB, 2000 files of 4 KiB, smbd on the
 * loopback, 4 workers, a release build on the loaded 2-core machine): one
 * lock around every call kept the four connections' round trips from
 * overlapping (32 044 futex calls, 42 s in them under `strace -f -c`, for
 * 18 211 SMB requests: 9.1 a file; 19 124 and 13 s after), and the job
 * went from 0.72 to 0.49 × rclone's time; see bench/README.md ("The SMB
 * job"), also for what the library costs in memory. */
static struct
{
  GMutex mutex;
  GCond cond;
  guint readers;
  guint writers_waiting;
  gboolean writer;
} library_lock;

/* A writer waiting holds back new readers: with four workers whose calls
 * overlap all the time, a lock that lets readers in ahead (glibc's
 * pthread_rwlock does) could keep a session that connects waiting for the
 * whole run. */
static void
library_read_lock (void)
{
  g_mutex_lock (&library_lock.mutex);
  while (library_lock.writer || library_lock.writers_waiting > 0)
    g_cond_wait (&library_lock.cond, &library_lock.mutex);
  library_lock.readers++;
  g_mutex_unlock (&library_lock.mutex);
}

static void
library_read_unlock (void)
{
  g_mutex_lock (&library_lock.mutex);
  library_lock.readers--;
  if (library_lock.readers == 0 && library_lock.writers_waiting > 0)
    g_cond_broadcast (&library_lock.cond);
  g_mutex_unlock (&library_lock.mutex);
}

static void
library_write_lock (void)
{
  g_mutex_lock (&library_lock.mutex);
  library_lock.writers_waiting++;
  while (library_lock.writer || library_lock.readers > 0)
    g_cond_wait (&library_lock.cond, &library_lock.mutex);
  library_lock.writers_waiting--;
  library_lock.writer = TRUE;
  g_mutex_unlock (&library_lock.mutex);
}

static void
library_write_unlock (void)
{
  g_mutex_lock (&library_lock.mutex);
  library_lock.writer = FALSE;
  g_cond_broadcast (&library_lock.cond);
  g_mutex_unlock (&library_lock.mutex);
}

enum
{
  LOCK_NONE,
  LOCK_SHARED,
  LOCK_EXCLUSIVE
};

/* How the calling thread holds library_lock right now. */
static _Thread_local int lock_held = LOCK_NONE;

/* libsmbclient's own test of a cached connection, which check_server()
 * wraps: the same function for every context. */
static smbc_check_server_fn default_check_server;

static gboolean is_connected_to (SmbBackend *self, const char *path);

static void
library_enter (SmbBackend *self,
               const char *path)
{
  g_assert (lock_held == LOCK_NONE);
  if (calls_side_by_side && self->logged_in && is_connected_to (self, path))
    {
      library_read_lock ();
      lock_held = LOCK_SHARED;
    }
  else
    {
      library_write_lock ();
      lock_held = LOCK_EXCLUSIVE;
    }
}

static void
library_leave (void)
{
  if (lock_held == LOCK_SHARED)
    library_read_unlock ();
  else
    library_write_unlock ();
  lock_held = LOCK_NONE;
}

/* Called by libsmbclient inside a call, before it uses a cached
 * connection: a dead one is replaced by a new connection within the same
 * call, which must not run beside other calls. The thread gives up its
 * shared hold and waits for the exclusive one: it holds nothing another
 * thread's call needs (its context is its own). */
static int
check_server (SMBCCTX *ctx,
              SMBCSRV *server)
{
  int dead = default_check_server (ctx, server);

  if (dead && lock_held == LOCK_SHARED)
    {
      library_read_unlock ();
      library_write_lock ();
      lock_held = LOCK_EXCLUSIVE;
    }
  return dead;
}

#define LOCKED(self, path, call) \
  ({ \
    __typeof__ (call) locked_result_; \
    int locked_errno_; \
    library_enter ((self), (path)); \
    locked_result_ = (call); \
    locked_errno_ = errno; \
    library_leave (); \
    errno = locked_errno_; \
    locked_result_; \
  })

static void
trace (SmbBackend *self,
       const char *format,
       ...) G_GNUC_PRINTF (2, 3);

static void
trace (SmbBackend *self,
       const char *format,
       ...)
{
  g_autofree char *line = NULL;
  va_list args;

  if (self->parent.trace == NULL)
    return;
  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  self->parent.trace (line, self->parent.trace_data);
}

static void
auth_callback (SMBCCTX    *ctx,
               const char *server,
               const char *share,
               char       *workgroup,
               int         workgroup_len,
               char       *username,
               int         username_len,
               char       *password,
               int         password_len)
{
  SmbBackend *self = lib.smbc_getOptionUserData (ctx);

  if (self->domain != NULL && *self->domain != '\0')
    g_strlcpy (workgroup, self->domain, workgroup_len);
  g_strlcpy (username, self->username != NULL ? self->username : "", username_len);
  g_strlcpy (password, self->password != NULL ? self->password : "", password_len);
}

char *
ferry_backend_smb_build_url (const char *server,
                             guint16     port,
                             const char *path)
{
  g_autoptr(GString) url = g_string_new ("smb://");
  g_auto(GStrv) names = NULL;

  g_return_val_if_fail (server != NULL && path != NULL, NULL);

  if (strchr (server, ':') != NULL)
    g_string_append_printf (url, "[%s]", server);
  else
    g_string_append (url, server);
  if (port != 0)
    g_string_append_printf (url, ":%u", port);
  names = g_strsplit (path, "/", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *escaped = NULL;

      if (*names[i] == '\0')
        continue;
      /* Everything but letters, digits and "-._~" escaped: a "?" would
       * start libsmbclient's options, a "%" an escape. */
      escaped = g_uri_escape_string (names[i], NULL, FALSE);
      g_string_append_c (url, '/');
      g_string_append (url, escaped);
    }
  if (url->str[url->len - 1] != '/' && strchr (url->str + 6, '/') == NULL)
    g_string_append_c (url, '/');
  return g_string_free (g_steal_pointer (&url), FALSE);
}

static char *
url_of (SmbBackend *self,
        const char *path)
{
  /* 445 is libsmbclient's own first choice (then 139, which is SMB1). */
  return ferry_backend_smb_build_url (self->server, self->port == 445 ? 0 : self->port, path);
}

/* The share a path is on ("Projects" of "/Projects/site"), or NULL for "/". */
static char *
share_of (const char *path)
{
  const char *start = path;
  const char *end;

  while (*start == '/')
    start++;
  if (*start == '\0')
    return NULL;
  end = strchr (start, '/');
  return end != NULL ? g_strndup (start, end - start) : g_strdup (start);
}

static gboolean
is_share_root (const char *path)
{
  g_autofree char *share = share_of (path);
  const char *rest;

  if (share == NULL)
    return FALSE;
  rest = strstr (path, share) + strlen (share);
  while (*rest == '/')
    rest++;
  return *rest == '\0';
}

static gboolean
is_server_root (const char *path)
{
  while (*path == '/')
    path++;
  return *path == '\0';
}

/* The share part of `path`: its start and length (0 for the server). */
static const char *
share_span (const char *path,
            gsize      *length)
{
  const char *end;

  while (*path == '/')
    path++;
  end = strchr (path, '/');
  *length = end != NULL ? (gsize) (end - path) : strlen (path);
  return path;
}

static gboolean
is_connected_to (SmbBackend *self,
                 const char *path)
{
  const char *share;
  gsize length;

  if (self->share_connected == NULL || path == NULL)
    return FALSE;
  share = share_span (path, &length);
  return strlen (self->share_connected) == length && strncmp (share, self->share_connected, length) == 0;
}

/* A call about `path` went through: the login is good, and the context
 * holds a connection to its share. */
static void
mark_connected (SmbBackend *self,
                const char *path)
{
  const char *share;
  gsize length;

  self->logged_in = TRUE;
  if (is_connected_to (self, path))
    return;
  share = share_span (path, &length);
  g_free (self->share_connected);
  self->share_connected = g_strndup (share, length);
}

static FerryError
code_for_errno (int code)
{
  switch (code)
    {
    case ENOSPC:
    case EDQUOT:
      return FERRY_ERROR_NO_SPACE;
    case EACCES:
    case EPERM:
    case EROFS:
      return FERRY_ERROR_PERMISSION;
    case ENOENT:
    case ENOTDIR:
      return FERRY_ERROR_NOT_FOUND;
    case ENAMETOOLONG:
    case EILSEQ:
      return FERRY_ERROR_BAD_NAME;
    case EEXIST:
      return FERRY_ERROR_EXISTS;
    case ECONNREFUSED:
    case EHOSTUNREACH:
    case ENETUNREACH:
    case EHOSTDOWN:
      return FERRY_ERROR_CONNECT;
    case ETIMEDOUT:
    case ECONNRESET:
    case ENETRESET:
    case ENETDOWN:
    case ESHUTDOWN:
    case ECONNABORTED:
    case ENOTCONN:
    case EPIPE:
    case EIO:
    case EAGAIN:
    case EBUSY:
      return FERRY_ERROR_TRANSIENT;
    case ECANCELED:
      return FERRY_ERROR_CANCELLED;
    default:
      return FERRY_ERROR_FAILED;
    }
}

static gboolean check_login (SmbBackend *self, GError **error);

/* Sets `error` for a failed call about `path` with errno `code`, taking a
 * second look at what EACCES and ENOENT mean before the login is proven. */
static gboolean
set_errno_error (SmbBackend  *self,
                 GError     **error,
                 int          code,
                 const char  *what,
                 const char  *path)
{
  FerryError ferry_code = code_for_errno (code);
  const char *name = ferry_connector_get_name (self->parent.connector);

  trace (self, "SMB %s %s: %s", what, path, g_strerror (code));

  if (ferry_code == FERRY_ERROR_TRANSIENT || ferry_code == FERRY_ERROR_CONNECT)
    {
      /* The next call opens a fresh connection rather than a dead one. */
      LOCKED (self, NULL, lib.smbc_getFunctionPurgeCachedServers (self->ctx) (self->ctx));
      self->logged_in = FALSE;
      g_clear_pointer (&self->share_connected, g_free);
    }
  else if (code == EINVAL && !self->logged_in)
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();
      GList *addresses = g_resolver_lookup_by_name (resolver, self->server, NULL, NULL);

      /* libsmbclient says EINVAL for a name that does not resolve. */
      if (addresses == NULL)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_RESOLVE,
                       _("No such server: %s"), self->server);
          return FALSE;
        }
      g_resolver_free_addresses (addresses);
    }
  else if (ferry_code == FERRY_ERROR_PERMISSION && !self->logged_in && !check_login (self, error))
    return FALSE;
  else if (ferry_code == FERRY_ERROR_NOT_FOUND && !is_server_root (path))
    {
      g_autofree char *share = share_of (path);
      g_autoptr(GError) list_error = NULL;
      g_auto(GStrv) shares = NULL;

      if (g_strcmp0 (share, self->share_seen) != 0)
        shares = ferry_backend_smb_list_shares (&self->parent, &list_error);
      if (shares != NULL && g_strv_contains ((const char * const *) shares, share))
        {
          g_free (self->share_seen);
          self->share_seen = g_strdup (share);
        }
      else if (shares != NULL)
        {
          g_autofree char *offered = g_strjoinv (", ", shares);

          if (shares[0] == NULL)
            g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                         _("%s has no share called “%s”, and offers no shares to this user"),
                         name, share);
          else
            g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                         _("%s has no share called “%s”; it offers: %s"), name, share, offered);
          return FALSE;
        }
    }

  if (ferry_code == FERRY_ERROR_CONNECT)
    g_set_error (error, FERRY_ERROR, ferry_code, _("Could not connect to %s port %u: %s"),
                 self->server, self->port, g_strerror (code));
  else
    g_set_error (error, FERRY_ERROR, ferry_code, "%s %s: %s", what, path, g_strerror (code));
  return FALSE;
}

/* The shares; errno as libsmbclient left it when NULL. */
static GStrv
read_shares (SmbBackend *self)
{
  g_autofree char *url = url_of (self, "/");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  struct smbc_dirent *dirent;
  GStrv shares;
  SMBCFILE *dir;

  dir = LOCKED (self, "/", lib.smbc_getFunctionOpendir (self->ctx) (self->ctx, url));
  if (dir == NULL)
    return NULL;
  while ((dirent = LOCKED (self, "/", lib.smbc_getFunctionReaddir (self->ctx) (self->ctx, dir))) != NULL)
    if (dirent->smbc_type == SMBC_FILE_SHARE && !g_str_has_suffix (dirent->name, "$"))
      g_strv_builder_add (builder, dirent->name);
  LOCKED (self, "/", lib.smbc_getFunctionClosedir (self->ctx) (self->ctx, dir));
  shares = g_strv_builder_end (builder);
  return shares;
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

GStrv
ferry_backend_smb_list_shares (FerryBackend  *backend,
                               GError       **error)
{
  SmbBackend *self = (SmbBackend *) backend;
  GStrv shares;

  g_return_val_if_fail (backend != NULL, NULL);

  errno = 0;
  shares = read_shares (self);
  if (shares == NULL)
    {
      int code = errno != 0 ? errno : EIO;

      if ((code == EACCES || code == EPERM) && !self->logged_in)
        {
          trace (self, "SMB login refused for %s", self->username != NULL ? self->username : "");
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_LOGIN,
                       _("%s refused the user name or password"), self->server);
          return NULL;
        }
      set_errno_error (self, error, code, _("Could not list the shares of"), "/");
      return NULL;
    }
  qsort (shares, g_strv_length (shares), sizeof (char *), compare_strings);
  mark_connected (self, "/");
  return shares;
}

/* An EACCES before anything went through: a refused login, or a refused
 * share? Listing the shares needs only the login. FALSE with
 * FERRY_ERROR_LOGIN when the login is what failed. */
static gboolean
check_login (SmbBackend  *self,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) shares = ferry_backend_smb_list_shares (&self->parent, &local_error);

  if (shares == NULL && g_error_matches (local_error, FERRY_ERROR, FERRY_ERROR_LOGIN))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static FerryEntry *
entry_from_stat (const char        *name,
                 const struct stat *st)
{
  FerryEntry *entry;

  if (S_ISDIR (st->st_mode))
    entry = ferry_entry_new (name, FERRY_ENTRY_DIRECTORY);
  else if (S_ISREG (st->st_mode))
    {
      entry = ferry_entry_new (name, FERRY_ENTRY_FILE);
      entry->size = st->st_size;
      entry->size_known = TRUE;
    }
  else
    entry = ferry_entry_new (name, FERRY_ENTRY_OTHER);
  entry->mtime = st->st_mtime;
  entry->precision = FERRY_TIME_SECONDS;
  return entry;
}

static GPtrArray *
smb_list (FerryBackend  *backend,
          const char    *dir,
          GCancellable  *cancellable,
          GError       **error)
{
  SmbBackend *self = (SmbBackend *) backend;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_entry_free);
  g_autofree char *url = NULL;
  const struct libsmb_file_info *info;
  struct stat st;
  SMBCFILE *handle;

  if (ferry_backend_check_cancelled (cancellable, error))
    return NULL;

  /* The server's root holds its shares, as folders. */
  if (is_server_root (dir))
    {
      g_auto(GStrv) shares = ferry_backend_smb_list_shares (backend, error);

      if (shares == NULL)
        return NULL;
      for (guint i = 0; shares[i] != NULL; i++)
        g_ptr_array_add (entries, ferry_entry_new (shares[i], FERRY_ENTRY_DIRECTORY));
      return g_steal_pointer (&entries);
    }

  url = url_of (self, dir);
  handle = LOCKED (self, dir, lib.smbc_getFunctionOpendir (self->ctx) (self->ctx, url));
  if (handle == NULL)
    {
      set_errno_error (self, error, errno, _("Could not list"), dir);
      return NULL;
    }
  mark_connected (self, dir);
  for (;;)
    {
      errno = 0;
      info = LOCKED (self, dir, lib.smbc_getFunctionReaddirPlus2 (self->ctx) (self->ctx, handle, &st));
      if (info == NULL)
        break;
      if (g_str_equal (info->name, ".") || g_str_equal (info->name, ".."))
        continue;
      g_ptr_array_add (entries, entry_from_stat (info->name, &st));
      if (entries->len % 256 == 0 && ferry_backend_check_cancelled (cancellable, error))
        {
          LOCKED (self, dir, lib.smbc_getFunctionClosedir (self->ctx) (self->ctx, handle));
          return NULL;
        }
    }
  if (errno != 0 && errno != ENOENT)
    {
      int code = errno;

      LOCKED (self, dir, lib.smbc_getFunctionClosedir (self->ctx) (self->ctx, handle));
      set_errno_error (self, error, code, _("Could not list"), dir);
      return NULL;
    }
  LOCKED (self, dir, lib.smbc_getFunctionClosedir (self->ctx) (self->ctx, handle));
  trace (self, "SMB list %s: %u entries", dir, entries->len);
  return g_steal_pointer (&entries);
}

static FerryEntry *
smb_stat (FerryBackend  *backend,
          const char    *path,
          GCancellable  *cancellable,
          GError       **error)
{
  SmbBackend *self = (SmbBackend *) backend;
  g_autofree char *url = NULL;
  g_autofree char *name = NULL;
  struct stat st;

  if (ferry_backend_check_cancelled (cancellable, error))
    return NULL;
  if (is_server_root (path))
    return ferry_entry_new ("/", FERRY_ENTRY_DIRECTORY);

  url = url_of (self, path);
  if (LOCKED (self, path, lib.smbc_getFunctionStat (self->ctx) (self->ctx, url, &st)) != 0)
    {
      set_errno_error (self, error, errno, _("Could not look at"), path);
      return NULL;
    }
  mark_connected (self, path);
  name = g_path_get_basename (path);
  return entry_from_stat (name, &st);
}

static SMBCFILE *
open_file (SmbBackend  *self,
           const char  *path,
           int          flags,
           guint64      offset,
           GError     **error)
{
  g_autofree char *url = url_of (self, path);
  gboolean for_writing = (flags & O_ACCMODE) != O_RDONLY;
  SMBCFILE *file;

  /* Appending is only right when the part there is exactly that long.
   * Asked by name: a handle opened for writing only may not read its own
   * attributes (fstat says EINVAL). */
  if (for_writing && offset > 0)
    {
      struct stat st;

      if (LOCKED (self, path, lib.smbc_getFunctionStat (self->ctx) (self->ctx, url, &st)) != 0 ||
          (guint64) st.st_size != offset)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                       _("Could not resume %s at byte %" PRIu64), path, offset);
          return NULL;
        }
    }

  file = LOCKED (self, path, lib.smbc_getFunctionOpen (self->ctx) (self->ctx, url, flags, 0644));
  if (file == NULL)
    {
      set_errno_error (self, error, errno, for_writing ? _("Could not write") : _("Could not open"), path);
      return NULL;
    }
  mark_connected (self, path);

  if (offset > 0 &&
      LOCKED (self, path, lib.smbc_getFunctionLseek (self->ctx) (self->ctx, file, (off_t) offset, SEEK_SET)) < 0)
    {
      set_errno_error (self, error, errno, _("Could not seek in"), path);
      LOCKED (self, path, lib.smbc_getFunctionClose (self->ctx) (self->ctx, file));
      return NULL;
    }
  return file;
}

static gboolean
smb_read (FerryBackend   *backend,
          const char     *path,
          guint64         offset,
          FerrySinkFunc   sink,
          gpointer        sink_data,
          GCancellable   *cancellable,
          GError        **error)
{
  SmbBackend *self = (SmbBackend *) backend;
  gboolean ok = TRUE;
  SMBCFILE *file;

  if (ferry_backend_check_cancelled (cancellable, error))
    return FALSE;
  file = open_file (self, path, O_RDONLY, offset, error);
  if (file == NULL)
    return FALSE;
  if (self->buffer == NULL)
    self->buffer = g_malloc (CHUNK_SIZE);
  while (ok)
    {
      ssize_t n = LOCKED (self, path, lib.smbc_getFunctionRead (self->ctx) (self->ctx, file, self->buffer, CHUNK_SIZE));

      if (n < 0)
        ok = set_errno_error (self, error, errno, _("Could not read"), path);
      else if (n == 0)
        break;
      else if (ferry_backend_check_cancelled (cancellable, error) || !sink (self->buffer, n, sink_data, error))
        ok = FALSE;
    }
  LOCKED (self, path, lib.smbc_getFunctionClose (self->ctx) (self->ctx, file));
  return ok;
}

static gboolean
smb_write (FerryBackend     *backend,
           const char       *path,
           guint64           offset,
           FerrySourceFunc   source,
           gpointer          source_data,
           GCancellable     *cancellable,
           GError          **error)
{
  SmbBackend *self = (SmbBackend *) backend;
  gboolean ok = TRUE;
  gboolean end = FALSE;
  SMBCFILE *file;
  int flags = offset == 0 ? O_WRONLY | O_CREAT | O_TRUNC : O_WRONLY;

  if (ferry_backend_check_cancelled (cancellable, error))
    return FALSE;
  file = open_file (self, path, flags, offset, error);
  if (file == NULL)
    return FALSE;
  if (self->buffer == NULL)
    self->buffer = g_malloc (CHUNK_SIZE);

  while (ok && !end)
    {
      gsize filled = 0;

      /* The source gives what it has (a server's packet, a pipe's chunk):
       * gathered into one large write, which libsmbclient pipelines. */
      while (filled < CHUNK_SIZE)
        {
          gssize n = source (self->buffer + filled, CHUNK_SIZE - filled, source_data, error);

          if (n < 0)
            {
              ok = FALSE;
              break;
            }
          if (n == 0)
            {
              end = TRUE;
              break;
            }
          filled += n;
        }
      for (gsize done = 0; ok && done < filled;)
        {
          ssize_t w = LOCKED (self, path, lib.smbc_getFunctionWrite (self->ctx) (self->ctx, file, self->buffer + done, filled - done));

          if (w <= 0)
            ok = set_errno_error (self, error, w < 0 ? errno : EIO, _("Could not write"), path);
          else
            done += w;
        }
      if (ok && ferry_backend_check_cancelled (cancellable, error))
        ok = FALSE;
    }

  /* A full disk can show only when the file is closed. */
  if (LOCKED (self, path, lib.smbc_getFunctionClose (self->ctx) (self->ctx, file)) != 0 && ok)
    ok = set_errno_error (self, error, errno, _("Could not write"), path);
  return ok;
}

static gboolean
smb_mkdir (FerryBackend  *backend,
           const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  SmbBackend *self = (SmbBackend *) backend;
  g_autofree char *url = NULL;
  g_autoptr(FerryEntry) entry = NULL;
  int code;

  if (ferry_backend_check_cancelled (cancellable, error))
    return FALSE;
  if (is_server_root (path))
    return TRUE;
  /* A share is made by the server's administrator, not by a client. */
  if (is_share_root (path))
    {
      entry = smb_stat (backend, path, cancellable, error);
      return entry != NULL;
    }

  url = url_of (self, path);
  if (LOCKED (self, path, lib.smbc_getFunctionMkdir (self->ctx) (self->ctx, url, 0755)) == 0)
    {
      mark_connected (self, path);
      return TRUE;
    }
  code = errno;
  if (code == EEXIST)
    {
      entry = smb_stat (backend, path, cancellable, NULL);
      if (entry != NULL && entry->type == FERRY_ENTRY_DIRECTORY)
        return TRUE;
      code = ENOTDIR;
    }
  return set_errno_error (self, error, code, _("Could not create the folder"), path);
}

static gboolean
smb_set_mtime (FerryBackend  *backend,
               const char    *path,
               gint64         mtime,
               GCancellable  *cancellable,
               GError       **error)
{
  SmbBackend *self = (SmbBackend *) backend;
  g_autofree char *url = url_of (self, path);
  struct timeval times[2];

  if (ferry_backend_check_cancelled (cancellable, error))
    return FALSE;
  gettimeofday (&times[0], NULL);
  times[1].tv_sec = (time_t) mtime;
  times[1].tv_usec = 0;
  if (LOCKED (self, path, lib.smbc_getFunctionUtimes (self->ctx) (self->ctx, url, times)) != 0)
    return set_errno_error (self, error, errno, _("Could not set the time of"), path);
  return TRUE;
}

static gboolean
smb_rename (FerryBackend  *backend,
            const char    *from,
            const char    *to,
            GCancellable  *cancellable,
            GError       **error)
{
  SmbBackend *self = (SmbBackend *) backend;
  g_autofree char *from_url = url_of (self, from);
  g_autofree char *to_url = url_of (self, to);

  if (ferry_backend_check_cancelled (cancellable, error))
    return FALSE;
  /* libsmbclient replaces an existing `to` (it removes it and tries again). */
  if (LOCKED (self, from, lib.smbc_getFunctionRename (self->ctx) (self->ctx, from_url, self->ctx, to_url)) != 0)
    return set_errno_error (self, error, errno, _("Could not rename"), from);
  return TRUE;
}

static gboolean
smb_remove (FerryBackend  *backend,
            const char    *path,
            GCancellable  *cancellable,
            GError       **error)
{
  SmbBackend *self = (SmbBackend *) backend;
  g_autofree char *url = url_of (self, path);
  int code;

  if (ferry_backend_check_cancelled (cancellable, error))
    return FALSE;
  if (LOCKED (self, path, lib.smbc_getFunctionUnlink (self->ctx) (self->ctx, url)) == 0)
    return TRUE;
  code = errno;
  if ((code == EISDIR || code == EPERM || code == EACCES) &&
      LOCKED (self, path, lib.smbc_getFunctionRmdir (self->ctx) (self->ctx, url)) == 0)
    return TRUE;
  return set_errno_error (self, error, code, _("Could not remove"), path);
}

static gboolean
smb_remove_folder (FerryBackend  *backend,
                   const char    *path,
                   GCancellable  *cancellable,
                   GError       **error)
{
  SmbBackend *self = (SmbBackend *) backend;
  g_autofree char *url = url_of (self, path);

  if (ferry_backend_check_cancelled (cancellable, error))
    return FALSE;
  if (LOCKED (self, path, lib.smbc_getFunctionRmdir (self->ctx) (self->ctx, url)) == 0)
    return TRUE;
  return set_errno_error (self, error, errno, _("Could not remove"), path);
}

/* Logs in by listing the shares: that needs the login and nothing else,
 * so a refused password is told apart from a refused share. */
static gboolean
smb_connect (FerryBackend  *backend,
             GCancellable  *cancellable,
             GError       **error)
{
  SmbBackend *self = (SmbBackend *) backend;
  g_auto(GStrv) shares = NULL;

  if (self->logged_in)
    return TRUE;
  if (ferry_backend_check_cancelled (cancellable, error))
    return FALSE;
  shares = ferry_backend_smb_list_shares (backend, error);
  return shares != NULL;
}

static void
smb_free (FerryBackend *backend)
{
  SmbBackend *self = (SmbBackend *) backend;

  if (self->ctx != NULL)
    {
      library_write_lock ();
      lib.smbc_free_context (self->ctx, TRUE);
      library_write_unlock ();
    }
  if (self->password != NULL)
    explicit_bzero (self->password, strlen (self->password));
  g_free (self->password);
  g_free (self->username);
  g_free (self->domain);
  g_free (self->server);
  g_free (self->share_seen);
  g_free (self->share_connected);
  g_free (self->buffer);
  g_free (self);
}

static const FerryBackendVTable smb_vtable = {
  .list = smb_list,
  .stat = smb_stat,
  .read = smb_read,
  .write = smb_write,
  .mkdir = smb_mkdir,
  .set_mtime = smb_set_mtime,
  .rename = smb_rename,
  .remove = smb_remove,
  .remove_folder = smb_remove_folder,
  .connect = smb_connect,
  .free = smb_free,
};

FerryBackend *
ferry_backend_smb_new (FerryConnector  *connector,
                       const char      *password,
                       GError         **error)
{
  SmbBackend *self;
  SMBCCTX *ctx;

  g_return_val_if_fail (FERRY_IS_CONNECTOR (connector), NULL);

  if (!ensure_library (error))
    return NULL;

  self = g_new0 (SmbBackend, 1);
  self->parent.vtable = &smb_vtable;
  self->parent.connector = g_object_ref (connector);
  self->password = g_strdup (password);
  self->username = g_strdup (ferry_connector_get_username (connector));
  self->domain = g_strdup (ferry_connector_get_domain (connector));
  self->server = g_strdup (ferry_connector_get_server (connector));
  self->port = ferry_connector_get_port (connector);

  library_write_lock ();
  ctx = lib.smbc_new_context ();
  if (ctx != NULL)
    {
      lib.smbc_setDebug (ctx, 0);
      /* libsmbclient's own messages never mix with ferry-cli's output. */
      lib.smbc_setOptionDebugToStderr (ctx, TRUE);
      lib.smbc_setOptionUserData (ctx, self);
      lib.smbc_setFunctionAuthDataWithContext (ctx, auth_callback);
      if (default_check_server == NULL)
        default_check_server = lib.smbc_getFunctionCheckServer (ctx);
      lib.smbc_setFunctionCheckServer (ctx, check_server);
      /* The password given, or nothing: never a guest login instead, never
       * a Kerberos ticket of whoever runs Ferry. */
      lib.smbc_setOptionNoAutoAnonymousLogin (ctx, TRUE);
      lib.smbc_setOptionUseKerberos (ctx, FALSE);
      lib.smbc_setOptionFallbackAfterKerberos (ctx, TRUE);
      lib.smbc_setOptionUseCCache (ctx, FALSE);
      lib.smbc_setTimeout (ctx, TIMEOUT_MS);
      lib.smbc_setPort (ctx, self->port);
      if (self->domain != NULL && *self->domain != '\0')
        lib.smbc_setWorkgroup (ctx, self->domain);
      if (lib.smbc_init_context (ctx) == NULL)
        {
          lib.smbc_free_context (ctx, FALSE);
          ctx = NULL;
        }
      /* SMB2 and SMB3 only: SMB1 is unsafe and off on current servers. */
      else if (!lib.smbc_setOptionProtocols (ctx, "SMB2_02", "SMB3"))
        {
          lib.smbc_free_context (ctx, TRUE);
          ctx = NULL;
        }
    }
  library_write_unlock ();

  if (ctx == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                   _("Could not start the SMB client library: %s"), g_strerror (errno));
      self->ctx = NULL;
      smb_free (&self->parent);
      return NULL;
    }
  self->ctx = ctx;
  return &self->parent;
}
