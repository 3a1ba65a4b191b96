/* ferry-line-model.c: see ferry-line-model.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ferry-line-model.h"

struct _FerryLineModel
{
  GObject parent_instance;

  GMappedFile        *file;
  const char         *contents;
  GArray             *starts;     /* guint64 offset of each complete line */
  GType               item_type;
  FerryLineParseFunc  parse;
};

static void ferry_line_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryLineModel, ferry_line_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, ferry_line_model_list_model_init))

static GType
ferry_line_model_get_item_type (GListModel *model)
{
  return FERRY_LINE_MODEL (model)->item_type;
}

static guint
ferry_line_model_get_n_items (GListModel *model)
{
  FerryLineModel *self = FERRY_LINE_MODEL (model);

  /* The last start is the end of the last complete line. */
  return self->starts->len > 0 ? self->starts->len - 1 : 0;
}

static gpointer
ferry_line_model_get_item (GListModel *model,
                           guint       position)
{
  FerryLineModel *self = FERRY_LINE_MODEL (model);
  guint64 start, end;
  GObject *item;

  if (position + 1 >= self->starts->len)
    return NULL;
  start = g_array_index (self->starts, guint64, position);
  end = g_array_index (self->starts, guint64, position + 1) - 1;   /* the newline */
  item = self->parse (self->contents + start, end - start);
  if (item == NULL)
    /* A damaged line still takes its place: an empty item says so
     * rather than shifting every later position. */
    item = g_object_new (self->item_type, NULL);
  return item;
}

static void
ferry_line_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = ferry_line_model_get_item_type;
  iface->get_n_items = ferry_line_model_get_n_items;
  iface->get_item = ferry_line_model_get_item;
}

static void
ferry_line_model_finalize (GObject *object)
{
  FerryLineModel *self = FERRY_LINE_MODEL (object);

  g_clear_pointer (&self->file, g_mapped_file_unref);
  g_clear_pointer (&self->starts, g_array_unref);
  G_OBJECT_CLASS (ferry_line_model_parent_class)->finalize (object);
}

static void
ferry_line_model_class_init (FerryLineModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ferry_line_model_finalize;
}

static void
ferry_line_model_init (FerryLineModel *self)
{
  self->starts = g_array_new (FALSE, FALSE, sizeof (guint64));
}

FerryLineModel *
ferry_line_model_new (const char          *path,
                      GType                item_type,
                      FerryLineParseFunc   parse,
                      GError             **error)
{
  g_autoptr(FerryLineModel) self = NULL;
  g_autoptr(GError) local_error = NULL;
  guint64 offset = 0;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (parse != NULL, NULL);

  self = g_object_new (FERRY_TYPE_LINE_MODEL, NULL);
  self->item_type = item_type;
  self->parse = parse;
  self->file = g_mapped_file_new (path, FALSE, &local_error);
  if (self->file == NULL)
    {
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      return g_steal_pointer (&self);
    }
  self->contents = g_mapped_file_get_contents (self->file);
  length = g_mapped_file_get_length (self->file);
  if (self->contents == NULL || length == 0)
    return g_steal_pointer (&self);

  g_array_append_val (self->starts, offset);
  while (offset < length)
    {
      const char *newline = memchr (self->contents + offset, '\n', length - offset);

      if (newline == NULL)
        break;
      offset = newline - self->contents + 1;
      g_array_append_val (self->starts, offset);
    }
  return g_steal_pointer (&self);
}

void
ferry_field_escape (GString    *out,
                    const char *field)
{
  if (field == NULL)
    return;
  for (const char *p = field; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        default:
          g_string_append_c (out, *p);
        }
    }
}

static char *
unescape (const char *start,
          const char *end)
{
  GString *out = g_string_sized_new (end - start);

  for (const char *p = start; p < end; p++)
    {
      if (*p != '\\' || p + 1 == end)
        {
          g_string_append_c (out, *p);
          continue;
        }
      p++;
      switch (*p)
        {
        case 't':
          g_string_append_c (out, '\t');
          break;
        case 'n':
          g_string_append_c (out, '\n');
          break;
        case 'r':
          g_string_append_c (out, '\r');
          break;
        default:
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

char **
ferry_fields_split (const char *line,
                    gsize       length,
                    guint       n_fields)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  const char *end = line + length;
  const char *start = line;

  for (const char *p = line; p <= end; p++)
    {
      if (p == end || *p == '\t')
        {
          g_ptr_array_add (fields, unescape (start, p));
          start = p + 1;
        }
    }
  if (fields->len < n_fields)
    return NULL;
  g_ptr_array_add (fields, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&fields), FALSE);
}
