/* ferry-backend-webdav.c: WebDAV over HTTP(S) through one libcurl session
 * per backend (ferry-curl-session.c), kept alive between requests.
 *
 * Listing is PROPFIND with Depth: 1, never "infinity", read as it arrives
 * by ferry-webdav-multistatus.c; files are GET (with Range to resume) and
 * streamed PUT (the engine writes to a temporary name, then renames with
 * MOVE and Overwrite: T); folders are MKCOL and DELETE. Times go with the
 * PUT as X-OC-Mtime (Unix seconds); Nextcloud and ownCloud answer
 * "X-OC-MTime: accepted", keep it through the MOVE, and no PROPPATCH
 * follows. Elsewhere they are set with PROPPATCH of DAV:lastmodified where
 * the server takes it; where it does not, set_mtime() says so once per
 * session and the engine reports it once, as for an FTP server without
 * MFMT. A hash known before the upload goes with it as OC-Checksum to a
 * server that keeps it (its headers say Nextcloud or ownCloud, or its
 * listings carry oc:checksums), for verify to read back.
 * Paths are the paths on the server, from its root
 * ("/remote.php/dav/files/alice/Site").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-address.h"
#include "ferry-backend-webdav.h"
#include "ferry-curl-session.h"
#include "ferry-error.h"
#include "ferry-webdav-multistatus.h"

/* Far more than any real folder's answer, and still a bound: the parser
 * keeps no text, but an answer that never ends must end somewhere. */
#define MAX_PROPFIND_BYTES (256 * 1024 * 1024)
/* An answer to PROPPATCH, MOVE, an error page: read this much at most. */
#define MAX_SMALL_BODY (64 * 1024)

typedef enum
{
  TIMES_UNKNOWN,
  TIMES_PROPPATCH,
  TIMES_NONE,
} TimesMethod;

typedef struct
{
  FerryBackend parent;
  FerryCurlSession session;
  char *authority;                 /* "host:port" as hrefs name it */
  TimesMethod times;
  struct curl_slist *headers;      /* this call's */

  /* this call's answer */
  FerryWebdavAnswer answer;
  gboolean status_known;
  FerryWebdavMultistatus *multistatus;
  GString *small_body;
  guint64 body_bytes;
  FerrySinkFunc user_sink;
  gpointer user_sink_data;
  gboolean logged_in;
  gboolean mtime_accepted;         /* this answer's "X-OC-MTime: accepted" */

  /* The last upload whose time the server took with it (X-OC-Mtime):
   * the finish's set_mtime() of the same time on it sends nothing. */
  char *kept_path;
  gint64 kept_mtime;
} FerryWebdavBackend;

static const char propfind_body[] =
  "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
  "<d:propfind xmlns:d=\"DAV:\" xmlns:oc=\"http://owncloud.org/ns\"><d:prop>"
  "<d:resourcetype/><d:getcontentlength/><d:getlastmodified/><oc:checksums/>"
  "</d:prop></d:propfind>\n";

void
ferry_webdav_answer_clear (FerryWebdavAnswer *answer)
{
  g_clear_pointer (&answer->server, g_free);
  g_clear_pointer (&answer->dav, g_free);
  g_clear_pointer (&answer->allow, g_free);
  answer->status = 0;
  answer->nextcloud = FALSE;
}

