/* test-name.c: hostile names from servers are refused with a reason that is
 * safe to log, joined paths never leave their root, and temporary names
 * stay valid names.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-name.h"

static void
assert_refused (const char *name,
                gsize       length,
                const char *reason_part)
{
  g_autofree char *reason = NULL;

  g_assert_false (ferry_name_check (name, length, &reason));
  g_assert_nonnull (reason);
  if (strstr (reason, reason_part) == NULL)
    g_error ("reason “%s” does not mention “%s”", reason, reason_part);
}

static void
test_hostile_names (void)
{
  g_autofree char *huge = g_strnfill (100000, 'a');

  assert_refused ("", 0, "empty");
  assert_refused (".", 1, "“.”");
  assert_refused ("..", 2, "“..”");
  assert_refused ("../x", 4, "/");
  assert_refused ("a/../../x", 9, "/");
  assert_refused ("/etc/x", 6, "/");
  assert_refused ("x\\..\\y", 6, "\\");
  assert_refused ("x\ny", 3, "control");
  assert_refused ("a\0b", 3, "NUL");
  assert_refused ("\x1b[31mred", 8, "control");
  assert_refused ("del\x7f", 4, "control");
  assert_refused (huge, 100000, "255");
  assert_refused ("\xff\xfe", 2, "UTF-8");
}

static void
test_ordinary_names (void)
{
  const char *names[] = { "index.html", "my file.txt", " lead", "...", ".hidden", "Ünïcødé ✓", "a;b&c$(d)" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_true (ferry_name_check (names[i], strlen (names[i]), NULL));
  {
    g_autofree char *max = g_strnfill (255, 'b');

    g_assert_true (ferry_name_check (max, 255, NULL));
  }
}

static void
test_escape_for_log (void)
{
  g_autofree char *ansi = ferry_name_escape_for_log ("\x1b[2Jboom\n", 9);
  g_autofree char *nul = ferry_name_escape_for_log ("a\0b", 3);
  g_autofree char *long_name = NULL;
  g_autofree char *huge = g_strnfill (100000, 'z');

  g_assert_cmpstr (ansi, ==, "\\x1B[2Jboom\\x0A");
  g_assert_cmpstr (nul, ==, "a\\x00b");
  long_name = ferry_name_escape_for_log (huge, 100000);
  g_assert_true (g_str_has_suffix (long_name, "…"));
  g_assert_cmpuint (g_utf8_strlen (long_name, -1), ==, 81);
}

static void
test_join_stays_inside (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ok = ferry_path_join_checked ("/srv/dest/", "site/a b/index.html", &error);
  g_autofree char *escape = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (ok, ==, "/srv/dest/site/a b/index.html");

  escape = ferry_path_join_checked ("/srv/dest", "site/../../etc/passwd", &error);
  g_assert_null (escape);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_BAD_NAME);
  g_clear_error (&error);

  g_assert_null (ferry_path_join_checked ("/srv/dest", "a/\x1b[31m/b", &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_BAD_NAME);
  /* The message is safe to print. */
  g_assert_null (strchr (error->message, '\x1b'));
}

static void
test_temp_names (void)
{
  g_autofree char *simple = ferry_path_temp_name ("/dest/dir/index.html");
  g_autofree char *long_base = g_strnfill (255, 'n');
  g_autofree char *long_path = g_strconcat ("/dest/", long_base, NULL);
  g_autofree char *long_temp = ferry_path_temp_name (long_path);
  g_autofree char *long_temp2 = ferry_path_temp_name (long_path);
  const char *base;

  g_assert_cmpstr (simple, ==, "/dest/dir/.index.html.ferry-part");
  g_assert_true (ferry_name_is_temp (".index.html.ferry-part"));
  g_assert_false (ferry_name_is_temp ("index.html"));

  base = strrchr (long_temp, '/') + 1;
  g_assert_cmpuint (strlen (base), <=, FERRY_NAME_MAX_BYTES);
  g_assert_true (ferry_name_check (base, strlen (base), NULL));
  g_assert_true (ferry_name_is_temp (base));
  /* Stable, so an interrupted copy resumes into the same part file. */
  g_assert_cmpstr (long_temp, ==, long_temp2);
}

