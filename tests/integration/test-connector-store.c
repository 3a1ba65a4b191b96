/* test-connector-store.c: connectors saved in a real gnome-keyring — one
 * item per connector, found again, reauthorized in place, names unique,
 * passwords nowhere but the keyring; and without a Secret Service, a clear
 * keyring error instead of a crash or a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsecret/secret.h>
#include <string.h>
#include <sys/wait.h>

#include "ferry-connector-private.h"
#include "ferry-connector-store.h"
#include "ferry-error.h"

static const SecretSchema any_ferry_item = {
  APPLICATION_ID, SECRET_SCHEMA_NONE, { { "id", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
};

static GList *
items_with_id (const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  GList *items;

  g_assert_no_error (error);
  if (id != NULL)
    g_hash_table_insert (attributes, "id", (gpointer) id);
  items = secret_service_search_sync (service, &any_ferry_item, attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, NULL, &error);
  g_assert_no_error (error);
  return items;
}

static FerryConnector *
make_connector (const char *name,
                const char *server)
{
  FerryConnector *c = ferry_connector_new (FERRY_CONNECTOR_KIND_FTPS_EXPLICIT);

  ferry_connector_set_name (c, name);
  ferry_connector_set_server (c, server);
  ferry_connector_set_username (c, "webmaster");
  return c;
}

/* The password must be in no file under the test's folders — the keyring
 * file is encrypted, so a plain copy anywhere is a leak. */
static void
assert_password_in_no_file (const char *dir,
                            const char *password)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  if (listing == NULL)
    return;
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          assert_password_in_no_file (path, password);
          continue;
        }
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      if (g_file_get_contents (path, &contents, &length, NULL))
        {
          if (memmem (contents, length, password, strlen (password)) != NULL)
            g_error ("the password was written to %s", path);
        }
    }
}

static void
test_save_load_find (void)
{
  g_autoptr(FerryConnectorStore) store = ferry_connector_store_new ();
  g_autoptr(FerryConnectorStore) fresh = ferry_connector_store_new ();
  g_autoptr(FerryConnector) c = make_connector ("Shop site", "ftp.shop.example");
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  GList *items;
  FerryConnector *found;

  ferry_connector_set_pin (c, "sha256//AAAA");
  g_assert_true (ferry_connector_store_save_sync (store, c, "correct horse", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);

  /* A second store reads it back from the keyring alone. */
  g_assert_true (ferry_connector_store_load_sync (fresh, NULL, &error));
  g_assert_no_error (error);
  found = ferry_connector_store_find_by_name (fresh, "shop SITE");
  g_assert_nonnull (found);
  g_assert_cmpstr (ferry_connector_get_id (found), ==, ferry_connector_get_id (c));
  g_assert_cmpint (ferry_connector_get_kind (found), ==, FERRY_CONNECTOR_KIND_FTPS_EXPLICIT);
  g_assert_cmpstr (ferry_connector_get_server (found), ==, "ftp.shop.example");
  g_assert_cmpuint (ferry_connector_get_port (found), ==, 21);
  g_assert_cmpstr (ferry_connector_get_username (found), ==, "webmaster");
  g_assert_cmpstr (ferry_connector_get_pin (found), ==, "sha256//AAAA");
  g_assert_true (ferry_connector_store_find_by_id (fresh, ferry_connector_get_id (c)) == found);
  /* One lookup for "local" or a saved connector, by id or by name. */
  g_assert_true (ferry_connector_store_find (fresh, ferry_connector_get_id (c)) == found);
  g_assert_true (ferry_connector_store_find (fresh, "Shop Site") == found);
  g_assert_true (ferry_connector_store_find (fresh, "local") == ferry_connector_get_local ());
  g_assert_true (ferry_connector_store_find (NULL, "Local") == ferry_connector_get_local ());
  g_assert_null (ferry_connector_store_find (NULL, "Shop site"));
  g_assert_null (ferry_connector_store_find (fresh, "Nowhere"));

  password = ferry_connector_store_lookup_password_sync (fresh, found, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "correct horse");

  /* One item, labelled for Seahorse, no password among its attributes. */
  items = items_with_id (ferry_connector_get_id (c));
  g_assert_cmpuint (g_list_length (items), ==, 1);
  {
    g_autoptr(GHashTable) attributes = secret_item_get_attributes (items->data);
    g_autofree char *label = secret_item_get_label (items->data);
    GHashTableIter iter;
    gpointer key, value;

    g_assert_cmpstr (label, ==, "Ferry: Shop site (webmaster@ftp.shop.example)");
    g_hash_table_iter_init (&iter, attributes);
    while (g_hash_table_iter_next (&iter, &key, &value))
      g_assert_null (strstr (value, "correct horse"));
    g_assert_cmpstr (g_hash_table_lookup (attributes, "kind"), ==, "ftps-explicit");
  }
  g_list_free_full (items, g_object_unref);

  g_assert_true (ferry_connector_store_remove_sync (fresh, found, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fresh)), ==, 0);
  items = items_with_id (ferry_connector_get_id (c));
  g_assert_null (items);
}

