/* ferry-connector-store-private.h: what the files of the connector store
 * share.
 *
 * ferry-connector-store.c          the GListModel and the public calls
 * ferry-connector-store-keyring.c  the keyring items behind them (any thread)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-connector-store.h"

G_BEGIN_DECLS

/* ferry-connector-store.c */

/* By name, ignoring case; the id breaks ties. For g_ptr_array_sort(). */
int        _ferry_connector_store_compare        (gconstpointer    a,
                                                  gconstpointer    b);
gboolean   _ferry_connector_store_same_name      (const char      *a,
                                                  const char      *b);

/* ferry-connector-store-keyring.c */

/* Every saved connector, sorted. */
GPtrArray *_ferry_connector_store_keyring_load   (GCancellable    *cancellable,
                                                  GError         **error);
/* Validates, refuses a name taken by another id, stores, drops the old item. */
gboolean   _ferry_connector_store_keyring_save   (FerryConnector  *connector,
                                                  const char      *password,
                                                  GCancellable    *cancellable,
                                                  GError         **error);
gboolean   _ferry_connector_store_keyring_remove (const char      *id,
                                                  GCancellable    *cancellable,
                                                  GError         **error);
/* The password, newly allocated, or FERRY_ERROR_NOT_FOUND. */
char      *_ferry_connector_store_keyring_lookup (const char      *id,
                                                  GCancellable    *cancellable,
                                                  GError         **error);

G_END_DECLS
