/* test-report.c: the JSON a report and a dry run write, read back with
 * json-glib: every field of every row comes back as it went in, whatever
 * a server put in a file's name (quotes, backslashes, control characters,
 * bytes that are not UTF-8), and the totals add up. The CSV report quotes
 * as RFC 4180 says and gives a cell a spreadsheet would take for a formula
 * a leading apostrophe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ferry-enums.h"
#include "ferry-nick.h"
#include "ferry-outcome.h"
#include "ferry-report.h"

typedef struct
{
  FerryOutcomeKind kind;
  gboolean         folder;
  const char      *path;
  gint64           size;
  gint64           modified;
  const char      *reason;
  const char      *message;
  guint            tries;
} Row;

static const Row rows[] = {
  { FERRY_OUTCOME_COPIED, FALSE, "plain/name.txt", 4096, 1700000000, "", "", 1 },
  { FERRY_OUTCOME_FAILED, FALSE, "quote\"and\\backslash", 10, 0, "io-error", "Said \"no\" \\ twice", 3 },
  { FERRY_OUTCOME_REFUSED, FALSE, "tab\there\nnew line\rreturn", -1, 1, "unsafe-name", "", 0 },
  { FERRY_OUTCOME_UP_TO_DATE, FALSE, "ctl\x01\x1f\x7f end", 0, 253402300799, "", "", 0 },
  { FERRY_OUTCOME_CREATED, TRUE, "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x9a\xa2", -1, 0, "", "", 0 },
  { FERRY_OUTCOME_IGNORED, FALSE, "not utf-8 \xff\xfe here", G_MAXINT64, 0, "bad-\xc3", "", 0 },
  { FERRY_OUTCOME_UPDATED, FALSE, "", 1, 0, "", "", 2 },
};

static GListModel *
outcomes (void)
{
  GListStore *store = g_list_store_new (FERRY_TYPE_OUTCOME);

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(FerryOutcome) outcome = ferry_outcome_new (rows[i].kind, rows[i].folder, rows[i].path,
                                                           rows[i].size, rows[i].modified,
                                                           rows[i].reason, rows[i].message, rows[i].tries);
      g_list_store_append (store, outcome);
    }
  return G_LIST_MODEL (store);
}

static JsonNode *
parse_output (GMemoryOutputStream *out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *data = g_memory_output_stream_get_data (out);
  gsize size = g_memory_output_stream_get_data_size (out);

  g_assert_true (g_utf8_validate (data, (gssize) size, NULL));
  json_parser_load_from_data (parser, data, (gssize) size, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
check_row (JsonObject *object,
           const Row  *row,
           gboolean    plan)
{
  g_autofree char *path = g_utf8_make_valid (row->path, -1);
  g_autofree char *reason = g_utf8_make_valid (*row->message != '\0' ? row->message : row->reason, -1);
  g_autofree char *modified = ferry_report_format_time (row->modified);

  g_assert_cmpstr (json_object_get_string_member (object, "path"), ==, path);
  if (plan)
    g_assert_cmpstr (json_object_get_string_member (object, "action"), ==, ferry_report_plan_action (row->kind));
  else
    g_assert_cmpstr (json_object_get_string_member (object, "outcome"), ==,
                     ferry_enum_to_nick (FERRY_TYPE_OUTCOME_KIND, row->kind));
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, row->folder ? "folder" : "file");
  if (row->size >= 0)
    g_assert_cmpint (json_object_get_int_member (object, "size"), ==, row->size);
  else
    g_assert_true (json_object_get_null_member (object, "size"));
  if (*modified != '\0')
    g_assert_cmpstr (json_object_get_string_member (object, "modified"), ==, modified);
  else
    g_assert_true (json_object_get_null_member (object, "modified"));
  g_assert_cmpstr (json_object_get_string_member (object, "reason"), ==, reason);
  if (!plan)
    {
      g_autofree char *code = g_utf8_make_valid (row->reason, -1);

      g_assert_cmpstr (json_object_get_string_member (object, "code"), ==, code);
      g_assert_cmpint (json_object_get_int_member (object, "tries"), ==, row->tries);
    }
  else
    {
      g_assert_false (json_object_has_member (object, "code"));
      g_assert_false (json_object_has_member (object, "tries"));
    }
}

static void
test_report_json (void)
{
  g_autoptr(GListModel) model = outcomes ();
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  g_assert_true (ferry_report_write (model, FERRY_REPORT_JSON, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  root = parse_output (G_MEMORY_OUTPUT_STREAM (out));
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, G_N_ELEMENTS (rows));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    check_row (json_array_get_object_element (array, i), &rows[i], FALSE);
}

static void
test_plan_json (void)
{
  g_autoptr(GListModel) model = outcomes ();
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *entries;
  JsonObject *totals;

  g_assert_true (ferry_report_write_plan_json (model, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  root = parse_output (G_MEMORY_OUTPUT_STREAM (out));
  entries = json_object_get_array_member (json_node_get_object (root), "entries");
  g_assert_cmpuint (json_array_get_length (entries), ==, G_N_ELEMENTS (rows));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    check_row (json_array_get_object_element (entries, i), &rows[i], TRUE);

  /* Files only, folders not counted; sizes of -1 count as 0. */
  totals = json_object_get_object_member (json_node_get_object (root), "totals");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (totals, "copy"), "files"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (totals, "copy"), "bytes"), ==, 4096);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (totals, "refused"), "bytes"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (totals, "ignored"), "bytes"), ==,
                   G_MAXINT64);
  g_assert_false (json_object_has_member (totals, "create"));
}

