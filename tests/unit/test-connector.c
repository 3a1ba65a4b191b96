/* test-connector.c: the connector model — ports follow the type until the
 * user picks one, pasted addresses fill the fields, validation explains.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ferry-connector.h"
#include "ferry-connector-private.h"
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
  g_assert_true (_ferry_connector_get_port_set (c));
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

  g_assert_true (_ferry_connector_set_address (c, "sftp://deploy@files.example:2222/var/www", &error));
  g_assert_no_error (error);
  g_assert_cmpint (ferry_connector_get_kind (c), ==, FERRY_CONNECTOR_KIND_SFTP);
  g_assert_cmpstr (ferry_connector_get_server (c), ==, "files.example");
  g_assert_cmpuint (ferry_connector_get_port (c), ==, 2222);
  g_assert_cmpstr (ferry_connector_get_username (c), ==, "deploy");

  /* A refused address changes nothing. */
  g_assert_false (_ferry_connector_set_address (c, "gopher://www.example", &error));
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
  g_assert_cmpstr (plain, ==, "ftp://ftp.example.com:21/%2FMy%20Site/a%23b.html");
  g_assert_null (strstr (plain, "web"));

  ferry_connector_set_server (c, "2001:db8::1");
  v6 = ferry_connector_dup_url (c, NULL);
  g_assert_cmpstr (v6, ==, "ftp://[2001:db8::1]:21/");
  display = ferry_connector_dup_display (c);
  g_assert_cmpstr (display, ==, "web@[2001:db8::1]");

  ferry_connector_set_kind (c, FERRY_CONNECTOR_KIND_FTPS_IMPLICIT);
  implicit = ferry_connector_dup_url (c, "/");
  g_assert_cmpstr (implicit, ==, "ftps://[2001:db8::1]:990/%2F");

  ferry_connector_set_kind (c, FERRY_CONNECTOR_KIND_SFTP);
  sftp = ferry_connector_dup_url (c, "/home/web/");
  g_assert_cmpstr (sftp, ==, "sftp://[2001:db8::1]:22/home/web/");
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              GString    *seen)
{
  g_string_append_printf (seen, "%s;", pspec->name);
}

/* Rows and entries bound to a connector redraw only when something changed. */
static void
test_notify_only_on_change (void)
{
  g_autoptr(FerryConnector) c = ferry_connector_new (FERRY_CONNECTOR_KIND_FTP);
  g_autoptr(GString) seen = g_string_new (NULL);

  g_signal_connect (c, "notify", G_CALLBACK (count_notify), seen);
  ferry_connector_set_name (c, "Site");
  ferry_connector_set_name (c, "Site");
  ferry_connector_set_name (c, " Site ");
  g_assert_cmpstr (seen->str, ==, "name;");

  g_string_truncate (seen, 0);
  ferry_connector_set_kind (c, FERRY_CONNECTOR_KIND_SFTP);
  ferry_connector_set_kind (c, FERRY_CONNECTOR_KIND_SFTP);
  g_assert_cmpstr (seen->str, ==, "kind;port;");

  g_string_truncate (seen, 0);
  ferry_connector_set_port (c, 22);
  ferry_connector_set_server (c, "h.example");
  ferry_connector_set_server (c, "h.example");
  ferry_connector_set_pin (c, "");
  ferry_connector_set_username (c, NULL);
  g_assert_cmpstr (seen->str, ==, "server;");

  /* Set through GObject too (as a binding does): the same rules. */
  g_string_truncate (seen, 0);
  g_object_set (c, "port", 2222, NULL);
  g_object_set (c, "username", "me", NULL);
  g_object_set (c, "username", "me", NULL);
  g_assert_cmpstr (seen->str, ==, "port;username;");
  g_assert_true (_ferry_connector_get_port_set (c));
}

