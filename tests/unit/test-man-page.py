#!/usr/bin/python3
# test-man-page.py: the manual page of ferry-cli describes every command,
# subcommand and option that `ferry-cli … --help` offers, and every exit
# status; groff and man format it without a single warning.
#
# Arguments: the built page (data/ferry-cli.1). FERRY_CLI names the binary.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import shutil
import subprocess
import sys
import unittest

CLI = os.environ['FERRY_CLI']
PAGE = None


def help_of(*words):
    result = subprocess.run([CLI, *words, '--help'], capture_output=True, text=True,
                            timeout=20, env=dict(os.environ, LC_ALL='C.UTF-8', LANGUAGE=''))
    assert result.returncode == 0, (words, result.stderr)
    return result.stdout


def commands():
    """The commands of the main --help: ['connector', 'transfer', 'run', 'log', …]."""
    text = help_of().split('Commands:', 1)[1].split('\n\n', 1)[0]
    return re.findall(r'(?m)^  (\S+)\s', text)


def subcommands(command):
    """`ferry-cli connector --help` lists its subcommands in usage lines."""
    text = help_of(command)
    return sorted(set(re.findall(rf'(?m)^\s+ferry-cli {command} ([a-z]+)\b', text)))


def options(*words):
    """The long options a (sub)command's GOption --help lists."""
    return re.findall(r'(?m)^\s+(--[a-z][a-z-]*)', help_of(*words).split('Help Options:', 1)[-1])


def page_text():
    with open(PAGE, encoding='utf-8') as f:
        return f.read()


def unescape(troff):
    """Roughly what a reader sees: font escapes and \\- gone."""
    text = re.sub(r'\\f[BIRP]', '', troff)
    return text.replace('\\-', '-').replace('\\e', '\\')


def section(troff, heading):
    """The source of one .SS subsection, up to the next heading."""
    match = re.search(rf'(?ms)^\.SS "?{re.escape(heading)}\b.*?(?=^\.S[SH] )', troff)
    return match.group(0) if match else None


class ManPage(unittest.TestCase):
    def test_every_command_and_subcommand_has_a_section(self):
        troff = unescape(page_text())
        found = commands()
        self.assertEqual(sorted(found), ['connector', 'history', 'log', 'report', 'run', 'schedule', 'transfer', 'verify'])
        for command in found:
            subs = subcommands(command) if command in ('connector', 'transfer') else []
            if command == 'schedule':
                # `schedule NAME …` itself, and the two words of its --help.
                self.assertEqual(subcommands(command), ['list', 'run'])
                subs = [None, 'list', 'run-due']
            if command == 'connector':
                self.assertEqual(subs, ['add', 'list', 'reauthorize', 'remove', 'test'])
            if command == 'transfer':
                self.assertEqual(subs, ['add', 'edit', 'list', 'remove'])
            for sub in subs or [None]:
                words = [command] + ([sub] if sub else [])
                heading = ' '.join(words)
                with self.subTest(heading):
                    self.assertIsNotNone(section(troff, heading), f'no .SS "{heading}"')
                    self.assertIn(f'.SY "ferry-cli {heading}"'
                                  if sub else f'.SY "ferry-cli {command}"', troff)

    def test_every_option_is_described_under_its_command(self):
        troff = unescape(page_text())
        for words in (('connector', 'add'), ('connector', 'list'), ('connector', 'test'),
                      ('connector', 'reauthorize'), ('connector', 'remove'),
                      ('transfer', 'add'), ('transfer', 'edit'), ('transfer', 'list'), ('transfer', 'remove'),
                      ('run',), ('log',), ('report',), ('verify',), ('schedule',), ('schedule', 'list'),
                      ('schedule', 'run-due')):
            text = section(troff, ' '.join(words))
            self.assertIsNotNone(text, words)
            if words == ('transfer', 'edit'):
                # "Every option of transfer add", described there once.
                text += section(troff, 'transfer add')
            for option in options(*words):
                with self.subTest(words=words, option=option):
                    # A .TP entry, "--port=N" or "--json".
                    self.assertRegex(text, rf'(?m)^\.B[I]? {re.escape(option)}(=|\s*$)')

    def test_report_csv_guard_is_documented(self):
        # CSV injection: the report's cells a spreadsheet would run.
        text = unescape(section(page_text(), 'report'))
        self.assertIn('leading apostrophe', text)
        for start in ('.BR = ,', '.BR + ,', '.BR - ,', '.BR @ ,', 'a tab or a carriage return'):
            self.assertIn(start, text)

    def test_exit_statuses(self):
        troff = page_text()
        status = troff.split('.SH "EXIT STATUS"', 1)[1].split('\n.SH ', 1)[0]
        for code in ('0', '1', '2', '3', '4'):
            self.assertRegex(status, rf'(?m)^\.B {code}$')
        self.assertIn('130', status)
        self.assertIn('143', status)

    def test_version_matches(self):
        version = subprocess.run([CLI, '--version'], capture_output=True, text=True).stdout.split()[-1]
        self.assertRegex(page_text(), rf'(?m)^\.TH FERRY-CLI 1 .*"Ferry {re.escape(version)}"')

    @unittest.skipUnless(shutil.which('groff'), 'groff is not installed')
    def test_groff_gives_no_warnings(self):
        result = subprocess.run(['groff', '-ww', '-man', '-Tutf8', '-z', PAGE],
                                capture_output=True, text=True, timeout=30,
                                env=dict(os.environ, LC_ALL='C.UTF-8'))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, '')

    @unittest.skipUnless(shutil.which('man'), 'man-db is not installed')
    def test_man_gives_no_warnings(self):
        result = subprocess.run(['man', '--warnings', '-l', PAGE],
                                capture_output=True, text=True, timeout=30,
                                env=dict(os.environ, LC_ALL='C.UTF-8', MANWIDTH='80',
                                         MANPAGER='cat', PAGER='cat'))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, '')
        # Rendered, the page reads as text: the commands and the exit codes are there.
        self.assertIn('ferry-cli connector add NAME', result.stdout)
        self.assertIn('EXIT STATUS', result.stdout)


if __name__ == '__main__':
    PAGE = sys.argv.pop(1)
    unittest.main(verbosity=2)
