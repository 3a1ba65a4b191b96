#!/usr/bin/python3
# test-cli-no-keyring.py: with no Secret Service on the bus, every connector
# command exits 4 with a clear message, and nothing is written to disk in
# its place.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import subprocess
import unittest

CLI = os.environ['FERRY_CLI']


class NoKeyring(unittest.TestCase):
    def test_every_command_exits_4(self):
        for args in (['connector', 'list'], ['connector', 'list', '--json'],
                     ['connector', 'test', 'Any'], ['connector', 'remove', 'Any'],
                     ['connector', 'add', 'New', '--type', 'ftp', '--server', '127.0.0.1',
                      '--password-stdin']):
            with self.subTest(args=args):
                result = subprocess.run([CLI, *args], input='pw-nowhere\n', capture_output=True,
                                        text=True, timeout=60)
                self.assertEqual(result.returncode, 4, result.stdout + result.stderr)
                self.assertIn('keyring', result.stderr)
                self.assertNotIn('Traceback', result.stderr)
                self.assertNotIn('CRITICAL', result.stderr)

    def test_nothing_written_instead(self):
        for root, _, files in os.walk(os.environ['FERRY_TEST_DIR']):
            for name in files:
                path = os.path.join(root, name)
                if os.path.isfile(path) and not os.path.islink(path):
                    with open(path, 'rb') as f:
                        self.assertNotIn(b'pw-nowhere', f.read(), path)


if __name__ == '__main__':
    unittest.main(verbosity=2)
