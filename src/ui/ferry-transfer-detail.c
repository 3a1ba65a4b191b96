/* ferry-transfer-detail.c: what the Migration Manager shows for the selected
 * transfer. The log of its run, live: the view follows the end unless the
 * user scrolled up, Problems Only hides routine lines, Copy and Save take
 * the text. The files that failed with the server's reason and Retry Failed.
 * Every earlier run, each opening its log. History is read on a worker
 * thread; a live log is the run's own GListModel, bound, never copied.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "ferry-report-export.h"
#include "ferry-run-history.h"
#include "ferry-transfer-detail.h"

struct _FerryTransferDetail
{
  GtkBox parent_instance;

  FerryTransfer *transfer;
  FerryRun *run;
  GListModel *log;            /* the run's log, or lines read from history */
  GListStore *failed;
  char *run_failure;          /* why the shown run failed as a whole, or NULL */
  GPtrArray *records;         /* FerryRunRecord*, newest first */
  GCancellable *cancellable;  /* history reads for this transfer */
  GtkFilterListModel *filtered;
  GtkCustomFilter *filter;
  gboolean follow;
  gboolean scroll_pending;     /* scroll to the end after the next frame */
  gint64 last_scroll;         /* when it last did, monotonic */
  guint throttle_source;
  double last_value;          /* the log's scroll position when last seen */
  gboolean in_frame;          /* between the frame clock's before- and after-paint */
  GdkFrameClock *frame_clock;
  int char_width;             /* of the log's monospace font, Pango units; 0: not known */
  int lines_width;            /* the log's width when lines were last fitted */

  GtkStack *stack;
  GtkLabel *run_label;
  GtkToggleButton *problems_toggle;
  GtkScrolledWindow *log_scroller;
  GtkListView *log_view;
  GtkRevealer *jump_revealer;
  GtkStack *failed_stack;
  GtkListBox *failed_list;
  GtkLabel *failed_label;
  AdwStatusPage *failed_none_page;
  GtkWidget *retry_hint;
  GtkWidget *retry_button;
  GtkStack *history_stack;
  GtkListBox *history_list;
};

G_DEFINE_FINAL_TYPE (FerryTransferDetail, ferry_transfer_detail, GTK_TYPE_BOX)

static void update_run_label (FerryTransferDetail *self);
static void set_follow       (FerryTransferDetail *self,
                              gboolean             follow);
static void fit_shown_lines  (FerryTransferDetail *self);

static gboolean
is_problem (gpointer item,
            gpointer user_data)
{
  FerryTransferDetail *self = user_data;

  if (!gtk_toggle_button_get_active (self->problems_toggle))
    return TRUE;
  return ferry_log_line_get_level (item) != FERRY_LOG_INFO;
}

static void
add_failed_row (FerryTransferDetail *self,
                FerryLogLine        *line)
{
  g_autofree char *path = g_utf8_make_valid (ferry_log_line_get_path (line), -1);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), path);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), ferry_log_line_get_message (line));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-error-symbolic"));
  gtk_list_box_append (self->failed_list, row);
}

static void
update_failed_view (FerryTransferDetail *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->failed));
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file failed in this run",
                                                        "%u files failed in this run", n), n);

  gtk_label_set_text (self->failed_label, text);
  gtk_stack_set_visible_child_name (self->failed_stack, n > 0 ? "list" : "none");
  /* The engine has no run of a chosen few files: Retry Failed reruns the
   * transfer, which copies what failed (and what changed since) and skips
   * the rest as identical. Said plainly, and only where it applies. */
  gtk_widget_set_visible (self->retry_hint, n > 0);
  gtk_widget_set_visible (self->retry_button, n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->failed_label), n > 0);

  /* No file failed because the run never got to them: not a green tick. */
  if (self->run_failure != NULL)
    {
      adw_status_page_set_icon_name (self->failed_none_page, "dialog-warning-symbolic");
      adw_status_page_set_title (self->failed_none_page, _("No File Failed on Its Own"));
      adw_status_page_set_description (self->failed_none_page, self->run_failure);
    }
  else
    {
      adw_status_page_set_icon_name (self->failed_none_page, "emblem-ok-symbolic");
      adw_status_page_set_title (self->failed_none_page, _("No Failed Files"));
      adw_status_page_set_description (self->failed_none_page, NULL);
    }
}

