/* ferry-run-history.c: run summaries and logs under $XDG_DATA_HOME/ferry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "ferry-enums.h"
#include "ferry-error.h"
#include "ferry-nick.h"
#include "ferry-outcome.h"
#include "ferry-run-history.h"

#define GROUP "Run"

const char *
ferry_run_state_to_string (FerryRunState state)
{
  g_return_val_if_fail (state <= FERRY_RUN_STATE_INTERRUPTED, NULL);
  return ferry_enum_to_nick (FERRY_TYPE_RUN_STATE, state);
}

gboolean
ferry_run_state_from_string (const char    *string,
                             FerryRunState *state)
{
  int value;

  if (!ferry_enum_from_nick (FERRY_TYPE_RUN_STATE, string, &value))
    return FALSE;
  *state = value;
  return TRUE;
}

const char *
ferry_run_state_get_label (FerryRunState state)
{
  switch (state)
    {
    case FERRY_RUN_STATE_IDLE:
      return _("Not run yet");
    case FERRY_RUN_STATE_RUNNING:
      return _("Running");
    case FERRY_RUN_STATE_COMPLETED:
      return _("Completed");
    case FERRY_RUN_STATE_COMPLETED_WITH_ERRORS:
      return _("Completed with errors");
    case FERRY_RUN_STATE_FAILED:
      return _("Failed");
    case FERRY_RUN_STATE_CANCELLED:
      return _("Cancelled");
    case FERRY_RUN_STATE_INTERRUPTED:
      return _("Interrupted");
    default:
      return "";
    }
}

FerryRunResult
ferry_run_record_get_result (const FerryRunRecord *record)
{
  g_return_val_if_fail (record != NULL, FERRY_RUN_RESULT_FAILED);

  switch (record->state)
    {
    case FERRY_RUN_STATE_IDLE:
    case FERRY_RUN_STATE_RUNNING:
      return FERRY_RUN_RESULT_RUNNING;
    case FERRY_RUN_STATE_FAILED:
      return FERRY_RUN_RESULT_FAILED;
    case FERRY_RUN_STATE_CANCELLED:
      return FERRY_RUN_RESULT_CANCELLED;
    case FERRY_RUN_STATE_INTERRUPTED:
      return FERRY_RUN_RESULT_INTERRUPTED;
    case FERRY_RUN_STATE_COMPLETED:
    case FERRY_RUN_STATE_COMPLETED_WITH_ERRORS:
    default:
      break;
    }
  if (record->kind == FERRY_RUN_KIND_VERIFY)
    {
      if (record->differences > 0)
        return FERRY_RUN_RESULT_DIFFERS;
      /* Files that could not be compared: no verdict on them. */
      return record->files_failed > 0 ? FERRY_RUN_RESULT_COMPLETED_WITH_ERRORS : FERRY_RUN_RESULT_MATCHES;
    }
  if (record->state == FERRY_RUN_STATE_COMPLETED_WITH_ERRORS || record->files_failed > 0)
    return FERRY_RUN_RESULT_COMPLETED_WITH_ERRORS;
  if (record->files_done == 0 && record->files_deleted == 0)
    return FERRY_RUN_RESULT_UP_TO_DATE;
  return FERRY_RUN_RESULT_COMPLETED;
}

const char *
ferry_run_result_get_label (FerryRunResult result,
                            FerryRunKind   kind)
{
  gboolean verify = kind == FERRY_RUN_KIND_VERIFY;

  switch (result)
    {
    case FERRY_RUN_RESULT_RUNNING:
      return verify ? _("Verifying") : _("Running");
    case FERRY_RUN_RESULT_COMPLETED:
      return _("Completed");
    case FERRY_RUN_RESULT_COMPLETED_WITH_ERRORS:
      /* Translators: a verification some files of which could not be read */
      return verify ? _("Verified in part") : _("Completed with errors");
    case FERRY_RUN_RESULT_UP_TO_DATE:
      return _("Up to date");
    case FERRY_RUN_RESULT_FAILED:
      return verify ? _("Verification failed") : _("Failed");
    case FERRY_RUN_RESULT_CANCELLED:
      return verify ? _("Verification cancelled") : _("Cancelled");
    case FERRY_RUN_RESULT_INTERRUPTED:
      return verify ? _("Verification interrupted") : _("Interrupted");
    case FERRY_RUN_RESULT_MATCHES:
    case FERRY_RUN_RESULT_DIFFERS:
    default:
      /* Translators: a verification that ended with its verdict */
      return _("Verified");
    }
}

