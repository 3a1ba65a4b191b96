/* test-listing.c: listings as real servers send them — vsftpd, ProFTPD,
 * Pure-FTPd, IIS, FileZilla Server, OpenSSH via libcurl — become the right
 * entries, with sizes, times and their precision.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ferry-listing.h"
#include "ferry-listing-private.h"

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

  return _ferry_listing_parse_line (format, line, strlen (line), now);
}

static void
test_unix_vsftpd (void)
{
  g_autoptr(FerryEntry) file = one (FERRY_LISTING_UNIX, "-rw-r--r--    1 1001     1001         4096 Nov 01 12:34 index.html");
  g_autoptr(FerryEntry) dir = one (FERRY_LISTING_UNIX, "drwxr-xr-x    2 1001     1001         4096 Dec 24  2023 images");

  g_assert_cmpstr (file->name, ==, "index.html");
  g_assert_cmpint (file->type, ==, FERRY_ENTRY_FILE);
  g_assert_cmpuint (file->size, ==, 4096);
  g_assert_true (file->size_known);
  /* 1 November with no year, seen in January 2026: last year's. */
  g_assert_cmpint (file->mtime, ==, utc (2025, 11, 1, 12, 34, 0));
  g_assert_cmpint (file->precision, ==, FERRY_TIME_MINUTES);

  g_assert_cmpstr (dir->name, ==, "images");
  g_assert_cmpint (dir->type, ==, FERRY_ENTRY_DIRECTORY);
  g_assert_cmpint (dir->mtime, ==, utc (2023, 12, 24, 0, 0, 0));
  g_assert_cmpint (dir->precision, ==, FERRY_TIME_DAYS);
}

static FerryEntry *
one_at (const char *line,
        GDateTime  *now)
{
  return _ferry_listing_parse_line (FERRY_LISTING_UNIX, line, strlen (line), now);
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
  /* Up to about six months ahead is this year (clock skew, servers that show
   * times for the whole calendar year); further ahead is last year. */
  g_autoptr(FerryEntry) march = one (FERRY_LISTING_UNIX, "-rw-r--r-- 1 u g 1 Mar  1 08:00 e");
  g_autoptr(FerryEntry) august = one (FERRY_LISTING_UNIX, "-rw-r--r-- 1 u g 1 Aug  1 08:00 f");

  g_assert_cmpint (december->mtime, ==, utc (2025, 12, 31, 23, 59, 0));
  g_assert_cmpint (january->mtime, ==, utc (2026, 1, 15, 9, 0, 0));
  g_assert_cmpint (tomorrow->mtime, ==, utc (2026, 1, 16, 9, 0, 0));
  g_assert_cmpint (leap->mtime, ==, utc (2024, 2, 29, 0, 0, 0));
  g_assert_cmpint (leap->precision, ==, FERRY_TIME_DAYS);
  g_assert_cmpint (march->mtime, ==, utc (2026, 3, 1, 8, 0, 0));
  g_assert_cmpint (august->mtime, ==, utc (2025, 8, 1, 8, 0, 0));
}

static void
test_unix_feb_29 (void)
{
  g_autoptr(GDateTime) summer_2024 = g_date_time_new_utc (2024, 8, 1, 12, 0, 0);
  g_autoptr(GDateTime) january_2025 = g_date_time_new_utc (2025, 1, 10, 12, 0, 0);
  g_autoptr(GDateTime) june_2026 = g_date_time_new_utc (2026, 6, 1, 12, 0, 0);
  const char *line = "-rw-r--r-- 1 u g 1 Feb 29 10:00 leap.txt";
  g_autoptr(FerryEntry) a = one_at (line, summer_2024);
  g_autoptr(FerryEntry) b = one_at (line, january_2025);
  g_autoptr(FerryEntry) c = one_at (line, june_2026);
  g_autoptr(FerryEntry) impossible = one (FERRY_LISTING_UNIX, "-rw-r--r-- 1 u g 1 Feb 29  2023 no-such-day");

  g_assert_cmpint (a->mtime, ==, utc (2024, 2, 29, 10, 0, 0));
  g_assert_cmpint (a->precision, ==, FERRY_TIME_MINUTES);
  /* Seen in January 2025, a Feb 29 can only be last year's. */
  g_assert_cmpint (b->mtime, ==, utc (2024, 2, 29, 10, 0, 0));
  /* Neither 2026 nor 2025 has one: the entry stays, its time is unknown. */
  g_assert_cmpstr (c->name, ==, "leap.txt");
  g_assert_cmpint (c->precision, ==, FERRY_TIME_UNKNOWN);
  g_assert_cmpstr (impossible->name, ==, "no-such-day");
  g_assert_cmpint (impossible->precision, ==, FERRY_TIME_UNKNOWN);
}

static void
test_unix_servers (void)
{
  /* ProFTPD: names of owner and group, a trailing-space name. */
  g_autoptr(FerryEntry) proftpd = one (FERRY_LISTING_UNIX, "-rw-r--r--   1 www-data www-data   123456 Oct 12 17:03 backup 2025.tar.gz ");
  /* Pure-FTPd: links column wide, numeric ids. */
  g_autoptr(FerryEntry) pure = one (FERRY_LISTING_UNIX, "drwxr-xr-x    4 1000       1000             4096 Sep 30  2024 public_html");
  /* FileZilla Server: "ftp ftp" for every file. */
  g_autoptr(FerryEntry) filezilla = one (FERRY_LISTING_UNIX, "-rw-r--r-- 1 ftp ftp        1048576 Dec 02 08:15 setup.exe");
  /* A macOS-style extended attribute marker and sticky bits. */
  g_autoptr(FerryEntry) xattr = one (FERRY_LISTING_UNIX, "-rw-r--r--@ 1 anna  staff  42 Nov  3  2023 Notes.rtf");
  g_autoptr(FerryEntry) selinux = one (FERRY_LISTING_UNIX, "drwxrwxrwt. 9 root root 260 Jan 14 21:00 tmp");
  g_autoptr(FerryEntry) setuid = one (FERRY_LISTING_UNIX, "-rwsr-sr-x 1 root root 72 Jan 14 21:00 su");
  g_autoptr(FerryEntry) socket = one (FERRY_LISTING_UNIX, "srwxrwxrwx 1 root root 0 Jan 14 21:00 control");
  g_autoptr(FerryEntry) link_dir = one (FERRY_LISTING_UNIX, "lrwxrwxrwx 1 u g 9 Jan 14 21:00 a -> b -> c");

  g_assert_cmpstr (proftpd->name, ==, "backup 2025.tar.gz ");
  g_assert_cmpuint (proftpd->size, ==, 123456);
  g_assert_cmpint (proftpd->mtime, ==, utc (2025, 10, 12, 17, 3, 0));
  g_assert_cmpint (pure->type, ==, FERRY_ENTRY_DIRECTORY);
  g_assert_false (pure->size_known);
  g_assert_cmpstr (pure->name, ==, "public_html");
  g_assert_cmpuint (filezilla->size, ==, 1048576);
  g_assert_cmpint (filezilla->mtime, ==, utc (2025, 12, 2, 8, 15, 0));
  g_assert_cmpstr (xattr->name, ==, "Notes.rtf");
  g_assert_cmpint (selinux->type, ==, FERRY_ENTRY_DIRECTORY);
  g_assert_cmpint (setuid->type, ==, FERRY_ENTRY_FILE);
  g_assert_cmpint (socket->type, ==, FERRY_ENTRY_OTHER);
  /* The first " -> " splits name and target. */
  g_assert_cmpstr (link_dir->name, ==, "a");
  g_assert_cmpstr (link_dir->link_target, ==, "b -> c");
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
  g_autoptr(FerryEntry) symlink = one (FERRY_LISTING_MLSD, "type=OS.unix=symlink;size=4; plain link");
  g_autoptr(FerryEntry) device = one (FERRY_LISTING_MLSD, "type=OS.unix=chr-1/3;modify=20240101000000; null");
  g_autoptr(FerryEntry) utf8 = one (FERRY_LISTING_MLSD, "modify=20231224180000;perm=adfrw;size=7;type=file;unique=801U2;UNIX.group=33;UNIX.mode=0644;UNIX.owner=33; Grüße; 日本.txt");
  g_autoptr(FerryEntry) no_type = one (FERRY_LISTING_MLSD, "size=5;modify=20240101000000; untyped");
  g_autoptr(FerryEntry) bad_time = one (FERRY_LISTING_MLSD, "type=file;modify=20241340000000;size=x; odd");
  /* Found by fuzzing: a repeated type= fact must not leave a link target on
   * what ends up a device. */
  g_autoptr(FerryEntry) retyped = one (FERRY_LISTING_MLSD, "type=OS.unix=slink:/srv/real;type=OS.unix=chr-1/3; null");

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
  g_assert_cmpint (symlink->type, ==, FERRY_ENTRY_SYMLINK);
  g_assert_cmpstr (symlink->name, ==, "plain link");
  g_assert_null (symlink->link_target);
  g_assert_cmpint (device->type, ==, FERRY_ENTRY_OTHER);
  g_assert_cmpstr (utf8->name, ==, "Grüße; 日本.txt");
  g_assert_cmpuint (utf8->size, ==, 7);
  g_assert_cmpint (utf8->mtime, ==, utc (2023, 12, 24, 18, 0, 0));
  /* No type fact (RFC 3659 makes none mandatory): named, of unknown kind. */
  g_assert_cmpstr (no_type->name, ==, "untyped");
  g_assert_cmpint (no_type->type, ==, FERRY_ENTRY_OTHER);
  g_assert_cmpstr (bad_time->name, ==, "odd");
  g_assert_cmpint (bad_time->precision, ==, FERRY_TIME_UNKNOWN);
  g_assert_false (bad_time->size_known);
  g_assert_cmpint (retyped->type, ==, FERRY_ENTRY_OTHER);
  g_assert_null (retyped->link_target);
}

