#!/usr/bin/python3
# check-flatpak-manifest.py: the Flatpak manifest parses, names the right app
# and command, builds Ferry from this checkout, and asks for no permission
# beyond the ones the README justifies.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import sys

ALLOWED = {
    '--share=network',                    # FTP, FTPS and SFTP servers
    '--share=ipc',                        # X11 shared memory, with fallback-x11
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',                       # GPU rendering for GTK 4
    '--talk-name=org.freedesktop.secrets',  # libsecret's Secret Service
    '--talk-name=org.gtk.vfs.*',          # GNOME Files locations through GVfs
    '--filesystem=xdg-run/gvfsd',         # GVfs's peer-to-peer sockets
}

with open(sys.argv[1]) as f:
    manifest = json.load(f)

problems = []
if manifest.get('id') != 'io.github.ferrymigrate.Ferry':
    problems.append(f"id is {manifest.get('id')!r}")
if manifest.get('command') != 'ferry':
    problems.append(f"command is {manifest.get('command')!r}")
if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
    problems.append('runtime and sdk must be the GNOME ones')
extra = set(manifest.get('finish-args', [])) - ALLOWED
if extra:
    problems.append(f'unjustified permissions: {sorted(extra)}')
if '--share=network' not in manifest.get('finish-args', []):
    problems.append('network access is missing')
last = manifest.get('modules', [{}])[-1]
if last.get('name') != 'ferry' or last.get('buildsystem') != 'meson' \
        or last.get('sources', [{}])[0] != {'type': 'dir', 'path': '..'}:
    problems.append('the last module must build Ferry from the checkout with meson')

# The runtime's libcurl has no SSH support, so SFTP needs our own libcurl,
# built against libssh2, both ahead of Ferry (see README, "Flatpak").
names = [module.get('name') for module in manifest.get('modules', [])]
if 'libssh2' not in names or 'curl' not in names \
        or not names.index('libssh2') < names.index('curl') < names.index('ferry'):
    problems.append('modules must be libssh2, then curl, then ferry')
else:
    curl = manifest['modules'][names.index('curl')]
    if '--with-libssh2' not in curl.get('config-opts', []):
        problems.append('curl must be configured --with-libssh2 (SFTP)')
for module in manifest.get('modules', []):
    for source in module.get('sources', []):
        if source.get('type') in ('archive', 'file') and len(source.get('sha256', '')) != 64:
            problems.append(f"{module.get('name')}: {source.get('url')} has no sha256")

for problem in problems:
    print(f'flatpak manifest: {problem}', file=sys.stderr)
sys.exit(1 if problems else 0)