/* The new kinds' fields: SMB's domain and a pasted address's start
 * folder go to the keyring as attributes and come back; a connector saved
 * without them loads with none. */
static void
test_domain_and_folder_round_trip (void)
{
  g_autoptr(FerryConnectorStore) store = ferry_connector_store_new ();
  g_autoptr(FerryConnectorStore) fresh = ferry_connector_store_new ();
  g_autoptr(FerryConnector) smb = ferry_connector_new (FERRY_CONNECTOR_KIND_FTP);
  g_autoptr(FerryConnector) dav = ferry_connector_new (FERRY_CONNECTOR_KIND_FTP);
  g_autoptr(GError) error = NULL;
  FerryConnector *found;
  GList *items;

  ferry_connector_set_name (smb, "Office NAS");
  g_assert_true (ferry_connector_set_address (smb, "smb://OFFICE;bob@nas.example/Projects/site", FALSE, &error));
  ferry_connector_set_name (dav, "Cloud");
  g_assert_true (ferry_connector_set_address (dav, "https://alice@cloud.example/remote.php/dav/files/alice/",
                                              FALSE, &error));
  g_assert_true (ferry_connector_store_save_sync (store, smb, "pw one", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ferry_connector_store_save_sync (store, dav, "pw two", NULL, &error));
  g_assert_no_error (error);

  g_assert_true (ferry_connector_store_load_sync (fresh, NULL, &error));
  found = ferry_connector_store_find_by_name (fresh, "Office NAS");
  g_assert_nonnull (found);
  g_assert_cmpint (ferry_connector_get_kind (found), ==, FERRY_CONNECTOR_KIND_SMB);
  g_assert_cmpuint (ferry_connector_get_port (found), ==, 445);
  g_assert_cmpstr (ferry_connector_get_domain (found), ==, "OFFICE");
  g_assert_cmpstr (ferry_connector_get_folder (found), ==, "/Projects/site");
  found = ferry_connector_store_find_by_name (fresh, "Cloud");
  g_assert_cmpint (ferry_connector_get_kind (found), ==, FERRY_CONNECTOR_KIND_WEBDAVS);
  g_assert_cmpuint (ferry_connector_get_port (found), ==, 443);
  g_assert_null (ferry_connector_get_domain (found));
  g_assert_cmpstr (ferry_connector_get_folder (found), ==, "/remote.php/dav/files/alice/");
  g_assert_cmpstr (ferry_connector_get_username (found), ==, "alice");

  items = items_with_id (ferry_connector_get_id (smb));
  {
    g_autoptr(GHashTable) attributes = secret_item_get_attributes (items->data);

    g_assert_cmpstr (g_hash_table_lookup (attributes, "kind"), ==, "smb");
    g_assert_cmpstr (g_hash_table_lookup (attributes, "domain"), ==, "OFFICE");
    g_assert_cmpstr (g_hash_table_lookup (attributes, "folder"), ==, "/Projects/site");
  }
  g_list_free_full (items, g_object_unref);

  g_assert_true (ferry_connector_store_remove_sync (fresh, ferry_connector_store_find_by_name (fresh, "Cloud"),
                                                    NULL, &error));
  g_assert_true (ferry_connector_store_remove_sync (fresh, ferry_connector_store_find_by_name (fresh, "Office NAS"),
                                                    NULL, &error));
  g_assert_no_error (error);
}

static char *
item_label (const char *id)
{
  GList *items = items_with_id (id);
  char *label;

  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = secret_item_get_label (items->data);
  g_list_free_full (items, g_object_unref);
  return label;
}

/* The store asks the items its load found for their secrets; another
 * process may change or delete them meanwhile, and the lookup must say
 * what the keyring holds now. */
static void
test_changed_behind_its_back (void)
{
  g_autoptr(FerryConnectorStore) store = ferry_connector_store_new ();
  g_autoptr(FerryConnector) c = make_connector ("Elsewhere", "elsewhere.example");
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  FerryConnector *found;
  GList *items;

  g_assert_true (ferry_connector_store_save_sync (store, c, "first-secret", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ferry_connector_store_load_sync (store, NULL, &error));
  g_assert_no_error (error);
  found = ferry_connector_store_find_by_name (store, "Elsewhere");
  g_assert_nonnull (found);
  password = ferry_connector_store_lookup_password_sync (store, found, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "first-secret");
  g_clear_pointer (&password, g_free);

  /* Reauthorized by another process: the same item, a new secret. */
  items = items_with_id (ferry_connector_get_id (c));
  g_assert_cmpuint (g_list_length (items), ==, 1);
  value = secret_value_new ("second-secret", -1, "text/plain");
  g_assert_true (secret_item_set_secret_sync (items->data, value, NULL, &error));
  g_assert_no_error (error);
  password = ferry_connector_store_lookup_password_sync (store, found, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "second-secret");
  g_clear_pointer (&password, g_free);

  /* Removed by another process: no password, and the reason. */
  g_assert_true (secret_item_delete_sync (items->data, NULL, &error));
  g_assert_no_error (error);
  g_list_free_full (items, g_object_unref);
  g_assert_null (ferry_connector_store_lookup_password_sync (store, found, NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_password_in_no_file (g_getenv ("FERRY_TEST_DIR"), "second-secret");
}

static void
test_reauthorize_in_place (void)
{
  g_autoptr(FerryConnectorStore) store = ferry_connector_store_new ();
  g_autoptr(FerryConnector) c = make_connector ("Blog", "ftp.blog.example");
  g_autoptr(FerryConnector) edited = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  GList *items;

  g_assert_true (ferry_connector_store_save_sync (store, c, "old-secret", NULL, &error));
  g_assert_no_error (error);

  /* Reauthorize with a new password and an edited user and server. */
  edited = ferry_connector_copy (c);
  ferry_connector_set_username (edited, "editor");
  ferry_connector_set_server (edited, "ftp2.blog.example");
  g_assert_true (ferry_connector_store_save_sync (store, edited, "new-secret", NULL, &error));
  g_assert_no_error (error);

  items = items_with_id (ferry_connector_get_id (c));
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_list_free_full (items, g_object_unref);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_cmpstr (ferry_connector_get_server (ferry_connector_store_find_by_name (store, "Blog")),
                   ==, "ftp2.blog.example");
  password = ferry_connector_store_lookup_password_sync (store, edited, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "new-secret");

  /* What the keyring holds now, read afresh: same id, edited fields, new label. */
  {
    g_autoptr(FerryConnectorStore) fresh = ferry_connector_store_new ();
    g_autofree char *label = NULL;
    FerryConnector *found;

    g_assert_true (ferry_connector_store_load_sync (fresh, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fresh)), ==, 1);
    found = ferry_connector_store_find_by_id (fresh, ferry_connector_get_id (c));
    g_assert_nonnull (found);
    g_assert_cmpstr (ferry_connector_get_username (found), ==, "editor");
    g_assert_cmpstr (ferry_connector_get_server (found), ==, "ftp2.blog.example");
    label = item_label (ferry_connector_get_id (c));
    g_assert_cmpstr (label, ==, "Ferry: Blog (editor@ftp2.blog.example)");
  }

  /* Same password again, nothing else changed: still one item. */
  g_assert_true (ferry_connector_store_save_sync (store, edited, "new-secret", NULL, &error));
  g_assert_no_error (error);
  items = items_with_id (ferry_connector_get_id (c));
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_list_free_full (items, g_object_unref);

  ferry_connector_store_remove_sync (store, edited, NULL, NULL);
}

static void
test_duplicate_name_refused (void)
{
  g_autoptr(FerryConnectorStore) store = ferry_connector_store_new ();
  g_autoptr(FerryConnector) first = make_connector ("Archive", "a.example");
  g_autoptr(FerryConnector) second = make_connector ("ARCHIVE", "b.example");
  g_autoptr(GError) error = NULL;
  GList *items;

  g_assert_true (ferry_connector_store_save_sync (store, first, "one", NULL, &error));
  g_assert_false (ferry_connector_store_save_sync (store, second, "two", NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "Archive"));

  /* Nothing was written for the refused one. */
  items = items_with_id (ferry_connector_get_id (second));
  g_assert_null (items);
  ferry_connector_store_remove_sync (store, first, NULL, NULL);
}

static void
test_rename_on_reauthorize (void)
{
  g_autoptr(FerryConnectorStore) store = ferry_connector_store_new ();
  g_autoptr(FerryConnector) mine = make_connector ("Mine", "a.example");
  g_autoptr(FerryConnector) theirs = make_connector ("Theirs", "b.example");
  g_autoptr(FerryConnector) edited = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (ferry_connector_store_save_sync (store, mine, "one", NULL, &error));
  g_assert_true (ferry_connector_store_save_sync (store, theirs, "two", NULL, &error));

  /* Taking another connector's name is refused and changes nothing… */
  edited = ferry_connector_copy (mine);
  ferry_connector_set_name (edited, "theirs");
  g_assert_false (ferry_connector_store_save_sync (store, edited, "one", NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==, "A connector named “Theirs” already exists; choose another name");
  g_clear_error (&error);
  g_assert_nonnull (ferry_connector_store_find_by_name (store, "Mine"));

  /* …but a connector may change the case of its own name. */
  ferry_connector_set_name (edited, "MINE");
  g_assert_true (ferry_connector_store_save_sync (store, edited, "one", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ferry_connector_get_name (ferry_connector_store_find_by_id (store, ferry_connector_get_id (mine))),
                   ==, "MINE");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);

  ferry_connector_store_remove_sync (store, edited, NULL, NULL);
  ferry_connector_store_remove_sync (store, theirs, NULL, NULL);
}

static void
test_sorted_by_name_ignoring_case (void)
{
  const char *names[] = { "charlie", "Alpha", "beta", "Delta" };
  const char *sorted[] = { "Alpha", "beta", "charlie", "Delta" };
  g_autoptr(FerryConnectorStore) store = ferry_connector_store_new ();
  g_autoptr(FerryConnectorStore) fresh = ferry_connector_store_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(FerryConnector) c = make_connector (names[i], "sort.example");

      g_assert_true (ferry_connector_store_save_sync (store, c, "pw", NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (ferry_connector_store_load_sync (fresh, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (sorted); i++)
    {
      g_autoptr(FerryConnector) a = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autoptr(FerryConnector) b = g_list_model_get_item (G_LIST_MODEL (fresh), i);

      g_assert_cmpstr (ferry_connector_get_name (a), ==, sorted[i]);
      g_assert_cmpstr (ferry_connector_get_name (b), ==, sorted[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (sorted); i++)
    ferry_connector_store_remove_sync (fresh, ferry_connector_store_find_by_name (fresh, sorted[i]),
                                       NULL, NULL);
  g_assert_null (items_with_id (NULL));
}

static void
test_port_follows_type_after_load (void)
{
  g_autoptr(FerryConnectorStore) store = ferry_connector_store_new ();
  g_autoptr(FerryConnector) standard = make_connector ("Standard port", "std.example");
  g_autoptr(FerryConnector) custom = make_connector ("Custom port", "custom.example");
  g_autoptr(GError) error = NULL;
  FerryConnector *found;

  ferry_connector_set_port (custom, 2121);
  g_assert_true (ferry_connector_store_save_sync (store, standard, "pw", NULL, &error));
  g_assert_true (ferry_connector_store_save_sync (store, custom, "pw", NULL, &error));
  g_assert_true (ferry_connector_store_load_sync (store, NULL, &error));
  g_assert_no_error (error);

  /* Reauthorizing as another type moves a default port along, not a chosen one. */
  found = ferry_connector_store_find_by_name (store, "Standard port");
  g_assert_false (_ferry_connector_get_port_set (found));
  ferry_connector_set_kind (found, FERRY_CONNECTOR_KIND_FTPS_IMPLICIT);
  g_assert_cmpuint (ferry_connector_get_port (found), ==, 990);

  found = ferry_connector_store_find_by_name (store, "Custom port");
  g_assert_true (_ferry_connector_get_port_set (found));
  g_assert_cmpuint (ferry_connector_get_port (found), ==, 2121);
  ferry_connector_set_kind (found, FERRY_CONNECTOR_KIND_SFTP);
  g_assert_cmpuint (ferry_connector_get_port (found), ==, 2121);

  ferry_connector_store_remove_sync (store, standard, NULL, NULL);
  ferry_connector_store_remove_sync (store, custom, NULL, NULL);
}

typedef struct
{
  GThread *thread;     /* where items-changed must arrive */
  guint changes;
  gboolean wrong_thread;
} ChangeWatch;

static void
on_items_changed (GListModel  *model,
                  guint        position,
                  guint        removed,
                  guint        added,
                  ChangeWatch *watch)
{
  watch->changes++;
  if (g_thread_self () != watch->thread)
    watch->wrong_thread = TRUE;
}

static gpointer
save_in_thread (gpointer data)
{
  FerryConnectorStore *store = data;
  g_autoptr(FerryConnector) c = make_connector ("From a thread", "thread.example");
  g_autoptr(GError) error = NULL;

  g_assert_true (ferry_connector_store_save_sync (store, c, "pw", NULL, &error));
  g_assert_no_error (error);
  return NULL;
}

/* A _sync call from a worker thread changes the model only later, on the
 * creator's main context. */
static void
test_changes_on_creator_context (void)
{
  g_autoptr(FerryConnectorStore) store = ferry_connector_store_new ();
  ChangeWatch watch = { .thread = g_thread_self () };
  GThread *worker;

  g_signal_connect (store, "items-changed", G_CALLBACK (on_items_changed), &watch);
  worker = g_thread_new ("saver", save_in_thread, store);
  g_thread_join (worker);
  g_assert_cmpuint (watch.changes, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);

  while (watch.changes == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (watch.wrong_thread);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  ferry_connector_store_remove_sync (store, ferry_connector_store_find_by_name (store, "From a thread"),
                                     NULL, NULL);
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_async_save_lookup_remove (void)
{
  g_autoptr(FerryConnectorStore) store = ferry_connector_store_new ();
  g_autoptr(FerryConnector) c = make_connector ("Async calls", "calls.example");
  ChangeWatch watch = { .thread = g_thread_self () };
  g_autoptr(GAsyncResult) saved = NULL;
  g_autoptr(GAsyncResult) looked_up = NULL;
  g_autoptr(GAsyncResult) removed = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(FerryPassword) password = NULL;

  g_signal_connect (store, "items-changed", G_CALLBACK (on_items_changed), &watch);

  ferry_connector_store_save_async (store, c, "async-secret", NULL, store_result, &saved);
  g_assert_true (ferry_connector_store_save_finish (store, wait_for (&saved), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (watch.changes, ==, 1);
  g_assert_nonnull (ferry_connector_store_find_by_name (store, "Async calls"));

  ferry_connector_store_lookup_password_async (store, c, NULL, store_result, &looked_up);
  password = ferry_connector_store_lookup_password_finish (store, wait_for (&looked_up), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "async-secret");

  ferry_connector_store_remove_async (store, c, NULL, store_result, &removed);
  g_assert_true (ferry_connector_store_remove_finish (store, wait_for (&removed), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (watch.changes, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_null (items_with_id (ferry_connector_get_id (c)));
  g_assert_false (watch.wrong_thread);
}

static void
test_cancelled (void)
{
  g_autoptr(FerryConnectorStore) store = ferry_connector_store_new ();
  g_autoptr(FerryConnector) c = make_connector ("Cancelled", "cancel.example");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (ferry_connector_store_save_sync (store, c, "pw", cancellable, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (ferry_connector_store_load_sync (store, cancellable, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CANCELLED);
  g_assert_null (items_with_id (ferry_connector_get_id (c)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
}

static void
test_invalid_connector_not_saved (void)
{
  g_autoptr(FerryConnectorStore) store = ferry_connector_store_new ();
  g_autoptr(FerryConnector) c = make_connector ("", "ftp.example");
  g_autoptr(GError) error = NULL;

  g_assert_false (ferry_connector_store_save_sync (store, c, "x", NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT);
  g_assert_null (items_with_id (ferry_connector_get_id (c)));
  g_clear_error (&error);

  /* The built-in local connector is never written to the keyring. */
  g_assert_false (ferry_connector_store_save_sync (store, ferry_connector_get_local (), "x", NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT);
  g_assert_null (items_with_id ("local"));
}

static void
loaded (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  GError **error = user_data;

  ferry_connector_store_load_finish (FERRY_CONNECTOR_STORE (source), result, error);
  if (*error == NULL)
    g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_FAILED, "done");
}

static void
test_async_load_on_main_context (void)
{
  g_autoptr(FerryConnectorStore) writer = ferry_connector_store_new ();
  g_autoptr(FerryConnectorStore) store = ferry_connector_store_new ();
  g_autoptr(FerryConnector) c = make_connector ("Async", "async.example");
  g_autoptr(GError) error = NULL;

  g_assert_true (ferry_connector_store_save_sync (writer, c, "pw", NULL, &error));
  ferry_connector_store_load_async (store, NULL, loaded, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_FAILED);   /* "done", no keyring error */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  ferry_connector_store_remove_sync (writer, c, NULL, NULL);
}

static void
test_no_password_in_files (void)
{
  assert_password_in_no_file (g_getenv ("FERRY_TEST_DIR"), "correct horse");
  assert_password_in_no_file (g_getenv ("FERRY_TEST_DIR"), "new-secret");
  assert_password_in_no_file (g_getenv ("FERRY_TEST_DIR"), "old-secret");
  assert_password_in_no_file (g_getenv ("FERRY_TEST_DIR"), "async-secret");
}

/* A locked collection that nobody unlocks (there is no prompter here, as
 * when the user dismisses the unlock dialog) is a keyring error, not a
 * crash, an empty list or a file. */
static void
test_locked_keyring (void)
{
  g_autoptr(FerryConnectorStore) store = ferry_connector_store_new ();
  g_autoptr(FerryConnector) c = make_connector ("Before locking", "lock.example");
  g_autoptr(FerryConnector) later = make_connector ("After locking", "lock.example");
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  GList *objects;

  g_assert_true (ferry_connector_store_save_sync (store, c, "locked-away", NULL, &error));
  g_assert_no_error (error);
  /* Loaded while unlocked: the store knows the item when it gets locked. */
  g_assert_true (ferry_connector_store_load_sync (store, NULL, &error));
  g_assert_no_error (error);

  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);
  objects = g_list_append (NULL, collection);
  secret_service_lock_sync (service, objects, NULL, NULL, &error);
  g_list_free (objects);
  g_assert_no_error (error);
  g_assert_true (secret_collection_get_locked (collection));

  g_assert_false (ferry_connector_store_load_sync (store, NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_KEYRING);
  g_test_message ("load: %s", error->message);
  g_assert_nonnull (strstr (error->message, "locked"));
  g_clear_error (&error);

  g_assert_false (ferry_connector_store_save_sync (store, later, "pw", NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_KEYRING);
  g_test_message ("save: %s", error->message);
  g_assert_nonnull (strstr (error->message, "locked"));
  g_clear_error (&error);

  g_assert_null (ferry_connector_store_lookup_password_sync (store, c, NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_KEYRING);
  g_test_message ("lookup: %s", error->message);
  g_assert_nonnull (strstr (error->message, "locked"));
  g_clear_error (&error);

  /* Remove says it could not, and the connector stays in the list. */
  g_assert_false (ferry_connector_store_remove_sync (store, c, NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_KEYRING);
  g_assert_nonnull (strstr (error->message, "locked"));
  g_clear_error (&error);
  g_assert_nonnull (ferry_connector_store_find_by_id (store, ferry_connector_get_id (c)));

  /* ferry-cli says so and exits 4. */
  {
    const char *cli = g_getenv ("FERRY_CLI");
    const char *argv[] = { cli, "connector", "list", NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status = 0;

    g_assert_nonnull (cli);
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &status, &error));
    g_assert_no_error (error);
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 4);
    g_assert_nonnull (strstr (err, "The keyring is locked"));
    g_assert_cmpstr (out, ==, "");
  }

  assert_password_in_no_file (g_getenv ("FERRY_TEST_DIR"), "locked-away");
}

static void
test_no_secret_service (void)
{
  g_autoptr(FerryConnectorStore) store = ferry_connector_store_new ();
  g_autoptr(FerryConnector) c = make_connector ("Nowhere", "ftp.example");
  g_autoptr(GError) error = NULL;

  g_assert_false (ferry_connector_store_load_sync (store, NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_KEYRING);
  g_assert_true (g_str_has_prefix (error->message, "The system keyring is not available"));
  g_clear_error (&error);

  g_assert_false (ferry_connector_store_save_sync (store, c, "pw", NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_KEYRING);

  /* And no file fallback: nothing appeared in the test's folders. */
  assert_password_in_no_file (g_getenv ("FERRY_TEST_DIR"), "pw-not-anywhere");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (argc > 1 && g_str_equal (argv[1], "--without-keyring"))
    {
      g_test_add_func ("/connector-store/no-secret-service", test_no_secret_service);
      return g_test_run ();
    }
  if (argc > 1 && g_str_equal (argv[1], "--locked-keyring"))
    {
      g_test_add_func ("/connector-store/locked-keyring", test_locked_keyring);
      return g_test_run ();
    }

  g_test_add_func ("/connector-store/save-load-find", test_save_load_find);
  g_test_add_func ("/connector-store/domain-and-folder", test_domain_and_folder_round_trip);
  g_test_add_func ("/connector-store/reauthorize-in-place", test_reauthorize_in_place);
  g_test_add_func ("/connector-store/changed-behind-its-back", test_changed_behind_its_back);
  g_test_add_func ("/connector-store/duplicate-name", test_duplicate_name_refused);
  g_test_add_func ("/connector-store/rename-on-reauthorize", test_rename_on_reauthorize);
  g_test_add_func ("/connector-store/invalid-not-saved", test_invalid_connector_not_saved);
  g_test_add_func ("/connector-store/cancelled", test_cancelled);
  g_test_add_func ("/connector-store/sorted-ignoring-case", test_sorted_by_name_ignoring_case);
  g_test_add_func ("/connector-store/port-follows-type-after-load", test_port_follows_type_after_load);
  g_test_add_func ("/connector-store/async-load", test_async_load_on_main_context);
  g_test_add_func ("/connector-store/async-save-lookup-remove", test_async_save_lookup_remove);
  g_test_add_func ("/connector-store/changes-on-creator-context", test_changes_on_creator_context);
  g_test_add_func ("/connector-store/no-password-in-files", test_no_password_in_files);
  return g_test_run ();
}
