/* test-outcome.c: outcome records and journal lines written as a run
 * writes them and read back as GListModels: 100 000 records open without
 * being parsed whole, every field round-trips (tabs, line breaks,
 * backslashes and UTF-8 in paths), a line cut by a kill is left out, and a
 * journal line keeps its kind, so the failed files of a log are found
 * without reading its words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "ferry-log-line.h"
#include "ferry-outcome.h"

static char *
temp_file (const char *name)
{
  g_autofree char *dir = g_dir_make_tmp ("ferry-outcome-XXXXXX", NULL);

  g_assert_nonnull (dir);
  return g_build_filename (dir, name, NULL);
}

static void
test_many_records (void)
{
  g_autofree char *path = temp_file ("run.records");
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) model = NULL;
  FerryOutcomeWriter *writer = ferry_outcome_writer_open (path, &error);
  const guint n = 100000;

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("folder %u/file-%06u.txt", i % 100, i);

      ferry_outcome_writer_add (writer, i % 3 == 0 ? FERRY_OUTCOME_UP_TO_DATE : FERRY_OUTCOME_COPIED,
                                FALSE, name, i, 1700000000 + i, i % 3 == 0 ? "identical" : NULL, NULL, 1);
    }
  g_assert_cmpuint (ferry_outcome_writer_get_lost (writer), ==, 0);
  ferry_outcome_writer_close (writer);

  model = ferry_outcome_list_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  g_assert_true (g_list_model_get_item_type (model) == FERRY_TYPE_OUTCOME);
  for (guint i = 0; i < n; i += 9973)
    {
      g_autoptr(FerryOutcome) outcome = g_list_model_get_item (model, i);
      g_autofree char *name = g_strdup_printf ("folder %u/file-%06u.txt", i % 100, i);

      g_assert_cmpstr (ferry_outcome_get_path (outcome), ==, name);
      g_assert_cmpint (ferry_outcome_get_size (outcome), ==, i);
      g_assert_cmpint (ferry_outcome_get_modified (outcome), ==, 1700000000 + i);
      g_assert_cmpint (ferry_outcome_get_kind (outcome), ==,
                       i % 3 == 0 ? FERRY_OUTCOME_UP_TO_DATE : FERRY_OUTCOME_COPIED);
      g_assert_cmpstr (ferry_outcome_get_reason (outcome), ==, i % 3 == 0 ? "identical" : "");
    }
  g_assert_null (g_list_model_get_item (model, n));
}

static void
test_fields_round_trip (void)
{
  g_autofree char *path = temp_file ("run.records");
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) model = NULL;
  g_autoptr(FerryOutcome) first = NULL;
  g_autoptr(FerryOutcome) second = NULL;
  FerryOutcomeWriter *writer = ferry_outcome_writer_open (path, &error);
  const char *odd = "tab\there\nline\\back;semi \"quote\" – Grüße 日本";
  int fd;

  g_assert_no_error (error);
  ferry_outcome_writer_add (writer, FERRY_OUTCOME_FAILED, FALSE, odd, -1, 0, "no-space",
                            "The destination is full\tnow", 5);
  ferry_outcome_writer_add (writer, FERRY_OUTCOME_CREATED, TRUE, "sub", -1, 1700000000, NULL, NULL, 1);
  ferry_outcome_writer_close (writer);
  /* A kill in the middle of a write leaves a line without its end. */
  fd = g_open (path, O_WRONLY | O_APPEND, 0);
  g_assert_cmpint (write (fd, "copied\tfile\t12", 14), ==, 14);
  close (fd);

  model = ferry_outcome_list_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  first = g_list_model_get_item (model, 0);
  g_assert_cmpstr (ferry_outcome_get_path (first), ==, odd);
  g_assert_cmpint (ferry_outcome_get_kind (first), ==, FERRY_OUTCOME_FAILED);
  g_assert_cmpint (ferry_outcome_get_size (first), ==, -1);
  g_assert_cmpint (ferry_outcome_get_modified (first), ==, 0);
  g_assert_cmpstr (ferry_outcome_get_reason (first), ==, "no-space");
  g_assert_cmpstr (ferry_outcome_get_message (first), ==, "The destination is full\tnow");
  g_assert_cmpuint (ferry_outcome_get_tries (first), ==, 5);
  g_assert_false (ferry_outcome_is_folder (first));
  g_assert_true (ferry_outcome_kind_is_problem (ferry_outcome_get_kind (first)));
  second = g_list_model_get_item (model, 1);
  g_assert_true (ferry_outcome_is_folder (second));
  g_assert_cmpint (ferry_outcome_get_kind (second), ==, FERRY_OUTCOME_CREATED);
}

static void
test_missing_file_is_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) model = ferry_outcome_list_open ("/nonexistent/ferry/run.records", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
}

