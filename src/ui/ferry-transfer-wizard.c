/* ferry-transfer-wizard.c: the Transfer Wizard. Source connector → source
 * folder (browsed live) → destination connector → destination folder → name
 * and options, with Back and Next that only move on once a step is valid,
 * Cancel on every step, and Save or Start Migrating at the end. Edit opens it filled in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-accessible.h"
#include "ferry-connector-chooser.h"
#include "ferry-filter.h"
#include "ferry-folder-chooser.h"
#include "ferry-error.h"
#include "ferry-filter.h"
#include "ferry-outcome.h"
#include "ferry-run-history.h"
#include "ferry-transfer-wizard.h"

static const char * const steps[] = {
  "source", "source-folder", "destination", "destination-folder", "options",
};
#define N_STEPS G_N_ELEMENTS (steps)

struct _FerryTransferWizard
{
  AdwWindow parent_instance;

  FerryConnectorStore *connectors;
  FerryTransferStore *transfers;
  FerryTransfer *original;
  guint step;
  gboolean name_edited;
  gboolean setting_name;
  /* what each folder chooser was last opened on */
  char *source_shown;
  char *destination_shown;

  AdwWindowTitle *window_title;
  GtkStack *stack;
  GtkButton *back_button;
  GtkButton *next_button;
  GtkButton *save_button;
  GtkButton *start_button;
  FerryConnectorChooser *source_chooser;
  FerryFolderChooser *source_folder;
  FerryConnectorChooser *destination_chooser;
  FerryFolderChooser *destination_folder;
  GtkLabel *source_folder_label;
  GtkLabel *destination_folder_label;
  AdwEntryRow *name_row;
  GtkSpinButton *connections_spin;
  AdwComboRow *existing_row;
  GtkEntry *bandwidth_entry;
  GtkSwitch *delete_switch;
  AdwActionRow *from_row;
  AdwActionRow *to_row;
  GtkLabel *error_label;
  AdwEntryRow *exclude_row;
  AdwEntryRow *include_row;
  GtkSwitch *hidden_switch;
  AdwEntryRow *max_size_row;
  AdwActionRow *filter_count_row;
  GtkScrolledWindow *options_scroller;

  /* The live count: the last run's records, matched against the patterns
   * being typed, on a worker thread. */
  GListModel *last_run;          /* FerryOutcome, or NULL */
  GCancellable *count_cancellable;
  guint count_source;
};

G_DEFINE_FINAL_TYPE (FerryTransferWizard, ferry_transfer_wizard, ADW_TYPE_WINDOW)

enum {
  DONE,
  PREVIEW,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_local (FerryConnector *connector)
{
  return connector != NULL && ferry_connector_get_kind (connector) == FERRY_CONNECTOR_KIND_LOCAL;
}

static char *
connector_label (FerryConnector *connector)
{
  if (connector == NULL)
    return g_strdup ("");
  if (ferry_connector_get_kind (connector) == FERRY_CONNECTOR_KIND_LOCAL)
    return g_strdup (_("This Computer"));
  return g_strdup (ferry_connector_get_name (connector));
}

/* The field's rate in bytes per second, 0 when empty; FALSE when it is
 * no rate. */
static gboolean
bandwidth_limit (FerryTransferWizard *self,
                 guint64             *limit)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->bandwidth_entry))));

  *limit = 0;
  return text[0] == '\0' || ferry_parse_size (text, limit);
}

/* A saved rate as the field shows it: "512K", "2M", or plain bytes. */
static char *
format_rate (guint64 bytes)
{
  static const char units[] = "KMGT";
  guint i = 0;

  if (bytes % 1024 != 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT, bytes);
  bytes /= 1024;
  while (bytes % 1024 == 0 && bytes >= 1024 && i + 1 < sizeof units - 1)
    {
      bytes /= 1024;
      i++;
    }
  return g_strdup_printf ("%" G_GUINT64_FORMAT "%c", bytes, units[i]);
}

