/* ferry-authorize-dialog.c: the Authorize dialog — six fields, a real
 * connection check shown step by step, plain advice when a step fails, the
 * server's certificate or host key to look at before trusting it, and a
 * keyring save only once the check passed. Reauthorize opens it filled in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-accessible.h"
#include "ferry-address.h"
#include "ferry-authorize-dialog.h"
#include "ferry-tls.h"
#include "ferry-connection-check.h"

struct _FerryAuthorizeDialog
{
  AdwWindow parent_instance;

  FerryConnectorStore *store;
  FerryConnector *original;      /* reauthorize: the saved one; else NULL */
  FerryConnector *connector;     /* what the fields describe */
  FerryConnectionCheck *check;
  GCancellable *cancellable;
  gboolean busy;
  gboolean port_edited;
  gboolean updating;             /* fields being filled by code */
  gsize server_length;           /* of the Server text: tells a paste from a key */
  char *pending_pin;             /* trusted in this dialog, not saved yet */

  AdwWindowTitle *window_title;
  GtkStack *authorize_stack;
  GtkSpinner *spinner;
  GtkButton *authorize_button;
  AdwPreferencesPage *page;
  AdwPreferencesGroup *fields_group;
  AdwEntryRow *name_row;
  AdwComboRow *type_row;
  AdwEntryRow *server_row;
  AdwEntryRow *port_row;
  AdwEntryRow *username_row;
  AdwEntryRow *domain_row;       /* shown for SMB only */
  AdwPasswordEntryRow *password_row;
  AdwPreferencesGroup *problem_group;
  GtkLabel *field_error_label;
  AdwPreferencesGroup *check_group;
  GtkListBox *steps_list;
  AdwPreferencesGroup *hint_group;
  GtkLabel *hint_label;
  GtkLabel *capabilities_label;
  AdwPreferencesGroup *trust_group;
  AdwActionRow *subject_row;
  AdwActionRow *issuer_row;
  AdwActionRow *validity_row;
  AdwActionRow *fingerprint_row;
  AdwActionRow *trusted_row;
  GtkButton *trust_button;

  GtkWidget *step_rows[FERRY_CHECK_N_STEPS];
};

G_DEFINE_FINAL_TYPE (FerryAuthorizeDialog, ferry_authorize_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void expand_server_url (FerryAuthorizeDialog *self);

/* The order of the Type row. */
static const FerryConnectorKind type_order[] = {
  FERRY_CONNECTOR_KIND_FTP,
  FERRY_CONNECTOR_KIND_FTPS_EXPLICIT,
  FERRY_CONNECTOR_KIND_FTPS_IMPLICIT,
  FERRY_CONNECTOR_KIND_SFTP,
  FERRY_CONNECTOR_KIND_WEBDAVS,
  FERRY_CONNECTOR_KIND_WEBDAV,
  FERRY_CONNECTOR_KIND_SMB,
  FERRY_CONNECTOR_KIND_GIO,
};

static FerryConnectorKind
selected_kind (FerryAuthorizeDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->type_row);

  return selected < G_N_ELEMENTS (type_order) ? type_order[selected] : FERRY_CONNECTOR_KIND_FTP;
}

static void
show_domain_row (FerryAuthorizeDialog *self)
{
  gboolean location = selected_kind (self) == FERRY_CONNECTOR_KIND_GIO;

  gtk_widget_set_visible (GTK_WIDGET (self->domain_row),
                          ferry_connector_kind_has_domain (selected_kind (self)));
  /* A GNOME Files location is one address, its port inside it; the
   * group says where to copy it from, and that GVfs is the slower way. */
  gtk_widget_set_visible (GTK_WIDGET (self->port_row), !location);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->server_row),
                                 location ? _("_Location") : _("_Server"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->server_row),
                               location ? _("As GNOME Files shows it (Ctrl+L in its address bar), such as "
                                            "dav://server/folder or google-drive://you@gmail.com/")
                                        : NULL);
  adw_preferences_group_set_description (self->fields_group,
                                         location ? _("Paste the location as GNOME Files shows it (Ctrl+L "
                                                      "in its address bar), such as dav://server/folder or "
                                                      "google-drive://you@gmail.com/. Ferry reaches it through "
                                                      "GVfs, one request at a time: slower than a direct "
                                                      "connector. The password is kept only in your keyring.")
                                                   : _("Ferry connects for real before it saves anything. "
                                                       "The password is kept only in your keyring."));
}

