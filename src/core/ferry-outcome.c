/* ferry-outcome.c: see ferry-outcome.h.
 *
 * A record is one line of RUN-ID.records:
 *   OUTCOME \t file|folder \t SIZE \t MODIFIED \t TRIES \t REASON \t PATH \t MESSAGE
 * with SIZE and MODIFIED empty when unknown and every text field escaped
 * (ferry-line-model.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "ferry-enums.h"
#include "ferry-line-model.h"
#include "ferry-nick.h"
#include "ferry-outcome.h"

const char *
ferry_outcome_kind_get_label (FerryOutcomeKind kind)
{
  switch (kind)
    {
    case FERRY_OUTCOME_COPIED:
      return _("Copied");
    case FERRY_OUTCOME_UPDATED:
      return _("Updated");
    case FERRY_OUTCOME_RESUMED:
      return _("Resumed");
    case FERRY_OUTCOME_UP_TO_DATE:
      return _("Up to date");
    case FERRY_OUTCOME_CREATED:
      return _("Folder created");
    case FERRY_OUTCOME_FAILED:
      return _("Failed");
    case FERRY_OUTCOME_REFUSED:
      return _("Refused");
    case FERRY_OUTCOME_IGNORED:
      return _("Not copied");
    case FERRY_OUTCOME_EXCLUDED:
      return _("Excluded");
    case FERRY_OUTCOME_DELETED:
      return _("Deleted");
    case FERRY_OUTCOME_CANCELLED:
      return _("Not copied: the run stopped");
    case FERRY_OUTCOME_MATCHES:
      return _("Matches");
    case FERRY_OUTCOME_MISSING:
      return _("Missing at the destination");
    case FERRY_OUTCOME_DIFFERS:
      return _("Differs");
    case FERRY_OUTCOME_EXTRA:
      return _("Only at the destination");
    case FERRY_OUTCOME_NONE:
    default:
      return _("Unknown");
    }
}

gboolean
ferry_outcome_kind_is_problem (FerryOutcomeKind kind)
{
  return kind == FERRY_OUTCOME_FAILED || kind == FERRY_OUTCOME_REFUSED ||
         kind == FERRY_OUTCOME_MISSING || kind == FERRY_OUTCOME_DIFFERS || kind == FERRY_OUTCOME_EXTRA;
}

/* --- FerryOutcome ------------------------------------------------------------- */

struct _FerryOutcome
{
  GObject parent_instance;

  FerryOutcomeKind  kind;
  gboolean          folder;
  gint64            size;
  gint64            modified;
  guint             tries;
  char             *reason;
  char             *path;
  char             *message;
};

G_DEFINE_FINAL_TYPE (FerryOutcome, ferry_outcome, G_TYPE_OBJECT)

static void
ferry_outcome_finalize (GObject *object)
{
  FerryOutcome *self = FERRY_OUTCOME (object);

  g_free (self->reason);
  g_free (self->path);
  g_free (self->message);
  G_OBJECT_CLASS (ferry_outcome_parent_class)->finalize (object);
}

static void
ferry_outcome_class_init (FerryOutcomeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ferry_outcome_finalize;
}

static void
ferry_outcome_init (FerryOutcome *self)
{
  self->size = -1;
}

FerryOutcome *
ferry_outcome_new (FerryOutcomeKind  kind,
                   gboolean          folder,
                   const char       *path,
                   gint64            size,
                   gint64            modified,
                   const char       *reason,
                   const char       *message,
                   guint             tries)
{
  FerryOutcome *self = g_object_new (FERRY_TYPE_OUTCOME, NULL);

  self->kind = kind;
  self->folder = !!folder;
  self->path = g_strdup (path);
  self->size = size;
  self->modified = modified;
  self->reason = g_strdup (reason);
  self->message = g_strdup (message);
  self->tries = tries;
  return self;
}

#define GETTER(type, name, fallback, expr)                 \
  type                                                     \
  ferry_outcome_get_##name (FerryOutcome *self)            \
  {                                                        \
    g_return_val_if_fail (FERRY_IS_OUTCOME (self), fallback); \
    return expr;                                           \
  }

GETTER (FerryOutcomeKind, kind, FERRY_OUTCOME_NONE, self->kind)
GETTER (const char *, path, "", self->path != NULL ? self->path : "")
GETTER (gint64, size, -1, self->size)
GETTER (gint64, modified, 0, self->modified)
GETTER (const char *, reason, "", self->reason != NULL ? self->reason : "")
GETTER (const char *, message, "", self->message != NULL ? self->message : "")
GETTER (guint, tries, 0, self->tries)