static void
scan_failed (FerryTransferDetail *self,
             guint                from,
             guint                to)
{
  for (guint i = from; i < to; i++)
    {
      g_autoptr(FerryLogLine) line = g_list_model_get_item (self->log, i);

      if (ferry_log_line_is_file_failure (line))
        {
          g_list_store_append (self->failed, line);
          add_failed_row (self, line);
        }
      else if (ferry_log_line_get_kind (line) == FERRY_LOG_KIND_RUN_FAILED)
        {
          /* The run's own failure: the page without failed files says so
           * instead of showing a tick. */
          g_free (self->run_failure);
          self->run_failure = g_utf8_make_valid (ferry_log_line_get_text (line), -1);
        }
    }
  if (to > from)
    update_failed_view (self);
}

static void
on_log_items_changed (FerryTransferDetail *self,
                      guint                position,
                      guint                removed,
                      guint                added)
{
  /* The engine only ever appends. */
  scan_failed (self, position, position + added);
}

static void
set_log (FerryTransferDetail *self,
         GListModel          *log,
         const char          *label)
{
  GtkWidget *child;

  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);
  g_set_object (&self->log, log);
  gtk_filter_list_model_set_model (self->filtered, log);

  g_list_store_remove_all (self->failed);
  g_clear_pointer (&self->run_failure, g_free);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->failed_list))) != NULL)
    gtk_list_box_remove (self->failed_list, child);
  update_failed_view (self);
  if (log != NULL)
    {
      g_signal_connect_object (log, "items-changed", G_CALLBACK (on_log_items_changed), self,
                               G_CONNECT_SWAPPED);
      scan_failed (self, 0, g_list_model_get_n_items (log));
    }
  gtk_label_set_text (self->run_label, label != NULL ? label : "");
  set_follow (self, TRUE);
}

/* Following the end. Never from inside notify::upper: GtkListView sets its
 * adjustment from its anchor item during its layout with its own
 * value-changed handler blocked, so a value set there moves the scrollbar
 * and not the rows, and the next layout takes it back. Nor before the
 * layout that takes in new lines: the adjustment still describes the old
 * ones (a shorter log set in place of a longer one is scrolled past its
 * end). After a frame is painted, the list view sees the new value and
 * anchors the last rows; rows measured for the first time may then change
 * the total, and this runs again until the end stays put. */
static void
scroll_to_end (FerryTransferDetail *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->log_scroller);
  double end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  self->last_scroll = g_get_monotonic_time ();
  if (self->follow && gtk_adjustment_get_value (adjustment) < end)
    gtk_adjustment_set_value (adjustment, end);
}

