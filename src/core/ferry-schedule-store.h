/* ferry-schedule-store.h: the schedule rules of transfers and what the
 * scheduler last did with them, on disk.
 *
 * Rules live in one key file, $XDG_CONFIG_HOME/ferry/schedules, a group per
 * transfer id (Every, At, On, Since), beside the transfers and not inside
 * their files: a transfer file is rewritten whole by whoever edits the
 * transfer (the wizard, `ferry-cli transfer edit`), and the scheduler
 * writing there from a background process would race with them; a rule is
 * also one small file for the autostart entry to follow.
 * What happened lives in $XDG_DATA_HOME/ferry/schedule-state (Handled: the
 * slot last run for, Result, RunId, Time) and, one line per scheduled run
 * or skip, in $XDG_DATA_HOME/ferry/schedule.log. Every read-modify-write
 * takes the "schedules" lock (ferry-transfer-lock.h) so two processes never
 * undo each other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ferry-schedule.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  handled;     /* the slot last run (or skipped) for, or when the rule was set */
  gint64  time;        /* when that happened, 0 never */
  char   *result;      /* a run state nick ("completed", …) or "skipped", or NULL */
  char   *run_id;      /* the run's id in the history, or NULL */
  char   *message;     /* why it failed or was skipped, or NULL */
} FerryScheduleState;

void      ferry_schedule_state_clear (FerryScheduleState *state);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FerryScheduleState, ferry_schedule_state_clear)

/* $XDG_CONFIG_HOME/ferry/schedules */
char     *ferry_schedule_store_dup_path (void);

/* The transfer's rule; every = off when it has none. */
void      ferry_schedule_store_get     (const char              *transfer_id,
                                        FerryScheduleRule       *rule);
/* Saves (or, for off, removes) the transfer's rule. A new or changed rule
 * counts from now: slots before it are not due. Then adds or removes the
 * autostart entry (ferry_schedule_store_sync_autostart()). */
gboolean  ferry_schedule_store_set     (const char              *transfer_id,
                                        const FerryScheduleRule *rule,
                                        GError                 **error);
/* The ids of transfers with a rule, sorted. */
GStrv     ferry_schedule_store_list    (void);
/* Forgets the rule and state of a removed transfer, then syncs the
 * autostart entry (ferry_transfer_store_forget() calls it; use that). */
gboolean  ferry_schedule_store_forget  (const char              *transfer_id,
                                        GError                 **error);
/* Forgets the rules and states whose transfer file is gone (removed by a
 * version that did not, or while a window's Undo was pending), syncs the
 * autostart entry, and returns their ids (empty when none) so a caller can
 * say so. Whoever loads the schedules calls it first. */
GStrv     ferry_schedule_store_prune   (GError                 **error);

/* The rules and states as read at one moment, for showing many transfers'
 * schedules without reading the files once per transfer (the rows of the
 * window). Reading one is blocking local I/O; asking one is not. */
typedef struct _FerryScheduleSnapshot FerryScheduleSnapshot;

FerryScheduleSnapshot *ferry_schedule_snapshot_read      (void);
/* No rules, no states: what is shown before the first read. */
FerryScheduleSnapshot *ferry_schedule_snapshot_new_empty (void);
void                   ferry_schedule_snapshot_get       (FerryScheduleSnapshot *self,
                                                          const char            *transfer_id,
                                                          FerryScheduleRule     *rule);
void                   ferry_schedule_snapshot_get_state (FerryScheduleSnapshot *self,
                                                          const char            *transfer_id,
                                                          FerryScheduleState    *state);
void                   ferry_schedule_snapshot_free      (FerryScheduleSnapshot *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryScheduleSnapshot, ferry_schedule_snapshot_free)

/* What the scheduler last did for the transfer (zeroed when nothing). */
void      ferry_schedule_store_get_state (const char            *transfer_id,
                                        FerryScheduleState      *state);

/* Atomically: when the transfer's rule is due at `now`, records the slot
 * as handled (result "running") and returns TRUE with *slot set. Two
 * processes asking at once get TRUE once. */
gboolean  ferry_schedule_store_claim_due (const char            *transfer_id,
                                        GDateTime               *now,
                                        gint64                  *slot);
/* Records how the scheduled run for a claimed slot ended, and a line in the
 * schedule log: "TIME\tTRANSFER-ID\tRESULT\tRUN-ID\tMESSAGE". */
void      ferry_schedule_store_record  (const char              *transfer_id,
                                        const char              *result,
                                        const char              *run_id,
                                        const char              *message);
/* $XDG_DATA_HOME/ferry/schedule.log */
char     *ferry_schedule_store_dup_log_path (void);

/* $XDG_CONFIG_HOME/autostart/io.github.ferrymigrate.Ferry.desktop */
char     *ferry_schedule_store_dup_autostart_path (void);
/* Outside Flatpak: writes the autostart entry (Exec=ferry --background)
 * while at least one rule exists, removes it otherwise. Inside Flatpak
 * (FLATPAK_ID set) the app asks the Background portal instead, and this
 * does nothing. */
gboolean  ferry_schedule_store_sync_autostart (GError          **error);

G_END_DECLS
