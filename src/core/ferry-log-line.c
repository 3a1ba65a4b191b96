/* ferry-log-line.c: see ferry-log-line.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry-enums.h"
#include "ferry-nick.h"
#include "ferry-line-model.h"
#include "ferry-log-line.h"

struct _FerryLogLine
{
  GObject parent_instance;

  gint64         time;
  FerryLogLevel  level;
  FerryLogKind   kind;
  char          *path;
  char          *message;
  char          *text;      /* rendered on first use */
};

G_DEFINE_FINAL_TYPE (FerryLogLine, ferry_log_line, G_TYPE_OBJECT)

static void
ferry_log_line_finalize (GObject *object)
{
  FerryLogLine *self = FERRY_LOG_LINE (object);

  g_free (self->path);
  g_free (self->message);
  g_free (self->text);
  G_OBJECT_CLASS (ferry_log_line_parent_class)->finalize (object);
}

static void
ferry_log_line_class_init (FerryLogLineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ferry_log_line_finalize;
}

static void
ferry_log_line_init (FerryLogLine *self)
{
}

FerryLogLine *
ferry_log_line_new (gint64         time,
                    FerryLogLevel  level,
                    FerryLogKind   kind,
                    const char    *path,
                    const char    *message)
{
  FerryLogLine *self = g_object_new (FERRY_TYPE_LOG_LINE, NULL);

  self->time = time;
  self->level = level;
  self->kind = kind;
  self->path = path != NULL && *path != '\0' ? g_strdup (path) : NULL;
  self->message = g_strdup (message != NULL ? message : "");
  /* One line per line, whatever a server put in its answer. */
  for (char *p = self->message; *p != '\0'; p++)
    if ((guchar) *p < 0x20)
      *p = ' ';
  return self;
}

gint64
ferry_log_line_get_time (FerryLogLine *self)
{
  g_return_val_if_fail (FERRY_IS_LOG_LINE (self), 0);
  return self->time;
}

FerryLogLevel
ferry_log_line_get_level (FerryLogLine *self)
{
  g_return_val_if_fail (FERRY_IS_LOG_LINE (self), FERRY_LOG_INFO);
  return self->level;
}

FerryLogKind
ferry_log_line_get_kind (FerryLogLine *self)
{
  g_return_val_if_fail (FERRY_IS_LOG_LINE (self), FERRY_LOG_KIND_NOTE);
  return self->kind;
}

const char *
ferry_log_line_get_path (FerryLogLine *self)
{
  g_return_val_if_fail (FERRY_IS_LOG_LINE (self), NULL);
  return self->path;
}

const char *
ferry_log_line_get_message (FerryLogLine *self)
{
  g_return_val_if_fail (FERRY_IS_LOG_LINE (self), "");
  return self->message != NULL ? self->message : "";
}

gboolean
ferry_log_line_is_file_failure (FerryLogLine *self)
{
  g_return_val_if_fail (FERRY_IS_LOG_LINE (self), FALSE);
  return self->kind == FERRY_LOG_KIND_FILE_FAILED && self->path != NULL;
}

/* "N SOURCE → DESTINATION": the number of connections, then the two ends
 * as the run named them (ferry_log_line_started_message()). */
static char *
render_started (const char *message)
{
  char *rest = NULL;
  guint64 n = g_ascii_strtoull (message, &rest, 10);

  if (rest == message || *rest != ' ')
    return g_strdup (message);
  return g_strdup_printf (ngettext ("Started: %s, %u connection", "Started: %s, %u connections", (gulong) n),
                          rest + 1, (guint) n);
}