static void
test_mlst (void)
{
  g_autoptr(FerryEntry) file = _ferry_listing_parse_mlst_line (" type=file;size=5;modify=20240102030405; /pub/a b.txt\r\n", 53);
  g_autoptr(FerryEntry) here = _ferry_listing_parse_mlst_line ("type=cdir;modify=20240102030405; /pub", 37);

  g_assert_nonnull (file);
  g_assert_cmpstr (file->name, ==, "/pub/a b.txt");
  g_assert_cmpuint (file->size, ==, 5);
  g_assert_cmpint (file->precision, ==, FERRY_TIME_SECONDS);
  g_assert_cmpint (here->type, ==, FERRY_ENTRY_DIRECTORY);
  g_assert_null (_ferry_listing_parse_mlst_line ("250 End", 7));

  /* pyftpdlib's MLST and MDTM replies, as captured. */
  {
    const char *line = " modify=20261125015035;perm=r;size=5;type=file;unique=fe00g7; /plain.txt";
    g_autoptr(FerryEntry) real = _ferry_listing_parse_mlst_line (line, strlen (line));
    gint64 t = 0;

    g_assert_cmpstr (real->name, ==, "/plain.txt");
    g_assert_cmpint (real->mtime, ==, utc (2026, 11, 25, 1, 50, 35));
    g_assert_true (ferry_listing_parse_mdtm ("213 20200229120000", &t));
    g_assert_cmpint (t, ==, utc (2020, 2, 29, 12, 0, 0));
  }
  g_assert_null (_ferry_listing_parse_mlst_line ("", 0));
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
  g_assert_cmpint (h24->precision, ==, FERRY_TIME_MINUTES);
}

static void
test_dos_iis (void)
{
  const char *text =
    "01-15-26  09:12AM       <DIR>          aspnet_client\r\n"
    "12-31-99  11:59PM                  512 y2k.txt\r\n"
    "02-29-24  12:00AM                    0 leap midnight.log\r\n"
    "02-29-23  12:00AM                    0 impossible.log\r\n"
    "13-01-24  01:00PM                    1 bad month\r\n"
    "01-01-24  13:00PM                    1 bad hour\r\n"
    "01-01-24  01:00XM                    1 bad suffix\r\n";
  g_autoptr(GDateTime) now = now_utc ();
  guint skipped = 0;
  g_autoptr(GPtrArray) entries = ferry_listing_parse (FERRY_LISTING_DOS, text, strlen (text), now, &skipped);
  FerryEntry *e;

  g_assert_cmpuint (entries->len, ==, 5);
  g_assert_cmpuint (skipped, ==, 2);
  e = entries->pdata[0];
  g_assert_cmpint (e->type, ==, FERRY_ENTRY_DIRECTORY);
  g_assert_cmpint (e->mtime, ==, utc (2026, 1, 15, 9, 12, 0));
  e = entries->pdata[1];
  g_assert_cmpint (e->mtime, ==, utc (1999, 12, 31, 23, 59, 0));
  g_assert_cmpuint (e->size, ==, 512);
  e = entries->pdata[2];
  g_assert_cmpstr (e->name, ==, "leap midnight.log");
  g_assert_cmpint (e->mtime, ==, utc (2024, 2, 29, 0, 0, 0));
  /* A date that does not exist keeps the entry without a time. */
  e = entries->pdata[3];
  g_assert_cmpint (e->precision, ==, FERRY_TIME_UNKNOWN);
  /* No month 13: a server that writes the day first (a localized Windows)
   * is the only reading left. */
  e = entries->pdata[4];
  g_assert_cmpstr (e->name, ==, "bad month");
  g_assert_cmpint (e->mtime, ==, utc (2024, 1, 13, 13, 0, 0));
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
test_line_endings_and_empty (void)
{
  const char *lf = "-rw-r--r-- 1 u g 1 Jan 01  2024 a\n-rw-r--r-- 1 u g 2 Jan 01  2024 b\n";
  const char *crlf = "-rw-r--r-- 1 u g 1 Jan 01  2024 a\r\n-rw-r--r-- 1 u g 2 Jan 01  2024 b\r\n";
  static const char nul[] = "-rw-r--r-- 1 u g 1 Jan 01  2024 good\n-rw-r--r-- 1 u g 2 Jan 01  2024 ..\0/x\n";
  g_autoptr(GDateTime) now = now_utc ();
  guint skipped = 99;
  g_autoptr(GPtrArray) a = ferry_listing_parse (FERRY_LISTING_AUTO, lf, strlen (lf), now, NULL);
  g_autoptr(GPtrArray) b = ferry_listing_parse (FERRY_LISTING_AUTO, crlf, strlen (crlf), now, NULL);
  g_autoptr(GPtrArray) empty = ferry_listing_parse (FERRY_LISTING_AUTO, "", 0, now, &skipped);
  g_autoptr(GPtrArray) with_nul = NULL;

  g_assert_cmpuint (a->len, ==, 2);
  g_assert_cmpuint (b->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      FerryEntry *x = a->pdata[i], *y = b->pdata[i];

      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpuint (x->size, ==, y->size);
      g_assert_cmpint (x->mtime, ==, y->mtime);
    }
  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_cmpuint (skipped, ==, 0);

  /* A name with a NUL cannot be carried faithfully: the line is skipped, not
   * shortened into another name. */
  with_nul = ferry_listing_parse (FERRY_LISTING_AUTO, nul, sizeof nul - 1, now, &skipped);
  g_assert_cmpuint (with_nul->len, ==, 1);
  g_assert_cmpstr (((FerryEntry *) with_nul->pdata[0])->name, ==, "good");
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
      FerryEntry *entry = _ferry_listing_parse_line (FERRY_LISTING_AUTO, lines[i], strlen (lines[i]), now);

      if (entry != NULL)
        g_assert_nonnull (entry->name);
      ferry_entry_free (entry);
    }
}

static void
test_time_replies (void)
{
  gint64 t = 0;

  g_assert_true (ferry_listing_parse_mdtm ("213 20240102030405", &t));
  g_assert_cmpint (t, ==, utc (2024, 1, 2, 3, 4, 5));
  g_assert_true (ferry_listing_parse_mdtm ("213 20240102030405\r\n", &t));
  g_assert_true (ferry_listing_parse_mdtm ("20240102030405.123", &t));
  g_assert_cmpint (t, ==, utc (2024, 1, 2, 3, 4, 5));
  g_assert_true (ferry_listing_parse_mdtm ("213 20161231235960", &t));
  g_assert_cmpint (t, ==, utc (2016, 12, 31, 23, 59, 59));
  /* Old servers' Y2K bug: "19" followed by years since 1900. */
  g_assert_true (ferry_listing_parse_mdtm ("213 191240102030405", &t));
  g_assert_cmpint (t, ==, utc (2024, 1, 2, 3, 4, 5));
  g_assert_false (ferry_listing_parse_mdtm ("213 2024010203040", &t));
  g_assert_false (ferry_listing_parse_mdtm ("550 No such file", &t));
  g_assert_false (ferry_listing_parse_mdtm ("20241302030405", &t));
  g_assert_false (ferry_listing_parse_mdtm ("20230229000000", &t));
  g_assert_false (ferry_listing_parse_mdtm ("20240102030405x", &t));
  g_assert_false (ferry_listing_parse_mdtm ("", &t));
}

/* Captured from real servers on this machine (2026-11-25 01:50:35 UTC) over
 * one folder of awkward names: vsftpd 3.0.3 LIST, OpenSSH's sftp-server
 * through libcurl, pyftpdlib LIST and MLSD. Only the throwaway user's name
 * was shortened. pyftpdlib shows the future file in time form; MLSD follows
 * the symlink. */