/* "size", "size and content": how the differing files differ. */
static char *
describe_how (FerryDifference how)
{
  const char *words[4];
  guint n = 0;

  if (how & FERRY_DIFFERENCE_SIZE)
    /* Translators: how files differ, in "1 file differs (size)" */
    words[n++] = C_("difference", "size");
  if (how & FERRY_DIFFERENCE_TIME)
    words[n++] = C_("difference", "time");
  if (how & FERRY_DIFFERENCE_CONTENT)
    words[n++] = C_("difference", "content");
  if (how & FERRY_DIFFERENCE_TYPE)
    /* Translators: a file on one side, a folder on the other */
    words[n++] = C_("difference", "type");
  words[n] = NULL;
  /* Translators: the separator between kinds of differences, "size, content" */
  return g_strjoinv (_(", "), (char **) words);
}

static char *
describe_verification (const FerryRunRecord *record)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  guint64 total = record->files_total;

  if (record->differences == 0 && record->files_failed == 0)
    {
      if (total == 0)
        return g_strdup (_("no files to compare"));
      /* Translators: a verification's verdict, "all 184 files match" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " file matches",
                                           "all %" PRIu64 " files match", (gulong) MIN (total, G_MAXULONG)),
                              total);
    }
  if (record->files_missing > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " file missing",
                                                          "%" PRIu64 " files missing",
                                                          (gulong) MIN (record->files_missing, G_MAXULONG)),
                                             record->files_missing));
  if (record->files_differing > 0)
    {
      g_autofree char *how = describe_how (record->differ_how);

      /* Translators: "1 file differs (content)"; in the parentheses how */
      g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " file differs (%s)",
                                                            "%" PRIu64 " files differ (%s)",
                                                            (gulong) MIN (record->files_differing, G_MAXULONG)),
                                               record->files_differing, how));
    }
  if (record->files_extra > 0)
    /* Translators: files only the destination has */
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " only at the destination",
                                                          "%" PRIu64 " only at the destination",
                                                          (gulong) MIN (record->files_extra, G_MAXULONG)),
                                             record->files_extra));
  /* From before the split counts: the sum alone. */
  if (parts->len == 0 && record->differences > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " difference",
                                                          "%" PRIu64 " differences",
                                                          (gulong) MIN (record->differences, G_MAXULONG)),
                                             record->differences));
  if (record->files_failed > 0)
    /* Translators: files a verification could not read */
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " could not be compared",
                                                          "%" PRIu64 " could not be compared",
                                                          (gulong) MIN (record->files_failed, G_MAXULONG)),
                                             record->files_failed));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static char *
describe_copy (const FerryRunRecord *record)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *size = g_format_size (record->bytes_done);

  if (record->files_done == 0 && record->files_failed == 0 && record->files_deleted == 0)
    {
      if (record->files_total == 0)
        return g_strdup (_("no files"));
      /* Translators: a run that found every file at the destination already */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " file already up to date",
                                           "%" PRIu64 " files already up to date",
                                           (gulong) MIN (record->files_total, G_MAXULONG)),
                              record->files_total);
    }
  /* Translators: files copied and their size, "2 files copied (314.6 MB)" */
  g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " file copied (%s)",
                                                        "%" PRIu64 " files copied (%s)",
                                                        (gulong) MIN (record->files_done, G_MAXULONG)),
                                           record->files_done, size));
  if (record->files_skipped > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " already up to date",
                                                          "%" PRIu64 " already up to date",
                                                          (gulong) MIN (record->files_skipped, G_MAXULONG)),
                                             record->files_skipped));
  if (record->files_failed > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " failed",
                                                          "%" PRIu64 " failed",
                                                          (gulong) MIN (record->files_failed, G_MAXULONG)),
                                             record->files_failed));
  if (record->files_deleted > 0)
    /* Translators: files and folders removed because the source lost them */
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " deleted",
                                                          "%" PRIu64 " deleted",
                                                          (gulong) MIN (record->files_deleted, G_MAXULONG)),
                                             record->files_deleted));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

char *
ferry_run_record_describe_counts (const FerryRunRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->kind == FERRY_RUN_KIND_VERIFY ? describe_verification (record) : describe_copy (record);
}

