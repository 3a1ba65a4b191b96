/* ferry-webdav-multistatus.c: the PROPFIND answer reader (see
 * ferry-webdav-multistatus.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libxml/parser.h>
#include <string.h>

#include "ferry-error.h"
#include "ferry-module.h"
#include "ferry-name.h"
#include "ferry-webdav-multistatus.h"

#define DAV_NS "DAV:"
#define OC_NS  "http://owncloud.org/ns"

/* libxml2 is opened when the first WebDAV listing is read, not linked: it
 * alone brings ICU and libstdc++ into ferry-cli and the window, about
 * 1.7 MiB of memory in every run that never speaks WebDAV (measured with
 * bench/run, job 1; see bench/README.md, "The SMB job"). */
#define LIBXML2_SONAME "libxml2.so.2"

#define XML_FUNCTIONS(X) \
  X (xmlInitParser) \
  X (xmlCreatePushParserCtxt) \
  X (xmlCtxtUseOptions) \
  X (xmlParseChunk) \
  X (xmlStopParser) \
  X (xmlFreeParserCtxt)

static struct
{
#define DECLARE_FUNCTION(name) __typeof__ (name) *name;
  XML_FUNCTIONS (DECLARE_FUNCTION)
#undef DECLARE_FUNCTION
} xml;

#define SYMBOL(name) { #name, (gpointer *) &xml.name },
static const FerrySymbol xml_symbols[] = { XML_FUNCTIONS (SYMBOL) };
#undef SYMBOL

/* NULL once libxml2 is loaded and initialised, else why it is not. */
static gpointer
load_library (gpointer data)
{
  char *why = NULL;
  GModule *module = ferry_module_open (LIBXML2_SONAME, xml_symbols, G_N_ELEMENTS (xml_symbols), &why);

  if (module == NULL)
    return why;
  /* Kept for the life of the process, as its parser state is. */
  g_module_make_resident (module);
  xml.xmlInitParser ();
  return NULL;
}

typedef enum
{
  EL_OTHER,
  EL_MULTISTATUS,
  EL_RESPONSE,
  EL_HREF,
  EL_PROPSTAT,
  EL_PROP,
  EL_STATUS,
  EL_CONTENT_LENGTH,
  EL_LAST_MODIFIED,
  EL_RESOURCE_TYPE,
  EL_COLLECTION,
  EL_CHECKSUMS,
  EL_CHECKSUM,
} Element;

typedef struct
{
  gboolean size_known;
  guint64 size;
  gboolean mtime_known;
  gint64 mtime;
  gboolean collection;
  GString *checksums;
} Props;

struct _FerryWebdavMultistatus
{
  xmlParserCtxtPtr ctxt;
  GError *error;
  char *folder;                 /* decoded, ends with "/" */
  char *authority;              /* lowercase host:port, or NULL */

  Element stack[FERRY_WEBDAV_MAX_DEPTH];
  guint depth;
  GString *text;                /* the element being read, bounded */
  gboolean collecting;

  /* the response being read */
  char *href;
  gboolean response_status_bad;
  Props props;                  /* from propstats that said 200 */
  Props pending;                /* the propstat being read */
  gboolean pending_ok;
  guint responses;

  GPtrArray *entries;
  GPtrArray *refusals;
  FerryEntry *self_entry;
  GHashTable *checksums;        /* name → "SHA1:… MD5:…" */
};

static void
props_clear (Props *props)
{
  if (props->checksums != NULL)
    g_string_free (props->checksums, TRUE);
  memset (props, 0, sizeof *props);
}

static void
stop (FerryWebdavMultistatus *self,
      GError                 *error)
{
  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);
  xml.xmlStopParser (self->ctxt);
}

static void
refuse (FerryWebdavMultistatus *self,
        const char             *href,
        const char             *why)
{
  g_autofree char *shown = ferry_name_escape_for_log (href, strlen (href));

  g_ptr_array_add (self->refusals, g_strdup_printf ("“%s”: %s", shown, why));
}