static void
reset_webdav_options (FerryCurlSession *session)
{
  curl_easy_setopt (session->easy, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt (session->easy, CURLOPT_HTTPHEADER, NULL);
  curl_easy_setopt (session->easy, CURLOPT_IGNORE_CONTENT_LENGTH, 0L);
}

static void
begin_call (FerryWebdavBackend *self)
{
  ferry_curl_session_reset_call (&self->session);
  g_clear_pointer (&self->headers, curl_slist_free_all);
  /* No "Expect: 100-continue": it waits a second for a go-ahead that
   * servers on a LAN or the loopback never need to send. */
  self->headers = curl_slist_append (NULL, "Expect:");
  ferry_webdav_answer_clear (&self->answer);
  self->status_known = FALSE;
  g_clear_pointer (&self->multistatus, ferry_webdav_multistatus_free);
  if (self->small_body != NULL)
    g_string_truncate (self->small_body, 0);
  self->body_bytes = 0;
  self->user_sink = NULL;
  self->user_sink_data = NULL;
  self->mtime_accepted = FALSE;
}

static void
add_header (FerryWebdavBackend *self,
            const char         *header)
{
  self->headers = curl_slist_append (self->headers, header);
}

static void
set_text (char       **field,
          const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static size_t
on_header (char   *data,
           size_t  size,
           size_t  nitems,
           void   *user_data)
{
  FerryWebdavBackend *self = user_data;
  gsize length = size * nitems;
  g_autofree char *line = g_strndup (data, length);
  char *colon;

  g_strchomp (line);
  if (g_ascii_strncasecmp (line, "HTTP/", 5) == 0)
    {
      /* A new answer (after a 100 Continue or an authentication round). */
      ferry_webdav_answer_clear (&self->answer);
      self->mtime_accepted = FALSE;
      return length;
    }
  colon = strchr (line, ':');
  if (colon == NULL)
    return length;
  *colon = '\0';
  g_strstrip (colon + 1);
  ferry_curl_mask_control_bytes (colon + 1);
  if (g_ascii_strcasecmp (line, "Server") == 0)
    set_text (&self->answer.server, colon + 1);
  else if (g_ascii_strcasecmp (line, "DAV") == 0)
    {
      g_autofree char *joined = self->answer.dav != NULL ? g_strconcat (self->answer.dav, ", ", colon + 1, NULL)
                                                         : g_strdup (colon + 1);

      set_text (&self->answer.dav, joined);
    }
  else if (g_ascii_strcasecmp (line, "Allow") == 0)
    set_text (&self->answer.allow, colon + 1);
  else if (g_ascii_strncasecmp (line, "X-Nextcloud", 11) == 0 || g_ascii_strncasecmp (line, "OC-", 3) == 0
           || g_ascii_strncasecmp (line, "X-OC-", 5) == 0)
    {
      self->answer.nextcloud = TRUE;
      /* They keep a hash sent with an upload (OC-Checksum) and give it
       * back as oc:checksums. */
      self->parent.upload_hashes |= 1u << G_CHECKSUM_SHA1 | 1u << G_CHECKSUM_MD5;
      if (g_ascii_strcasecmp (line, "X-OC-MTime") == 0 && g_ascii_strcasecmp (colon + 1, "accepted") == 0)
        self->mtime_accepted = TRUE;
    }
  return length;
}

static long
status_of (FerryWebdavBackend *self)
{
  long status = 0;

  curl_easy_getinfo (self->session.easy, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

/* Every body comes here: a multistatus goes to the reader as it arrives,
 * a file to the caller's sink, anything else (an error page) is kept
 * short. */
static gboolean
on_body (const guint8  *data,
         gsize          length,
         gpointer       user_data,
         GError       **error)
{
  FerryWebdavBackend *self = user_data;
  long status = status_of (self);

  self->body_bytes += length;
  if (self->multistatus != NULL && status == 207)
    {
      if (self->body_bytes > MAX_PROPFIND_BYTES)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                       _("The folder listing passed %d MiB: the server seems to send it without end"),
                       MAX_PROPFIND_BYTES / (1024 * 1024));
          return FALSE;
        }
      return ferry_webdav_multistatus_feed (self->multistatus, (const char *) data, length, error);
    }
  if (self->user_sink != NULL && status >= 200 && status < 300)
    return self->user_sink (data, length, self->user_sink_data, error);
  if (self->small_body == NULL)
    self->small_body = g_string_new (NULL);
  if (self->small_body->len + length <= MAX_SMALL_BODY)
    g_string_append_len (self->small_body, (const char *) data, length);
  return TRUE;
}

/* A failed request in Ferry's words: libcurl's failure, or the HTTP
 * status. */
static void
set_http_error (FerryWebdavBackend  *self,
                long                 status,
                GError             **error)
{
  FerryError code;
  const char *meaning;

  switch (status)
    {
    case 401:
      code = FERRY_ERROR_LOGIN;
      meaning = _("the server refused the user name or password");
      break;
    case 403:
    case 405:
      code = FERRY_ERROR_PERMISSION;
      meaning = _("the server does not allow it");
      break;
    case 404:
    case 410:
      code = FERRY_ERROR_NOT_FOUND;
      meaning = _("there is no such file or folder");
      break;
    case 409:
      code = FERRY_ERROR_NOT_FOUND;
      meaning = _("the folder it belongs in does not exist");
      break;
    case 413:
    case 507:
      code = FERRY_ERROR_NO_SPACE;
      meaning = _("the server has no room for it");
      break;
    case 423:
      code = FERRY_ERROR_TRANSIENT;
      meaning = _("the file is locked on the server");
      break;
    case 429:
    case 503:
      code = FERRY_ERROR_TOO_MANY;
      meaning = _("the server is busy");
      break;
    default:
      if (status >= 300 && status < 400)
        {
          code = FERRY_ERROR_PROTOCOL;
          meaning = _("the server sends this address elsewhere; use the address it names");
        }
      else if (status >= 500)
        {
          code = FERRY_ERROR_TRANSIENT;
          meaning = _("the server had a problem");
        }
      else
        {
          code = FERRY_ERROR_PROTOCOL;
          meaning = _("the server did not expect this request");
        }
      break;
    }
  g_set_error (error, FERRY_ERROR, code, _("HTTP %ld: %s"), status, meaning);
}

/* Runs the prepared request on `path` (or `url`); TRUE when the answer is
 * one of the two statuses wanted (`other` 0: any 2xx). */
static gboolean
request (FerryWebdavBackend  *self,
         const char          *path,
         long                 wanted,
         long                 other,
         GCancellable        *cancellable,
         GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  long status;

  curl_easy_setopt (self->session.easy, CURLOPT_HTTPHEADER, self->headers);
  self->session.sink = on_body;
  self->session.sink_data = self;
  if (!ferry_curl_session_perform (&self->session, path, cancellable, &local_error))
    {
      status = status_of (self);
      if (status == 401)
        set_http_error (self, status, error);
      else if (g_error_matches (local_error, FERRY_ERROR, FERRY_ERROR_TRANSIENT)
               && strstr (local_error->message, "Range") != NULL)
        g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                     _("The server cannot send a file from the middle: %s"), local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  status = status_of (self);
  self->answer.status = status;
  if (status != 401)
    self->logged_in = TRUE;
  if (status == wanted || (other != 0 && status == other)
      || (wanted == 0 && other == 0 && status >= 200 && status < 300))
    return TRUE;
  set_http_error (self, status, error);
  return FALSE;
}

static char *
folder_path (const char *dir)
{
  return ferry_curl_dir_path (*dir != '\0' ? dir : "/");
}

/* PROPFIND on `path` with `depth`: the answer, read. */
static FerryWebdavMultistatus *
propfind (FerryWebdavBackend  *self,
          const char          *path,
          const char          *depth,
          const char          *folder,
          GCancellable        *cancellable,
          GError             **error)
{
  g_autofree char *depth_header = g_strdup_printf ("Depth: %s", depth);

  if (!ferry_curl_check_path (path, error))
    return NULL;
  begin_call (self);
  add_header (self, depth_header);
  add_header (self, "Content-Type: application/xml; charset=utf-8");
  curl_easy_setopt (self->session.easy, CURLOPT_CUSTOMREQUEST, "PROPFIND");
  curl_easy_setopt (self->session.easy, CURLOPT_POSTFIELDS, propfind_body);
  curl_easy_setopt (self->session.easy, CURLOPT_POSTFIELDSIZE, (long) strlen (propfind_body));
  self->multistatus = ferry_webdav_multistatus_new (folder, self->authority);
  if (!request (self, path, 207, 0, cancellable, error))
    {
      g_clear_pointer (&self->multistatus, ferry_webdav_multistatus_free);
      return NULL;
    }
  return g_steal_pointer (&self->multistatus);
}

/* oc:checksums ("SHA1:hex MD5:hex ADLER32:hex"): the hashes a Nextcloud or
 * ownCloud server keeps, noted so verify can ask instead of reading. */
static guint
checksum_kinds (const char *checksums)
{
  guint kinds = 0;

  if (checksums == NULL)
    return 0;
  if (strstr (checksums, "SHA1:") != NULL)
    kinds |= 1u << G_CHECKSUM_SHA1;
  if (strstr (checksums, "MD5:") != NULL)
    kinds |= 1u << G_CHECKSUM_MD5;
  if (strstr (checksums, "SHA256:") != NULL)
    kinds |= 1u << G_CHECKSUM_SHA256;
  return kinds;
}

static void
note_checksums (FerryBackend           *backend,
                FerryWebdavMultistatus *answer,
                GPtrArray              *entries)
{
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      FerryEntry *entry = g_ptr_array_index (entries, i);

      guint kinds = checksum_kinds (ferry_webdav_multistatus_get_checksums (answer, entry->name));

      backend->hashes |= kinds;
      /* A server that shows hashes keeps the ones sent to it. */
      backend->upload_hashes |= kinds;
    }
}

static GPtrArray *
webdav_list (FerryBackend  *backend,
             const char    *dir,
             GCancellable  *cancellable,
             GError       **error)
{
  FerryWebdavBackend *self = (FerryWebdavBackend *) backend;
  g_autofree char *path = folder_path (dir);
  g_autoptr(FerryWebdavMultistatus) answer = NULL;
  GPtrArray *entries;
  FerryEntry *itself;

  g_clear_pointer (&backend->list_refusals, g_ptr_array_unref);
  answer = propfind (self, path, "1", path, cancellable, error);
  if (answer == NULL)
    return NULL;
  entries = ferry_webdav_multistatus_finish (answer, &backend->list_refusals, error);
  if (entries == NULL)
    return NULL;
  note_checksums (backend, answer, entries);
  itself = ferry_webdav_multistatus_get_self (answer);
  if (itself != NULL && itself->type != FERRY_ENTRY_DIRECTORY)
    {
      g_ptr_array_unref (entries);
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND, _("“%s” is a file, not a folder"), dir);
      return NULL;
    }
  return entries;
}

static FerryEntry *
webdav_stat (FerryBackend  *backend,
             const char    *path,
             GCancellable  *cancellable,
             GError       **error)
{
  FerryWebdavBackend *self = (FerryWebdavBackend *) backend;
  g_autoptr(FerryWebdavMultistatus) answer = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *trimmed = g_strdup (path);
  FerryEntry *itself;
  FerryEntry *entry;

  while (strlen (trimmed) > 1 && g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';
  answer = propfind (self, trimmed, "0", trimmed, cancellable, error);
  if (answer == NULL)
    return NULL;
  entries = ferry_webdav_multistatus_finish (answer, NULL, error);
  if (entries == NULL)
    return NULL;
  itself = ferry_webdav_multistatus_get_self (answer);
  if (itself == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                   _("The server’s answer about “%s” does not name it"), path);
      return NULL;
    }
  entry = ferry_entry_copy (itself);
  g_free (entry->name);
  entry->name = g_path_get_basename (trimmed);
  return entry;
}

static gboolean
webdav_is_folder (FerryBackend  *backend,
                  const char    *path,
                  gboolean      *is_file,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(FerryEntry) entry = webdav_stat (backend, path, cancellable, &local_error);

  *is_file = FALSE;
  if (entry == NULL)
    {
      if (!g_error_matches (local_error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *is_file = entry->type == FERRY_ENTRY_FILE;
  return entry->type == FERRY_ENTRY_DIRECTORY;
}

static gboolean
webdav_read (FerryBackend   *backend,
             const char     *path,
             guint64         offset,
             FerrySinkFunc   sink,
             gpointer        sink_data,
             GCancellable   *cancellable,
             GError        **error)
{
  FerryWebdavBackend *self = (FerryWebdavBackend *) backend;

  if (!ferry_curl_check_path (path, error))
    return FALSE;
  begin_call (self);
  self->user_sink = sink;
  self->user_sink_data = sink_data;
  backend->read_mtime_known = FALSE;
  if (offset > 0)
    curl_easy_setopt (self->session.easy, CURLOPT_RESUME_FROM_LARGE, (curl_off_t) offset);
  /* A resume must get the part asked for (206), never the whole file
   * again (200) appended to what is there. */
  return request (self, path, offset > 0 ? 206 : 200, 0, cancellable, error);
}

static const char *
oc_checksum_name (GChecksumType algorithm)
{
  switch (algorithm)
    {
    case G_CHECKSUM_SHA1:
      return "SHA1";
    case G_CHECKSUM_MD5:
      return "MD5";
    case G_CHECKSUM_SHA256:
      return "SHA256";
    default:
      return NULL;
    }
}

static gboolean
webdav_write_hinted (FerryBackend           *backend,
                     const char             *path,
                     guint64                 offset,
                     const FerryWriteHints  *hints,
                     FerrySourceFunc         source,
                     gpointer                source_data,
                     GCancellable           *cancellable,
                     GError                **error)
{
  FerryWebdavBackend *self = (FerryWebdavBackend *) backend;
  gboolean ok;

  if (!ferry_curl_check_path (path, error))
    return FALSE;
  if (offset > 0)
    {
      /* WebDAV has no append: the engine starts the file over. */
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                           _("A WebDAV server cannot add to a file; it is sent again from the start"));
      return FALSE;
    }
  begin_call (self);
  g_clear_pointer (&self->kept_path, g_free);
  if (hints != NULL && hints->mtime_known)
    {
      g_autofree char *header = g_strdup_printf ("X-OC-Mtime: %" G_GINT64_FORMAT, hints->mtime);

      add_header (self, header);
    }
  if (hints != NULL && hints->hash_hex != NULL && oc_checksum_name (hints->hash_algorithm) != NULL
      && (backend->upload_hashes & (1u << hints->hash_algorithm)))
    {
      g_autofree char *header = g_strdup_printf ("OC-Checksum: %s:%s", oc_checksum_name (hints->hash_algorithm),
                                                 hints->hash_hex);

      add_header (self, header);
    }
  curl_easy_setopt (self->session.easy, CURLOPT_UPLOAD, 1L);
  self->session.source = source;
  self->session.source_data = source_data;
  /* 201 Created, 204 No Content (replaced), or 200 from some servers. */
  ok = request (self, path, 0, 0, cancellable, error);
  if (ok && self->mtime_accepted && hints != NULL && hints->mtime_known)
    {
      self->kept_path = g_strdup (path);
      self->kept_mtime = hints->mtime;
    }
  return ok;
}

static gboolean
webdav_write (FerryBackend     *backend,
              const char       *path,
              guint64           offset,
              FerrySourceFunc   source,
              gpointer          source_data,
              GCancellable     *cancellable,
              GError          **error)
{
  return webdav_write_hinted (backend, path, offset, NULL, source, source_data, cancellable, error);
}

static gboolean
webdav_mkdir (FerryBackend  *backend,
              const char    *path,
              GCancellable  *cancellable,
              GError       **error)
{
  FerryWebdavBackend *self = (FerryWebdavBackend *) backend;
  g_autofree char *folder = folder_path (path);
  g_autoptr(GError) local_error = NULL;
  gboolean is_file = FALSE;

  if (!ferry_curl_check_path (path, error))
    return FALSE;
  begin_call (self);
  curl_easy_setopt (self->session.easy, CURLOPT_CUSTOMREQUEST, "MKCOL");
  if (request (self, folder, 201, 0, cancellable, &local_error))
    return TRUE;
  /* 405: something is there already; fine when it is a folder. */
  if (self->answer.status == 405 && webdav_is_folder (backend, path, &is_file, cancellable, NULL))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
webdav_delete (FerryWebdavBackend  *self,
               const char          *path,
               GCancellable        *cancellable,
               GError             **error)
{
  if (!ferry_curl_check_path (path, error))
    return FALSE;
  begin_call (self);
  curl_easy_setopt (self->session.easy, CURLOPT_CUSTOMREQUEST, "DELETE");
  return request (self, path, 0, 0, cancellable, error);
}

static gboolean
webdav_remove (FerryBackend  *backend,
               const char    *path,
               GCancellable  *cancellable,
               GError       **error)
{
  return webdav_delete ((FerryWebdavBackend *) backend, path, cancellable, error);
}

static gboolean
webdav_remove_folder (FerryBackend  *backend,
                      const char    *path,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *folder = folder_path (path);

  /* DELETE on a collection takes everything in it: only an empty one. */
  entries = webdav_list (backend, path, cancellable, error);
  if (entries == NULL)
    return FALSE;
  if (entries->len > 0 || backend->list_refusals != NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PERMISSION, _("The folder “%s” is not empty"), path);
      return FALSE;
    }
  return webdav_delete ((FerryWebdavBackend *) backend, folder, cancellable, error);
}

static gboolean
webdav_rename (FerryBackend  *backend,
               const char    *from,
               const char    *to,
               GCancellable  *cancellable,
               GError       **error)
{
  FerryWebdavBackend *self = (FerryWebdavBackend *) backend;
  g_autofree char *target = NULL;
  g_autofree char *destination = NULL;

  if (!ferry_curl_check_path (from, error) || !ferry_curl_check_path (to, error))
    return FALSE;
  target = ferry_connector_dup_url (backend->connector, to);
  destination = g_strconcat ("Destination: ", target, NULL);
  begin_call (self);
  add_header (self, destination);
  add_header (self, "Overwrite: T");
  curl_easy_setopt (self->session.easy, CURLOPT_CUSTOMREQUEST, "MOVE");
  return request (self, from, 201, 204, cancellable, error);
}

static gboolean
webdav_set_mtime (FerryBackend  *backend,
                  const char    *path,
                  gint64         mtime,
                  GCancellable  *cancellable,
                  GError       **error)
{
  FerryWebdavBackend *self = (FerryWebdavBackend *) backend;
  g_autofree char *body = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  if (!ferry_curl_check_path (path, error))
    return FALSE;
  if (self->kept_path != NULL && strcmp (self->kept_path, path) == 0 && self->kept_mtime == mtime)
    {
      /* The PUT carried it and the server said "accepted". */
      g_clear_pointer (&self->kept_path, g_free);
      return TRUE;
    }
  if (self->times == TIMES_NONE)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The server cannot set modification times"));
      return FALSE;
    }
  /* Nextcloud and ownCloud take DAV:lastmodified as Unix seconds. */
  body = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                          "<d:propertyupdate xmlns:d=\"DAV:\"><d:set><d:prop>"
                          "<d:lastmodified>%" G_GINT64_FORMAT "</d:lastmodified>"
                          "</d:prop></d:set></d:propertyupdate>\n", mtime);
  begin_call (self);
  add_header (self, "Content-Type: application/xml; charset=utf-8");
  curl_easy_setopt (self->session.easy, CURLOPT_CUSTOMREQUEST, "PROPPATCH");
  curl_easy_setopt (self->session.easy, CURLOPT_POSTFIELDS, body);
  curl_easy_setopt (self->session.easy, CURLOPT_POSTFIELDSIZE, (long) strlen (body));
  ok = request (self, path, 207, 0, cancellable, &local_error);
  /* The answer is a multistatus per property: taken only when it says
   * 200 and nothing else. */
  if (ok && self->small_body != NULL && strstr (self->small_body->str, " 200 ") != NULL
      && strstr (self->small_body->str, " 4") == NULL && strstr (self->small_body->str, " 5") == NULL)
    {
      g_autoptr(FerryEntry) entry = NULL;

      if (self->times == TIMES_PROPPATCH)
        return TRUE;
      /* Apache keeps DAV:lastmodified as a dead property beside the file
       * and answers 200, while getlastmodified stays the time of upload:
       * believed once the file's own time shows it. */
      entry = webdav_stat (backend, path, cancellable, error);
      if (entry == NULL)
        return FALSE;
      if (entry->precision >= FERRY_TIME_SECONDS && entry->mtime == mtime)
        {
          self->times = TIMES_PROPPATCH;
          return TRUE;
        }
      self->times = TIMES_NONE;
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The server cannot set modification times"));
      return FALSE;
    }
  if (!ok && !g_error_matches (local_error, FERRY_ERROR, FERRY_ERROR_PERMISSION)
      && !g_error_matches (local_error, FERRY_ERROR, FERRY_ERROR_PROTOCOL)
      && self->answer.status != 0 && self->answer.status != 400 && self->answer.status != 501)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!ok && self->answer.status == 0)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  self->times = TIMES_NONE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("The server cannot set modification times"));
  return FALSE;
}

