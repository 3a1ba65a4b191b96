#!/usr/bin/python3
# test-cli-connector-list.py: `ferry-cli connector list [--json]` and
# `connector remove` against a real gnome-keyring — what the keyring holds is
# what is listed (names a script would trip on included), never a password;
# remove deletes exactly the one item; every subcommand answers --help;
# --password-stdin takes exactly one password and never echoes it.
#
# The items are written the way any Secret Service client would (secret-tool,
# the password on stdin), so these cases need no FTP server.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import pty
import select
import signal
import subprocess
import time
import unittest
import uuid

CLI = os.environ['FERRY_CLI']
SCHEMA = 'io.github.ferrymigrate.Ferry'
EXIT_OK, EXIT_USAGE = 0, 2


def cli(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=60)


def seed(name, kind='ftp', server='ftp.example.com', port='21', username='web', pin='',
         password='seeded-secret'):
    """Stores one connector item as Ferry does; returns its id."""
    item_id = str(uuid.uuid4())
    attributes = ['xdg:schema', SCHEMA, 'id', item_id, 'name', name, 'kind', kind,
                  'server', server, 'port', port, 'username', username, 'pin', pin,
                  'ferry-version', '1']
    subprocess.run(['secret-tool', 'store', f'--label=Ferry: {name}', *attributes],
                   input=password, text=True, check=True, timeout=30)
    return item_id


def items(item_id=None):
    args = ['secret-tool', 'search', '--all', 'xdg:schema', SCHEMA]
    if item_id is not None:
        args += ['id', item_id]
    result = subprocess.run(args, capture_output=True, text=True, timeout=30)
    return result.stdout.count('[/')