static const char vsftpd_list[] =
  "-rw-r--r--    1 1002     1002            1 Nov 25 01:50  leading\r\n"
  "-rw-r--r--    1 1002     1002            3 Nov 25 01:50 Grüße 日本.txt\r\n"
  "-rw-r--r--    1 1002     1002            4 Nov 25 01:50 a;b=c.txt\r\n"
  "-rw-r--r--    1 1002     1002            1 Nov 25 01:50 arrow -> not a link\r\n"
  "-rw-r--r--    1 0        0        5368709120 Nov 25 01:50 big.img\r\n"
  "-rw-r--r--    1 1002     1002            1 Dec 25  2026 future.txt\r\n"
  "-rw-r--r--    1 1002     1002            1 Feb 29  2020 leap.txt\r\n"
  "lrwxrwxrwx    1 0        0               9 Nov 25 01:50 link -> plain.txt\r\n"
  "-rw-r--r--    1 1002     1002            5 Nov 25 01:50 plain.txt\r\n"
  "-rw-r--r--    1 1002     1002            1 Oct 26 01:50 recent.txt\r\n"
  "drwxr-xr-x    2 1002     1002         4096 Nov 25 01:50 sub dir\r\n"
  "-rw-r--r--    1 1002     1002            1 Nov 25 01:50 trailing \r\n"
  "-rw-r--r--    1 1002     1002            2 Nov 25 01:50 with space.txt\r\n";

static const char sftp_list[] =
  "drwxr-xr-x    2 ferry ferry     4096 Nov 25 01:50 sub dir\n"
  "drwxr-xr-x    3 ferry ferry     4096 Nov 25 01:50 .\n"
  "-rw-r--r--    1 root     root     5368709120 Nov 25 01:50 big.img\n"
  "-rw-r--r--    1 ferry ferry        1 Nov 25 01:50 arrow -> not a link\n"
  "-rw-r--r--    1 ferry ferry        1 Oct 26 01:50 recent.txt\n"
  "-rw-r--r--    1 ferry ferry        1 Nov 25 01:50 trailing \n"
  "lrwxrwxrwx    1 root     root            9 Nov 25 01:50 link -> plain.txt\n"
  "drwx--x--x   13 root     root         4096 Nov 25 01:50 ..\n"
  "-rw-r--r--    1 ferry ferry        1 Nov 25 01:50  leading\n"
  "-rw-r--r--    1 ferry ferry        4 Nov 25 01:50 a;b=c.txt\n"
  "-rw-r--r--    1 ferry ferry        2 Nov 25 01:50 with space.txt\n"
  "-rw-r--r--    1 ferry ferry        3 Nov 25 01:50 Grüße 日本.txt\n"
  "-rw-r--r--    1 ferry ferry        5 Nov 25 01:50 plain.txt\n"
  "-rw-r--r--    1 ferry ferry        1 Feb 29  2020 leap.txt\n"
  "-rw-r--r--    1 ferry ferry        1 Dec 25  2026 future.txt\n";

static const char pyftpdlib_list[] =
  "-rw-r--r--   1 ferry ferry        1 Nov 25 01:50  leading\r\n"
  "-rw-r--r--   1 ferry ferry        3 Nov 25 01:50 Grüße 日本.txt\r\n"
  "-rw-r--r--   1 ferry ferry        4 Nov 25 01:50 a;b=c.txt\r\n"
  "-rw-r--r--   1 ferry ferry        1 Nov 25 01:50 arrow -> not a link\r\n"
  "-rw-r--r--   1 root     root     5368709120 Nov 25 01:50 big.img\r\n"
  "-rw-r--r--   1 ferry ferry        1 Dec 25 01:50 future.txt\r\n"
  "-rw-r--r--   1 ferry ferry        1 Feb 29  2020 leap.txt\r\n"
  "lrwxrwxrwx   1 root     root            9 Nov 25 01:50 link -> plain.txt\r\n"
  "-rw-r--r--   1 ferry ferry        5 Nov 25 01:50 plain.txt\r\n"
  "-rw-r--r--   1 ferry ferry        1 Oct 26 01:50 recent.txt\r\n"
  "drwxr-xr-x   2 ferry ferry     4096 Nov 25 01:50 sub dir\r\n"
  "-rw-r--r--   1 ferry ferry        1 Nov 25 01:50 trailing \r\n"
  "-rw-r--r--   1 ferry ferry        2 Nov 25 01:50 with space.txt\r\n";

static const char pyftpdlib_mlsd[] =
  "modify=20261125015035;perm=el;size=4096;type=dir;unique=fe00gb1; sub dir\r\n"
  "modify=20261125015035;perm=r;size=5368709120;type=file;unique=fe00gb5; big.img\r\n"
  "modify=20261125015035;perm=r;size=1;type=file;unique=fe00gb0; arrow -> not a link\r\n"
  "modify=20261026015035;perm=r;size=1;type=file;unique=fe00gae; recent.txt\r\n"
  "modify=20261125015035;perm=r;size=1;type=file;unique=fe00gaa; trailing \r\n"
  "modify=20261125015035;perm=r;size=5;type=file;unique=fe00ga7; link\r\n"
  "modify=20261125015035;perm=r;size=1;type=file;unique=fe00ga9;  leading\r\n"
  "modify=20261125015035;perm=r;size=4;type=file;unique=fe00gac; a;b=c.txt\r\n"
  "modify=20261125015035;perm=r;size=2;type=file;unique=fe00ga8; with space.txt\r\n"
  "modify=20261125015035;perm=r;size=3;type=file;unique=fe00gab; Grüße 日本.txt\r\n"
  "modify=20261125015035;perm=r;size=5;type=file;unique=fe00ga7; plain.txt\r\n"
  "modify=20200229120000;perm=r;size=1;type=file;unique=fe00gad; leap.txt\r\n"
  "modify=20261225015035;perm=r;size=1;type=file;unique=fe00gaf; future.txt\r\n";

typedef struct
{
  const char     *name;
  FerryEntryType  type;
  guint64         size;     /* of files */
} Expected;

static void
check_real (const char           *text,
            gboolean              mlsd)
{
  const Expected expected[] = {
    { " leading", FERRY_ENTRY_FILE, 1 },
    { "Grüße 日本.txt", FERRY_ENTRY_FILE, 3 },
    { "a;b=c.txt", FERRY_ENTRY_FILE, 4 },
    { "arrow -> not a link", FERRY_ENTRY_FILE, 1 },
    { "big.img", FERRY_ENTRY_FILE, G_GUINT64_CONSTANT (5368709120) },
    { "future.txt", FERRY_ENTRY_FILE, 1 },
    { "leap.txt", FERRY_ENTRY_FILE, 1 },
    { "link", FERRY_ENTRY_SYMLINK, 0 },
    { "plain.txt", FERRY_ENTRY_FILE, 5 },
    { "recent.txt", FERRY_ENTRY_FILE, 1 },
    { "sub dir", FERRY_ENTRY_DIRECTORY, 0 },
    { "trailing ", FERRY_ENTRY_FILE, 1 },
    { "with space.txt", FERRY_ENTRY_FILE, 2 },
  };
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 25, 1, 50, 35);
  guint skipped = 99;
  g_autoptr(GPtrArray) entries = ferry_listing_parse (FERRY_LISTING_AUTO, text, strlen (text), now, &skipped);

  g_assert_cmpuint (skipped, ==, 0);
  g_assert_cmpuint (entries->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      FerryEntry *entry = NULL;

      for (guint j = 0; j < entries->len && entry == NULL; j++)
        if (g_strcmp0 (((FerryEntry *) entries->pdata[j])->name, expected[i].name) == 0)
          entry = entries->pdata[j];
      if (entry == NULL)
        g_error ("“%s” missing", expected[i].name);

      if (mlsd && expected[i].type == FERRY_ENTRY_SYMLINK)
        {
          g_assert_cmpint (entry->type, ==, FERRY_ENTRY_FILE);
          continue;
        }
      g_assert_cmpint (entry->type, ==, expected[i].type);
      if (expected[i].type == FERRY_ENTRY_FILE)
        {
          g_assert_true (entry->size_known);
          g_assert_cmpuint (entry->size, ==, expected[i].size);
        }
      if (expected[i].type == FERRY_ENTRY_SYMLINK)
        g_assert_cmpstr (entry->link_target, ==, "plain.txt");

      /* Every listing dates the files right, to its own precision. */
      if (g_str_equal (entry->name, "leap.txt"))
        g_assert_cmpint (entry->mtime, ==, mlsd ? utc (2020, 2, 29, 12, 0, 0) : utc (2020, 2, 29, 0, 0, 0));
      else if (g_str_equal (entry->name, "recent.txt"))
        g_assert_cmpint (entry->mtime / 60, ==, utc (2026, 10, 26, 1, 50, 0) / 60);
      else if (g_str_equal (entry->name, "future.txt"))
        g_assert_cmpint (entry->mtime / 86400, ==, utc (2026, 12, 25, 0, 0, 0) / 86400);
      else
        g_assert_cmpint (entry->mtime / 60, ==, utc (2026, 11, 25, 1, 50, 0) / 60);
      g_assert_cmpint (entry->precision, ==,
                       mlsd ? FERRY_TIME_SECONDS
                       : strstr (text, "Dec 25 01:50 future") != NULL && g_str_equal (entry->name, "future.txt") ? FERRY_TIME_MINUTES
                       : g_str_equal (entry->name, "leap.txt") || g_str_equal (entry->name, "future.txt") ? FERRY_TIME_DAYS
                       : FERRY_TIME_MINUTES);
    }
}