static void
request_after_paint (FerryTransferDetail *self)
{
  if (self->frame_clock != NULL)
    gdk_frame_clock_request_phase (self->frame_clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
}

static gboolean
throttle_done (gpointer user_data)
{
  FerryTransferDetail *self = user_data;

  self->throttle_source = 0;
  request_after_paint (self);
  return G_SOURCE_REMOVE;
}

static void
queue_scroll_to_end (FerryTransferDetail *self)
{
  if (!self->follow)
    return;
  self->scroll_pending = TRUE;
  request_after_paint (self);
}

static void
set_follow (FerryTransferDetail *self,
            gboolean             follow)
{
  self->follow = follow;
  gtk_revealer_set_reveal_child (self->jump_revealer, !follow);
  if (follow)
    queue_scroll_to_end (self);
}

static void
on_shown_items_changed (FerryTransferDetail *self,
                        guint                position,
                        guint                removed,
                        guint                added)
{
  queue_scroll_to_end (self);
}

static void
on_size_changed (FerryTransferDetail *self)
{
  /* Lines arrived, rows were measured for the first time (replacing an
   * estimate), or the pane was resized. */
  queue_scroll_to_end (self);
}

/* Between ::before-paint and ::after-paint the frame clock runs tick
 * callbacks and layout: a value that changes then is the list view keeping
 * its anchor (or kinetic scrolling finishing a move the user started),
 * never a new decision of the user's. Wheel, scrollbar and Jump to End act
 * from event handlers, outside. */
static void
on_before_paint (FerryTransferDetail *self)
{
  self->in_frame = TRUE;
}

/* At most every SCROLL_INTERVAL: each scroll to the end binds and measures
 * the rows shown there, and a measured row changes the estimate of all the
 * others and so the total, which asks for another scroll; with lines
 * arriving ten times a second, scrolling after every frame kept the main
 * loop busy from one frame to the next. */
#define SCROLL_INTERVAL (250 * G_TIME_SPAN_MILLISECOND)

static void
on_after_paint (FerryTransferDetail *self)
{
  gint64 wait;

  self->in_frame = FALSE;
  fit_shown_lines (self);
  if (!self->scroll_pending)
    return;
  wait = self->last_scroll + SCROLL_INTERVAL - g_get_monotonic_time ();
  if (wait > 0)
    {
      if (self->throttle_source == 0)
        self->throttle_source = g_timeout_add_full (G_PRIORITY_DEFAULT, MAX (1, wait / 1000), throttle_done, self, NULL);
      return;
    }
  self->scroll_pending = FALSE;
  scroll_to_end (self);
}

static void
on_value_changed (FerryTransferDetail *self,
                  GtkAdjustment       *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);

  /* At the end (give or take a few pixels): follow. Moved up by the user:
   * stop following until Jump to End or a scroll back to the end. Moved
   * off the end by a layout while following: back to the end. */
  if (value + gtk_adjustment_get_page_size (adjustment) >= gtk_adjustment_get_upper (adjustment) - 4)
    {
      if (!self->follow)
        set_follow (self, TRUE);
    }
  else if (self->in_frame)
    queue_scroll_to_end (self);
  else if (value < self->last_value && self->follow)
    set_follow (self, FALSE);
  self->last_value = value;
}

static gboolean
on_log_key_pressed (FerryTransferDetail *self,
                    guint                keyval,
                    guint                keycode,
                    GdkModifierType      state)
{
  /* Keys move the focus, and the list view scrolls in its layout: read
   * the intent from the key. */
  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      if (self->follow)
        set_follow (self, FALSE);
      break;
    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      set_follow (self, TRUE);
      break;
    case GDK_KEY_Tab:
    case GDK_KEY_KP_Tab:
    case GDK_KEY_ISO_Left_Tab:
      {
        /* The log is one Tab stop, its lines reached with the arrows: a
         * list view of GTK 4.8 would take Tab from line to line (two
         * hundred stops after one run). Out of the list, then, with the
         * list closed to the focus for that one move. */
        GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self->log_view));
        gboolean backward = keyval == GDK_KEY_ISO_Left_Tab || (state & GDK_SHIFT_MASK) != 0;

        if (root == NULL)
          break;
        gtk_widget_set_can_focus (GTK_WIDGET (self->log_view), FALSE);
        if (!gtk_widget_child_focus (GTK_WIDGET (root), backward ? GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD))
          gtk_widget_child_focus (GTK_WIDGET (root), backward ? GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD);
        gtk_widget_set_can_focus (GTK_WIDGET (self->log_view), TRUE);
        return GDK_EVENT_STOP;
      }
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
on_jump_clicked (FerryTransferDetail *self)
{
  set_follow (self, TRUE);
}

static void
on_problems_toggled (FerryTransferDetail *self)
{
  gboolean follow = self->follow;

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  /* Other lines, other sizes: the view follows if it did before. */
  set_follow (self, follow);
}

static void
setup_line (GtkSignalListItemFactory *factory,
            GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "ferry-log-line");
  gtk_list_item_set_child (item, label);
}

/* Every line is read whole: one that is longer than the log is wide
 * wraps. But GtkListView keeps up to two hundred rows around its anchor
 * and following the end binds new ones a few times a second, and a
 * wrapping label is shaped several times over where one line is shaped
 * once (the main loop's longest stall in /manager/stall-10000 about
 * doubled with every line wrapping). The font is monospaced: a line of
 * plain characters that fits is known by its length, and stays one line.
 * Anything else wraps. */
