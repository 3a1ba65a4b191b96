/* ferry-gio-location.h: the address of a "GNOME Files location" connector,
 * understood.
 *
 * Pure functions, no I/O: what GNOME Files shows in its address bar or
 * under Other Locations — `dav://host:8080/folder`, `davs://…`,
 * `google-drive://alice@gmail.com/`, `onedrive://…`, `smb://nas/Share`,
 * `sftp://host/`, `afp://`, `nfs://`, `mtp://` — is checked and split into
 * the URI Ferry stores (never a password) and the user it names. Whether
 * GVfs can open it is for the connection check to find out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when `text` starts with a scheme only GVfs opens (google-drive://,
 * onedrive://, mtp://, afp://, nfs://, gphoto2://, …): pasted into the
 * Server field, such text picks the "GNOME Files location" type even when
 * another type was chosen. dav://, smb://, sftp:// and ftp:// are not
 * among them: Ferry reaches those directly, faster, unless the user chose
 * the GNOME Files location type. */
gboolean ferry_gio_location_is_gvfs_only (const char  *text);

/* Checks a location: a scheme and "://", valid UTF-8 text without control
 * characters, no password in it, not file:// (the "This Computer" type),
 * not http(s):// (GVfs reads web pages only; WebDAV is dav:// or the
 * WebDAV type). On success *uri is the location as stored (surrounding
 * space trimmed) and *username the user it names or NULL. */
gboolean ferry_gio_location_parse       (const char  *text,
                                         char       **uri,
                                         char       **username,
                                         GError     **error);

/* The URI of `path` ("/site/a b.html", absolute within the location)
 * under the location `root`: "dav://h/base/site/a%20b.html". */
char    *ferry_gio_location_child_uri   (const char  *root,
                                         const char  *path);

G_END_DECLS