static gboolean
step_valid (FerryTransferWizard *self,
            guint                step)
{
  switch (step)
    {
    case 0:
      return ferry_connector_chooser_get_selected (self->source_chooser) != NULL;
    case 1:
      return ferry_folder_chooser_get_valid (self->source_folder)
             && !ferry_folder_chooser_get_busy (self->source_folder);
    case 2:
      return ferry_connector_chooser_get_selected (self->destination_chooser) != NULL;
    case 3:
      return ferry_folder_chooser_get_valid (self->destination_folder)
             && !ferry_folder_chooser_get_busy (self->destination_folder);
    case 4:
      {
        g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
        guint64 limit;

        return name[0] != '\0' && bandwidth_limit (self, &limit);
      }
    default:
      g_assert_not_reached ();
    }
}

static void
update_actions (FerryTransferWizard *self)
{
  gboolean last = self->step == N_STEPS - 1;
  gboolean valid = step_valid (self, self->step);
  g_autofree char *subtitle = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", !last && valid);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.save", last && valid);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.start", last && valid);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), !last);
  gtk_widget_set_visible (GTK_WIDGET (self->save_button), last);
  gtk_widget_set_visible (GTK_WIDGET (self->start_button), last);
  /* Cancel stays on every step; Back joins it after the first. */
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), self->step > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back", self->step > 0);

  /* Translators: the wizard's subtitle, "Step 2 of 5" */
  subtitle = g_strdup_printf (_("Step %u of %u"), self->step + 1, (guint) N_STEPS);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static void
fill_summary (FerryTransferWizard *self)
{
  FerryConnector *source = ferry_connector_chooser_get_selected (self->source_chooser);
  FerryConnector *destination = ferry_connector_chooser_get_selected (self->destination_chooser);
  g_autofree char *source_name = connector_label (source);
  g_autofree char *destination_name = connector_label (destination);
  g_autofree char *from = g_strdup_printf ("%s:%s", source_name, ferry_folder_chooser_get_path (self->source_folder));
  g_autofree char *to = g_strdup_printf ("%s:%s", destination_name,
                                         ferry_folder_chooser_get_path (self->destination_folder));

  adw_action_row_set_subtitle (self->from_row, from);
  adw_action_row_set_subtitle (self->to_row, to);

  if (!self->name_edited)
    {
      g_autofree char *base = g_path_get_basename (ferry_folder_chooser_get_path (self->source_folder));
      g_autofree char *name = NULL;

      if (g_str_equal (base, "/"))
        {
          g_free (base);
          base = g_strdup (source_name);
        }
      /* "This Computer" is a name in a list, not words in a sentence:
       * languages that inflect it need their own sentence. */
      if (is_local (destination))
        /* Translators: a suggested transfer name: the source folder copied to this computer */
        name = g_strdup_printf (C_("transfer name", "%s to This Computer"), base);
      else
        /* Translators: a suggested transfer name: source folder, destination connector */
        name = g_strdup_printf (C_("transfer name", "%s to %s"), base, destination_name);
      for (guint i = 2; i < 100; i++)
        {
          FerryTransfer *same = ferry_transfer_store_find_by_name (self->transfers, name);

          if (same == NULL || (self->original != NULL && same == self->original))
            break;
          g_free (name);
          if (is_local (destination))
            /* Translators: as "%s to This Computer", numbered when that name is taken */
            name = g_strdup_printf (_("%s to This Computer (%u)"), base, i);
          else
            name = g_strdup_printf (_("%s to %s (%u)"), base, destination_name, i);
        }
      self->setting_name = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
      self->setting_name = FALSE;
    }
}

static const char *
start_path (FerryConnector *connector,
            const char     *wanted)
{
  if (wanted != NULL && wanted[0] == '/')
    return wanted;
  if (ferry_connector_get_kind (connector) == FERRY_CONNECTOR_KIND_LOCAL)
    return g_get_home_dir ();
  return "/";
}

/* Opens a folder chooser on its connector, unless it shows that one already. */
static void
prepare_folder (FerryTransferWizard *self,
                FerryFolderChooser  *chooser,
                FerryConnector      *connector,
                char               **shown,
                const char          *wanted)
{
  if (connector == NULL || g_strcmp0 (*shown, ferry_connector_get_id (connector)) == 0)
    return;
  g_free (*shown);
  *shown = g_strdup (ferry_connector_get_id (connector));
  ferry_folder_chooser_set_connector (chooser, self->connectors, connector, start_path (connector, wanted));
}

/* The focus goes to the step's first useful control: never left on a
 * page that just went away, nor on Cancel. */