static gboolean
line_fits (FerryTransferDetail *self,
           GtkWidget           *label,
           const char          *text)
{
  /* The row's padding (style.css, .ferry-log row) and a character's slack. */
  int width = gtk_widget_get_width (GTK_WIDGET (self->log_view)) - 24;
  gsize length = 0;

  if (width <= 0)
    return FALSE;
  if (self->char_width == 0 && gtk_widget_get_root (label) != NULL)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (label, "0123456789");
      int ten;

      pango_layout_get_size (layout, &ten, NULL);
      self->char_width = MAX (1, ten / 10);
    }
  if (self->char_width == 0)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++, length++)
    if ((guchar) *p >= 0x80 || *p == '\t' || *p == '\n')
      return FALSE;   /* wide characters, tabs: not one cell each */
  return (gint64) (length + 1) * self->char_width <= (gint64) width * PANGO_SCALE;
}

static void
fit_line (FerryTransferDetail *self,
          GtkWidget           *label)
{
  gboolean fits = line_fits (self, label, gtk_label_get_text (GTK_LABEL (label)));

  gtk_label_set_wrap (GTK_LABEL (label), !fits);
  /* A line that fitted until the pane got narrower is shortened for the
   * one frame before it is fitted again (fit_shown_lines()). */
  gtk_label_set_ellipsize (GTK_LABEL (label), fits ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
}

/* The log changed width: the lines on screen fit anew. */
static void
fit_shown_lines (FerryTransferDetail *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->log_view));

  if (width == self->lines_width)
    return;
  self->lines_width = width;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->log_view));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *label = gtk_widget_get_first_child (row);

      if (GTK_IS_LABEL (label) && gtk_widget_has_css_class (label, "ferry-log-line"))
        fit_line (self, label);
    }
}

static void
bind_line (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           FerryTransferDetail      *self)
{
  FerryLogLine *line = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  gint64 time = ferry_log_line_get_time (line);
  g_autoptr(GDateTime) when = time != 0 ? g_date_time_new_from_unix_local (time) : NULL;
  g_autofree char *text = NULL;
  FerryLogLevel level = ferry_log_line_get_level (line);

  /* An old log's line carries its time in its text already. */
  if (when != NULL)
    {
      g_autofree char *stamp = g_date_time_format (when, "%H:%M:%S");

      text = g_strdup_printf ("%s  %s", stamp, ferry_log_line_get_text (line));
    }
  else
    text = g_strdup (ferry_log_line_get_text (line));

  /* Whole, never cut: a path cut in the middle hid where a run went
   * ("Started: Old host:/public_…"), and a translation's longer summary
   * lost its last count. */
  gtk_label_set_text (GTK_LABEL (label), text);
  fit_line (self, label);
  /* Assistive technology reads the row (a list item) by its name: the
   * line's text, not an unnamed item. */
  if (gtk_widget_get_parent (label) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (label)),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  if (level == FERRY_LOG_ERROR)
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_remove_css_class (label, "error");
  if (level == FERRY_LOG_WARNING)
    gtk_widget_add_css_class (label, "warning");
  else
    gtk_widget_remove_css_class (label, "warning");
}

char *
ferry_transfer_detail_dup_log_text (FerryTransferDetail *self)
{
  GListModel *model = G_LIST_MODEL (self->filtered);
  GString *text = g_string_new (NULL);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FerryLogLine) line = g_list_model_get_item (model, i);
      g_autofree char *formatted = ferry_log_line_format (line);

      g_string_append (text, formatted);
      g_string_append_c (text, '\n');
    }
  return g_string_free (text, FALSE);
}

static void
on_copy_clicked (FerryTransferDetail *self)
{
  g_autofree char *text = ferry_transfer_detail_dup_log_text (self);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_message ("Could not save the log: %s", error->message);
}

static void
on_save_response (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  FerryTransferDetail *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      char *text = ferry_transfer_detail_dup_log_text (self);
      g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));

      g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                           NULL, saved_cb, NULL);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
