/* ferry-schedule-store.c: schedule rules, state and log as key files; see
 * ferry-schedule-store.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ferry-error.h"
#include "ferry-schedule-store.h"
#include "ferry-transfer-lock.h"
#include "ferry-transfer-store.h"

#define STORE_LOCK "schedules"

void
ferry_schedule_state_clear (FerryScheduleState *state)
{
  g_clear_pointer (&state->result, g_free);
  g_clear_pointer (&state->run_id, g_free);
  g_clear_pointer (&state->message, g_free);
  state->handled = 0;
  state->time = 0;
}

char *
ferry_schedule_store_dup_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "ferry", "schedules", NULL);
}

static char *
dup_state_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "ferry", "schedule-state", NULL);
}

char *
ferry_schedule_store_dup_log_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "ferry", "schedule.log", NULL);
}

char *
ferry_schedule_store_dup_autostart_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", APPLICATION_ID ".desktop", NULL);
}

static GKeyFile *
load (const char *path)
{
  GKeyFile *key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &error) &&
      !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_warning ("Ignoring an unreadable %s: %s", path, error->message);
  return key_file;
}

static gboolean
save (GKeyFile    *key_file,
      const char  *path,
      GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                   _("Could not create %s: %s"), folder, g_strerror (saved));
      return FALSE;
    }
  data = g_key_file_to_data (key_file, &length, NULL);
  if (!g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0600, &local_error))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                   _("Could not save the schedules: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
rule_from_key_file (GKeyFile          *key_file,
                    const char        *group,
                    FerryScheduleRule *rule)
{
  g_autofree char *every = g_key_file_get_string (key_file, group, "Every", NULL);
  g_autofree char *at = g_key_file_get_string (key_file, group, "At", NULL);
  g_autofree char *on = g_key_file_get_string (key_file, group, "On", NULL);

  /* Saved in the words of `ferry-cli schedule`, so one parser reads both. */
  if (every == NULL || !ferry_schedule_rule_parse (every, at && *at ? at : NULL, on && *on ? on : NULL, rule, NULL))
    {
      *rule = (FerryScheduleRule) { FERRY_SCHEDULE_EVERY_OFF, 0, 0, 1 };
      return FALSE;
    }
  return TRUE;
}