static void
select_kind (FerryAuthorizeDialog *self,
             FerryConnectorKind    kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_order); i++)
    if (type_order[i] == kind)
      adw_combo_row_set_selected (self->type_row, i);
  show_domain_row (self);
}

static void
set_busy (FerryAuthorizeDialog *self,
          gboolean              busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_stack_set_visible_child_name (self->authorize_stack, busy ? "spinner" : "button");
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->fields_group), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "authorize.trust", !busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_field_problem (FerryAuthorizeDialog *self,
                    GtkWidget            *row,
                    const char           *message)
{
  GtkWidget *rows[] = {
    GTK_WIDGET (self->name_row), GTK_WIDGET (self->server_row), GTK_WIDGET (self->port_row),
    GTK_WIDGET (self->username_row), GTK_WIDGET (self->domain_row),
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (rows[i] == row)
      gtk_widget_add_css_class (rows[i], "error");
    else
      gtk_widget_remove_css_class (rows[i], "error");

  gtk_label_set_text (self->field_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_group), message != NULL);
}

/* Reads the fields into self->connector; on a bad field, marks it and says
 * why, and returns FALSE. */
static gboolean
read_fields (FerryAuthorizeDialog *self)
{
  g_autoptr(GError) error = NULL;
  const char *port_text = gtk_editable_get_text (GTK_EDITABLE (self->port_row));
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  const char *username = gtk_editable_get_text (GTK_EDITABLE (self->username_row));
  g_autofree char *trimmed_name = g_strstrip (g_strdup (name));
  g_autofree char *trimmed_port = g_strstrip (g_strdup (port_text));
  FerryConnector *same_name;
  guint16 port;

  if (*trimmed_name == '\0')
    {
      show_field_problem (self, GTK_WIDGET (self->name_row), _("Give the connector a name, for example the site it reaches."));
      return FALSE;
    }

  if (selected_kind (self) == FERRY_CONNECTOR_KIND_GIO)
    port = 0;
  else if (!ferry_address_parse_port (trimmed_port, &port, &error))
    {
      show_field_problem (self, GTK_WIDGET (self->port_row), error->message);
      return FALSE;
    }

  ferry_connector_set_name (self->connector, name);
  ferry_connector_set_kind (self->connector, selected_kind (self));
  /* The core reads the Server field (the Type row decides the type). */
  if (!ferry_connector_set_address (self->connector, gtk_editable_get_text (GTK_EDITABLE (self->server_row)),
                                    TRUE, &error))
    {
      show_field_problem (self, GTK_WIDGET (self->server_row), error->message);
      return FALSE;
    }
  ferry_connector_set_port (self->connector, port);
  ferry_connector_set_username (self->connector, *username != '\0' ? username : NULL);
  ferry_connector_set_domain (self->connector,
                              ferry_connector_kind_has_domain (selected_kind (self))
                              ? gtk_editable_get_text (GTK_EDITABLE (self->domain_row)) : NULL);
  ferry_connector_set_pin (self->connector, self->pending_pin);

  if (!ferry_connector_validate (self->connector, &error))
    {
      g_autoptr(FerryConnector) without_domain = ferry_connector_copy (self->connector);
      GtkWidget *row = GTK_WIDGET (self->name_row);

      /* Mark the Domain row when it is the field at fault. */
      ferry_connector_set_domain (without_domain, NULL);
      if (ferry_connector_get_domain (self->connector) != NULL
          && ferry_connector_validate (without_domain, NULL))
        row = GTK_WIDGET (self->domain_row);
      show_field_problem (self, row, error->message);
      return FALSE;
    }
  same_name = ferry_connector_store_find_by_name (self->store, ferry_connector_get_name (self->connector));
  if (same_name != NULL
      && g_strcmp0 (ferry_connector_get_id (same_name), ferry_connector_get_id (self->connector)) != 0)
    {
      g_autofree char *message = g_strdup_printf (_("A connector named “%s” already exists; choose another name."),
                                                  ferry_connector_get_name (self->connector));

      show_field_problem (self, GTK_WIDGET (self->name_row), message);
      return FALSE;
    }

  show_field_problem (self, NULL, NULL);
  return TRUE;
}