/* "COPIED BYTES SKIPPED FAILED TENTHS-OF-SECONDS" (ferry_log_line_summary_message()). */
static char *
render_summary (const char *message)
{
  guint64 copied, bytes, skipped, failed, tenths;
  g_autofree char *size = NULL;

  if (sscanf (message, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
              " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &copied, &bytes, &skipped, &failed, &tenths) != 5)
    return g_strdup (message);
  size = g_format_size (bytes);
  /* Translators: the summary line of a run: copied files, their size,
   * skipped and failed files, seconds. */
  return g_strdup_printf (ngettext ("Copied %" PRIu64 " file (%s), skipped %" PRIu64 ", failed %" PRIu64 " in %.1f s",
                                    "Copied %" PRIu64 " files (%s), skipped %" PRIu64 ", failed %" PRIu64 " in %.1f s",
                                    (gulong) MIN (copied, G_MAXULONG)),
                          (guint64) copied, size, (guint64) skipped, (guint64) failed, tenths / 10.0);
}

/* "NICK [N]" (FERRY_LOG_KIND_COMPARED). */
static char *
render_compared (const char *message)
{
  guint64 n = 0;

  if (g_str_has_prefix (message, "size-and-time"))
    return g_strdup (_("Files are compared by size and modification time"));
  if (g_str_has_prefix (message, "size-and-recorded-time"))
    {
      const char *count = strchr (message, ' ');

      if (count != NULL)
        n = g_ascii_strtoull (count + 1, NULL, 10);
      /* Translators: a run's way of telling a file up to date when the
       * destination server cannot set modification times. */
      return g_strdup_printf (ngettext ("Files are compared by size and by the source’s modification time "
                                        "recorded at their last copy (the destination cannot keep times; "
                                        "%" PRIu64 " file on record)",
                                        "Files are compared by size and by the source’s modification time "
                                        "recorded at their last copy (the destination cannot keep times; "
                                        "%" PRIu64 " files on record)",
                                        (gulong) MIN (n, G_MAXULONG)),
                              (guint64) n);
    }
  if (g_str_has_prefix (message, "size-only"))
    return g_strdup (_("Files are compared by size only: the destination cannot keep modification "
                       "times, and no earlier copy recorded the source’s"));
  return g_strdup (message);
}

char *
ferry_log_line_started_message (guint       connections,
                                const char *source,
                                const char *destination)
{
  return g_strdup_printf ("%u %s → %s", connections, source, destination);
}

char *
ferry_log_line_summary_message (guint64 copied,
                                guint64 bytes,
                                guint64 skipped,
                                guint64 failed,
                                gint64  microseconds)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                          " %" G_GUINT64_FORMAT " %" G_GINT64_FORMAT,
                          copied, bytes, skipped, failed, MAX (microseconds, 0) / 100000);
}

static char *
render (FerryLogLine *self)
{
  const char *path = self->path != NULL ? self->path : "";
  const char *message = self->message != NULL ? self->message : "";

  switch (self->kind)
    {
    case FERRY_LOG_KIND_FOLDER_CREATED:
      return g_strdup_printf (_("Created the folder %s"), path);
    case FERRY_LOG_KIND_FILE_COPIED:
      if (*message != '\0')
        /* Translators: a file, then the size of the partial copy it resumed */
        return g_strdup_printf (_("Copied %s (resumed at %s)"), path, message);
      return g_strdup_printf (_("Copied %s"), path);
    case FERRY_LOG_KIND_FILE_FAILED:
      /* Translators: a file, then why it failed */
      return g_strdup_printf (_("%s: %s"), path, message);
    case FERRY_LOG_KIND_FILE_SKIPPED:
      return g_strdup_printf (_("%s: %s, skipped"), path, message);
    case FERRY_LOG_KIND_FILE_RETRY:
      return g_strdup_printf (_("%s: %s; trying again"), path, message);
    case FERRY_LOG_KIND_FILE_RESTART:
      return g_strdup_printf (_("%s: could not resume (%s); copying it again from the start"), path, message);
    case FERRY_LOG_KIND_FILE_DELETED:
      if (strcmp (message, "trash") == 0)
        return g_strdup_printf (_("Moved %s to the Trash: gone from the source"), path);
      if (strcmp (message, "dry-run") == 0)
        return g_strdup_printf (_("Would delete %s: gone from the source"), path);
      return g_strdup_printf (_("Deleted %s: gone from the source"), path);
    case FERRY_LOG_KIND_FILE_DIFFERS:
      if (strcmp (message, "missing") == 0)
        return g_strdup_printf (_("Missing at the destination: %s"), path);
      if (strcmp (message, "extra") == 0)
        return g_strdup_printf (_("Only at the destination: %s"), path);
      if (strcmp (message, "size") == 0)
        return g_strdup_printf (_("Differs in size: %s"), path);
      if (strcmp (message, "time") == 0)
        return g_strdup_printf (_("Differs in modification time: %s"), path);
      if (strcmp (message, "content") == 0)
        return g_strdup_printf (_("Differs in content: %s"), path);
      return g_strdup_printf (_("Differs (%s): %s"), message, path);
    case FERRY_LOG_KIND_RUN_FAILED:
      return g_strdup_printf (_("The run failed: %s"), message);
    case FERRY_LOG_KIND_RUN_CANCELLED:
      return g_strdup (_("Cancelled; partial copies stay under temporary names and the next run resumes them"));
    case FERRY_LOG_KIND_RUN_STARTED:
      return render_started (message);
    case FERRY_LOG_KIND_SUMMARY:
      return render_summary (message);
    case FERRY_LOG_KIND_COMPARED:
      return render_compared (message);
    case FERRY_LOG_KIND_NOTE:
    default:
      return g_strdup (message);
    }
}