static void
focus_step (FerryTransferWizard *self)
{
  switch (self->step)
    {
    case 0:
      ferry_connector_chooser_focus_choice (self->source_chooser);
      break;
    case 2:
      ferry_connector_chooser_focus_choice (self->destination_chooser);
      break;
    case 1:
    case 3:
      gtk_widget_child_focus (GTK_WIDGET (self->step == 1 ? self->source_folder : self->destination_folder),
                              GTK_DIR_TAB_FORWARD);
      break;
    case 4:
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
go_to (FerryTransferWizard *self,
       guint                step)
{
  g_assert (step < N_STEPS);

  if (step == 1)
    {
      FerryConnector *source = ferry_connector_chooser_get_selected (self->source_chooser);
      g_autofree char *name = connector_label (source);
      g_autofree char *text = is_local (source)
        ? g_strdup (_("Choose the folder on this computer to copy from. Everything in it is copied, subfolders included."))
        : g_strdup_printf (_("Choose the folder to copy from %s. Everything in it is copied, subfolders included."), name);

      gtk_label_set_text (self->source_folder_label, text);
      prepare_folder (self, self->source_folder, source, &self->source_shown,
                      self->original ? ferry_transfer_get_source_path (self->original) : NULL);
    }
  else if (step == 3)
    {
      FerryConnector *destination = ferry_connector_chooser_get_selected (self->destination_chooser);
      g_autofree char *name = connector_label (destination);
      g_autofree char *text = is_local (destination)
        ? g_strdup (_("Choose the folder on this computer to copy into. A folder that does not exist yet is created."))
        : g_strdup_printf (_("Choose the folder on %s to copy into. A folder that does not exist yet is created."), name);

      gtk_label_set_text (self->destination_folder_label, text);
      prepare_folder (self, self->destination_folder, destination, &self->destination_shown,
                      self->original ? ferry_transfer_get_destination_path (self->original) : NULL);
    }
  else if (step == 4)
    fill_summary (self);

  self->step = step;
  gtk_label_set_text (self->error_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_stack_set_visible_child_name (self->stack, steps[step]);
  update_actions (self);
  focus_step (self);
}

static void
wizard_back (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FerryTransferWizard *self = FERRY_TRANSFER_WIZARD (widget);

  if (self->step == 0)
    gtk_window_close (GTK_WINDOW (self));
  else
    go_to (self, self->step - 1);
}

static void
wizard_next (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FerryTransferWizard *self = FERRY_TRANSFER_WIZARD (widget);

  if (self->step + 1 < N_STEPS && step_valid (self, self->step))
    go_to (self, self->step + 1);
}

/* "a, b ,c" → { "a", "b", "c" }; NULL for none. */
static GStrv
split_patterns (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text != NULL ? text : "", ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

static char *
join_patterns (const char * const *patterns)
{
  return patterns != NULL ? g_strjoinv (", ", (char **) patterns) : g_strdup ("");
}

/* The filter fields onto `transfer`; FALSE when the size is not one. */
static gboolean
apply_filters (FerryTransferWizard  *self,
               FerryTransfer        *transfer,
               GError              **error)
{
  g_auto(GStrv) excludes = split_patterns (gtk_editable_get_text (GTK_EDITABLE (self->exclude_row)));
  g_auto(GStrv) includes = split_patterns (gtk_editable_get_text (GTK_EDITABLE (self->include_row)));
  g_autofree char *size_text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->max_size_row))));
  guint64 max_size = 0;

  if (size_text[0] != '\0' && !ferry_parse_size (size_text, &max_size))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                   _("“%s” is not a size: write it like 500K, 100M or 2G"), size_text);
      return FALSE;
    }
  ferry_transfer_set_excludes (transfer, (const char * const *) excludes);
  ferry_transfer_set_includes (transfer, (const char * const *) includes);
  ferry_transfer_set_skip_hidden (transfer, gtk_switch_get_active (self->hidden_switch));
  ferry_transfer_set_max_size (transfer, max_size);
  return TRUE;
}

/* What the wizard holds now, as a transfer (Edit: under the original's
 * id); NULL, with the step and the message shown, when a step is not valid. */
