/* ferry-run-delete.c: a mirror's deletions (Delete=true). After every copy
 * is done, what the walk found only at the destination (EXTRA items, files
 * before the folders they empty) is removed, one record and one log line
 * each. Nothing is removed when the source could not be read whole: a
 * folder that failed to list, or a listing with unreadable lines, would
 * make everything under it look gone. Paths come from the planner, built
 * with ferry_path_join_checked() from names that passed ferry_name_check(),
 * so nothing outside the destination folder is ever named here. Where the
 * destination is this machine, files go to the Trash; on a filesystem with
 * no Trash they are deleted, and the log says so once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "ferry-error.h"
#include "ferry-run-private.h"

static gboolean
is_folder (FerryPlanItem *item)
{
  return item->destination != NULL && item->destination->type == FERRY_ENTRY_DIRECTORY;
}

/* Local: the Trash, or a plain delete where the filesystem has none.
 * *trashed says which. */
static gboolean
remove_local (FerryRunShared  *shared,
              FerryBackend    *destination,
              FerryPlanItem   *item,
              gboolean        *trashed,
              GError         **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (item->destination_path);
  g_autoptr(GError) trash_error = NULL;
  gboolean warn;

  *trashed = FALSE;
  if (g_file_trash (file, shared->cancellable, &trash_error))
    {
      *trashed = TRUE;
      return TRUE;
    }
  if (!g_error_matches (trash_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      g_propagate_error (error, g_steal_pointer (&trash_error));
      return FALSE;
    }
  g_mutex_lock (&shared->lock);
  warn = !shared->trash_warned;
  shared->trash_warned = TRUE;
  g_mutex_unlock (&shared->lock);
  if (warn)
    _ferry_run_post (shared, FERRY_LOG_WARNING, FERRY_LOG_KIND_NOTE, NULL,
                     _("The destination’s filesystem has no Trash: files gone from the source are deleted for good"));
  return ferry_backend_remove (destination, item->destination_path, shared->cancellable, error);
}

void
_ferry_run_delete_extras (FerryRunShared *shared)
{
  g_autoptr(FerryBackend) destination = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) extras = NULL;
  gboolean local = ferry_connector_get_kind (shared->destination_connector) == FERRY_CONNECTOR_KIND_LOCAL;

  g_mutex_lock (&shared->lock);
  extras = g_steal_pointer (&shared->extras);
  shared->extras = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_plan_item_free);
  g_mutex_unlock (&shared->lock);

  if (shared->source_incomplete)
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (ngettext ("Deleted nothing: part of the source could not be listed, "
                                        "so %u item that looks gone from it stays",
                                        "Deleted nothing: part of the source could not be listed, "
                                        "so %u items that look gone from it stay", extras->len),
                              extras->len);
      _ferry_run_post (shared, FERRY_LOG_WARNING, FERRY_LOG_KIND_NOTE, NULL, text);
      return;
    }

  if (!shared->dry_run)
    {
      _ferry_run_space_login (shared, NULL);
      destination = ferry_backend_new (shared->destination_connector, shared->destination_password, &error);
      if (destination == NULL)
        {
          _ferry_run_post (shared, FERRY_LOG_ERROR, FERRY_LOG_KIND_NOTE, NULL, error->message);
          return;
        }
    }

  for (guint i = 0; i < extras->len; i++)
    {
      FerryPlanItem *item = g_ptr_array_index (extras, i);
      g_autoptr(GError) remove_error = NULL;
      gboolean trashed = FALSE;
      gboolean removed;

      if (g_cancellable_is_cancelled (shared->cancellable))
        return;
      g_assert (item->kind == FERRY_PLAN_ITEM_EXTRA && item->destination_path != NULL);
      if (shared->dry_run)
        {
          _ferry_run_record (shared, item, FERRY_OUTCOME_DELETED, item->code, NULL, 0);
          _ferry_run_count (shared, &shared->counters.files_deleted, 1);
          continue;
        }

      if (local)
        removed = remove_local (shared, destination, item, &trashed, &remove_error);
      else if (is_folder (item))
        removed = ferry_backend_remove_folder (destination, item->destination_path,
                                               shared->cancellable, &remove_error);
      else
        removed = ferry_backend_remove (destination, item->destination_path,
                                        shared->cancellable, &remove_error);
      if (removed)
        {
          guint64 how[] = { [FERRY_LOG_DELETED_HOW] = trashed ? FERRY_LOG_DELETED_TRASHED
                                                              : FERRY_LOG_DELETED_REMOVED };

          _ferry_run_record (shared, item, FERRY_OUTCOME_DELETED, trashed ? "trash" : item->code, NULL, 1);
          _ferry_run_post_numbers (shared, FERRY_LOG_INFO, FERRY_LOG_KIND_FILE_DELETED, item->relative,
                                   how, G_N_ELEMENTS (how));
          _ferry_run_count (shared, &shared->counters.files_deleted, 1);
          continue;
        }
      if (g_cancellable_is_cancelled (shared->cancellable))
        return;
      _ferry_run_record (shared, item, FERRY_OUTCOME_FAILED, "not-deleted", remove_error->message, 1);
      _ferry_run_post (shared, FERRY_LOG_ERROR, FERRY_LOG_KIND_FILE_FAILED, item->relative,
                       remove_error->message);
      _ferry_run_count (shared, &shared->counters.files_failed, 1);
    }

  if (!shared->dry_run)
    {
      g_autofree char *text = NULL;
      guint64 deleted;

      g_mutex_lock (&shared->lock);
      deleted = shared->counters.files_deleted;
      g_mutex_unlock (&shared->lock);
      text = g_strdup_printf (ngettext ("Deleted %" PRIu64 " file or folder gone from the source",
                                        "Deleted %" PRIu64 " files and folders gone from the source",
                                        (gulong) MIN (deleted, G_MAXULONG)),
                              deleted);
      _ferry_run_post (shared, FERRY_LOG_INFO, FERRY_LOG_KIND_NOTE, NULL, text);
    }
}