/* An empty plan and an empty report are still JSON. */
static void
test_empty (void)
{
  g_autoptr(GListModel) model = G_LIST_MODEL (g_list_store_new (FERRY_TYPE_OUTCOME));
  g_autoptr(GOutputStream) report = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) plan = g_memory_output_stream_new_resizable ();
  g_autoptr(JsonNode) report_root = NULL;
  g_autoptr(JsonNode) plan_root = NULL;

  g_assert_true (ferry_report_write (model, FERRY_REPORT_JSON, report, NULL, NULL));
  g_assert_true (g_output_stream_close (report, NULL, NULL));
  report_root = parse_output (G_MEMORY_OUTPUT_STREAM (report));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (report_root)), ==, 0);

  g_assert_true (ferry_report_write_plan_json (model, plan, NULL, NULL));
  g_assert_true (g_output_stream_close (plan, NULL, NULL));
  plan_root = parse_output (G_MEMORY_OUTPUT_STREAM (plan));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (plan_root),
                                                                         "entries")), ==, 0);
}

/* CSV injection: a name (or reason) that begins with =, +, -, @, a tab or
 * a carriage return gets a leading apostrophe, inside the quotes when the
 * cell is quoted; any other cell, and the JSON, stay exact. */
static void
test_csv_formulas (void)
{
  static const struct
  {
    const char *path;
    const char *reason;
    const char *row;
  } cases[] = {
    { "=1+2.txt", "", "'=1+2.txt,5,2023-11-14T22:13:20Z,copied,,1\r\n" },
    { "+SUM(A1).txt", "", "'+SUM(A1).txt,5,2023-11-14T22:13:20Z,copied,,1\r\n" },
    { "@cmd.txt", "", "'@cmd.txt,5,2023-11-14T22:13:20Z,copied,,1\r\n" },
    { "-3+4.txt", "", "'-3+4.txt,5,2023-11-14T22:13:20Z,copied,,1\r\n" },
    { "\tTab.txt", "", "'\tTab.txt,5,2023-11-14T22:13:20Z,copied,,1\r\n" },
    { "\rReturn.txt", "", "\"'\rReturn.txt\",5,2023-11-14T22:13:20Z,copied,,1\r\n" },
    { "=HYPERLINK(\"x\",\"y\")", "", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\",5,2023-11-14T22:13:20Z,copied,,1\r\n" },
    { "dir/=1+2.txt", "-oops", "dir/=1+2.txt,5,2023-11-14T22:13:20Z,copied,'-oops,1\r\n" },
    { "a=b+c-d@e.txt", "", "a=b+c-d@e.txt,5,2023-11-14T22:13:20Z,copied,,1\r\n" },
    { "'quoted.txt", "", "'quoted.txt,5,2023-11-14T22:13:20Z,copied,,1\r\n" },
  };
  GListStore *store = g_list_store_new (FERRY_TYPE_OUTCOME);
  g_autoptr(GListModel) model = G_LIST_MODEL (store);
  g_autoptr(GOutputStream) csv = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) json = g_memory_output_stream_new_resizable ();
  g_autoptr(GString) expected = g_string_new ("path,size,modified,outcome,reason,tries\r\n");
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  JsonArray *array;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FerryOutcome) outcome = ferry_outcome_new (FERRY_OUTCOME_COPIED, FALSE, cases[i].path, 5,
                                                           1700000000, cases[i].reason, "", 1);
      g_list_store_append (store, outcome);
      g_string_append (expected, cases[i].row);
    }

  g_assert_true (ferry_report_write (model, FERRY_REPORT_CSV, csv, NULL, NULL));
  g_assert_true (g_output_stream_close (csv, NULL, NULL));
  text = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (csv)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (csv)));
  g_assert_cmpstr (text, ==, expected->str);

  g_assert_true (ferry_report_write (model, FERRY_REPORT_JSON, json, NULL, NULL));
  g_assert_true (g_output_stream_close (json, NULL, NULL));
  root = parse_output (G_MEMORY_OUTPUT_STREAM (json));
  array = json_node_get_array (root);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      g_assert_cmpstr (json_object_get_string_member (object, "path"), ==, cases[i].path);
      g_assert_cmpstr (json_object_get_string_member (object, "code"), ==, cases[i].reason);
    }
}

/* Times as ISO 8601 in UTC, and none for 0 or past the year 9999. */
static void
test_times (void)
{
  g_autofree char *epoch = ferry_report_format_time (0);
  g_autofree char *some = ferry_report_format_time (1700000000);
  g_autofree char *first = ferry_report_format_time (1);
  g_autofree char *last = ferry_report_format_time (253402300799);
  g_autofree char *beyond = ferry_report_format_time (253402300800);
  g_autofree char *before = ferry_report_format_time (-62135596801);

  g_assert_cmpstr (epoch, ==, "");
  g_assert_cmpstr (some, ==, "2023-11-14T22:13:20Z");
  g_assert_cmpstr (first, ==, "1970-01-01T00:00:01Z");
  g_assert_cmpstr (last, ==, "9999-12-31T23:59:59Z");
  g_assert_cmpstr (beyond, ==, "");
  g_assert_cmpstr (before, ==, "");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/report/json", test_report_json);
  g_test_add_func ("/report/plan-json", test_plan_json);
  g_test_add_func ("/report/empty", test_empty);
  g_test_add_func ("/report/times", test_times);
  g_test_add_func ("/report/csv-formulas", test_csv_formulas);
  return g_test_run ();
}