/* --- the steps ------------------------------------------------------------------ */

static const char *
step_detail (FerryAuthorizeDialog *self,
             FerryCheckStep        step)
{
  const FerryCertificate *certificate = ferry_connection_check_get_certificate (self->check);

  if (step == FERRY_CHECK_STEP_SECURE
      && ferry_connection_check_get_step_state (self->check, step) == FERRY_CHECK_STATE_FAILED
      && certificate != NULL && !certificate->trusted_by_system && certificate->trust_problem != NULL
      && ferry_connector_get_pin (self->connector) == NULL)   /* not a changed key: that detail stays */
    {
      const char *words = ferry_tls_describe_trust_problem (certificate->trust_problem);

      if (words != certificate->trust_problem)
        {
          g_autofree char *detail = g_strdup_printf (_("The certificate is not trusted: %s"), words);

          /* Kept until the next call, as the check's own detail is. */
          g_object_set_data_full (G_OBJECT (self->step_rows[step]), "detail", g_steal_pointer (&detail), g_free);
          return g_object_get_data (G_OBJECT (self->step_rows[step]), "detail");
        }
    }
  return ferry_connection_check_get_step_detail (self->check, step);
}

static void
update_step_row (FerryAuthorizeDialog *self,
                 FerryCheckStep        step)
{
  AdwActionRow *row = ADW_ACTION_ROW (self->step_rows[step]);
  GtkStack *status = g_object_get_data (G_OBJECT (row), "status");
  GtkImage *icon = g_object_get_data (G_OBJECT (row), "icon");
  FerryCheckState state = ferry_connection_check_get_step_state (self->check, step);
  const char *detail = step_detail (self, step);
  const char *state_name = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 ferry_connection_check_get_step_label (self->check, step));
  adw_action_row_set_subtitle (row, detail != NULL ? detail : "");
  gtk_widget_remove_css_class (GTK_WIDGET (icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (icon), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (icon), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (row), TRUE);

  switch (state)
    {
    case FERRY_CHECK_STATE_RUNNING:
      gtk_stack_set_visible_child_name (status, "spinner");
      state_name = _("In progress");
      break;
    case FERRY_CHECK_STATE_PASSED:
      gtk_stack_set_visible_child_name (status, "icon");
      gtk_image_set_from_icon_name (icon, "object-select-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (icon), "success");
      state_name = _("Passed");
      break;
    case FERRY_CHECK_STATE_FAILED:
      gtk_stack_set_visible_child_name (status, "icon");
      gtk_image_set_from_icon_name (icon, "window-close-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (icon), "error");
      state_name = _("Failed");
      break;
    case FERRY_CHECK_STATE_SKIPPED:
      gtk_widget_set_visible (GTK_WIDGET (row), FALSE);
      state_name = _("Not used");
      break;
    case FERRY_CHECK_STATE_PENDING:
    default:
      gtk_stack_set_visible_child_name (status, "icon");
      gtk_image_set_from_icon_name (icon, "content-loading-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (icon), "dim-label");
      state_name = _("Waiting");
      break;
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, state_name,
                                  -1);
  g_object_set_data (G_OBJECT (row), "state", GINT_TO_POINTER (state));
}

static void
on_step_changed (FerryAuthorizeDialog *self,
                 guint                 step,
                 FerryConnectionCheck *check)
{
  if (check == self->check && step < FERRY_CHECK_N_STEPS)
    update_step_row (self, step);
}

static void
build_step_rows (FerryAuthorizeDialog *self)
{
  for (guint i = 0; i < FERRY_CHECK_N_STEPS; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *status = gtk_stack_new ();
      GtkWidget *spinner = gtk_spinner_new ();
      GtkWidget *icon = gtk_image_new ();

      gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
      gtk_stack_add_named (GTK_STACK (status), spinner, "spinner");
      gtk_stack_add_named (GTK_STACK (status), icon, "icon");
      gtk_widget_set_valign (status, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), status);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      g_object_set_data (G_OBJECT (row), "status", status);
      g_object_set_data (G_OBJECT (row), "icon", icon);
      gtk_list_box_append (self->steps_list, row);
      self->step_rows[i] = row;
    }
}

/* The same form as ferry-cli's: no locale's two-digit year, and a time
 * that says which zone it is in. */
static char *
format_validity (GDateTime *when)
{
  g_autoptr(GDateTime) utc = when != NULL ? g_date_time_to_utc (when) : NULL;

  return utc != NULL ? g_date_time_format (utc, "%Y-%m-%d %H:%M UTC") : g_strdup ("?");
}

static void
show_trust (FerryAuthorizeDialog *self,
            const GError         *error)
{
  const FerryCertificate *certificate = ferry_connection_check_get_certificate (self->check);
  const char *host_key = ferry_connection_check_get_host_key (self->check);
  gboolean mismatch = g_error_matches (error, FERRY_ERROR, FERRY_ERROR_PIN_MISMATCH);
  gboolean untrusted = g_error_matches (error, FERRY_ERROR, FERRY_ERROR_UNTRUSTED);

  gtk_widget_set_visible (GTK_WIDGET (self->trust_group), (mismatch || untrusted)
                          && (certificate != NULL || host_key != NULL));
  if (!(mismatch || untrusted))
    return;

  if (certificate != NULL)
    {
      g_autofree char *from = format_validity (certificate->not_before);
      g_autofree char *until = format_validity (certificate->not_after);
      /* Translators: a certificate's validity, "2025-11-27 15:24 UTC to 2026-11-27 15:24 UTC" */
      g_autofree char *validity = g_strdup_printf (C_("certificate validity", "%s to %s"), from, until);

      adw_preferences_group_set_title (self->trust_group, _("Server Certificate"));
      adw_action_row_set_subtitle (self->subject_row, certificate->subject);
      adw_action_row_set_subtitle (self->issuer_row, certificate->issuer);
      adw_action_row_set_subtitle (self->validity_row, validity);
      adw_action_row_set_subtitle (self->fingerprint_row, certificate->fingerprint);
      gtk_widget_set_visible (GTK_WIDGET (self->subject_row), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->issuer_row), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->validity_row), TRUE);
    }
  else
    {
      adw_preferences_group_set_title (self->trust_group, _("Server Host Key"));
      adw_action_row_set_subtitle (self->fingerprint_row, host_key);
      gtk_widget_set_visible (GTK_WIDGET (self->subject_row), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->issuer_row), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->validity_row), FALSE);
    }

  /* A changed key is shown next to the one trusted before, and trusting it
   * takes a second, deliberate confirmation. */
  gtk_widget_set_visible (GTK_WIDGET (self->trusted_row), mismatch);
  if (mismatch)
    adw_action_row_set_subtitle (self->trusted_row, ferry_connector_get_pin (self->connector));
  gtk_button_set_label (self->trust_button, mismatch ? _("_Trust the New Key…") : _("_Trust and Authorize"));
  ferry_accessible_name_button (self->trust_button);
  if (mismatch)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->trust_button), "suggested-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->trust_button), "destructive-action");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->trust_button), "destructive-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->trust_button), "suggested-action");
    }
}