char *
ferry_run_record_describe (const FerryRunRecord *record)
{
  FerryRunResult result;
  const char *label;
  g_autofree char *counts = NULL;

  g_return_val_if_fail (record != NULL, NULL);

  result = ferry_run_record_get_result (record);
  label = ferry_run_result_get_label (result, record->kind);
  /* A run that ended before it counted anything: why, not "0 files". */
  if (result == FERRY_RUN_RESULT_FAILED || result == FERRY_RUN_RESULT_RUNNING ||
      ((result == FERRY_RUN_RESULT_CANCELLED || result == FERRY_RUN_RESULT_INTERRUPTED) &&
       record->files_total == 0))
    {
      if (record->message != NULL && result == FERRY_RUN_RESULT_FAILED)
        /* Translators: how a run ended, then why: "Failed · Could not connect…" */
        return g_strdup_printf (_("%s · %s"), label, record->message);
      return g_strdup (label);
    }
  counts = ferry_run_record_describe_counts (record);
  if (record->kind == FERRY_RUN_KIND_VERIFY && result == FERRY_RUN_RESULT_CANCELLED)
    {
      /* A verification stopped half-way has no verdict. */
      g_free (counts);
      counts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " file compared",
                                             "%" PRIu64 " files compared",
                                             (gulong) MIN (record->files_total, G_MAXULONG)),
                                record->files_total);
    }
  /* Translators: how a run ended, then its counts: "Verified · all 184 files match" */
  return g_strdup_printf (_("%s · %s"), label, counts);
}

char *
ferry_run_history_dup_folder (const char *transfer_id)
{
  return g_build_filename (g_get_user_data_dir (), "ferry", "runs", transfer_id, NULL);
}

static char *
dup_boot_id (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/sys/kernel/random/boot_id", &text, NULL, NULL))
    return g_strdup ("");
  return g_strdup (g_strstrip (text));
}

char *
ferry_run_record_dup_path (FerryRunRecord *record,
                           const char     *suffix)
{
  g_autofree char *folder = ferry_run_history_dup_folder (record->transfer_id);
  g_autofree char *base = g_strconcat (record->run_id, suffix, NULL);

  return g_build_filename (folder, base, NULL);
}

void
ferry_run_record_free (FerryRunRecord *record)
{
  if (record == NULL)
    return;
  if (record->log_fd >= 0)
    close (record->log_fd);
  if (record->journal_fd >= 0)
    close (record->journal_fd);
  g_free (record->transfer_id);
  g_free (record->run_id);
  g_free (record->message);
  g_free (record->boot_id);
  g_free (record);
}

static gboolean save (FerryRunRecord  *record,
                      gboolean         durable,
                      GError         **error);

gboolean
ferry_run_record_save (FerryRunRecord  *record,
                       GError         **error)
{
  return save (record, TRUE, error);
}

/* The summary at a run's start is written whole but not waited for on
 * the disk (an fsync costs a one-file run a fifth of its time here): a
 * crash before it reaches the disk leaves no trace of a run that had not
 * copied anything yet. The end is durable. */
