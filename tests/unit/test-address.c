/* test-address.c: the Server field understands what people paste and refuses
 * the rest with a message that says why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ferry-address.h"
#include "ferry-connector.h"
#include "ferry-error.h"

typedef struct
{
  const char *text;
  const char *host;
  guint16 port;
  int kind;              /* -1: no scheme */
  const char *username;
  const char *path;
  const char *domain;
} Accepted;

static const Accepted accepted[] = {
  { "ftp.example.com", "ftp.example.com", 0, -1, NULL, NULL },
  { "  ftp.example.com \n", "ftp.example.com", 0, -1, NULL, NULL },
  { "ftp://user@host.example:2121/", "host.example", 2121, FERRY_CONNECTOR_KIND_FTP, "user", "/" },
  { "ftp://host.example/site/www/", "host.example", 0, FERRY_CONNECTOR_KIND_FTP, NULL, "/site/www/" },
  { "sftp://host", "host", 0, FERRY_CONNECTOR_KIND_SFTP, NULL, NULL },
  { "ftps://secure.example", "secure.example", 0, FERRY_CONNECTOR_KIND_FTPS_IMPLICIT, NULL, NULL },
  { "ftpes://secure.example:21", "secure.example", 21, FERRY_CONNECTOR_KIND_FTPS_EXPLICIT, NULL, NULL },
  { "FTP://Host.Example", "Host.Example", 0, FERRY_CONNECTOR_KIND_FTP, NULL, NULL },
  { "[2001:db8::1]", "2001:db8::1", 0, -1, NULL, NULL },
  { "[2001:db8::1]:2121", "2001:db8::1", 2121, -1, NULL, NULL },
  { "2001:db8::1", "2001:db8::1", 0, -1, NULL, NULL },
  { "sftp://me@[::1]:2222/home/me", "::1", 2222, FERRY_CONNECTOR_KIND_SFTP, "me", "/home/me" },
  { "192.0.2.7", "192.0.2.7", 0, -1, NULL, NULL },
  { "192.0.2.7:21", "192.0.2.7", 21, -1, NULL, NULL },
  { "host.example:65535", "host.example", 65535, -1, NULL, NULL },
  { "ftp://web%40site@host.example/My%20Site/", "host.example", 0, FERRY_CONNECTOR_KIND_FTP, "web@site", "/My Site/" },
  { "bücher.example", "xn--bcher-kva.example", 0, -1, NULL, NULL },
  { "ftp.example.com.", "ftp.example.com.", 0, -1, NULL, NULL },
  { "ssh://deploy@files.example", "files.example", 0, FERRY_CONNECTOR_KIND_SFTP, "deploy", NULL },
  { "ftp.example.com/site", "ftp.example.com", 0, -1, NULL, "/site" },
  { "host.example/a://b", "host.example", 0, -1, NULL, "/a://b" },
  { "host.example:2121/a@b", "host.example", 2121, -1, NULL, "/a@b" },
  { "ftp://host.example/mail@home/", "host.example", 0, FERRY_CONNECTOR_KIND_FTP, NULL, "/mail@home/" },
  { "user@192.0.2.7:2121", "192.0.2.7", 2121, -1, "user", NULL },
  { "\t sftp://[2001:db8::1] ", "2001:db8::1", 0, FERRY_CONNECTOR_KIND_SFTP, NULL, NULL },
  /* WebDAV: what a browser or Nextcloud's settings show. */
  { "https://cloud.example.com/remote.php/dav/files/alice/", "cloud.example.com", 0,
    FERRY_CONNECTOR_KIND_WEBDAVS, NULL, "/remote.php/dav/files/alice/" },
  { "http://dav.example.com:8080/share", "dav.example.com", 8080, FERRY_CONNECTOR_KIND_WEBDAV, NULL, "/share" },
  { "https://alice@cloud.example.com/remote.php/webdav/My%20Files/?x=1#top", "cloud.example.com", 0,
    FERRY_CONNECTOR_KIND_WEBDAVS, "alice", "/remote.php/webdav/My Files/" },
  { "HTTPS://Cloud.Example.com", "Cloud.Example.com", 0, FERRY_CONNECTOR_KIND_WEBDAVS, NULL, NULL },
  { "davs://cloud.example.com/dav/", "cloud.example.com", 0, FERRY_CONNECTOR_KIND_WEBDAVS, NULL, "/dav/" },
  { "dav://[::1]:8080/", "::1", 8080, FERRY_CONNECTOR_KIND_WEBDAV, NULL, "/" },
  /* SMB: the share and folder, and "DOMAIN;user" before the host. */
  { "smb://nas.local/Share/Folder", "nas.local", 0, FERRY_CONNECTOR_KIND_SMB, NULL, "/Share/Folder" },
  { "smb://OFFICE;bob@192.0.2.9:4445/Projects", "192.0.2.9", 4445, FERRY_CONNECTOR_KIND_SMB, "bob",
    "/Projects", "OFFICE" },
  { "smb://bob@nas/", "nas", 0, FERRY_CONNECTOR_KIND_SMB, "bob", "/" },
};

typedef struct
{
  const char *text;
  const char *message_part;   /* what the message must say */
} Refused;

