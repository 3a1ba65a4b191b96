/* ferry-verify-dialog.c: Verify, proof that the destination matches. It
 * starts a verification through the run manager (a run like the others,
 * kept in the history as Kind=verify), by listing first; Compare Contents
 * starts another with checksums. At the end it shows either "All 12 408
 * files match" or the differences, read from the run's outcome records,
 * each with Copy Again, which copies exactly what this verification found
 * missing or different, by its records (comparing contents again where
 * contents were the difference: a plain rerun would skip a file of the
 * same size and time). Closing the dialog stops a verification still
 * going.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "ferry-accessible.h"
#include "ferry-outcome.h"
#include "ferry-run-history.h"
#include "ferry-verify-dialog.h"

/* Rows beyond this are counted, not shown: the Migration Report has all. */
#define MAX_ROWS 500

struct _FerryVerifyDialog
{
  AdwWindow parent_instance;

  FerryRunManager *manager;
  FerryTransfer *transfer;
  GCancellable *cancellable;
  gboolean checksum;
  char *run_id;            /* the verification shown, for Copy Again */
  FerryRun *run;           /* the verification under way, for its progress */

  AdwWindowTitle *window_title;
  GtkButton *checksum_button;
  GtkStack *stack;
  AdwStatusPage *running_page;
  AdwStatusPage *result_page;
  GtkLabel *summary_label;
  GtkListBox *difference_list;
};

G_DEFINE_FINAL_TYPE (FerryVerifyDialog, ferry_verify_dialog, ADW_TYPE_WINDOW)

enum {
  COPY_AGAIN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_copy_again (FerryVerifyDialog *self)
{
  g_signal_emit (self, signals[COPY_AGAIN], 0, self->transfer, self->run_id);
  gtk_window_close (GTK_WINDOW (self));
}

static const char *
describe (FerryOutcome *outcome)
{
  const char *reason = ferry_outcome_get_reason (outcome);

  switch (ferry_outcome_get_kind (outcome))
    {
    case FERRY_OUTCOME_MISSING:
      return _("Missing at the destination");
    case FERRY_OUTCOME_EXTRA:
      return _("Only at the destination");
    case FERRY_OUTCOME_DIFFERS:
      if (g_strcmp0 (reason, "size") == 0)
        return _("Differs in size");
      if (g_strcmp0 (reason, "time") == 0)
        return _("Differs in modification time");
      if (g_strcmp0 (reason, "content") == 0)
        return _("Differs in content");
      return _("A file on one side, a folder on the other");
    case FERRY_OUTCOME_FAILED:
    case FERRY_OUTCOME_REFUSED:
      return ferry_outcome_get_message (outcome);
    default:
      return ferry_outcome_kind_get_label (ferry_outcome_get_kind (outcome));
    }
}

static void
add_row (FerryVerifyDialog *self,
         FerryOutcome      *outcome)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *path = g_strconcat (ferry_outcome_get_path (outcome),
                                       ferry_outcome_is_folder (outcome) ? "/" : "", NULL);
  g_autofree char *escaped = g_markup_escape_text (path, -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), describe (outcome));
  /* What only the destination has is not copied again: a mirror run
   * deletes it, which the transfer's options decide. */
  if (ferry_outcome_get_kind (outcome) != FERRY_OUTCOME_EXTRA)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("Copy _Again"));
      ferry_accessible_name_button (GTK_BUTTON (button));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("Copy every file this verification found missing or different"));
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_copy_again), self, G_CONNECT_SWAPPED);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  gtk_list_box_append (self->difference_list, row);
}