void
ferry_schedule_store_get (const char        *transfer_id,
                          FerryScheduleRule *rule)
{
  g_autofree char *path = ferry_schedule_store_dup_path ();
  g_autoptr(GKeyFile) key_file = load (path);

  g_return_if_fail (transfer_id != NULL);
  rule_from_key_file (key_file, transfer_id, rule);
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

GStrv
ferry_schedule_store_list (void)
{
  g_autofree char *path = ferry_schedule_store_dup_path ();
  g_autoptr(GKeyFile) key_file = load (path);
  g_auto(GStrv) groups = g_key_file_get_groups (key_file, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GStrv ids;

  for (guint i = 0; groups[i] != NULL; i++)
    {
      FerryScheduleRule rule;

      if (rule_from_key_file (key_file, groups[i], &rule) && rule.every != FERRY_SCHEDULE_EVERY_OFF)
        g_strv_builder_add (builder, groups[i]);
    }
  ids = g_strv_builder_end (builder);
  qsort (ids, g_strv_length (ids), sizeof (char *), compare_strings);
  return ids;
}

gboolean
ferry_schedule_store_set (const char               *transfer_id,
                          const FerryScheduleRule  *rule,
                          GError                  **error)
{
  g_autoptr(FerryTransferLock) lock = NULL;
  g_autofree char *path = ferry_schedule_store_dup_path ();
  g_autoptr(GKeyFile) key_file = NULL;
  FerryScheduleRule old;

  g_return_val_if_fail (transfer_id != NULL, FALSE);
  g_return_val_if_fail (ferry_schedule_rule_is_valid (rule), FALSE);

  lock = ferry_transfer_lock_wait (STORE_LOCK, error);
  if (lock == NULL)
    return FALSE;
  key_file = load (path);
  rule_from_key_file (key_file, transfer_id, &old);
  if (rule->every == FERRY_SCHEDULE_EVERY_OFF)
    g_key_file_remove_group (key_file, transfer_id, NULL);
  else if (!ferry_schedule_rule_equal (rule, &old))
    {
      g_key_file_remove_group (key_file, transfer_id, NULL);
      g_key_file_set_string (key_file, transfer_id, "Every", ferry_schedule_every_to_string (rule->every));
      if (rule->every == FERRY_SCHEDULE_EVERY_HOUR)
        {
          g_autofree char *at = g_strdup_printf (":%02d", rule->minute);

          g_key_file_set_string (key_file, transfer_id, "At", at);
        }
      else
        {
          g_autofree char *at = g_strdup_printf ("%02d:%02d", rule->hour, rule->minute);

          g_key_file_set_string (key_file, transfer_id, "At", at);
        }
      if (rule->every == FERRY_SCHEDULE_EVERY_WEEK)
        g_key_file_set_string (key_file, transfer_id, "On", ferry_schedule_weekday_to_string (rule->day));
      else if (rule->every == FERRY_SCHEDULE_EVERY_MONTH)
        g_key_file_set_integer (key_file, transfer_id, "On", rule->day);
      /* A new rule counts from now: what it would have run before was
       * never asked for. */
      g_key_file_set_int64 (key_file, transfer_id, "Since", g_get_real_time () / G_USEC_PER_SEC);
    }
  if (!save (key_file, path, error))
    return FALSE;
  g_clear_pointer (&lock, ferry_transfer_lock_release);
  return ferry_schedule_store_sync_autostart (error);
}

/* Removes the groups of `ids` from the rules and the states, under the
 * store's lock; an id whose transfer came back meanwhile (Undo) is kept. */
static gboolean
forget_all (const char * const  *ids,
            GError             **error)
{
  g_autoptr(FerryTransferLock) lock = NULL;
  g_autofree char *path = ferry_schedule_store_dup_path ();
  g_autofree char *state_path = dup_state_path ();
  g_autoptr(GKeyFile) rules = NULL;
  g_autoptr(GKeyFile) states = NULL;
  gboolean rules_changed = FALSE;
  gboolean states_changed = FALSE;

  lock = ferry_transfer_lock_wait (STORE_LOCK, error);
  if (lock == NULL)
    return FALSE;
  rules = load (path);
  states = load (state_path);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (ferry_transfer_store_exists (ids[i]))
        continue;
      rules_changed |= g_key_file_remove_group (rules, ids[i], NULL);
      states_changed |= g_key_file_remove_group (states, ids[i], NULL);
    }
  if (rules_changed && !save (rules, path, error))
    return FALSE;
  if (states_changed && !save (states, state_path, error))
    return FALSE;
  return TRUE;
}

gboolean
ferry_schedule_store_forget (const char  *transfer_id,
                             GError     **error)
{
  const char *ids[] = { transfer_id, NULL };

  g_return_val_if_fail (transfer_id != NULL, FALSE);

  return forget_all (ids, error) && ferry_schedule_store_sync_autostart (error);
}

GStrv
ferry_schedule_store_prune (GError **error)
{
  g_autofree char *path = ferry_schedule_store_dup_path ();
  g_autofree char *state_path = dup_state_path ();
  g_autoptr(GKeyFile) rules = load (path);
  g_autoptr(GKeyFile) states = load (state_path);
  g_auto(GStrv) rule_groups = g_key_file_get_groups (rules, NULL);
  g_auto(GStrv) state_groups = g_key_file_get_groups (states, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) gone = NULL;

  /* Read without the lock first: almost always there is nothing to do. */
  for (guint i = 0; rule_groups[i] != NULL; i++)
    if (!ferry_transfer_store_exists (rule_groups[i]))
      g_strv_builder_add (builder, rule_groups[i]);
  for (guint i = 0; state_groups[i] != NULL; i++)
    if (!ferry_transfer_store_exists (state_groups[i]) && !g_key_file_has_group (rules, state_groups[i]))
      g_strv_builder_add (builder, state_groups[i]);
  gone = g_strv_builder_end (builder);
  if (gone[0] != NULL && (!forget_all ((const char * const *) gone, error) ||
                          !ferry_schedule_store_sync_autostart (error)))
    return NULL;
  return g_steal_pointer (&gone);
}

static void
state_from_key_file (GKeyFile           *key_file,
                     const char         *transfer_id,
                     FerryScheduleState *state)
{
  state->handled = g_key_file_get_int64 (key_file, transfer_id, "Handled", NULL);
  state->time = g_key_file_get_int64 (key_file, transfer_id, "Time", NULL);
  state->result = g_key_file_get_string (key_file, transfer_id, "Result", NULL);
  state->run_id = g_key_file_get_string (key_file, transfer_id, "RunId", NULL);
  state->message = g_key_file_get_string (key_file, transfer_id, "Message", NULL);
}

void
ferry_schedule_store_get_state (const char         *transfer_id,
                                FerryScheduleState *state)
{
  g_autofree char *path = dup_state_path ();
  g_autoptr(GKeyFile) key_file = load (path);

  memset (state, 0, sizeof *state);
  state_from_key_file (key_file, transfer_id, state);
}

gboolean
ferry_schedule_store_claim_due (const char *transfer_id,
                                GDateTime  *now,
                                gint64     *slot)
{
  g_autoptr(FerryTransferLock) lock = NULL;
  g_autofree char *rules_path = ferry_schedule_store_dup_path ();
  g_autofree char *state_path = dup_state_path ();
  g_autoptr(GKeyFile) rules = NULL;
  g_autoptr(GKeyFile) states = NULL;
  g_autoptr(GError) error = NULL;
  FerryScheduleRule rule;
  gint64 handled;
  gint64 since;

  lock = ferry_transfer_lock_wait (STORE_LOCK, &error);
  if (lock == NULL)
    {
      g_warning ("%s", error->message);
      return FALSE;
    }
  rules = load (rules_path);
  if (!rule_from_key_file (rules, transfer_id, &rule) || rule.every == FERRY_SCHEDULE_EVERY_OFF)
    return FALSE;
  states = load (state_path);
  since = g_key_file_get_int64 (rules, transfer_id, "Since", NULL);
  handled = g_key_file_get_int64 (states, transfer_id, "Handled", NULL);
  if (!ferry_schedule_is_due (&rule, MAX (handled, since), now, slot))
    return FALSE;

  g_key_file_set_int64 (states, transfer_id, "Handled", *slot);
  g_key_file_set_int64 (states, transfer_id, "Time", g_date_time_to_unix (now));
  g_key_file_set_string (states, transfer_id, "Result", "running");
  g_key_file_remove_key (states, transfer_id, "RunId", NULL);
  g_key_file_remove_key (states, transfer_id, "Message", NULL);
  if (!save (states, state_path, &error))
    {
      /* Not remembered, it would run again a minute later: not at all. */
      g_warning ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

static void
append_log (const char *transfer_id,
            const char *result,
            const char *run_id,
            const char *message)
{
  g_autofree char *path = ferry_schedule_store_dup_log_path ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);
  g_autofree char *clean = g_strdup (message ? message : "");
  g_autofree char *line = NULL;
  gsize length;
  int fd;

  g_strdelimit (clean, "\t\r\n", ' ');
  line = g_strdup_printf ("%s\t%s\t%s\t%s\t%s\n", stamp, transfer_id, result, run_id ? run_id : "", clean);
  length = strlen (line);
  fd = open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0)
    return;
  /* One write() per line: lines from two processes never interleave. */
  if (write (fd, line, length) != (gssize) length)
    g_warning ("Could not write to %s", path);
  close (fd);
}

void
ferry_schedule_store_record (const char *transfer_id,
                             const char *result,
                             const char *run_id,
                             const char *message)
{
  g_autoptr(FerryTransferLock) lock = NULL;
  g_autofree char *path = dup_state_path ();
  g_autoptr(GKeyFile) states = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (transfer_id != NULL && result != NULL);

  lock = ferry_transfer_lock_wait (STORE_LOCK, &error);
  if (lock == NULL)
    {
      g_warning ("%s", error->message);
      return;
    }
  states = load (path);
  g_key_file_set_int64 (states, transfer_id, "Time", g_get_real_time () / G_USEC_PER_SEC);
  g_key_file_set_string (states, transfer_id, "Result", result);
  if (run_id != NULL)
    g_key_file_set_string (states, transfer_id, "RunId", run_id);
  else
    g_key_file_remove_key (states, transfer_id, "RunId", NULL);
  if (message != NULL)
    g_key_file_set_string (states, transfer_id, "Message", message);
  else
    g_key_file_remove_key (states, transfer_id, "Message", NULL);
  if (!save (states, path, &error))
    g_warning ("%s", error->message);
  append_log (transfer_id, result, run_id, message);
}

gboolean
ferry_schedule_store_sync_autostart (GError **error)
{
  g_autofree char *path = ferry_schedule_store_dup_autostart_path ();
  g_auto(GStrv) ids = NULL;

  /* Inside Flatpak the host's autostart folder is out of reach; the app
   * asks the Background portal (ferry-background.c). */
  if (g_getenv ("FLATPAK_ID") != NULL)
    return TRUE;

  ids = ferry_schedule_store_list ();
  if (ids[0] == NULL)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                       _("Could not remove %s: %s"), path, g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GKeyFile) entry = g_key_file_new ();

      g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_TYPE, "Application");
      g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_NAME, "Ferry");
      g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_COMMENT,
                             "Runs scheduled transfers in the background");
      g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, "ferry --background");
      g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_ICON, APPLICATION_ID);
      g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_TERMINAL, FALSE);
      g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_NO_DISPLAY, TRUE);
      g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", TRUE);
      return save (entry, path, error);
    }
  return TRUE;
}

