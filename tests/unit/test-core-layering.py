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


def source(*parts):
    with open(os.path.join(SOURCE, 'src', *parts), errors='replace') as f:
        return f.read()


def calls(folder, function):
    """The files under src/FOLDER that call FUNCTION."""
    found = []
    for root, _, files in os.walk(os.path.join(SOURCE, 'src', folder)):
        for name in files:
            if name.endswith('.c'):
                path = os.path.join(root, name)
                with open(path, errors='replace') as f:
                    # A call is indented; a definition starts its line.
                    if re.search(r'(?m)^[ \t]+.*\b' + function + r'\s*\(', f.read()):
                        found.append(os.path.relpath(path, SOURCE))
    return sorted(found)


class OneSetupPath(unittest.TestCase):
    """The window and ferry-cli start runs the same way (DESIGN.md, "Run
    manager"): through the run manager and ferry_run_setup_async(), never
    by gathering connectors and passwords themselves."""

    def test_runs_are_built_in_one_place(self):
        self.assertEqual(calls('', 'ferry_run_new'), ['src/core/ferry-run-setup.c'])
        self.assertEqual(calls('', 'ferry_run_setup_async'), ['src/core/ferry-run-manager.c'])

    def test_cli_and_window_go_through_the_manager(self):
        # A copy with options (--checksum, Copy Again) is the same start.
        starters = calls('', 'ferry_run_manager_start_async') + calls('', 'ferry_run_manager_copy_async')
        self.assertIn('src/cli/ferry-cli-run.c', starters)
        self.assertIn('src/ui/ferry-window-runs.c', starters)
        run = source('cli', 'ferry-cli-run.c')
        self.assertNotIn('lookup_password', run, 'ferry-cli run reads the keyring itself')
        self.assertNotIn('ferry_run_start_async', run)


class LogIsStructured(unittest.TestCase):
    """No UI code reads a log line's words to learn what it says."""

    def test_ui_never_parses_log_text(self):
        for root, _, files in os.walk(os.path.join(SOURCE, 'src', 'ui')):
            for name in files:
                if not name.endswith('.c'):
                    continue
                text = source('ui', name)
                if 'ferry_log_line' not in text:
                    continue
                for word in ('strstr', 'g_strsplit', 'strncmp', 'g_str_has_prefix', 'strchr',
                             'The run failed'):
                    self.assertNotIn(word, text, f'src/ui/{name} looks into log text with {word}')


if __name__ == '__main__':
    unittest.main(verbosity=2)
