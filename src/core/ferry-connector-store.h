/* ferry-connector-store.h: the saved connectors, as a GListModel backed by
 * the system keyring (libsecret) and nothing else.
 *
 * One keyring item per connector: schema "io.github.ferrymigrate.Ferry",
 * every field but the password as attributes, the password as the secret,
 * labelled "Ferry: NAME (user@server)". Keyring trouble of any kind — no
 * Secret Service, a locked collection — is FERRY_ERROR_KEYRING; there is no
 * fallback to a file.
 *
 * The _sync calls block (use them from the CLI or a worker thread); the
 * _async ones do the keyring work in a thread. Either way the model (its
 * items and items-changed) changes only on the main context that was the
 * thread-default one when the store was created: at once when the call is
 * made there, else from an idle on that context. Read the model (get_item,
 * find_by_*) from that context's thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ferry-connector.h"

G_BEGIN_DECLS

#define FERRY_TYPE_CONNECTOR_STORE (ferry_connector_store_get_type ())

G_DECLARE_FINAL_TYPE (FerryConnectorStore, ferry_connector_store, FERRY, CONNECTOR_STORE, GObject)

FerryConnectorStore *ferry_connector_store_new                  (void);

gboolean             ferry_connector_store_load_sync            (FerryConnectorStore  *self,
                                                                 GCancellable         *cancellable,
                                                                 GError              **error);
void                 ferry_connector_store_load_async           (FerryConnectorStore  *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean             ferry_connector_store_load_finish          (FerryConnectorStore  *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

/* Borrowed; NULL when there is none. Names compare case-insensitively. */
FerryConnector      *ferry_connector_store_find_by_name         (FerryConnectorStore  *self,
                                                                 const char           *name);
FerryConnector      *ferry_connector_store_find_by_id           (FerryConnectorStore  *self,
                                                                 const char           *id);
/* The built-in local connector for "local" (its id and its name, in any
 * case), else the saved connector with that id, else the one with that
 * name. Borrowed; NULL when there is none. `self` may be NULL when only
 * "local" can be meant (the keyring was not read). */
FerryConnector      *ferry_connector_store_find                 (FerryConnectorStore  *self,
                                                                 const char           *name_or_id);

/* Adds `connector`, or replaces the saved one with the same id in place
 * (reauthorize): exactly one keyring item per id afterwards. Validates first;
 * a name another connector has is FERRY_ERROR_EXISTS. */
gboolean             ferry_connector_store_save_sync            (FerryConnectorStore  *self,
                                                                 FerryConnector       *connector,
                                                                 const char           *password,
                                                                 GCancellable         *cancellable,
                                                                 GError              **error);
void                 ferry_connector_store_save_async           (FerryConnectorStore  *self,
                                                                 FerryConnector       *connector,
                                                                 const char           *password,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean             ferry_connector_store_save_finish          (FerryConnectorStore  *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

gboolean             ferry_connector_store_remove_sync          (FerryConnectorStore  *self,
                                                                 FerryConnector       *connector,
                                                                 GCancellable         *cancellable,
                                                                 GError              **error);
void                 ferry_connector_store_remove_async         (FerryConnectorStore  *self,
                                                                 FerryConnector       *connector,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean             ferry_connector_store_remove_finish        (FerryConnectorStore  *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

/* The password, newly allocated: free it with ferry_password_free(). */
char                *ferry_connector_store_lookup_password_sync (FerryConnectorStore  *self,
                                                                 FerryConnector       *connector,
                                                                 GCancellable         *cancellable,
                                                                 GError              **error);
void                 ferry_connector_store_lookup_password_async (FerryConnectorStore *self,
                                                                  FerryConnector      *connector,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
char                *ferry_connector_store_lookup_password_finish (FerryConnectorStore *self,
                                                                   GAsyncResult        *result,
                                                                   GError             **error);

/* Wipes a password's bytes before freeing them. */
void                 ferry_password_free                        (char                 *password);

/* A password string wiped and freed when it goes out of scope:
 * `g_auto(FerryPassword) password = …;` */
typedef char *FerryPassword;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (FerryPassword, ferry_password_free, NULL)

G_END_DECLS