static Element
element_of (const xmlChar *localname,
            const xmlChar *uri)
{
  const char *name = (const char *) localname;

  if (uri != NULL && g_str_equal ((const char *) uri, DAV_NS))
    {
      if (g_str_equal (name, "multistatus"))
        return EL_MULTISTATUS;
      if (g_str_equal (name, "response"))
        return EL_RESPONSE;
      if (g_str_equal (name, "href"))
        return EL_HREF;
      if (g_str_equal (name, "propstat"))
        return EL_PROPSTAT;
      if (g_str_equal (name, "prop"))
        return EL_PROP;
      if (g_str_equal (name, "status"))
        return EL_STATUS;
      if (g_str_equal (name, "getcontentlength"))
        return EL_CONTENT_LENGTH;
      if (g_str_equal (name, "getlastmodified"))
        return EL_LAST_MODIFIED;
      if (g_str_equal (name, "resourcetype"))
        return EL_RESOURCE_TYPE;
      if (g_str_equal (name, "collection"))
        return EL_COLLECTION;
    }
  if (uri != NULL && g_str_equal ((const char *) uri, OC_NS))
    {
      if (g_str_equal (name, "checksums"))
        return EL_CHECKSUMS;
      if (g_str_equal (name, "checksum"))
        return EL_CHECKSUM;
    }
  return EL_OTHER;
}

static Element
parent_element (FerryWebdavMultistatus *self)
{
  return self->depth >= 2 ? self->stack[self->depth - 2] : EL_OTHER;
}

static gboolean
status_is_ok (const char *status)
{
  /* "HTTP/1.1 200 OK" */
  const char *space = status != NULL ? strchr (status, ' ') : NULL;

  return space != NULL && space[1] == '2';
}

static void
on_start (void           *ctx,
          const xmlChar  *localname,
          const xmlChar  *prefix,
          const xmlChar  *uri,
          int             nb_namespaces,
          const xmlChar **namespaces,
          int             nb_attributes,
          int             nb_defaulted,
          const xmlChar **attributes)
{
  FerryWebdavMultistatus *self = ctx;
  Element element = element_of (localname, uri);

  if (self->error != NULL)
    return;
  if (self->depth >= FERRY_WEBDAV_MAX_DEPTH)
    {
      stop (self, g_error_new (FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                               _("The server’s folder listing nests more than %d levels deep"),
                               FERRY_WEBDAV_MAX_DEPTH));
      return;
    }
  if (self->depth == 0 && element != EL_MULTISTATUS)
    {
      stop (self, g_error_new_literal (FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                                       _("The server did not answer with a WebDAV folder listing")));
      return;
    }
  self->stack[self->depth++] = element;

  switch (element)
    {
    case EL_RESPONSE:
      if (parent_element (self) != EL_MULTISTATUS)
        break;
      if (++self->responses > FERRY_WEBDAV_MAX_ENTRIES)
        {
          stop (self, g_error_new (FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                                   _("The server’s folder listing holds more than %d entries"),
                                   FERRY_WEBDAV_MAX_ENTRIES));
          return;
        }
      g_clear_pointer (&self->href, g_free);
      self->response_status_bad = FALSE;
      props_clear (&self->props);
      break;
    case EL_PROPSTAT:
      props_clear (&self->pending);
      self->pending_ok = FALSE;
      break;
    case EL_COLLECTION:
      if (parent_element (self) == EL_RESOURCE_TYPE)
        self->pending.collection = TRUE;
      break;
    case EL_HREF:
    case EL_STATUS:
    case EL_CONTENT_LENGTH:
    case EL_LAST_MODIFIED:
    case EL_CHECKSUM:
      g_string_truncate (self->text, 0);
      self->collecting = TRUE;
      break;
    case EL_MULTISTATUS:
    case EL_PROP:
    case EL_RESOURCE_TYPE:
    case EL_CHECKSUMS:
    case EL_OTHER:
    default:
      break;
    }
}

static void
on_characters (void          *ctx,
               const xmlChar *text,
               int            length)
{
  FerryWebdavMultistatus *self = ctx;

  if (self->error != NULL || !self->collecting || length <= 0)
    return;
  if (self->text->len + (gsize) length > FERRY_WEBDAV_MAX_TEXT)
    {
      stop (self, g_error_new (FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                               _("The server’s folder listing has an element longer than %d bytes"),
                               FERRY_WEBDAV_MAX_TEXT));
      return;
    }
  g_string_append_len (self->text, (const char *) text, length);
}

/* The authority of an absolute href ("HOST[:PORT]"), lowercased, with the
 * scheme's port made explicit. */
