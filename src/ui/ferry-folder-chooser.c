/* ferry-folder-chooser.c: one step of the Transfer Wizard — a folder on a
 * connector, browsed folder by folder. Every listing runs on a GTask thread
 * through one FerryBackend session kept for the chooser's connector, so a
 * server is logged into once; the main loop only shows a spinner, the
 * subfolders, or the error in place with Try Again. A path can be typed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-backend.h"
#include "ferry-error.h"
#include "ferry-folder-chooser.h"

/* One backend shared by the listing threads, one listing at a time. */
typedef struct
{
  gatomicrefcount  ref;
  GMutex           lock;
  FerryConnector  *connector;
  char            *password;
  FerryBackend    *backend;
  char            *login_folder;  /* where the login starts: the first page */
} Session;

static Session *
session_new (FerryConnector *connector,
             const char     *password)
{
  Session *session = g_new0 (Session, 1);

  g_atomic_ref_count_init (&session->ref);
  g_mutex_init (&session->lock);
  session->connector = ferry_connector_copy (connector);
  session->password = g_strdup (password);
  return session;
}

static Session *
session_ref (Session *session)
{
  g_atomic_ref_count_inc (&session->ref);
  return session;
}

static void
session_unref (Session *session)
{
  if (!g_atomic_ref_count_dec (&session->ref))
    return;
  g_clear_pointer (&session->backend, ferry_backend_free);
  g_free (session->login_folder);
  g_clear_object (&session->connector);
  g_clear_pointer (&session->password, ferry_password_free);
  g_mutex_clear (&session->lock);
  g_free (session);
}

struct _FerryFolderChooser
{
  GtkBox parent_instance;

  Session *session;
  GCancellable *cancellable;
  FerryConnectorStore *store;
  FerryConnector *connector;
  char *path;
  gboolean valid;
  gboolean busy;
  gboolean login_offered;  /* the login folder was offered once */
  gboolean allow_missing;
  guint generation;

  GtkButton *up_button;
  GtkEntry *path_entry;
  GtkStack *stack;
  GtkListBox *folder_list;
  GtkLabel *files_label;
  AdwStatusPage *error_page;
  AdwStatusPage *empty_page;
  GtkLabel *loading_label;
};

G_DEFINE_FINAL_TYPE (FerryFolderChooser, ferry_folder_chooser, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_PATH,
  PROP_VALID,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_path (FerryFolderChooser *self);

static void
set_state (FerryFolderChooser *self,
           gboolean            busy,
           gboolean            valid)
{
  if (self->busy != busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
  if (self->valid != valid)
    {
      self->valid = valid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
    }
}

/* "/a/b/../c/" → "/a/c"; NULL when not absolute. */
static char *
normalize_path (const char *text)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  g_autofree char *joined = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));

  if (stripped[0] != '/')
    return NULL;
  parts = g_strsplit (stripped, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0' || g_str_equal (parts[i], "."))
        continue;
      if (g_str_equal (parts[i], ".."))
        {
          if (kept->len > 0)
            g_ptr_array_remove_index (kept, kept->len - 1);
          continue;
        }
      g_ptr_array_add (kept, parts[i]);
    }
  g_ptr_array_add (kept, NULL);
  joined = g_strjoinv ("/", (char **) kept->pdata);
  return g_strconcat ("/", joined, NULL);
}

static void
set_path (FerryFolderChooser *self,
          const char         *path)
{
  if (g_strcmp0 (self->path, path) != 0)
    {
      g_free (self->path);
      self->path = g_strdup (path);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
    }
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->path_entry)), path) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->path_entry), path);
  gtk_widget_set_sensitive (GTK_WIDGET (self->up_button), !g_str_equal (path, "/"));
}

typedef struct
{
  Session *session;
  char    *path;
} ListData;

static void
list_data_free (ListData *data)
{
  g_clear_pointer (&data->session, session_unref);
  g_free (data->path);
  g_free (data);
}

