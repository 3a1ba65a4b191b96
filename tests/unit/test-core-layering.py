#!/usr/bin/python3
# test-core-layering.py: src/core never includes GTK or libadwaita, and the
# UI never reaches libcurl or libsecret directly (DESIGN.md, "Layers").
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import sys
import unittest

SOURCE = os.path.dirname(os.environ.get('G_TEST_SRCDIR', os.path.dirname(__file__)))
if not os.path.isdir(os.path.join(SOURCE, 'src')):
    SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def includes(folder):
    for root, _, files in os.walk(os.path.join(SOURCE, 'src', folder)):
        for name in files:
            if name.endswith(('.c', '.h')):
                path = os.path.join(root, name)
                with open(path, errors='replace') as f:
                    for number, line in enumerate(f, 1):
                        match = re.match(r'\s*#\s*include\s*[<"]([^>"]+)[>"]', line)
                        if match:
                            yield os.path.relpath(path, SOURCE), number, match.group(1)


class Layering(unittest.TestCase):
    def test_core_has_no_gtk(self):
        found = list(includes('core'))
        self.assertTrue(found, 'src/core has no sources?')
        bad = [f'{path}:{line}: {header}' for path, line, header in found
               if header.startswith(('gtk/', 'gdk/', 'adwaita', 'gsk/'))]
        self.assertEqual(bad, [], 'src/core must not include GTK or libadwaita')

    def test_ui_goes_through_core(self):
        bad = [f'{path}:{line}: {header}' for path, line, header in includes('ui')
               if header.startswith(('curl/', 'libsecret/', 'openssl/'))]
        self.assertEqual(bad, [], 'src/ui talks to libcurl, libsecret and OpenSSL only through src/core')


if __name__ == '__main__':
    unittest.main(verbosity=2)