class ListAndRemove(unittest.TestCase):
    def tearDown(self):
        subprocess.run(['secret-tool', 'clear', 'xdg:schema', SCHEMA], timeout=30)

    def test_empty(self):
        result = cli('connector', 'list', '--json')
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)
        self.assertEqual(json.loads(result.stdout), [])
        result = cli('connector', 'list')
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)
        self.assertIn('No connectors yet', result.stdout)

    def test_json_fields_sorted_and_escaped(self):
        awkward = 'Quote " back\\slash é ☃'
        ids = {
            'beta': seed('beta', kind='sftp', server='sftp.example.com', port='22', username='deploy',
                         pin='SHA256:abc'),
            'Alpha': seed('Alpha', kind='ftps-implicit', server='2001:db8::1', port='990'),
            awkward: seed(awkward, kind='ftps-explicit', server='a.example', port='2121', username=''),
        }
        result = cli('connector', 'list', '--json')
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)
        self.assertNotIn('seeded-secret', result.stdout)
        listed = json.loads(result.stdout)
        # Sorted by name, ignoring case.
        self.assertEqual([c['name'] for c in listed], ['Alpha', 'beta', awkward])
        for c in listed:
            self.assertEqual(set(c), {'id', 'name', 'type', 'server', 'port', 'username', 'pinned'})
            self.assertEqual(c['id'], ids[c['name']])
        self.assertEqual(listed[1], {'id': ids['beta'], 'name': 'beta', 'type': 'sftp',
                                     'server': 'sftp.example.com', 'port': 22, 'username': 'deploy',
                                     'pinned': True})
        self.assertEqual((listed[0]['type'], listed[0]['server'], listed[0]['port'], listed[0]['pinned']),
                         ('ftps-implicit', '2001:db8::1', 990, False))
        self.assertEqual((listed[2]['type'], listed[2]['port'], listed[2]['username']),
                         ('ftps-explicit', 2121, ''))

    def test_table(self):
        seed('Bücher', kind='sftp', server='files.example', port='2222', username='me', pin='SHA256:abc')
        seed('Books', server='2001:db8::1', username='')
        result = cli('connector', 'list')
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual(len(lines), 2, result.stdout)
        self.assertRegex(lines[0], r'^Books\s+ftp\s+\[2001:db8::1\]:21$')
        self.assertRegex(lines[1], r'^Bücher\s+sftp\s+me@files\.example:2222\s+pinned$')
        # Columns line up by characters, whatever the bytes.
        self.assertEqual(lines[0].index('ftp'), lines[1].index('sftp'))
        self.assertNotIn('seeded-secret', result.stdout)

    def test_remove(self):
        keep = seed('Keep')
        gone = seed('Gone')
        result = cli('connector', 'remove', 'gone')   # names match ignoring case
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)
        self.assertIn('Removed connector “Gone”', result.stdout)
        self.assertEqual(items(gone), 0)
        self.assertEqual(items(keep), 1)
        self.assertEqual([c['name'] for c in json.loads(cli('connector', 'list', '--json').stdout)],
                         ['Keep'])

    def test_remove_unknown_exits_2(self):
        seed('Keep')
        result = cli('connector', 'remove', 'Nope')
        self.assertEqual(result.returncode, EXIT_USAGE)
        self.assertIn('no connector named “Nope”', result.stderr)
        self.assertIn('connector list', result.stderr)
        self.assertEqual(items(), 1)

    def test_usage_errors_exit_2(self):
        for args in (['connector', 'remove'], ['connector', 'remove', 'a', 'b'],
                     ['connector', 'list', 'extra'], ['connector', 'list', '--yaml'],
                     ['connector', 'frobnicate'], ['connector']):
            with self.subTest(args=args):
                result = cli(*args)
                self.assertEqual(result.returncode, EXIT_USAGE, result.stdout + result.stderr)
                self.assertTrue(result.stderr.strip())

    def test_every_subcommand_has_help(self):
        for sub in ('add', 'list', 'test', 'reauthorize', 'remove'):
            with self.subTest(sub=sub):
                result = cli('connector', sub, '--help')
                self.assertEqual(result.returncode, EXIT_OK, result.stderr)
                self.assertIn(f'ferry-cli connector {sub}', result.stdout)
        result = cli('connector', 'list', '--help')
        self.assertIn('--json', result.stdout)
        result = cli('connector', '--help')
        self.assertEqual(result.returncode, EXIT_OK)
        for sub in ('add', 'list', 'test', 'reauthorize', 'remove'):
            self.assertIn(f'ferry-cli connector {sub}', result.stdout)

    def test_password_stdin_refuses_what_is_not_one_password(self):
        add = ['connector', 'add', 'P', '--type', 'ftp', '--server', '127.0.0.1', '--port', '1',
               '--password-stdin']
        for text, words in (('x' * 5000, 'too long'), ('one\ntwo\n', 'more than one line'),
                            ('nul\0byte', 'more than one line')):
            with self.subTest(words=words):
                result = subprocess.run([CLI, *add], input=text, capture_output=True, text=True,
                                        timeout=60)
                self.assertEqual(result.returncode, EXIT_USAGE, result.stdout + result.stderr)
                self.assertIn(words, result.stderr)
        self.assertEqual(items(), 0)

    def test_password_from_a_terminal_is_not_echoed(self):
        # On a terminal --password-stdin asks and reads one line without echo;
        # the check then fails (nothing listens on port 1), which is fine here.
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(CLI, [CLI, 'connector', 'add', 'Tty', '--type', 'ftp', '--server', '127.0.0.1',
                           '--port', '1', '--password-stdin'])
        output = b''
        sent = False
        while True:
            ready, _, _ = select.select([fd], [], [], 30)
            if not ready:
                break
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            if not sent and b'Password: ' in output:
                os.write(fd, b'typed-secret\n')
                sent = True
        status = None
        for _ in range(300):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            self.fail(f'ferry-cli still waiting after the password was typed: {output!r}')
        os.close(fd)
        self.assertTrue(sent, output)
        self.assertNotIn(b'typed-secret', output)
        self.assertEqual(os.waitstatus_to_exitcode(status), 3, output)

    def test_items_of_other_applications_are_not_listed(self):
        subprocess.run(['secret-tool', 'store', '--label=Other', 'service', 'other', 'name', 'Other'],
                       input='x', text=True, check=True, timeout=30)
        try:
            self.assertEqual(json.loads(cli('connector', 'list', '--json').stdout), [])
        finally:
            subprocess.run(['secret-tool', 'clear', 'service', 'other'], timeout=30)


if __name__ == '__main__':
    unittest.main(verbosity=2)
