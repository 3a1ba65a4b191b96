/* ferry-preview-dialog.c: Preview, a visual dry run. The transfer's plan
 * is made by the same walk a run makes (ferry_run_manager_preview_async()),
 * with its filters, writing nothing; the groups (copy, update, resume,
 * delete, up to date, excluded, refused, …) fill in with their counts and
 * sizes as the walk goes, and choosing one lists its files in a
 * GtkListView over the plan itself, so a 100 000-entry tree costs a filter,
 * never 100 000 widgets. Closing the dialog cancels the walk at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "ferry-accessible.h"
#include "ferry-preview-dialog.h"
#include "ferry-report.h"

/* The groups, in the order people read them. */
static const FerryOutcomeKind groups[] = {
  FERRY_OUTCOME_COPIED,
  FERRY_OUTCOME_UPDATED,
  FERRY_OUTCOME_RESUMED,
  FERRY_OUTCOME_DELETED,
  FERRY_OUTCOME_UP_TO_DATE,
  FERRY_OUTCOME_EXCLUDED,
  FERRY_OUTCOME_REFUSED,
  FERRY_OUTCOME_IGNORED,
  FERRY_OUTCOME_FAILED,
};

#define N_KINDS (FERRY_OUTCOME_CANCELLED + 1)

struct _FerryPreviewDialog
{
  AdwWindow parent_instance;

  FerryRunManager *manager;
  FerryTransfer *transfer;
  FerryRun *run;
  GCancellable *cancellable;
  GtkFilterListModel *filtered;
  GtkCustomFilter *filter;
  FerryOutcomeKind shown;
  guint64 files[N_KINDS];
  guint64 bytes[N_KINDS];
  GtkWidget *rows[N_KINDS];
  gint64 started;
  gboolean done;

  AdwWindowTitle *window_title;
  GtkSpinner *spinner;
  GtkLabel *status_label;
  GtkListBox *group_list;
  GtkLabel *entries_label;
  GtkListView *entry_view;
  GtkButton *start_button;
};

G_DEFINE_FINAL_TYPE (FerryPreviewDialog, ferry_preview_dialog, ADW_TYPE_WINDOW)

enum {
  START,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
group_title (FerryOutcomeKind kind)
{
  switch (kind)
    {
    case FERRY_OUTCOME_COPIED:
      return _("New: Will Be Copied");
    case FERRY_OUTCOME_UPDATED:
      return _("Changed: Will Be Copied Over");
    case FERRY_OUTCOME_RESUMED:
      return _("Partly Copied: Will Be Resumed");
    case FERRY_OUTCOME_DELETED:
      return _("Gone From the Source: Will Be Deleted");
    case FERRY_OUTCOME_UP_TO_DATE:
      return _("Up to Date");
    case FERRY_OUTCOME_EXCLUDED:
      return _("Left Out by Filters");
    case FERRY_OUTCOME_REFUSED:
      return _("Refused: Unsafe or Unreadable");
    case FERRY_OUTCOME_IGNORED:
      return _("Not Copied: Links and Special Files");
    case FERRY_OUTCOME_FAILED:
      return _("Cannot Be Copied");
    default:
      return ferry_outcome_kind_get_label (kind);
    }
}

static const char *
group_icon (FerryOutcomeKind kind)
{
  switch (kind)
    {
    case FERRY_OUTCOME_COPIED:
    case FERRY_OUTCOME_UPDATED:
    case FERRY_OUTCOME_RESUMED:
      return "document-send-symbolic";
    case FERRY_OUTCOME_DELETED:
      return "user-trash-symbolic";
    case FERRY_OUTCOME_UP_TO_DATE:
      return "emblem-ok-symbolic";
    case FERRY_OUTCOME_EXCLUDED:
      return "action-unavailable-symbolic";
    default:
      return "dialog-warning-symbolic";
    }
}

static char *
count_text (guint64 files,
            guint64 bytes)
{
  g_autofree char *size = g_format_size (bytes);

  /* Translators: a preview group's count, "12 files · 3.4 MB" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " file · %s", "%" PRIu64 " files · %s",
                                       (gulong) MIN (files, G_MAXULONG)),
                          (guint64) files, size);
}

static void
update_rows (FerryPreviewDialog *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      FerryOutcomeKind kind = groups[i];
      g_autofree char *text = count_text (self->files[kind], self->bytes[kind]);
      GtkWidget *row = self->rows[kind];

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
      /* Empty groups stay out of the way, but "New" and "Up to date" always
       * say how many, even none. */
      gtk_widget_set_visible (row, self->files[kind] > 0 || kind == FERRY_OUTCOME_COPIED ||
                                   kind == FERRY_OUTCOME_UP_TO_DATE);
    }
}

