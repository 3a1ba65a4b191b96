/* ferry-schedule-dialog.c: see ferry-schedule-dialog.h.
 *
 * The rows follow the choice: the day of the week for weekly, the day of
 * the month for monthly, the time for all but off (minutes only hourly),
 * and a line below says when the next run would be.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-accessible.h"
#include "ferry-background.h"
#include "ferry-schedule-dialog.h"
#include "ferry-schedule-store.h"

struct _FerryScheduleDialog
{
  AdwWindow parent_instance;

  FerryTransfer *transfer;
  FerryBackground *background;   /* told when the rule changed, or NULL */

  AdwWindowTitle *window_title;
  AdwComboRow *every_row;
  AdwComboRow *weekday_row;
  AdwActionRow *monthday_row;
  GtkSpinButton *monthday_spin;
  AdwActionRow *time_row;
  GtkSpinButton *hour_spin;
  GtkLabel *colon_label;
  GtkSpinButton *minute_spin;
  GtkLabel *next_label;
};

G_DEFINE_FINAL_TYPE (FerryScheduleDialog, ferry_schedule_dialog, ADW_TYPE_WINDOW)

/* The combo row's positions are FerryScheduleEvery's values, off first. */
G_STATIC_ASSERT (FERRY_SCHEDULE_EVERY_OFF == 0 && FERRY_SCHEDULE_EVERY_MONTH == 4);

static void
get_rule (FerryScheduleDialog *self,
          FerryScheduleRule   *rule)
{
  rule->every = adw_combo_row_get_selected (self->every_row);
  rule->hour = rule->every == FERRY_SCHEDULE_EVERY_HOUR ? 0 : gtk_spin_button_get_value_as_int (self->hour_spin);
  rule->minute = gtk_spin_button_get_value_as_int (self->minute_spin);
  rule->day = 1;
  if (rule->every == FERRY_SCHEDULE_EVERY_WEEK)
    rule->day = adw_combo_row_get_selected (self->weekday_row) + 1;
  else if (rule->every == FERRY_SCHEDULE_EVERY_MONTH)
    rule->day = gtk_spin_button_get_value_as_int (self->monthday_spin);
}

static void
update (FerryScheduleDialog *self)
{
  FerryScheduleRule rule;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) next = NULL;
  g_autofree char *text = NULL;

  get_rule (self, &rule);
  gtk_widget_set_visible (GTK_WIDGET (self->weekday_row), rule.every == FERRY_SCHEDULE_EVERY_WEEK);
  gtk_widget_set_visible (GTK_WIDGET (self->monthday_row), rule.every == FERRY_SCHEDULE_EVERY_MONTH);
  gtk_widget_set_visible (GTK_WIDGET (self->time_row), rule.every != FERRY_SCHEDULE_EVERY_OFF);
  gtk_widget_set_visible (GTK_WIDGET (self->hour_spin), rule.every != FERRY_SCHEDULE_EVERY_HOUR);
  gtk_widget_set_visible (GTK_WIDGET (self->colon_label), rule.every != FERRY_SCHEDULE_EVERY_HOUR);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->time_row),
                                 rule.every == FERRY_SCHEDULE_EVERY_HOUR ? _("Minutes past the _hour") : _("_Time"));

  next = ferry_schedule_next_after (&rule, now);
  if (next == NULL)
    text = g_strdup (_("Runs only when you start it."));
  else
    {
      g_autofree char *described = ferry_schedule_rule_describe (&rule);
      g_autofree char *when = ferry_schedule_format_when (next, now);

      /* Translators: a schedule ("Every day at 14:00"), then when it runs next */
      text = g_strdup_printf (_("%s. Next run: %s."), described, when);
    }
  gtk_label_set_text (self->next_label, text);
}