static void
test_pasted_scheme_moves_default_port (void)
{
  g_autoptr(FerryConnector) c = ferry_connector_new (FERRY_CONNECTOR_KIND_FTP);

  g_assert_true (_ferry_connector_set_address (c, "ftps://secure.example", NULL));
  g_assert_cmpint (ferry_connector_get_kind (c), ==, FERRY_CONNECTOR_KIND_FTPS_IMPLICIT);
  g_assert_cmpuint (ferry_connector_get_port (c), ==, 990);
  g_assert_false (_ferry_connector_get_port_set (c));

  g_assert_true (_ferry_connector_set_address (c, "ftpes://secure.example", NULL));
  g_assert_cmpuint (ferry_connector_get_port (c), ==, 21);

  /* A port in the text is the user's choice from then on. */
  g_assert_true (_ferry_connector_set_address (c, "secure.example:2121", NULL));
  g_assert_cmpint (ferry_connector_get_kind (c), ==, FERRY_CONNECTOR_KIND_FTPS_EXPLICIT);
  g_assert_true (_ferry_connector_set_address (c, "sftp://secure.example", NULL));
  g_assert_cmpuint (ferry_connector_get_port (c), ==, 2121);
}

static void
assert_invalid (FerryConnector *c,
                const char     *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (ferry_connector_validate (c, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_validate_messages (void)
{
  g_autoptr(FerryConnector) c = ferry_connector_new (FERRY_CONNECTOR_KIND_SFTP);
  g_autoptr(GString) long_name = g_string_new (NULL);

  assert_invalid (c, "Give the connector a name");
  ferry_connector_set_name (c, "   ");
  assert_invalid (c, "Give the connector a name");
  ferry_connector_set_name (c, "Tab\there");
  assert_invalid (c, "The name contains a control character");

  /* 100 characters (not bytes) are fine, 101 are not. */
  for (int i = 0; i < 100; i++)
    g_string_append (long_name, "ö");
  ferry_connector_set_name (c, long_name->str);
  assert_invalid (c, "Enter the server’s name or address");
  g_string_append (long_name, "x");
  ferry_connector_set_name (c, long_name->str);
  assert_invalid (c, "The name is longer than 100 characters");

  ferry_connector_set_name (c, "Files");
  ferry_connector_set_server (c, "files example");
  assert_invalid (c, "A server name cannot contain spaces");
  ferry_connector_set_server (c, "files..example");
  assert_invalid (c, "The server name has an empty part between dots");
  ferry_connector_set_server (c, "2001:db8::1");
  g_assert_true (ferry_connector_validate (c, NULL));

  ferry_connector_set_port (c, 0);
  assert_invalid (c, "The port must be between 1 and 65535");
  ferry_connector_set_port (c, 65535);
  g_assert_true (ferry_connector_validate (c, NULL));

  ferry_connector_set_username (c, "me\x7f");
  assert_invalid (c, "The user name contains a control character");

  /* The built-in local connector needs no server. */
  g_assert_true (ferry_connector_validate (ferry_connector_get_local (), NULL));
}

static void
test_urls_escape_and_never_carry_credentials (void)
{
  g_autoptr(FerryConnector) c = ferry_connector_new (FERRY_CONNECTOR_KIND_FTPS_EXPLICIT);
  g_autofree char *explicit_url = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *unicode = NULL;

  ferry_connector_set_server (c, "ftp.example.com");
  ferry_connector_set_username (c, "user@example.com");
  ferry_connector_set_port (c, 2121);

  /* Explicit TLS is asked for by the curl layer, so the scheme stays ftp. */
  explicit_url = ferry_connector_dup_url (c, "/Web Site/100% done?.txt");
  g_assert_cmpstr (explicit_url, ==, "ftp://ftp.example.com:2121/%2FWeb%20Site/100%25%20done%3F.txt");
  g_assert_null (strchr (explicit_url, '@'));

  /* Only a path without its leading '/' is relative to the login folder. */
  relative = ferry_connector_dup_url (c, "site");
  g_assert_cmpstr (relative, ==, "ftp://ftp.example.com:2121/site");

  unicode = ferry_connector_dup_url (c, "/Bücher");
  g_assert_cmpstr (unicode, ==, "ftp://ftp.example.com:2121/%2FB%C3%BCcher");
}

static void
test_local_and_kind_type (void)
{
  FerryConnector *local = ferry_connector_get_local ();
  g_autoptr(GEnumClass) kinds = g_type_class_ref (FERRY_TYPE_CONNECTOR_KIND);
  GEnumValue *value;

  g_assert_true (local == ferry_connector_get_local ());
  g_assert_cmpint (ferry_connector_get_kind (local), ==, FERRY_CONNECTOR_KIND_LOCAL);
  g_assert_cmpstr (ferry_connector_get_name (local), ==, "local");

  value = g_enum_get_value_by_nick (kinds, "ftps-implicit");
  g_assert_nonnull (value);
  g_assert_cmpint (value->value, ==, FERRY_CONNECTOR_KIND_FTPS_IMPLICIT);
  g_assert_cmpuint (ferry_connector_kind_get_default_port (FERRY_CONNECTOR_KIND_FTPS_IMPLICIT), ==, 990);
  g_assert_true (ferry_connector_kind_uses_tls (FERRY_CONNECTOR_KIND_FTPS_EXPLICIT));
  g_assert_false (ferry_connector_kind_uses_tls (FERRY_CONNECTOR_KIND_SFTP));
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

/* The new kinds: their words, labels, default ports, TLS and Domain. */
static void
test_new_kinds (void)
{
  static const struct
  {
    FerryConnectorKind kind;
    const char *token;
    guint16 port;
    gboolean tls;
    gboolean domain;
  } cases[] = {
    { FERRY_CONNECTOR_KIND_WEBDAV, "webdav", 80, FALSE, FALSE },
    { FERRY_CONNECTOR_KIND_WEBDAVS, "webdavs", 443, TRUE, FALSE },
    { FERRY_CONNECTOR_KIND_SMB, "smb", 445, FALSE, TRUE },
    { FERRY_CONNECTOR_KIND_SFTP, "sftp", 22, FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FerryConnector) c = ferry_connector_new (cases[i].kind);
      FerryConnectorKind kind;

      g_assert_cmpstr (ferry_connector_kind_to_string (cases[i].kind), ==, cases[i].token);
      g_assert_true (ferry_connector_kind_from_string (cases[i].token, &kind));
      g_assert_cmpint (kind, ==, cases[i].kind);
      /* The GEnum nick is the same word (files and the CLI use both). */
      g_assert_cmpstr (g_enum_get_value (g_type_class_peek (FERRY_TYPE_CONNECTOR_KIND), cases[i].kind)->value_nick,
                       ==, cases[i].token);
      g_assert_cmpuint (ferry_connector_get_port (c), ==, cases[i].port);
      g_assert_cmpuint (ferry_connector_kind_get_default_port (cases[i].kind), ==, cases[i].port);
      g_assert_cmpint (ferry_connector_kind_uses_tls (cases[i].kind), ==, cases[i].tls);
      g_assert_cmpint (ferry_connector_kind_has_domain (cases[i].kind), ==, cases[i].domain);
      g_assert_nonnull (ferry_connector_kind_get_label (cases[i].kind));
    }
}

/* What people paste sets kind, host, port, user, domain and start folder;
 * an explicit type (ferry-cli's --type) wins over the scheme. */
static void
test_pasted_web_and_share_addresses (void)
{
  g_autoptr(FerryConnector) c = ferry_connector_new (FERRY_CONNECTOR_KIND_FTP);
  g_autoptr(FerryConnector) smb = ferry_connector_new (FERRY_CONNECTOR_KIND_FTP);
  g_autoptr(FerryConnector) kept = ferry_connector_new (FERRY_CONNECTOR_KIND_WEBDAV);
  g_autoptr(FerryConnector) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_assert_true (ferry_connector_set_address (c, "https://cloud.example.com/remote.php/dav/files/alice/",
                                              FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ferry_connector_get_kind (c), ==, FERRY_CONNECTOR_KIND_WEBDAVS);
  g_assert_cmpstr (ferry_connector_get_server (c), ==, "cloud.example.com");
  g_assert_cmpuint (ferry_connector_get_port (c), ==, 443);
  g_assert_cmpstr (ferry_connector_get_folder (c), ==, "/remote.php/dav/files/alice/");
  ferry_connector_set_name (c, "Cloud");
  g_assert_true (ferry_connector_validate (c, &error));
  url = ferry_connector_dup_url (c, "/remote.php/dav/files/alice/My Site/a#b");
  g_assert_cmpstr (url, ==, "https://cloud.example.com:443/remote.php/dav/files/alice/My%20Site/a%23b");
  copy = ferry_connector_copy (c);
  g_assert_cmpstr (ferry_connector_get_folder (copy), ==, "/remote.php/dav/files/alice/");

  g_assert_true (ferry_connector_set_address (smb, "smb://OFFICE;bob@nas.local/Share/Folder", FALSE, &error));
  g_assert_cmpint (ferry_connector_get_kind (smb), ==, FERRY_CONNECTOR_KIND_SMB);
  g_assert_cmpuint (ferry_connector_get_port (smb), ==, 445);
  g_assert_cmpstr (ferry_connector_get_server (smb), ==, "nas.local");
  g_assert_cmpstr (ferry_connector_get_username (smb), ==, "bob");
  g_assert_cmpstr (ferry_connector_get_domain (smb), ==, "OFFICE");
  g_assert_cmpstr (ferry_connector_get_folder (smb), ==, "/Share/Folder");
  ferry_connector_set_name (smb, "NAS");
  g_assert_true (ferry_connector_validate (smb, &error));

  g_assert_true (ferry_connector_set_address (kept, "https://dav.example.com:8443/", TRUE, &error));
  g_assert_cmpint (ferry_connector_get_kind (kept), ==, FERRY_CONNECTOR_KIND_WEBDAV);
  g_assert_cmpuint (ferry_connector_get_port (kept), ==, 8443);
}

static void
test_domain_validation (void)
{
  g_autoptr(FerryConnector) c = ferry_connector_new (FERRY_CONNECTOR_KIND_SMB);
  g_autoptr(GError) error = NULL;
  g_autofree char *long_domain = g_strnfill (256, 'D');

  ferry_connector_set_name (c, "NAS");
  ferry_connector_set_server (c, "nas.local");
  ferry_connector_set_domain (c, "  WORKGROUP ");
  g_assert_cmpstr (ferry_connector_get_domain (c), ==, "WORKGROUP");
  g_assert_true (ferry_connector_validate (c, &error));

  ferry_connector_set_domain (c, "");
  g_assert_null (ferry_connector_get_domain (c));

  ferry_connector_set_domain (c, "BAD\\DOMAIN");
  g_assert_false (ferry_connector_validate (c, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  ferry_connector_set_domain (c, long_domain);
  g_assert_false (ferry_connector_validate (c, &error));
  g_assert_nonnull (strstr (error->message, "longer"));
  g_clear_error (&error);

  /* Only SMB has one. */
  ferry_connector_set_domain (c, "WORKGROUP");
  ferry_connector_set_kind (c, FERRY_CONNECTOR_KIND_WEBDAVS);
  g_assert_false (ferry_connector_validate (c, &error));
  g_assert_nonnull (strstr (error->message, "Only SMB"));
  g_clear_error (&error);

  ferry_connector_set_kind (c, FERRY_CONNECTOR_KIND_SMB);
  ferry_connector_set_folder (c, "relative/path");
  g_assert_false (ferry_connector_validate (c, &error));
  g_assert_nonnull (strstr (error->message, "start folder"));
}

/* A GNOME Files location: kept whole as GIO opens it; a scheme only GVfs
 * knows picks the type; dav:// still picks the direct WebDAV type unless
 * the user chose the location type; never a password. */
static void
test_gnome_files_location (void)
{
  g_autoptr(FerryConnector) c = ferry_connector_new (FERRY_CONNECTOR_KIND_FTP);
  g_autoptr(FerryConnector) dav = ferry_connector_new (FERRY_CONNECTOR_KIND_FTP);
  g_autoptr(FerryConnector) chosen = ferry_connector_new (FERRY_CONNECTOR_KIND_GIO);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *display = NULL;
  FerryConnectorKind kind;

  g_assert_cmpstr (ferry_connector_kind_to_string (FERRY_CONNECTOR_KIND_GIO), ==, "gio");
  g_assert_true (ferry_connector_kind_from_string ("gio", &kind));
  g_assert_cmpint (kind, ==, FERRY_CONNECTOR_KIND_GIO);
  g_assert_nonnull (strstr (ferry_connector_kind_get_label (FERRY_CONNECTOR_KIND_GIO), "GVfs"));
  g_assert_false (ferry_connector_kind_uses_tls (FERRY_CONNECTOR_KIND_GIO));

  ferry_connector_set_name (c, "Drive");
  g_assert_true (_ferry_connector_set_address (c, " google-drive://alice@gmail.com/ ", &error));
  g_assert_no_error (error);
  g_assert_cmpint (ferry_connector_get_kind (c), ==, FERRY_CONNECTOR_KIND_GIO);
  g_assert_cmpstr (ferry_connector_get_server (c), ==, "google-drive://alice@gmail.com/");
  g_assert_cmpstr (ferry_connector_get_username (c), ==, "alice");
  g_assert_true (ferry_connector_validate (c, &error));
  g_assert_no_error (error);
  url = ferry_connector_dup_url (c, "/Site/a b.html");
  g_assert_cmpstr (url, ==, "google-drive://alice@gmail.com/Site/a%20b.html");
  display = ferry_connector_dup_display (c);
  g_assert_cmpstr (display, ==, "google-drive://alice@gmail.com/");

  /* Pasted with no type chosen, dav:// is the direct WebDAV type... */
  g_assert_true (_ferry_connector_set_address (dav, "dav://nas.local:8080/share", &error));
  g_assert_cmpint (ferry_connector_get_kind (dav), ==, FERRY_CONNECTOR_KIND_WEBDAV);
  /* ...and with the location type chosen, a location kept whole. */
  ferry_connector_set_name (chosen, "Files");
  g_assert_true (ferry_connector_set_address (chosen, "dav://nas.local:8080/share/", TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ferry_connector_get_kind (chosen), ==, FERRY_CONNECTOR_KIND_GIO);
  g_assert_cmpstr (ferry_connector_get_server (chosen), ==, "dav://nas.local:8080/share/");
  g_assert_true (ferry_connector_validate (chosen, &error));
  g_clear_pointer (&url, g_free);
  url = ferry_connector_dup_url (chosen, "/");
  g_assert_cmpstr (url, ==, "dav://nas.local:8080/share/");
  g_clear_pointer (&url, g_free);
  url = ferry_connector_dup_url (chosen, "/Ordner ü/x#1");
  g_assert_cmpstr (url, ==, "dav://nas.local:8080/share/Ordner%20%C3%BC/x%231");

  /* Refused, each with a reason, and the fields left as they were. */
  {
    const char *refused[] = {
      "dav://bob:secret@nas.local/", "nas.local/share", "file:///srv/site", "https://cloud.example/",
      "dav://nas.local/a?b", "dav://nas.local/\x01", "", NULL,
    };

    for (guint i = 0; refused[i] != NULL; i++)
      {
        g_assert_false (ferry_connector_set_address (chosen, refused[i], TRUE, &error));
        g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT);
        g_assert_cmpstr (ferry_connector_get_server (chosen), ==, "dav://nas.local:8080/share/");
        g_clear_error (&error);
      }
  }
  g_assert_false (ferry_connector_set_address (chosen, "dav://bob:secret@nas.local/", TRUE, &error));
  g_assert_nonnull (strstr (error->message, "Password field"));
  g_clear_error (&error);

  /* A location has no port of its own and no domain. */
  g_assert_cmpuint (ferry_connector_get_port (chosen), ==, 0);
  ferry_connector_set_domain (chosen, "WORKGROUP");
  g_assert_false (ferry_connector_validate (chosen, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT);
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
  g_test_add_func ("/connector/notify-only-on-change", test_notify_only_on_change);
  g_test_add_func ("/connector/pasted-scheme-moves-default-port", test_pasted_scheme_moves_default_port);
  g_test_add_func ("/connector/validate-messages", test_validate_messages);
  g_test_add_func ("/connector/urls-escape", test_urls_escape_and_never_carry_credentials);
  g_test_add_func ("/connector/local-and-kind-type", test_local_and_kind_type);
  g_test_add_func ("/connector/new-kinds", test_new_kinds);
  g_test_add_func ("/connector/pasted-web-and-share", test_pasted_web_and_share_addresses);
  g_test_add_func ("/connector/domain", test_domain_validation);
  g_test_add_func ("/connector/gnome-files-location", test_gnome_files_location);

  return g_test_run ();
}