static void
test_real_servers (void)
{
  check_real (vsftpd_list, FALSE);
  check_real (sftp_list, FALSE);
  check_real (pyftpdlib_list, FALSE);
  check_real (pyftpdlib_mlsd, TRUE);
}

/* One line of a family Ferry reads, and the entry it must give: name, type,
 * size (exact or not), time and its precision. Lines are as real servers
 * sent them (most are the forms FileZilla's parser is tested with). */
typedef struct
{
  const char         *line;
  const char         *name;
  FerryEntryType      type;
  guint64             size;
  gboolean            size_known;
  int                 when[6];     /* y, mo, d, h, mi, s; y 0: no time */
  FerryTimePrecision  precision;
} FamilyLine;

#define F FERRY_ENTRY_FILE
#define D FERRY_ENTRY_DIRECTORY
#define O FERRY_ENTRY_OTHER
#define DAYS FERRY_TIME_DAYS
#define MINUTES FERRY_TIME_MINUTES
#define SECONDS FERRY_TIME_SECONDS
#define NONE FERRY_TIME_UNKNOWN

static const FamilyLine unix_lines[] = {
  { "-rw-r--r--   1 user  group      1234 2024-01-31 12:00 report.pdf", "report.pdf", F, 1234, TRUE, { 2024, 1, 31, 12, 0, 0 }, MINUTES },
  { "-r-xr-xr-x   2 root     other      2235 1999/10/12 17:12 30-datetest file", "30-datetest file", F, 2235, TRUE, { 1999, 10, 12, 17, 12, 0 }, MINUTES },
  { "-r-xr-xr-x   2 root     other      2235 24-04-2003 17:12 31-datetest file", "31-datetest file", F, 2235, TRUE, { 2003, 4, 24, 17, 12, 0 }, MINUTES },
  { "-r-xr-xr-x   2 root  root  96 2004.07.15   35-dotted-date file", "35-dotted-date file", F, 96, TRUE, { 2004, 7, 15, 0, 0, 0 }, DAYS },
  { "-rw-r--r--   1 root     other        531 09-26 2000 05-unix-date file", "05-unix-date file", F, 531, TRUE, { 2000, 9, 26, 0, 0, 0 }, DAYS },
  { "-rw-r--r--   1 root     other        531 09-26 13:45 06-unix-date file", "06-unix-date file", F, 531, TRUE, { 2025, 9, 26, 13, 45, 0 }, MINUTES },
  { "-rw-r--r-- 2 owner group 4512 01-jun-99 47_unix_shortdatemonth file", "47_unix_shortdatemonth file", F, 4512, TRUE, { 1999, 6, 1, 0, 0, 0 }, DAYS },
  { "dr-xr-xr-x   2 root     other      2235 26. Juli, 20:10 28-datetest-ger dir", "28-datetest-ger dir", D, 0, FALSE, { 2025, 7, 26, 20, 10, 0 }, MINUTES },
  { "-r-xr-xr-x   2 root     other      2235 2.   Okt.  2003 29-datetest-ger file", "29-datetest-ger file", F, 2235, TRUE, { 2003, 10, 2, 0, 0, 0 }, DAYS },
  { "dr-xr-xr-x   2 root     other      2235 szept 26 20:10 28b-datetest-hungarian dir", "28b-datetest-hungarian dir", D, 0, FALSE, { 2025, 9, 26, 20, 10, 0 }, MINUTES },
  { "drwxr-xr-x 3 user group 512 01 oct 2004 52-swapped-daymonth dir", "52-swapped-daymonth dir", D, 0, FALSE, { 2004, 10, 1, 0, 0, 0 }, DAYS },
  { "drwxr-xr-x 6 user sys 1024 30. Jan., 12:40 59-localized-date-dir", "59-localized-date-dir", D, 0, FALSE, { 2026, 1, 30, 12, 40, 0 }, MINUTES },
  { "drwxrwxrwx   1 0        0               0 29 Jul 02:27 2014 Invoices", "2014 Invoices", D, 0, FALSE, { 2025, 7, 29, 2, 27, 0 }, MINUTES },
  { "-rw-r--r--   1 ftp      ftp           100 M\xc3\xa4r  3 14:00 m\xc3\xa4rz.txt", "m\xc3\xa4rz.txt", F, 100, TRUE, { 2026, 3, 3, 14, 0, 0 }, MINUTES },
  { "-rw-r--r--   1 ftp      ftp           100 Dez 24  2023 weihnachten.txt", "weihnachten.txt", F, 100, TRUE, { 2023, 12, 24, 0, 0, 0 }, DAYS },
  { "-rw-r--r--   1 ftp      ftp           100 f\xc3\xa9vr. 3  2023 fevrier.txt", "fevrier.txt", F, 100, TRUE, { 2023, 2, 3, 0, 0, 0 }, DAYS },
  { "-rw-r--r--   1 ftp      ftp           100 ago 15  2022 agosto.txt", "agosto.txt", F, 100, TRUE, { 2022, 8, 15, 0, 0, 0 }, DAYS },
  { "-rwxr-xr-x    1 user group        9 Oct 08, 2002 09:47 23-vshell-new file", "23-vshell-new file", F, 9, TRUE, { 2002, 10, 8, 9, 47, 0 }, MINUTES },
  { "-rw-r--r--   1 ftp      ftp          4096 Jan  5 9:05 single-digit-hour.txt", "single-digit-hour.txt", F, 4096, TRUE, { 2026, 1, 5, 9, 5, 0 }, MINUTES },
  { "-rw-------      1  99999999 0              3 Apr   4 24:00 alternate_midnight", "alternate_midnight", F, 3, TRUE, { 2026, 4, 5, 0, 0, 0 }, MINUTES },
  { "-rw-r--r--   1 ftp      ftp     1,234,567 Mar  1  2024 thousands.zip", "thousands.zip", F, 1234567, TRUE, { 2024, 3, 1, 0, 0, 0 }, DAYS },
  { "-rw-r--r--   1 root     other  33.5k Oct 5 21:22 08-unix-namedsize file", "08-unix-namedsize file", F, 0, FALSE, { 2025, 10, 5, 21, 22, 0 }, MINUTES },
  { "-rw-r--r--   1 ftp      ftp           12K Mar  1  2024 twelve.bin", "twelve.bin", F, 0, FALSE, { 2024, 3, 1, 0, 0, 0 }, DAYS },
  { "-rw-r--r--   1 ftp      ftp          3.4M Mar  1  2024 video.mp4", "video.mp4", F, 0, FALSE, { 2024, 3, 1, 0, 0, 0 }, DAYS },
  { "-rw-r--r--  1 user  staff  1234 Jan 31 12:00:05 2024 bsd ls -lT.txt", "bsd ls -lT.txt", F, 1234, TRUE, { 2024, 1, 31, 12, 0, 5 }, SECONDS },
  { "-rw-r--r-- 1 user group 1234 2024-01-31 12:00:05.123456789 +0100 full-time.txt", "full-time.txt", F, 1234, TRUE, { 2024, 1, 31, 11, 0, 5 }, SECONDS },
  /* 3 April or 4 March: the name and size are certain, the time is not. */
  { "-rw-r--r--   1 ftp      ftp            10 03-04-2024 10:00 ambiguous.txt", "ambiguous.txt", F, 10, TRUE, { 0 }, NONE },
  /* Old VShell */
  { "206876  Apr 04, 2000 21:06 21-vshell-old file", "21-vshell-old file", F, 206876, TRUE, { 2000, 4, 4, 21, 6, 0 }, MINUTES },
  { "0  Dec 12, 2002 02:13 22-vshell-old dir/", "22-vshell-old dir", D, 0, FALSE, { 2002, 12, 12, 2, 13, 0 }, MINUTES },
  /* NetWare */
  { "d [R----F--] supervisor            512       Jan 16 18:53    09-netware dir", "09-netware dir", D, 0, FALSE, { 2026, 1, 16, 18, 53, 0 }, MINUTES },
  { "- [R----F--] rhesus             214059       Oct 20 15:27    10-netware file", "10-netware file", F, 214059, TRUE, { 2025, 10, 20, 15, 27, 0 }, MINUTES },
  { "- [RWCEAFMS] jdoe                 1024       Mar  1  2019    report 2019.doc", "report 2019.doc", F, 1024, TRUE, { 2019, 3, 1, 0, 0, 0 }, DAYS },
};

