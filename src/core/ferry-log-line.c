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
#include "ferry-outcome.h"
#include "ferry-run-history.h"

struct _FerryLogLine
{
  GObject parent_instance;

  gint64         time;
  FerryLogLevel  level;
  FerryLogKind   kind;
  char          *path;
  char          *message;
  guint64        numbers[FERRY_LOG_N_NUMBERS];
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

FerryLogLine *
ferry_log_line_new_numbers (gint64          time,
                            FerryLogLevel   level,
                            FerryLogKind    kind,
                            const char     *path,
                            const guint64  *numbers,
                            guint           n)
{
  FerryLogLine *self = ferry_log_line_new (time, level, kind, path, NULL);

  g_return_val_if_fail (n <= FERRY_LOG_N_NUMBERS, self);
  for (guint i = 0; i < n; i++)
    self->numbers[i] = numbers[i];
  return self;
}

guint64
ferry_log_line_get_number (FerryLogLine *self,
                           guint         index)
{
  g_return_val_if_fail (FERRY_IS_LOG_LINE (self), 0);
  g_return_val_if_fail (index < FERRY_LOG_N_NUMBERS, 0);
  return self->numbers[index];
}

static char *
render_summary (FerryLogLine *self)
{
  const guint64 *n = self->numbers;
  g_autofree char *size = g_format_size (n[FERRY_LOG_SUMMARY_BYTES]);

  /* Translators: the summary line of a run: copied files, their size,
   * skipped and failed files, seconds. */
  return g_strdup_printf (ngettext ("Copied %" PRIu64 " file (%s), skipped %" PRIu64 ", failed %" PRIu64 " in %.1f s",
                                    "Copied %" PRIu64 " files (%s), skipped %" PRIu64 ", failed %" PRIu64 " in %.1f s",
                                    (gulong) MIN (n[FERRY_LOG_SUMMARY_COPIED], G_MAXULONG)),
                          n[FERRY_LOG_SUMMARY_COPIED], size, n[FERRY_LOG_SUMMARY_SKIPPED],
                          n[FERRY_LOG_SUMMARY_FAILED], n[FERRY_LOG_SUMMARY_TENTHS] / 10.0);
}

static char *
render_verify_summary (FerryLogLine *self)
{
  guint64 compared = self->numbers[FERRY_LOG_VERIFY_COMPARED];
  guint64 differences = self->numbers[FERRY_LOG_VERIFY_DIFFERENCES];
  guint64 failed = self->numbers[FERRY_LOG_VERIFY_FAILED];

  if (differences == 0 && failed == 0)
    return g_strdup_printf (ngettext ("The destination matches: %" PRIu64 " file compared",
                                      "The destination matches: all %" PRIu64 " files compared",
                                      (gulong) MIN (compared, G_MAXULONG)),
                            compared);
  if (differences == 0)
    return g_strdup_printf (ngettext ("%" PRIu64 " file could not be compared",
                                      "%" PRIu64 " files could not be compared",
                                      (gulong) MIN (failed, G_MAXULONG)),
                            failed);
  return g_strdup_printf (ngettext ("%" PRIu64 " difference found",
                                    "%" PRIu64 " differences found",
                                    (gulong) MIN (differences, G_MAXULONG)),
                          differences);
}

static const char *
algorithm_name (guint64 algorithm)
{
  switch (algorithm)
    {
    case G_CHECKSUM_MD5:
      return "MD5";
    case G_CHECKSUM_SHA1:
      return "SHA-1";
    case G_CHECKSUM_SHA256:
    default:
      return "SHA-256";
    }
}

static char *
describe_side (guint64 algorithm,
               gboolean by_server)
{
  if (by_server)
    /* Translators: how one side of a verification was hashed: the
     * algorithm ("SHA-256") */
    return g_strdup_printf (_("%s computed by its server"), algorithm_name (algorithm));
  /* Translators: the algorithm ("SHA-256") */
  return g_strdup_printf (_("%s of the file read here"), algorithm_name (algorithm));
}

static char *
render_comparing (FerryLogLine *self)
{
  guint64 algorithm = self->numbers[FERRY_LOG_COMPARING_ALGORITHM];
  g_autofree char *source = describe_side (algorithm, self->numbers[FERRY_LOG_COMPARING_SOURCE_SERVER] != 0);
  g_autofree char *destination = describe_side (algorithm,
                                                self->numbers[FERRY_LOG_COMPARING_DESTINATION_SERVER] != 0);

  /* Translators: the two ways a verification compares contents */
  return g_strdup_printf (_("Comparing contents: the source by %s, the destination by %s"), source, destination);
}

static char *
render_filtered (FerryLogLine *self)
{
  guint64 files = self->numbers[FERRY_LOG_FILTERED_FILES];
  guint64 folders = self->numbers[FERRY_LOG_FILTERED_FOLDERS];

  if (folders == 0)
    /* Translators: at a run's end, what its filters left out */
    return g_strdup_printf (ngettext ("The filters left out %" PRIu64 " file",
                                      "The filters left out %" PRIu64 " files",
                                      (gulong) MIN (files, G_MAXULONG)),
                            files);
  /* Translators: at a run's end, what its filters left out: "3 files and
   * 2 folders"; the plural follows the number of folders */
  {
    g_autofree char *of_files = g_strdup_printf (ngettext ("%" PRIu64 " file", "%" PRIu64 " files",
                                                           (gulong) MIN (files, G_MAXULONG)),
                                                 files);

    return g_strdup_printf (ngettext ("The filters left out %s and %" PRIu64 " folder with all in it",
                                      "The filters left out %s and %" PRIu64 " folders with all in them",
                                      (gulong) MIN (folders, G_MAXULONG)),
                            of_files, folders);
  }
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

/* A verification's difference: what and how, from its numbers; a line
 * from before them said it in its message, as a word. */
static char *
render_differs (FerryLogLine *self,
                const char   *path,
                const char   *message)
{
  guint64 outcome = self->numbers[FERRY_LOG_DIFFERS_OUTCOME];
  guint64 how = self->numbers[FERRY_LOG_DIFFERS_HOW];

  if (outcome == 0)
    {
      int value;

      if (strcmp (message, "missing") == 0)
        outcome = FERRY_OUTCOME_MISSING;
      else if (strcmp (message, "extra") == 0)
        outcome = FERRY_OUTCOME_EXTRA;
      else if (ferry_enum_from_nick (FERRY_TYPE_DIFFERENCE, message, &value))
        {
          outcome = FERRY_OUTCOME_DIFFERS;
          how = value;
        }
    }
  switch (outcome)
    {
    case FERRY_OUTCOME_MISSING:
      return g_strdup_printf (_("Missing at the destination: %s"), path);
    case FERRY_OUTCOME_EXTRA:
      return g_strdup_printf (_("Only at the destination: %s"), path);
    case FERRY_OUTCOME_DIFFERS:
      switch (how)
        {
        case FERRY_DIFFERENCE_SIZE:
          return g_strdup_printf (_("Differs in size: %s"), path);
        case FERRY_DIFFERENCE_TIME:
          return g_strdup_printf (_("Differs in modification time: %s"), path);
        case FERRY_DIFFERENCE_CONTENT:
          return g_strdup_printf (_("Differs in content: %s"), path);
        case FERRY_DIFFERENCE_TYPE:
          /* Translators: a verification's difference, then the path */
          return g_strdup_printf (_("A file on one side, a folder on the other: %s"), path);
        default:
          break;
        }
      break;
    default:
      break;
    }
  return g_strdup_printf (_("Differs (%s): %s"), message, path);
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
      /* From its number; a line from before numbers said "trash" in its
       * message. */
      if (self->numbers[FERRY_LOG_DELETED_HOW] == FERRY_LOG_DELETED_TRASHED || strcmp (message, "trash") == 0)
        return g_strdup_printf (_("Moved %s to the Trash: gone from the source"), path);
      return g_strdup_printf (_("Deleted %s: gone from the source"), path);
    case FERRY_LOG_KIND_FILE_DIFFERS:
      return render_differs (self, path, message);
    case FERRY_LOG_KIND_RUN_FAILED:
      return g_strdup_printf (_("The run failed: %s"), message);
    case FERRY_LOG_KIND_RUN_CANCELLED:
      return g_strdup (_("Cancelled; partial copies stay under temporary names and the next run resumes them"));
    case FERRY_LOG_KIND_RUN_STARTED:
      return render_started (message);
    case FERRY_LOG_KIND_SUMMARY:
      return render_summary (self);
    case FERRY_LOG_KIND_VERIFY_SUMMARY:
      return render_verify_summary (self);
    case FERRY_LOG_KIND_COMPARING:
      return render_comparing (self);
    case FERRY_LOG_KIND_FILTERED:
      return render_filtered (self);
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
  /* A sixth field for the lines of numbers; a reader that knows only five
   * ignores it. */
  for (guint i = 0; i < FERRY_LOG_N_NUMBERS; i++)
    if (self->numbers[i] != 0)
      {
        g_string_append_c (out, '\t');
        for (guint j = 0; j < FERRY_LOG_N_NUMBERS; j++)
          g_string_append_printf (out, j == 0 ? "%" G_GUINT64_FORMAT : " %" G_GUINT64_FORMAT, self->numbers[j]);
        break;
      }
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

FerryLogLine *
ferry_log_line_parse (const char *line,
                      gsize       length)
{
  g_auto(GStrv) fields = ferry_fields_split (line, length, 5);
  FerryLogLine *result;
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
  result = ferry_log_line_new (time, level, kind, fields[3], fields[4]);
  if (fields[5] != NULL)
    {
      const char *p = fields[5];

      for (guint i = 0; i < FERRY_LOG_N_NUMBERS && *p != '\0'; i++)
        {
          result->numbers[i] = g_ascii_strtoull (p, &end, 10);
          if (end == p)
            break;
          p = end;
          while (*p == ' ')
            p++;
        }
    }
  else if (kind == FERRY_LOG_KIND_SUMMARY)
    {
      /* A journal from before the sixth field kept a summary's numbers in
       * its message, in this order. */
      const char *p = result->message;

      for (guint i = 0; i <= FERRY_LOG_SUMMARY_TENTHS; i++)
        {
          result->numbers[i] = g_ascii_strtoull (p, &end, 10);
          if (end == p)
            break;
          p = end;
        }
    }
  return result;
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
