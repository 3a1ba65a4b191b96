#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-data-tree.py: lays the built desktop entry, metainfo and icons out the
# way `meson install` does, under a throwaway prefix, and checks what a
# software centre checks across files: `appstreamcli validate-tree` is happy,
# the desktop entry's Icon= names an installed icon (and its symbolic twin),
# the metainfo's launchable names the desktop entry, and the newest release
# in the metainfo is the version meson builds, and every screenshot URL points
# at a PNG in this checkout with the width and height the metainfo declares.
#
# usage: check-data-tree.py VERSION DESKTOP METAINFO ICONS_DIR [APPSTREAMCLI]

import configparser
import os
import struct
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

version, desktop, metainfo, icons = sys.argv[1:5]
appstreamcli = sys.argv[5] if len(sys.argv) > 5 else None
problems = []

with tempfile.TemporaryDirectory(prefix='ferry-data-') as prefix:
    share = os.path.join(prefix, 'share')
    os.makedirs(os.path.join(share, 'applications'))
    os.makedirs(os.path.join(share, 'metainfo'))
    shutil.copy(desktop, os.path.join(share, 'applications'))
    shutil.copy(metainfo, os.path.join(share, 'metainfo'))
    shutil.copytree(icons, os.path.join(share, 'icons', 'hicolor'))

    entry = configparser.ConfigParser(interpolation=None, strict=False)
    entry.optionxform = str
    entry.read(desktop, encoding='utf-8')
    icon = entry['Desktop Entry'].get('Icon', '')
    for size, name in (('scalable', icon), ('symbolic', icon + '-symbolic')):
        path = os.path.join(share, 'icons', 'hicolor', size, 'apps', name + '.svg')
        if not os.path.isfile(path):
            problems.append(f'Icon={icon}: no {size}/apps/{name}.svg')

    root = ET.parse(metainfo).getroot()
    launchable = root.findtext('launchable')
    if launchable != os.path.basename(desktop):
        problems.append(f'launchable is {launchable!r}, the desktop entry is '
                        f'{os.path.basename(desktop)!r}')
    releases = root.findall('releases/release')
    if not releases:
        problems.append('the metainfo has no release')
    elif releases[0].get('version') != version:
        problems.append(f"newest release is {releases[0].get('version')}, "
                        f'meson builds {version}: add a <release> first')

    source_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    raw = 'https://raw.githubusercontent.com/ferrymigrate/ferry/main/'
    for image in root.findall('screenshots/screenshot/image'):
        url = (image.text or '').strip()
        if not url.startswith(raw):
            problems.append(f'screenshot {url} is not under {raw}')
            continue
        path = os.path.join(source_root, url[len(raw):])
        try:
            with open(path, 'rb') as png:
                head = png.read(24)
        except OSError:
            problems.append(f'screenshot {url[len(raw):]} is not in the checkout')
            continue
        if head[:8] != b'\x89PNG\r\n\x1a\n':
            problems.append(f'screenshot {url[len(raw):]} is not a PNG')
            continue
        width, height = struct.unpack('>II', head[16:24])
        declared = (image.get('width'), image.get('height'))
        if declared != (None, None) and declared != (str(width), str(height)):
            problems.append(f'screenshot {url[len(raw):]} is {width}x{height}, '
                            f'the metainfo says {declared[0]}x{declared[1]}')

    if appstreamcli:
        result = subprocess.run([appstreamcli, 'validate-tree', '--no-net', prefix],
                                capture_output=True, text=True)
        print(result.stdout, end='')
        if result.returncode != 0:
            problems.append('appstreamcli validate-tree failed:\n' + result.stderr)

for problem in problems:
    print(f'data tree: {problem}', file=sys.stderr)
sys.exit(1 if problems else 0)