static gboolean
save (FerryRunRecord  *record,
      gboolean         durable,
      GError         **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = ferry_run_record_dup_path (record, ".run");
  g_autofree char *data = NULL;
  gsize length;

  g_key_file_set_string (key_file, GROUP, "Transfer", record->transfer_id);
  g_key_file_set_string (key_file, GROUP, "State", ferry_run_state_to_string (record->state));
  g_key_file_set_int64 (key_file, GROUP, "Started", record->started);
  g_key_file_set_int64 (key_file, GROUP, "Ended", record->ended);
  g_key_file_set_uint64 (key_file, GROUP, "FilesCopied", record->files_done);
  g_key_file_set_uint64 (key_file, GROUP, "FilesSkipped", record->files_skipped);
  g_key_file_set_uint64 (key_file, GROUP, "FilesFailed", record->files_failed);
  g_key_file_set_uint64 (key_file, GROUP, "FilesTotal", record->files_total);
  g_key_file_set_uint64 (key_file, GROUP, "BytesCopied", record->bytes_done);
  g_key_file_set_uint64 (key_file, GROUP, "BytesTotal", record->bytes_total);
  if (record->kind == FERRY_RUN_KIND_VERIFY)
    {
      g_autoptr(GStrvBuilder) how = g_strv_builder_new ();
      g_auto(GStrv) words = NULL;

      g_key_file_set_string (key_file, GROUP, "Kind", ferry_enum_to_nick (FERRY_TYPE_RUN_KIND, record->kind));
      g_key_file_set_uint64 (key_file, GROUP, "Differences", record->differences);
      g_key_file_set_uint64 (key_file, GROUP, "Missing", record->files_missing);
      g_key_file_set_uint64 (key_file, GROUP, "Differing", record->files_differing);
      g_key_file_set_uint64 (key_file, GROUP, "Extra", record->files_extra);
      for (int bit = FERRY_DIFFERENCE_SIZE; bit <= FERRY_DIFFERENCE_TYPE; bit <<= 1)
        if (record->differ_how & bit)
          g_strv_builder_add (how, ferry_enum_to_nick (FERRY_TYPE_DIFFERENCE, bit));
      words = g_strv_builder_end (how);
      if (words[0] != NULL)
        g_key_file_set_string_list (key_file, GROUP, "DiffersBy", (const char * const *) words,
                                    g_strv_length (words));
    }
  if (record->files_deleted > 0)
    g_key_file_set_uint64 (key_file, GROUP, "FilesDeleted", record->files_deleted);
  g_key_file_set_int64 (key_file, GROUP, "Pid", record->pid);
  g_key_file_set_string (key_file, GROUP, "BootId", record->boot_id ? record->boot_id : "");
  if (record->times_not_kept)
    g_key_file_set_boolean (key_file, GROUP, "TimesKept", FALSE);
  if (record->compared != FERRY_RUN_COMPARED_UNKNOWN)
    g_key_file_set_string (key_file, GROUP, "Compared",
                           ferry_enum_to_nick (FERRY_TYPE_RUN_COMPARED, record->compared));
  if (record->message != NULL)
    g_key_file_set_string (key_file, GROUP, "Message", record->message);
  if (record->scheduled)
    g_key_file_set_boolean (key_file, GROUP, "Scheduled", TRUE);

  data = g_key_file_to_data (key_file, &length, NULL);
  if (!g_file_set_contents_full (path, data, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | (durable ? G_FILE_SET_CONTENTS_DURABLE : 0),
                                 0600, &local_error))
    {
      g_set_error (error, FERRY_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOSPC) ? FERRY_ERROR_NO_SPACE : FERRY_ERROR_FAILED,
                   _("Could not save the run’s summary: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

FerryRunRecord *
ferry_run_record_begin (const char  *transfer_id,
                        GError     **error)
{
  g_autoptr(FerryRunRecord) record = g_new0 (FerryRunRecord, 1);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char *folder = ferry_run_history_dup_folder (transfer_id);
  g_autofree char *log_path = NULL;
  g_autofree char *journal_path = NULL;

  g_return_val_if_fail (transfer_id != NULL, NULL);

  record->log_fd = -1;
  record->journal_fd = -1;
  record->transfer_id = g_strdup (transfer_id);
  /* Microseconds keep two runs in one second apart and in order. */
  record->run_id = g_strdup_printf ("%s.%06dZ", stamp, g_date_time_get_microsecond (now));
  record->state = FERRY_RUN_STATE_RUNNING;
  record->started = g_date_time_to_unix (now);
  record->pid = getpid ();
  record->boot_id = dup_boot_id ();

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, FERRY_ERROR, saved == ENOSPC ? FERRY_ERROR_NO_SPACE : FERRY_ERROR_FAILED,
                   _("Could not create %s: %s"), folder, g_strerror (saved));
      return NULL;
    }
  if (!save (record, FALSE, error))
    return NULL;
  log_path = ferry_run_record_dup_path (record, ".log");
  journal_path = ferry_run_record_dup_path (record, ".journal");
  record->log_fd = open (log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (record->log_fd >= 0)
    record->journal_fd = open (journal_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (record->log_fd < 0 || record->journal_fd < 0)
    {
      int saved = errno;

      g_set_error (error, FERRY_ERROR, saved == ENOSPC ? FERRY_ERROR_NO_SPACE : FERRY_ERROR_FAILED,
                   _("Could not open the run’s log: %s"), g_strerror (saved));
      return NULL;
    }
  return g_steal_pointer (&record);
}

static void
write_all (int         fd,
           const char *text)
{
  gsize length = strlen (text);
  gsize written = 0;

  if (fd < 0)
    return;
  while (written < length)
    {
      gssize n = write (fd, text + written, length - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;
      written += n;
    }
}

void
ferry_run_record_append (FerryRunRecord *record,
                         FerryLogLine   *line)
{
  g_autofree char *journal = ferry_log_line_serialize (line);
  g_autofree char *formatted = ferry_log_line_format (line);
  g_autofree char *text = g_strconcat (formatted, "\n", NULL);

  write_all (record->journal_fd, journal);
  write_all (record->log_fd, text);
}

static gboolean
process_gone (FerryRunRecord *record)
{
  g_autofree char *boot_id = dup_boot_id ();

  if (g_strcmp0 (boot_id, record->boot_id) != 0)
    return TRUE;
  if (record->pid <= 0)
    return TRUE;
  if (record->pid == getpid ())
    return FALSE;
  return kill ((pid_t) record->pid, 0) != 0 && errno == ESRCH;
}

static FerryRunRecord *
load_record (const char  *transfer_id,
             const char  *run_id,
             GError     **error)
{
  g_autoptr(FerryRunRecord) record = g_new0 (FerryRunRecord, 1);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *path = NULL;
  g_autofree char *state = NULL;

  record->log_fd = -1;
  record->journal_fd = -1;
  record->transfer_id = g_strdup (transfer_id);
  record->run_id = g_strdup (run_id);
  path = ferry_run_record_dup_path (record, ".run");
  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, error))
    return NULL;
  state = g_key_file_get_string (key_file, GROUP, "State", error);
  if (state == NULL)
    return NULL;
  if (!ferry_run_state_from_string (state, &record->state))
    record->state = FERRY_RUN_STATE_INTERRUPTED;
  record->started = g_key_file_get_int64 (key_file, GROUP, "Started", NULL);
  record->ended = g_key_file_get_int64 (key_file, GROUP, "Ended", NULL);
  record->files_done = g_key_file_get_uint64 (key_file, GROUP, "FilesCopied", NULL);
  record->files_skipped = g_key_file_get_uint64 (key_file, GROUP, "FilesSkipped", NULL);
  record->files_failed = g_key_file_get_uint64 (key_file, GROUP, "FilesFailed", NULL);
  record->files_total = g_key_file_get_uint64 (key_file, GROUP, "FilesTotal", NULL);
  record->bytes_done = g_key_file_get_uint64 (key_file, GROUP, "BytesCopied", NULL);
  record->bytes_total = g_key_file_get_uint64 (key_file, GROUP, "BytesTotal", NULL);
  record->files_deleted = g_key_file_get_uint64 (key_file, GROUP, "FilesDeleted", NULL);
  record->differences = g_key_file_get_uint64 (key_file, GROUP, "Differences", NULL);
  {
    g_autofree char *kind = g_key_file_get_string (key_file, GROUP, "Kind", NULL);
    g_auto(GStrv) how = g_key_file_get_string_list (key_file, GROUP, "DiffersBy", NULL, NULL);
    int value;

    record->kind = ferry_enum_from_nick (FERRY_TYPE_RUN_KIND, kind, &value) ? value : FERRY_RUN_KIND_COPY;
    record->files_missing = g_key_file_get_uint64 (key_file, GROUP, "Missing", NULL);
    record->files_differing = g_key_file_get_uint64 (key_file, GROUP, "Differing", NULL);
    record->files_extra = g_key_file_get_uint64 (key_file, GROUP, "Extra", NULL);
    for (guint i = 0; how != NULL && how[i] != NULL; i++)
      if (ferry_enum_from_nick (FERRY_TYPE_DIFFERENCE, how[i], &value))
        record->differ_how |= value;
  }
  record->pid = g_key_file_get_int64 (key_file, GROUP, "Pid", NULL);
  record->boot_id = g_key_file_get_string (key_file, GROUP, "BootId", NULL);
  record->message = g_key_file_get_string (key_file, GROUP, "Message", NULL);
  record->scheduled = g_key_file_get_boolean (key_file, GROUP, "Scheduled", NULL);
  {
    g_autofree char *compared = g_key_file_get_string (key_file, GROUP, "Compared", NULL);
    int value;

    if (compared != NULL && ferry_enum_from_nick (FERRY_TYPE_RUN_COMPARED, compared, &value))
      record->compared = value;
  }
  record->times_not_kept = g_key_file_has_key (key_file, GROUP, "TimesKept", NULL) &&
                           !g_key_file_get_boolean (key_file, GROUP, "TimesKept", NULL);

  if (record->state == FERRY_RUN_STATE_RUNNING && process_gone (record))
    record->state = FERRY_RUN_STATE_INTERRUPTED;
  return g_steal_pointer (&record);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const FerryRunRecord *ra = *(FerryRunRecord **) a;
  const FerryRunRecord *rb = *(FerryRunRecord **) b;

  return -strcmp (ra->run_id, rb->run_id);
}

GPtrArray *
ferry_run_history_list (const char  *transfer_id,
                        GError     **error)
{
  g_autofree char *folder = ferry_run_history_dup_folder (transfer_id);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_run_record_free);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  dir = g_dir_open (folder, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&records);
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                   _("Could not read the run history: %s"), local_error->message);
      return NULL;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *run_id = NULL;
      g_autoptr(GError) record_error = NULL;
      FerryRunRecord *record;

      if (!g_str_has_suffix (name, ".run"))
        continue;
      run_id = g_strndup (name, strlen (name) - strlen (".run"));
      record = load_record (transfer_id, run_id, &record_error);
      if (record == NULL)
        {
          g_warning ("Skipping an unreadable run summary %s: %s", name, record_error->message);
          continue;
        }
      g_ptr_array_add (records, record);
    }
  g_ptr_array_sort (records, compare_newest_first);
  return g_steal_pointer (&records);
}

