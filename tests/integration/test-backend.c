/* test-backend.c: every backend against its real server — plain FTP,
 * explicit and implicit FTPS (pinned), SFTP (pinned host key) and local
 * files — does what the engine needs, on one login per session.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ferry-backend.h"
#include "ferry-connection-check.h"
#include "ferry-error.h"

typedef struct
{
  FerryConnectorKind kind;
  const char *port_variable;
} Flavour;

static const Flavour flavours[] = {
  { FERRY_CONNECTOR_KIND_FTP, "FERRY_TEST_FTP_PORT" },
  { FERRY_CONNECTOR_KIND_FTPS_EXPLICIT, "FERRY_TEST_FTPS_PORT" },
  { FERRY_CONNECTOR_KIND_FTPS_IMPLICIT, "FERRY_TEST_FTPS_IMPLICIT_PORT" },
  { FERRY_CONNECTOR_KIND_SFTP, "FERRY_TEST_SFTP_PORT" },
  { FERRY_CONNECTOR_KIND_LOCAL, NULL },
};

typedef struct
{
  GString *all;
  guint logins;
} Trace;

static void
count_trace (const char *line,
             gpointer    user_data)
{
  Trace *trace = user_data;

  if (g_getenv ("FERRY_TEST_TRACE") != NULL)
    g_printerr ("%s\n", line);
  g_string_append (trace->all, line);
  g_string_append_c (trace->all, '\n');
  if (g_str_has_prefix (line, "> USER ") || strstr (line, "Authentication complete") != NULL)
    trace->logins++;
}

/* The pin the user would trust: what the server presents. */
static char *
presented_pin (FerryConnector *connector)
{
  g_autoptr(FerryConnectionCheck) check = ferry_connection_check_new (connector, g_getenv ("FERRY_TEST_PASSWORD"), NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (ferry_connection_check_run_sync (check, NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_UNTRUSTED);
  return g_strdup (ferry_connection_check_get_presented_pin (check));
}

static FerryConnector *
make_connector (const Flavour *flavour)
{
  FerryConnector *c;

  if (flavour->kind == FERRY_CONNECTOR_KIND_LOCAL)
    return g_object_ref (ferry_connector_get_local ());

  c = ferry_connector_new (flavour->kind);
  ferry_connector_set_name (c, "test");
  ferry_connector_set_server (c, "127.0.0.1");
  ferry_connector_set_port (c, atoi (g_getenv (flavour->port_variable)));
  ferry_connector_set_username (c, g_getenv ("FERRY_TEST_USER"));
  if (flavour->kind == FERRY_CONNECTOR_KIND_SFTP)
    ferry_connector_set_pin (c, g_getenv ("FERRY_TEST_SSH_HOSTKEY_SHA256"));
  else if (ferry_connector_kind_uses_tls (flavour->kind))
    {
      g_autofree char *pin = presented_pin (c);

      ferry_connector_set_pin (c, pin);
    }
  return c;
}

/* Where this flavour sees the fixture user's files. */
static char *
root_for (const Flavour *flavour)
{
  if (flavour->kind == FERRY_CONNECTOR_KIND_SFTP)
    return g_strdup (g_getenv ("FERRY_TEST_FTP_ROOT"));
  if (flavour->kind == FERRY_CONNECTOR_KIND_LOCAL)
    {
      char *dir = g_build_filename (g_getenv ("FERRY_TEST_DIR"), "local", NULL);

      g_mkdir_with_parents (dir, 0755);
      return dir;
    }
  return g_strdup ("");   /* vsftpd chroots to the same folder */
}

typedef struct
{
  const guint8 *data;
  gsize length;
  gsize position;
} Source;

static gssize
from_memory (guint8   *buffer,
             gsize     length,
             gpointer  user_data,
             GError  **error)
{
  Source *source = user_data;
  gsize n = MIN (length, source->length - source->position);

  memcpy (buffer, source->data + source->position, n);
  source->position += n;
  return n;
}

static gboolean
to_bytes (const guint8  *data,
          gsize          length,
          gpointer       user_data,
          GError       **error)
{
  g_byte_array_append (user_data, data, length);
  return TRUE;
}

static GByteArray *
read_all (FerryBackend *backend,
          const char   *path,
          guint64       offset)
{
  GByteArray *bytes = g_byte_array_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (ferry_backend_read (backend, path, offset, to_bytes, bytes, NULL, &error));
  g_assert_no_error (error);
  return bytes;
}

static void
write_all (FerryBackend *backend,
           const char   *path,
           guint64       offset,
           const guint8 *data,
           gsize         length)
{
  Source source = { data, length, 0 };
  g_autoptr(GError) error = NULL;

  gboolean ok = ferry_backend_write (backend, path, offset, from_memory, &source, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

static const FerryEntry *
find (GPtrArray  *entries,
      const char *name)
{
  for (guint i = 0; i < entries->len; i++)
    if (g_str_equal (((FerryEntry *) entries->pdata[i])->name, name))
      return entries->pdata[i];
  return NULL;
}

static void
test_operations (gconstpointer data)
{
  const Flavour *flavour = data;
  g_autoptr(FerryConnector) connector = make_connector (flavour);
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryBackend) backend = ferry_backend_new (connector, g_getenv ("FERRY_TEST_PASSWORD"), &error);
  g_autofree char *root = root_for (flavour);
  g_autofree char *dir = g_strdup_printf ("%s/ops %s", root, ferry_connector_kind_to_string (flavour->kind));
  g_autofree char *file = g_strconcat (dir, "/a file.txt", NULL);
  g_autofree char *part = g_strconcat (dir, "/.a file.txt.ferry-part", NULL);
  g_autofree char *missing = g_strconcat (dir, "/missing.txt", NULL);
  g_autoptr(GByteArray) whole = NULL;
  g_autoptr(GByteArray) tail = NULL;
  g_autoptr(GByteArray) joined = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(FerryEntry) entry = NULL;
  Trace trace = { g_string_new (NULL), 0 };
  guint8 *content = g_malloc (300 * 1024);
  const FerryEntry *listed;

  g_assert_no_error (error);
  g_assert_nonnull (backend);
  ferry_backend_set_trace (backend, count_trace, &trace);
  for (gsize i = 0; i < 300 * 1024; i++)
    content[i] = (guint8) (i * 7 + i / 1024);

  /* Folders: created, and creating again is fine. */
  g_assert_true (ferry_backend_mkdir (backend, dir, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ferry_backend_mkdir (backend, dir, NULL, &error));
  g_assert_no_error (error);

  /* A whole file, then its size and place in the listing. */
  write_all (backend, file, 0, content, 300 * 1024);
  entry = ferry_backend_stat (backend, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entry->size, ==, 300 * 1024);
  entries = ferry_backend_list (backend, dir, NULL, &error);
  g_assert_no_error (error);
  listed = find (entries, "a file.txt");
  g_assert_nonnull (listed);
  g_assert_cmpint (listed->type, ==, FERRY_ENTRY_FILE);
  g_assert_cmpuint (listed->size, ==, 300 * 1024);

  /* Read all, and from an offset (resume). */
  whole = read_all (backend, file, 0);
  g_assert_cmpmem (whole->data, whole->len, content, 300 * 1024);
  tail = read_all (backend, file, 100000);
  g_assert_cmpmem (tail->data, tail->len, content + 100000, 300 * 1024 - 100000);

  /* Upload resume: a part, then the rest appended at its end. */
  write_all (backend, part, 0, content, 1000);
  write_all (backend, part, 1000, content + 1000, 4000);
  joined = read_all (backend, part, 0);
  g_assert_cmpmem (joined->data, joined->len, content, 5000);

  /* Rename over the existing file: the part becomes the file. */
  g_assert_true (ferry_backend_rename (backend, part, file, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&entry, ferry_entry_free);
  entry = ferry_backend_stat (backend, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entry->size, ==, 5000);

  /* Times are kept. */
  g_assert_true (ferry_backend_set_mtime (backend, file, 1577934245, NULL, &error));   /* 2020-01-02 03:04:05 */
  g_assert_no_error (error);
  g_clear_pointer (&entry, ferry_entry_free);
  entry = ferry_backend_stat (backend, file, NULL, &error);
  g_assert_cmpint (entry->mtime, ==, 1577934245);

  /* Many times at once: pipelined MDTM on an FTP session, plain or over
   * TLS (on libcurl's TLS, lent between calls), in order, a missing file
   * and a name with a line break left unknown; the others ask one at a
   * time and say so. The session stays in step either way: the next
   * command is answered on the same login. */
  {
    g_autofree char *broken = g_strconcat (dir, "/bad\nname", NULL);
    const char *paths[] = { file, missing, broken, file };
    gint64 mtimes[G_N_ELEMENTS (paths)] = { 0 };
    gboolean known[G_N_ELEMENTS (paths)] = { TRUE, TRUE, TRUE, TRUE };
    gboolean ok = ferry_backend_get_mtimes (backend, paths, G_N_ELEMENTS (paths), mtimes, known, NULL, &error);

    if (flavour->kind == FERRY_CONNECTOR_KIND_FTP || flavour->kind == FERRY_CONNECTOR_KIND_FTPS_EXPLICIT
        || flavour->kind == FERRY_CONNECTOR_KIND_FTPS_IMPLICIT)
      {
        g_autofree char *burst = g_strdup_printf ("> MDTM %s\n> MDTM %s\n", file, missing);

        g_assert_no_error (error);
        g_assert_true (ok);
        g_assert_true (known[0] && known[3]);
        g_assert_false (known[1] || known[2]);
        g_assert_cmpint (mtimes[0], ==, 1577934245);
        g_assert_cmpint (mtimes[3], ==, 1577934245);
        g_assert_nonnull (strstr (trace.all->str, burst));
      }
    else
      {
        g_assert_false (ok);
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
        g_clear_error (&error);
        g_assert_false (known[0] || known[1] || known[2] || known[3]);
      }
    g_clear_pointer (&entry, ferry_entry_free);
    entry = ferry_backend_stat (backend, file, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (entry->mtime, ==, 1577934245);
  }

  /* A missing file is "not found", and says so. */
  g_clear_pointer (&entry, ferry_entry_free);
  entry = ferry_backend_stat (backend, missing, NULL, &error);
  g_assert_null (entry);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (ferry_backend_remove (backend, file, NULL, &error));
  g_assert_no_error (error);
  entry = ferry_backend_stat (backend, file, NULL, &error);
  g_assert_null (entry);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Twenty-odd operations, one login. */
  if (flavour->kind != FERRY_CONNECTOR_KIND_LOCAL && trace.logins != 1)
    g_test_message ("trace:\n%s", trace.all->str);
  if (flavour->kind != FERRY_CONNECTOR_KIND_LOCAL)
    g_assert_cmpuint (trace.logins, ==, 1);
  /* And the password never reaches the trace. */
  g_assert_null (strstr (trace.all->str, g_getenv ("FERRY_TEST_PASSWORD")));

  g_string_free (trace.all, TRUE);
  g_free (content);
}

typedef struct
{
  GCancellable *cancellable;
  gsize received;
  gint64 cancelled_at;
} Slow;

static gboolean
slow_sink (const guint8  *data,
           gsize          length,
           gpointer       user_data,
           GError       **error)
{
  Slow *slow = user_data;

  slow->received += length;
  if (slow->received > 1024 * 1024 && slow->cancelled_at == 0)
    {
      slow->cancelled_at = g_get_monotonic_time ();
      g_cancellable_cancel (slow->cancellable);
    }
  g_usleep (2000);
  return TRUE;
}

static void
test_cancel_mid_read (gconstpointer data)
{
  const Flavour *flavour = data;
  g_autoptr(FerryConnector) connector = make_connector (flavour);
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryBackend) backend = ferry_backend_new (connector, g_getenv ("FERRY_TEST_PASSWORD"), &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *disk = g_build_filename (g_getenv ("FERRY_TEST_FTP_ROOT"), "big.bin", NULL);
  g_autofree char *bytes = g_malloc0 (64 * 1024 * 1024);
  Slow slow = { cancellable, 0, 0 };
  gint64 returned_at;

  g_assert_true (g_file_set_contents (disk, bytes, 64 * 1024 * 1024, NULL));
  g_assert_true (ferry_backend_read (backend, flavour->kind == FERRY_CONNECTOR_KIND_SFTP ? disk : "/big.bin",
                                     0, slow_sink, &slow, cancellable, &error) == FALSE);
  returned_at = g_get_monotonic_time ();
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CANCELLED);
  g_assert_cmpuint (slow.received, <, 64 * 1024 * 1024);
  g_assert_cmpint (slow.cancelled_at, >, 0);
  g_assert_cmpint (returned_at - slow.cancelled_at, <, G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("FERRY_TEST_FTP_PORT") == NULL || g_getenv ("FERRY_TEST_SFTP_PORT") == NULL)
    {
      g_printerr ("needs tests/fixtures/ferry-testenv.py --ftp --sftp\n");
      return 77;
    }

  for (guint i = 0; i < G_N_ELEMENTS (flavours); i++)
    {
      g_autofree char *name = g_strdup_printf ("/backend/%s/operations",
                                               ferry_connector_kind_to_string (flavours[i].kind));

      g_test_add_data_func (name, &flavours[i], test_operations);
    }
  g_test_add_data_func ("/backend/ftp/cancel-mid-read", &flavours[0], test_cancel_mid_read);
  g_test_add_data_func ("/backend/sftp/cancel-mid-read", &flavours[3], test_cancel_mid_read);

  return g_test_run ();
}
