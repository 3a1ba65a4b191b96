/* main.c: entry point of the ferry desktop application.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ferry-accessible.h"
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

/* Translations: FERRY_LOCALEDIR when set (`meson devenv` points it at the
 * build tree's po folder, where the .mo files are compiled), else the
 * install prefix's. */
static const char *
locale_dir (void)
{
  const char *dir = g_getenv ("FERRY_LOCALEDIR");

  return dir != NULL && *dir != '\0' ? dir : LOCALEDIR;
}

/* GSettings aborts the process on a schema it cannot find. A binary started
 * from the build tree without `meson devenv` meets that: say what to do. */
static gboolean
have_schema (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  return schema != NULL;
}

static void
on_window_added (GtkApplication *app,
                 GtkWindow      *window)
{
  ferry_accessible_name_mnemonic_buttons (GTK_WIDGET (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FerryApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!have_schema ())
    {
      /* Translators: %s is the schema id, io.github.ferrymigrate.Ferry */
      g_printerr (_("ferry: the settings schema %s is not installed.\n"
                    "Install Ferry with “meson install”, or start it from the build folder with\n"
                    "  meson devenv -C _build ferry\n"
                    "which sets GSETTINGS_SCHEMA_DIR to the build’s data folder.\n"),
                  APPLICATION_ID);
      return 1;
    }

  /* Without a GPU (a virtual machine, a remote desktop), GTK's OpenGL
   * renderer runs in software (llvmpipe) and takes CPU the copy needs:
   * with job 1 of the benchmark under Xvfb, the window took 2.9 s against
   * 2.3 s with the cairo renderer, which draws this window for less. A
   * choice made in GSK_RENDERER stays the user's. */
  if (g_getenv ("GSK_RENDERER") == NULL && !has_render_node ())
    g_setenv ("GSK_RENDERER", "cairo", FALSE);

  app = ferry_application_new ();
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