static FerryTransfer *
build_transfer (FerryTransferWizard *self)
{
  g_autoptr(FerryTransfer) transfer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  FerryConnector *source = ferry_connector_chooser_get_selected (self->source_chooser);
  FerryConnector *destination = ferry_connector_chooser_get_selected (self->destination_chooser);
  guint64 limit = 0;

  for (guint i = 0; i < N_STEPS; i++)
    if (!step_valid (self, i))
      {
        go_to (self, i);
        return NULL;
      }

  if (self->original != NULL)
    {
      /* Edit keeps the id, so the runs' history stays with it. */
      g_autoptr(GKeyFile) key_file = ferry_transfer_to_key_file (self->original);

      transfer = ferry_transfer_new_from_key_file (key_file, &error);
      g_assert_no_error (error);
    }
  else
    transfer = ferry_transfer_new ();

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  ferry_transfer_set_name (transfer, name);
  ferry_transfer_set_source_connector_id (transfer, ferry_connector_get_id (source));
  ferry_transfer_set_source_path (transfer, ferry_folder_chooser_get_path (self->source_folder));
  ferry_transfer_set_destination_connector_id (transfer, ferry_connector_get_id (destination));
  ferry_transfer_set_destination_path (transfer, ferry_folder_chooser_get_path (self->destination_folder));
  ferry_transfer_set_connections (transfer, gtk_spin_button_get_value_as_int (self->connections_spin));
  ferry_transfer_set_existing_policy (transfer, adw_combo_row_get_selected (self->existing_row));
  if (!apply_filters (self, transfer, &error))
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->max_size_row));
      return NULL;
    }
  bandwidth_limit (self, &limit);
  /* Takes effect from the next run. */
  ferry_transfer_set_bandwidth_limit (transfer, limit);
  ferry_transfer_set_delete_extra (transfer, gtk_switch_get_active (self->delete_switch));
  return g_steal_pointer (&transfer);
}

static void
finish (FerryTransferWizard *self,
        gboolean             start)
{
  g_autoptr(FerryTransfer) transfer = build_transfer (self);
  g_autoptr(GError) error = NULL;

  if (transfer == NULL)
    return;
  if (!ferry_transfer_store_save (self->transfers, transfer, &error))
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return;
    }
  g_signal_emit (self, signals[DONE], 0, transfer, start);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Preview… shows what the fields say now, saved or not; the wizard stays
 * on its options, for the filters to be adjusted after. */
static void
wizard_preview (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  FerryTransferWizard *self = FERRY_TRANSFER_WIZARD (widget);
  g_autoptr(FerryTransfer) transfer = build_transfer (self);

  if (transfer == NULL)
    return;
  g_signal_emit (self, signals[PREVIEW], 0, transfer);
}

/* --- the live count of what the patterns leave out ------------------------ */

typedef struct
{
  GListModel  *records;
  FerryFilter *filter;
  guint        total;
  guint        left_out;
} Count;

static void
count_free (Count *count)
{
  g_clear_object (&count->records);
  g_clear_pointer (&count->filter, ferry_filter_free);
  g_free (count);
}

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Count *count = task_data;
  guint n = g_list_model_get_n_items (count->records);

  for (guint i = 0; i < n && !g_cancellable_is_cancelled (cancellable); i++)
    {
      g_autoptr(FerryOutcome) outcome = g_list_model_get_item (count->records, i);
      const char *reason;
      gint64 size = ferry_outcome_get_size (outcome);

      if (ferry_outcome_is_folder (outcome) || ferry_outcome_get_kind (outcome) == FERRY_OUTCOME_NONE)
        continue;
      count->total++;
      if (!ferry_filter_keeps_file (count->filter, ferry_outcome_get_path (outcome),
                                    size >= 0 ? (guint64) size : G_MAXUINT64, &reason))
        count->left_out++;
    }
  g_task_return_boolean (task, !g_cancellable_is_cancelled (cancellable));
}

static void
count_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(FerryTransferWizard) self = user_data;
  Count *count = g_task_get_task_data (G_TASK (result));
  g_autofree char *text = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return;
  /* Translators: under the filter fields, counted against the last run */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "These patterns leave out %u of the %u file the last run saw",
                                       "These patterns leave out %u of the %u files the last run saw", count->total),
                          count->left_out, count->total);
  adw_action_row_set_subtitle (self->filter_count_row, text);
}