static const FamilyLine mlsd_lines[] = {
  /* A tab, not a space, after the facts: the name keeps every word. */
  { "type=file;size=1024;modify=20240131120000;\tmy file.txt", "my file.txt", F, 1024, TRUE, { 2024, 1, 31, 12, 0, 0 }, SECONDS },
  { "size=1365694195;type=file;modify=20090722092510;\tadsl TV 2009-07-22 08-25-10 78 mlsd file that can get parsed as unix.file",
    "adsl TV 2009-07-22 08-25-10 78 mlsd file that can get parsed as unix.file", F, 1365694195, TRUE, { 2009, 7, 22, 9, 25, 10 }, SECONDS },
  { "Type=file; \t 75-MLSD-whitespace leading", "\t 75-MLSD-whitespace leading", F, 0, FALSE, { 0 }, NONE },
  { "type=file 77 MLSD file no trailing semicolon after facts", "77 MLSD file no trailing semicolon after facts", F, 0, FALSE, { 0 }, NONE },
  { "modify=20080426135501;perm=;size=65718921;type=file;unique=802U1066013B;UNIX.group=1179;UNIX.mode=00;UNIX.owner=1179; 75 MLSD file with empty permissions",
    "75 MLSD file with empty permissions", F, 65718921, TRUE, { 2008, 4, 26, 13, 55, 1 }, SECONDS },
  { "type=dir;modify=20240131120000;UNIX.owner=John Smith; two words; and more", "two words; and more", D, 0, FALSE, { 2024, 1, 31, 12, 0, 0 }, SECONDS },
};

static const FamilyLine dos_lines[] = {
  { "04-27-00  12:09PM       <DIR>          16-dos-dateambiguous dir", "16-dos-dateambiguous dir", D, 0, FALSE, { 2000, 4, 27, 12, 9, 0 }, MINUTES },
  { "04-06-00  03:47PM                  589 17-dos-dateambiguous file", "17-dos-dateambiguous file", F, 589, TRUE, { 2000, 4, 6, 15, 47, 0 }, MINUTES },
  { "2002-09-02  18:48       <DIR>          18-dos-longyear dir", "18-dos-longyear dir", D, 0, FALSE, { 2002, 9, 2, 18, 48, 0 }, MINUTES },
  { "2002-09-02  19:06                9,730 19-dos-longyear file", "19-dos-longyear file", F, 9730, TRUE, { 2002, 9, 2, 19, 6, 0 }, MINUTES },
  { "01-31-2024  09:05 AM              1024 spaced ampm.txt", "spaced ampm.txt", F, 1024, TRUE, { 2024, 1, 31, 9, 5, 0 }, MINUTES },
  { "01-31-2024  9:05PM              1024 single digit.txt", "single digit.txt", F, 1024, TRUE, { 2024, 1, 31, 21, 5, 0 }, MINUTES },
  { "31.01.2024  17:30                   100 dotted date.txt", "dotted date.txt", F, 100, TRUE, { 2024, 1, 31, 17, 30, 0 }, MINUTES },
  { "12/24/2023  11:59PM       <DIR>          Slashed", "Slashed", D, 0, FALSE, { 2023, 12, 24, 23, 59, 0 }, MINUTES },
};

static const FamilyLine eplf_lines[] = {
  { "+i8388621.48594,m825718503,r,s280,\tdjb.html", "djb.html", F, 280, TRUE, { 1996, 3, 1, 22, 15, 3 }, SECONDS },
  { "+i8388621.50690,m824255907,/,\t514", "514", D, 0, FALSE, { 1996, 2, 13, 23, 58, 27 }, SECONDS },
  { "+i8388621.48594,m825718503,r,s280,up755\t14-eplf file", "14-eplf file", F, 280, TRUE, { 1996, 3, 1, 22, 15, 3 }, SECONDS },
};

static const FamilyLine vms_lines[] = {
  { "CII-MANUAL.TEX;1  213/216  29-JAN-1996 03:33:12  [ANONYMOU,ANONYMOUS]   (RWED,RWED,,)", "CII-MANUAL.TEX", F, 0, FALSE, { 1996, 1, 29, 3, 33, 12 }, SECONDS },
  { "36-VMS-DIR.DIR;1  1 19-NOV-2001 21:41 [root,root] (RWE,RWE,RE,RE)", "36-VMS-DIR", D, 0, FALSE, { 2001, 11, 19, 21, 41, 0 }, MINUTES },
  { "37-VMS-FILE;1       155   2-JUL-2003 10:30:13.64", "37-VMS-FILE", F, 0, FALSE, { 2003, 7, 2, 10, 30, 13 }, SECONDS },
  { "38-VMS-NOTIME-FILE;1    2/8    7-JAN-2000    [IV2_XXX]   (RWED,RWED,RE,)", "38-VMS-NOTIME-FILE", F, 0, FALSE, { 2000, 1, 7, 0, 0, 0 }, DAYS },
  { "42-VMS-ALTERNATE-FIELD-ORDER-FILE;1   [SUMMARY]    1/3     2-AUG-2006 13:05  (RWE,RWE,RE,)", "42-VMS-ALTERNATE-FIELD-ORDER-FILE", F, 0, FALSE, { 2006, 8, 2, 13, 5, 0 }, MINUTES },
  { "43-VMS-ALTERNATE-FIELD-ORDER-FILE;1       17-JUN-1994 17:25:37     6308/13     (RWED,RWED,R,)", "43-VMS-ALTERNATE-FIELD-ORDER-FILE", F, 0, FALSE, { 1994, 6, 17, 17, 25, 37 }, SECONDS },
  { "56-VMS-COMPLEX-SIZE;1 2KB 23-SEP-2005 14:57:07.27", "56-VMS-COMPLEX-SIZE", F, 0, FALSE, { 2005, 9, 23, 14, 57, 7 }, SECONDS },
  { "LOGIN.COM;5          2/3          12-OCT-2023 09:15:00  [USER]  (RWED,RWED,RE,)", "LOGIN.COM", F, 0, FALSE, { 2023, 10, 12, 9, 15, 0 }, SECONDS },
};

static const FamilyLine os400_lines[] = {
  { "QSYS            77824 02/23/00 15:09:55 *DIR 44-ibm-as400 dir/", "44-ibm-as400 dir", D, 0, FALSE, { 2000, 2, 23, 15, 9, 55 }, SECONDS },
  { "QSYS            77824 23/02/00 15:09:55 *FILE 45-ibm-as400-date file", "45-ibm-as400-date file", F, 77824, TRUE, { 2000, 2, 23, 15, 9, 55 }, SECONDS },
  { "QPGMR           36864 18.09.06 14:21:26 *FILE      55-AS400.FILE", "55-AS400.FILE", F, 36864, TRUE, { 2006, 9, 18, 14, 21, 26 }, SECONDS },
  { "MYUSER           1234 01/31/24 08:00:00 *STMF      report 2024.csv", "report 2024.csv", F, 1234, TRUE, { 2024, 1, 31, 8, 0, 0 }, SECONDS },
};

static const FamilyLine os2_lines[] = {
  { "36611      A    04-23-103  10:57  24-os2 file", "24-os2 file", F, 36611, TRUE, { 2003, 4, 23, 10, 57, 0 }, MINUTES },
  { " 1123      A    07-14-99   12:37  25-os2 file", "25-os2 file", F, 1123, TRUE, { 1999, 7, 14, 12, 37, 0 }, MINUTES },
  { "    0 DIR       02-11-103  16:15  26-os2 dir", "26-os2 dir", D, 0, FALSE, { 2003, 2, 11, 16, 15, 0 }, MINUTES },
  { " 1123 DIR  A    10-05-100  23:38  27-os2 dir", "27-os2 dir", D, 0, FALSE, { 2000, 10, 5, 23, 38, 0 }, MINUTES },
};

static const FamilyLine mvs_lines[] = {
  { "WYOSPT 3420   2003/05/21  1  200  FB      80  8053  PS  USER.DATA.FILE", "USER.DATA.FILE", F, 0, FALSE, { 2003, 5, 21, 0, 0, 0 }, DAYS },
  { "WPTA01 3290   2004/03/04  1    3  FB      80  3125  PO  USER.PDS.LIB", "USER.PDS.LIB", D, 0, FALSE, { 2004, 3, 4, 0, 0, 0 }, DAYS },
  { "NRP004 3390   **NONE**    1   15  NONE     0     0  PO  USER.NONEDATE.LIB", "USER.NONEDATE.LIB", D, 0, FALSE, { 0 }, NONE },
  { "TSO005 3390   2005/06/06 213000 U 0 27998 PO USER.LOADLIB", "USER.LOADLIB", D, 0, FALSE, { 2005, 6, 6, 0, 0, 0 }, DAYS },
  { "GISBWI 3390   2011/08/25  2 ++++  FB     904 18080  PS  BIG.FILE", "BIG.FILE", F, 0, FALSE, { 2011, 8, 25, 0, 0, 0 }, DAYS },
  { "WYOSPT 3420   2003/05/21  1 3 U 6447    6447  PO-E USER.PDSE", "USER.PDSE", D, 0, FALSE, { 2003, 5, 21, 0, 0, 0 }, DAYS },
  { "TSO004 3390   VSAM USER.VSAM.KSDS", "USER.VSAM.KSDS", O, 0, FALSE, { 0 }, NONE },
  { "Migrated                                                USER.OLD.DATA", "USER.OLD.DATA", F, 0, FALSE, { 0 }, NONE },
  { "MEMBER1  01.01 2004/06/22 2004/06/22 16:32   128   128    0 BOBY12", "MEMBER1", F, 0, FALSE, { 2004, 6, 22, 16, 32, 0 }, MINUTES },
};

