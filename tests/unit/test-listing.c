/* test-listing.c: listings as real servers send them — vsftpd, ProFTPD,
 * Pure-FTPd, IIS, FileZilla Server, OpenSSH via libcurl — become the right
 * entries, with sizes, times and their precision.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ferry-listing.h"

static GDateTime *
now_utc (void)
{
  /* A fixed "now" makes year inference testable: 15 Jan 2026, 10:00 UTC. */
  return g_date_time_new_utc (2026, 1, 15, 10, 0, 0);
}

static gint64
utc (int y, int mo, int d, int h, int mi, int s)
{
  g_autoptr(GDateTime) t = g_date_time_new_utc (y, mo, d, h, mi, s);

  return g_date_time_to_unix (t);
}

static FerryEntry *
one (FerryListingFormat format,
     const char        *line)
{
  g_autoptr(GDateTime) now = now_utc ();

  return ferry_listing_parse_line (format, line, strlen (line), now);
}

static void
test_unix_vsftpd (void)
{
  g_autoptr(FerryEntry) file = one (FERRY_LISTING_UNIX, "-rw-r--r--    1 1001     1001         4096 Mar 01 12:34 index.html");
  g_autoptr(FerryEntry) dir = one (FERRY_LISTING_UNIX, "drwxr-xr-x    2 1001     1001         4096 Dec 24  2023 images");

  g_assert_cmpstr (file->name, ==, "index.html");
  g_assert_cmpint (file->type, ==, FERRY_ENTRY_FILE);
  g_assert_cmpuint (file->size, ==, 4096);
  g_assert_true (file->size_known);
  /* 1 March with no year, seen in January 2026: last year's. */
  g_assert_cmpint (file->mtime, ==, utc (2025, 3, 1, 12, 34, 0));
  g_assert_cmpint (file->precision, ==, FERRY_TIME_MINUTES);

  g_assert_cmpstr (dir->name, ==, "images");
  g_assert_cmpint (dir->type, ==, FERRY_ENTRY_DIRECTORY);
  g_assert_cmpint (dir->mtime, ==, utc (2023, 12, 24, 0, 0, 0));
  g_assert_cmpint (dir->precision, ==, FERRY_TIME_DAYS);
}

static void
test_unix_year_boundary (void)
{
  /* A December time-form line seen in January is last December's; a
   * January one is this year's. */
  g_autoptr(FerryEntry) december = one (FERRY_LISTING_UNIX, "-rw-r--r-- 1 u g 1 Dec 31 23:59 a");
  g_autoptr(FerryEntry) january = one (FERRY_LISTING_UNIX, "-rw-r--r-- 1 u g 1 Jan 15 09:00 b");
  g_autoptr(FerryEntry) tomorrow = one (FERRY_LISTING_UNIX, "-rw-r--r-- 1 u g 1 Jan 16 09:00 c");
  g_autoptr(FerryEntry) leap = one (FERRY_LISTING_UNIX, "-rw-r--r-- 1 u g 1 Feb 29  2024 d");

  g_assert_cmpint (december->mtime, ==, utc (2025, 12, 31, 23, 59, 0));
  g_assert_cmpint (january->mtime, ==, utc (2026, 1, 15, 9, 0, 0));
  /* Within a day ahead is clock skew, still this year. */
  g_assert_cmpint (tomorrow->mtime, ==, utc (2026, 1, 16, 9, 0, 0));
  g_assert_cmpint (leap->mtime, ==, utc (2024, 2, 29, 0, 0, 0));
}

