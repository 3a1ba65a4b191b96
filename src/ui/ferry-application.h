/* ferry-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ferry-background.h"
#include "ferry-connector-store.h"
#include "ferry-run-manager.h"

G_BEGIN_DECLS

#define FERRY_TYPE_APPLICATION (ferry_application_get_type ())

G_DECLARE_FINAL_TYPE (FerryApplication, ferry_application, FERRY, APPLICATION, AdwApplication)

FerryApplication *ferry_application_new          (void);
GSettings           *ferry_application_get_settings        (FerryApplication *self);
FerryConnectorStore *ferry_application_get_connector_store (FerryApplication *self);
/* The runs of this instance, whatever window shows them. */
FerryRunManager     *ferry_application_get_run_manager     (FerryApplication *self);
/* The scheduler service; NULL before startup. */
FerryBackground     *ferry_application_get_background      (FerryApplication *self);

G_END_DECLS
