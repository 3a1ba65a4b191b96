#!/usr/bin/python3
# test-cli-terminal.py: `ferry-cli run` on a terminal shows a progress line
# and ends with the run's summary; errors are red unless NO_COLOR is set; a
# dumb terminal and a pipe get plain lines with no control characters.
# Local→local transfers in private XDG folders: no server, no keyring.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import pty
import select
import subprocess
import tempfile
import time
import unittest

CLI = os.environ['FERRY_CLI']


class CliTerminal(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix='ferry-terminal-')
        root = self.tmp.name
        self.env = dict(os.environ, LC_ALL='C.UTF-8', LANGUAGE='', TERM='xterm')
        self.env.pop('NO_COLOR', None)
        self.env.pop('DBUS_SESSION_BUS_ADDRESS', None)
        for var, sub in (('HOME', 'home'), ('XDG_CONFIG_HOME', 'config'), ('XDG_DATA_HOME', 'data')):
            self.env[var] = os.path.join(root, sub)
            os.makedirs(self.env[var])
        src = os.path.join(root, 'src')
        os.makedirs(os.path.join(src, 'sub'))
        for name in ('a.txt', 'b.txt', 'sub/c.txt'):
            with open(os.path.join(src, name), 'w') as f:
                f.write(name * 100)
        self.cli('transfer', 'add', 'good', '--from', f'local:{src}', '--to', f'local:{root}/dst')
        # A source that goes missing after transfer add (which refuses a
        # missing one) makes the failing run.
        os.makedirs(os.path.join(root, 'missing'))
        self.cli('transfer', 'add', 'bad', '--from', f'local:{root}/missing', '--to', f'local:{root}/dst2')
        os.rmdir(os.path.join(root, 'missing'))

    def tearDown(self):
        self.tmp.cleanup()

    def cli(self, *args):
        result = subprocess.run([CLI, *args], env=self.env, capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)

    def run_on_terminal(self, name, **env):
        """Runs `ferry-cli run NAME` with stdout and stderr on a pseudo-terminal."""
        master, slave = pty.openpty()
        proc = subprocess.Popen([CLI, 'run', name], stdin=subprocess.DEVNULL, stdout=slave,
                                stderr=slave, env=dict(self.env, **env))
        os.close(slave)
        out = b''
        deadline = time.time() + 30
        while time.time() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not data:
                    break
                out += data
            elif proc.poll() is not None:
                break
        os.close(master)
        code = proc.wait(timeout=10)
        return code, out.decode('utf-8', errors='replace')

    def test_progress_line_then_summary(self):
        code, out = self.run_on_terminal('good')
        self.assertEqual(code, 0, out)
        self.assertIn('\r\033[K', out, 'a progress line rewritten in place')
        self.assertRegex(out, r'3/3 files')
        # The last thing on screen is the summary, on a line of its own.
        last = out.replace('\r\n', '\n').split('\r\033[K')[-1]
        self.assertRegex(last, r'^Copied 3 .*\n$')
        # Routine lines are not printed on a terminal.
        self.assertNotIn('Copied a.txt', out)

    def test_errors_in_colour(self):
        code, out = self.run_on_terminal('bad')
        self.assertNotEqual(code, 0)
        self.assertIn('\033[1;31merror:\033[0m ', out)

    def test_no_color(self):
        code, out = self.run_on_terminal('bad', NO_COLOR='1')
        self.assertNotEqual(code, 0)
        self.assertIn('error: ', out)
        self.assertNotIn('\033[1;31m', out)
        self.assertNotIn('\033[0m', out)

    def test_dumb_terminal_gets_plain_lines(self):
        code, out = self.run_on_terminal('good', TERM='dumb')
        self.assertEqual(code, 0, out)
        self.assertNotIn('\033', out)
        self.assertNotIn('\r\033', out)
        self.assertIn('Started: ', out)
        self.assertRegex(out, r'Copied 3 ')

    def test_pipe_gets_plain_lines(self):
        result = subprocess.run([CLI, 'run', 'bad'], env=self.env, capture_output=True,
                                text=True, timeout=30)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn('error: ', result.stdout)
        self.assertNotIn('\033', result.stdout)
        self.assertNotIn('\r', result.stdout)


if __name__ == '__main__':
    unittest.main(verbosity=2)
