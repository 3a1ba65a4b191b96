/* ferry-report-export.c: see ferry-report-export.h. The records are read
 * and written on a worker thread: a 100 000-file report never holds up the
 * window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-report.h"
#include "ferry-report-export.h"

typedef struct
{
  char           *transfer_id;
  FerryRunRecord *record;      /* NULL: the latest */
  GFile          *file;
  FerryReportFormat format;
  GtkFileFilter  *json_filter;  /* the chooser's, to tell which was chosen */
  void          (*done) (gpointer, const char *);
  gpointer        user_data;
} Export;

static void
export_free (Export *export)
{
  g_free (export->transfer_id);
  g_clear_pointer (&export->record, ferry_run_record_free);
  g_clear_object (&export->file);
  g_clear_object (&export->json_filter);
  g_free (export);
}

GFile *
ferry_report_export_choose_format (GFile             *file,
                                   gboolean           json_chosen,
                                   FerryReportFormat *format)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = g_ascii_strdown (name, -1);
  g_autofree char *stem = NULL;
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *chosen = NULL;

  g_return_val_if_fail (G_IS_FILE (file) && format != NULL, NULL);

  /* The format chosen in the dialog wins over the suggested name; with
   * the default one a name typed ending in .json still means JSON. */
  if (json_chosen || g_str_has_suffix (lower, ".json"))
    *format = FERRY_REPORT_JSON;
  else
    *format = FERRY_REPORT_CSV;
  if (g_str_has_suffix (lower, *format == FERRY_REPORT_JSON ? ".json" : ".csv"))
    return g_object_ref (file);
  if (g_str_has_suffix (lower, ".csv") || g_str_has_suffix (lower, ".json"))
    stem = g_strndup (name, strrchr (name, '.') - name);
  else
    stem = g_strdup (name);
  chosen = g_strconcat (stem, *format == FERRY_REPORT_JSON ? ".json" : ".csv", NULL);
  return parent != NULL ? g_file_get_child (parent, chosen) : g_file_new_for_path (chosen);
}

static gboolean
export_to_file (FerryRunRecord     *record,
                GFile              *file,
                FerryReportFormat   format,
                GCancellable       *cancellable,
                GError            **error)
{
  g_autoptr(GListModel) outcomes = NULL;
  g_autoptr(GFileOutputStream) out = NULL;

  outcomes = ferry_run_history_open_outcomes (record, error);
  if (outcomes == NULL)
    return FALSE;
  /* Written beside and renamed over: a failed export leaves nothing
   * half-written under the chosen name. */
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable, error);
  if (out == NULL)
    return FALSE;
  if (!ferry_report_write (outcomes, format, G_OUTPUT_STREAM (out), cancellable, error))
    {
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      /* Closing with a cancelled cancellable drops the temporary file. */
      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (out), abandon, NULL);
      return FALSE;
    }
  return g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error);
}

gboolean
ferry_report_export_to_file (FerryRunRecord  *record,
                             GFile           *file,
                             GCancellable    *cancellable,
                             GError         **error)
{
  g_autofree char *name = g_file_get_basename (file);
  FerryReportFormat format = g_str_has_suffix (name, ".json") ? FERRY_REPORT_JSON : FERRY_REPORT_CSV;

  return export_to_file (record, file, format, cancellable, error);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Export *export = task_data;
  GError *error = NULL;

  if (export->record == NULL)
    export->record = ferry_run_history_latest (export->transfer_id, &error);
  if (export->record == NULL ||
      !export_to_file (export->record, export->file, export->format, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
export_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Export *export = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *name = g_file_get_basename (export->file);

      /* Translators: a toast after saving a Migration Report */
      message = g_strdup_printf (_("Saved the Migration Report as “%s”"), name);
    }
  else
    message = g_strdup_printf (_("Could not save the Migration Report: %s"), error->message);
  if (export->done != NULL)
    export->done (export->user_data, message);
}

static void
on_response (GtkNativeDialog *dialog,
             int              response,
             Export          *export)
{
  g_autoptr(GTask) task = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    {
      export_free (export);
      g_object_unref (dialog);
      return;
    }
  {
    g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
    GtkFileFilter *filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (dialog));  /* borrowed */

    export->file = ferry_report_export_choose_format (file, filter != NULL && filter == export->json_filter,
                                                      &export->format);
  }
  g_object_unref (dialog);
  task = g_task_new (NULL, NULL, export_done, NULL);
  g_task_set_source_tag (task, ferry_report_export);
  g_task_set_task_data (task, export, (GDestroyNotify) export_free);
  g_task_run_in_thread (task, export_thread);
}

static FerryRunRecord *
copy_record (FerryRunRecord *record)
{
  FerryRunRecord *copy = g_new0 (FerryRunRecord, 1);

  copy->transfer_id = g_strdup (record->transfer_id);
  copy->run_id = g_strdup (record->run_id);
  copy->state = record->state;
  copy->started = record->started;
  copy->log_fd = -1;
  copy->journal_fd = -1;
  return copy;
}

void
ferry_report_export (GtkWindow      *parent,
                     FerryTransfer  *transfer,
                     FerryRunRecord *record,
                     void          (*done) (gpointer, const char *),
                     gpointer        user_data)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) json = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  Export *export;

  g_return_if_fail (FERRY_IS_TRANSFER (transfer));

  export = g_new0 (Export, 1);
  export->transfer_id = g_strdup (ferry_transfer_get_id (transfer));
  export->record = record != NULL ? copy_record (record) : NULL;
  export->done = done;
  export->user_data = user_data;

  chooser = gtk_file_chooser_native_new (_("Save Migration Report"), parent, GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_file_filter_set_name (csv, _("Spreadsheet (CSV)"));
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_set_name (json, _("JSON"));
  gtk_file_filter_add_suffix (json, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), json);
  export->json_filter = g_object_ref (json);
  /* Translators: the suggested file name of a Migration Report */
  name = g_strdup_printf (_("%s report.csv"), ferry_transfer_get_name (transfer));
  g_strdelimit (name, "/", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_response), export);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