static void
test_unix_variants (void)
{
  g_autoptr(FerryEntry) no_group = one (FERRY_LISTING_UNIX, "-rw-r--r-- 1 owner 12345 Jun  3 08:00 report.pdf");
  g_autoptr(FerryEntry) spaces = one (FERRY_LISTING_UNIX, "-rw-r--r-- 1 u g 10 Jun  3 08:00 my holiday  photos.jpg");
  g_autoptr(FerryEntry) leading = one (FERRY_LISTING_UNIX, "-rw-r--r-- 1 u g 10 Jun  3 08:00  leading space");
  g_autoptr(FerryEntry) link = one (FERRY_LISTING_UNIX, "lrwxrwxrwx 1 u g 11 Jun  3 08:00 current -> releases/42");
  g_autoptr(FerryEntry) acl = one (FERRY_LISTING_UNIX, "-rw-r--r--+ 1 u g 7 Jun  3 08:00 acl.txt");
  g_autoptr(FerryEntry) device = one (FERRY_LISTING_UNIX, "crw-rw-rw- 1 root root 1, 3 Jun  3 08:00 null");
  g_autoptr(FerryEntry) utf8 = one (FERRY_LISTING_UNIX, "-rw-r--r-- 1 u g 5 Jun  3 08:00 Ünïcødé ✓.txt");
  g_autoptr(FerryEntry) big = one (FERRY_LISTING_UNIX, "-rw-r--r-- 1 u g 53687091200 Jun  3 08:00 disk.img");
  g_autoptr(FerryEntry) dot = one (FERRY_LISTING_UNIX, "drwxr-xr-x 2 u g 4096 Jun  3 08:00 .");
  g_autoptr(FerryEntry) dotdot = one (FERRY_LISTING_UNIX, "drwxr-xr-x 2 u g 4096 Jun  3 08:00 ..");
  g_autoptr(FerryEntry) hostile = one (FERRY_LISTING_UNIX, "-rw-r--r-- 1 u g 4 Jun  3 08:00 ..");

  g_assert_cmpstr (no_group->name, ==, "report.pdf");
  g_assert_cmpuint (no_group->size, ==, 12345);
  g_assert_cmpstr (spaces->name, ==, "my holiday  photos.jpg");
  g_assert_cmpstr (leading->name, ==, " leading space");
  g_assert_cmpint (link->type, ==, FERRY_ENTRY_SYMLINK);
  g_assert_cmpstr (link->name, ==, "current");
  g_assert_cmpstr (link->link_target, ==, "releases/42");
  g_assert_cmpstr (acl->name, ==, "acl.txt");
  g_assert_cmpint (device->type, ==, FERRY_ENTRY_OTHER);
  g_assert_cmpstr (utf8->name, ==, "Ünïcødé ✓.txt");
  g_assert_cmpuint (big->size, ==, G_GUINT64_CONSTANT (53687091200));
  g_assert_null (dot);
  g_assert_null (dotdot);
  /* A *file* called ".." is hostile and must reach the name check. */
  g_assert_nonnull (hostile);
  g_assert_cmpstr (hostile->name, ==, "..");
}

static void
test_mlsd (void)
{
  g_autoptr(FerryEntry) file = one (FERRY_LISTING_MLSD, "type=file;size=1830;modify=20240301123456;UNIX.mode=0644; index.html");
  g_autoptr(FerryEntry) frac = one (FERRY_LISTING_MLSD, "Type=file;Size=1;Modify=20240301123456.789; a b;c.txt");
  g_autoptr(FerryEntry) dir = one (FERRY_LISTING_MLSD, "type=dir;modify=20240101000000; assets");
  g_autoptr(FerryEntry) cdir = one (FERRY_LISTING_MLSD, "type=cdir;modify=20240101000000; .");
  g_autoptr(FerryEntry) pdir = one (FERRY_LISTING_MLSD, "type=pdir;modify=20240101000000; ..");
  g_autoptr(FerryEntry) link = one (FERRY_LISTING_MLSD, "type=OS.unix=slink:/srv/real;modify=20240101000000; alias");

  g_assert_cmpstr (file->name, ==, "index.html");
  g_assert_cmpuint (file->size, ==, 1830);
  g_assert_cmpint (file->mtime, ==, utc (2024, 3, 1, 12, 34, 56));
  g_assert_cmpint (file->precision, ==, FERRY_TIME_SECONDS);
  g_assert_cmpstr (frac->name, ==, "a b;c.txt");
  g_assert_cmpint (frac->mtime, ==, utc (2024, 3, 1, 12, 34, 56));
  g_assert_cmpint (dir->type, ==, FERRY_ENTRY_DIRECTORY);
  g_assert_null (cdir);
  g_assert_null (pdir);
  g_assert_cmpint (link->type, ==, FERRY_ENTRY_SYMLINK);
  g_assert_cmpstr (link->link_target, ==, "/srv/real");
}