const char *
ferry_log_line_get_text (FerryLogLine *self)
{
  g_return_val_if_fail (FERRY_IS_LOG_LINE (self), NULL);
  /* Lines are made and read on one thread at a time. */
  if (self->text == NULL)
    self->text = render (self);
  return self->text;
}

char *
ferry_log_line_format (FerryLogLine *self)
{
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *stamp = NULL;
  const char *level = ferry_enum_to_nick (FERRY_TYPE_LOG_LEVEL, self->level);

  /* A line with no time of its own is an old log's line, whole already. */
  if (self->time == 0)
    return g_strdup (ferry_log_line_get_text (self));
  when = g_date_time_new_from_unix_utc (self->time);
  stamp = when ? g_date_time_format (when, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
  return g_strdup_printf ("%s  %-8s %s", stamp, level, ferry_log_line_get_text (self));
}

char *
ferry_log_line_serialize (FerryLogLine *self)
{
  GString *out = g_string_sized_new (64);

  g_string_append_printf (out, "%" G_GINT64_FORMAT "\t%s\t%s\t", self->time,
                          ferry_enum_to_nick (FERRY_TYPE_LOG_LEVEL, self->level),
                          ferry_enum_to_nick (FERRY_TYPE_LOG_KIND, self->kind));
  ferry_field_escape (out, self->path);
  g_string_append_c (out, '\t');
  ferry_field_escape (out, self->message);
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

FerryLogLine *
ferry_log_line_parse (const char *line,
                      gsize       length)
{
  g_auto(GStrv) fields = ferry_fields_split (line, length, 5);
  int level, kind;
  char *end;
  gint64 time;

  if (fields == NULL)
    return NULL;
  time = g_ascii_strtoll (fields[0], &end, 10);
  if (*end != '\0' ||
      !ferry_enum_from_nick (FERRY_TYPE_LOG_LEVEL, fields[1], &level))
    return NULL;
  /* A kind from a newer Ferry reads as a note: its message still says it. */
  if (!ferry_enum_from_nick (FERRY_TYPE_LOG_KIND, fields[2], &kind))
    kind = FERRY_LOG_KIND_NOTE;
  return ferry_log_line_new (time, level, kind, fields[3], fields[4]);
}

static GObject *
parse_journal_line (const char *line,
                    gsize       length)
{
  return (GObject *) ferry_log_line_parse (line, length);
}

GListModel *
ferry_log_journal_open (const char  *path,
                        GError     **error)
{
  return (GListModel *) ferry_line_model_new (path, FERRY_TYPE_LOG_LINE, parse_journal_line, error);
}