static char *
href_authority (const char  *href,
                const char **path)
{
  const char *start;
  const char *end;
  const char *close;
  const char *colon;
  g_autofree char *lower = NULL;
  const char *port = NULL;

  if (g_ascii_strncasecmp (href, "http://", 7) == 0)
    {
      start = href + 7;
      port = "80";
    }
  else if (g_ascii_strncasecmp (href, "https://", 8) == 0)
    {
      start = href + 8;
      port = "443";
    }
  else
    return NULL;
  end = strchr (start, '/');
  if (end == NULL)
    end = start + strlen (start);
  *path = *end != '\0' ? end : "/";
  lower = g_ascii_strdown (start, end - start);
  if (strchr (lower, '@') != NULL)
    return NULL;
  close = strrchr (lower, ']');
  colon = strrchr (lower, ':');
  if (colon != NULL && (close == NULL || colon > close))
    return g_steal_pointer (&lower);
  return g_strconcat (lower, ":", port, NULL);
}

/* The href of a response becomes a name in the folder asked for, or the
 * folder itself (`is_self`), or a refusal. */
static void
take_response (FerryWebdavMultistatus *self)
{
  g_autofree char *raw = g_strdup (self->href != NULL ? g_strstrip (self->href) : "");
  g_autofree char *decoded = NULL;
  g_autofree char *name = NULL;
  g_autofree char *reason = NULL;
  g_auto(GStrv) segments = NULL;
  const char *path = raw;
  gsize folder_length = strlen (self->folder);
  gboolean trailing;
  FerryEntry *entry;

  if (self->response_status_bad && self->props.size_known == FALSE && self->props.mtime_known == FALSE
      && !self->props.collection)
    return;   /* "404 Not Found" for the whole response: nothing there */

  if (*raw == '\0')
    {
      g_ptr_array_add (self->refusals, g_strdup (_("The server listed an entry without a name")));
      return;
    }
  if (!g_str_has_prefix (raw, "/"))
    {
      g_autofree char *authority = href_authority (raw, &path);

      if (authority == NULL)
        {
          refuse (self, raw, _("the server named it with an address Ferry does not follow"));
          return;
        }
      if (self->authority == NULL || !g_str_equal (authority, self->authority))
        {
          refuse (self, raw, _("the server named it on another server"));
          return;
        }
    }
  if (strpbrk (path, "?#") != NULL)
    {
      refuse (self, raw, _("the server named it with an address Ferry does not follow"));
      return;
    }
  /* An encoded "/" would turn one name into a path once decoded. */
  if (strstr (path, "%2f") != NULL || strstr (path, "%2F") != NULL
      || strstr (path, "%5c") != NULL || strstr (path, "%5C") != NULL)
    {
      refuse (self, raw, _("the name holds an encoded “/” or “\\”"));
      return;
    }
  decoded = g_uri_unescape_string (path, NULL);
  if (decoded == NULL)
    {
      refuse (self, raw, _("the name is not a valid address"));
      return;
    }
  segments = g_strsplit (decoded, "/", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    if (g_str_equal (segments[i], ".") || g_str_equal (segments[i], ".."))
      {
        refuse (self, raw, _("the name leads out of the folder (“..”)"));
        return;
      }

  trailing = g_str_has_suffix (decoded, "/");
  if (trailing)
    decoded[strlen (decoded) - 1] = '\0';
  /* The folder itself: "/dav/site/" or "/dav/site". */
  if (strlen (decoded) + 1 == folder_length && strncmp (decoded, self->folder, folder_length - 1) == 0)
    {
      g_clear_pointer (&self->self_entry, ferry_entry_free);
      self->self_entry = ferry_entry_new ("", self->props.collection ? FERRY_ENTRY_DIRECTORY : FERRY_ENTRY_FILE);
      entry = self->self_entry;
      name = g_strdup ("");
    }
  else
    {
      if (!g_str_has_prefix (decoded, self->folder) || decoded[folder_length] == '\0'
          || strchr (decoded + folder_length, '/') != NULL)
        {
          refuse (self, raw, _("the server named it outside the folder asked for"));
          return;
        }
      name = g_strdup (decoded + folder_length);
      if (!ferry_name_check (name, strlen (name), &reason))
        {
          g_ptr_array_add (self->refusals, g_steal_pointer (&reason));
          return;
        }
      entry = ferry_entry_new (name, self->props.collection || trailing ? FERRY_ENTRY_DIRECTORY
                                                                        : FERRY_ENTRY_FILE);
      g_ptr_array_add (self->entries, entry);
    }
  if (self->props.size_known && entry->type == FERRY_ENTRY_FILE)
    {
      entry->size = self->props.size;
      entry->size_known = TRUE;
    }
  if (self->props.mtime_known)
    {
      entry->mtime = self->props.mtime;
      entry->precision = FERRY_TIME_SECONDS;
    }
  if (self->props.checksums != NULL && self->props.checksums->len > 0)
    g_hash_table_replace (self->checksums, g_steal_pointer (&name), g_strdup (self->props.checksums->str));
}

static void
on_end (void          *ctx,
        const xmlChar *localname,
        const xmlChar *prefix,
        const xmlChar *uri)
{
  FerryWebdavMultistatus *self = ctx;
  Element element;
  Element parent;
  g_autofree char *text = NULL;

  if (self->error != NULL || self->depth == 0)
    return;
  element = self->stack[self->depth - 1];
  parent = parent_element (self);
  if (self->collecting)
    {
      text = g_strdup (g_strstrip (self->text->str));
      self->collecting = FALSE;
    }

  switch (element)
    {
    case EL_HREF:
      if (parent == EL_RESPONSE && self->href == NULL)
        self->href = g_steal_pointer (&text);
      break;
    case EL_STATUS:
      if (parent == EL_PROPSTAT)
        self->pending_ok = status_is_ok (text);
      else if (parent == EL_RESPONSE)
        self->response_status_bad = !status_is_ok (text);
      break;
    case EL_CONTENT_LENGTH:
      {
        guint64 value;

        if (text != NULL && g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
          {
            self->pending.size = value;
            self->pending.size_known = TRUE;
          }
      }
      break;
    case EL_LAST_MODIFIED:
      self->pending.mtime_known = text != NULL && ferry_webdav_parse_http_date (text, &self->pending.mtime);
      break;
    case EL_CHECKSUM:
      /* An element whose text was not collected (nested in another one
       * that is) has none of its own. */
      if (text == NULL)
        break;
      if (self->pending.checksums == NULL)
        self->pending.checksums = g_string_new (NULL);
      if (self->pending.checksums->len + strlen (text) < FERRY_WEBDAV_MAX_TEXT)
        {
          if (self->pending.checksums->len > 0)
            g_string_append_c (self->pending.checksums, ' ');
          g_string_append (self->pending.checksums, text);
        }
      break;
    case EL_PROPSTAT:
      if (self->pending_ok)
        {
          Props *props = &self->props;

          if (self->pending.size_known)
            {
              props->size = self->pending.size;
              props->size_known = TRUE;
            }
          if (self->pending.mtime_known)
            {
              props->mtime = self->pending.mtime;
              props->mtime_known = TRUE;
            }
          props->collection |= self->pending.collection;
          if (self->pending.checksums != NULL && props->checksums == NULL)
            props->checksums = g_steal_pointer (&self->pending.checksums);
        }
      props_clear (&self->pending);
      break;
    case EL_RESPONSE:
      if (parent == EL_MULTISTATUS)
        take_response (self);
      break;
    case EL_MULTISTATUS:
    case EL_PROP:
    case EL_RESOURCE_TYPE:
    case EL_COLLECTION:
    case EL_CHECKSUMS:
    case EL_OTHER:
    default:
      break;
    }
  self->depth--;
}

static void
on_internal_subset (void          *ctx,
                    const xmlChar *name,
                    const xmlChar *external_id,
                    const xmlChar *system_id)
{
  /* No DTD, hence no entity to expand: a folder listing needs none. */
  stop (ctx, g_error_new_literal (FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                                  _("The server’s folder listing declares a DTD, which Ferry does not read")));
}

static void
on_error (void        *ctx,
          xmlErrorPtr  xml_error)
{
  FerryWebdavMultistatus *self = ctx;
  g_autofree char *message = NULL;

  if (self->error != NULL || xml_error == NULL || xml_error->level < XML_ERR_ERROR)
    return;
  message = g_strstrip (g_strdup (xml_error->message != NULL ? xml_error->message : "?"));
  for (char *p = message; *p != '\0'; p++)
    if ((guchar) *p < 0x20)
      *p = ' ';
  self->error = g_error_new (FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                             _("The server’s folder listing is not valid XML (line %d: %s)"),
                             xml_error->line, message);
}

FerryWebdavMultistatus *
ferry_webdav_multistatus_new (const char *folder,
                              const char *authority)
{
  static GOnce once = G_ONCE_INIT;
  const char *unloaded;
  FerryWebdavMultistatus *self;
  xmlSAXHandler sax;

  g_return_val_if_fail (folder != NULL, NULL);

  unloaded = g_once (&once, load_library, NULL);
  self = g_new0 (FerryWebdavMultistatus, 1);
  self->folder = g_str_has_suffix (folder, "/") ? g_strdup (folder) : g_strconcat (folder, "/", NULL);
  self->authority = authority != NULL ? g_ascii_strdown (authority, -1) : NULL;
  self->text = g_string_new (NULL);
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_entry_free);
  self->refusals = g_ptr_array_new_with_free_func (g_free);
  self->checksums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  memset (&sax, 0, sizeof sax);
  sax.initialized = XML_SAX2_MAGIC;
  sax.startElementNs = on_start;
  sax.endElementNs = on_end;
  sax.characters = on_characters;
  sax.cdataBlock = on_characters;
  sax.internalSubset = on_internal_subset;
  sax.serror = on_error;
  /* Without libxml2 the reader says why at the first feed or finish. */
  if (unloaded != NULL)
    {
      self->error = g_error_new (FERRY_ERROR, FERRY_ERROR_FAILED,
                                 _("WebDAV needs the XML library %s, which could not be loaded: %s"),
                                 LIBXML2_SONAME, unloaded);
      return self;
    }
  self->ctxt = xml.xmlCreatePushParserCtxt (&sax, self, NULL, 0, NULL);
  xml.xmlCtxtUseOptions (self->ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  return self;
}

void
ferry_webdav_multistatus_free (FerryWebdavMultistatus *self)
{
  if (self == NULL)
    return;
  if (self->ctxt != NULL)
    xml.xmlFreeParserCtxt (self->ctxt);
  g_clear_error (&self->error);
  g_free (self->folder);
  g_free (self->authority);
  g_string_free (self->text, TRUE);
  g_free (self->href);
  props_clear (&self->props);
  props_clear (&self->pending);
  g_ptr_array_unref (self->entries);
  g_ptr_array_unref (self->refusals);
  g_clear_pointer (&self->self_entry, ferry_entry_free);
  g_hash_table_unref (self->checksums);
  g_free (self);
}

gboolean
ferry_webdav_multistatus_feed (FerryWebdavMultistatus  *self,
                               const char              *data,
                               gsize                    length,
                               GError                 **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  while (self->error == NULL && length > 0)
    {
      int n = (int) MIN (length, 65536);

      xml.xmlParseChunk (self->ctxt, data, n, 0);
      data += n;
      length -= (gsize) n;
    }
  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
ferry_webdav_multistatus_finish (FerryWebdavMultistatus  *self,
                                 GPtrArray              **refusals,
                                 GError                 **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->error == NULL)
    {
      xml.xmlParseChunk (self->ctxt, NULL, 0, 1);
      /* libxml2's words for an answer that stopped early are about XML. */
      if (self->depth != 0)
        g_clear_error (&self->error);
    }
  if (self->error == NULL && self->depth != 0)
    self->error = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                                       _("The server’s folder listing was cut off"));
  if (self->error == NULL && self->responses == 0 && self->stack[0] != EL_MULTISTATUS)
    self->error = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                                       _("The server did not answer with a WebDAV folder listing"));
  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return NULL;
    }
  if (refusals != NULL)
    *refusals = self->refusals->len > 0 ? g_ptr_array_ref (self->refusals) : NULL;
  return g_ptr_array_ref (self->entries);
}