static gboolean
folder_exists (FerryBackend  *backend,
               const char    *path,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autofree char *parent = g_path_get_dirname (path);
  g_autofree char *name = g_path_get_basename (path);
  g_autoptr(GPtrArray) siblings = ferry_backend_list (backend, parent, cancellable, error);

  if (siblings == NULL)
    return FALSE;
  for (guint i = 0; i < siblings->len; i++)
    {
      FerryEntry *entry = g_ptr_array_index (siblings, i);

      if (g_str_equal (entry->name, name)
          && (entry->type == FERRY_ENTRY_DIRECTORY || entry->type == FERRY_ENTRY_SYMLINK))
        return TRUE;
    }
  g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND, _("There is no folder “%s” in %s"), name, parent);
  return FALSE;
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ListData *data = task_data;
  Session *session = data->session;
  GPtrArray *entries = NULL;
  GError *error = NULL;

  g_mutex_lock (&session->lock);
  if (session->backend == NULL)
    session->backend = ferry_backend_new (session->connector, session->password, &error);
  /* Paths are absolute from the server's root: the folder the connector's
   * address named (a WebDAV user's folder), else the login folder (PWD),
   * is the page to start from, as a file manager opens at home. */
  if (session->backend != NULL && session->login_folder == NULL
      && ferry_connector_get_folder (session->connector) != NULL)
    session->login_folder = g_strdup (ferry_connector_get_folder (session->connector));
  if (session->backend != NULL && session->login_folder == NULL)
    session->login_folder = ferry_backend_dup_login_folder (session->backend, cancellable, NULL);
  if (session->backend != NULL)
    {
      entries = ferry_backend_list (session->backend, data->path, cancellable, &error);
      /* Some servers (vsftpd) list a missing folder as empty: an empty one
       * is looked for in its parent. */
      if (entries != NULL && entries->len == 0 && !g_str_equal (data->path, "/")
          && !folder_exists (session->backend, data->path, cancellable, &error))
        g_clear_pointer (&entries, g_ptr_array_unref);
      /* A session that failed may be half-open: the next try starts over. */
      if (entries == NULL && !g_error_matches (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND))
        g_clear_pointer (&session->backend, ferry_backend_free);
    }
  g_mutex_unlock (&session->lock);

  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const FerryEntry *ea = *(FerryEntry **) a;
  const FerryEntry *eb = *(FerryEntry **) b;

  return g_utf8_collate (ea->name, eb->name);
}

static void
open_folder (FerryFolderChooser *self,
             GtkListBoxRow      *row)
{
  const char *name = g_object_get_data (G_OBJECT (row), "ferry-name");
  g_autofree char *joined = NULL;

  if (name == NULL)
    return;
  joined = g_str_equal (self->path, "/") ? g_strconcat ("/", name, NULL)
                                         : g_strconcat (self->path, "/", name, NULL);
  ferry_folder_chooser_set_path (self, joined);
}

static void
show_entries (FerryFolderChooser *self,
              GPtrArray          *entries)
{
  GtkWidget *child;
  guint folders = 0;
  guint files = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->folder_list))) != NULL)
    gtk_list_box_remove (self->folder_list, child);

  g_ptr_array_sort (entries, compare_entries);
  for (guint i = 0; i < entries->len; i++)
    {
      FerryEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *shown = NULL;
      GtkWidget *row;

      if (entry->type == FERRY_ENTRY_FILE)
        files++;
      if (entry->type != FERRY_ENTRY_DIRECTORY && entry->type != FERRY_ENTRY_SYMLINK)
        continue;
      /* Names only have to be UTF-8 for showing; the path keeps the bytes. */
      shown = g_utf8_make_valid (entry->name, -1);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), shown);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name (entry->type == FERRY_ENTRY_SYMLINK
                                                               ? "emblem-symbolic-link-symbolic"
                                                               : "folder-symbolic"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "ferry-name", g_strdup (entry->name), g_free);
      gtk_list_box_append (self->folder_list, row);
      folders++;
    }

  if (files == 0)
    gtk_label_set_text (self->files_label, _("No files in this folder itself"));
  else
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file in this folder itself",
                                                            "%u files in this folder itself", files),
                                               files);
      gtk_label_set_text (self->files_label, text);
    }
  gtk_stack_set_visible_child_name (self->stack, folders > 0 ? "list" : "empty");
}

