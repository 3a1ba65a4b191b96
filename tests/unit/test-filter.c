/* test-filter.c: the transfer's include and exclude patterns, as the
 * README and ferry-cli(1) describe them: `*` and `?` within a name, `**`
 * across folders, a pattern without '/' at any depth, a trailing '/' for
 * folders only, excludes over includes, hidden names and a size limit;
 * and the sizes --max-size and --bwlimit take.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ferry-error.h"
#include "ferry-filter.h"

static void
test_patterns (void)
{
  static const struct {
    const char *pattern;
    const char *path;
    gboolean    folder;
    gboolean    matches;
  } cases[] = {
    { "*.log", "error.log", FALSE, TRUE },
    { "*.log", "logs/deep/error.log", FALSE, TRUE },       /* no '/': any depth */
    { "*.log", "error.log.1", FALSE, FALSE },
    { "*.log", ".hidden.log", FALSE, TRUE },
    { "?.txt", "a.txt", FALSE, TRUE },
    { "?.txt", "ab.txt", FALSE, FALSE },
    { "[ab].txt", "b.txt", FALSE, TRUE },
    { "images/*.jpg", "images/a.jpg", FALSE, TRUE },
    { "images/*.jpg", "images/2024/a.jpg", FALSE, FALSE },  /* `*` stays in a name */
    { "images/*.jpg", "old/images/a.jpg", FALSE, FALSE },   /* '/' anchors at the root */
    { "/images/*.jpg", "images/a.jpg", FALSE, TRUE },
    { "images/**/*.jpg", "images/a.jpg", FALSE, TRUE },     /* `**` is zero folders too */
    { "images/**/*.jpg", "images/2024/11/a.jpg", FALSE, TRUE },
    { "**/cache", "a/b/cache", TRUE, TRUE },
    { "**/cache", "cache", TRUE, TRUE },
    { "**", "anything/at/all", FALSE, TRUE },
    { "node_modules/", "node_modules", TRUE, TRUE },
    { "node_modules/", "web/node_modules", TRUE, TRUE },
    { "node_modules/", "node_modules", FALSE, FALSE },       /* folders only */
    { "a b;c\"d.txt", "x/a b;c\"d.txt", FALSE, TRUE },
    { "Grüße/*", "Grüße/ü.txt", FALSE, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean got = ferry_filter_pattern_matches (cases[i].pattern, cases[i].path, cases[i].folder);

      if (got != cases[i].matches)
        g_error ("“%s” against “%s”%s: %s, expected %s", cases[i].pattern, cases[i].path,
                 cases[i].folder ? " (folder)" : "", got ? "matches" : "no match",
                 cases[i].matches ? "a match" : "no match");
    }
}