FerryEntry *
ferry_webdav_multistatus_get_self (FerryWebdavMultistatus *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->self_entry;
}

const char *
ferry_webdav_multistatus_get_checksums (FerryWebdavMultistatus *self,
                                        const char             *name)
{
  g_return_val_if_fail (self != NULL && name != NULL, NULL);
  return g_hash_table_lookup (self->checksums, name);
}

gboolean
ferry_webdav_parse_http_date (const char *text,
                              gint64     *seconds)
{
  static const char *const months[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  };
  char weekday[4] = "";
  char month[4] = "";
  int day, year, hour, minute, second;
  g_autoptr(GDateTime) when = NULL;
  int month_number = 0;

  if (text == NULL)
    return FALSE;
  /* "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 7231's IMF-fixdate) */
  if (sscanf (text, "%3s, %d %3s %d %d:%d:%d GMT", weekday, &day, month, &year, &hour, &minute, &second) != 7)
    {
      /* Some servers give creationdate-style ISO 8601. */
      when = g_date_time_new_from_iso8601 (text, NULL);
      if (when == NULL)
        return FALSE;
      *seconds = g_date_time_to_unix (when);
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    if (g_ascii_strcasecmp (month, months[i]) == 0)
      month_number = (int) i + 1;
  if (month_number == 0)
    return FALSE;
  when = g_date_time_new_utc (year, month_number, day, hour, minute, second);
  if (when == NULL)
    return FALSE;
  *seconds = g_date_time_to_unix (when);
  return TRUE;
}