static void
list_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(FerryFolderChooser) self = user_data;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  ListData *data = g_task_get_task_data (G_TASK (result));

  entries = g_task_propagate_pointer (G_TASK (result), &error);
  /* A newer listing replaced this one. */
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable
      || g_strcmp0 (data->path, self->path) != 0)
    return;

  if (entries != NULL && !self->login_offered && self->session != NULL)
    {
      const char *login = self->session->login_folder;

      self->login_offered = TRUE;
      if (g_str_equal (self->path, "/") && login != NULL && !g_str_equal (login, "/"))
        {
          ferry_folder_chooser_set_path (self, login);
          return;
        }
    }
  if (entries != NULL)
    {
      show_entries (self, entries);
      set_state (self, FALSE, TRUE);
      return;
    }
  if (g_error_matches (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND) && self->allow_missing)
    {
      adw_status_page_set_icon_name (self->empty_page, "folder-new-symbolic");
      adw_status_page_set_title (self->empty_page, _("New Folder"));
      adw_status_page_set_description (self->empty_page,
                                       _("This folder does not exist yet; the transfer creates it."));
      gtk_label_set_text (self->files_label, "");
      gtk_stack_set_visible_child_name (self->stack, "empty");
      set_state (self, FALSE, TRUE);
      return;
    }
  adw_status_page_set_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->stack, "error");
  set_state (self, FALSE, FALSE);
}

static void
list_path (FerryFolderChooser *self)
{
  g_autoptr(GTask) task = NULL;
  ListData *data;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  adw_status_page_set_icon_name (self->empty_page, "folder-symbolic");
  adw_status_page_set_title (self->empty_page, _("No Subfolders"));
  adw_status_page_set_description (self->empty_page, NULL);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  set_state (self, TRUE, FALSE);
  if (self->session == NULL)
    return;

  data = g_new0 (ListData, 1);
  data->session = session_ref (self->session);
  data->path = g_strdup (self->path);
  task = g_task_new (NULL, self->cancellable, list_done, g_object_ref (self));
  g_task_set_source_tag (task, list_path);
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);
  g_task_run_in_thread (task, list_thread);
}

typedef struct
{
  FerryFolderChooser *self;
  guint               generation;
} PasswordData;

static void
password_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  PasswordData *data = user_data;
  g_autoptr(FerryFolderChooser) self = data->self;
  g_autoptr(GError) error = NULL;
  g_auto(FerryPassword) password = NULL;
  guint generation = data->generation;

  g_free (data);
  password = ferry_connector_store_lookup_password_finish (FERRY_CONNECTOR_STORE (source), result, &error);
  /* Another connector was chosen meanwhile. */
  if (generation != self->generation)
    return;
  if (password == NULL)
    {
      adw_status_page_set_description (self->error_page, error != NULL ? error->message : "");
      gtk_stack_set_visible_child_name (self->stack, "error");
      set_state (self, FALSE, FALSE);
      return;
    }
  g_clear_pointer (&self->session, session_unref);
  self->session = session_new (self->connector, password);
  list_path (self);
}

static void
open_session (FerryFolderChooser *self)
{
  PasswordData *data;

  g_clear_pointer (&self->session, session_unref);
  self->generation++;
  self->login_offered = FALSE;
  if (self->connector == NULL)
    return;
  if (ferry_connector_get_kind (self->connector) == FERRY_CONNECTOR_KIND_LOCAL)
    {
      self->session = session_new (self->connector, NULL);
      list_path (self);
      return;
    }
  /* Spinner first, then the keyring, then the server. */
  list_path (self);
  gtk_label_set_text (self->loading_label, _("Connecting…"));
  data = g_new0 (PasswordData, 1);
  data->self = g_object_ref (self);
  data->generation = self->generation;
  ferry_connector_store_lookup_password_async (self->store, self->connector, self->cancellable,
                                               password_done, data);
}

static void
on_row_activated (FerryFolderChooser *self,
                  GtkListBoxRow      *row)
{
  open_folder (self, row);
}

static void
on_entry_activate (FerryFolderChooser *self)
{
  ferry_folder_chooser_set_path (self, gtk_editable_get_text (GTK_EDITABLE (self->path_entry)));
}

static void
on_up_clicked (FerryFolderChooser *self)
{
  g_autofree char *parent = NULL;

  if (self->path == NULL || g_str_equal (self->path, "/"))
    return;
  parent = g_path_get_dirname (self->path);
  ferry_folder_chooser_set_path (self, parent);
}

static void
on_retry_clicked (FerryFolderChooser *self)
{
  if (self->session == NULL)
    open_session (self);
  else
    list_path (self);
}

