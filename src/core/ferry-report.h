/* ferry-report.h: the Migration Report (DESIGN.md, "ferry-cli": report).
 *
 * A run's outcome records (or a preview's plan) written for people and
 * spreadsheets: CSV with the header `path,size,modified,outcome,reason,tries`
 * (RFC 4180 quoting, UTF-8, CRLF line ends, `modified` in ISO 8601 UTC,
 * one row per record), or JSON, one object per record. Both stream: a
 * 100 000-file run is written a row at a time, never built whole.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ferry-outcome.h"

G_BEGIN_DECLS

typedef enum
{
  FERRY_REPORT_CSV,
  FERRY_REPORT_JSON,
} FerryReportFormat;

/* "csv" or "json". */
gboolean  ferry_report_format_from_string (const char         *text,
                                           FerryReportFormat  *format);

/* `outcomes`: FerryOutcome items. */
gboolean  ferry_report_write              (GListModel         *outcomes,
                                           FerryReportFormat   format,
                                           GOutputStream      *out,
                                           GCancellable       *cancellable,
                                           GError            **error);

/* A preview's plan for `ferry-cli run --dry-run --json`: one object
 * {"totals": {ACTION: {"files", "bytes"}…}, "entries": [{"path", "action",
 * "size", "modified", "reason"}…]}. */
gboolean  ferry_report_write_plan_json    (GListModel         *plan,
                                           GOutputStream      *out,
                                           GCancellable       *cancellable,
                                           GError            **error);

/* The word a preview uses for what a run would do: "copy", "update",
 * "resume", "delete", "up-to-date", "excluded", "refused", "ignored",
 * "fail", "create". */
const char *ferry_report_plan_action      (FerryOutcomeKind    kind);

/* "2026-11-27T14:00:00Z"; "" for 0 (unknown). */
char       *ferry_report_format_time      (gint64              unix_utc);

G_END_DECLS
