/* ferry-backend-local.c: this machine's files through POSIX calls. Links are
 * reported as links and never followed when listing or replacing; writes
 * refuse to go through a link at the final component.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ferry-backend-local.h"
#include "ferry-error.h"

#define CHUNK_SIZE (256 * 1024)

typedef struct
{
  FerryBackend parent;
  guint8 *buffer;
} LocalBackend;

static gboolean
errno_error (GError     **error,
             int          code,
             const char  *what,
             const char  *path)
{
  FerryError ferry_code;

  switch (code)
    {
    case ENOSPC:
    case EDQUOT:
      ferry_code = FERRY_ERROR_NO_SPACE;
      break;
    case EACCES:
    case EPERM:
    case EROFS:
      ferry_code = FERRY_ERROR_PERMISSION;
      break;
    case ENOENT:
    case ENOTDIR:
      ferry_code = FERRY_ERROR_NOT_FOUND;
      break;
    case ENAMETOOLONG:
    case ELOOP:
      ferry_code = FERRY_ERROR_BAD_NAME;
      break;
    case ECANCELED:
      ferry_code = FERRY_ERROR_CANCELLED;
      break;
    default:
      ferry_code = FERRY_ERROR_FAILED;
      break;
    }
  g_set_error (error, FERRY_ERROR, ferry_code, "%s %s: %s", what, path, g_strerror (code));
  return FALSE;
}

static FerryEntry *
entry_from_stat (const char        *name,
                 const struct stat *st)
{
  FerryEntryType type;
  FerryEntry *entry;

  if (S_ISREG (st->st_mode))
    type = FERRY_ENTRY_FILE;
  else if (S_ISDIR (st->st_mode))
    type = FERRY_ENTRY_DIRECTORY;
  else if (S_ISLNK (st->st_mode))
    type = FERRY_ENTRY_SYMLINK;
  else
    type = FERRY_ENTRY_OTHER;

  entry = ferry_entry_new (name, type);
  if (type == FERRY_ENTRY_FILE)
    {
      entry->size = st->st_size;
      entry->size_known = TRUE;
    }
  entry->mtime = st->st_mtim.tv_sec;
  entry->precision = FERRY_TIME_SECONDS;
  return entry;
}

static GPtrArray *
local_list (FerryBackend  *backend,
            const char    *dir,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_entry_free);
  struct dirent *d;
  DIR *handle;
  int fd;

  fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || (handle = fdopendir (fd)) == NULL)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      errno_error (error, saved, _("Could not list"), dir);
      return NULL;
    }

  while ((d = readdir (handle)) != NULL)
    {
      struct stat st;

      if (g_str_equal (d->d_name, ".") || g_str_equal (d->d_name, ".."))
        continue;
      if (fstatat (dirfd (handle), d->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        continue;
      g_ptr_array_add (entries, entry_from_stat (d->d_name, &st));
      if (entries->len % 256 == 0 && ferry_backend_check_cancelled (cancellable, error))
        {
          closedir (handle);
          return NULL;
        }
    }
  closedir (handle);
  return g_steal_pointer (&entries);
}

static FerryEntry *
local_stat (FerryBackend  *backend,
            const char    *path,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *name = g_path_get_basename (path);
  struct stat st;

  if (lstat (path, &st) != 0)
    {
      errno_error (error, errno, _("Could not look at"), path);
      return NULL;
    }
  return entry_from_stat (name, &st);
}

/* Creating or renaming an entry takes its folder's lock in the kernel,
 * and ext4 may hold it for a long search of its inode tables; workers
 * writing into one folder then spin on that lock and eat the CPU the
 * server beside them needs. They queue here instead, one lock per
 * folder (striped, so folders rarely share one). */
static GMutex folder_locks[16];

static GMutex *
folder_lock (const char *path)
{
  const char *slash = strrchr (path, '/');
  guint hash = 5381;

  for (const char *p = path; slash != NULL && p < slash; p++)
    hash = hash * 33 + (guchar) *p;
  return &folder_locks[hash % G_N_ELEMENTS (folder_locks)];
}

struct _FerryLocalFile
{
  int   fd;
  char *path;
};

FerryLocalFile *
ferry_local_file_open (const char  *path,
                       guint64      offset,
                       gboolean     for_writing,
                       GError     **error)
{
  FerryLocalFile *file;
  int fd;

  if (!for_writing)
    fd = open (path, O_RDONLY | O_CLOEXEC);
  else if (offset == 0)
    {
      GMutex *lock = folder_lock (path);
      int saved;

      g_mutex_lock (lock);
      fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
      saved = errno;
      g_mutex_unlock (lock);
      errno = saved;
    }
  else
    fd = open (path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      errno_error (error, errno, for_writing ? _("Could not write") : _("Could not open"), path);
      return NULL;
    }

  if (offset > 0)
    {
      struct stat st;

      /* Appending is only right when the part on disk is exactly that long. */
      if (for_writing &&
          (fstat (fd, &st) != 0 || (guint64) st.st_size != offset))
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                       _("Could not resume %s at byte %" PRIu64), path, (guint64) offset);
          close (fd);
          return NULL;
        }
      if (lseek (fd, (off_t) offset, SEEK_SET) < 0)
        {
          errno_error (error, errno, _("Could not seek in"), path);
          close (fd);
          return NULL;
        }
    }

  file = g_new0 (FerryLocalFile, 1);
  file->fd = fd;
  file->path = g_strdup (path);
  return file;
}

