/* ferry-transfer-detail-log.c: the log of the shown run (see
 * ferry-transfer-detail-private.h). The view follows the end unless the
 * user scrolled up; Problems Only hides routine lines; each line is read
 * whole, its text its accessible name; the log is one Tab stop, its lines
 * reached with the arrows; Copy and Save take the text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-transfer-detail-private.h"

static void fit_shown_lines (FerryTransferDetail *self);

static gboolean
is_problem (gpointer item,
            gpointer user_data)
{
  FerryTransferDetail *self = user_data;

  if (!gtk_toggle_button_get_active (self->problems_toggle))
    return TRUE;
  return ferry_log_line_get_level (item) != FERRY_LOG_INFO;
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

void
_ferry_transfer_detail_set_follow (FerryTransferDetail *self,
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
        _ferry_transfer_detail_set_follow (self, TRUE);
    }
  else if (self->in_frame)
    queue_scroll_to_end (self);
  else if (value < self->last_value && self->follow)
    _ferry_transfer_detail_set_follow (self, FALSE);
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
        _ferry_transfer_detail_set_follow (self, FALSE);
      break;
    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      _ferry_transfer_detail_set_follow (self, TRUE);
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
  _ferry_transfer_detail_set_follow (self, TRUE);
}

static void
on_problems_toggled (FerryTransferDetail *self)
{
  gboolean follow = self->follow;

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  /* Other lines, other sizes: the view follows if it did before. */
  _ferry_transfer_detail_set_follow (self, follow);
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

/* --- wiring ------------------------------------------------------------------ */

void
_ferry_transfer_detail_log_realize (FerryTransferDetail *self)
{
  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (GTK_WIDGET (self)));
  /* Plain connections: unrealize takes them back. */
  g_signal_connect_swapped (self->frame_clock, "before-paint", G_CALLBACK (on_before_paint), self);
  g_signal_connect_swapped (self->frame_clock, "after-paint", G_CALLBACK (on_after_paint), self);
}

void
_ferry_transfer_detail_log_unrealize (FerryTransferDetail *self)
{
  if (self->frame_clock != NULL)
    g_signal_handlers_disconnect_by_data (self->frame_clock, self);
  g_clear_object (&self->frame_clock);
  self->in_frame = FALSE;
}

void
_ferry_transfer_detail_log_bind_callbacks (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_problems_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_jump_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
}

void
_ferry_transfer_detail_log_init (FerryTransferDetail *self)
{
  GtkListItemFactory *factory;
  GtkAdjustment *adjustment;
  GtkEventController *keys;

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
}
