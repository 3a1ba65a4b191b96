/* ferry-paced-model.h: a list model that follows another one, but takes
 * in a large arrival (200 transfers from ferry-cli, the store at window
 * start) a batch per main-loop iteration.
 *
 * A GtkListBox builds a row for every item of an items-changed at once:
 * 200 transfer rows in one go held the main loop for most of a second
 * (issue 23, "longest main-loop stall ≤ 50 ms"). Between the store and the
 * list box, this model passes small changes (a save, a delete) through
 * unchanged, in the same main-loop iteration, and brings larger ones over
 * from an idle callback, a few items at a time, so the window paints and
 * takes input between batches. Removals are cheap and always go at once.
 * Items are the source's own objects, in the source's order once caught up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FERRY_TYPE_PACED_MODEL (ferry_paced_model_get_type ())
G_DECLARE_FINAL_TYPE (FerryPacedModel, ferry_paced_model, FERRY, PACED_MODEL, GObject)

/* batch: how many items are added per main-loop iteration at most. */
FerryPacedModel *ferry_paced_model_new         (GListModel      *source,
                                                guint            batch);
/* TRUE while items of the source are still to come. */
gboolean         ferry_paced_model_is_pending  (FerryPacedModel *self);

G_END_DECLS