static gboolean
webdav_hash (FerryBackend   *backend,
             const char     *path,
             GChecksumType   algorithm,
             char          **hex,
             GCancellable   *cancellable,
             GError        **error)
{
  FerryWebdavBackend *self = (FerryWebdavBackend *) backend;
  g_autoptr(FerryWebdavMultistatus) answer = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  const char *prefix = algorithm == G_CHECKSUM_SHA1 ? "SHA1:" : algorithm == G_CHECKSUM_MD5 ? "MD5:"
                       : algorithm == G_CHECKSUM_SHA256 ? "SHA256:" : NULL;
  gsize length = (gsize) g_checksum_type_get_length (algorithm) * 2;
  const char *checksums;
  const char *found;

  if (prefix == NULL || !(backend->hashes & (1u << algorithm)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "the server keeps no such checksum");
      return FALSE;
    }
  answer = propfind (self, path, "0", path, cancellable, error);
  if (answer == NULL)
    return FALSE;
  entries = ferry_webdav_multistatus_finish (answer, NULL, error);
  if (entries == NULL)
    return FALSE;
  checksums = ferry_webdav_multistatus_get_checksums (answer, "");
  found = checksums != NULL ? strstr (checksums, prefix) : NULL;
  if (found == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "the server keeps no checksum of this file");
      return FALSE;
    }
  found += strlen (prefix);
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isxdigit (found[i]))
      {
        g_set_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL, "the server’s %s checksum is not one", prefix);
        return FALSE;
      }
  if (g_ascii_isxdigit (found[length]))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL, "the server’s %s checksum is not one", prefix);
      return FALSE;
    }
  *hex = g_ascii_strdown (found, length);
  return TRUE;
}

