/* ferry-transfer.h: a saved migration (DESIGN.md, "Words"): a source
 * connector and folder, a destination connector and folder, and the options
 * of its runs.
 *
 * The model only; FerryTransferStore saves it. Connectors are referred to by
 * id ("local" for this machine), so renaming a connector keeps its transfers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define FERRY_TRANSFER_MIN_CONNECTIONS      1
#define FERRY_TRANSFER_MAX_CONNECTIONS      16
/* Connections: Automatic (`--parallel auto`, "Connections=auto" in the
 * file): a run starts with FERRY_TRANSFER_AUTO_START_CONNECTIONS and adds
 * more while files per second keep growing, up to the maximum or the limit
 * the server showed (see ferry-connection-limits.h). The default. */
#define FERRY_TRANSFER_CONNECTIONS_AUTO     0
#define FERRY_TRANSFER_AUTO_START_CONNECTIONS 4
#define FERRY_TRANSFER_DEFAULT_CONNECTIONS  FERRY_TRANSFER_CONNECTIONS_AUTO

/* What a run does with a destination file that exists already. */
typedef enum
{
  FERRY_EXISTING_SKIP_IDENTICAL,  /* same size and time: skip, else copy over */
  FERRY_EXISTING_OVERWRITE,       /* always copy */
  FERRY_EXISTING_KEEP_BOTH,       /* differing: copy beside it as "NAME (copy)" */
} FerryExistingPolicy;

/* "skip-identical", "overwrite", "keep-both" */
const char *ferry_existing_policy_to_string   (FerryExistingPolicy  policy);
gboolean    ferry_existing_policy_from_string (const char          *string,
                                               FerryExistingPolicy *policy);

#define FERRY_TYPE_TRANSFER (ferry_transfer_get_type ())

G_DECLARE_FINAL_TYPE (FerryTransfer, ferry_transfer, FERRY, TRANSFER, GObject)

/* A new transfer with a fresh UUID and the default options. */
FerryTransfer      *ferry_transfer_new                       (void);

const char         *ferry_transfer_get_id                    (FerryTransfer *self);
const char         *ferry_transfer_get_name                  (FerryTransfer *self);
void                ferry_transfer_set_name                  (FerryTransfer *self,
                                                              const char    *name);
const char         *ferry_transfer_get_source_connector_id   (FerryTransfer *self);
void                ferry_transfer_set_source_connector_id   (FerryTransfer *self,
                                                              const char    *id);
const char         *ferry_transfer_get_source_path           (FerryTransfer *self);
void                ferry_transfer_set_source_path           (FerryTransfer *self,
                                                              const char    *path);
const char         *ferry_transfer_get_destination_connector_id (FerryTransfer *self);
void                ferry_transfer_set_destination_connector_id (FerryTransfer *self,
                                                                 const char    *id);
const char         *ferry_transfer_get_destination_path      (FerryTransfer *self);
void                ferry_transfer_set_destination_path      (FerryTransfer *self,
                                                              const char    *path);
/* FALSE for a transfer saved before paths were absolute from the server's
 * root on FTP too (no PathsAbsolute=true in its file): its FTP paths are
 * still relative to the login folder until the run setup rewrites them. */
gboolean            ferry_transfer_get_paths_absolute        (FerryTransfer *self);
void                ferry_transfer_set_paths_absolute        (FerryTransfer *self,
                                                              gboolean       absolute);
/* A number from 1 to 16, or FERRY_TRANSFER_CONNECTIONS_AUTO. */
guint               ferry_transfer_get_connections           (FerryTransfer *self);
void                ferry_transfer_set_connections           (FerryTransfer *self,
                                                              guint          connections);
FerryExistingPolicy ferry_transfer_get_existing_policy       (FerryTransfer *self);
void                ferry_transfer_set_existing_policy       (FerryTransfer *self,
                                                              FerryExistingPolicy policy);

/* Filters (ferry-filter.h): NULL-terminated pattern lists, NULL for none. */
const char * const *ferry_transfer_get_includes              (FerryTransfer *self);
void                ferry_transfer_set_includes              (FerryTransfer *self,
                                                              const char * const *patterns);
const char * const *ferry_transfer_get_excludes              (FerryTransfer *self);
void                ferry_transfer_set_excludes              (FerryTransfer *self,
                                                              const char * const *patterns);
gboolean            ferry_transfer_get_skip_hidden           (FerryTransfer *self);
void                ferry_transfer_set_skip_hidden           (FerryTransfer *self,
                                                              gboolean       skip_hidden);
/* Bytes; 0 for no limit. */
guint64             ferry_transfer_get_max_size              (FerryTransfer *self);
void                ferry_transfer_set_max_size              (FerryTransfer *self,
                                                              guint64        max_size);
/* The filter the options make; NULL with FERRY_ERROR_INVALID_INPUT when a
 * pattern can never match. */
struct _FerryFilter *ferry_transfer_dup_filter               (FerryTransfer *self,
                                                              GError       **error);

/* Cutover: delete what the destination has and the source no longer does. */
gboolean            ferry_transfer_get_delete_extra          (FerryTransfer *self);
void                ferry_transfer_set_delete_extra          (FerryTransfer *self,
                                                              gboolean       delete_extra);
/* Bytes per second for the whole transfer, all connections; 0 for none. */
guint64             ferry_transfer_get_bandwidth_limit       (FerryTransfer *self);
void                ferry_transfer_set_bandwidth_limit       (FerryTransfer *self,
                                                              guint64        bytes_per_second);

/* Every option of `from` (connections, existing files, filters, deletion,
 * bandwidth) onto `self`; not its name, id or folders. */
void                ferry_transfer_copy_options              (FerryTransfer *self,
                                                              FerryTransfer *from);

/* Whether either end is a saved connector, whose password is in the
 * keyring: a transfer between two local folders runs without one. */
gboolean            ferry_transfer_needs_keyring             (FerryTransfer *self);

/* Name not empty, both connectors and absolute folders set, connections in
 * 1–16; FERRY_ERROR_INVALID_INPUT saying which field otherwise. */
gboolean            ferry_transfer_validate                  (FerryTransfer *self,
                                                              GError       **error);

/* The [Transfer] group of a saved transfer file, both ways. */
GKeyFile           *ferry_transfer_to_key_file               (FerryTransfer *self);
FerryTransfer      *ferry_transfer_new_from_key_file         (GKeyFile      *key_file,
                                                              GError       **error);

G_END_DECLS