static void
test_rules (void)
{
  const char *includes[] = { "*.html", "assets/", NULL };
  const char *excludes[] = { "drafts/", "*.bak.html", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryFilter) filter = ferry_filter_new (includes, excludes, TRUE, 1024, &error);
  const char *reason = NULL;

  g_assert_no_error (error);
  g_assert_false (ferry_filter_is_empty (filter));
  g_assert_true (ferry_filter_keeps_file (filter, "index.html", 10, &reason));
  g_assert_true (ferry_filter_keeps_file (filter, "blog/post.html", 10, &reason));
  /* Included through the folder it is in. */
  g_assert_true (ferry_filter_keeps_file (filter, "assets/css/site.css", 10, &reason));
  g_assert_false (ferry_filter_keeps_file (filter, "notes.txt", 10, &reason));
  g_assert_cmpstr (reason, ==, "not-included");
  /* Excludes win over includes. */
  g_assert_false (ferry_filter_keeps_file (filter, "old.bak.html", 10, &reason));
  g_assert_cmpstr (reason, ==, "exclude");
  g_assert_false (ferry_filter_keeps_folder (filter, "drafts", &reason));
  g_assert_cmpstr (reason, ==, "exclude");
  /* Folders are walked whatever the includes say. */
  g_assert_true (ferry_filter_keeps_folder (filter, "blog", &reason));
  g_assert_false (ferry_filter_keeps_file (filter, ".htaccess.html", 10, &reason));
  g_assert_cmpstr (reason, ==, "hidden");
  g_assert_false (ferry_filter_keeps_folder (filter, "assets/.git", &reason));
  g_assert_cmpstr (reason, ==, "hidden");
  g_assert_false (ferry_filter_keeps_file (filter, "big.html", 1025, &reason));
  g_assert_cmpstr (reason, ==, "too-large");
  /* A file in an excluded or hidden folder is left out with it. */
  g_assert_false (ferry_filter_keeps_file (filter, "drafts/post.html", 10, &reason));
  g_assert_cmpstr (reason, ==, "exclude");
  g_assert_false (ferry_filter_keeps_file (filter, "assets/.git/config.html", 10, &reason));
  g_assert_cmpstr (reason, ==, "hidden");
  /* An unknown size is never too large. */
  g_assert_true (ferry_filter_keeps_file (filter, "big.html", G_MAXUINT64, &reason));

  /* Why, for people: the pattern that left it out, by name. */
  {
    g_autofree char *bak = ferry_filter_explain (filter, "old.bak.html", FALSE, "exclude");
    g_autofree char *in_drafts = ferry_filter_explain (filter, "drafts/post.html", FALSE, "exclude");
    g_autofree char *drafts = ferry_filter_explain (filter, "drafts", TRUE, "exclude");
    g_autofree char *big = ferry_filter_explain (filter, "big.html", FALSE, "too-large");

    g_assert_cmpstr (bak, ==, "Left out by the pattern “*.bak.html”");
    g_assert_cmpstr (in_drafts, ==, "Left out by the pattern “drafts/”");
    g_assert_cmpstr (drafts, ==, "Left out by the pattern “drafts/”");
    g_assert_true (g_str_has_prefix (big, "Left out: larger than "));
  }
}

static void
test_no_filter (void)
{
  g_autoptr(FerryFilter) filter = ferry_filter_new (NULL, NULL, FALSE, 0, NULL);
  const char *reason = NULL;

  g_assert_true (ferry_filter_is_empty (filter));
  g_assert_true (ferry_filter_is_empty (NULL));
  g_assert_true (ferry_filter_keeps_file (filter, ".anything", G_MAXUINT64 - 1, &reason));
  g_assert_true (ferry_filter_keeps_file (NULL, "x", 1, &reason));
  g_assert_true (ferry_filter_keeps_folder (NULL, ".git", &reason));
}

static void
test_bad_pattern (void)
{
  const char *excludes[] = { "ok", "/", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryFilter) filter = ferry_filter_new (NULL, excludes, FALSE, 0, &error);

  g_assert_null (filter);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT);
}

static void
test_sizes (void)
{
  static const struct {
    const char *text;
    gboolean    ok;
    guint64     bytes;
  } cases[] = {
    { "100", TRUE, 100 },
    { "512K", TRUE, 512 * 1024 },
    { "2M", TRUE, 2 * 1024 * 1024 },
    { "1.5G", TRUE, (guint64) 3 * 512 * 1024 * 1024 },
    { "2MiB", TRUE, 2 * 1024 * 1024 },
    { "2m/s", TRUE, 2 * 1024 * 1024 },
    { " 4k ", TRUE, 4096 },
    { "0", TRUE, 0 },
    { "", FALSE, 0 },
    { "-1M", FALSE, 0 },
    { "2X", FALSE, 0 },
    { "M", FALSE, 0 },
    { "2Mbogus", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint64 bytes = 0;
      gboolean ok = ferry_parse_size (cases[i].text, &bytes);

      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_cmpuint (bytes, ==, cases[i].bytes);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/filter/patterns", test_patterns);
  g_test_add_func ("/filter/rules", test_rules);
  g_test_add_func ("/filter/none", test_no_filter);
  g_test_add_func ("/filter/bad-pattern", test_bad_pattern);
  g_test_add_func ("/filter/sizes", test_sizes);
  return g_test_run ();
}
