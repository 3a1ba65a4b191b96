/* ferry-backend.c: picks the implementation for a connector and forwards
 * each call to it (see ferry-backend.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-backend-ftp.h"
#include "ferry-backend-gio.h"
#include "ferry-backend-local.h"
#include "ferry-backend-sftp.h"
#include "ferry-backend-smb.h"
#include "ferry-backend-webdav.h"
#include "ferry-backend.h"
#include "ferry-error.h"

FerryBackend *
ferry_backend_new (FerryConnector  *connector,
                   const char      *password,
                   GError         **error)
{
  g_return_val_if_fail (FERRY_IS_CONNECTOR (connector), NULL);

  switch (ferry_connector_get_kind (connector))
    {
    case FERRY_CONNECTOR_KIND_LOCAL:
      return ferry_backend_local_new (connector);
    case FERRY_CONNECTOR_KIND_GIO:
      return ferry_backend_gio_new (connector, password, error);
    case FERRY_CONNECTOR_KIND_SMB:
      return ferry_backend_smb_new (connector, password, error);
    case FERRY_CONNECTOR_KIND_WEBDAV:
    case FERRY_CONNECTOR_KIND_WEBDAVS:
      return ferry_backend_webdav_new (connector, password, error);
    case FERRY_CONNECTOR_KIND_SFTP:
      return ferry_backend_sftp_new (connector, password, error);
    case FERRY_CONNECTOR_KIND_FTP:
    case FERRY_CONNECTOR_KIND_FTPS_EXPLICIT:
    case FERRY_CONNECTOR_KIND_FTPS_IMPLICIT:
    default:
      return ferry_backend_ftp_new (connector, password, error);
    }
}

void
ferry_backend_set_trace (FerryBackend   *self,
                         FerryTraceFunc  trace,
                         gpointer        trace_data)
{
  g_return_if_fail (self != NULL);

  self->trace = trace;
  self->trace_data = trace_data;
}

void
ferry_backend_free (FerryBackend *self)
{
  FerryConnector *connector;

  if (self == NULL)
    return;
  connector = self->connector;
  g_clear_pointer (&self->list_refusals, g_ptr_array_unref);
  self->vtable->free (self);
  g_clear_object (&connector);
}

GPtrArray *
ferry_backend_list (FerryBackend  *self,
                    const char    *dir,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_return_val_if_fail (self != NULL && dir != NULL, NULL);
  return self->vtable->list (self, dir, cancellable, error);
}

void
ferry_backend_hint_read (FerryBackend *self,
                         const char   *path)
{
  g_return_if_fail (self != NULL);
  if (self->vtable->hint_read != NULL)
    self->vtable->hint_read (self, path);
}

gboolean
ferry_backend_reads_ahead (FerryBackend *self)
{
  return self != NULL && self->vtable->hint_read != NULL;
}

gboolean
ferry_backend_connect (FerryBackend  *self,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  if (self->vtable->connect == NULL)
    return TRUE;
  return self->vtable->connect (self, cancellable, error);
}

FerryEntry *
ferry_backend_stat (FerryBackend  *self,
                    const char    *path,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_return_val_if_fail (self != NULL && path != NULL, NULL);
  return self->vtable->stat (self, path, cancellable, error);
}

gboolean
ferry_backend_get_mtimes (FerryBackend       *self,
                          const char *const  *paths,
                          guint               n_paths,
                          gint64             *mtimes,
                          gboolean           *known,
                          GCancellable       *cancellable,
                          GError            **error)
{
  g_return_val_if_fail (self != NULL && (paths != NULL || n_paths == 0), FALSE);
  for (guint i = 0; i < n_paths; i++)
    known[i] = FALSE;
  if (self->vtable->get_mtimes == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "this session asks for times one file at a time");
      return FALSE;
    }
  return self->vtable->get_mtimes (self, paths, n_paths, mtimes, known, cancellable, error);
}

gboolean
ferry_backend_get_mtime (FerryBackend  *self,
                         const char    *path,
                         gint64        *mtime,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(FerryEntry) entry = NULL;

  g_return_val_if_fail (self != NULL && path != NULL && mtime != NULL, FALSE);
  if (self->vtable->get_mtime != NULL)
    return self->vtable->get_mtime (self, path, mtime, cancellable, error);

  entry = self->vtable->stat (self, path, cancellable, error);
  if (entry == NULL)
    return FALSE;
  if (entry->precision < FERRY_TIME_SECONDS)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "no exact modification time");
      return FALSE;
    }
  *mtime = entry->mtime;
  return TRUE;
}

gboolean
ferry_backend_read (FerryBackend   *self,
                    const char     *path,
                    guint64         offset,
                    FerrySinkFunc   sink,
                    gpointer        sink_data,
                    GCancellable   *cancellable,
                    GError        **error)
{
  g_return_val_if_fail (self != NULL && path != NULL && sink != NULL, FALSE);
  return self->vtable->read (self, path, offset, sink, sink_data, cancellable, error);
}

gboolean
ferry_backend_write (FerryBackend     *self,
                     const char       *path,
                     guint64           offset,
                     FerrySourceFunc   source,
                     gpointer          source_data,
                     GCancellable     *cancellable,
                     GError          **error)
{
  g_return_val_if_fail (self != NULL && path != NULL && source != NULL, FALSE);
  return self->vtable->write (self, path, offset, source, source_data, cancellable, error);
}

gboolean
ferry_backend_write_hinted (FerryBackend           *self,
                            const char             *path,
                            guint64                 offset,
                            const FerryWriteHints  *hints,
                            FerrySourceFunc         source,
                            gpointer                source_data,
                            GCancellable           *cancellable,
                            GError                **error)
{
  g_return_val_if_fail (self != NULL && path != NULL && source != NULL, FALSE);
  if (hints == NULL || self->vtable->write_hinted == NULL)
    return self->vtable->write (self, path, offset, source, source_data, cancellable, error);
  return self->vtable->write_hinted (self, path, offset, hints, source, source_data, cancellable, error);
}

guint
ferry_backend_get_upload_hashes (FerryBackend *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->upload_hashes;
}

gboolean
ferry_backend_mkdir (FerryBackend  *self,
                     const char    *path,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_return_val_if_fail (self != NULL && path != NULL, FALSE);
  return self->vtable->mkdir (self, path, cancellable, error);
}

gboolean
ferry_backend_set_mtime (FerryBackend  *self,
                         const char    *path,
                         gint64         mtime,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_return_val_if_fail (self != NULL && path != NULL, FALSE);
  return self->vtable->set_mtime (self, path, mtime, cancellable, error);
}

gboolean
ferry_backend_rename (FerryBackend  *self,
                      const char    *from,
                      const char    *to,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_return_val_if_fail (self != NULL && from != NULL && to != NULL, FALSE);
  return self->vtable->rename (self, from, to, cancellable, error);
}

gboolean
ferry_backend_finish (FerryBackend  *self,
                      const char    *from,
                      const char    *to,
                      gint64         mtime,
                      GError       **time_error,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (self != NULL && from != NULL && to != NULL, FALSE);
  if (self->vtable->finish != NULL)
    {
      if (self->vtable->finish (self, from, to, mtime, time_error, cancellable, &local_error))
        return TRUE;
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_clear_error (&local_error);
    }
  if (!self->vtable->set_mtime (self, from, mtime, cancellable, &local_error))
    {
      /* A lost connection or a stop: the copy is tried again, not renamed
       * without its time. */
      if (g_cancellable_is_cancelled (cancellable) ||
          (ferry_error_is_transient (local_error) &&
           !g_error_matches (local_error, FERRY_ERROR, FERRY_ERROR_TOO_MANY)))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_propagate_error (time_error, g_steal_pointer (&local_error));
    }
  return self->vtable->rename (self, from, to, cancellable, error);
}

