/* ferry-paced-model.c: see ferry-paced-model.h.
 *
 * The model keeps its own array (what the list box has rows for) and
 * brings it toward the source: walking both from the start, an item the
 * source no longer has is removed, an item the model lacks is inserted (one
 * of the batch), and an item out of place is removed and comes back later.
 * Once the array equals the source the idle callback stops.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ferry-paced-model.h"

struct _FerryPacedModel
{
  GObject     parent_instance;

  GListModel *source;
  GPtrArray  *items;    /* owned references, what the model shows */
  guint       batch;
  guint       idle_id;  /* catching up */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryPacedModel, ferry_paced_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return g_list_model_get_item_type (FERRY_PACED_MODEL (model)->source);
}

static guint
get_n_items (GListModel *model)
{
  return FERRY_PACED_MODEL (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  FerryPacedModel *self = FERRY_PACED_MODEL (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* One step toward the source: every removal and at most `budget`
 * insertions. TRUE when the model equals the source. */
static gboolean
catch_up (FerryPacedModel *self,
          guint            budget)
{
  guint n_source = g_list_model_get_n_items (self->source);
  g_autoptr(GHashTable) in_source = g_hash_table_new (NULL, NULL);
  guint i = 0;

  for (guint s = 0; s < n_source; s++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (self->source, s);

      g_hash_table_add (in_source, item);
    }
  while (i < n_source || i < self->items->len)
    {
      g_autoptr(GObject) wanted = i < n_source ? g_list_model_get_item (self->source, i) : NULL;
      gpointer have = i < self->items->len ? g_ptr_array_index (self->items, i) : NULL;

      if (wanted == have)
        {
          i++;
          continue;
        }
      /* Gone from the source, or out of place: out now (cheap). */
      if (have != NULL && (!g_hash_table_contains (in_source, have) || wanted == NULL
                           || g_ptr_array_find (self->items, wanted, NULL)))
        {
          g_ptr_array_remove_index (self->items, i);
          g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 0);
          continue;
        }
      if (budget == 0)
        return FALSE;
      budget--;
      g_ptr_array_insert (self->items, i, g_object_ref (wanted));
      g_list_model_items_changed (G_LIST_MODEL (self), i, 0, 1);
      i++;
    }
  return TRUE;
}

static gboolean
on_idle (gpointer user_data)
{
  FerryPacedModel *self = user_data;

  if (catch_up (self, self->batch))
    {
      self->idle_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
on_source_changed (FerryPacedModel *self,
                   guint            position,
                   guint            removed,
                   guint            added)
{
  /* A small change with nothing pending passes through as it is: rows of
   * a saved or deleted transfer are there when the caller looks. */
  if (self->idle_id == 0 && added <= self->batch && position <= self->items->len
      && position + removed <= self->items->len)
    {
      g_ptr_array_remove_range (self->items, position, removed);
      for (guint i = 0; i < added; i++)
        g_ptr_array_insert (self->items, position + i, g_list_model_get_item (self->source, position + i));
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
      return;
    }
  if (self->idle_id == 0)
    /* Below redraws: the window paints between batches. */
    self->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_idle, self, NULL);
}

static void
ferry_paced_model_dispose (GObject *object)
{
  FerryPacedModel *self = FERRY_PACED_MODEL (object);

  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);
  G_OBJECT_CLASS (ferry_paced_model_parent_class)->dispose (object);
}

static void
ferry_paced_model_finalize (GObject *object)
{
  FerryPacedModel *self = FERRY_PACED_MODEL (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  G_OBJECT_CLASS (ferry_paced_model_parent_class)->finalize (object);
}

static void
ferry_paced_model_class_init (FerryPacedModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_paced_model_dispose;
  object_class->finalize = ferry_paced_model_finalize;
}

static void
ferry_paced_model_init (FerryPacedModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

FerryPacedModel *
ferry_paced_model_new (GListModel *source,
                       guint       batch)
{
  FerryPacedModel *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (source), NULL);
  g_return_val_if_fail (batch > 0, NULL);

  self = g_object_new (FERRY_TYPE_PACED_MODEL, NULL);
  self->source = g_object_ref (source);
  self->batch = batch;
  g_signal_connect_swapped (source, "items-changed", G_CALLBACK (on_source_changed), self);
  /* The first batch at once: a window with a few transfers starts whole. */
  if (!catch_up (self, batch))
    self->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_idle, self, NULL);
  return self;
}

gboolean
ferry_paced_model_is_pending (FerryPacedModel *self)
{
  g_return_val_if_fail (FERRY_IS_PACED_MODEL (self), FALSE);

  return self->idle_id != 0;
}