static void
test_dos (void)
{
  g_autoptr(FerryEntry) dir = one (FERRY_LISTING_DOS, "03-01-23  12:34PM       <DIR>          web root");
  g_autoptr(FerryEntry) file = one (FERRY_LISTING_DOS, "11-05-2024  01:05AM                 1234 default.aspx");
  g_autoptr(FerryEntry) h24 = one (FERRY_LISTING_DOS, "2024-11-05  13:05                 99 log.txt");

  g_assert_cmpint (dir->type, ==, FERRY_ENTRY_DIRECTORY);
  g_assert_cmpstr (dir->name, ==, "web root");
  g_assert_cmpint (dir->mtime, ==, utc (2023, 3, 1, 12, 34, 0));
  g_assert_cmpint (file->mtime, ==, utc (2024, 11, 5, 1, 5, 0));
  g_assert_cmpuint (file->size, ==, 1234);
  g_assert_cmpint (h24->mtime, ==, utc (2024, 11, 5, 13, 5, 0));
}

static void
test_whole_listing (void)
{
  const char *text =
    "total 12\r\n"
    "drwxr-xr-x    3 0        0            4096 Jan 01  2024 .\r\n"
    "drwxr-xr-x    3 0        0            4096 Jan 01  2024 ..\r\n"
    "-rw-r--r--    1 0        0               0 Jan 01  2024 empty\r\n"
    "garbage that is no entry\r\n"
    "\r\n"
    "type=file;size=3;modify=20240101000000; mixed\n"
    "03-01-23  12:34PM       <DIR>          dos dir";
  g_autoptr(GDateTime) now = now_utc ();
  guint skipped = 99;
  g_autoptr(GPtrArray) entries = ferry_listing_parse (FERRY_LISTING_AUTO, text, strlen (text), now, &skipped);

  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpstr (((FerryEntry *) entries->pdata[0])->name, ==, "empty");
  g_assert_cmpuint (((FerryEntry *) entries->pdata[0])->size, ==, 0);
  g_assert_cmpstr (((FerryEntry *) entries->pdata[1])->name, ==, "mixed");
  g_assert_cmpstr (((FerryEntry *) entries->pdata[2])->name, ==, "dos dir");
  g_assert_cmpuint (skipped, ==, 1);
}

static void
test_garbage_never_crashes (void)
{
  const char *lines[] = {
    "", " ", "-", "d", "-rw-r--r--", "-rw-r--r-- 1", "-rw-r--r-- 1 u g x Jan 1 00:00 ",
    "-rw-r--r-- 1 u g 1 Foo 1 00:00 x", "-rw-r--r-- 1 u g 1 Jan 99 00:00 x",
    "-rw-r--r-- 1 u g 1 Jan 1 99:99 x", "type=", "=;", "type=file", ";;; ",
    "99-99-99  99:99PM  <DIR> x", "01-01-01  1:00PM 5 x", "-rw-r--r-- 1 u g 99999999999999999999999 Jan 1 00:00 x",
  };
  g_autoptr(GDateTime) now = now_utc ();

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      FerryEntry *entry = ferry_listing_parse_line (FERRY_LISTING_AUTO, lines[i], strlen (lines[i]), now);

      if (entry != NULL)
        g_assert_nonnull (entry->name);
      ferry_entry_free (entry);
    }
}

static void
test_time_replies (void)
{
  gint64 t = 0;

  g_assert_true (ferry_listing_parse_time ("213 20240102030405", &t));
  g_assert_cmpint (t, ==, utc (2024, 1, 2, 3, 4, 5));
  g_assert_true (ferry_listing_parse_time ("20240102030405.123", &t));
  g_assert_false (ferry_listing_parse_time ("213 2024010203040", &t));
  g_assert_false (ferry_listing_parse_time ("550 No such file", &t));
  g_assert_false (ferry_listing_parse_time ("20241302030405", &t));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/listing/unix/vsftpd", test_unix_vsftpd);
  g_test_add_func ("/listing/unix/year-boundary", test_unix_year_boundary);
  g_test_add_func ("/listing/unix/variants", test_unix_variants);
  g_test_add_func ("/listing/mlsd", test_mlsd);
  g_test_add_func ("/listing/dos", test_dos);
  g_test_add_func ("/listing/whole", test_whole_listing);
  g_test_add_func ("/listing/garbage", test_garbage_never_crashes);
  g_test_add_func ("/listing/time-replies", test_time_replies);

  return g_test_run ();
}