#undef F
#undef D
#undef O

static void
check_expected (const FamilyLine     *lines,
                gsize               n,
                FerryListingFormat  format)
{
  g_autoptr(GDateTime) now = now_utc ();

  for (gsize i = 0; i < n; i++)
    {
      const FamilyLine *x = &lines[i];
      const FerryListingFormat formats[] = { format, FERRY_LISTING_AUTO };

      for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
        {
          g_autoptr(FerryEntry) e = _ferry_listing_parse_line (formats[f], x->line, strlen (x->line), now);

          if (e == NULL)
            g_error ("not read (format %d): %s", formats[f], x->line);
          g_assert_cmpstr (e->name, ==, x->name);
          g_assert_cmpint (e->type, ==, x->type);
          g_assert_cmpuint (e->size, ==, x->size);
          g_assert_cmpint (e->size_known, ==, x->size_known);
          g_assert_cmpint (e->precision, ==, x->precision);
          if (x->precision != FERRY_TIME_UNKNOWN)
            g_assert_cmpint (e->mtime, ==, utc (x->when[0], x->when[1], x->when[2], x->when[3], x->when[4], x->when[5]));
        }
    }
}

static void
test_families_unix (void)
{
  check_expected (unix_lines, G_N_ELEMENTS (unix_lines), FERRY_LISTING_UNIX);
}

static void
test_families_mlsd (void)
{
  check_expected (mlsd_lines, G_N_ELEMENTS (mlsd_lines), FERRY_LISTING_MLSD);
}

static void
test_families_dos (void)
{
  check_expected (dos_lines, G_N_ELEMENTS (dos_lines), FERRY_LISTING_DOS);
}

static void
test_families_eplf (void)
{
  check_expected (eplf_lines, G_N_ELEMENTS (eplf_lines), FERRY_LISTING_EPLF);
}

static void
test_families_vms (void)
{
  const char *text =
    "Directory DISK$USER:[ANONYMOUS]\r\n"
    "\r\n"
    "40-VMS-MULTILINE-FILE;1\r\n"
    "                   170774/170775     24-APR-2003 08:16:15  [FTP_CLIENT,SCOT]      (RWED,RWED,RE,)\r\n"
    "README.TXT;3         4/6    12-MAR-2024 10:00:00  [USER]  (RWED,RWED,RE,)\r\n"
    "README.TXT;2         3/6    11-MAR-2024 10:00:00  [USER]  (RWED,RWED,RE,)\r\n"
    "NOTES.TXT;1          1/3    01-FEB-2024 09:00:00  [USER]  (RWED,RWED,RE,)\r\n"
    "NOTES.TXT;7          2/3    02-FEB-2024 09:00:00  [USER]  (RWED,RWED,RE,)\r\n"
    "SECRET.DAT;1\r\n"
    "%RMS-E-PRV, insufficient privilege or file protection violation\r\n"
    "\r\n"
    "Total of 5 files, 170780/170790 blocks.\r\n";
  g_autoptr(GDateTime) now = now_utc ();
  g_autoptr(GPtrArray) refusals = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  FerryEntry *e;

  check_expected (vms_lines, G_N_ELEMENTS (vms_lines), FERRY_LISTING_VMS);

  entries = ferry_listing_parse_full (FERRY_LISTING_AUTO, text, strlen (text), now, &refusals);
  g_assert_cmpuint (entries->len, ==, 3);
  e = entries->pdata[0];
  g_assert_cmpstr (e->name, ==, "40-VMS-MULTILINE-FILE");
  g_assert_cmpuint (e->size, ==, 0);
  g_assert_false (e->size_known);
  g_assert_cmpint (e->mtime, ==, utc (2003, 4, 24, 8, 16, 15));
  /* Versions merge into one name, the highest version's. */
  e = entries->pdata[1];
  g_assert_cmpstr (e->name, ==, "README.TXT");
  g_assert_cmpint (e->mtime, ==, utc (2024, 3, 12, 10, 0, 0));
  e = entries->pdata[2];
  g_assert_cmpstr (e->name, ==, "NOTES.TXT");
  g_assert_cmpint (e->mtime, ==, utc (2024, 2, 2, 9, 0, 0));
  /* A name without its fields, and the error in their place. */
  g_assert_cmpuint (refusals->len, ==, 2);
  g_assert_nonnull (strstr (refusals->pdata[0], "SECRET.DAT;1"));
  g_assert_nonnull (strstr (refusals->pdata[1], "%RMS-E-PRV"));
}

static void
test_families_os400 (void)
{
  check_expected (os400_lines, G_N_ELEMENTS (os400_lines), FERRY_LISTING_OS400);
}

static void
test_families_os2 (void)
{
  check_expected (os2_lines, G_N_ELEMENTS (os2_lines), FERRY_LISTING_OS2);
}

static void
test_families_mvs (void)
{
  const char *text =
    "Volume Unit    Referred Ext Used Recfm Lrecl BlkSz Dsorg Dsname\r\n"
    "WYOSPT 3420   2003/05/21  1  200  FB      80  8053  PS  USER.DATA.FILE\r\n"
    "WPTA01 3290   2004/03/04  1    3  FB      80  3125  PO  USER.PDS.LIB\r\n";
  const char *members =
    " Name     VV.MM   Created       Changed      Size  Init   Mod   Id\r\n"
    "MEMBER1  01.01 2004/06/22 2004/06/22 16:32   128   128    0 BOBY12\r\n"
    "MEMBER2  01.00 2005/01/02 2005/02/03 08:00:01    12    12    0 BOBY12\r\n";
  g_autoptr(GDateTime) now = now_utc ();
  guint skipped = 99;
  g_autoptr(GPtrArray) datasets = NULL;
  g_autoptr(GPtrArray) pds = NULL;

  check_expected (mvs_lines, G_N_ELEMENTS (mvs_lines), FERRY_LISTING_MVS);

  datasets = ferry_listing_parse (FERRY_LISTING_AUTO, text, strlen (text), now, &skipped);
  g_assert_cmpuint (datasets->len, ==, 2);
  g_assert_cmpuint (skipped, ==, 0);
  pds = ferry_listing_parse (FERRY_LISTING_AUTO, members, strlen (members), now, &skipped);
  g_assert_cmpuint (pds->len, ==, 2);
  g_assert_cmpuint (skipped, ==, 0);
  g_assert_cmpint (((FerryEntry *) pds->pdata[1])->mtime, ==, utc (2005, 2, 3, 8, 0, 1));
  g_assert_cmpint (((FerryEntry *) pds->pdata[1])->precision, ==, FERRY_TIME_SECONDS);
}

/* Lines Ferry does not read are refused with what is wrong with them, and
 * the line (escaped, shortened) to show for it — never read as another
 * name. */
static void
test_refusals (void)
{
  static const char text[] =
    "drwxr-xr-x 3 slopri devlab 512 71-unix-dateless\r\n"
    "-rw-r--r--   1 ftp      ftp            10 Jan  5 12:00 \r\n"
    "\x1b[31m-rw-r--r-- 1 u g 1 Jan 5 12:00 red\r\n"
    "-rw-r--r--   1 ftp      ftp            10 Jan  5 12:00 a\0b\r\n"
    "a very long line of something that no server would call a listing, and it goes on and on and on\r\n"
    "-rw-r--r--   1 ftp      ftp            10 Jan  5 12:00 fine\r\n";
  g_autoptr(GDateTime) now = now_utc ();
  g_autoptr(GPtrArray) refusals = NULL;
  g_autoptr(GPtrArray) entries = ferry_listing_parse_full (FERRY_LISTING_AUTO, text, sizeof text - 1, now, &refusals);
  const char *m;

  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((FerryEntry *) entries->pdata[0])->name, ==, "fine");
  g_assert_cmpuint (refusals->len, ==, 5);

  m = refusals->pdata[0];
  g_assert_nonnull (strstr (m, "format"));
  g_assert_nonnull (strstr (m, "71-unix-dateless"));
  g_assert_null (strstr (m, "line feed"));
  m = refusals->pdata[1];
  g_assert_nonnull (strstr (m, "no name"));
  /* Control bytes are shown escaped, never sent to a terminal. */
  m = refusals->pdata[2];
  g_assert_nonnull (strstr (m, "\\x1B[31m"));
  g_assert_null (strchr (m, '\x1b'));
  m = refusals->pdata[3];
  g_assert_nonnull (strstr (m, "NUL"));
  m = refusals->pdata[4];
  g_assert_nonnull (strstr (m, "…"));
  g_assert_null (strstr (m, "on and on and on"));

  /* Names that are no names stay out whatever the format. */
  for (guint i = 0; i < refusals->len; i++)
    g_assert_true (g_utf8_validate (refusals->pdata[i], -1, NULL));
}