static void
update_status (FerryPreviewDialog *self)
{
  g_autofree char *text = NULL;
  guint n = self->run != NULL ? g_list_model_get_n_items (ferry_run_get_plan (self->run)) : 0;

  if (!self->done)
    /* Translators: while a preview walks both sides */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Listing both sides… %u entry so far",
                                         "Listing both sides… %u entries so far", n), n);
  else if (self->run != NULL && ferry_run_get_error (self->run) != NULL)
    text = g_strdup (ferry_run_get_error (self->run)->message);
  else if (self->files[FERRY_OUTCOME_COPIED] + self->files[FERRY_OUTCOME_UPDATED] +
           self->files[FERRY_OUTCOME_RESUMED] + self->files[FERRY_OUTCOME_DELETED] == 0)
    text = g_strdup (_("Up to date: a run now would change nothing."));
  else
    text = g_strdup_printf (_("Planned in %.1f s. Nothing was written: this is what Start Migrating would do."),
                            (g_get_monotonic_time () - self->started) / (double) G_USEC_PER_SEC);
  gtk_label_set_text (self->status_label, text);
}

static void
on_plan_changed (FerryPreviewDialog *self,
                 guint               position,
                 guint               removed,
                 guint               added,
                 GListModel         *plan)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(FerryOutcome) entry = g_list_model_get_item (plan, i);
      FerryOutcomeKind kind = ferry_outcome_get_kind (entry);

      if (kind >= N_KINDS || ferry_outcome_is_folder (entry))
        continue;
      self->files[kind]++;
      self->bytes[kind] += MAX (ferry_outcome_get_size (entry), 0);
    }
  update_rows (self);
  update_status (self);
}

static gboolean
entry_in_group (gpointer item,
                gpointer user_data)
{
  FerryPreviewDialog *self = user_data;

  return ferry_outcome_get_kind (item) == self->shown;
}

static void
on_group_selected (FerryPreviewDialog *self,
                   GtkListBoxRow      *row)
{
  if (row == NULL)
    return;
  self->shown = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "kind"));
  gtk_label_set_text (self->entries_label, group_title (self->shown));
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
setup_entry (GtkSignalListItemFactory *factory,
             GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *path = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_xalign (GTK_LABEL (path), 0);
  gtk_label_set_ellipsize (GTK_LABEL (path), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_wrap (GTK_LABEL (detail), TRUE);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "caption");
  gtk_box_append (GTK_BOX (box), path);
  gtk_box_append (GTK_BOX (box), detail);
  gtk_list_item_set_child (item, box);
}

static void
bind_entry (GtkSignalListItemFactory *factory,
            GtkListItem              *item)
{
  FerryOutcome *entry = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *path = gtk_widget_get_first_child (box);
  GtkWidget *detail = gtk_widget_get_next_sibling (path);
  g_autofree char *name = g_utf8_make_valid (ferry_outcome_get_path (entry), -1);
  g_autofree char *size = ferry_outcome_get_size (entry) >= 0 ? g_format_size (ferry_outcome_get_size (entry)) : NULL;
  const char *message = ferry_outcome_get_message (entry);
  const char *reason = *message != '\0' ? message : ferry_outcome_get_reason (entry);
  g_autofree char *text = NULL;

  if (ferry_outcome_is_folder (entry))
    text = g_strdup (_("Folder"));
  else if (size != NULL && *reason != '\0')
    /* Translators: a file's size, then why it is in its group */
    text = g_strdup_printf (_("%s — %s"), size, reason);
  else
    text = g_strdup (size != NULL ? size : reason);
  gtk_label_set_text (GTK_LABEL (path), name);
  gtk_label_set_text (GTK_LABEL (detail), text);
  gtk_widget_set_tooltip_text (path, name);
  /* A screen reader reads the row as one: the file, then what about it. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (box) != NULL ? gtk_widget_get_parent (box) : box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
preview_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(FerryPreviewDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryRun) run = ferry_run_manager_start_finish (FERRY_RUN_MANAGER (source), result, &error);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  self->done = TRUE;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  if (run == NULL)
    {
      gtk_label_set_text (self->status_label, error->message);
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->start_button),
                            ferry_run_get_state (run) != FERRY_RUN_STATE_FAILED);
  update_status (self);
}

static void
on_preview_started (FerryPreviewDialog *self,
                    FerryRun           *run)
{
  GListModel *plan;

  /* Another preview of the manager's, not this one's. */
  if (self->run != NULL || ferry_run_get_transfer (run) != self->transfer)
    return;
  self->run = g_object_ref (run);
  plan = ferry_run_get_plan (run);
  g_signal_connect_object (plan, "items-changed", G_CALLBACK (on_plan_changed), self, G_CONNECT_SWAPPED);
  gtk_filter_list_model_set_model (self->filtered, plan);
}

