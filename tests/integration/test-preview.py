#!/usr/bin/python3
# test-preview.py: know before, choose what, prove after (the issue "preview,
# filters and the Migration Report") against a real vsftpd: a dry run of a
# tree with new, changed, identical, excluded and hostile-named files
# reports each group exactly and writes nothing; a run with the same
# filters copies exactly the "copy" and "update" groups; and the report of
# that run lists every file once with the right outcome, and reads back
# whole with Python's csv module (spaces, ';', '"', ',' and non-ASCII).
#
# SPDX-License-Identifier: GPL-3.0-or-later

import csv
import io
import json
import os
import pwd
import shutil
import subprocess
import tempfile
import time
import unittest

CLI = os.environ['FERRY_CLI']
EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


def cli(*args, timeout=120):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout)


def write(path, data, mtime):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)
    os.utime(path, (mtime, mtime))


def snapshot(root):
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            found[os.path.relpath(path, root)] = (st.st_size, int(st.st_mtime), os.path.isdir(path))
    return found


def chown_tree(root):
    user = pwd.getpwnam(os.environ['FERRY_TEST_USER'])
    for folder, dirs, files in os.walk(root):
        os.chown(folder, user.pw_uid, user.pw_gid)
        for name in dirs + files:
            os.lchown(os.path.join(folder, name), user.pw_uid, user.pw_gid)


