/* test-harness.c: proves the test fixtures are real — libcurl logs into each
 * vsftpd flavour and into sshd, and libsecret stores and finds a secret in
 * the private gnome-keyring. Later suites stand on these parts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <curl/curl.h>
#include <glib.h>
#include <libsecret/secret.h>
#include <string.h>

typedef struct
{
  GString *body;
  long response_code;
  CURLcode code;
} Listing;

static size_t
collect (char   *data,
         size_t  size,
         size_t  nmemb,
         void   *user_data)
{
  GString *body = user_data;

  g_string_append_len (body, data, size * nmemb);
  return size * nmemb;
}

static Listing
list_url (const char *url,
          const char *password,
          long        use_ssl)
{
  Listing listing = { g_string_new (NULL), 0, CURLE_OK };
  CURL *easy = curl_easy_init ();

  g_assert_nonnull (easy);
  curl_easy_setopt (easy, CURLOPT_URL, url);
  curl_easy_setopt (easy, CURLOPT_USERNAME, g_getenv ("FERRY_TEST_USER"));
  curl_easy_setopt (easy, CURLOPT_PASSWORD, password);
  curl_easy_setopt (easy, CURLOPT_DIRLISTONLY, 1L);
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, listing.body);
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt (easy, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt (easy, CURLOPT_USE_SSL, use_ssl);
  /* Trust exactly the fixture's self-signed certificate, with host checks on. */
  curl_easy_setopt (easy, CURLOPT_CAINFO, g_getenv ("FERRY_TEST_CERT"));
  curl_easy_setopt (easy, CURLOPT_SSH_HOST_PUBLIC_KEY_SHA256,
                    g_getenv ("FERRY_TEST_SSH_HOSTKEY_SHA256") + strlen ("SHA256:"));
  listing.code = curl_easy_perform (easy);
  curl_easy_getinfo (easy, CURLINFO_RESPONSE_CODE, &listing.response_code);
  curl_easy_cleanup (easy);
  return listing;
}

static char *
ftp_url (const char *scheme,
         const char *port_variable)
{
  return g_strdup_printf ("%s://127.0.0.1:%s/", scheme, g_getenv (port_variable));
}

static void
put_marker_file (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("FERRY_TEST_FTP_ROOT"), "marker.txt", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "hello\n", -1, &error);
  g_assert_no_error (error);
}

static void
assert_lists_marker (const char *url,
                     long        use_ssl)
{
  Listing listing = list_url (url, g_getenv ("FERRY_TEST_PASSWORD"), use_ssl);

  g_assert_cmpint (listing.code, ==, CURLE_OK);
  g_assert_nonnull (strstr (listing.body->str, "marker.txt"));
  g_string_free (listing.body, TRUE);
}

static void
test_plain_ftp_login (void)
{
  g_autofree char *url = ftp_url ("ftp", "FERRY_TEST_FTP_PORT");

  put_marker_file ();
  assert_lists_marker (url, CURLUSESSL_NONE);
}

static void
test_explicit_ftps_login (void)
{
  g_autofree char *url = ftp_url ("ftp", "FERRY_TEST_FTPS_PORT");

  put_marker_file ();
  assert_lists_marker (url, CURLUSESSL_ALL);
}

static void
test_implicit_ftps_login (void)
{
  g_autofree char *url = ftp_url ("ftps", "FERRY_TEST_FTPS_IMPLICIT_PORT");

  put_marker_file ();
  assert_lists_marker (url, CURLUSESSL_ALL);
}

static void
test_sftp_login (void)
{
  g_autofree char *url = g_strdup_printf ("sftp://127.0.0.1:%s%s/",
                                          g_getenv ("FERRY_TEST_SFTP_PORT"),
                                          g_getenv ("FERRY_TEST_FTP_ROOT"));

  put_marker_file ();
  assert_lists_marker (url, CURLUSESSL_NONE);
}

static void
test_wrong_password_refused (void)
{
  g_autofree char *url = ftp_url ("ftp", "FERRY_TEST_FTP_PORT");
  Listing listing = list_url (url, "not-the-password", CURLUSESSL_NONE);

  g_assert_cmpint (listing.code, ==, CURLE_LOGIN_DENIED);
  g_assert_cmpint (listing.response_code, ==, 530);
  g_string_free (listing.body, TRUE);
}

static void
test_plain_refused_by_tls_server (void)
{
  g_autofree char *url = ftp_url ("ftp", "FERRY_TEST_FTPS_PORT");
  Listing listing = list_url (url, g_getenv ("FERRY_TEST_PASSWORD"), CURLUSESSL_NONE);

  /* vsftpd with force_local_logins_ssl: "530 Non-anonymous sessions must use encryption." */
  g_assert_cmpint (listing.code, ==, CURLE_LOGIN_DENIED);
  g_assert_cmpint (listing.response_code, ==, 530);
  g_string_free (listing.body, TRUE);
}

static const SecretSchema harness_schema = {
  "io.github.ferrymigrate.Ferry.TestHarness", SECRET_SCHEMA_NONE,
  {
    { "case", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static void
test_keyring_store_and_lookup (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  GList *found;
  gboolean stored;

  stored = secret_password_store_sync (&harness_schema, SECRET_COLLECTION_DEFAULT,
                                       "Ferry test harness", "s3cret-value", NULL, &error,
                                       "case", "harness", NULL);
  g_assert_no_error (error);
  g_assert_true (stored);

  secret = secret_password_lookup_sync (&harness_schema, NULL, &error, "case", "harness", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "s3cret-value");

  attributes = secret_attributes_build (&harness_schema, "case", "harness", NULL);
  found = secret_password_searchv_sync (&harness_schema, attributes, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (found), ==, 1);
  g_list_free_full (found, g_object_unref);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  curl_global_init (CURL_GLOBAL_DEFAULT);

  if (g_getenv ("FERRY_TEST_FTP_PORT") == NULL)
    {
      g_test_skip ("needs tests/fixtures/ferry-testenv.py --ftp --sftp --keyring");
      return 77;
    }

  g_test_add_func ("/harness/ftp/plain", test_plain_ftp_login);
  g_test_add_func ("/harness/ftp/explicit-tls", test_explicit_ftps_login);
  g_test_add_func ("/harness/ftp/implicit-tls", test_implicit_ftps_login);
  g_test_add_func ("/harness/ftp/wrong-password", test_wrong_password_refused);
  g_test_add_func ("/harness/ftp/plain-refused-by-tls-server", test_plain_refused_by_tls_server);
  g_test_add_func ("/harness/sftp/login", test_sftp_login);
  g_test_add_func ("/harness/keyring/store-and-lookup", test_keyring_store_and_lookup);

  status = g_test_run ();
  curl_global_cleanup ();
  return status;
}