static void
on_start_clicked (FerryPreviewDialog *self)
{
  g_signal_emit (self, signals[START], 0, self->transfer);
  gtk_window_close (GTK_WINDOW (self));
}

static void
ferry_preview_dialog_dispose (GObject *object)
{
  FerryPreviewDialog *self = FERRY_PREVIEW_DIALOG (object);

  /* Closing stops the walk at once. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->run);
  g_clear_object (&self->manager);
  g_clear_object (&self->transfer);
  g_clear_object (&self->filtered);
  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_PREVIEW_DIALOG);
  G_OBJECT_CLASS (ferry_preview_dialog_parent_class)->dispose (object);
}

static void
ferry_preview_dialog_class_init (FerryPreviewDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_preview_dialog_dispose;

  /* Start Migrating, with the transfer previewed. */
  signals[START] =
    g_signal_new ("start", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, FERRY_TYPE_TRANSFER);

  gtk_widget_class_set_template_from_resource (widget_class, APPLICATION_PATH "/ferry-preview-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryPreviewDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, FerryPreviewDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, FerryPreviewDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, FerryPreviewDialog, group_list);
  gtk_widget_class_bind_template_child (widget_class, FerryPreviewDialog, entries_label);
  gtk_widget_class_bind_template_child (widget_class, FerryPreviewDialog, entry_view);
  gtk_widget_class_bind_template_child (widget_class, FerryPreviewDialog, start_button);
  gtk_widget_class_bind_template_callback (widget_class, on_start_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_group_selected);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ferry_preview_dialog_init (FerryPreviewDialog *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* "_Close Close" otherwise (GTK 4.8, ferry-accessible.h). */
  ferry_accessible_name_mnemonic_buttons (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->shown = FERRY_OUTCOME_COPIED;
  self->filter = gtk_custom_filter_new (entry_in_group, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  /* A large plan is filtered a piece at a time, between frames. */
  gtk_filter_list_model_set_incremental (self->filtered, TRUE);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_entry), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_entry), NULL);
  gtk_list_view_set_factory (self->entry_view, factory);
  g_object_unref (factory);
  {
    g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));

    gtk_list_view_set_model (self->entry_view, GTK_SELECTION_MODEL (selection));
  }

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), group_title (groups[i]));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (group_icon (groups[i])));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "kind", GINT_TO_POINTER (groups[i]));
      gtk_list_box_append (self->group_list, row);
      self->rows[groups[i]] = row;
    }
  update_rows (self);
  gtk_label_set_text (self->entries_label, group_title (self->shown));
}

FerryPreviewDialog *
ferry_preview_dialog_new (GtkWindow       *parent,
                          FerryRunManager *manager,
                          FerryTransfer   *transfer)
{
  FerryPreviewDialog *self;

  g_return_val_if_fail (FERRY_IS_RUN_MANAGER (manager), NULL);
  g_return_val_if_fail (FERRY_IS_TRANSFER (transfer), NULL);

  self = g_object_new (FERRY_TYPE_PREVIEW_DIALOG, "transient-for", parent, NULL);
  self->manager = g_object_ref (manager);
  self->transfer = g_object_ref (transfer);
  adw_window_title_set_subtitle (self->window_title, ferry_transfer_get_name (transfer));
  self->started = g_get_monotonic_time ();
  g_signal_connect_object (manager, "preview-started", G_CALLBACK (on_preview_started), self, G_CONNECT_SWAPPED);
  ferry_run_manager_preview_async (manager, transfer, self->cancellable, preview_done, g_object_ref (self));
  return self;
}

guint64
ferry_preview_dialog_get_count (FerryPreviewDialog *self,
                                FerryOutcomeKind    kind,
                                guint64            *bytes)
{
  g_return_val_if_fail (FERRY_IS_PREVIEW_DIALOG (self), 0);
  g_return_val_if_fail (kind < N_KINDS, 0);

  if (bytes != NULL)
    *bytes = self->bytes[kind];
  return self->files[kind];
}

gboolean
ferry_preview_dialog_is_done (FerryPreviewDialog *self)
{
  g_return_val_if_fail (FERRY_IS_PREVIEW_DIALOG (self), FALSE);
  return self->done;
}