static GtkWidget *
first_identity_row (FerryAuthorizeDialog *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->subject_row))
         ? GTK_WIDGET (self->subject_row) : GTK_WIDGET (self->fingerprint_row);
}

/* Runs on the frames after the certificate or host key was shown: once the
 * layout has placed it, focuses its first row and scrolls the page to it,
 * for a few frames while the page settles on its new height. */
static gboolean
present_identity_tick (GtkWidget     *widget,
                       GdkFrameClock *frame_clock,
                       gpointer       user_data)
{
  FerryAuthorizeDialog *self = FERRY_AUTHORIZE_DIALOG (widget);
  guint *frames = user_data;
  GtkWidget *first = first_identity_row (self);
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (self->trust_group), GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *viewport = scrolled != NULL ? gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)) : NULL;
  GtkWidget *content = GTK_IS_VIEWPORT (viewport) ? gtk_viewport_get_child (GTK_VIEWPORT (viewport)) : NULL;
  graphene_point_t top;

  if (!gtk_widget_get_visible (GTK_WIDGET (self->trust_group)) || ++*frames > 120)
    return G_SOURCE_REMOVE;
  /* Ticks come before the layout of their frame: the group has its place
   * from the second one on. */
  if (*frames < 2 || !gtk_widget_get_mapped (first) || content == NULL)
    return G_SOURCE_CONTINUE;

  if (!gtk_widget_has_focus (first))
    gtk_widget_grab_focus (first);
  /* From the advice above it, which says why trust is asked, when it fits. */
  if (gtk_widget_compute_point (gtk_widget_get_visible (GTK_WIDGET (self->hint_group))
                                ? GTK_WIDGET (self->hint_group) : GTK_WIDGET (self->trust_group),
                                content, &GRAPHENE_POINT_INIT (0, 0), &top))
    {
      GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
      double target = MAX (0, top.y - 12);

      gtk_adjustment_set_value (vadjustment, target);
      /* Done once the page has grown enough to put the group at the top
       * (a short page never does: the frames run out, no harm). */
      if (gtk_adjustment_get_value (vadjustment) >= target - 1)
        return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* After a check met an untrusted certificate or host key: the keyboard and
 * the screen go to what the user must read first, its first row, never to
 * Trust, so that a second Enter cannot trust what nobody has seen. */
static void
present_identity (FerryAuthorizeDialog *self)
{
  gtk_widget_add_tick_callback (GTK_WIDGET (self), present_identity_tick, g_new0 (guint, 1), g_free);
}

/* --- running ------------------------------------------------------------------------ */

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(FerryAuthorizeDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ferry_connector_store_save_finish (FERRY_CONNECTOR_STORE (source), result, &error))
    {
      set_busy (self, FALSE);
      gtk_label_set_text (self->hint_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->hint_group), TRUE);
      return;
    }

  set_busy (self, FALSE);
  g_signal_emit (self, signals[SAVED], 0, self->connector);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