static void
show_result (FerryVerifyDialog *self,
             FerryRun          *run)
{
  g_autoptr(FerryRunRecord) record = NULL;
  g_autoptr(GListModel) outcomes = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  guint64 differences = 0;
  guint64 shown = 0;
  guint64 total = ferry_run_get_files_total (run);
  g_autofree char *summary = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->difference_list))) != NULL)
    gtk_list_box_remove (self->difference_list, child);
  g_free (self->run_id);
  self->run_id = g_strdup (ferry_run_get_id (run));

  record = ferry_run_history_find (ferry_transfer_get_id (self->transfer), ferry_run_get_id (run), &error);
  if (record != NULL)
    outcomes = ferry_run_history_open_outcomes (record, &error);
  if (outcomes == NULL)
    {
      adw_status_page_set_icon_name (self->result_page, "dialog-error-symbolic");
      adw_status_page_set_title (self->result_page, _("Could Not Read the Result"));
      adw_status_page_set_description (self->result_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "result");
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (outcomes); i++)
    {
      g_autoptr(FerryOutcome) outcome = g_list_model_get_item (outcomes, i);
      FerryOutcomeKind kind = ferry_outcome_get_kind (outcome);

      if (kind != FERRY_OUTCOME_MISSING && kind != FERRY_OUTCOME_DIFFERS && kind != FERRY_OUTCOME_EXTRA &&
          kind != FERRY_OUTCOME_FAILED && kind != FERRY_OUTCOME_REFUSED)
        continue;
      differences++;
      if (shown++ < MAX_ROWS)
        add_row (self, outcome);
    }

  if (differences == 0)
    {
      g_autofree char *title = NULL;

      /* Translators: %'" PRIu64 " groups digits the locale's way: "All 12 408 files match" */
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "All %'" PRIu64 " File Matches",
                                            "All %'" PRIu64 " Files Match", (gulong) MIN (total, G_MAXULONG)),
                               total);
      adw_status_page_set_icon_name (self->result_page, "emblem-ok-symbolic");
      adw_status_page_set_title (self->result_page, title);
      adw_status_page_set_description (self->result_page,
                                       self->checksum
                                       ? _("Sizes, modification times and contents compared")
                                       : _("Sizes and modification times compared. Compare Contents reads the files too."));
      gtk_stack_set_visible_child_name (self->stack, "result");
      return;
    }
  if (differences > MAX_ROWS)
    /* Translators: above the list of differences when it is cut short */
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%" PRIu64 " difference; the first %u are listed, the Migration Report has all",
                                            "%" PRIu64 " differences; the first %u are listed, the Migration Report has all",
                                            (gulong) MIN (differences, G_MAXULONG)),
                               differences, (guint) MAX_ROWS);
  else
    /* Translators: above the list of differences: how many of how many files */
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%" PRIu64 " difference among %" PRIu64 " files",
                                            "%" PRIu64 " differences among %" PRIu64 " files",
                                            (gulong) MIN (differences, G_MAXULONG)),
                               differences, total);
  gtk_label_set_text (self->summary_label, summary);
  gtk_stack_set_visible_child_name (self->stack, "differences");
}

/* While it goes: files compared, and with checksums the bytes read, not
 * a spinner alone (a big site's contents take minutes). */
static void
show_progress (FerryVerifyDialog *self)
{
  FerryRun *run = self->run;
  g_autofree char *text = NULL;
  guint64 compared;
  guint64 total;

  if (run == NULL)
    return;
  compared = ferry_run_get_files_done (run) + ferry_run_get_differences (run) + ferry_run_get_files_failed (run);
  total = ferry_run_get_files_total (run);
  if (compared == 0 && total == 0)
    return;
  if (ferry_run_get_checksum (run) && ferry_run_get_bytes_total (run) > 0)
    {
      g_autofree char *done = g_format_size (ferry_run_get_bytes_done (run));
      g_autofree char *all = g_format_size (ferry_run_get_bytes_total (run));

      /* Translators: a checksum verification under way: files compared of
       * those listed so far, bytes read of their size */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%" PRIu64 " of %" PRIu64 " file compared · %s of %s read",
                                           "%" PRIu64 " of %" PRIu64 " files compared · %s of %s read",
                                           (gulong) MIN (total, G_MAXULONG)),
                              compared, total, done, all);
    }
  else
    /* Translators: a verification under way */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " of %" PRIu64 " file compared",
                                         "%" PRIu64 " of %" PRIu64 " files compared",
                                         (gulong) MIN (total, G_MAXULONG)),
                            compared, total);
  adw_status_page_set_description (self->running_page, text);
}

static void
on_run_started (FerryVerifyDialog *self,
                FerryRun          *run)
{
  if (ferry_run_get_kind (run) != FERRY_RUN_KIND_VERIFY ||
      g_strcmp0 (ferry_transfer_get_id (ferry_run_get_transfer (run)), ferry_transfer_get_id (self->transfer)) != 0)
    return;
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_set_object (&self->run, run);
  g_signal_connect_object (run, "notify", G_CALLBACK (show_progress), self, G_CONNECT_SWAPPED);
}

