/* fuzz-name.c: any bytes as a name from a server — the check, the log
 * form, the join and the temporary name keep their promises: nothing
 * accepted can leave the destination, the log form holds no control byte.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ferry-error.h"
#include "ferry-name.h"
#include "fuzz-common.h"

#define ROOT "/srv/dest"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *name = (const char *) data;
  g_autofree char *reason = NULL;
  g_autofree char *shown = ferry_name_escape_for_log (name, size);
  g_autofree char *text = g_strndup (name, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *joined = NULL;
  gboolean ok = ferry_name_check (name, size, &reason);

  g_assert (ok == (reason == NULL));
  g_assert (g_utf8_validate (shown, -1, NULL));
  for (const char *p = shown; *p != '\0'; p++)
    g_assert ((guchar) *p >= 0x20 && *p != 0x7f);
  if (reason != NULL)
    {
      g_assert (g_utf8_validate (reason, -1, NULL));
      for (const char *p = reason; *p != '\0'; p++)
        g_assert ((guchar) *p >= 0x20 && *p != 0x7f);
    }

  if (ok)
    {
      g_autofree char *path = g_strconcat (ROOT "/", text, NULL);
      g_autofree char *temp = ferry_path_temp_name (path);
      const char *base = strrchr (temp, '/') + 1;

      g_assert (strncmp (temp, ROOT "/", strlen (ROOT "/")) == 0);
      g_assert (ferry_name_check (base, strlen (base), NULL));
      g_assert (ferry_name_is_temp (base));
    }

  /* As a relative path: either refused, or inside the root with no ".."
   * and no empty component. */
  joined = ferry_path_join_checked (ROOT, text, &error);
  g_assert ((joined == NULL) != (error == NULL));
  if (joined != NULL)
    {
      g_auto(GStrv) parts = NULL;

      g_assert (g_str_has_prefix (joined, ROOT));
      g_assert (joined[strlen (ROOT)] == '\0' || joined[strlen (ROOT)] == '/');
      /* "/a/b" after the root: an empty first part, then the components. */
      parts = g_strsplit (joined + strlen (ROOT), "/", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        g_assert (i == 0 ? parts[i][0] == '\0'
                         : strcmp (parts[i], "..") != 0 && strcmp (parts[i], ".") != 0 && parts[i][0] != '\0');
    }
  else
    g_assert (error->domain == FERRY_ERROR);
  return 0;
}
