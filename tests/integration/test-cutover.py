#!/usr/bin/python3
# test-cutover.py: verify and cut over (the issue "prove the destination
# matches, mirror deletions") against a real vsftpd and sshd:
#  - `verify` passes on a fresh copy, over FTP and over SFTP, plain and with
#    --checksum;
#  - one byte changed at the destination (same size, same time) is found by
#    `verify --checksum` and by nothing else, and plain `verify` passes;
#  - a file deleted at the destination is `missing`, one added is `extra`;
#  - `run --checksum` copies again exactly the file whose content differs
#    (same size, same time) and nothing else, after which `verify
#    --checksum` passes; a plain rerun does not see it;
#  - a verification is a run in the history (Kind=verify) that
#    `ferry-cli report` exports; `ferry-cli history` lists copies and
#    verifications newest first, each in the words and counts of its kind;
#  - a mirror run (--delete) removes exactly what is gone from the source,
#    files and the folders they emptied, on this machine (to the Trash) and
#    on an FTP server, and keeps what the filters leave out;
#  - a source folder that cannot be listed makes the run delete nothing;
#  - --dry-run lists what would be deleted and deletes nothing.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import csv
import datetime
import glob
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
EXIT_OK, EXIT_DIFFERS, EXIT_CONNECT = 0, 1, 3


def cli(*args, timeout=180):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout)


def write(path, data, mtime):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)
    os.utime(path, (mtime, mtime))


def chown_tree(root):
    user = pwd.getpwnam(os.environ['FERRY_TEST_USER'])
    for folder, dirs, files in os.walk(root):
        os.chown(folder, user.pw_uid, user.pw_gid)
        for name in dirs + files:
            os.lchown(os.path.join(folder, name), user.pw_uid, user.pw_gid)


def tree(root):
    found = set()
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            found.add(os.path.relpath(os.path.join(folder, name), root) + '/')
        for name in files:
            found.add(os.path.relpath(os.path.join(folder, name), root))
    return found


