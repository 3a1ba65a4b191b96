/* test-webdav-multistatus.c: a WebDAV server's PROPFIND answer becomes
 * entries; hostile hrefs are refused and counted, never entries; the
 * reader's limits hold whatever arrives, in whatever chunks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-webdav-multistatus.h"

#define RESPONSE(href, props) \
  "<D:response><D:href>" href "</D:href><D:propstat><D:prop>" props "</D:prop>" \
  "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
#define FILE_PROPS(size) \
  "<D:resourcetype/><D:getcontentlength>" size "</D:getcontentlength>" \
  "<D:getlastmodified>Sun, 06 Dec 2026 10:55:08 GMT</D:getlastmodified>"
#define DIR_PROPS "<D:resourcetype><D:collection/></D:resourcetype>"

/* As Apache mod_dav answers, with a 404 propstat for a property it lacks. */
static const char apache[] =
  "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
  "<D:multistatus xmlns:D=\"DAV:\" xmlns:ns1=\"http://owncloud.org/ns\">"
  RESPONSE ("/dav/My%20Site/", DIR_PROPS)
  RESPONSE ("/dav/My%20Site/index.html", FILE_PROPS ("1234"))
  RESPONSE ("/dav/My%20Site/B%C3%BCcher/", DIR_PROPS)
  RESPONSE ("http://127.0.0.1:8080/dav/My%20Site/absolute.txt", FILE_PROPS ("7"))
  "<D:response><D:href>/dav/My%20Site/partial.bin</D:href>"
  "<D:propstat><D:prop>" FILE_PROPS ("99") "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>"
  "<D:propstat><D:prop><ns1:checksums/></D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>"
  "</D:response>"
  "</D:multistatus>\n";

static GPtrArray *
parse_in_chunks (const char  *text,
                 gsize        chunk,
                 const char  *folder,
                 GPtrArray  **refusals,
                 GError     **error)
{
  g_autoptr(FerryWebdavMultistatus) reader = ferry_webdav_multistatus_new (folder, "127.0.0.1:8080");
  gsize length = strlen (text);

  for (gsize at = 0; at < length; at += chunk)
    if (!ferry_webdav_multistatus_feed (reader, text + at, MIN (chunk, length - at), error))
      return NULL;
  return ferry_webdav_multistatus_finish (reader, refusals, error);
}

static FerryEntry *
find (GPtrArray  *entries,
      const char *name)
{
  for (guint i = 0; i < entries->len; i++)
    {
      FerryEntry *entry = g_ptr_array_index (entries, i);

      if (g_str_equal (entry->name, name))
        return entry;
    }
  return NULL;
}

static void
test_apache_answer (void)
{
  static const gsize chunks[] = { 1, 7, 4096, 1 << 20 };

  for (guint c = 0; c < G_N_ELEMENTS (chunks); c++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) refusals = NULL;
      g_autoptr(GPtrArray) entries = parse_in_chunks (apache, chunks[c], "/dav/My Site", &refusals, &error);
      FerryEntry *entry;

      g_assert_no_error (error);
      g_assert_null (refusals);
      /* The folder itself is not one of its entries. */
      g_assert_cmpuint (entries->len, ==, 4);
      entry = find (entries, "index.html");
      g_assert_nonnull (entry);
      g_assert_cmpint (entry->type, ==, FERRY_ENTRY_FILE);
      g_assert_true (entry->size_known);
      g_assert_cmpuint (entry->size, ==, 1234);
      g_assert_cmpint (entry->precision, ==, FERRY_TIME_SECONDS);
      g_assert_cmpint (entry->mtime, ==, 1796554508);
      entry = find (entries, "Bücher");
      g_assert_nonnull (entry);
      g_assert_cmpint (entry->type, ==, FERRY_ENTRY_DIRECTORY);
      g_assert_nonnull (find (entries, "absolute.txt"));
      /* A 404 propstat beside a 200 one leaves the 200's properties. */
      entry = find (entries, "partial.bin");
      g_assert_nonnull (entry);
      g_assert_cmpuint (entry->size, ==, 99);
    }
}

/* Any prefix, or none, names DAV: by its namespace. */
static void
test_namespaces (void)
{
  static const char text[] =
    "<multistatus xmlns=\"DAV:\"><response><href>/a/f.txt</href><propstat><prop>"
    "<getcontentlength>5</getcontentlength><resourcetype/></prop><status>HTTP/1.1 200 OK</status>"
    "</propstat></response>"
    /* Not DAV's: a "response" in another namespace is no entry. */
    "<x:response xmlns:x=\"urn:other\"><href>/a/g.txt</href></x:response></multistatus>";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = parse_in_chunks (text, 3, "/a/", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((FerryEntry *) entries->pdata[0])->name, ==, "f.txt");
}