static void
test_reason_shows_name_safely (void)
{
  g_autofree char *ansi = NULL;
  g_autofree char *huge_reason = NULL;
  g_autofree char *c1 = NULL;
  g_autofree char *huge = g_strnfill (100000, 'h');

  /* The log line names the file, but the escape sequence cannot act. */
  g_assert_false (ferry_name_check ("\x1b]0;pwned\x07", 10, &ansi));
  g_assert_null (strchr (ansi, '\x1b'));
  g_assert_null (strchr (ansi, '\x07'));
  g_assert_nonnull (strstr (ansi, "\\x1B]0;pwned\\x07"));
  g_assert_nonnull (strstr (ansi, "control"));

  /* A 100 000-byte name gives a short reason. */
  g_assert_false (ferry_name_check (huge, 100000, &huge_reason));
  g_assert_cmpuint (strlen (huge_reason), <, 300);
  g_assert_nonnull (strstr (huge_reason, "…"));

  /* U+009B is a one-byte CSI on some terminals: refused and escaped. */
  g_assert_false (ferry_name_check ("a\xc2\x9b" "31m", 6, &c1));
  g_assert_nonnull (strstr (c1, "\\u009B"));
}

static void
test_escape_unusual (void)
{
  g_autofree char *bidi = ferry_name_escape_for_log ("invoice\xe2\x80\xaeslx.exe", 17);
  g_autofree char *latin1 = ferry_name_escape_for_log ("caf\xe9", 4);
  g_autofree char *backslash = ferry_name_escape_for_log ("a\\b", 3);
  g_autofree char *reason = NULL;

  /* A right-to-left override is allowed in a name but shown plainly in logs. */
  g_assert_cmpstr (bidi, ==, "invoice\\u202Eslx.exe");
  g_assert_true (ferry_name_check ("invoice\xe2\x80\xaeslx.exe", 17, NULL));
  /* Latin-1 from an old server: refused for a local name, shown byte-wise. */
  g_assert_cmpstr (latin1, ==, "caf\\xE9");
  g_assert_false (ferry_name_check ("caf\xe9", 4, &reason));
  g_assert_nonnull (strstr (reason, "UTF-8"));
  g_assert_cmpstr (backslash, ==, "a\\x5Cb");
}

static void
test_join_hostile (void)
{
  const char *hostile[] = { "..", "../x", "a/../../x", "/etc/x", "x\ny", "ok/.", "a/\xff/b", "a\\..\\..\\x" };

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = ferry_path_join_checked ("/srv/dest", hostile[i], &error);

      g_assert_null (path);
      g_assert_error (error, FERRY_ERROR, FERRY_ERROR_BAD_NAME);
      g_assert_null (strchr (error->message, '\n'));
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *root_only = ferry_path_join_checked ("/", "a//b/", &error);
    g_autofree char *same = ferry_path_join_checked ("/srv/dest", "", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (root_only, ==, "/a/b");
    g_assert_cmpstr (same, ==, "/srv/dest");
  }
}

static void
test_temp_names_long_utf8 (void)
{
  /* 127 × "é" = 254 bytes: a valid name whose temporary name must be cut,
   * on a character boundary. */
  GString *a = g_string_new ("/d/");
  GString *b = g_string_new ("/d/");
  g_autofree char *temp_a = NULL;
  g_autofree char *temp_b = NULL;
  const char *base_a, *base_b;

  for (int i = 0; i < 127; i++)
    g_string_append (a, "é");
  /* Same start, different end. */
  for (int i = 0; i < 126; i++)
    g_string_append (b, "é");
  g_string_append (b, "yx");
  temp_a = ferry_path_temp_name (a->str);
  temp_b = ferry_path_temp_name (b->str);
  base_a = strrchr (temp_a, '/') + 1;
  base_b = strrchr (temp_b, '/') + 1;

  g_assert_true (g_str_has_prefix (temp_a, "/d/.éé"));
  g_assert_cmpuint (strlen (base_a), <=, FERRY_NAME_MAX_BYTES);
  g_assert_true (ferry_name_check (base_a, strlen (base_a), NULL));
  g_assert_true (ferry_name_is_temp (base_a));
  g_assert_true (ferry_name_check (base_b, strlen (base_b), NULL));
  g_assert_cmpstr (base_a, !=, base_b);
  g_string_free (a, TRUE);
  g_string_free (b, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/name/hostile", test_hostile_names);
  g_test_add_func ("/name/ordinary", test_ordinary_names);
  g_test_add_func ("/name/escape-for-log", test_escape_for_log);
  g_test_add_func ("/name/join-stays-inside", test_join_stays_inside);
  g_test_add_func ("/name/temp-names", test_temp_names);
  g_test_add_func ("/name/reason-shows-name-safely", test_reason_shows_name_safely);
  g_test_add_func ("/name/escape-unusual", test_escape_unusual);
  g_test_add_func ("/name/join-hostile", test_join_hostile);
  g_test_add_func ("/name/temp-names-long-utf8", test_temp_names_long_utf8);

  return g_test_run ();
}