static char *
webdav_login_folder (FerryBackend  *backend,
                     GCancellable  *cancellable,
                     GError       **error)
{
  const char *folder = ferry_connector_get_folder (backend->connector);

  return g_strdup (folder != NULL ? folder : "/");
}

gboolean
ferry_backend_webdav_options (FerryBackend       *backend,
                              const char         *path,
                              FerryWebdavAnswer  *answer,
                              GCancellable       *cancellable,
                              GError            **error)
{
  FerryWebdavBackend *self = (FerryWebdavBackend *) backend;
  g_autoptr(GError) local_error = NULL;

  begin_call (self);
  curl_easy_setopt (self->session.easy, CURLOPT_CUSTOMREQUEST, "OPTIONS");
  curl_easy_setopt (self->session.easy, CURLOPT_NOBODY, 0L);
  request (self, path, 0, 0, cancellable, &local_error);
  ferry_webdav_answer_clear (answer);
  answer->status = status_of (self);
  answer->server = g_strdup (self->answer.server);
  answer->dav = g_strdup (self->answer.dav);
  answer->allow = g_strdup (self->answer.allow);
  answer->nextcloud = self->answer.nextcloud;
  if (answer->status == 0)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

gboolean
ferry_backend_webdav_logged_in (FerryBackend *backend)
{
  return ((FerryWebdavBackend *) backend)->logged_in;
}

static void
webdav_free (FerryBackend *backend)
{
  FerryWebdavBackend *self = (FerryWebdavBackend *) backend;

  ferry_curl_session_clear (&self->session);
  g_clear_pointer (&self->headers, curl_slist_free_all);
  g_clear_pointer (&self->multistatus, ferry_webdav_multistatus_free);
  if (self->small_body != NULL)
    g_string_free (self->small_body, TRUE);
  ferry_webdav_answer_clear (&self->answer);
  g_free (self->authority);
  g_free (self->kept_path);
  g_free (self);
}

static const FerryBackendVTable webdav_vtable = {
  .list = webdav_list,
  .stat = webdav_stat,
  .read = webdav_read,
  .write = webdav_write,
  .mkdir = webdav_mkdir,
  .set_mtime = webdav_set_mtime,
  .rename = webdav_rename,
  .remove = webdav_remove,
  .is_folder = webdav_is_folder,
  .login_folder = webdav_login_folder,
  .remove_folder = webdav_remove_folder,
  .hash = webdav_hash,
  .write_hinted = webdav_write_hinted,
  .free = webdav_free,
};

FerryBackend *
ferry_backend_webdav_new (FerryConnector  *connector,
                          const char      *password,
                          GError         **error)
{
  FerryWebdavBackend *self;
  g_autofree char *host = NULL;

  self = g_new0 (FerryWebdavBackend, 1);
  self->parent.vtable = &webdav_vtable;
  self->parent.connector = g_object_ref (connector);
  host = ferry_address_format_host (ferry_connector_get_server (connector));
  self->authority = g_strdup_printf ("%s:%u", host, ferry_connector_get_port (connector));
  if (!ferry_curl_session_init (&self->session, &self->parent, password, 0, reset_webdav_options, error))
    {
      FerryConnector *c = self->parent.connector;

      webdav_free (&self->parent);
      g_object_unref (c);
      return NULL;
    }
  curl_easy_setopt (self->session.easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt (self->session.easy, CURLOPT_HEADERDATA, self);
  return &self->parent;
}