gboolean
ferry_outcome_is_folder (FerryOutcome *self)
{
  g_return_val_if_fail (FERRY_IS_OUTCOME (self), FALSE);
  return self->folder;
}

static gboolean
parse_number (const char *text,
              gint64     *value)
{
  char *end;

  if (*text == '\0')
    return FALSE;
  *value = g_ascii_strtoll (text, &end, 10);
  return *end == '\0';
}

static GObject *
parse_record (const char *line,
              gsize       length)
{
  g_auto(GStrv) fields = ferry_fields_split (line, length, 8);
  FerryOutcome *self;
  int kind;
  gint64 tries = 0;

  if (fields == NULL || !ferry_enum_from_nick (FERRY_TYPE_OUTCOME_KIND, fields[0], &kind))
    return NULL;
  self = g_object_new (FERRY_TYPE_OUTCOME, NULL);
  self->kind = kind;
  self->folder = g_str_equal (fields[1], "folder");
  if (!parse_number (fields[2], &self->size) || self->size < 0)
    self->size = -1;
  if (!parse_number (fields[3], &self->modified))
    self->modified = 0;
  if (parse_number (fields[4], &tries))
    self->tries = (guint) CLAMP (tries, 0, G_MAXUINT);
  self->reason = g_steal_pointer (&fields[5]);
  self->path = g_steal_pointer (&fields[6]);
  self->message = g_steal_pointer (&fields[7]);
  return G_OBJECT (self);
}

GListModel *
ferry_outcome_list_open (const char  *path,
                         GError     **error)
{
  return (GListModel *) ferry_line_model_new (path, FERRY_TYPE_OUTCOME, parse_record, error);
}

/* --- the writer ----------------------------------------------------------------- */

struct _FerryOutcomeWriter
{
  GMutex lock;
  int    fd;
  guint  lost;
};

FerryOutcomeWriter *
ferry_outcome_writer_open (const char  *path,
                           GError     **error)
{
  FerryOutcomeWriter *writer;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  fd = g_open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write the run’s records to %s: %s"), path, g_strerror (saved));
      return NULL;
    }
  writer = g_new0 (FerryOutcomeWriter, 1);
  g_mutex_init (&writer->lock);
  writer->fd = fd;
  return writer;
}

void
ferry_outcome_writer_add (FerryOutcomeWriter *writer,
                          FerryOutcomeKind    kind,
                          gboolean            folder,
                          const char         *path,
                          gint64              size,
                          gint64              modified,
                          const char         *reason,
                          const char         *message,
                          guint               tries)
{
  GString *line;
  gboolean ok = TRUE;

  if (writer == NULL)
    return;
  line = g_string_sized_new (128);
  g_string_append (line, ferry_enum_to_nick (FERRY_TYPE_OUTCOME_KIND, kind));
  g_string_append (line, folder ? "\tfolder\t" : "\tfile\t");
  if (size >= 0)
    g_string_append_printf (line, "%" G_GINT64_FORMAT, size);
  g_string_append_c (line, '\t');
  if (modified != 0)
    g_string_append_printf (line, "%" G_GINT64_FORMAT, modified);
  g_string_append_printf (line, "\t%u\t", tries);
  ferry_field_escape (line, reason);
  g_string_append_c (line, '\t');
  ferry_field_escape (line, path);
  g_string_append_c (line, '\t');
  ferry_field_escape (line, message);
  g_string_append_c (line, '\n');

  /* One write() a record, under the lock: O_APPEND keeps records whole and
   * in the order they were finished. */
  g_mutex_lock (&writer->lock);
  for (gsize written = 0; written < line->len; )
    {
      gssize n = write (writer->fd, line->str + written, line->len - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          ok = FALSE;
          break;
        }
      written += n;
    }
  if (!ok)
    writer->lost++;
  g_mutex_unlock (&writer->lock);
  g_string_free (line, TRUE);
}

guint
ferry_outcome_writer_get_lost (FerryOutcomeWriter *writer)
{
  guint lost;

  g_mutex_lock (&writer->lock);
  lost = writer->lost;
  g_mutex_unlock (&writer->lock);
  return lost;
}

void
ferry_outcome_writer_close (FerryOutcomeWriter *writer)
{
  if (writer == NULL)
    return;
  close (writer->fd);
  g_mutex_clear (&writer->lock);
  g_free (writer);
}
