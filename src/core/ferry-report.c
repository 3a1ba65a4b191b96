/* ferry-report.c: see ferry-report.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>
#include <time.h>

#include "ferry-enums.h"
#include "ferry-nick.h"
#include "ferry-report.h"

gboolean
ferry_report_format_from_string (const char        *text,
                                 FerryReportFormat *format)
{
  if (g_strcmp0 (text, "csv") == 0)
    *format = FERRY_REPORT_CSV;
  else if (g_strcmp0 (text, "json") == 0)
    *format = FERRY_REPORT_JSON;
  else
    return FALSE;
  return TRUE;
}

/* The years GDateTime can hold, 1 to 9999, and no locale: gmtime_r()
 * because a report formats one time per row. */
char *
ferry_report_format_time (gint64 unix_utc)
{
  time_t when = (time_t) unix_utc;
  struct tm tm;

  if (unix_utc == 0 || (gint64) when != unix_utc || gmtime_r (&when, &tm) == NULL ||
      tm.tm_year < 1 - 1900 || tm.tm_year > 9999 - 1900)
    return g_strdup ("");
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                          tm.tm_hour, tm.tm_min, tm.tm_sec);
}

const char *
ferry_report_plan_action (FerryOutcomeKind kind)
{
  switch (kind)
    {
    case FERRY_OUTCOME_COPIED:
      return "copy";
    case FERRY_OUTCOME_UPDATED:
      return "update";
    case FERRY_OUTCOME_RESUMED:
      return "resume";
    case FERRY_OUTCOME_DELETED:
      return "delete";
    case FERRY_OUTCOME_CREATED:
      return "create";
    case FERRY_OUTCOME_FAILED:
      return "fail";
    case FERRY_OUTCOME_NONE:
    case FERRY_OUTCOME_UP_TO_DATE:
    case FERRY_OUTCOME_REFUSED:
    case FERRY_OUTCOME_IGNORED:
    case FERRY_OUTCOME_EXCLUDED:
    case FERRY_OUTCOME_CANCELLED:
    default:
      return ferry_enum_to_nick (FERRY_TYPE_OUTCOME_KIND, kind);
    }
}

/* The reason people read: the message where there is one, the code else. */
static const char *
reason_of (FerryOutcome *outcome)
{
  const char *message = ferry_outcome_get_message (outcome);

  return *message != '\0' ? message : ferry_outcome_get_reason (outcome);
}

/* A spreadsheet takes a cell that begins with one of these for a formula
 * (OWASP's list for CSV injection): names come from servers Ferry does not
 * control, so such a cell gets a leading apostrophe, which Excel and
 * LibreOffice show as text. CSV only: JSON keeps every name exact. */
static gboolean
csv_cell_needs_guard (const char *cell)
{
  return cell != NULL && cell[0] != '\0' && strchr ("=+-@\t\r", cell[0]) != NULL;
}

/* RFC 4180: a field with a comma, a quote or a line break is quoted, and
 * its quotes doubled; a field a spreadsheet would run is guarded first. */
static void
append_csv_field (GString    *out,
                  const char *field)
{
  const char *guard = csv_cell_needs_guard (field) ? "'" : "";

  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      g_string_append (out, guard);
      g_string_append (out, field);
      return;
    }
  g_string_append_c (out, '"');
  g_string_append (out, guard);
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_csv_row (GString      *out,
                FerryOutcome *outcome)
{
  g_autofree char *modified = ferry_report_format_time (ferry_outcome_get_modified (outcome));
  g_autofree char *valid_path = g_utf8_make_valid (ferry_outcome_get_path (outcome), -1);
  g_autofree char *valid_reason = g_utf8_make_valid (reason_of (outcome), -1);

  append_csv_field (out, valid_path);
  g_string_append_c (out, ',');
  if (ferry_outcome_get_size (outcome) >= 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, ferry_outcome_get_size (outcome));
  g_string_append_c (out, ',');
  g_string_append (out, modified);
  g_string_append_c (out, ',');
  g_string_append (out, ferry_enum_to_nick (FERRY_TYPE_OUTCOME_KIND, ferry_outcome_get_kind (outcome)));
  g_string_append_c (out, ',');
  append_csv_field (out, valid_reason);
  g_string_append_printf (out, ",%u\r\n", ferry_outcome_get_tries (outcome));
}

/* RFC 8259: a string in quotes, with quotes, backslashes and control
 * characters escaped and the rest of the (valid) UTF-8 as it is. Rows are
 * written straight into the buffer: a tree of json-glib nodes per row cost
 * a third of a second for a plan of 100 000 entries. */
static void
append_json_string (GString    *out,
                    const char *text)
{
  const char *run = text;

  g_string_append_c (out, '"');
  for (const char *p = text; ; p++)
    {
      guchar c = (guchar) *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      g_string_append_len (out, run, p - run);
      if (c == '\0')
        break;
      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          g_string_append_printf (out, "\\u%04x", c);
          break;
        }
      run = p + 1;
    }
  g_string_append_c (out, '"');
}

/* One record as a JSON object on one line: a plan's entry ("action") or a
 * run's outcome ("outcome", with the reason's code and the tries). */