FerryRunRecord *
ferry_run_history_latest (const char  *transfer_id,
                          GError     **error)
{
  g_autoptr(GPtrArray) records = ferry_run_history_list (transfer_id, error);

  if (records == NULL)
    return NULL;
  if (records->len == 0)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                           _("This transfer has not run yet"));
      return NULL;
    }
  return g_ptr_array_steal_index (records, 0);
}

FerryRunRecord *
ferry_run_history_latest_of_kind (const char    *transfer_id,
                                  FerryRunKind   kind,
                                  GError       **error)
{
  g_autoptr(GPtrArray) records = ferry_run_history_list (transfer_id, error);

  if (records == NULL)
    return NULL;
  for (guint i = 0; i < records->len; i++)
    if (((FerryRunRecord *) g_ptr_array_index (records, i))->kind == kind)
      return g_ptr_array_steal_index (records, i);
  g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                       kind == FERRY_RUN_KIND_VERIFY ? _("This transfer has not been verified yet")
                                                     : _("This transfer has not run yet"));
  return NULL;
}

char *
ferry_run_history_read_log (FerryRunRecord  *record,
                            GError         **error)
{
  g_autofree char *path = ferry_run_record_dup_path (record, ".log");
  g_autoptr(GError) local_error = NULL;
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_strdup ("");
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                   _("Could not read the run’s log: %s"), local_error->message);
      return NULL;
    }
  return text;
}