gboolean
ferry_backend_remove (FerryBackend  *self,
                      const char    *path,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_return_val_if_fail (self != NULL && path != NULL, FALSE);
  return self->vtable->remove (self, path, cancellable, error);
}

gboolean
ferry_backend_check_folder (FerryBackend  *self,
                            const char    *path,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(FerryEntry) entry = NULL;
  const char *name;
  gboolean is_file = FALSE;

  g_return_val_if_fail (self != NULL && path != NULL, FALSE);

  if (g_str_equal (path, "/"))
    return TRUE;
  name = ferry_connector_get_name (self->connector);
  if (self->vtable->is_folder != NULL)
    {
      if (self->vtable->is_folder (self, path, &is_file, cancellable, &local_error))
        return TRUE;
    }
  else
    {
      entry = self->vtable->stat (self, path, cancellable, &local_error);
      /* A link is followed by the listing that comes next. */
      if (entry != NULL && (entry->type == FERRY_ENTRY_DIRECTORY || entry->type == FERRY_ENTRY_SYMLINK))
        return TRUE;
      is_file = entry != NULL;
      if (entry != NULL)
        g_clear_error (&local_error);
    }

  if (is_file)
    g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                 _("“%s” on %s is a file, not a folder"), path, name);
  else if (local_error == NULL || g_error_matches (local_error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND) ||
           g_error_matches (local_error, FERRY_ERROR, FERRY_ERROR_PERMISSION))
    g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                 _("The folder “%s” does not exist on %s"), path, name);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

char *
ferry_backend_dup_login_folder (FerryBackend  *self,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->vtable->login_folder == NULL)
    return g_strdup ("/");
  return self->vtable->login_folder (self, cancellable, error);
}

gboolean
ferry_backend_remove_folder (FerryBackend  *self,
                             const char    *path,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_return_val_if_fail (self != NULL && path != NULL, FALSE);
  if (self->vtable->remove_folder == NULL)
    return self->vtable->remove (self, path, cancellable, error);
  return self->vtable->remove_folder (self, path, cancellable, error);
}

guint
ferry_backend_get_hashes (FerryBackend *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->hashes;
}

gboolean
ferry_backend_hash (FerryBackend   *self,
                    const char     *path,
                    GChecksumType   algorithm,
                    char          **hex,
                    GCancellable   *cancellable,
                    GError        **error)
{
  g_return_val_if_fail (self != NULL && path != NULL && hex != NULL, FALSE);
  if (self->vtable->hash == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "no hash command");
      return FALSE;
    }
  return self->vtable->hash (self, path, algorithm, hex, cancellable, error);
}

gboolean
ferry_backend_check_cancelled (GCancellable  *cancellable,
                               GError       **error)
{
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CANCELLED, _("Cancelled"));
      return TRUE;
    }
  return FALSE;
}

void
ferry_cancel_fd_clear (FerryCancelFd *self)
{
  if (self->cancellable == NULL)
    return;
  if (self->fd >= 0)
    g_cancellable_release_fd (self->cancellable);
  g_clear_object (&self->cancellable);
  self->fd = -1;
}

int
ferry_cancel_fd_for (FerryCancelFd *self,
                     GCancellable  *cancellable)
{
  if (cancellable != self->cancellable)
    {
      ferry_cancel_fd_clear (self);
      if (cancellable != NULL)
        {
          self->cancellable = g_object_ref (cancellable);
          self->fd = g_cancellable_get_fd (cancellable);
        }
    }
  return cancellable != NULL ? self->fd : -1;
}
