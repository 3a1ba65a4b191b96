/* ferry-delete-confirm.c: before a transfer's first run that deletes
 * anything, a preview (the same dry run the Preview window makes) counts
 * what is gone from the source, and a dialog gives the count and asks.
 * Later runs do not ask: the history shows a run that deleted, so the
 * question was answered. A transfer that does not delete, or whose
 * preview finds nothing to delete, starts at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "ferry-accessible.h"
#include "ferry-delete-confirm.h"
#include "ferry-outcome.h"
#include "ferry-run-history.h"

typedef struct
{
  GtkWindow     *parent;
  FerryTransfer *transfer;
} ConfirmData;

static void
confirm_data_free (ConfirmData *data)
{
  g_clear_object (&data->parent);
  g_clear_object (&data->transfer);
  g_free (data);
}

static gboolean
deleted_before (FerryTransfer *transfer)
{
  g_autoptr(GPtrArray) runs = ferry_run_history_list (ferry_transfer_get_id (transfer), NULL);

  for (guint i = 0; runs != NULL && i < runs->len; i++)
    {
      FerryRunRecord *record = g_ptr_array_index (runs, i);

      if (record->kind == FERRY_RUN_KIND_COPY && record->files_deleted > 0)
        return TRUE;
    }
  return FALSE;
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             GTask            *task)
{
  g_task_return_boolean (task, g_strcmp0 (response, "delete") == 0);
  g_object_unref (task);
}

static void
preview_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  ConfirmData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryRun) run = ferry_run_manager_start_finish (FERRY_RUN_MANAGER (source), result, &error);
  GListModel *plan;
  guint64 files = 0;
  guint64 folders = 0;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (run == NULL || ferry_run_get_error (run) != NULL)
    {
      g_task_return_error (task, run == NULL ? g_steal_pointer (&error) : g_error_copy (ferry_run_get_error (run)));
      g_object_unref (task);
      return;
    }
  plan = ferry_run_get_plan (run);
  for (guint i = 0; i < g_list_model_get_n_items (plan); i++)
    {
      g_autoptr(FerryOutcome) outcome = g_list_model_get_item (plan, i);

      if (ferry_outcome_get_kind (outcome) != FERRY_OUTCOME_DELETED)
        continue;
      if (ferry_outcome_is_folder (outcome))
        folders++;
      else
        files++;
    }
  if (files + folders == 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  /* Translators: the heading of the question before the first run that
   * deletes; the number of files gone from the source */
  if (folders == 0)
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Delete %" PRIu64 " File?",
                                            "Delete %" PRIu64 " Files?", (gulong) MIN (files, G_MAXULONG)),
                               files);
  else
    /* Translators: the same, when folders go too; the number counts both */
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Delete %" PRIu64 " File or Folder?",
                                            "Delete %" PRIu64 " Files and Folders?",
                                            (gulong) MIN (files + folders, G_MAXULONG)),
                               files + folders);
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "“%s” deletes what the source no longer has. This run would remove "
                                       "%" PRIu64 " file or folder from the destination (to the Trash on this "
                                       "computer; on a server, for good). Excluded files are never deleted. "
                                       "Preview lists them. Later runs will not ask again.",
                                       "“%s” deletes what the source no longer has. This run would remove "
                                       "%" PRIu64 " files and folders from the destination (to the Trash on this "
                                       "computer; on a server, for good). Excluded files are never deleted. "
                                       "Preview lists them. Later runs will not ask again.",
                                       (gulong) MIN (files + folders, G_MAXULONG)),
                          ferry_transfer_get_name (data->transfer), files + folders);
  dialog = adw_message_dialog_new (data->parent, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete and Run"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  ferry_accessible_name_mnemonic_buttons (dialog);
  /* Nothing is deleted by pressing Enter. */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), task);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
ferry_delete_confirm_async (GtkWindow           *parent,
                            FerryRunManager     *manager,
                            FerryTransfer       *transfer,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  ConfirmData *data;

  g_return_if_fail (FERRY_IS_RUN_MANAGER (manager));
  g_return_if_fail (FERRY_IS_TRANSFER (transfer));

  task = g_task_new (NULL, NULL, callback, user_data);
  g_task_set_source_tag (task, ferry_delete_confirm_async);
  if (!ferry_transfer_get_delete_extra (transfer) || deleted_before (transfer))
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  data = g_new0 (ConfirmData, 1);
  data->parent = parent != NULL ? g_object_ref (parent) : NULL;
  data->transfer = g_object_ref (transfer);
  g_task_set_task_data (task, data, (GDestroyNotify) confirm_data_free);
  ferry_run_manager_preview_async (manager, transfer, NULL, preview_done, task);
}

gboolean
ferry_delete_confirm_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