static void
append_json_row (GString      *out,
                 FerryOutcome *outcome,
                 gboolean      plan)
{
  g_autofree char *modified = ferry_report_format_time (ferry_outcome_get_modified (outcome));
  g_autofree char *valid_path = g_utf8_make_valid (ferry_outcome_get_path (outcome), -1);
  g_autofree char *valid_reason = g_utf8_make_valid (reason_of (outcome), -1);
  FerryOutcomeKind kind = ferry_outcome_get_kind (outcome);

  g_string_append (out, "{\"path\":");
  append_json_string (out, valid_path);
  g_string_append (out, plan ? ",\"action\":" : ",\"outcome\":");
  append_json_string (out, plan ? ferry_report_plan_action (kind)
                                : ferry_enum_to_nick (FERRY_TYPE_OUTCOME_KIND, kind));
  g_string_append (out, ferry_outcome_is_folder (outcome) ? ",\"type\":\"folder\"" : ",\"type\":\"file\"");
  if (ferry_outcome_get_size (outcome) >= 0)
    g_string_append_printf (out, ",\"size\":%" G_GINT64_FORMAT, ferry_outcome_get_size (outcome));
  else
    g_string_append (out, ",\"size\":null");
  g_string_append (out, ",\"modified\":");
  if (*modified != '\0')
    append_json_string (out, modified);
  else
    g_string_append (out, "null");
  g_string_append (out, ",\"reason\":");
  append_json_string (out, valid_reason);
  if (!plan)
    {
      g_autofree char *valid_code = g_utf8_make_valid (ferry_outcome_get_reason (outcome), -1);

      g_string_append (out, ",\"code\":");
      append_json_string (out, valid_code);
      g_string_append_printf (out, ",\"tries\":%u", ferry_outcome_get_tries (outcome));
    }
  g_string_append_c (out, '}');
}

static char *
node_to_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* Buffered writes: a row at a time would be a system call per row. */
static gboolean
flush_if_full (GString       *buffer,
               gboolean       force,
               GOutputStream *out,
               GCancellable  *cancellable,
               GError       **error)
{
  if (buffer->len == 0 || (!force && buffer->len < 64 * 1024))
    return TRUE;
  if (!g_output_stream_write_all (out, buffer->str, buffer->len, NULL, cancellable, error))
    return FALSE;
  g_string_truncate (buffer, 0);
  return TRUE;
}

gboolean
ferry_report_write (GListModel         *outcomes,
                    FerryReportFormat   format,
                    GOutputStream      *out,
                    GCancellable       *cancellable,
                    GError            **error)
{
  g_autoptr(GString) buffer = g_string_sized_new (128 * 1024);
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (outcomes), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  n = g_list_model_get_n_items (outcomes);
  if (format == FERRY_REPORT_CSV)
    g_string_append (buffer, "path,size,modified,outcome,reason,tries\r\n");
  else
    g_string_append (buffer, "[");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FerryOutcome) outcome = g_list_model_get_item (outcomes, i);

      if (ferry_outcome_get_kind (outcome) == FERRY_OUTCOME_NONE)
        continue;   /* a damaged record */
      if (format == FERRY_REPORT_CSV)
        append_csv_row (buffer, outcome);
      else
        {
          g_string_append (buffer, buffer->len > 0 && buffer->str[buffer->len - 1] == '[' ? "\n  " : ",\n  ");
          append_json_row (buffer, outcome, FALSE);
        }
      if (!flush_if_full (buffer, FALSE, out, cancellable, error))
        return FALSE;
    }
  if (format == FERRY_REPORT_JSON)
    g_string_append (buffer, "\n]\n");
  return flush_if_full (buffer, TRUE, out, cancellable, error);
}

gboolean
ferry_report_write_plan_json (GListModel     *plan,
                              GOutputStream  *out,
                              GCancellable   *cancellable,
                              GError        **error)
{
  g_autoptr(GString) buffer = g_string_sized_new (128 * 1024);
  g_autoptr(JsonBuilder) totals = json_builder_new ();
  g_autoptr(JsonNode) totals_node = NULL;
  g_autofree char *totals_text = NULL;
  guint64 files[FERRY_OUTCOME_CANCELLED + 1] = { 0 };
  guint64 bytes[FERRY_OUTCOME_CANCELLED + 1] = { 0 };
  guint n = g_list_model_get_n_items (plan);

  g_string_append (buffer, "{\n\"entries\": [");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FerryOutcome) outcome = g_list_model_get_item (plan, i);
      FerryOutcomeKind kind = ferry_outcome_get_kind (outcome);

      if (kind <= FERRY_OUTCOME_CANCELLED && !ferry_outcome_is_folder (outcome))
        {
          files[kind]++;
          bytes[kind] += MAX (ferry_outcome_get_size (outcome), 0);
        }
      g_string_append (buffer, i == 0 ? "\n  " : ",\n  ");
      append_json_row (buffer, outcome, TRUE);
      if (!flush_if_full (buffer, FALSE, out, cancellable, error))
        return FALSE;
    }
  g_string_append (buffer, "\n],\n\"totals\": ");

  json_builder_begin_object (totals);
  for (FerryOutcomeKind kind = FERRY_OUTCOME_COPIED; kind <= FERRY_OUTCOME_CANCELLED; kind++)
    {
      if (kind == FERRY_OUTCOME_CANCELLED || kind == FERRY_OUTCOME_CREATED)
        continue;
      json_builder_set_member_name (totals, ferry_report_plan_action (kind));
      json_builder_begin_object (totals);
      json_builder_set_member_name (totals, "files");
      json_builder_add_int_value (totals, files[kind]);
      json_builder_set_member_name (totals, "bytes");
      json_builder_add_int_value (totals, bytes[kind]);
      json_builder_end_object (totals);
    }
  json_builder_end_object (totals);
  totals_node = json_builder_get_root (totals);
  totals_text = node_to_text (totals_node);
  g_string_append (buffer, totals_text);
  g_string_append (buffer, "\n}\n");
  return flush_if_full (buffer, TRUE, out, cancellable, error);
}