on_save_clicked (FerryTransferDetail *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  chooser = gtk_file_chooser_native_new (_("Save Log"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  name = g_strdup_printf ("%s.log", self->transfer != NULL ? ferry_transfer_get_name (self->transfer) : "ferry");
  g_strdelimit (name, "/", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* --- history -------------------------------------------------------------- */

/* "Run of 2026-12-06 10:09:12", "Verification of 2026-12-06 10:09:12". */
static char *
record_when (FerryRunRecord *record)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (record->started);
  g_autofree char *stamp = when != NULL ? g_date_time_format (when, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");

  if (record->kind == FERRY_RUN_KIND_VERIFY)
    /* Translators: a verification's start time */
    return g_strdup_printf (_("Verification of %s"), stamp);
  /* Translators: a copy run's start time */
  return g_strdup_printf (_("Run of %s"), stamp);
}

/* Above a run's log: when, and how it ended in its kind's words. */
static char *
record_label (FerryRunRecord *record)
{
  g_autofree char *when = record_when (record);
  FerryRunResult result = ferry_run_record_get_result (record);

  /* Translators: a run's start time and how it ended */
  return g_strdup_printf (_("%s · %s"), when, ferry_run_result_get_label (result, record->kind));
}

static void
on_history_report (GtkButton *button,
                   gpointer   user_data)
{
  FerryTransferDetail *self = user_data;
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->records == NULL || index >= self->records->len || self->transfer == NULL)
    return;
  ferry_report_export (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->transfer,
                       g_ptr_array_index (self->records, index), NULL, NULL);
}

typedef struct
{
  char *label;
  GListModel *lines;
} LogData;

static void
log_data_free (LogData *data)
{
  g_free (data->label);
  g_clear_object (&data->lines);
  g_free (data);
}

/* The journal is indexed here, off the main thread; lines are parsed only
 * when the view asks for them. */
static void
read_log_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  FerryRunRecord *record = task_data;
  g_autoptr(GError) error = NULL;
  LogData *data = g_new0 (LogData, 1);

  data->label = record_label (record);
  data->lines = ferry_run_history_open_log (record, &error);
  if (data->lines == NULL)
    {
      GListStore *store = g_list_store_new (FERRY_TYPE_LOG_LINE);
      g_autoptr(FerryLogLine) line = ferry_log_line_new (record->started, FERRY_LOG_ERROR,
                                                         FERRY_LOG_KIND_NOTE, NULL, error->message);

      g_list_store_append (store, line);
      data->lines = G_LIST_MODEL (store);
    }
  g_task_return_pointer (task, data, (GDestroyNotify) log_data_free);
}

static void
log_read (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(FerryTransferDetail) self = user_data;
  LogData *data = g_task_propagate_pointer (G_TASK (result), NULL);

  if (data != NULL && !g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    set_log (self, data->lines, data->label);
  g_clear_pointer (&data, log_data_free);
}

static FerryRunRecord *
copy_record (FerryRunRecord *record)
{
  FerryRunRecord *copy = g_new0 (FerryRunRecord, 1);

  *copy = *record;
  copy->transfer_id = g_strdup (record->transfer_id);
  copy->run_id = g_strdup (record->run_id);
  copy->message = g_strdup (record->message);
  copy->boot_id = g_strdup (record->boot_id);
  copy->log_fd = -1;
  copy->journal_fd = -1;
  return copy;
}

static void
show_record_log (FerryTransferDetail *self,
                 FerryRunRecord      *record)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, log_read, g_object_ref (self));

  g_task_set_source_tag (task, show_record_log);
  g_task_set_task_data (task, copy_record (record), (GDestroyNotify) ferry_run_record_free);
  g_task_run_in_thread (task, read_log_thread);
}

static void
on_history_activated (FerryTransferDetail *self,
                      GtkListBoxRow       *row)
{
  guint index = gtk_list_box_row_get_index (row);

  if (self->records == NULL || index >= self->records->len)
    return;
  /* Another run's log: not the live one any more. */
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_func (self->run, update_run_label, self);
  g_clear_object (&self->run);
  show_record_log (self, g_ptr_array_index (self->records, index));
  gtk_stack_set_visible_child_name (self->stack, "log");
}

static void
history_listed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(FerryTransferDetail) self = user_data;
  g_autoptr(GPtrArray) records = g_task_propagate_pointer (G_TASK (result), NULL);
  GtkWidget *child;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, child);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  self->records = g_steal_pointer (&records);
  if (self->records == NULL)
    self->records = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_run_record_free);

  for (guint i = 0; i < self->records->len; i++)
    {
      FerryRunRecord *record = g_ptr_array_index (self->records, i);
      /* What it did, in its kind's words (ferry-run-history.h): never
       * "Copied 184 files" for a verification. */
      g_autofree char *title = ferry_run_record_describe (record);
      g_autofree char *subtitle = record_when (record);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *report;

      if (record->scheduled)
        {
          /* Translators: a run in History the scheduler started:
           * "Completed · 3 files copied (1.2 kB) · Scheduled" */
          char *marked = g_strdup_printf (_("%s · Scheduled"), title);

          g_free (title);
          title = marked;
        }
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      /* This run's Migration Report, as User Actions gives the latest's. */
      report = gtk_button_new_from_icon_name ("document-save-as-symbolic");
      gtk_widget_set_valign (report, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (report, "flat");
      gtk_widget_set_tooltip_text (report, _("Save this run’s Migration Report"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (report), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Save this run’s Migration Report"), -1);
      g_object_set_data (G_OBJECT (report), "index", GUINT_TO_POINTER (i));
      g_signal_connect_object (report, "clicked", G_CALLBACK (on_history_report), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), report);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_list_box_append (self->history_list, row);
    }
  gtk_stack_set_visible_child_name (self->history_stack, self->records->len > 0 ? "list" : "none");

  /* Nothing live to show: the latest run's log. */
  if (self->run == NULL)
    {
      if (self->records->len > 0)
        show_record_log (self, g_ptr_array_index (self->records, 0));
      else
        set_log (self, NULL, _("This transfer has not run yet"));
    }
}

static void
list_history_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GPtrArray *records = ferry_run_history_list (task_data, NULL);

  g_task_return_pointer (task, records, (GDestroyNotify) g_ptr_array_unref);
}