static void
test_hostile_hrefs_refused (void)
{
  static const char text[] =
    "<D:multistatus xmlns:D=\"DAV:\">"
    RESPONSE ("/site/", DIR_PROPS)
    RESPONSE ("/site/good.txt", FILE_PROPS ("3"))
    RESPONSE ("/site/../../etc/passwd", FILE_PROPS ("3"))
    RESPONSE ("/site/%2E%2E/escape.txt", FILE_PROPS ("3"))
    RESPONSE ("/site/a%2Fb.txt", FILE_PROPS ("3"))
    RESPONSE ("/site/a%5Cb.txt", FILE_PROPS ("3"))
    RESPONSE ("http://evil.example/site/x.txt", FILE_PROPS ("3"))
    RESPONSE ("http://127.0.0.1:8443/site/wrong-port.txt", FILE_PROPS ("3"))
    RESPONSE ("/other/y.txt", FILE_PROPS ("3"))
    RESPONSE ("/site/sub/deeper.txt", FILE_PROPS ("3"))
    RESPONSE ("/site/bad%00nul.txt", FILE_PROPS ("3"))
    RESPONSE ("/site/esc%1B%5B31m.txt", FILE_PROPS ("3"))
    RESPONSE ("relative.txt", FILE_PROPS ("3"))
    RESPONSE ("", FILE_PROPS ("3"))
    "</D:multistatus>";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) refusals = NULL;
  g_autoptr(GPtrArray) entries = parse_in_chunks (text, 5, "/site/", &refusals, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((FerryEntry *) entries->pdata[0])->name, ==, "good.txt");
  g_assert_nonnull (refusals);
  g_assert_cmpuint (refusals->len, ==, 12);
  for (guint i = 0; i < refusals->len; i++)
    {
      const char *line = refusals->pdata[i];

      g_test_message ("refused: %s", line);
      /* Shown safely: no control byte reaches a log line. */
      for (const char *p = line; *p != '\0'; p++)
        g_assert_cmpint ((guchar) *p, >=, 0x20);
    }
}

static void
assert_refused_whole (const char *text,
                      const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = parse_in_chunks (text, 4096, "/site/", NULL, &error);

  g_assert_null (entries);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, words));
}

static void
test_limits (void)
{
  g_autoptr(GString) long_href = g_string_new ("<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/site/");
  g_autoptr(GString) deep = g_string_new ("<D:multistatus xmlns:D=\"DAV:\">");

  for (guint i = 0; i < FERRY_WEBDAV_MAX_TEXT; i++)
    g_string_append_c (long_href, 'a');
  g_string_append (long_href, "</D:href></D:response></D:multistatus>");
  assert_refused_whole (long_href->str, "longer than");

  for (guint i = 0; i < FERRY_WEBDAV_MAX_DEPTH + 2; i++)
    g_string_append (deep, "<D:prop>");
  assert_refused_whole (deep->str, "levels");

  /* No DTD, so no entity to expand (the billion laughs). */
  assert_refused_whole ("<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY a \"aaaa\">]>"
                        "<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>&a;</D:href></D:response>"
                        "</D:multistatus>", "DTD");
  assert_refused_whole ("<html><body>Welcome</body></html>", "WebDAV folder listing");
  assert_refused_whole ("<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/site/a", "cut off");
  assert_refused_whole ("<D:multistatus xmlns:D=\"DAV:\"><D:response></D:multistatus>", "XML");
}

/* Nextcloud's stored checksums, by entry name ("" for the one asked about). */
static void
test_checksums (void)
{
  static const char text[] =
    "<d:multistatus xmlns:d=\"DAV:\" xmlns:oc=\"http://owncloud.org/ns\">"
    "<d:response><d:href>/site/f.txt</d:href><d:propstat><d:prop><d:getcontentlength>3</d:getcontentlength>"
    "<oc:checksums><oc:checksum>SHA1:a9993e364706816aba3e25717850c26c9cd0d89d MD5:900150983cd24fb0d6963f7d28e17f72"
    "</oc:checksum></oc:checksums></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
    "<d:response><d:href>/site/g.txt</d:href><d:propstat><d:prop><d:getcontentlength>3</d:getcontentlength>"
    "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>";
  g_autoptr(FerryWebdavMultistatus) reader = ferry_webdav_multistatus_new ("/site/", NULL);
  g_autoptr(FerryWebdavMultistatus) one = ferry_webdav_multistatus_new ("/site/f.txt", NULL);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (ferry_webdav_multistatus_feed (reader, text, strlen (text), &error));
  entries = ferry_webdav_multistatus_finish (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_nonnull (strstr (ferry_webdav_multistatus_get_checksums (reader, "f.txt"),
                            "SHA1:a9993e364706816aba3e25717850c26c9cd0d89d"));
  g_assert_null (ferry_webdav_multistatus_get_checksums (reader, "g.txt"));

  /* Depth 0 on the file: it is the one asked about. */
  g_clear_pointer (&entries, g_ptr_array_unref);
  g_assert_true (ferry_webdav_multistatus_feed (one, text, strlen (text), &error));
  entries = ferry_webdav_multistatus_finish (one, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ferry_webdav_multistatus_get_self (one));
  g_assert_nonnull (strstr (ferry_webdav_multistatus_get_checksums (one, ""), "MD5:9001"));
}

static void
test_http_dates (void)
{
  gint64 seconds = 0;

  g_assert_true (ferry_webdav_parse_http_date ("Sun, 06 Nov 1994 08:49:37 GMT", &seconds));
  g_assert_cmpint (seconds, ==, 784111777);
  g_assert_true (ferry_webdav_parse_http_date ("2024-01-02T03:04:05Z", &seconds));
  g_assert_cmpint (seconds, ==, 1704164645);
  g_assert_false (ferry_webdav_parse_http_date ("yesterday", &seconds));
  g_assert_false (ferry_webdav_parse_http_date ("Sun, 06 Foo 1994 08:49:37 GMT", &seconds));
  g_assert_false (ferry_webdav_parse_http_date ("Sun, 36 Nov 1994 08:49:37 GMT", &seconds));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/webdav-multistatus/apache", test_apache_answer);
  g_test_add_func ("/webdav-multistatus/namespaces", test_namespaces);
  g_test_add_func ("/webdav-multistatus/hostile-hrefs", test_hostile_hrefs_refused);
  g_test_add_func ("/webdav-multistatus/limits", test_limits);
  g_test_add_func ("/webdav-multistatus/http-dates", test_http_dates);
  g_test_add_func ("/webdav-multistatus/checksums", test_checksums);

  return g_test_run ();
}
