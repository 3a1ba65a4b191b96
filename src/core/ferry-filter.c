/* ferry-filter.c: see ferry-filter.h.
 *
 * Why this matcher: fnmatch(3) with FNM_PATHNAME already keeps `*`, `?`
 * and sets within one name, and GLib's GPatternSpec lets `*` cross '/'.
 * Neither knows `**`. So a pattern is split into segments, each matched
 * with fnmatch, and a `**` segment tries every number of folders: the
 * only part written here is the recursion over segments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fnmatch.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "ferry-error.h"
#include "ferry-filter.h"

typedef struct
{
  char    **segments;     /* split on '/' */
  gboolean  anywhere;     /* no '/': the last segment of the path */
  gboolean  folders_only; /* ended in '/' */
  char     *text;         /* as the user wrote it, to name it */
} Pattern;

struct _FerryFilter
{
  GArray   *includes;     /* Pattern */
  GArray   *excludes;
  gboolean  skip_hidden;
  guint64   max_size;
};

static void
pattern_clear (Pattern *pattern)
{
  g_strfreev (pattern->segments);
  g_free (pattern->text);
}

static gboolean
pattern_parse (const char  *text,
               Pattern     *pattern,
               GError     **error)
{
  g_autofree char *copy = g_strdup (text);
  gsize length = strlen (copy);
  char *start = copy;

  pattern->folders_only = length > 0 && copy[length - 1] == '/';
  while (length > 0 && copy[length - 1] == '/')
    copy[--length] = '\0';
  pattern->anywhere = strchr (copy, '/') == NULL && text[0] != '/';
  while (*start == '/')
    start++;
  if (*start == '\0')
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_INPUT,
                   _("The pattern “%s” matches nothing"), text);
      return FALSE;
    }
  pattern->segments = g_strsplit (start, "/", -1);
  pattern->text = g_strdup (text);
  return TRUE;
}

static gboolean
segments_match (char       **pattern,
                char       **path)
{
  if (*pattern == NULL)
    return *path == NULL;
  if (g_str_equal (*pattern, "**"))
    {
      /* Zero folders, or one more, and so on. */
      for (char **rest = path; ; rest++)
        {
          if (segments_match (pattern + 1, rest))
            return TRUE;
          if (*rest == NULL)
            return FALSE;
        }
    }
  if (*path == NULL)
    return FALSE;
  if (fnmatch (*pattern, *path, 0) != 0)
    return FALSE;
  return segments_match (pattern + 1, path + 1);
}

static gboolean
pattern_matches (const Pattern *pattern,
                 char         **path,
                 gboolean       is_folder)
{
  guint n = g_strv_length (path);

  if (pattern->folders_only && !is_folder)
    return FALSE;
  if (pattern->anywhere)
    return n > 0 && segments_match (pattern->segments, path + n - 1);
  return segments_match (pattern->segments, path);
}

gboolean
ferry_filter_pattern_matches (const char *text,
                              const char *relative,
                              gboolean    is_folder)
{
  Pattern pattern = { 0, };
  g_auto(GStrv) path = NULL;
  gboolean matches;

  g_return_val_if_fail (text != NULL && relative != NULL, FALSE);

  if (!pattern_parse (text, &pattern, NULL))
    return FALSE;
  path = g_strsplit (relative, "/", -1);
  matches = pattern_matches (&pattern, path, is_folder);
  pattern_clear (&pattern);
  return matches;
}

static GArray *
parse_all (const char * const  *texts,
           GError             **error)
{
  g_autoptr(GArray) patterns = g_array_new (FALSE, TRUE, sizeof (Pattern));

  g_array_set_clear_func (patterns, (GDestroyNotify) pattern_clear);
  for (guint i = 0; texts != NULL && texts[i] != NULL; i++)
    {
      Pattern pattern = { 0, };

      if (!pattern_parse (texts[i], &pattern, error))
        return NULL;
      g_array_append_val (patterns, pattern);
    }
  return g_steal_pointer (&patterns);
}

FerryFilter *
ferry_filter_new (const char * const  *includes,
                  const char * const  *excludes,
                  gboolean             skip_hidden,
                  guint64              max_size,
                  GError             **error)
{
  g_autoptr(FerryFilter) filter = g_new0 (FerryFilter, 1);

  filter->skip_hidden = skip_hidden;
  filter->max_size = max_size;
  filter->includes = parse_all (includes, error);
  if (filter->includes == NULL)
    return NULL;
  filter->excludes = parse_all (excludes, error);
  if (filter->excludes == NULL)
    return NULL;
  return g_steal_pointer (&filter);
}

void
ferry_filter_free (FerryFilter *filter)
{
  if (filter == NULL)
    return;
  g_clear_pointer (&filter->includes, g_array_unref);
  g_clear_pointer (&filter->excludes, g_array_unref);
  g_free (filter);
}

gboolean
ferry_filter_is_empty (const FerryFilter *filter)
{
  return filter == NULL ||
         (filter->includes->len == 0 && filter->excludes->len == 0 &&
          !filter->skip_hidden && filter->max_size == 0);
}

static gboolean
any_matches (GArray    *patterns,
             char     **path,
             gboolean   is_folder)
{
  for (guint i = 0; i < patterns->len; i++)
    if (pattern_matches (&g_array_index (patterns, Pattern, i), path, is_folder))
      return TRUE;
  return FALSE;
}

