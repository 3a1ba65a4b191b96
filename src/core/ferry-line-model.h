/* ferry-line-model.h: a file of records, one a line, as a GListModel.
 *
 * Run journals and outcome records are appended a line at a time while a
 * run goes, and read back here: the file is mapped and its line starts
 * indexed once, and an item is parsed only when asked for, so a model over
 * 100 000 records costs an index, not 100 000 objects. Each get_item()
 * parses afresh: views keep the few items they show.
 *
 * The fields of a line are separated by tabs; ferry_field_escape() keeps
 * tabs, line breaks and backslashes out of a field and
 * ferry_fields_split() brings them back. UTF-8 stays as it is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Parses one line (without its newline) into an item of the model's type,
 * or NULL to leave a damaged line out. */
typedef GObject *(*FerryLineParseFunc) (const char *line,
                                        gsize       length);

#define FERRY_TYPE_LINE_MODEL (ferry_line_model_get_type ())
G_DECLARE_FINAL_TYPE (FerryLineModel, ferry_line_model, FERRY, LINE_MODEL, GObject)

/* A missing file is an empty model; other read errors are errors. A last
 * line without its newline (a run killed mid-write) is left out. */
FerryLineModel *ferry_line_model_new      (const char          *path,
                                           GType                item_type,
                                           FerryLineParseFunc   parse,
                                           GError             **error);

/* Appends `field` to `out`, escaped. NULL is written as an empty field. */
void            ferry_field_escape        (GString             *out,
                                           const char          *field);
/* Splits a line into its fields, unescaped; NULL when it has fewer than
 * `n_fields`. */
char          **ferry_fields_split        (const char          *line,
                                           gsize                length,
                                           guint                n_fields);

G_END_DECLS