check_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(FerryAuthorizeDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  FerryConnectionCheck *check = FERRY_CONNECTION_CHECK (source);
  g_autofree char *password = NULL;

  if (check != self->check)
    return;

  if (!ferry_connection_check_run_finish (check, result, &error))
    {
      const char *hint = ferry_connection_check_get_hint (check);

      set_busy (self, FALSE);
      if (g_error_matches (error, FERRY_ERROR, FERRY_ERROR_CANCELLED))
        return;
      gtk_label_set_text (self->hint_label, hint != NULL ? hint : error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->hint_group), TRUE);
      show_trust (self, error);
      /* Keyboard users land on the field most likely at fault. */
      switch (ferry_connection_check_get_failed_step (check))
        {
        case FERRY_CHECK_STEP_RESOLVE:
          gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
          break;
        case FERRY_CHECK_STEP_CONNECT:
          gtk_widget_grab_focus (GTK_WIDGET (self->port_row));
          break;
        case FERRY_CHECK_STEP_LOGIN:
          gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
          break;
        case FERRY_CHECK_STEP_SECURE:
          if (gtk_widget_get_visible (GTK_WIDGET (self->trust_group)))
            present_identity (self);
          break;
        case FERRY_CHECK_STEP_PROTOCOL:
        case FERRY_CHECK_STEP_DATA_CHANNEL:
        case FERRY_CHECK_STEP_LIST:
        case FERRY_CHECK_N_STEPS:
        default:
          break;
        }
      return;
    }

  /* Passed: what the server offers, under the steps; only now does
   * anything reach the keyring. */
  gtk_label_set_text (self->capabilities_label, ferry_connection_check_get_capabilities (check));
  gtk_widget_set_visible (GTK_WIDGET (self->capabilities_label),
                          ferry_connection_check_get_capabilities (check) != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->hint_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->trust_group), FALSE);
  password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
  ferry_connector_store_save_async (self->store, self->connector, password, self->cancellable,
                                    saved_cb, g_object_ref (self));
  explicit_bzero (password, strlen (password));
}

