/* ferry-folder-chooser.h: a folder on a connector, browsed live.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ferry-connector-store.h"

G_BEGIN_DECLS

#define FERRY_TYPE_FOLDER_CHOOSER (ferry_folder_chooser_get_type ())

G_DECLARE_FINAL_TYPE (FerryFolderChooser, ferry_folder_chooser, FERRY, FOLDER_CHOOSER, GtkBox)

GtkWidget  *ferry_folder_chooser_new           (void);
/* Opens a session into `connector` (its password from `store` on a worker
 * thread) and lists `path`, or "/" when NULL. */
void        ferry_folder_chooser_set_connector (FerryFolderChooser  *self,
                                                FerryConnectorStore *store,
                                                FerryConnector      *connector,
                                                const char          *path);
/* As if the user typed `path` and pressed Enter. */
void        ferry_folder_chooser_set_path      (FerryFolderChooser  *self,
                                                const char          *path);
const char *ferry_folder_chooser_get_path      (FerryFolderChooser  *self);
/* Whether the path can be used: it listed, or (with allow-missing) it does
 * not exist yet and will be created. */
gboolean    ferry_folder_chooser_get_valid     (FerryFolderChooser  *self);
gboolean    ferry_folder_chooser_get_busy      (FerryFolderChooser  *self);
/* A destination may name a folder that the run creates. */
void        ferry_folder_chooser_set_allow_missing (FerryFolderChooser *self,
                                                    gboolean            allow_missing);

G_END_DECLS