void
ferry_run_history_mark_scheduled (const char *transfer_id,
                                  const char *run_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryRunRecord) record = load_record (transfer_id, run_id, &error);

  if (record == NULL)
    {
      g_warning ("Could not mark run %s as scheduled: %s", run_id, error->message);
      return;
    }
  record->scheduled = TRUE;
  if (!ferry_run_record_save (record, &error))
    g_warning ("Could not mark run %s as scheduled: %s", run_id, error->message);
}

void
ferry_run_history_forget (const char *transfer_id)
{
  g_autofree char *folder = ferry_run_history_dup_folder (transfer_id);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      g_unlink (path);
    }
  g_rmdir (folder);
}

GListModel *
ferry_run_history_open_log (FerryRunRecord  *record,
                            GError         **error)
{
  g_autofree char *path = ferry_run_record_dup_path (record, ".journal");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) items = NULL;
  GListStore *store;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return ferry_log_journal_open (path, error);

  /* A run from before journals: its lines as they were written, each a
   * note with no time of its own (the text has it); nothing is read out of
   * them. */
  text = ferry_run_history_read_log (record, error);
  if (text == NULL)
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (items, ferry_log_line_new (0, FERRY_LOG_INFO, FERRY_LOG_KIND_NOTE, NULL, lines[i]));
  store = g_list_store_new (FERRY_TYPE_LOG_LINE);
  g_list_store_splice (store, 0, 0, items->pdata, items->len);
  return G_LIST_MODEL (store);
}

GListModel *
ferry_run_history_open_outcomes (FerryRunRecord  *record,
                                 GError         **error)
{
  g_autofree char *path = ferry_run_record_dup_path (record, ".records");

  return ferry_outcome_list_open (path, error);
}

FerryRunRecord *
ferry_run_history_find (const char  *transfer_id,
                        const char  *run_id,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  FerryRunRecord *record;

  g_return_val_if_fail (transfer_id != NULL && run_id != NULL, NULL);

  /* A run id is a file name here: nothing that could leave the folder. */
  if (strchr (run_id, '/') != NULL || run_id[0] == '.' || run_id[0] == '\0')
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND, _("No run “%s”"), run_id);
      return NULL;
    }
  record = load_record (transfer_id, run_id, &local_error);
  if (record == NULL)
    g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND, _("No run “%s”"), run_id);
  return record;
}
