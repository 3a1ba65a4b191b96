/* test-connector.c: the connector model — ports follow the type until the
 * user picks one, pasted addresses fill the fields, validation explains.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ferry-connector.h"
#include "ferry-error.h"

static void
test_default_ports_follow_kind (void)
{
  g_autoptr(FerryConnector) c = ferry_connector_new (FERRY_CONNECTOR_KIND_FTP);

  g_assert_cmpuint (ferry_connector_get_port (c), ==, 21);
  ferry_connector_set_kind (c, FERRY_CONNECTOR_KIND_FTPS_IMPLICIT);
  g_assert_cmpuint (ferry_connector_get_port (c), ==, 990);
  ferry_connector_set_kind (c, FERRY_CONNECTOR_KIND_SFTP);
  g_assert_cmpuint (ferry_connector_get_port (c), ==, 22);
  ferry_connector_set_kind (c, FERRY_CONNECTOR_KIND_FTPS_EXPLICIT);
  g_assert_cmpuint (ferry_connector_get_port (c), ==, 21);

  /* Once the user chose a port, changing the type keeps it. */
  ferry_connector_set_port (c, 2121);
  ferry_connector_set_kind (c, FERRY_CONNECTOR_KIND_SFTP);
  g_assert_cmpuint (ferry_connector_get_port (c), ==, 2121);
  g_assert_true (ferry_connector_get_port_set (c));
}

static void
test_ids_are_unique_and_stable (void)
{
  g_autoptr(FerryConnector) a = ferry_connector_new (FERRY_CONNECTOR_KIND_FTP);
  g_autoptr(FerryConnector) b = ferry_connector_new (FERRY_CONNECTOR_KIND_FTP);
  g_autoptr(FerryConnector) copy = NULL;

  g_assert_true (g_uuid_string_is_valid (ferry_connector_get_id (a)));
  g_assert_cmpstr (ferry_connector_get_id (a), !=, ferry_connector_get_id (b));

  ferry_connector_set_name (a, "Site");
  copy = ferry_connector_copy (a);
  g_assert_cmpstr (ferry_connector_get_id (copy), ==, ferry_connector_get_id (a));
  g_assert_cmpstr (ferry_connector_get_name (copy), ==, "Site");
}

static void
test_pasted_address_fills_fields (void)
{
  g_autoptr(FerryConnector) c = ferry_connector_new (FERRY_CONNECTOR_KIND_FTP);
  g_autoptr(GError) error = NULL;

  g_assert_true (ferry_connector_set_address (c, "sftp://deploy@files.example:2222/var/www", &error));
  g_assert_no_error (error);
  g_assert_cmpint (ferry_connector_get_kind (c), ==, FERRY_CONNECTOR_KIND_SFTP);
  g_assert_cmpstr (ferry_connector_get_server (c), ==, "files.example");
  g_assert_cmpuint (ferry_connector_get_port (c), ==, 2222);
  g_assert_cmpstr (ferry_connector_get_username (c), ==, "deploy");

  /* A refused address changes nothing. */
  g_assert_false (ferry_connector_set_address (c, "http://www.example", &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT);
  g_assert_cmpstr (ferry_connector_get_server (c), ==, "files.example");
  g_assert_cmpint (ferry_connector_get_kind (c), ==, FERRY_CONNECTOR_KIND_SFTP);
}

static void
test_validate (void)
{
  g_autoptr(FerryConnector) c = ferry_connector_new (FERRY_CONNECTOR_KIND_FTP);
  g_autoptr(GError) error = NULL;

  g_assert_false (ferry_connector_validate (c, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "name"));
  g_clear_error (&error);

  ferry_connector_set_name (c, "  My site  ");
  g_assert_cmpstr (ferry_connector_get_name (c), ==, "My site");
  g_assert_false (ferry_connector_validate (c, &error));
  g_assert_nonnull (strstr (error->message, "server"));
  g_clear_error (&error);

  ferry_connector_set_server (c, "ftp.example.com");
  g_assert_true (ferry_connector_validate (c, &error));
  g_assert_no_error (error);

  ferry_connector_set_username (c, "bad\nuser");
  g_assert_false (ferry_connector_validate (c, &error));
  g_assert_nonnull (strstr (error->message, "control character"));
}

static void
test_urls (void)
{
  g_autoptr(FerryConnector) c = ferry_connector_new (FERRY_CONNECTOR_KIND_FTP);
  g_autofree char *plain = NULL;
  g_autofree char *v6 = NULL;
  g_autofree char *implicit = NULL;
  g_autofree char *sftp = NULL;
  g_autofree char *display = NULL;

  ferry_connector_set_server (c, "ftp.example.com");
  ferry_connector_set_username (c, "web");
  plain = ferry_connector_dup_url (c, "/My Site/a#b.html");
  g_assert_cmpstr (plain, ==, "ftp://ftp.example.com:21/My%20Site/a%23b.html");
  g_assert_null (strstr (plain, "web"));

  ferry_connector_set_server (c, "2001:db8::1");
  v6 = ferry_connector_dup_url (c, NULL);
  g_assert_cmpstr (v6, ==, "ftp://[2001:db8::1]:21/");
  display = ferry_connector_dup_display (c);
  g_assert_cmpstr (display, ==, "web@[2001:db8::1]");

  ferry_connector_set_kind (c, FERRY_CONNECTOR_KIND_FTPS_IMPLICIT);
  implicit = ferry_connector_dup_url (c, "/");
  g_assert_cmpstr (implicit, ==, "ftps://[2001:db8::1]:990/");

  ferry_connector_set_kind (c, FERRY_CONNECTOR_KIND_SFTP);
  sftp = ferry_connector_dup_url (c, "/home/web/");
  g_assert_cmpstr (sftp, ==, "sftp://[2001:db8::1]:22/home/web/");
}

static void
test_kind_strings (void)
{
  FerryConnectorKind kind;

  for (int k = FERRY_CONNECTOR_KIND_FTP; k <= FERRY_CONNECTOR_KIND_LOCAL; k++)
    {
      g_assert_true (ferry_connector_kind_from_string (ferry_connector_kind_to_string (k), &kind));
      g_assert_cmpint (kind, ==, k);
    }
  g_assert_false (ferry_connector_kind_from_string ("ftps", &kind));
  g_assert_cmpstr (ferry_connector_kind_to_string (FERRY_CONNECTOR_KIND_FTPS_EXPLICIT), ==, "ftps-explicit");
  g_assert_cmpstr (ferry_connector_get_name (ferry_connector_get_local ()), ==, "local");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/connector/default-ports-follow-kind", test_default_ports_follow_kind);
  g_test_add_func ("/connector/ids", test_ids_are_unique_and_stable);
  g_test_add_func ("/connector/pasted-address", test_pasted_address_fills_fields);
  g_test_add_func ("/connector/validate", test_validate);
  g_test_add_func ("/connector/urls", test_urls);
  g_test_add_func ("/connector/kind-strings", test_kind_strings);

  return g_test_run ();
}