static void
verify_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FerryVerifyDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryRun) run = ferry_run_manager_start_finish (FERRY_RUN_MANAGER (source), result, &error);
  const GError *run_error = run != NULL ? ferry_run_get_error (run) : error;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_clear_object (&self->run);
  gtk_widget_set_sensitive (GTK_WIDGET (self->checksum_button), TRUE);
  if (run_error != NULL)
    {
      adw_status_page_set_icon_name (self->result_page, "network-error-symbolic");
      adw_status_page_set_title (self->result_page, _("Could Not Compare"));
      adw_status_page_set_description (self->result_page, run_error->message);
      gtk_stack_set_visible_child_name (self->stack, "result");
      return;
    }
  show_result (self, run);
}

static void
start (FerryVerifyDialog *self,
       gboolean           checksum)
{
  self->checksum = checksum;
  gtk_widget_set_sensitive (GTK_WIDGET (self->checksum_button), FALSE);
  adw_status_page_set_title (self->running_page,
                             checksum ? _("Comparing Contents…") : _("Comparing Sizes and Times…"));
  adw_status_page_set_description (self->running_page, NULL);
  gtk_stack_set_visible_child_name (self->stack, "running");
  ferry_run_manager_verify_async (self->manager, self->transfer, checksum, self->cancellable,
                                  verify_done, g_object_ref (self));
}

static void
on_checksum_clicked (FerryVerifyDialog *self)
{
  start (self, TRUE);
}

static gboolean
ferry_verify_dialog_close_request (GtkWindow *window)
{
  FerryVerifyDialog *self = FERRY_VERIFY_DIALOG (window);

  g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (ferry_verify_dialog_parent_class)->close_request (window);
}

static void
ferry_verify_dialog_dispose (GObject *object)
{
  FerryVerifyDialog *self = FERRY_VERIFY_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_clear_object (&self->run);
  g_clear_object (&self->manager);
  g_clear_object (&self->transfer);
  g_clear_pointer (&self->run_id, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_VERIFY_DIALOG);
  G_OBJECT_CLASS (ferry_verify_dialog_parent_class)->dispose (object);
}

static void
ferry_verify_dialog_class_init (FerryVerifyDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ferry_verify_dialog_dispose;
  window_class->close_request = ferry_verify_dialog_close_request;

  signals[COPY_AGAIN] = g_signal_new ("copy-again", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 2, FERRY_TYPE_TRANSFER, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ferrymigrate/Ferry/ferry-verify-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryVerifyDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, FerryVerifyDialog, checksum_button);
  gtk_widget_class_bind_template_child (widget_class, FerryVerifyDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, FerryVerifyDialog, running_page);
  gtk_widget_class_bind_template_child (widget_class, FerryVerifyDialog, result_page);
  gtk_widget_class_bind_template_child (widget_class, FerryVerifyDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, FerryVerifyDialog, difference_list);
  gtk_widget_class_bind_template_callback (widget_class, on_checksum_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ferry_verify_dialog_init (FerryVerifyDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* "_Close Close" otherwise (GTK 4.8, ferry-accessible.h). */
  ferry_accessible_name_mnemonic_buttons (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

FerryVerifyDialog *
ferry_verify_dialog_new (GtkWindow       *parent,
                         FerryRunManager *manager,
                         FerryTransfer   *transfer)
{
  FerryVerifyDialog *self;

  g_return_val_if_fail (FERRY_IS_RUN_MANAGER (manager), NULL);
  g_return_val_if_fail (FERRY_IS_TRANSFER (transfer), NULL);

  self = g_object_new (FERRY_TYPE_VERIFY_DIALOG, "transient-for", parent, NULL);
  self->manager = g_object_ref (manager);
  self->transfer = g_object_ref (transfer);
  g_signal_connect_object (manager, "run-started", G_CALLBACK (on_run_started), self, G_CONNECT_SWAPPED);
  adw_window_title_set_subtitle (self->window_title, ferry_transfer_get_name (transfer));
  start (self, FALSE);
  return self;
}