static void
start_check (FerryAuthorizeDialog *self)
{
  if (self->busy)
    return;
  expand_server_url (self);
  if (!read_fields (self))
    return;

  if (self->check != NULL)
    g_signal_handlers_disconnect_by_data (self->check, self);
  g_clear_object (&self->check);
  self->check = ferry_connection_check_new (self->connector,
                                            gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                                            NULL);
  g_signal_connect_object (self->check, "step-changed", G_CALLBACK (on_step_changed), self,
                           G_CONNECT_SWAPPED);
  for (guint i = 0; i < FERRY_CHECK_N_STEPS; i++)
    update_step_row (self, i);

  gtk_widget_set_visible (GTK_WIDGET (self->check_group), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->hint_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->trust_group), FALSE);
  set_busy (self, TRUE);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  ferry_connection_check_run_async (self->check, self->cancellable, check_cb, g_object_ref (self));
}

static void
authorize_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  start_check (FERRY_AUTHORIZE_DIALOG (widget));
}

static void
trust_confirmed (FerryAuthorizeDialog *self)
{
  g_free (self->pending_pin);
  self->pending_pin = g_strdup (ferry_connection_check_get_presented_pin (self->check));
  start_check (self);
}

static void
trust_response (AdwMessageDialog     *dialog,
                const char           *response,
                FerryAuthorizeDialog *self)
{
  if (g_strcmp0 (response, "trust") == 0)
    trust_confirmed (self);
}

static void
trust_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FerryAuthorizeDialog *self = FERRY_AUTHORIZE_DIALOG (widget);
  AdwMessageDialog *confirm;

  if (self->check == NULL || ferry_connection_check_get_presented_pin (self->check) == NULL)
    return;

  if (ferry_connection_check_get_failed_step (self->check) == FERRY_CHECK_STEP_SECURE
      && ferry_connector_get_pin (self->connector) != NULL && self->pending_pin == NULL)
    {
      confirm = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Trust the New Key?"),
                                                            _("The server no longer presents the key you trusted. "
                                                              "Trust the new one only if the server’s administrator "
                                                              "confirmed that it changed.")));
      adw_message_dialog_add_responses (confirm, "cancel", _("_Cancel"), "trust", _("_Trust New Key"), NULL);
      adw_message_dialog_set_response_appearance (confirm, "trust", ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (confirm, "cancel");
      adw_message_dialog_set_close_response (confirm, "cancel");
      g_signal_connect_object (confirm, "response", G_CALLBACK (trust_response), self, 0);
      gtk_window_present (GTK_WINDOW (confirm));
      return;
    }
  trust_confirmed (self);
}

static void
copy_fingerprint_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  FerryAuthorizeDialog *self = FERRY_AUTHORIZE_DIALOG (widget);
  const char *fingerprint = adw_action_row_get_subtitle (self->fingerprint_row);

  if (fingerprint != NULL && *fingerprint != '\0')
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), fingerprint);
}

/* --- fields ---------------------------------------------------------------------------- */

static void
fill_port (FerryAuthorizeDialog *self,
           guint16               port)
{
  g_autofree char *text = g_strdup_printf ("%u", port);

  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->port_row), text);
  self->updating = FALSE;
}

static void
reset_check (FerryAuthorizeDialog *self)
{
  if (self->busy)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->hint_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->trust_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->check_group), FALSE);
  show_field_problem (self, NULL, NULL);
}

static void
on_type_changed (FerryAuthorizeDialog *self)
{
  if (self->updating)
    return;
  /* The port follows the type until the user types one. */
  if (!self->port_edited)
    fill_port (self, ferry_connector_kind_get_default_port (selected_kind (self)));
  show_domain_row (self);
  g_clear_pointer (&self->pending_pin, g_free);
  /* The last check's steps, advice and certificate were about another
   * type: they would only mislead now. */
  reset_check (self);
}

static void
on_port_changed (FerryAuthorizeDialog *self)
{
  if (!self->updating)
    self->port_edited = TRUE;
}

static void
on_field_changed (FerryAuthorizeDialog *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->problem_group)))
    show_field_problem (self, NULL, NULL);
}

/* A URL fills the other fields: ftp://user@host:2121/ becomes FTP, port
 * 2121, user "user" and server "host";
 * https://cloud.example.com/remote.php/dav/files/alice/ becomes WebDAV
 * over TLS, port 443, and the folder the chooser opens at. The core reads
 * the address (ferry_connector_set_address()); this only shows it. */