def flip_one_byte(path):
    """The same size and the same time, one byte different."""
    st = os.stat(path)
    with open(path, 'r+b') as f:
        f.seek(st.st_size // 2)
        byte = f.read(1)
        f.seek(st.st_size // 2)
        f.write(bytes([byte[0] ^ 0x01]))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def differences(stdout):
    return sorted(line for line in stdout.splitlines()
                  if line.startswith(('missing ', 'differs ', 'extra ')))


def add_connector(name, kind, port_variable):
    extra = ['--trust', os.environ['FERRY_TEST_SSH_HOSTKEY_SHA256']] if kind == 'sftp' else []
    result = subprocess.run([CLI, 'connector', 'add', name, '--type', kind, '--server', '127.0.0.1',
                             '--port', os.environ[port_variable], '--user', os.environ['FERRY_TEST_USER'],
                             '--password-stdin', *extra],
                            input=os.environ['FERRY_TEST_PASSWORD'] + '\n',
                            capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stdout + result.stderr


@unittest.skipUnless(os.environ.get('FERRY_TEST_FTP_PORT') and os.environ.get('FERRY_TEST_SFTP_PORT'),
                     'needs the fixture with --ftp --sftp --keyring')
class Cutover(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        add_connector('Old', 'ftp', 'FERRY_TEST_FTP_PORT')
        add_connector('Secure', 'sftp', 'FERRY_TEST_SFTP_PORT')

    def setUp(self):
        self.root = os.environ['FERRY_TEST_FTP_ROOT']
        self.id = self.id().rsplit('.', 1)[-1]
        self.site = os.path.join(self.root, self.id)
        self.local = tempfile.mkdtemp(prefix='ferry-cutover-', dir=os.environ.get('FERRY_TEST_DIR'))
        self.names = []
        # Minutes: what a LIST says of a time this year.
        base = (int(time.time()) - 40 * 86400) // 60 * 60
        self.files = {'index.html': b'<h1>hi</h1>\n' * 50, 'css/site.css': b'body{}\n' * 300,
                      'img/logo.png': os.urandom(70000), 'docs/a/b/deep.txt': b'deep\n',
                      'Grüße – 日本.txt': 'ü\n'.encode(), 'debug.log': b'log\n', 'zero': b''}
        for i, (rel, data) in enumerate(self.files.items()):
            write(os.path.join(self.site, rel), data, base - i * 3600)
        chown_tree(self.site)

    def tearDown(self):
        for name in self.names:
            cli('transfer', 'remove', name)
        subprocess.run(['chmod', '-R', 'u+rwx', self.site], check=False)
        shutil.rmtree(self.site, ignore_errors=True)
        shutil.rmtree(self.local, ignore_errors=True)

    def transfer(self, name, source, destination, *extra):
        result = cli('transfer', 'add', name, '--from', source, '--to', destination, *extra)
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)
        self.names.append(name)

    def run_ok(self, name, *extra):
        result = cli('run', name, *extra)
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        return result

    def verify(self, name, *extra, expect=EXIT_OK):
        result = cli('verify', name, *extra)
        self.assertEqual(result.returncode, expect, result.stdout + result.stderr)
        return result

    def test_verify_ftp_download(self):
        dst = os.path.join(self.local, 'copy')
        self.transfer('Down', f'Old:/{self.id}', f'local:{dst}')
        self.run_ok('Down')
        self.assertIn(f'All {len(self.files)} files match', self.verify('Down').stdout)
        self.verify('Down', '--checksum')

        # One byte, same size and time: only the checksum sees it.
        flip_one_byte(os.path.join(dst, 'img', 'logo.png'))
        self.assertEqual(differences(self.verify('Down').stdout), [])
        found = self.verify('Down', '--checksum', expect=EXIT_DIFFERS)
        self.assertEqual(differences(found.stdout), ['differs img/logo.png (content)'])
        self.assertIn('SHA-256', found.stderr)

        # A file gone from the destination, another added there.
        os.remove(os.path.join(dst, 'css', 'site.css'))
        write(os.path.join(dst, 'docs', 'stray.html'), b'stray', int(time.time()))
        found = self.verify('Down', expect=EXIT_DIFFERS)
        self.assertEqual(differences(found.stdout), ['extra docs/stray.html', 'missing css/site.css'])

        # A file where the source has a folder.
        shutil.rmtree(os.path.join(dst, 'docs', 'a', 'b'))
        write(os.path.join(dst, 'docs', 'a', 'b'), b'not a folder', int(time.time()))
        found = self.verify('Down', expect=EXIT_DIFFERS)
        self.assertEqual(differences(found.stdout), ['differs docs/a/b (type)', 'extra docs/stray.html',
                                                     'missing css/site.css'])

        # A verification is a run of the history, exported by `report`.
        runs = sorted(glob.glob(os.path.join(os.environ['XDG_DATA_HOME'], 'ferry', 'runs', '*', '*.run')))
        with open(runs[-1]) as f:
            self.assertIn('Kind=verify', f.read())
        report = cli('report', 'Down')
        self.assertEqual(report.returncode, EXIT_OK, report.stderr)
        rows = {row['path']: row for row in csv.DictReader(io.StringIO(report.stdout))}
        self.assertEqual(rows['css/site.css']['outcome'], 'missing')
        self.assertEqual(rows['docs/stray.html']['outcome'], 'extra')
        self.assertEqual(rows['index.html']['outcome'], 'matches')

    def test_verify_sftp_upload(self):
        target = os.path.join(self.root, self.id + '-up')
        self.transfer('Up', f'local:{self.site}', f'Secure:{target}')
        try:
            self.run_ok('Up')
            self.verify('Up')
            self.verify('Up', '--checksum')
            flip_one_byte(os.path.join(target, 'index.html'))
            self.assertEqual(differences(self.verify('Up').stdout), [])
            found = self.verify('Up', '--checksum', expect=EXIT_DIFFERS)
            self.assertEqual(differences(found.stdout), ['differs index.html (content)'])
        finally:
            shutil.rmtree(target, ignore_errors=True)

    def test_run_checksum_repairs(self):
        for name, source, dst, flip in (
                ('Down', f'Old:/{self.id}', os.path.join(self.local, 'copy'), 'img/logo.png'),
                ('Up', f'local:{self.site}', os.path.join(self.root, self.id + '-up'), 'index.html')):
            with self.subTest(name):
                where = dst if name == 'Down' else dst
                self.transfer(name, source, f'local:{dst}' if name == 'Down' else f'Secure:{dst}')
                try:
                    self.run_ok(name)
                    flip_one_byte(os.path.join(where, flip))
                    with open(os.path.join(where, flip), 'rb') as f:
                        self.assertNotEqual(f.read(), self.files[flip])
                    # A rerun by size and time sees nothing to do.
                    self.assertIn('0 files', self.run_ok(name).stdout)
                    self.verify(name, '--checksum', expect=EXIT_DIFFERS)
                    repaired = self.run_ok(name, '--checksum')
                    self.assertIn(flip, repaired.stdout)
                    self.assertIn('Copied 1 file', repaired.stdout)
                    with open(os.path.join(where, flip), 'rb') as f:
                        self.assertEqual(f.read(), self.files[flip])
                    self.verify(name, '--checksum')
                    # Nothing differs any more: nothing is copied.
                    self.assertIn('Copied 0 files', self.run_ok(name, '--checksum').stdout)
                    # It goes with nothing that reads no contents.
                    self.assertEqual(cli('run', name, '--checksum', '--dry-run').returncode, 2)
                finally:
                    if name == 'Up':
                        shutil.rmtree(dst, ignore_errors=True)

    def test_history(self):
        dst = os.path.join(self.local, 'copy')
        n = len(self.files)
        self.transfer('Hist', f'Old:/{self.id}', f'local:{dst}')
        self.assertEqual(cli('history', 'Hist', '--json').stdout.strip(), '[]')
        self.run_ok('Hist')
        self.verify('Hist')
        flip_one_byte(os.path.join(dst, 'img', 'logo.png'))
        self.verify('Hist', '--checksum', expect=EXIT_DIFFERS)
        self.run_ok('Hist', '--checksum')
        self.run_ok('Hist')

        result = cli('history', 'Hist', '--json')
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)
        runs = json.loads(result.stdout)
        self.assertEqual([r['kind'] for r in runs], ['copy', 'copy', 'verify', 'verify', 'copy'])
        self.assertEqual([r['result'] for r in runs],
                         ['up-to-date', 'completed', 'differs', 'matches', 'completed'])
        self.assertEqual(sorted(r['id'] for r in runs), [r['id'] for r in reversed(runs)])
        for r in runs:
            started = datetime.datetime.fromisoformat(r['started'].replace('Z', '+00:00'))
            finished = datetime.datetime.fromisoformat(r['finished'].replace('Z', '+00:00'))
            self.assertLessEqual(started, finished)
            if r['kind'] == 'verify':
                self.assertNotIn('copied', r)
                self.assertNotIn('bytes', r)
            else:
                self.assertNotIn('matches', r)
        up_to_date, repair, differs, matches, first = runs
        self.assertEqual((first['copied'], first['skipped'], first['failed'], first['bytes']),
                         (n, 0, 0, sum(len(d) for d in self.files.values())))
        self.assertEqual((matches['matches'], matches['missing'], matches['differs'], matches['extra']),
                         (n, 0, 0, 0))
        self.assertEqual((differs['matches'], differs['missing'], differs['differs'], differs['extra']),
                         (n - 1, 0, 1, 0))
        self.assertEqual((repair['copied'], repair['skipped'], repair['bytes']),
                         (1, n - 1, len(self.files['img/logo.png'])))
        self.assertEqual((up_to_date['copied'], up_to_date['skipped']), (0, n))

        # The text form words each kind as the window does.
        lines = cli('history', 'Hist').stdout.splitlines()
        self.assertEqual(len(lines), 5)
        self.assertRegex(lines[0], r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d  Up to date · '
                         + str(n) + ' files already up to date$')
        self.assertRegex(lines[1], r'  Completed · 1 file copied \(70\.0\xa0kB\) · '
                         + str(n - 1) + ' already up to date$')
        self.assertRegex(lines[2], r'  Verified · 1 file differs \(content\)$')
        self.assertRegex(lines[3], r'  Verified · all ' + str(n) + ' files match$')
        self.assertNotIn('Copied', '\n'.join(lines[2:4]))
        self.assertEqual(cli('history', 'Nobody').returncode, 2)

    def test_verify_unreachable(self):
        self.transfer('Nowhere', f'Old:/{self.id}', f'Secure:/no/such/place')
        subprocess.run(['python3', os.environ['FERRY_TEST_CTL'], 'stop-ftp'], check=True, timeout=60)
        try:
            found = self.verify('Nowhere', expect=EXIT_CONNECT)
            # No verdict, only why, in the connection check's words: which
            # side, which step, what to do; not libcurl's.
            said = found.stdout + found.stderr
            self.assertNotIn('match', said)
            self.assertNotIn('compared', said)
            self.assertNotIn('Failed to connect to', said)
            self.assertIn('the source, “Old”: the step “Connect” failed. Nothing answered on port', said)
            history = json.loads(cli('history', 'Nowhere', '--json').stdout)
            self.assertEqual([(r['kind'], r['result']) for r in history], [('verify', 'failed')])
            self.assertIn('Nothing answered', history[0]['message'])
            log = cli('log', 'Nowhere').stdout
            self.assertRegex(log.splitlines()[0], r'^Verification of .* UTC: Verification failed$')
            self.assertIn('the step “Connect” failed', log)
            # A verification is no copy: the transfer has not run yet.
            listed = json.loads(cli('transfer', 'list', '--json').stdout)
            self.assertEqual([t['last_run'] for t in listed if t['name'] == 'Nowhere'], [None])
            self.assertNotIn('files compared', log)
            self.assertNotIn('The destination matches', log)
            # A copy run that cannot connect says the same.
            copied = cli('run', 'Nowhere')
            self.assertEqual(copied.returncode, EXIT_CONNECT)
            self.assertIn('the step “Connect” failed', copied.stdout + copied.stderr)
        finally:
            subprocess.run(['python3', os.environ['FERRY_TEST_CTL'], 'start-ftp'], check=True, timeout=60)

    def test_mirror_local_destination(self):
        dst = os.path.join(self.local, 'mirror')
        self.transfer('Mirror', f'Old:/{self.id}', f'local:{dst}', '--delete', '--exclude', '*.log')
        self.run_ok('Mirror')
        # Gone from the source: a file and a whole folder; an excluded file
        # only at the destination stays, and so does a partial copy.
        os.remove(os.path.join(self.site, 'css', 'site.css'))
        shutil.rmtree(os.path.join(self.site, 'docs'))
        write(os.path.join(dst, 'keep.log'), b'mine', int(time.time()))
        # Links only the destination has go as links: what they point at,
        # outside the destination, stays; a hostile name is never touched.
        outside = os.path.join(self.local, 'outside')
        write(os.path.join(outside, 'precious.txt'), b'precious', int(time.time()))
        os.symlink(outside, os.path.join(dst, 'link-to-folder'))
        os.symlink(os.path.join(outside, 'precious.txt'), os.path.join(dst, 'link-to-file'))
        write(os.path.join(dst, 'esc\x1b[31mname'), b'hostile', int(time.time()))
        before = tree(dst)

        plan = self.run_ok('Mirror', '--dry-run')
        self.assertIn('delete      css/site.css', plan.stdout)
        self.assertIn('delete      docs/a/b/deep.txt', plan.stdout)
        self.assertEqual(tree(dst), before, 'a dry run deletes nothing')

        result = self.run_ok('Mirror')
        self.assertIn('css/site.css', result.stdout)
        self.assertEqual(tree(dst), before - {'css/site.css', 'docs/', 'docs/a/', 'docs/a/b/', 'docs/a/b/deep.txt',
                                              'link-to-folder/', 'link-to-file'})
        self.assertIn('keep.log', before)
        self.assertIn('esc\x1b[31mname', before)
        # On this machine, to the Trash.
        trash = os.path.join(os.environ['XDG_DATA_HOME'], 'Trash', 'files')
        trashed = glob.glob(os.path.join(trash, '*')) + glob.glob(os.path.join(self.local, '..', '.Trash-*', 'files', '*'))
        self.assertTrue(any(os.path.basename(p).startswith('site.css') for p in trashed) or
                        'deleted for good' in result.stdout, result.stdout)
        # The log says where each went, from the line's number, not a word.
        if any(os.path.basename(p).startswith('site.css') for p in trashed):
            self.assertIn('Moved css/site.css to the Trash: gone from the source', result.stdout)
        else:
            self.assertIn('Deleted css/site.css: gone from the source', result.stdout)
        report = cli('report', 'Mirror')
        rows = {row['path']: row['outcome'] for row in csv.DictReader(io.StringIO(report.stdout))}
        for gone in ('css/site.css', 'docs/a/b/deep.txt', 'docs/a/b', 'docs/a', 'docs'):
            self.assertEqual(rows.get(gone), 'deleted', gone)
        self.assertNotIn('keep.log', rows)
        self.assertEqual(tree(outside), {'precious.txt'})
        self.assertFalse(os.path.lexists(os.path.join(dst, 'link-to-folder')))
        self.assertEqual(rows.get('link-to-file'), 'deleted')

    def test_mirror_server_destinations(self):
        src = os.path.join(self.local, 'src')
        shutil.copytree(self.site, src)
        for connector, where in (('Old', f'/{self.id}-ftp'), ('Secure', f'{self.root}/{self.id}-sftp')):
            with self.subTest(connector):
                target = os.path.join(self.root, os.path.basename(where))
                name = f'Mirror {connector}'
                shutil.rmtree(src)
                shutil.copytree(self.site, src)
                self.transfer(name, f'local:{src}', f'{connector}:{where}', '--delete')
                try:
                    self.run_ok(name)
                    self.assertEqual(tree(target), tree(src))
                    shutil.rmtree(os.path.join(src, 'docs'))
                    os.remove(os.path.join(src, 'index.html'))
                    self.run_ok(name)
                    self.assertEqual(tree(target), tree(src))
                    self.verify(name)
                finally:
                    shutil.rmtree(target, ignore_errors=True)

    def test_unlistable_source_deletes_nothing(self):
        dst = os.path.join(self.local, 'mirror')
        self.transfer('Careful', f'Old:/{self.id}', f'local:{dst}', '--delete')
        self.run_ok('Careful')
        before = tree(dst)
        # The FTP user cannot list this folder any more; another is gone.
        os.chmod(os.path.join(self.site, 'docs'), 0)
        os.remove(os.path.join(self.site, 'index.html'))
        result = cli('run', 'Careful')
        self.assertEqual(result.returncode, EXIT_DIFFERS, result.stdout + result.stderr)
        self.assertIn('Deleted nothing', result.stdout)
        self.assertEqual(tree(dst), before)


if __name__ == '__main__':
    unittest.main(verbosity=2)