static gboolean
recount (gpointer data)
{
  FerryTransferWizard *self = data;
  g_autoptr(FerryTransfer) probe = ferry_transfer_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  Count *count;

  self->count_source = 0;
  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  if (!apply_filters (self, probe, &error))
    {
      adw_action_row_set_subtitle (self->filter_count_row, error->message);
      return G_SOURCE_REMOVE;
    }
  count = g_new0 (Count, 1);
  count->filter = ferry_transfer_dup_filter (probe, &error);
  if (count->filter == NULL)
    {
      adw_action_row_set_subtitle (self->filter_count_row, error->message);
      count_free (count);
      return G_SOURCE_REMOVE;
    }
  if (self->last_run == NULL)
    {
      adw_action_row_set_subtitle (self->filter_count_row,
                                   _("Preview shows which files these patterns leave out."));
      count_free (count);
      return G_SOURCE_REMOVE;
    }
  count->records = g_object_ref (self->last_run);
  self->count_cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->count_cancellable, count_done, g_object_ref (self));
  g_task_set_source_tag (task, recount);
  g_task_set_task_data (task, count, (GDestroyNotify) count_free);
  g_task_run_in_thread (task, count_thread);
  return G_SOURCE_REMOVE;
}

static void
on_filters_changed (FerryTransferWizard *self)
{
  /* Counted once typing pauses, not at every key. */
  g_clear_handle_id (&self->count_source, g_source_remove);
  self->count_source = g_timeout_add (250, recount, self);
}

static void
last_run_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  g_autoptr(FerryRunRecord) record = ferry_run_history_latest (task_data, NULL);
  GListModel *records = record != NULL ? ferry_run_history_open_outcomes (record, NULL) : NULL;

  g_task_return_pointer (task, records, g_object_unref);
}

static void
last_run_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(FerryTransferWizard) self = user_data;

  self->last_run = g_task_propagate_pointer (G_TASK (result), NULL);
  on_filters_changed (self);
}

static void
wizard_save (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  finish (FERRY_TRANSFER_WIZARD (widget), FALSE);
}

static void
wizard_start (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  finish (FERRY_TRANSFER_WIZARD (widget), TRUE);
}

/* The choices are short enough for the row (libadwaita 1.2 cuts a long
 * one); what each does is the subtitle. */
static void
on_existing_changed (FerryTransferWizard *self)
{
  const char *what;

  switch (adw_combo_row_get_selected (self->existing_row))
    {
    case FERRY_EXISTING_OVERWRITE:
      what = _("A file the destination has already is copied again, whether it changed or not");
      break;
    case FERRY_EXISTING_KEEP_BOTH:
      what = _("A changed file is copied beside the one the destination has, with “(copy)” added to its name");
      break;
    case FERRY_EXISTING_SKIP_IDENTICAL:
    default:
      what = _("Files already at the destination with the same size and time are skipped; changed files are replaced");
      break;
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->existing_row), what);
}

static void
on_name_changed (FerryTransferWizard *self)
{
  if (!self->setting_name)
    self->name_edited = TRUE;
  update_actions (self);
}

static void
on_bandwidth_changed (FerryTransferWizard *self)
{
  guint64 limit;

  if (bandwidth_limit (self, &limit))
    gtk_widget_remove_css_class (GTK_WIDGET (self->bandwidth_entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->bandwidth_entry), "error");
  update_actions (self);
}

static void
on_choice_changed (FerryTransferWizard *self)
{
  update_actions (self);
}

static void
on_source_changed (FerryTransferWizard *self)
{
  update_actions (self);
}

static void
ferry_transfer_wizard_dispose (GObject *object)
{
  FerryTransferWizard *self = FERRY_TRANSFER_WIZARD (object);

  g_clear_object (&self->connectors);
  g_clear_object (&self->transfers);
  g_clear_object (&self->original);
  g_clear_handle_id (&self->count_source, g_source_remove);
  if (self->count_cancellable != NULL)
    g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  g_clear_object (&self->last_run);
  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_TRANSFER_WIZARD);

  G_OBJECT_CLASS (ferry_transfer_wizard_parent_class)->dispose (object);
}

static void
ferry_transfer_wizard_finalize (GObject *object)
{
  FerryTransferWizard *self = FERRY_TRANSFER_WIZARD (object);

  g_free (self->source_shown);
  g_free (self->destination_shown);

  G_OBJECT_CLASS (ferry_transfer_wizard_parent_class)->finalize (object);
}