static void
expand_server_url (FerryAuthorizeDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  g_autoptr(FerryConnector) parsed = NULL;
  FerryConnectorKind kind;
  guint16 port;

  if (strstr (text, "://") == NULL)
    return;
  parsed = ferry_connector_new (selected_kind (self));
  if (!ferry_connector_set_address (parsed, text, FALSE, NULL))
    return;

  self->updating = TRUE;
  kind = ferry_connector_get_kind (parsed);
  port = ferry_connector_get_port (parsed);
  select_kind (self, kind);
  /* A GNOME Files location has its port inside its address. */
  if (kind == FERRY_CONNECTOR_KIND_GIO)
    ;
  else if (port != ferry_connector_kind_get_default_port (kind))
    {
      fill_port (self, port);
      self->port_edited = TRUE;
    }
  else if (!self->port_edited)
    fill_port (self, port);
  if (ferry_connector_get_username (parsed) != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->username_row), ferry_connector_get_username (parsed));
  if (ferry_connector_get_domain (parsed) != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->domain_row), ferry_connector_get_domain (parsed));
  if (ferry_connector_get_folder (parsed) != NULL)
    ferry_connector_set_folder (self->connector, ferry_connector_get_folder (parsed));
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), ferry_connector_get_server (parsed));
  gtk_editable_set_position (GTK_EDITABLE (self->server_row), -1);
  self->server_length = strlen (ferry_connector_get_server (parsed));
  self->updating = FALSE;
}

static void
on_server_changed (FerryAuthorizeDialog *self)
{
  gsize length = strlen (gtk_editable_get_text (GTK_EDITABLE (self->server_row)));
  gboolean pasted = length > self->server_length + 1;

  self->server_length = length;
  if (self->updating)
    return;
  on_field_changed (self);
  /* Another server is another identity to trust. */
  g_clear_pointer (&self->pending_pin, g_free);
  /* A URL pasted in one go is spread over the fields at once. One typed a
   * key at a time waits until the field is left or the check starts:
   * else "ftp://f" would be taken for server "f" and the rest of the
   * URL typed after it. */
  if (pasted)
    expand_server_url (self);
}

static void
on_server_focus_leave (FerryAuthorizeDialog *self)
{
  if (!self->updating)
    expand_server_url (self);
}

static void
on_entry_activated (FerryAuthorizeDialog *self)
{
  start_check (self);
}

static gboolean
ferry_authorize_dialog_close_request (GtkWindow *window)
{
  FerryAuthorizeDialog *self = FERRY_AUTHORIZE_DIALOG (window);

  /* Escape or Cancel: stop the check, save nothing. */
  g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (ferry_authorize_dialog_parent_class)->close_request (window);
}

static void
ferry_authorize_dialog_dispose (GObject *object)
{
  FerryAuthorizeDialog *self = FERRY_AUTHORIZE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->check != NULL)
    g_signal_handlers_disconnect_by_data (self->check, self);
  g_clear_object (&self->check);
  g_clear_object (&self->connector);
  g_clear_object (&self->original);
  g_clear_object (&self->store);
  g_clear_pointer (&self->pending_pin, g_free);

  G_OBJECT_CLASS (ferry_authorize_dialog_parent_class)->dispose (object);
}

