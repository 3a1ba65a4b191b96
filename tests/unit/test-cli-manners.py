#!/usr/bin/python3
# test-cli-manners.py: ferry-cli answers --help and --version with exit 0 and
# refuses an unknown command with exit 2 and a message that says what to do.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import subprocess
import sys
import unittest

CLI = os.environ['FERRY_CLI']


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=20)


class CliManners(unittest.TestCase):
    def test_help_lists_every_command(self):
        result = run('--help')
        self.assertEqual(result.returncode, 0)
        for command in ('connector', 'transfer', 'run', 'log'):
            self.assertRegex(result.stdout, rf'(?m)^\s+{command}\s')
        self.assertIn('Exit status', result.stdout)

    def test_every_help_follows_glib_conventions(self):
        # GOption's "Usage:" line names the whole command, options come
        # under "Help Options:"/"Application Options:", and help exits 0.
        for words in (('connector', 'add'), ('connector', 'list'), ('connector', 'test'),
                      ('connector', 'reauthorize'), ('connector', 'remove'),
                      ('transfer', 'add'), ('transfer', 'list'), ('transfer', 'remove'),
                      ('run',), ('log',)):
            for flag in ('--help', '-h'):
                with self.subTest(words=words, flag=flag):
                    result = run(*words, flag)
                    self.assertEqual(result.returncode, 0, result.stderr)
                    self.assertRegex(result.stdout,
                                     rf'^Usage:\n  ferry-cli {" ".join(words)} \[OPTION(…|\.\.\.|\?)\]')
                    self.assertIn('Help Options:', result.stdout)
        for command in ('connector', 'transfer'):
            result = run(command, '--help')
            self.assertEqual(result.returncode, 0)
            self.assertTrue(result.stdout.startswith('Usage:\n'))

    def test_version(self):
        result = run('--version')
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout, r'^ferry-cli \d+\.\d+\.\d+\n$')

    def test_unknown_command_exits_2(self):
        result = run('frobnicate')
        self.assertEqual(result.returncode, 2)
        self.assertIn('unknown command', result.stderr)
        self.assertIn('frobnicate', result.stderr)
        self.assertIn('--help', result.stderr)
        self.assertEqual(result.stdout, '')

    def test_unknown_option_exits_2(self):
        result = run('--frobnicate')
        self.assertEqual(result.returncode, 2)
        self.assertIn('unknown option', result.stderr)

    def test_no_arguments_is_usage_error(self):
        result = run()
        self.assertEqual(result.returncode, 2)
        self.assertIn('Usage', result.stderr)


if __name__ == '__main__':
    unittest.main(verbosity=2)