/* Lines that come close to a format but leave the name in doubt are
 * refused, and lines of one family never pass for another's. */
static void
test_never_a_wrong_name (void)
{
  const char *refused[] = {
    /* VMS: a second name where the fields should be. */
    "FOO.TXT;1 BAR.TXT;2 1/3 12-MAR-2024 10:00:00",
    /* MVS: a dataset name cannot hold spaces or small letters. */
    "WYOSPT 3420   2003/05/21  1  200  FB      80  8053  PS  user data",
    /* OS/400 and OS/2 without a name. */
    "QSYS            77824 02/23/00 15:09:55 *DIR",
    "36611      A    04-23-103  10:57",
    /* EPLF without its tab. */
    "+i8388621.48594,m825718503,r,s280, djb.html",
    /* A time after a date that ends with the year: no layout known here. */
    "-rw-r--r--   1 u g 5 Jan 31  2024 12:00 x",
    /* Unix-style without any date. */
    "drwxr-xr-x 3 slopri devlab 512 71-unix-dateless",
  };
  g_autoptr(GDateTime) now = now_utc ();
  g_autoptr(FerryEntry) unix_facts = NULL;
  g_autoptr(FerryEntry) unix_semicolon = NULL;
  g_autoptr(FerryEntry) dos_month_name = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(FerryEntry) e = _ferry_listing_parse_line (FERRY_LISTING_AUTO, refused[i], strlen (refused[i]), now);

      if (e != NULL)
        g_error ("read as “%s”: %s", e->name, refused[i]);
    }

  /* A Unix name that holds "type=file; " is no MLSD line. */
  unix_facts = one (FERRY_LISTING_AUTO, "-rw-r--r--   1 u g 5 Jan  1  2024 type=file; x");
  g_assert_cmpstr (unix_facts->name, ==, "type=file; x");
  g_assert_cmpuint (unix_facts->size, ==, 5);
  unix_semicolon = one (FERRY_LISTING_AUTO, "-rw-r--r--   1 u g 5 Jan  1  2024 a=b");
  g_assert_cmpstr (unix_semicolon->name, ==, "a=b");
  /* A name that starts with a date stays whole after the real date. */
  dos_month_name = one (FERRY_LISTING_AUTO, "-rw-r--r--   1 u g 5 Jan  1  2024 Mar 3 12:00 notes");
  g_assert_cmpstr (dos_month_name->name, ==, "Mar 3 12:00 notes");
  g_assert_cmpint (dos_month_name->mtime, ==, utc (2024, 1, 1, 0, 0, 0));
}

static FerryEntry *
only_entry (const char *text)
{
  g_autoptr(GDateTime) now = now_utc ();
  g_autoptr(GPtrArray) refusals = NULL;
  g_autoptr(GPtrArray) entries = ferry_listing_parse_full (FERRY_LISTING_AUTO, text, strlen (text), now, &refusals);

  if (entries->len != 1 || refusals->len != 0)
    return NULL;
  return ferry_entry_copy (entries->pdata[0]);
}

/* The families other projects' tests show that Ferry refused before
 * (tests/listing-corpus counts them all): real lines from FileZilla's and
 * Apache Commons Net's parser tests. */
static void
test_families_rare (void)
{
  g_autoptr(FerryEntry) numeric = one (FERRY_LISTING_AUTO, "-rw-r--r--   1 root     other        531 3 29 03:26 02-unix-std file");
  g_autoptr(FerryEntry) numeric_year = one (FERRY_LISTING_AUTO, "-rw-r--r--   1 root        531 3 29  2005 no group");
  g_autoptr(FerryEntry) numeric_mode = one (FERRY_LISTING_AUTO, "0100644   500  101   12345    123456789       20-unix-numerical file");
  g_autoptr(FerryEntry) japanese = one (FERRY_LISTING_AUTO, "-rw-rw---- 1 ep1adm sapsys 0 6\u6708 3\u65e5 2003\u5e74 \u8a66\u9a13.csv");
  g_autoptr(FerryEntry) japanese_time = one (FERRY_LISTING_AUTO, "-rw-rw---- 1 ep1adm sapsys 0 8\u6708 17\u65e5 20:10 caerrinf");
  g_autoptr(FerryEntry) shift_jis = one (FERRY_LISTING_AUTO, "-rw-r--r--   1 root       sys           8473  4\x8c\x8e 18\x93\xfa 2003\x94N japanese file");
  g_autoptr(FerryEntry) korean = one (FERRY_LISTING_AUTO, "drwxr-xr-x   5 root     sys          512 2005\xeb\x85\x84  1\xec\x9b\x94  6\xec\x9d\xbc year first dir");
  g_autoptr(FerryEntry) cygwin = one (FERRY_LISTING_AUTO, "-rw-r--r--   1 ftp      group with spaces in it as allowed in cygwin see bug 38634   83853 Jan 22  2001 zxJDBC-1.2.4.tar.gz");
  g_autoptr(FerryEntry) enterprise = one (FERRY_LISTING_AUTO, "-C--E-----FTP B BCC3I1       7670  1294495 Jan 13 07:42 conent file");
  g_autoptr(FerryEntry) tandem = one (FERRY_LISTING_AUTO, "HP_NONSTOP 101 528 6-Apr-07 14:21:18 255, 0 \"oooo\"");
  g_autoptr(FerryEntry) tandem2 = one (FERRY_LISTING_AUTO, "GUARDIAN 101 528 6-Apr-07 14:21:18 255,255 \"oooo\"");
  g_autoptr(FerryEntry) vxworks = one (FERRY_LISTING_AUTO, "2048    Feb-28-1998  05:23:30   nortel vxworks dir <DIR>");
  g_autoptr(FerryEntry) vxworks_file = one (FERRY_LISTING_AUTO, "  512000    Feb-28-1998  05:23:30   boot.img");
  g_autoptr(FerryEntry) wfftp = one (FERRY_LISTING_AUTO, "nortel-wfftp-file       1014196  06/03/04  Thur.   10:20:03");
  g_autoptr(FerryEntry) os9 = one (FERRY_LISTING_AUTO, "20.20 07/03/29 1026 d-ewrewr 2650 85920 OS-9 dir");
  g_autoptr(FerryEntry) zvm = one (FERRY_LISTING_AUTO, "ZVMFILE  TRACE   V        65      107        2 2005-10-04 15:28:42 060191");
  g_autoptr(FerryEntry) mvs_lower = one (FERRY_LISTING_AUTO, "PSMLC1 3390   2005/04/04  1    1  VB   27994 27998  PS    file3.I");
  g_autoptr(FerryEntry) mvs_archived = one (FERRY_LISTING_AUTO, "ARCIVE Not Direct Access Device                           USER.OLD");
  g_autoptr(FerryEntry) jes1 = one (FERRY_LISTING_AUTO, "IBMUSER1  JOB01906  OUTPUT    3 Spool Files");
  g_autoptr(FerryEntry) jes2 = one (FERRY_LISTING_AUTO, "IBMUSER  TSU01830 IBMUSER  OUTPUT TSU      ABEND=522 3 spool files");
  g_autoptr(FerryEntry) jes_active = only_entry ("JOBNAME  JOBID    OWNER    STATUS CLASS\r\nIBMUSER3 JOB01907 IBMUSER  ACTIVE A\r\n");
  g_autoptr(FerryEntry) member_bare = only_entry ("Name     VV.MM   Created       Changed      Size  Init   Mod   Id\r\nSAVE04      \r\n");
  g_autoptr(FerryEntry) load_module = only_entry (" Name     Size     TTR   Alias-of AC --------- Attributes --------- Amode Rmode\r\n"
                                                  "PROG1    00B308 000411  00 FO                31    ANY\r\n");
  g_autoptr(FerryEntry) stmf_path = one (FERRY_LISTING_AUTO, "QSYS       4096 04/03/24 14:06:29 *STMF      /DRV/DIR/FILE.PDF");
  g_autoptr(FerryEntry) member_path = one (FERRY_LISTING_AUTO, "QPGMR                                   *MEM       RPGUNITC1.FILE/RUCALLTST.MBR");
  g_autoptr(FerryEntry) os2_rsa = one (FERRY_LISTING_AUTO, "587823    RSA    DIR   01-08-97   13:58  OS2KRNL");
  g_autoptr(FerryEntry) vms_jui = one (FERRY_LISTING_AUTO, "NOTIME-FILE.TXT;1    6/8    15-JUI-2002    PRONAS   (RWED,RWED,RE,)");
  g_autoptr(FerryEntry) mlsx_untyped = one (FERRY_LISTING_AUTO, "Size=; /empty/size");

  g_assert_cmpstr (numeric->name, ==, "02-unix-std file");
  g_assert_cmpuint (numeric->size, ==, 531);
  g_assert_cmpint (numeric->mtime, ==, utc (2026, 3, 29, 3, 26, 0));
  g_assert_cmpstr (numeric_year->name, ==, "no group");
  g_assert_cmpint (numeric_year->mtime, ==, utc (2005, 3, 29, 0, 0, 0));
  g_assert_cmpstr (numeric_mode->name, ==, "20-unix-numerical file");
  g_assert_cmpuint (numeric_mode->size, ==, 12345);
  g_assert_cmpint (numeric_mode->mtime, ==, 123456789);
  g_assert_cmpint (numeric_mode->precision, ==, FERRY_TIME_SECONDS);
  g_assert_cmpstr (japanese->name, ==, "\u8a66\u9a13.csv");
  g_assert_cmpint (japanese->mtime, ==, utc (2003, 6, 3, 0, 0, 0));
  g_assert_cmpstr (japanese_time->name, ==, "caerrinf");
  g_assert_cmpint (japanese_time->mtime, ==, utc (2025, 8, 17, 20, 10, 0));
  g_assert_cmpstr (shift_jis->name, ==, "japanese file");
  g_assert_cmpint (shift_jis->mtime, ==, utc (2003, 4, 18, 0, 0, 0));
  g_assert_cmpstr (korean->name, ==, "year first dir");
  g_assert_cmpint (korean->type, ==, FERRY_ENTRY_DIRECTORY);
  g_assert_cmpint (korean->mtime, ==, utc (2005, 1, 6, 0, 0, 0));
  g_assert_cmpstr (cygwin->name, ==, "zxJDBC-1.2.4.tar.gz");
  g_assert_cmpuint (cygwin->size, ==, 83853);
  g_assert_cmpstr (enterprise->name, ==, "conent file");
  g_assert_cmpint (enterprise->type, ==, FERRY_ENTRY_FILE);
  g_assert_cmpuint (enterprise->size, ==, 1294495);
  g_assert_cmpstr (tandem->name, ==, "HP_NONSTOP");
  g_assert_cmpuint (tandem->size, ==, 528);
  g_assert_cmpint (tandem->mtime, ==, utc (2007, 4, 6, 14, 21, 18));
  g_assert_cmpstr (tandem2->name, ==, "GUARDIAN");
  g_assert_cmpstr (vxworks->name, ==, "nortel vxworks dir");
  g_assert_cmpint (vxworks->type, ==, FERRY_ENTRY_DIRECTORY);
  g_assert_cmpint (vxworks->mtime, ==, utc (1998, 2, 28, 5, 23, 30));
  g_assert_cmpstr (vxworks_file->name, ==, "boot.img");
  g_assert_cmpuint (vxworks_file->size, ==, 512000);
  g_assert_cmpstr (wfftp->name, ==, "nortel-wfftp-file");
  g_assert_cmpuint (wfftp->size, ==, 1014196);
  g_assert_cmpint (wfftp->precision, ==, FERRY_TIME_UNKNOWN);   /* 06/03/04: which is the year? */
  g_assert_cmpstr (os9->name, ==, "OS-9 dir");
  g_assert_cmpint (os9->type, ==, FERRY_ENTRY_DIRECTORY);
  g_assert_cmpint (os9->mtime, ==, utc (2007, 3, 29, 10, 26, 0));
  g_assert_cmpstr (zvm->name, ==, "ZVMFILE.TRACE");
  g_assert_false (zvm->size_known);
  g_assert_cmpint (zvm->mtime, ==, utc (2005, 10, 4, 15, 28, 42));
  g_assert_cmpstr (mvs_lower->name, ==, "file3.I");
  g_assert_cmpstr (mvs_archived->name, ==, "USER.OLD");
  g_assert_cmpstr (jes1->name, ==, "JOB01906");
  g_assert_cmpstr (jes2->name, ==, "TSU01830");
  g_assert_nonnull (jes_active);
  g_assert_cmpstr (jes_active->name, ==, "JOB01907");
  g_assert_nonnull (member_bare);
  g_assert_cmpstr (member_bare->name, ==, "SAVE04");
  g_assert_nonnull (load_module);
  g_assert_cmpstr (load_module->name, ==, "PROG1");
  g_assert_cmpstr (stmf_path->name, ==, "FILE.PDF");
  g_assert_cmpuint (stmf_path->size, ==, 4096);
  g_assert_cmpstr (member_path->name, ==, "RUCALLTST.MBR");
  g_assert_cmpstr (os2_rsa->name, ==, "OS2KRNL");
  g_assert_cmpint (os2_rsa->type, ==, FERRY_ENTRY_DIRECTORY);
  g_assert_cmpstr (vms_jui->name, ==, "NOTIME-FILE.TXT");
  g_assert_cmpint (vms_jui->precision, ==, FERRY_TIME_UNKNOWN);
  g_assert_cmpstr (mlsx_untyped->name, ==, "/empty/size");
  g_assert_cmpint (mlsx_untyped->type, ==, FERRY_ENTRY_OTHER);
}

