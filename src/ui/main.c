/* main.c: entry point of the ferry desktop application.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ferry-application.h"

/* Whether the machine has a GPU to draw with: a DRM render node. */
static gboolean
has_render_node (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FerryApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Without a GPU (a virtual machine, a remote desktop), GTK's OpenGL
   * renderer runs in software (llvmpipe) and takes CPU the copy needs:
   * with job 1 of the benchmark under Xvfb, the window took 2.9 s against
   * 2.3 s with the cairo renderer, which draws this window for less. A
   * choice made in GSK_RENDERER stays the user's. */
  if (g_getenv ("GSK_RENDERER") == NULL && !has_render_node ())
    g_setenv ("GSK_RENDERER", "cairo", FALSE);

  app = ferry_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
