#!/usr/bin/python3
# test-bash-completion.py: data/completions/ferry-cli, sourced by a real
# interactive bash in a pseudo-terminal, completes commands, options, option
# values, connector names and transfer names when Tab is pressed. bash itself
# splits the line (at ":" and "=" too), so what is tested is what a user gets.
#
# Transfers are real ones, saved by ferry-cli in a private XDG_CONFIG_HOME
# (local→local needs no keyring); connectors come from a stand-in for
# `ferry-cli connector list --json`, since this suite has no keyring: it
# prints what the real command prints (tests/integration covers that).
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import pty
import select
import shutil
import subprocess
import tempfile
import time
import unittest

CLI = os.environ['FERRY_CLI']
SCRIPT = os.path.join(os.path.dirname(os.environ['G_TEST_SRCDIR']), 'data', 'completions', 'ferry-cli')

CONNECTORS = [
    {'id': '6f1c1a2e-0000-4000-8000-000000000001', 'name': 'new-host', 'type': 'sftp',
     'server': 'new.example.org', 'port': 22, 'username': 'alice', 'pinned': True},
    {'id': '6f1c1a2e-0000-4000-8000-000000000002', 'name': 'Old host', 'type': 'ftps-explicit',
     'server': 'ftp.example.com', 'port': 21, 'username': 'alice', 'pinned': False},
    {'id': '6f1c1a2e-0000-4000-8000-000000000003', 'name': 'Bücher "neu"', 'type': 'ftp',
     'server': 'files.example.de', 'port': 2121, 'username': '', 'pinned': False},
]


def connector_json():
    """The layout of `ferry-cli connector list --json`: one object a line."""
    lines = ['  ' + json.dumps(c, ensure_ascii=False)
             for c in CONNECTORS]
    return '[\n' + ',\n'.join(lines) + '\n]\n'


