/* test-paced-model.c: FerryPacedModel (src/ui/ferry-paced-model.h), the
 * model between the transfer store and the Manager's list: a large arrival
 * comes over a batch per main-loop iteration, small changes at once, and
 * once caught up it holds exactly the source's items in the source's order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "ferry-paced-model.h"

typedef struct
{
  guint most_added;  /* the largest "added" of one items-changed */
} Watch;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Watch      *watch)
{
  watch->most_added = MAX (watch->most_added, added);
}

static void
assert_same (GListModel *a,
             GListModel *b)
{
  g_assert_cmpuint (g_list_model_get_n_items (a), ==, g_list_model_get_n_items (b));
  for (guint i = 0; i < g_list_model_get_n_items (a); i++)
    {
      g_autoptr(GObject) x = g_list_model_get_item (a, i);
      g_autoptr(GObject) y = g_list_model_get_item (b, i);

      g_assert_true (x == y);
    }
}

/* Runs the main loop until the model has caught up; returns the
 * iterations it took. */
static guint
catch_up (FerryPacedModel *model)
{
  guint iterations = 0;

  while (ferry_paced_model_is_pending (model))
    {
      g_main_context_iteration (NULL, TRUE);
      iterations++;
      g_assert_cmpuint (iterations, <, 10000);
    }
  return iterations;
}

static void
append_items (GListStore *store,
              guint       n)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_menu_new ());
  g_list_store_splice (store, g_list_model_get_n_items (G_LIST_MODEL (store)), 0, items->pdata, items->len);
}

static void
test_large_arrival (void)
{
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_MENU);
  g_autoptr(FerryPacedModel) model = NULL;
  Watch watch = { 0, };

  append_items (store, 3);
  model = ferry_paced_model_new (G_LIST_MODEL (store), 8);
  /* A few: whole at once. */
  g_assert_false (ferry_paced_model_is_pending (model));
  assert_same (G_LIST_MODEL (store), G_LIST_MODEL (model));
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &watch);

  /* 200 at once: none in the same turn, then at most 8 per iteration. */
  append_items (store, 200);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  g_assert_true (ferry_paced_model_is_pending (model));
  g_assert_cmpuint (catch_up (model), >=, 200 / 8);
  g_assert_cmpuint (watch.most_added, <=, 1);
  assert_same (G_LIST_MODEL (store), G_LIST_MODEL (model));

  /* One more: passes through in the same turn. */
  append_items (store, 1);
  g_assert_false (ferry_paced_model_is_pending (model));
  assert_same (G_LIST_MODEL (store), G_LIST_MODEL (model));
}

static void
test_changes_while_pending (void)
{
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_MENU);
  g_autoptr(FerryPacedModel) model = ferry_paced_model_new (G_LIST_MODEL (store), 5);
  g_autoptr(GMenu) moved = NULL;
  g_autoptr(GMenu) front = g_menu_new ();

  append_items (store, 50);
  g_main_context_iteration (NULL, TRUE);
  g_assert_true (ferry_paced_model_is_pending (model));
  /* Removed, inserted in front and moved while the model catches up. */
  g_list_store_remove (store, 0);
  g_list_store_remove (store, 10);
  append_items (store, 30);
  moved = g_list_model_get_item (G_LIST_MODEL (store), 2);
  g_list_store_remove (store, 2);
  g_list_store_append (store, moved);
  g_list_store_insert (store, 0, front);
  catch_up (model);
  assert_same (G_LIST_MODEL (store), G_LIST_MODEL (model));

  /* Everything gone: at once. */
  g_list_store_remove_all (store);
  catch_up (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/paced-model/large-arrival", test_large_arrival);
  g_test_add_func ("/paced-model/changes-while-pending", test_changes_while_pending);
  return g_test_run ();
}