/* The first pattern matching the path or a folder it is in, or NULL. */
static const char *
which_matches (GArray  *patterns,
               char   **path,
               gboolean is_folder)
{
  guint n = g_strv_length (path);

  for (guint i = 0; i < patterns->len; i++)
    {
      const Pattern *pattern = &g_array_index (patterns, Pattern, i);

      if (pattern_matches (pattern, path, is_folder))
        return pattern->text;
      for (guint depth = n - 1; depth > 0 && depth < n; depth--)
        {
          g_autofree char *cut = path[depth];
          gboolean found;

          path[depth] = NULL;
          found = pattern_matches (pattern, path, TRUE);
          path[depth] = g_steal_pointer (&cut);
          if (found)
            return pattern->text;
        }
    }
  return NULL;
}

char *
ferry_filter_explain (const FerryFilter *filter,
                      const char        *relative,
                      gboolean           is_folder,
                      const char        *reason)
{
  g_auto(GStrv) path = NULL;
  const char *pattern = NULL;

  g_return_val_if_fail (filter != NULL && relative != NULL, NULL);

  if (g_strcmp0 (reason, "hidden") == 0)
    return g_strdup (_("Left out: hidden"));
  if (g_strcmp0 (reason, "too-large") == 0)
    {
      g_autofree char *size = g_format_size (filter->max_size);

      /* Translators: a file the size limit left out; the limit */
      return g_strdup_printf (_("Left out: larger than %s"), size);
    }
  if (g_strcmp0 (reason, "not-included") == 0)
    return g_strdup (_("Left out: matches no include pattern"));
  path = g_strsplit (relative, "/", -1);
  pattern = which_matches (filter->excludes, path, is_folder);
  if (pattern != NULL)
    /* Translators: a file or folder an exclude pattern left out; the pattern */
    return g_strdup_printf (_("Left out by the pattern “%s”"), pattern);
  return g_strdup (_("Left out by the filters"));
}

static gboolean
is_hidden (char **path)
{
  guint n = g_strv_length (path);

  return n > 0 && path[n - 1][0] == '.';
}

gboolean
ferry_filter_keeps_folder (const FerryFilter  *filter,
                           const char         *relative,
                           const char        **reason)
{
  g_auto(GStrv) path = NULL;

  if (ferry_filter_is_empty (filter))
    return TRUE;
  path = g_strsplit (relative, "/", -1);
  if (filter->skip_hidden && is_hidden (path))
    {
      *reason = "hidden";
      return FALSE;
    }
  if (any_matches (filter->excludes, path, TRUE))
    {
      *reason = "exclude";
      return FALSE;
    }
  return TRUE;
}

/* Whether a pattern matches the file or a folder it is in: an excluded
 * folder leaves out what is in it, an included one brings it in. */
static gboolean
matches_file_or_folder (GArray  *patterns,
                        char   **path)
{
  guint n = g_strv_length (path);

  if (any_matches (patterns, path, FALSE))
    return TRUE;
  for (guint depth = n - 1; depth > 0; depth--)
    {
      g_autofree char *cut = path[depth];
      gboolean found;

      path[depth] = NULL;
      found = any_matches (patterns, path, TRUE);
      path[depth] = g_steal_pointer (&cut);
      if (found)
        return TRUE;
    }
  return FALSE;
}

static gboolean
any_hidden (char **path)
{
  for (guint i = 0; path[i] != NULL; i++)
    if (path[i][0] == '.')
      return TRUE;
  return FALSE;
}

gboolean
ferry_filter_keeps_file (const FerryFilter  *filter,
                         const char         *relative,
                         guint64             size,
                         const char        **reason)
{
  g_auto(GStrv) path = NULL;

  if (ferry_filter_is_empty (filter))
    return TRUE;
  /* The walk never reaches a file in an excluded folder; asked about one
   * anyway (a count over an earlier run's records), the answer is the
   * same. */
  path = g_strsplit (relative, "/", -1);
  if (filter->skip_hidden && any_hidden (path))
    {
      *reason = "hidden";
      return FALSE;
    }
  if (matches_file_or_folder (filter->excludes, path))
    {
      *reason = "exclude";
      return FALSE;
    }
  if (filter->max_size > 0 && size != G_MAXUINT64 && size > filter->max_size)
    {
      *reason = "too-large";
      return FALSE;
    }
  if (filter->includes->len > 0 && !matches_file_or_folder (filter->includes, path))
    {
      *reason = "not-included";
      return FALSE;
    }
  return TRUE;
}

gboolean
ferry_parse_size (const char *text,
                  guint64    *bytes)
{
  g_autofree char *copy = NULL;
  char *end = NULL;
  double value;
  guint64 unit = 1;

  if (text == NULL)
    return FALSE;
  copy = g_strstrip (g_strdup (text));
  if (copy[0] == '\0' || copy[0] == '-')
    return FALSE;
  value = g_ascii_strtod (copy, &end);
  if (end == copy || value < 0)
    return FALSE;
  while (*end == ' ')
    end++;
  switch (g_ascii_toupper (*end))
    {
    case '\0':
      break;
    case 'K':
      unit = 1024;
      break;
    case 'M':
      unit = 1024 * 1024;
      break;
    case 'G':
      unit = (guint64) 1024 * 1024 * 1024;
      break;
    case 'T':
      unit = (guint64) 1024 * 1024 * 1024 * 1024;
      break;
    default:
      return FALSE;
    }
  if (*end != '\0')
    {
      end++;
      /* "K", "KB", "KiB", "k/s": the unit, nothing else. */
      if (g_ascii_strcasecmp (end, "") != 0 && g_ascii_strcasecmp (end, "B") != 0 &&
          g_ascii_strcasecmp (end, "iB") != 0 && g_ascii_strcasecmp (end, "/s") != 0 &&
          g_ascii_strcasecmp (end, "B/s") != 0)
        return FALSE;
    }
  if (value * unit > (double) G_MAXUINT64 / 2)
    return FALSE;
  *bytes = (guint64) (value * unit + 0.5);
  return TRUE;
}