class BashCompletion(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix='ferry-completion-')
        root = cls.tmp.name
        cls.env = dict(os.environ)
        for var, sub in (('HOME', 'home'), ('XDG_CONFIG_HOME', 'config'),
                         ('XDG_DATA_HOME', 'data'), ('XDG_CACHE_HOME', 'cache')):
            cls.env[var] = os.path.join(root, sub)
            os.makedirs(cls.env[var])
        cls.env.pop('DBUS_SESSION_BUS_ADDRESS', None)
        cls.env.update(LC_ALL='C.UTF-8', LANGUAGE='', TERM='dumb', INPUTRC='/dev/null')

        # transfer add wants the source folder to be there.
        source = os.path.join(root, 'srv', 'a')
        os.makedirs(source)
        for name in ('site backup', 'docs', 'Tom’s "site"'):
            result = subprocess.run([CLI, 'transfer', 'add', name, '--from', f'local:{source}',
                                     '--to', 'local:/srv/b'],
                                    env=cls.env, capture_output=True, text=True, timeout=20)
            assert result.returncode == 0, result.stderr

        # `ferry-cli` on PATH: the stand-in answers `connector list --json`,
        # everything else goes to the real binary.
        bindir = os.path.join(root, 'bin')
        os.makedirs(bindir)
        with open(os.path.join(root, 'connectors.json'), 'w', encoding='utf-8') as f:
            f.write(connector_json())
        stub = os.path.join(bindir, 'ferry-cli')
        with open(stub, 'w') as f:
            f.write('#!/bin/sh\n'
                    'if [ "$*" = "connector list --json" ]; then\n'
                    f'  exec cat "{root}/connectors.json"\n'
                    'fi\n'
                    f'exec "{CLI}" "$@"\n')
        os.chmod(stub, 0o755)
        cls.env['PATH'] = bindir + os.pathsep + cls.env.get('PATH', '/usr/bin:/bin')
        cls.out = os.path.join(root, 'reply')

        cls.pid, cls.fd = pty.fork()
        if cls.pid == 0:
            os.execvpe('bash', ['bash', '--norc', '--noprofile', '-i'], cls.env)
        cls.send(f'PS1="$ "; source "{SCRIPT}"; '
                 f'_ferry_test() {{ _ferry_cli "$@"; printf "%s\\n" "${{COMPREPLY[@]}}" > "{cls.out}.new"; '
                 f'mv "{cls.out}.new" "{cls.out}"; COMPREPLY=(); }}; '
                 'complete -F _ferry_test ferry-cli\n')

    @classmethod
    def tearDownClass(cls):
        os.write(cls.fd, b'\x03exit\n')
        deadline = time.time() + 10
        while time.time() < deadline:
            if os.waitpid(cls.pid, os.WNOHANG)[0] != 0:
                break
            cls.drain(0.1)
        else:
            os.kill(cls.pid, 9)
            os.waitpid(cls.pid, 0)
        os.close(cls.fd)
        cls.tmp.cleanup()

    @classmethod
    def drain(cls, seconds):
        end = time.time() + seconds
        while time.time() < end:
            ready, _, _ = select.select([cls.fd], [], [], 0.05)
            if ready:
                try:
                    os.read(cls.fd, 65536)
                except OSError:
                    return

    @classmethod
    def send(cls, text):
        os.write(cls.fd, text.encode())
        cls.drain(0.2)

    def complete(self, line):
        """What Tab offers after `line`, as bash would insert each candidate."""
        if os.path.exists(self.out):
            os.unlink(self.out)
        os.write(self.fd, line.encode() + b'\t')
        deadline = time.time() + 20
        while not os.path.exists(self.out):
            self.assertLess(time.time(), deadline, f'no completion for {line!r}')
            self.drain(0.05)
        # Throw the line away: Ctrl-E, Ctrl-U.
        os.write(self.fd, b'\x05\x15')
        self.drain(0.1)
        with open(self.out, encoding='utf-8') as f:
            return sorted(w for w in f.read().split('\n') if w)

    def test_commands(self):
        self.assertEqual(self.complete('ferry-cli '),
                         ['--help', '--version', 'connector', 'history', 'log', 'report', 'run', 'schedule', 'transfer',
                          'verify'])
        self.assertEqual(self.complete('ferry-cli con'), ['connector'])
        self.assertEqual(self.complete('ferry-cli --h'), ['--help'])

    def test_subcommands(self):
        self.assertEqual(self.complete('ferry-cli connector '),
                         ['--help', 'add', 'list', 'reauthorize', 'remove', 'test'])
        self.assertEqual(self.complete('ferry-cli transfer re'), ['remove'])

    def test_options(self):
        self.assertEqual(self.complete('ferry-cli connector add mine --'),
                         ['--domain', '--help', '--password-stdin', '--port', '--server',
                          '--trust', '--type', '--user'])
        self.assertEqual(self.complete('ferry-cli transfer add t --p'), ['--parallel'])
        self.assertEqual(self.complete('ferry-cli transfer list --'), ['--help', '--json'])
        self.assertEqual(self.complete('ferry-cli connector list --json --'), ['--help', '--json'])
        self.assertEqual(self.complete('ferry-cli verify docs --'), ['--checksum', '--help'])

    def test_option_values(self):
        self.assertEqual(self.complete('ferry-cli connector add mine --type '),
                         ['ftp', 'ftps-explicit', 'ftps-implicit', 'gio', 'sftp', 'smb',
                          'webdav', 'webdavs'])
        self.assertEqual(self.complete('ferry-cli connector add mine --type=ftps-'),
                         ['ftps-explicit', 'ftps-implicit'])
        self.assertEqual(self.complete('ferry-cli transfer add t --existing k'), ['keep-both'])
        self.assertEqual(self.complete('ferry-cli connector add mine --server '), [])

    def test_connector_names(self):
        self.assertEqual(self.complete('ferry-cli connector test '),
                         ['Bücher\\ \\"neu\\"', 'Old\\ host', 'new-host'])
        self.assertEqual(self.complete('ferry-cli connector remove O'), ['Old\\ host'])
        # An opened quote is left to the user to close.
        self.assertEqual(self.complete('ferry-cli connector reauthorize "Old'), ['Old host'])
        # One NAME only; then options.
        self.assertEqual(self.complete('ferry-cli connector test new-host '), [])
        self.assertIn('--password-stdin',
                      self.complete('ferry-cli connector reauthorize new-host --'))

    def test_locations(self):
        self.assertEqual(self.complete('ferry-cli transfer add t --from '),
                         ['Bücher\\ \\"neu\\":/', 'Old\\ host:/', 'local:/', 'new-host:/'])
        self.assertEqual(self.complete('ferry-cli transfer add t --from lo'), ['local:/'])
        self.assertEqual(self.complete('ferry-cli transfer add t --to=n'), ['new-host:/'])
        # The path after the colon is on the server: nothing to offer.
        self.assertEqual(self.complete('ferry-cli transfer add t --from local:/sr'), [])
        self.assertEqual(self.complete('ferry-cli transfer add t --from local:'), [])
        # A finished location is skipped when the line is read.
        self.assertEqual(self.complete('ferry-cli transfer add t --from "Old host":/www --to n'),
                         ['new-host:/'])
        self.assertEqual(self.complete('ferry-cli transfer add t --from local:/a --to local:/b --'),
                         ['--bwlimit', '--delete', '--exclude', '--existing', '--from', '--help', '--include',
                          '--max-size', '--parallel', '--skip-hidden', '--to'])

    def test_transfer_names(self):
        self.assertEqual(self.complete('ferry-cli run '),
                         ['Tom’s\\ \\"site\\"', 'docs', 'site\\ backup'])
        self.assertEqual(self.complete('ferry-cli log s'), ['site\\ backup'])
        self.assertEqual(self.complete('ferry-cli verify d'), ['docs'])
        self.assertEqual(self.complete('ferry-cli transfer remove d'), ['docs'])
        self.assertEqual(self.complete('ferry-cli run docs '), [])

    def test_schedule(self):
        self.assertEqual(self.complete('ferry-cli schedule '),
                         ['Tom’s\\ \\"site\\"', 'docs', 'list', 'run-due', 'site\\ backup'])
        self.assertEqual(self.complete('ferry-cli schedule docs --'),
                         ['--at', '--every', '--help', '--off', '--on'])
        self.assertEqual(self.complete('ferry-cli schedule docs --every '),
                         ['day', 'hour', 'month', 'week'])
        self.assertEqual(self.complete('ferry-cli schedule docs --every week --on s'), ['sat', 'sun'])
        self.assertEqual(self.complete('ferry-cli schedule list --'), ['--help', '--json'])
        self.assertEqual(self.complete('ferry-cli schedule run-due '), [])
        self.assertEqual(self.complete('ferry-cli schedule docs --every day '), [])


if __name__ == '__main__':
    if shutil.which('bash') is None:
        print('1..0 # SKIP bash is not installed')
        raise SystemExit(77)
    unittest.main(verbosity=2)
