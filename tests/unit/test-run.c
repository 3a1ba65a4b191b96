/* test-run.c: what FerryRun tells while it copies, local → local so no
 * server is needed: the files being copied ("current-files"), never more
 * than one per connection, each one of the source's files, empty at the
 * end; and "total-known", FALSE while the walk counts and TRUE before the
 * run ends, with bytes-total final from then on; a rerun's bytes-total
 * all in "bytes-skipped".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "ferry-run.h"

#define N_FILES     1500
#define FILE_SIZE   (24 * 1024)
#define CONNECTIONS 3

typedef struct
{
  GHashTable *seen;           /* relative paths seen in current-files */
  guint       most;           /* most files at once */
  gboolean    bad_path;
  gboolean    known;
  guint64     total_when_known;
  gboolean    total_grew;     /* after total-known */
  gboolean    done;
} Watch;

static void
on_current_files (FerryRun   *run,
                  GParamSpec *pspec,
                  Watch      *watch)
{
  const char * const *files = ferry_run_get_current_files (run);
  guint n = g_strv_length ((char **) files);

  watch->most = MAX (watch->most, n);
  for (guint i = 0; i < n; i++)
    {
      /* "d07/file-0351.bin": a file of the source, relative to its root. */
      if (!g_str_has_prefix (files[i], "d") || !g_str_has_suffix (files[i], ".bin") || files[i][0] == '/')
        watch->bad_path = TRUE;
      g_hash_table_add (watch->seen, g_strdup (files[i]));
    }
}

static void
on_counters (FerryRun   *run,
             GParamSpec *pspec,
             Watch      *watch)
{
  if (!watch->known && ferry_run_get_total_known (run))
    {
      watch->known = TRUE;
      watch->total_when_known = ferry_run_get_bytes_total (run);
    }
  else if (watch->known && ferry_run_get_bytes_total (run) != watch->total_when_known)
    watch->total_grew = TRUE;
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Watch *watch = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (ferry_run_finish (FERRY_RUN (source), result, &error));
  g_assert_no_error (error);
  watch->done = TRUE;
}

static void
test_current_files (void)
{
  g_autofree char *root = g_dir_make_tmp ("ferry-run-XXXXXX", NULL);
  g_autofree char *source = g_build_filename (root, "source", NULL);
  g_autofree char *destination = g_build_filename (root, "copy", NULL);
  g_autofree char *data = g_malloc0 (FILE_SIZE);
  g_autoptr(FerryTransfer) transfer = ferry_transfer_new ();
  g_autoptr(FerryRun) run = NULL;
  Watch watch = { 0, };

  for (guint i = 0; i < N_FILES; i++)
    {
      g_autofree char *name = g_strdup_printf ("d%02u/file-%04u.bin", i / 100, i);
      g_autofree char *path = g_build_filename (source, name, NULL);
      g_autofree char *dir = g_path_get_dirname (path);
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      g_file_set_contents (path, data, FILE_SIZE, &error);
      g_assert_no_error (error);
    }
  ferry_transfer_set_name (transfer, "Current files");
  ferry_transfer_set_source_connector_id (transfer, "local");
  ferry_transfer_set_source_path (transfer, source);
  ferry_transfer_set_destination_connector_id (transfer, "local");
  ferry_transfer_set_destination_path (transfer, destination);
  ferry_transfer_set_connections (transfer, CONNECTIONS);

  run = ferry_run_new (transfer, ferry_connector_get_local (), NULL, ferry_connector_get_local (), NULL);
  g_assert_nonnull (ferry_run_get_current_files (run));
  g_assert_null (ferry_run_get_current_files (run)[0]);
  g_assert_false (ferry_run_get_total_known (run));

  watch.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (run, "notify::current-files", G_CALLBACK (on_current_files), &watch);
  g_signal_connect (run, "notify::total-known", G_CALLBACK (on_counters), &watch);
  g_signal_connect (run, "notify::bytes-total", G_CALLBACK (on_counters), &watch);
  ferry_run_start_async (run, NULL, run_done, &watch);
  while (!watch.done)
    g_main_context_iteration (NULL, TRUE);

  g_test_message ("%u files seen being copied, at most %u at once",
                  g_hash_table_size (watch.seen), watch.most);
  g_assert_cmpuint (ferry_run_get_files_done (run), ==, N_FILES);
  g_assert_cmpuint (g_hash_table_size (watch.seen), >, 0);
  g_assert_cmpuint (watch.most, <=, CONNECTIONS);
  g_assert_false (watch.bad_path);
  /* Nothing is being copied once it is over. */
  g_assert_null (ferry_run_get_current_files (run)[0]);
  g_assert_cmpuint (ferry_run_get_bytes_skipped (run), ==, 0);
  /* Known before the end, and final from then on. */
  g_assert_true (watch.known);
  g_assert_true (ferry_run_get_total_known (run));
  g_assert_false (watch.total_grew);
  g_assert_cmpuint (ferry_run_get_bytes_total (run), ==, (guint64) N_FILES * FILE_SIZE);
  g_hash_table_unref (watch.seen);

  /* A rerun: every byte of the total is in files skipped as identical. */
  g_clear_object (&run);
  run = ferry_run_new (transfer, ferry_connector_get_local (), NULL, ferry_connector_get_local (), NULL);
  watch.done = FALSE;
  ferry_run_start_async (run, NULL, run_done, &watch);
  while (!watch.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (ferry_run_get_files_done (run), ==, 0);
  g_assert_cmpuint (ferry_run_get_files_skipped (run), ==, N_FILES);
  g_assert_cmpuint (ferry_run_get_bytes_skipped (run), ==, (guint64) N_FILES * FILE_SIZE);
  g_assert_cmpuint (ferry_run_get_bytes_total (run), ==, (guint64) N_FILES * FILE_SIZE);
}

int
main (int   argc,
      char *argv[])
{
  /* The run's history goes to XDG_DATA_HOME: a throwaway one. */
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/run/current-files", test_current_files);
  return g_test_run ();
}
