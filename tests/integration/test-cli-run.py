#!/usr/bin/python3
# test-cli-run.py: the contract of `ferry-cli transfer`, `run` and `log`
# (DESIGN.md): what is refused with exit 2 and a message that says why, what
# `transfer list --json` shows, what `remove` forgets, plain lines when
# piped, and a local-to-local transfer that needs no keyring at all.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import shutil
import subprocess
import tempfile
import unittest

CLI = os.environ['FERRY_CLI']
EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_CONNECT, EXIT_KEYRING = 0, 1, 2, 3, 4


def cli(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=120)


def transfers():
    result = cli('transfer', 'list', '--json')
    assert result.returncode == 0, result.stderr
    return {t['name']: t for t in json.loads(result.stdout)}


class TransferCommands(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='ferry-cli-run-', dir=os.environ.get('FERRY_TEST_DIR'))
        self.src = os.path.join(self.dir, 'src')
        os.makedirs(self.src)
        with open(os.path.join(self.src, 'a.txt'), 'w') as f:
            f.write('a\n')

    def tearDown(self):
        for name in transfers():
            cli('transfer', 'remove', name)
        shutil.rmtree(self.dir, ignore_errors=True)

    def assertUsage(self, result, *words):
        self.assertEqual(result.returncode, EXIT_USAGE, result.stdout + result.stderr)
        for word in words:
            self.assertIn(word, result.stderr)

    def test_add_list_remove(self):
        result = cli('transfer', 'add', 'Site backup', '--from', f'local:{self.src}/',
                     '--to', f'local:{self.dir}/out', '--parallel', '7')
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)
        self.assertIn('Site backup', result.stdout)
        saved = transfers()['Site backup']
        self.assertEqual(saved['from'], {'connector': 'local', 'path': self.src})
        self.assertEqual(saved['to'], {'connector': 'local', 'path': f'{self.dir}/out'})
        self.assertEqual(saved['parallel'], 7)
        self.assertEqual(saved['existing'], 'skip-identical')
        self.assertIsNone(saved['last_run'])
        # The transfer is a file in $XDG_CONFIG_HOME/ferry/transfers.
        folder = os.path.join(os.environ['XDG_CONFIG_HOME'], 'ferry', 'transfers')
        self.assertEqual(os.listdir(folder), [saved['id'] + '.transfer'])

        plain = cli('transfer', 'list')
        self.assertEqual(plain.returncode, EXIT_OK)
        self.assertIn(f'Site backup\tlocal:{self.src} → local:{self.dir}/out', plain.stdout)

        # Names are unique, case-insensitively.
        again = cli('transfer', 'add', 'SITE BACKUP', '--from', f'local:{self.src}', '--to', f'local:{self.dir}/x')
        self.assertEqual(again.returncode, EXIT_USAGE, again.stderr)
        self.assertIn('exists', again.stderr)

        self.assertEqual(cli('run', 'site backup').returncode, EXIT_OK)
        runs = os.path.join(os.environ['XDG_DATA_HOME'], 'ferry', 'runs', saved['id'])
        self.assertTrue(any(n.endswith('.run') for n in os.listdir(runs)))
        self.assertEqual(transfers()['Site backup']['last_run']['state'], 'completed')

        removed = cli('transfer', 'remove', 'Site backup')
        self.assertEqual(removed.returncode, EXIT_OK, removed.stderr)
        self.assertNotIn('Site backup', transfers())
        self.assertFalse(os.path.exists(runs), 'the history goes with the transfer')
        self.assertUsage(cli('transfer', 'remove', 'Site backup'), 'no transfer')

    def test_connections_automatic(self):
        # The default is Connections: Automatic, saved as "auto"; a number
        # replaces it and `--parallel auto` brings it back.
        out = f'{self.dir}/auto-out'
        result = cli('transfer', 'add', 'Auto', '--from', f'local:{self.src}', '--to', f'local:{out}')
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)
        self.assertEqual(transfers()['Auto']['parallel'], 'auto')
        folder = os.path.join(os.environ['XDG_CONFIG_HOME'], 'ferry', 'transfers')
        saved = [open(os.path.join(folder, n)).read() for n in os.listdir(folder)]
        self.assertTrue([text for text in saved if 'Name=Auto\n' in text and 'Connections=auto\n' in text], saved)
        self.assertEqual(cli('transfer', 'edit', 'Auto', '--parallel', '3').returncode, EXIT_OK)
        self.assertEqual(transfers()['Auto']['parallel'], 3)
        self.assertEqual(cli('transfer', 'edit', 'Auto', '--parallel', 'auto').returncode, EXIT_OK)
        self.assertEqual(transfers()['Auto']['parallel'], 'auto')
        self.assertUsage(cli('transfer', 'edit', 'Auto', '--parallel', 'automatic'), 'or auto')
        # Two folders of this machine: Automatic starts with 4 and says so.
        run = cli('run', 'Auto')
        self.assertEqual(run.returncode, EXIT_OK, run.stdout + run.stderr)
        self.assertIn('Connections: automatic, starting with 4, at most 4', run.stdout)

    def test_bad_input_is_exit_2(self):
        to = f'local:{self.dir}/out'
        self.assertUsage(cli('transfer', 'add', 'X', '--to', to), '--from')
        self.assertUsage(cli('transfer', 'add', 'X', '--from', 'local:relative/path', '--to', to), 'CONNECTOR:/PATH')
        self.assertUsage(cli('transfer', 'add', 'X', '--from', '/no/connector', '--to', to), 'CONNECTOR:/PATH')
        for n in ('0', '17', '-1'):
            self.assertUsage(cli('transfer', 'add', 'X', '--from', f'local:{self.src}', '--to', to,
                                 '--parallel', n), '1 to 16')
        self.assertUsage(cli('transfer', 'add', 'X', '--from', f'local:{self.src}', '--to', to,
                             '--existing', 'sometimes'), 'keep-both')
        self.assertUsage(cli('transfer', 'add', '--from', f'local:{self.src}', '--to', to))
        self.assertUsage(cli('transfer', 'frobnicate'), 'frobnicate')
        self.assertUsage(cli('run', 'Nothing'), 'no transfer')
        self.assertUsage(cli('log', 'Nothing'), 'no transfer')
        self.assertEqual(transfers(), {})

    def test_unknown_connector(self):
        result = cli('transfer', 'add', 'X', '--from', 'Nowhere:/site', '--to', f'local:{self.dir}/out')
        # Without a keyring the connector cannot even be looked up: 4; with one, it is missing: 2.
        self.assertIn(result.returncode, (EXIT_USAGE, EXIT_KEYRING), result.stderr)
        if os.environ.get('FERRY_TEST_KEYRING_EXPECTED') == '1':
            self.assertEqual(result.returncode, EXIT_USAGE, result.stderr)
            self.assertIn('no connector', result.stderr)
        self.assertEqual(transfers(), {})

    def test_run_piped_and_log(self):
        self.assertEqual(cli('transfer', 'add', 'T', '--from', f'local:{self.src}',
                             '--to', f'local:{self.dir}/out').returncode, EXIT_OK)
        never = cli('log', 'T')
        self.assertNotEqual(never.returncode, EXIT_OK)
        self.assertIn('not run yet', never.stderr)

        result = cli('run', 'T')
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        self.assertNotIn('\r', result.stdout)
        self.assertNotIn('\033', result.stdout)
        self.assertEqual(result.stdout.splitlines()[-1].split(' in ')[0],
                         'Copied 1 file (2 bytes), skipped 0, failed 0')
        with open(os.path.join(self.dir, 'out', 'a.txt')) as f:
            self.assertEqual(f.read(), 'a\n')

        log = cli('log', 'T')
        self.assertEqual(log.returncode, EXIT_OK, log.stderr)
        lines = log.stdout.splitlines()
        self.assertRegex(lines[0], r'^Run of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: Completed$')
        self.assertTrue(any(line.endswith('info     Copied a.txt') for line in lines), log.stdout)

    def test_missing_source_folder_fails(self):
        # transfer add refuses it, naming the folder (exit 2: bad input)...
        added = cli('transfer', 'add', 'Gone', '--from', f'local:{self.dir}/missing',
                    '--to', f'local:{self.dir}/out')
        self.assertEqual(added.returncode, EXIT_USAGE, added.stdout + added.stderr)
        self.assertIn(f'{self.dir}/missing', added.stderr)
        # ...and a run whose source went away since fails with the same code.
        os.makedirs(f'{self.dir}/going')
        self.assertEqual(cli('transfer', 'add', 'Gone', '--from', f'local:{self.dir}/going',
                             '--to', f'local:{self.dir}/out').returncode, EXIT_OK)
        os.rmdir(f'{self.dir}/going')
        result = cli('run', 'Gone')
        self.assertEqual(result.returncode, EXIT_USAGE, result.stdout)
        self.assertIn('The run failed', result.stdout)
        self.assertIn(f'{self.dir}/going', result.stdout + result.stderr)
        self.assertEqual(transfers()['Gone']['last_run']['state'], 'failed')

if __name__ == '__main__':
    unittest.main(verbosity=2)