gssize
ferry_local_file_read (FerryLocalFile  *file,
                       guint8          *buffer,
                       gsize            length,
                       GError         **error)
{
  for (;;)
    {
      ssize_t n = read (file->fd, buffer, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          errno_error (error, errno, _("Could not read"), file->path);
          return -1;
        }
      return n;
    }
}

gboolean
ferry_local_file_write (FerryLocalFile  *file,
                        const guint8    *data,
                        gsize            length,
                        GError         **error)
{
  while (length > 0)
    {
      ssize_t w = write (file->fd, data, length);

      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        return errno_error (error, errno, _("Could not write"), file->path);
      data += w;
      length -= w;
    }
  return TRUE;
}

gboolean
ferry_local_file_close (FerryLocalFile  *file,
                        GError         **error)
{
  gboolean ok = TRUE;

  if (close (file->fd) != 0)
    ok = errno_error (error, errno, _("Could not write"), file->path);
  g_free (file->path);
  g_free (file);
  return ok;
}

static gboolean
local_read (FerryBackend   *backend,
            const char     *path,
            guint64         offset,
            FerrySinkFunc   sink,
            gpointer        sink_data,
            GCancellable   *cancellable,
            GError        **error)
{
  LocalBackend *self = (LocalBackend *) backend;
  FerryLocalFile *file;
  gboolean ok = TRUE;

  file = ferry_local_file_open (path, offset, FALSE, error);
  if (file == NULL)
    return FALSE;
  while (ok)
    {
      gssize n = ferry_local_file_read (file, self->buffer, CHUNK_SIZE, error);

      if (n < 0)
        ok = FALSE;
      else if (n == 0)
        break;
      else if (ferry_backend_check_cancelled (cancellable, error) || !sink (self->buffer, n, sink_data, error))
        ok = FALSE;
    }
  ferry_local_file_close (file, NULL);
  return ok;
}

static gboolean
local_write (FerryBackend     *backend,
             const char       *path,
             guint64           offset,
             FerrySourceFunc   source,
             gpointer          source_data,
             GCancellable     *cancellable,
             GError          **error)
{
  LocalBackend *self = (LocalBackend *) backend;
  FerryLocalFile *file;
  gboolean ok = TRUE;

  file = ferry_local_file_open (path, offset, TRUE, error);
  if (file == NULL)
    return FALSE;
  while (ok)
    {
      gssize n = source (self->buffer, CHUNK_SIZE, source_data, error);

      if (n < 0)
        ok = FALSE;
      else if (n == 0)
        break;
      else if (!ferry_local_file_write (file, self->buffer, n, error) || ferry_backend_check_cancelled (cancellable, error))
        ok = FALSE;
    }

  /* A full disk can surface only on close. */
  if (!ferry_local_file_close (file, ok ? error : NULL))
    ok = FALSE;
  return ok;
}

static gboolean
local_mkdir (FerryBackend  *backend,
             const char    *path,
             GCancellable  *cancellable,
             GError       **error)
{
  struct stat st;

  if (mkdir (path, 0755) == 0)
    return TRUE;
  if (errno == EEXIST && lstat (path, &st) == 0 && S_ISDIR (st.st_mode))
    return TRUE;
  return errno_error (error, errno == EEXIST ? ENOTDIR : errno, _("Could not create the folder"), path);
}

static gboolean
local_set_mtime (FerryBackend  *backend,
                 const char    *path,
                 gint64         mtime,
                 GCancellable  *cancellable,
                 GError       **error)
{
  struct timespec times[2] = { { 0, UTIME_OMIT }, { (time_t) mtime, 0 } };

  if (utimensat (AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW) != 0)
    return errno_error (error, errno, _("Could not set the time of"), path);
  return TRUE;
}

static gboolean
local_rename (FerryBackend  *backend,
              const char    *from,
              const char    *to,
              GCancellable  *cancellable,
              GError       **error)
{
  GMutex *lock = folder_lock (to);
  int result, saved;

  g_mutex_lock (lock);
  result = rename (from, to);
  saved = errno;
  g_mutex_unlock (lock);
  if (result != 0)
    return errno_error (error, saved, _("Could not rename"), from);
  return TRUE;
}

static gboolean
local_remove (FerryBackend  *backend,
              const char    *path,
              GCancellable  *cancellable,
              GError       **error)
{
  if (unlink (path) == 0)
    return TRUE;
  if (errno == EISDIR && rmdir (path) == 0)
    return TRUE;
  return errno_error (error, errno, _("Could not remove"), path);
}

static gboolean
local_remove_folder (FerryBackend  *backend,
                     const char    *path,
                     GCancellable  *cancellable,
                     GError       **error)
{
  if (rmdir (path) == 0)
    return TRUE;
  return errno_error (error, errno, _("Could not remove"), path);
}

static void
local_free (FerryBackend *backend)
{
  LocalBackend *self = (LocalBackend *) backend;

  g_free (self->buffer);
  g_free (self);
}

static const FerryBackendVTable local_vtable = {
  .list = local_list,
  .stat = local_stat,
  .read = local_read,
  .write = local_write,
  .mkdir = local_mkdir,
  .set_mtime = local_set_mtime,
  .rename = local_rename,
  .remove = local_remove,
  .remove_folder = local_remove_folder,
  .free = local_free,
};

FerryBackend *
ferry_backend_local_new (FerryConnector *connector)
{
  LocalBackend *self = g_new0 (LocalBackend, 1);

  self->parent.vtable = &local_vtable;
  self->parent.connector = g_object_ref (connector);
  self->buffer = g_malloc (CHUNK_SIZE);
  return &self->parent;
}