static void
ferry_folder_chooser_dispose (GObject *object)
{
  FerryFolderChooser *self = FERRY_FOLDER_CHOOSER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->session, session_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->connector);
  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_FOLDER_CHOOSER);

  G_OBJECT_CLASS (ferry_folder_chooser_parent_class)->dispose (object);
}

static void
ferry_folder_chooser_finalize (GObject *object)
{
  FerryFolderChooser *self = FERRY_FOLDER_CHOOSER (object);

  g_free (self->path);

  G_OBJECT_CLASS (ferry_folder_chooser_parent_class)->finalize (object);
}

static void
ferry_folder_chooser_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  FerryFolderChooser *self = FERRY_FOLDER_CHOOSER (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_folder_chooser_class_init (FerryFolderChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_folder_chooser_dispose;
  object_class->finalize = ferry_folder_chooser_finalize;
  object_class->get_property = ferry_folder_chooser_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, "/",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, APPLICATION_PATH "/ferry-folder-chooser.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryFolderChooser, up_button);
  gtk_widget_class_bind_template_child (widget_class, FerryFolderChooser, path_entry);
  gtk_widget_class_bind_template_child (widget_class, FerryFolderChooser, stack);
  gtk_widget_class_bind_template_child (widget_class, FerryFolderChooser, folder_list);
  gtk_widget_class_bind_template_child (widget_class, FerryFolderChooser, files_label);
  gtk_widget_class_bind_template_child (widget_class, FerryFolderChooser, error_page);
  gtk_widget_class_bind_template_child (widget_class, FerryFolderChooser, empty_page);
  gtk_widget_class_bind_template_child (widget_class, FerryFolderChooser, loading_label);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_up_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_clicked);
}

static void
ferry_folder_chooser_init (FerryFolderChooser *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->path = g_strdup ("/");
}

GtkWidget *
ferry_folder_chooser_new (void)
{
  return g_object_new (FERRY_TYPE_FOLDER_CHOOSER, NULL);
}

void
ferry_folder_chooser_set_connector (FerryFolderChooser  *self,
                                    FerryConnectorStore *store,
                                    FerryConnector      *connector,
                                    const char          *path)
{
  g_autofree char *normal = NULL;

  g_return_if_fail (FERRY_IS_FOLDER_CHOOSER (self));
  g_return_if_fail (store == NULL || FERRY_IS_CONNECTOR_STORE (store));
  g_return_if_fail (FERRY_IS_CONNECTOR (connector));

  g_set_object (&self->store, store);
  g_set_object (&self->connector, connector);
  normal = normalize_path (path);
  set_path (self, normal != NULL ? normal : "/");
  gtk_label_set_text (self->loading_label, _("Listing folders…"));
  open_session (self);
}

void
ferry_folder_chooser_set_path (FerryFolderChooser *self,
                               const char         *path)
{
  g_autofree char *normal = NULL;

  g_return_if_fail (FERRY_IS_FOLDER_CHOOSER (self));

  normal = normalize_path (path);
  if (normal == NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->path_entry), path != NULL ? path : "");
      adw_status_page_set_description (self->error_page,
                                       _("A folder path starts with “/”, for example /srv/site."));
      gtk_stack_set_visible_child_name (self->stack, "error");
      set_state (self, FALSE, FALSE);
      return;
    }
  set_path (self, normal);
  gtk_label_set_text (self->loading_label, _("Listing folders…"));
  if (self->session == NULL)
    open_session (self);
  else
    list_path (self);
}

const char *
ferry_folder_chooser_get_path (FerryFolderChooser *self)
{
  g_return_val_if_fail (FERRY_IS_FOLDER_CHOOSER (self), NULL);

  return self->path;
}

gboolean
ferry_folder_chooser_get_valid (FerryFolderChooser *self)
{
  g_return_val_if_fail (FERRY_IS_FOLDER_CHOOSER (self), FALSE);

  return self->valid;
}

gboolean
ferry_folder_chooser_get_busy (FerryFolderChooser *self)
{
  g_return_val_if_fail (FERRY_IS_FOLDER_CHOOSER (self), FALSE);

  return self->busy;
}

void
ferry_folder_chooser_set_allow_missing (FerryFolderChooser *self,
                                        gboolean            allow_missing)
{
  g_return_if_fail (FERRY_IS_FOLDER_CHOOSER (self));

  self->allow_missing = !!allow_missing;
}