/* "07", not "7", in the time's spin buttons. */
static gboolean
on_spin_output (GtkSpinButton *spin)
{
  g_autofree char *text = g_strdup_printf ("%02d", gtk_spin_button_get_value_as_int (spin));

  gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

typedef struct
{
  char              *transfer_id;
  FerryScheduleRule  rule;
} Save;

static void
save_free (Save *save)
{
  g_free (save->transfer_id);
  g_free (save);
}

/* On a worker: the store's lock may wait for another process, and the
 * file is written to disk before it returns. */
static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Save *save = task_data;
  GError *error = NULL;

  if (ferry_schedule_store_set (save->transfer_id, &save->rule, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
saved (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  FerryScheduleDialog *self = FERRY_SCHEDULE_DIALOG (source);
  g_autoptr(GError) error = NULL;

  /* Closed meanwhile: the rule is saved all the same. */
  if (self->transfer == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      gtk_label_set_text (self->next_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->next_label), "error");
      return;
    }
  /* Hold the application (or let it go) and show the next run on the row. */
  if (self->background != NULL)
    ferry_background_update (self->background);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FerryScheduleDialog *self = FERRY_SCHEDULE_DIALOG (widget);
  g_autoptr(GTask) task = NULL;
  Save *save = g_new0 (Save, 1);

  save->transfer_id = g_strdup (ferry_transfer_get_id (self->transfer));
  get_rule (self, &save->rule);
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  task = g_task_new (self, NULL, saved, NULL);
  g_task_set_source_tag (task, save_action);
  g_task_set_task_data (task, save, (GDestroyNotify) save_free);
  g_task_run_in_thread (task, save_thread);
}

static void
ferry_schedule_dialog_dispose (GObject *object)
{
  FerryScheduleDialog *self = FERRY_SCHEDULE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_SCHEDULE_DIALOG);
  g_clear_object (&self->transfer);
  G_OBJECT_CLASS (ferry_schedule_dialog_parent_class)->dispose (object);
}

static void
ferry_schedule_dialog_class_init (FerryScheduleDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_schedule_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, APPLICATION_PATH "/ferry-schedule-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryScheduleDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, FerryScheduleDialog, every_row);
  gtk_widget_class_bind_template_child (widget_class, FerryScheduleDialog, weekday_row);
  gtk_widget_class_bind_template_child (widget_class, FerryScheduleDialog, monthday_row);
  gtk_widget_class_bind_template_child (widget_class, FerryScheduleDialog, monthday_spin);
  gtk_widget_class_bind_template_child (widget_class, FerryScheduleDialog, time_row);
  gtk_widget_class_bind_template_child (widget_class, FerryScheduleDialog, hour_spin);
  gtk_widget_class_bind_template_child (widget_class, FerryScheduleDialog, colon_label);
  gtk_widget_class_bind_template_child (widget_class, FerryScheduleDialog, minute_spin);
  gtk_widget_class_bind_template_child (widget_class, FerryScheduleDialog, next_label);
  gtk_widget_class_install_action (widget_class, "schedule.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ferry_schedule_dialog_init (FerryScheduleDialog *self)
{
  g_autoptr(GtkStringList) weekdays = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  /* "_Close Close" otherwise (GTK 4.8, ferry-accessible.h). */
  ferry_accessible_name_mnemonic_buttons (GTK_WIDGET (self));

  /* Monday first, named by the locale (1 January 2024 was a Monday). */
  for (int day = 1; day <= 7; day++)
    {
      g_autoptr(GDateTime) date = g_date_time_new_utc (2024, 1, day, 12, 0, 0);
      g_autofree char *name = g_date_time_format (date, "%A");

      gtk_string_list_append (weekdays, name);
    }
  adw_combo_row_set_model (self->weekday_row, G_LIST_MODEL (weekdays));

  /* Combo rows and their lists named for a screen reader (GTK 4.8 and
   * libadwaita 1.2 leave them "GtkListBox", "GtkListView" and their
   * items unnamed; ferry-accessible.h). The rows are named by their
   * titles already: no label of their own, or it is read twice. */
  ferry_accessible_name_row_list (GTK_WIDGET (self->every_row), _("Schedule"));
  for (guint i = 0; i < 2; i++)
    {
      AdwComboRow *row = i == 0 ? self->every_row : self->weekday_row;
      g_autoptr(GtkListItemFactory) factory = ferry_accessible_string_factory_new ();
      g_autoptr(GtkListItemFactory) list_factory = ferry_accessible_string_factory_new ();

      adw_combo_row_set_factory (row, factory);
      adw_combo_row_set_list_factory (row, list_factory);
    }
  ferry_accessible_name_combo_list (GTK_WIDGET (self->every_row), _("Repeat"));
  ferry_accessible_name_combo_list (GTK_WIDGET (self->weekday_row), _("Day of the week"));

  g_signal_connect_swapped (self->hour_spin, "output", G_CALLBACK (on_spin_output), self->hour_spin);
  g_signal_connect_swapped (self->minute_spin, "output", G_CALLBACK (on_spin_output), self->minute_spin);
  g_signal_connect_swapped (self->every_row, "notify::selected", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->weekday_row, "notify::selected", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->monthday_spin, "value-changed", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->hour_spin, "value-changed", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->minute_spin, "value-changed", G_CALLBACK (update), self);
}

FerryScheduleDialog *
ferry_schedule_dialog_new (GtkWindow       *parent,
                           FerryTransfer   *transfer,
                           FerryBackground *background)
{
  FerryScheduleDialog *self;
  FerryScheduleRule rule;

  g_return_val_if_fail (FERRY_IS_TRANSFER (transfer), NULL);
  g_return_val_if_fail (background == NULL || FERRY_IS_BACKGROUND (background), NULL);

  self = g_object_new (FERRY_TYPE_SCHEDULE_DIALOG, "transient-for", parent, NULL);
  self->transfer = g_object_ref (transfer);
  if (background != NULL)
    self->background = g_object_ref (background);
  adw_window_title_set_subtitle (self->window_title, ferry_transfer_get_name (transfer));

  ferry_schedule_store_get (ferry_transfer_get_id (transfer), &rule);
  if (rule.every == FERRY_SCHEDULE_EVERY_OFF)
    {
      /* A sensible start when the user picks a rule: 02:00 on a Monday,
       * on the 1st. */
      rule.hour = 2;
      rule.minute = 0;
      rule.day = 1;
    }
  gtk_spin_button_set_value (self->hour_spin, rule.hour);
  gtk_spin_button_set_value (self->minute_spin, rule.minute);
  if (rule.every == FERRY_SCHEDULE_EVERY_WEEK)
    adw_combo_row_set_selected (self->weekday_row, rule.day - 1);
  if (rule.every == FERRY_SCHEDULE_EVERY_MONTH)
    gtk_spin_button_set_value (self->monthday_spin, rule.day);
  adw_combo_row_set_selected (self->every_row, rule.every);
  update (self);
  return self;
}