void
ferry_transfer_detail_reload_history (FerryTransferDetail *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FERRY_IS_TRANSFER_DETAIL (self));

  if (self->transfer == NULL)
    return;
  task = g_task_new (NULL, self->cancellable, history_listed, g_object_ref (self));
  g_task_set_source_tag (task, ferry_transfer_detail_reload_history);
  g_task_set_task_data (task, g_strdup (ferry_transfer_get_id (self->transfer)), g_free);
  g_task_run_in_thread (task, list_history_thread);
}

/* --- object ------------------------------------------------------------------ */

static void
ferry_transfer_detail_realize (GtkWidget *widget)
{
  FerryTransferDetail *self = FERRY_TRANSFER_DETAIL (widget);

  GTK_WIDGET_CLASS (ferry_transfer_detail_parent_class)->realize (widget);

  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  /* Plain connections: unrealize takes them back. */
  g_signal_connect_swapped (self->frame_clock, "before-paint", G_CALLBACK (on_before_paint), self);
  g_signal_connect_swapped (self->frame_clock, "after-paint", G_CALLBACK (on_after_paint), self);
}

static void
ferry_transfer_detail_unrealize (GtkWidget *widget)
{
  FerryTransferDetail *self = FERRY_TRANSFER_DETAIL (widget);

  if (self->frame_clock != NULL)
    g_signal_handlers_disconnect_by_data (self->frame_clock, self);
  g_clear_object (&self->frame_clock);
  self->in_frame = FALSE;

  GTK_WIDGET_CLASS (ferry_transfer_detail_parent_class)->unrealize (widget);
}

static void
ferry_transfer_detail_dispose (GObject *object)
{
  FerryTransferDetail *self = FERRY_TRANSFER_DETAIL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->throttle_source, g_source_remove);
  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);
  g_clear_object (&self->log);
  g_clear_object (&self->run);
  g_clear_object (&self->transfer);
  g_clear_object (&self->failed);
  g_clear_pointer (&self->run_failure, g_free);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_TRANSFER_DETAIL);
  g_clear_object (&self->filtered);

  G_OBJECT_CLASS (ferry_transfer_detail_parent_class)->dispose (object);
}