struct _FerryScheduleSnapshot
{
  GKeyFile *rules;
  GKeyFile *states;
};

FerryScheduleSnapshot *
ferry_schedule_snapshot_read (void)
{
  g_autofree char *rules_path = ferry_schedule_store_dup_path ();
  g_autofree char *state_path = dup_state_path ();
  FerryScheduleSnapshot *self = g_new0 (FerryScheduleSnapshot, 1);

  self->rules = load (rules_path);
  self->states = load (state_path);
  return self;
}

FerryScheduleSnapshot *
ferry_schedule_snapshot_new_empty (void)
{
  FerryScheduleSnapshot *self = g_new0 (FerryScheduleSnapshot, 1);

  self->rules = g_key_file_new ();
  self->states = g_key_file_new ();
  return self;
}

void
ferry_schedule_snapshot_get (FerryScheduleSnapshot *self,
                             const char            *transfer_id,
                             FerryScheduleRule     *rule)
{
  g_return_if_fail (self != NULL && transfer_id != NULL && rule != NULL);

  rule_from_key_file (self->rules, transfer_id, rule);
}

void
ferry_schedule_snapshot_get_state (FerryScheduleSnapshot *self,
                                   const char            *transfer_id,
                                   FerryScheduleState    *state)
{
  g_return_if_fail (self != NULL && transfer_id != NULL && state != NULL);

  memset (state, 0, sizeof *state);
  state_from_key_file (self->states, transfer_id, state);
}

void
ferry_schedule_snapshot_free (FerryScheduleSnapshot *self)
{
  if (self == NULL)
    return;
  g_key_file_unref (self->rules);
  g_key_file_unref (self->states);
  g_free (self);
}