/* The Connections spin button: 0 reads "Automatic" (the default), and the
 * word, or any start of it, is read back as 0. */
static gboolean
on_connections_output (FerryTransferWizard *self,
                       GtkSpinButton       *spin)
{
  if (gtk_spin_button_get_value_as_int (spin) != FERRY_TRANSFER_CONNECTIONS_AUTO)
    return FALSE;
  gtk_editable_set_text (GTK_EDITABLE (spin), C_("connections", "Automatic"));
  return TRUE;
}

static int
on_connections_input (FerryTransferWizard *self,
                      double              *value,
                      GtkSpinButton       *spin)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (spin))));
  guint64 n;

  if (g_ascii_string_to_unsigned (text, 10, FERRY_TRANSFER_MIN_CONNECTIONS,
                                  FERRY_TRANSFER_MAX_CONNECTIONS, &n, NULL))
    *value = (double) n;
  else
    *value = FERRY_TRANSFER_CONNECTIONS_AUTO;
  return TRUE;
}

static void
ferry_transfer_wizard_class_init (FerryTransferWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_transfer_wizard_dispose;
  object_class->finalize = ferry_transfer_wizard_finalize;

  /**
   * FerryTransferWizard::done:
   * @transfer: the saved transfer
   * @start: whether to start it now
   */
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                FERRY_TYPE_TRANSFER, G_TYPE_BOOLEAN);
  /* Not saved: the user asked to see what a run of it would do. */
  signals[PREVIEW] = g_signal_new ("preview", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_TRANSFER);

  g_type_ensure (FERRY_TYPE_CONNECTOR_CHOOSER);
  g_type_ensure (FERRY_TYPE_FOLDER_CHOOSER);

  gtk_widget_class_set_template_from_resource (widget_class, APPLICATION_PATH "/ferry-transfer-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, window_title);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, stack);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, back_button);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, next_button);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, save_button);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, start_button);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, source_chooser);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, source_folder);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, destination_chooser);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, destination_folder);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, source_folder_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, destination_folder_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, name_row);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, connections_spin);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, existing_row);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, bandwidth_entry);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, delete_switch);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, from_row);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, to_row);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, error_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, exclude_row);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, include_row);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, hidden_switch);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, max_size_row);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, filter_count_row);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferWizard, options_scroller);
  gtk_widget_class_bind_template_callback (widget_class, on_filters_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_bandwidth_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_connections_output);
  gtk_widget_class_bind_template_callback (widget_class, on_connections_input);
  gtk_widget_class_bind_template_callback (widget_class, on_existing_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_choice_changed);

  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, wizard_back);
  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, wizard_next);
  gtk_widget_class_install_action (widget_class, "wizard.save", NULL, wizard_save);
  gtk_widget_class_install_action (widget_class, "wizard.start", NULL, wizard_start);
  gtk_widget_class_install_action (widget_class, "wizard.preview", NULL, wizard_preview);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  /* Back is an arrow in the header bar, beside Cancel: no mnemonic, so the
   * keys browsers and file managers use. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "wizard.back", NULL);
}

static void
ferry_transfer_wizard_init (FerryTransferWizard *self)
{
  g_autoptr(GtkListItemFactory) existing_factory = ferry_accessible_string_factory_new ();
  g_autoptr(GtkListItemFactory) existing_list_factory = ferry_accessible_string_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  ferry_folder_chooser_set_allow_missing (self->destination_folder, TRUE);
  g_signal_connect_object (self->source_chooser, "notify::selected", G_CALLBACK (on_choice_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->destination_chooser, "notify::selected", G_CALLBACK (on_choice_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->source_folder, "notify::valid", G_CALLBACK (on_source_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->source_folder, "notify::busy", G_CALLBACK (on_source_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->destination_folder, "notify::valid", G_CALLBACK (on_source_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->destination_folder, "notify::busy", G_CALLBACK (on_source_changed), self,
                           G_CONNECT_SWAPPED);
  /* 0 is Connections: Automatic, shown as a word (on_connections_output()). */
  gtk_spin_button_set_range (self->connections_spin, FERRY_TRANSFER_CONNECTIONS_AUTO,
                             FERRY_TRANSFER_MAX_CONNECTIONS);
  gtk_spin_button_set_increments (self->connections_spin, 1, 4);
  ferry_accessible_name_mnemonic_buttons (GTK_WIDGET (self));
  ferry_accessible_name_row_list (GTK_WIDGET (self->name_row), _("Name and Options"));
  /* The Summary's list is named by its group's title (libadwaita). */
  adw_combo_row_set_factory (self->existing_row, existing_factory);
  adw_combo_row_set_list_factory (self->existing_row, existing_list_factory);
  ferry_accessible_name_combo_list (GTK_WIDGET (self->existing_row), _("Existing Files"));
}

