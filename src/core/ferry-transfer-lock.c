/* ferry-transfer-lock.c: flock(2) on a lock file; see ferry-transfer-lock.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "ferry-error.h"
#include "ferry-transfer-lock.h"

struct _FerryTransferLock
{
  int fd;
};

char *
ferry_transfer_lock_dup_path (const char *name)
{
  g_autofree char *base = g_strconcat (name, ".lock", NULL);

  return g_build_filename (g_get_user_data_dir (), "ferry", "locks", base, NULL);
}

static FerryTransferLock *
take (const char  *name,
      gboolean     wait,
      GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *folder = NULL;
  FerryTransferLock *lock;
  int fd;
  int result;

  g_return_val_if_fail (name != NULL && name[0] != '\0', NULL);

  path = ferry_transfer_lock_dup_path (name);
  folder = g_path_get_dirname (path);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                   _("Could not create %s: %s"), folder, g_strerror (saved));
      return NULL;
    }
  fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                   _("Could not open %s: %s"), path, g_strerror (saved));
      return NULL;
    }
  do
    result = flock (fd, LOCK_EX | (wait ? 0 : LOCK_NB));
  while (result != 0 && errno == EINTR);
  if (result != 0)
    {
      int saved = errno;

      close (fd);
      if (saved == EWOULDBLOCK)
        g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_EXISTS,
                             _("Another Ferry process is running it"));
      else
        g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                     _("Could not lock %s: %s"), path, g_strerror (saved));
      return NULL;
    }
  lock = g_new0 (FerryTransferLock, 1);
  lock->fd = fd;
  return lock;
}

FerryTransferLock *
ferry_transfer_lock_try (const char  *name,
                         GError     **error)
{
  return take (name, FALSE, error);
}

FerryTransferLock *
ferry_transfer_lock_wait (const char  *name,
                          GError     **error)
{
  return take (name, TRUE, error);
}

void
ferry_transfer_lock_release (FerryTransferLock *lock)
{
  if (lock == NULL)
    return;
  /* Closing the only descriptor of the open file drops the lock. The file
   * stays: removing it would race with a process that opened it already. */
  close (lock->fd);
  g_free (lock);
}