static void
ferry_authorize_dialog_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  FerryAuthorizeDialog *self = FERRY_AUTHORIZE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_authorize_dialog_class_init (FerryAuthorizeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ferry_authorize_dialog_dispose;
  object_class->get_property = ferry_authorize_dialog_get_property;
  window_class->close_request = ferry_authorize_dialog_close_request;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FerryAuthorizeDialog::saved:
   * @connector: the connector now in the keyring
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_CONNECTOR);

  gtk_widget_class_set_template_from_resource (widget_class, APPLICATION_PATH "/ferry-authorize-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, authorize_stack);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, authorize_button);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, page);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, fields_group);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, type_row);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, server_row);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, port_row);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, username_row);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, domain_row);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, problem_group);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, field_error_label);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, check_group);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, steps_list);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, hint_group);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, hint_label);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, capabilities_label);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, trust_group);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, subject_row);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, issuer_row);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, validity_row);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, fingerprint_row);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, trusted_row);
  gtk_widget_class_bind_template_child (widget_class, FerryAuthorizeDialog, trust_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_type_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_server_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_port_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "authorize.authorize", NULL, authorize_action);
  gtk_widget_class_install_action (widget_class, "authorize.trust", NULL, trust_action);
  gtk_widget_class_install_action (widget_class, "authorize.copy-fingerprint", NULL, copy_fingerprint_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ferry_authorize_dialog_init (FerryAuthorizeDialog *self)
{
  g_autoptr(GtkStringList) types = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) type_factory = ferry_accessible_string_factory_new ();
  g_autoptr(GtkListItemFactory) type_list_factory = ferry_accessible_string_factory_new ();
  GtkEventController *focus;

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (type_order); i++)
    gtk_string_list_append (types, ferry_connector_kind_get_label (type_order[i]));
  adw_combo_row_set_model (self->type_row, G_LIST_MODEL (types));

  adw_combo_row_set_factory (self->type_row, type_factory);
  adw_combo_row_set_list_factory (self->type_row, type_list_factory);
  ferry_accessible_name_combo_list (GTK_WIDGET (self->type_row), _("Connector Types"));
  ferry_accessible_name_row_list (GTK_WIDGET (self->name_row), _("Connector"));

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave", G_CALLBACK (on_server_focus_leave), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->server_row), focus);

  build_step_rows (self);
  ferry_accessible_name_mnemonic_buttons (GTK_WIDGET (self));
  ferry_accessible_name_password_toggle (GTK_WIDGET (self->password_row));
  self->cancellable = g_cancellable_new ();
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->authorize_button));
}

FerryAuthorizeDialog *
ferry_authorize_dialog_new (GtkWindow           *parent,
                            FerryConnectorStore *store,
                            FerryConnector      *connector,
                            FerryConnectorKind   kind)
{
  FerryAuthorizeDialog *self;

  g_return_val_if_fail (FERRY_IS_CONNECTOR_STORE (store), NULL);
  g_return_val_if_fail (connector == NULL || FERRY_IS_CONNECTOR (connector), NULL);

  self = g_object_new (FERRY_TYPE_AUTHORIZE_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);

  self->updating = TRUE;
  if (connector != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Reauthorize %s"), ferry_connector_get_name (connector));

      /* Reauthorize: the same id, the fields as saved, the password empty. */
      self->original = g_object_ref (connector);
      self->connector = ferry_connector_copy (connector);
      self->pending_pin = g_strdup (ferry_connector_get_pin (connector));
      gtk_window_set_title (GTK_WINDOW (self), title);
      adw_window_title_set_title (self->window_title, title);
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), ferry_connector_get_name (connector));
      select_kind (self, ferry_connector_get_kind (connector));
      gtk_editable_set_text (GTK_EDITABLE (self->server_row), ferry_connector_get_server (connector));
      gtk_editable_set_text (GTK_EDITABLE (self->username_row),
                             ferry_connector_get_username (connector) ? ferry_connector_get_username (connector) : "");
      gtk_editable_set_text (GTK_EDITABLE (self->domain_row),
                             ferry_connector_get_domain (connector) ? ferry_connector_get_domain (connector) : "");
      self->port_edited = TRUE;
      fill_port (self, ferry_connector_get_port (connector));
    }
  else
    {
      self->connector = ferry_connector_new (kind);
      select_kind (self, kind);
      fill_port (self, ferry_connector_kind_get_default_port (kind));
    }
  self->updating = FALSE;

  if (connector != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  return self;
}

FerryConnectionCheck *
ferry_authorize_dialog_get_check (FerryAuthorizeDialog *self)
{
  g_return_val_if_fail (FERRY_IS_AUTHORIZE_DIALOG (self), NULL);
  return self->check;
}

gboolean
ferry_authorize_dialog_get_busy (FerryAuthorizeDialog *self)
{
  g_return_val_if_fail (FERRY_IS_AUTHORIZE_DIALOG (self), FALSE);
  return self->busy;
}