static void
fill_filters (FerryTransferWizard *self,
              FerryTransfer       *transfer)
{
  g_autofree char *excludes = join_patterns (ferry_transfer_get_excludes (transfer));
  g_autofree char *includes = join_patterns (ferry_transfer_get_includes (transfer));
  guint64 max_size = ferry_transfer_get_max_size (transfer);

  gtk_editable_set_text (GTK_EDITABLE (self->exclude_row), excludes);
  gtk_editable_set_text (GTK_EDITABLE (self->include_row), includes);
  gtk_switch_set_active (self->hidden_switch, ferry_transfer_get_skip_hidden (transfer));
  if (max_size > 0)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, max_size);

      gtk_editable_set_text (GTK_EDITABLE (self->max_size_row), text);
    }
}

FerryTransferWizard *
ferry_transfer_wizard_new (GtkWindow           *parent,
                           FerryConnectorStore *connectors,
                           FerryTransferStore  *transfers,
                           FerryTransfer       *transfer)
{
  FerryTransferWizard *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (FERRY_IS_CONNECTOR_STORE (connectors), NULL);
  g_return_val_if_fail (FERRY_IS_TRANSFER_STORE (transfers), NULL);
  g_return_val_if_fail (transfer == NULL || FERRY_IS_TRANSFER (transfer), NULL);

  self = g_object_new (FERRY_TYPE_TRANSFER_WIZARD,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
  self->connectors = g_object_ref (connectors);
  self->transfers = g_object_ref (transfers);
  ferry_connector_chooser_set_store (self->source_chooser, connectors);
  ferry_connector_chooser_set_store (self->destination_chooser, connectors);

  if (transfer != NULL)
    {
      self->original = g_object_ref (transfer);
      adw_window_title_set_title (self->window_title, _("Edit Transfer"));
      ferry_connector_chooser_select_id (self->source_chooser, ferry_transfer_get_source_connector_id (transfer));
      ferry_connector_chooser_select_id (self->destination_chooser,
                                         ferry_transfer_get_destination_connector_id (transfer));
      self->setting_name = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), ferry_transfer_get_name (transfer));
      self->setting_name = FALSE;
      self->name_edited = TRUE;
      gtk_spin_button_set_value (self->connections_spin, ferry_transfer_get_connections (transfer));
      adw_combo_row_set_selected (self->existing_row, ferry_transfer_get_existing_policy (transfer));
      fill_filters (self, transfer);
      if (ferry_transfer_get_bandwidth_limit (transfer) > 0)
        {
          g_autofree char *rate = format_rate (ferry_transfer_get_bandwidth_limit (transfer));

          gtk_editable_set_text (GTK_EDITABLE (self->bandwidth_entry), rate);
        }
      gtk_switch_set_active (self->delete_switch, ferry_transfer_get_delete_extra (transfer));
    }
  else
    {
      g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

      gtk_spin_button_set_value (self->connections_spin, g_settings_get_int (settings, "default-connections"));
      adw_combo_row_set_selected (self->existing_row, FERRY_EXISTING_SKIP_IDENTICAL);
    }
  on_existing_changed (self);
  if (transfer != NULL)
    {
      g_autoptr(GTask) task = g_task_new (NULL, self->count_cancellable, last_run_read, g_object_ref (self));

      g_task_set_source_tag (task, ferry_transfer_wizard_new);
      g_task_set_task_data (task, g_strdup (ferry_transfer_get_id (transfer)), g_free);
      g_task_run_in_thread (task, last_run_thread);
    }
  else
    on_filters_changed (self);
  go_to (self, 0);
  return self;
}

const char *
ferry_transfer_wizard_get_step (FerryTransferWizard *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_WIZARD (self), NULL);

  return steps[self->step];
}