static void
test_journal (void)
{
  g_autofree char *path = temp_file ("run.journal");
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  FerryLogLine *lines[] = {
    ferry_log_line_new (1700000000, FERRY_LOG_INFO, FERRY_LOG_KIND_FILE_COPIED, "a: b.txt", NULL),
    ferry_log_line_new (1700000001, FERRY_LOG_ERROR, FERRY_LOG_KIND_FILE_FAILED, "x\ty.txt",
                        "550 Permission denied"),
    ferry_log_line_new (1700000002, FERRY_LOG_ERROR, FERRY_LOG_KIND_RUN_FAILED, NULL, "The server went away"),
  };
  guint failures = 0;

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autofree char *line = ferry_log_line_serialize (lines[i]);

      g_string_append (text, line);
      g_object_unref (lines[i]);
    }
  /* A line from a newer Ferry, with a kind this one does not know. */
  g_string_append (text, "1700000003\twarning\tfile-teleported\tz.txt\tbeamed up\n");
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));

  model = ferry_log_journal_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(FerryLogLine) line = g_list_model_get_item (model, i);

      if (ferry_log_line_is_file_failure (line))
        {
          failures++;
          g_assert_cmpstr (ferry_log_line_get_path (line), ==, "x\ty.txt");
          g_assert_cmpstr (ferry_log_line_get_message (line), ==, "550 Permission denied");
        }
      if (i == 0)
        {
          g_assert_cmpint (ferry_log_line_get_kind (line), ==, FERRY_LOG_KIND_FILE_COPIED);
          g_assert_cmpstr (ferry_log_line_get_path (line), ==, "a: b.txt");
          g_assert_cmpint (ferry_log_line_get_time (line), ==, 1700000000);
        }
      if (i == 3)
        {
          g_assert_cmpint (ferry_log_line_get_kind (line), ==, FERRY_LOG_KIND_NOTE);
          g_assert_cmpint (ferry_log_line_get_level (line), ==, FERRY_LOG_WARNING);
          g_assert_cmpstr (ferry_log_line_get_text (line), ==, "beamed up");
        }
    }
  g_assert_cmpuint (failures, ==, 1);
}

/* A summary's numbers are numbers in the journal, not a sentence to read
 * back: written, parsed and rendered in the reader's words; a journal
 * from before keeps its numbers in the message and still reads. */
static void
test_numbers_round_trip (void)
{
  guint64 summary[] = { 2, 314600000, 182, 0, 15 };
  guint64 verdict[] = { 184, 1, 0 };
  guint64 filtered[] = { 3, 1 };
  g_autoptr(FerryLogLine) line = ferry_log_line_new_numbers (1700000000, FERRY_LOG_INFO, FERRY_LOG_KIND_SUMMARY, NULL,
                                                             summary, G_N_ELEMENTS (summary));
  g_autofree char *text = ferry_log_line_serialize (line);
  g_autoptr(FerryLogLine) back = ferry_log_line_parse (text, strlen (text) - 1);
  g_autoptr(FerryLogLine) verify = ferry_log_line_new_numbers (1700000000, FERRY_LOG_INFO,
                                                               FERRY_LOG_KIND_VERIFY_SUMMARY, NULL,
                                                               verdict, G_N_ELEMENTS (verdict));
  g_autoptr(FerryLogLine) left_out = ferry_log_line_new_numbers (1700000000, FERRY_LOG_INFO, FERRY_LOG_KIND_FILTERED, NULL,
                                                                 filtered, G_N_ELEMENTS (filtered));
  const char *old = "1700000000\tinfo\tsummary\t\t2 314600000 182 0 15";
  g_autoptr(FerryLogLine) legacy = ferry_log_line_parse (old, strlen (old));
  g_autofree char *size = g_format_size (314600000);
  g_autofree char *expected = g_strdup_printf ("Copied 2 files (%s), skipped 182, failed 0 in 1.5 s", size);

  g_assert_nonnull (back);
  g_assert_cmpuint (ferry_log_line_get_number (back, FERRY_LOG_SUMMARY_SKIPPED), ==, 182);
  g_assert_cmpstr (ferry_log_line_get_text (back), ==, expected);
  g_assert_nonnull (legacy);
  g_assert_cmpstr (ferry_log_line_get_text (legacy), ==, expected);
  g_assert_cmpstr (ferry_log_line_get_text (verify), ==, "1 difference found");
  g_assert_cmpstr (ferry_log_line_get_text (left_out), ==, "The filters left out 3 files and 1 folder with all in it");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/outcome/many-records", test_many_records);
  g_test_add_func ("/outcome/fields-round-trip", test_fields_round_trip);
  g_test_add_func ("/outcome/missing-file", test_missing_file_is_empty);
  g_test_add_func ("/outcome/journal", test_journal);
  g_test_add_func ("/outcome/numbers-round-trip", test_numbers_round_trip);
  return g_test_run ();
}
