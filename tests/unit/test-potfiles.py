#!/usr/bin/python3
# test-potfiles.py: every source file with strings marked for translation is
# listed in po/POTFILES.in, and everything listed there exists — otherwise a
# translator never sees those strings.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import unittest

SOURCE = os.path.dirname(os.environ['G_TEST_SRCDIR'])
MARKED = re.compile(r'(\b_\(|\bN_\(|\bC_\(|\bngettext\s*\(|translatable="yes")')


def listed():
    with open(os.path.join(SOURCE, 'po', 'POTFILES.in')) as f:
        return {line.strip() for line in f if line.strip() and not line.startswith('#')}


def marked_files():
    for root, _, files in os.walk(os.path.join(SOURCE, 'src')):
        for name in files:
            if name.endswith(('.c', '.ui')):
                path = os.path.join(root, name)
                with open(path, errors='replace') as f:
                    if MARKED.search(f.read()):
                        yield os.path.relpath(path, SOURCE)


class Potfiles(unittest.TestCase):
    def test_every_marked_file_is_listed(self):
        missing = sorted(set(marked_files()) - listed())
        self.assertEqual(missing, [], 'add these to po/POTFILES.in')

    def test_every_listed_file_exists(self):
        gone = sorted(p for p in listed() if not os.path.exists(os.path.join(SOURCE, p)))
        self.assertEqual(gone, [], 'remove these from po/POTFILES.in')


if __name__ == '__main__':
    unittest.main(verbosity=2)
