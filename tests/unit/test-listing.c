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
  return ferry_listing_parse_line (FERRY_LISTING_UNIX, line, strlen (line), now);
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
  g_assert_null (no_type);
  g_assert_cmpstr (bad_time->name, ==, "odd");
  g_assert_cmpint (bad_time->precision, ==, FERRY_TIME_UNKNOWN);
  g_assert_false (bad_time->size_known);
  g_assert_cmpint (retyped->type, ==, FERRY_ENTRY_OTHER);
  g_assert_null (retyped->link_target);
}

static void
test_mlst (void)
{
  g_autoptr(FerryEntry) file = ferry_listing_parse_mlst_line (" type=file;size=5;modify=20240102030405; /pub/a b.txt\r\n", 53);
  g_autoptr(FerryEntry) here = ferry_listing_parse_mlst_line ("type=cdir;modify=20240102030405; /pub", 37);

  g_assert_nonnull (file);
  g_assert_cmpstr (file->name, ==, "/pub/a b.txt");
  g_assert_cmpuint (file->size, ==, 5);
  g_assert_cmpint (file->precision, ==, FERRY_TIME_SECONDS);
  g_assert_cmpint (here->type, ==, FERRY_ENTRY_DIRECTORY);
  g_assert_null (ferry_listing_parse_mlst_line ("250 End", 7));

  /* pyftpdlib's MLST and MDTM replies, as captured. */
  {
    const char *line = " modify=20261125015035;perm=r;size=5;type=file;unique=fe00g7; /plain.txt";
    g_autoptr(FerryEntry) real = ferry_listing_parse_mlst_line (line, strlen (line));
    gint64 t = 0;

    g_assert_cmpstr (real->name, ==, "/plain.txt");
    g_assert_cmpint (real->mtime, ==, utc (2026, 11, 25, 1, 50, 35));
    g_assert_true (ferry_listing_parse_mdtm ("213 20200229120000", &t));
    g_assert_cmpint (t, ==, utc (2020, 2, 29, 12, 0, 0));
  }
  g_assert_null (ferry_listing_parse_mlst_line ("", 0));
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

  return g_test_run ();
}