@unittest.skipUnless(os.environ.get('FERRY_TEST_FTP_PORT'), 'needs the fixture with --ftp --keyring')
class Preview(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        result = subprocess.run([CLI, 'connector', 'add', 'Old', '--type', 'ftp', '--server', '127.0.0.1',
                                 '--port', os.environ['FERRY_TEST_FTP_PORT'],
                                 '--user', os.environ['FERRY_TEST_USER'], '--password-stdin'],
                                input=os.environ['FERRY_TEST_PASSWORD'] + '\n',
                                capture_output=True, text=True, timeout=90)
        assert result.returncode == 0, result.stdout + result.stderr

    def setUp(self):
        self.site = os.path.join(os.environ['FERRY_TEST_FTP_ROOT'], 'preview-site')
        self.dst = tempfile.mkdtemp(prefix='ferry-preview-', dir=os.environ.get('FERRY_TEST_DIR'))
        # Minutes: what an FTP LIST says of a time this year.
        base = (int(time.time()) - 40 * 86400) // 60 * 60
        odd = ['with space.txt', 'semi;colon.txt', 'quote "q".txt', 'comma, too.txt', 'Grüße – 日本.txt']
        self.new = ['new.txt', 'deep/er/new.html'] + odd
        for name in self.new:
            write(os.path.join(self.site, name), name.encode(), base)
        write(os.path.join(self.site, 'same.txt'), b'same', base)
        write(os.path.join(self.dst, 'same.txt'), b'same', base)
        write(os.path.join(self.site, 'changed.txt'), b'changed at the source', base + 3600)
        write(os.path.join(self.dst, 'changed.txt'), b'old', base)
        write(os.path.join(self.site, 'debug.log'), b'log', base)
        write(os.path.join(self.site, 'deep', 'trace.log'), b'log', base)
        write(os.path.join(self.site, 'cache', 'a.bin'), b'cache', base)
        write(os.path.join(self.site, '.htpasswd'), b'secret', base)
        write(os.path.join(self.site, 'ctrl\x01name.txt'), b'evil', base)
        chown_tree(self.site)
        result = cli('transfer', 'add', 'Preview', '--from', 'Old:/preview-site', '--to', f'local:{self.dst}',
                     '--exclude', '*.log', '--exclude', 'cache/', '--skip-hidden')
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)
        listed = json.loads(cli('transfer', 'list', '--json').stdout)
        self.transfer_id = [t for t in listed if t['name'] == 'Preview'][0]['id']
        self.assertEqual(listed[0]['exclude'] if listed[0]['name'] == 'Preview' else ['*.log', 'cache/'],
                         ['*.log', 'cache/'])

    def tearDown(self):
        cli('transfer', 'remove', 'Preview')
        shutil.rmtree(self.site, ignore_errors=True)
        shutil.rmtree(self.dst, ignore_errors=True)

    def history(self):
        folder = os.path.join(os.environ['XDG_DATA_HOME'], 'ferry', 'runs', self.transfer_id)
        return sorted(os.listdir(folder)) if os.path.isdir(folder) else []

    def test_dry_run_then_run_then_report(self):
        before = snapshot(self.dst)
        result = cli('run', 'Preview', '--dry-run', '--json')
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)
        plan = json.loads(result.stdout)
        groups = {}
        for entry in plan['entries']:
            if entry['type'] == 'file':
                groups.setdefault(entry['action'], set()).add(entry['path'])
        self.assertEqual(groups.get('copy'), set(self.new))
        self.assertEqual(groups.get('update'), {'changed.txt'})
        self.assertEqual(groups.get('up-to-date'), {'same.txt'})
        self.assertEqual(groups.get('excluded'), {'debug.log', 'deep/trace.log', '.htpasswd'})
        self.assertEqual(groups.get('refused'), {'ctrl\\x01name.txt'})
        folders = {e['path']: e['action'] for e in plan['entries'] if e['type'] == 'folder'}
        self.assertEqual(folders['cache'], 'excluded')
        self.assertNotIn('cache/a.bin', {e['path'] for e in plan['entries']})
        self.assertEqual(plan['totals']['copy']['files'], len(self.new))
        self.assertEqual(plan['totals']['copy']['bytes'], sum(len(n.encode()) for n in self.new))
        self.assertEqual(plan['totals']['update'], {'files': 1, 'bytes': len(b'changed at the source')})
        # Nothing written: not a folder, not a file, not a line of history.
        self.assertEqual(snapshot(self.dst), before)
        self.assertEqual(self.history(), [])

        # The plain text form says the same.
        text = cli('run', 'Preview', '--dry-run')
        self.assertEqual(text.returncode, EXIT_OK, text.stderr)
        self.assertRegex(text.stdout, r'(?m)^update +changed\.txt')
        self.assertNotRegex(text.stdout, r'(?m)^up-to-date')
        self.assertEqual(snapshot(self.dst), before)

        # The run does exactly what the plan said.
        run = cli('run', 'Preview')
        self.assertEqual(run.returncode, EXIT_PARTIAL, run.stdout + run.stderr)  # the refused name
        after = snapshot(self.dst)
        written = {p for p, (size, mtime, folder) in after.items() if not folder and after[p] != before.get(p)}
        self.assertEqual(written, set(self.new) | {'changed.txt'})

        report = subprocess.run([CLI, 'report', 'Preview'], capture_output=True, timeout=60)
        self.assertEqual(report.returncode, EXIT_OK, report.stderr)
        self.assertTrue(report.stdout.startswith(b'path,size,modified,outcome,reason,tries\r\n'))
        rows = list(csv.DictReader(io.StringIO(report.stdout.decode('utf-8'), newline='')))
        paths = [r['path'] for r in rows]
        self.assertEqual(len(paths), len(set(paths)), 'a file reported twice')
        outcome = {r['path']: r['outcome'] for r in rows}
        for name in self.new:
            self.assertEqual(outcome[name], 'copied', name)
        self.assertEqual(outcome['changed.txt'], 'updated')
        self.assertEqual(outcome['same.txt'], 'up-to-date')
        self.assertEqual(outcome['debug.log'], 'excluded')
        self.assertEqual(outcome['cache'], 'excluded')
        self.assertEqual(outcome['.htpasswd'], 'excluded')
        self.assertEqual(outcome['ctrl\\x01name.txt'], 'refused')
        by_path = {r['path']: r for r in rows}
        self.assertEqual(by_path['changed.txt']['size'], str(len(b'changed at the source')))
        self.assertRegex(by_path['changed.txt']['modified'], r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$')
        self.assertEqual(by_path['new.txt']['tries'], '1')

        as_json = cli('report', 'Preview', '--format', 'json')
        self.assertEqual(as_json.returncode, EXIT_OK, as_json.stderr)
        self.assertEqual({r['path']: r['outcome'] for r in json.loads(as_json.stdout)}, outcome)
        runs = [name[:-len('.run')] for name in self.history() if name.endswith('.run')]
        self.assertEqual(len(runs), 1)
        self.assertEqual(cli('report', 'Preview', '--run', runs[0]).stdout.replace('\r', ''),
                         report.stdout.decode('utf-8').replace('\r', ''))
        self.assertEqual(cli('report', 'Preview', '--run', 'nonexistent').returncode, EXIT_USAGE)
        self.assertEqual(cli('report', 'Preview', '--run', '../../etc').returncode, EXIT_USAGE)
        self.assertEqual(cli('report', 'Preview', '--format', 'xml').returncode, EXIT_USAGE)

    def test_edit_filters(self):
        result = cli('transfer', 'edit', 'Preview', '--clear-filters', '--include', '*.html', '--no-skip-hidden')
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)
        plan = json.loads(cli('run', 'Preview', '--dry-run', '--json').stdout)
        copy = {e['path'] for e in plan['entries'] if e['action'] in ('copy', 'update') and e['type'] == 'file'}
        self.assertEqual(copy, {'deep/er/new.html'})
        # A pattern that can never match is refused, and changes nothing.
        bad = cli('transfer', 'edit', 'Preview', '--exclude', '/')
        self.assertEqual(bad.returncode, EXIT_USAGE, bad.stderr)
        self.assertIn('matches nothing', bad.stderr)
        saved = [t for t in json.loads(cli('transfer', 'list', '--json').stdout) if t['name'] == 'Preview'][0]
        self.assertEqual(saved['include'], ['*.html'])
        self.assertEqual(saved['exclude'], [])
        self.assertFalse(saved['skip_hidden'])


if __name__ == '__main__':
    unittest.main(verbosity=2)
