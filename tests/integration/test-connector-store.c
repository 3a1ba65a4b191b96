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

  /* Same password again, nothing else changed: still one item. */
  g_assert_true (ferry_connector_store_save_sync (store, edited, "new-secret", NULL, &error));
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
test_invalid_connector_not_saved (void)
{
  g_autoptr(FerryConnectorStore) store = ferry_connector_store_new ();
  g_autoptr(FerryConnector) c = make_connector ("", "ftp.example");
  g_autoptr(GError) error = NULL;

  g_assert_false (ferry_connector_store_save_sync (store, c, "x", NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT);
  g_assert_null (items_with_id (ferry_connector_get_id (c)));
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
}

static void
test_no_secret_service (void)
{
  g_autoptr(FerryConnectorStore) store = ferry_connector_store_new ();
  g_autoptr(FerryConnector) c = make_connector ("Nowhere", "ftp.example");
  g_autoptr(GError) error = NULL;

  g_assert_false (ferry_connector_store_load_sync (store, NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_KEYRING);
  g_assert_nonnull (strstr (error->message, "keyring"));
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

  g_test_add_func ("/connector-store/save-load-find", test_save_load_find);
  g_test_add_func ("/connector-store/reauthorize-in-place", test_reauthorize_in_place);
  g_test_add_func ("/connector-store/duplicate-name", test_duplicate_name_refused);
  g_test_add_func ("/connector-store/invalid-not-saved", test_invalid_connector_not_saved);
  g_test_add_func ("/connector-store/async-load", test_async_load_on_main_context);
  g_test_add_func ("/connector-store/no-password-in-files", test_no_password_in_files);
  return g_test_run ();
}