static const Refused refused[] = {
  { "", "Enter the server" },
  { "   ", "Enter the server" },
  { "ftp example.com", "spaces" },
  { "ftp.example.com\tx", "control character" },
  { "ftp.exa\x01mple.com", "control character" },
  { "ftp.example.com:0", "between 1 and 65535" },
  { "ftp.example.com:65536", "between 1 and 65535" },
  { "ftp.example.com:99999999999999999999", "between 1 and 65535" },
  { "ftp.example.com:-1", "number" },
  { "ftp.example.com:ftp", "number" },
  { "ftp.example.com:", "port number" },
  { "https://cloud.example.com/index.php/apps/files/?dir=/Photos", "remote.php/dav/files/USER" },
  { "https://cloud.example.com/apps/files/", "web page" },
  { "smb://OFFICE;@nas/Share", "user name" },
  { "smb://;bob@nas/Share", "domain" },
  { "https://user:secret@cloud.example.com/", "Password field" },
  { "gopher://old.example", "gopher://" },
  { "ftp://user:hunter2@host.example/", "Password field" },
  { "user:hunter2@host.example", "Password field" },
  { "ftp://user:hun/ter2@host.example/", "Password field" },
  { "ftp://user:2121@host.example", "Password field" },
  { "ftp://user:@host.example", "Password field" },
  { "[2001:db8::1", "closing bracket" },
  { "[not-v6]:21", "not an IPv6" },
  { "[2001:db8::1]x", "Only a port" },
  { "2001:db8:::1:2:3:4:5:6:7", "IPv6" },
  { "999.1.1.1", "IPv4" },
  { "ftp..example.com", "empty part" },
  { "-ftp.example.com", "hyphen" },
  { "ftp.exa$mple.com", "letters, digits" },
  { "ftp://", "Enter the server" },
  { "ftp://@host", "user name" },
  { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example", "63 characters" },
};

static void
test_accepted (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      const Accepted *c = &accepted[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(FerryAddress) address = ferry_address_parse (c->text, &error);

      g_test_message ("accepting %s", c->text);
      g_assert_no_error (error);
      g_assert_nonnull (address);
      g_assert_cmpstr (address->host, ==, c->host);
      g_assert_cmpuint (address->port, ==, c->port);
      g_assert_cmpint (address->has_kind, ==, c->kind >= 0);
      if (c->kind >= 0)
        g_assert_cmpint (address->kind, ==, c->kind);
      g_assert_cmpstr (address->username, ==, c->username);
      g_assert_cmpstr (address->path, ==, c->path);
      g_assert_cmpstr (address->domain, ==, c->domain);
    }
}

static void
test_refused (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      const Refused *c = &refused[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(FerryAddress) address = ferry_address_parse (c->text, &error);

      g_test_message ("refusing %s", c->text);
      g_assert_null (address);
      g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT);
      if (strstr (error->message, c->message_part) == NULL)
        g_error ("message for “%s” is “%s”, expected it to mention “%s”",
                 c->text, error->message, c->message_part);
    }
}

static void
test_password_never_echoed (void)
{
  const char *texts[] = {
    "ftp://user:hunter2@host/", "user:hunter2@host", "sftp://me:hun/ter2@host:22/",
    "ftp://me:hunter2@[2001:db8::1]", "ftps://me:hunter2@bad host",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FerryAddress) address = ferry_address_parse (texts[i], &error);

      g_assert_null (address);
      g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT);
      g_assert_cmpstr (error->message, ==,
                       "Leave the password out of the server address and type it in the Password field");
    }
}

/* The exact words people read under the Server field. */
static void
test_messages (void)
{
  static const struct
  {
    const char *text;
    const char *message;
  } cases[] = {
    { "", "Enter the server’s name or address" },
    { "ftp example.com", "A server name cannot contain spaces" },
    { "ftp.exa\x01mple.com", "The server name contains a control character" },
    { "ftp.example.com:70000", "The port must be between 1 and 65535" },
    { "ftp.example.com:x", "The port must be a number between 1 and 65535" },
    { "ftp.example.com:", "Enter a port number between 1 and 65535" },
    { "https://cloud.example.com/index.php/apps/files/",
      "This is the address of a web page, not of a WebDAV folder. For Nextcloud or ownCloud use "
      "https://SERVER/remote.php/dav/files/USER/" },
    { "gopher://old.example",
      "Ferry does not know addresses starting with “gopher://”; use ftp://, ftps://, ftpes://, sftp://, "
      "http://, https:// or smb://" },
    { "[2001:db8::1", "The IPv6 address is missing its closing bracket “]”" },
    { "ftp.exa$mple.com", "The server name may only contain letters, digits, dots and hyphens" },
    { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example",
      "A part of the server name is longer than 63 characters" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FerryAddress) address = ferry_address_parse (cases[i].text, &error);

      g_assert_null (address);
      g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_port_parser (void)
{
  guint16 port = 0;

  g_assert_true (ferry_address_parse_port ("1", &port, NULL));
  g_assert_cmpuint (port, ==, 1);
  g_assert_true (ferry_address_parse_port ("990", &port, NULL));
  g_assert_cmpuint (port, ==, 990);
  g_assert_false (ferry_address_parse_port ("0", &port, NULL));
  g_assert_false (ferry_address_parse_port (" 21", &port, NULL));
  g_assert_false (ferry_address_parse_port ("21 ", &port, NULL));
  g_assert_false (ferry_address_parse_port ("+21", &port, NULL));
  g_assert_false (ferry_address_parse_port ("", &port, NULL));
  g_assert_cmpuint (port, ==, 990);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/address/accepted", test_accepted);
  g_test_add_func ("/address/refused", test_refused);
  g_test_add_func ("/address/password-never-echoed", test_password_never_echoed);
  g_test_add_func ("/address/messages", test_messages);
  g_test_add_func ("/address/port", test_port_parser);

  return g_test_run ();
}