static void
ferry_transfer_detail_class_init (FerryTransferDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_transfer_detail_dispose;
  widget_class->realize = ferry_transfer_detail_realize;
  widget_class->unrealize = ferry_transfer_detail_unrealize;

  gtk_widget_class_set_template_from_resource (widget_class, APPLICATION_PATH "/ferry-transfer-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, run_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, problems_toggle);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, log_scroller);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, log_view);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, jump_revealer);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, failed_stack);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, failed_list);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, failed_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, failed_none_page);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, retry_hint);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, retry_button);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, history_stack);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferDetail, history_list);
  gtk_widget_class_bind_template_callback (widget_class, on_problems_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_jump_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_history_activated);
}

static void
ferry_transfer_detail_init (FerryTransferDetail *self)
{
  GtkListItemFactory *factory;
  GtkAdjustment *adjustment;
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->failed = g_list_store_new (FERRY_TYPE_LOG_LINE);
  self->follow = TRUE;

  self->filter = gtk_custom_filter_new (is_problem, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_line), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_line), self);
  gtk_list_view_set_factory (self->log_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->log_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)))));

  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (on_shown_items_changed), self,
                           G_CONNECT_SWAPPED);
  adjustment = gtk_scrolled_window_get_vadjustment (self->log_scroller);
  g_signal_connect_object (adjustment, "notify::upper", G_CALLBACK (on_size_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "notify::page-size", G_CALLBACK (on_size_changed), self, G_CONNECT_SWAPPED);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_log_key_pressed), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->log_view), keys);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (on_value_changed), self, G_CONNECT_SWAPPED);
  update_failed_view (self);
}

static void
update_run_label (FerryTransferDetail *self)
{
  FerryRunState state;
  g_autofree char *text = NULL;

  if (self->run == NULL)
    return;
  state = ferry_run_get_state (self->run);
  if (state == FERRY_RUN_STATE_RUNNING || state == FERRY_RUN_STATE_IDLE)
    text = g_strdup (_("The run in progress"));
  else if (state == FERRY_RUN_STATE_COMPLETED && ferry_run_get_files_done (self->run) == 0
           && ferry_run_get_files_total (self->run) > 0)
    /* Translators: above the log of a run that found nothing to copy */
    text = g_strdup_printf (_("The latest run · %s"), _("Up to date"));
  else
    /* Translators: above the log of a run of this session, with how it ended */
    text = g_strdup_printf (_("The latest run · %s"), ferry_run_state_get_label (state));
  gtk_label_set_text (self->run_label, text);
}

GtkWidget *
ferry_transfer_detail_new (void)
{
  return g_object_new (FERRY_TYPE_TRANSFER_DETAIL, NULL);
}

void
ferry_transfer_detail_set_transfer (FerryTransferDetail *self,
                                    FerryTransfer       *transfer,
                                    FerryRun            *run)
{
  g_return_if_fail (FERRY_IS_TRANSFER_DETAIL (self));
  g_return_if_fail (transfer == NULL || FERRY_IS_TRANSFER (transfer));
  g_return_if_fail (run == NULL || FERRY_IS_RUN (run));

  if (self->transfer != transfer)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      g_set_object (&self->transfer, transfer);
    }
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_func (self->run, update_run_label, self);
  g_set_object (&self->run, run);
  if (run != NULL)
    {
      set_log (self, ferry_run_get_log (run), NULL);
      g_signal_connect_object (run, "notify::state", G_CALLBACK (update_run_label), self, G_CONNECT_SWAPPED);
      update_run_label (self);
    }
  else
    set_log (self, NULL, NULL);
  if (transfer != NULL)
    ferry_transfer_detail_reload_history (self);
}

FerryTransfer *
ferry_transfer_detail_get_transfer (FerryTransferDetail *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_DETAIL (self), NULL);

  return self->transfer;
}

void
ferry_transfer_detail_show_page (FerryTransferDetail *self,
                                 const char          *page)
{
  g_return_if_fail (FERRY_IS_TRANSFER_DETAIL (self));

  gtk_stack_set_visible_child_name (self->stack, page);
  if (g_str_equal (page, "log"))
    gtk_widget_grab_focus (GTK_WIDGET (self->log_view));
}

GListModel *
ferry_transfer_detail_get_shown_log (FerryTransferDetail *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_DETAIL (self), NULL);

  return G_LIST_MODEL (self->filtered);
}

GListModel *
ferry_transfer_detail_get_failed (FerryTransferDetail *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_DETAIL (self), NULL);

  return G_LIST_MODEL (self->failed);
}