/* What those families must not read: a line in doubt is refused. */
static void
test_families_rare_in_doubt (void)
{
  const char *refused[] = {
    /* A month number, a day and a time, but not where the size ends the
     * owner (and group) columns. */
    "-rw-r--r--   1 root other big 531 3 29 03:26 x",
    "-rw-r--r--   1 root 3 29 03:26 x",
    /* A numeric date after the size, then a name that starts with a date. */
    "-rw-r--r--   1 root     other        531 3 29 03:26 Jan 5 2001 name",
    /* A bare member name or a load module needs the PDS heading above. */
    "SAVE04",
    "PROG1    00B308 000411  00 FO                31    ANY",
    /* A job without spool files needs the JES heading. */
    "IBMUSER3 JOB01907 IBMUSER  ACTIVE A",
    /* A month in a CJK encoding not known here. */
    "-r--r--r-- 1 root root 2096 8\xed 17 08:52 asian date file",
    /* Tandem with a name of two words, or no security string. */
    "TWO WORDS 101 528 6-Apr-07 14:21:18 255,255 \"oooo\"",
    "GUARDIAN 101 528 6-Apr-07 14:21:18 255,255",
    /* z/VM without its record format. */
    "ZVMFILE  TRACE   X        65      107        2 2005-10-04 15:28:42 060191",
    /* OS-9 attributes out of their order. */
    "20.20 07/03/29 1026 ewrdewr- 2650 85920 OS-9 dir",
    /* Numeric mode that is no file, folder or link. */
    "0060644   500  101   12345    123456789       device",
  };
  g_autoptr(GDateTime) now = now_utc ();
  g_autoptr(FerryEntry) numeric_owner = one (FERRY_LISTING_AUTO, "-rw-r--r--   1 3 29 2048 Jan  5 10:00 x");

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(FerryEntry) e = _ferry_listing_parse_line (FERRY_LISTING_AUTO, refused[i], strlen (refused[i]), now);

      if (e != NULL)
        g_error ("read as “%s”: %s", e->name, refused[i]);
    }
  /* Numeric owner and group that look like a month and a day: the month
   * name's date wins, the name is whole. */
  g_assert_cmpstr (numeric_owner->name, ==, "x");
  g_assert_cmpuint (numeric_owner->size, ==, 2048);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/listing/unix/vsftpd", test_unix_vsftpd);
  g_test_add_func ("/listing/unix/year-boundary", test_unix_year_boundary);
  g_test_add_func ("/listing/unix/feb-29", test_unix_feb_29);
  g_test_add_func ("/listing/unix/variants", test_unix_variants);
  g_test_add_func ("/listing/unix/servers", test_unix_servers);
  g_test_add_func ("/listing/mlst", test_mlst);
  g_test_add_func ("/listing/real-servers", test_real_servers);
  g_test_add_func ("/listing/dos/iis", test_dos_iis);
  g_test_add_func ("/listing/line-endings-and-empty", test_line_endings_and_empty);
  g_test_add_func ("/listing/mlsd", test_mlsd);
  g_test_add_func ("/listing/dos", test_dos);
  g_test_add_func ("/listing/whole", test_whole_listing);
  g_test_add_func ("/listing/garbage", test_garbage_never_crashes);
  g_test_add_func ("/listing/time-replies", test_time_replies);
  g_test_add_func ("/listing/families/unix", test_families_unix);
  g_test_add_func ("/listing/families/mlsd", test_families_mlsd);
  g_test_add_func ("/listing/families/dos", test_families_dos);
  g_test_add_func ("/listing/families/eplf", test_families_eplf);
  g_test_add_func ("/listing/families/vms", test_families_vms);
  g_test_add_func ("/listing/families/os400", test_families_os400);
  g_test_add_func ("/listing/families/os2", test_families_os2);
  g_test_add_func ("/listing/families/mvs", test_families_mvs);
  g_test_add_func ("/listing/families/rare", test_families_rare);
  g_test_add_func ("/listing/families/rare-in-doubt", test_families_rare_in_doubt);
  g_test_add_func ("/listing/refusals", test_refusals);
  g_test_add_func ("/listing/never-a-wrong-name", test_never_a_wrong_name);

  return g_test_run ();
}
