#!/usr/bin/python3
# test-engine.py: `ferry-cli run` copies a real tree and reruns copy only
# what changed — empty folders, 0-byte files, names with spaces and UTF-8,
# ten levels deep, ~500 small files and a large one — compared byte for byte
# and by modification time; a cancelled or killed run leaves nothing
# half-written under a final name and the next run finishes the job; hostile
# names and symbolic links never reach the destination.
#
# Local to local always; FTP (plain and explicit TLS) and SFTP when the
# fixture provides the servers and the connectors can be authorized.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import random
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

CLI = os.environ['FERRY_CLI']
EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2
BIG = 20 * 1024 * 1024
HUGE = 256 * 1024 * 1024   # for cancel and kill: long enough to stop mid-file
PART_SUFFIX = '.ferry-part'


def cli(*args, timeout=300):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout)


def write(path, data, mtime=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def make_tree(root, big=BIG, small=500):
    rng = random.Random(4)
    base = int(time.time()) - 400 * 86400
    os.makedirs(os.path.join(root, 'empty'))
    os.makedirs(os.path.join(root, 'Ordner ü', 'leer auch'))
    write(os.path.join(root, 'zero'), b'', base)
    write(os.path.join(root, 'Ordner ü', 'zero too'), b'', base + 5)
    write(os.path.join(root, 'name with spaces.txt'), b'spaces\n', base + 7)
    write(os.path.join(root, 'Grüße – 日本語.txt'), 'ünïcödé\n'.encode(), base + 11)
    deep = root
    for level in range(1, 11):
        deep = os.path.join(deep, f'level {level}')
        write(os.path.join(deep, f'at-{level}.txt'), f'level {level}\n'.encode(), base + level)
    for i in range(small):
        folder = os.path.join(root, f'd{i % 23:02d}', f'sub{i % 3}')
        write(os.path.join(folder, f'f{i:04d}.txt'), rng.randbytes(rng.randrange(0, 4096)),
              base + rng.randrange(0, 300 * 86400))
    write(os.path.join(root, 'big.bin'), rng.randbytes(big), base + 1234)


def snapshot(root):
    """{relative path: ('dir',) | ('file', size, mtime)} of everything under root."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            found[os.path.relpath(os.path.join(folder, name), root)] = ('dir',)
        for name in files:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            found[os.path.relpath(path, root)] = ('file', st.st_size, int(st.st_mtime))
    return found


def copied_lines(output):
    return sorted(m.group(1) for m in re.finditer(r'(?m)^Copied (.+?)(?: \(resumed at .*\))?$', output)
                  if not re.match(r'\d+ files? \(', m.group(1)))


class Engine(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='ferry-engine-', dir=os.environ.get('FERRY_TEST_DIR'))
        self.src = os.path.join(self.dir, 'source')
        self.dst = os.path.join(self.dir, 'destination', 'inside')
        os.makedirs(self.src)
        self.names = []

    def tearDown(self):
        for name in self.names:
            cli('transfer', 'remove', name)
        shutil.rmtree(self.dir, ignore_errors=True)

    def add(self, name, *extra, src=None, dst=None):
        result = cli('transfer', 'add', name, '--from', f'local:{src or self.src}',
                     '--to', f'local:{dst or self.dst}', *extra)
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)
        self.names.append(name)

    def last_run(self, name):
        result = cli('transfer', 'list', '--json')
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)
        return {t['name']: t for t in json.loads(result.stdout)}[name]['last_run']

    def assertSameTree(self, src=None, dst=None):
        src, dst = src or self.src, dst or self.dst
        a, b = snapshot(src), snapshot(dst)
        self.assertEqual(sorted(a), sorted(b))
        self.assertEqual(a, b, 'sizes and modification times differ')
        for rel, kind in a.items():
            if kind[0] == 'file':
                with open(os.path.join(src, rel), 'rb') as f1, open(os.path.join(dst, rel), 'rb') as f2:
                    self.assertTrue(f1.read() == f2.read(), f'{rel} differs')

    def test_copy_rerun_and_changes(self):
        make_tree(self.src)
        self.add('Site')
        result = cli('run', 'Site')
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        self.assertNotIn('\r', result.stdout, 'no progress line when piped')
        self.assertSameTree()
        n_files = sum(1 for v in snapshot(self.src).values() if v[0] == 'file')
        self.assertGreater(n_files, 500)
        self.assertIn(f'Copied {n_files} files', result.stdout)
        last = self.last_run('Site')
        self.assertEqual(last['state'], 'completed')
        self.assertEqual(last['files_copied'], n_files)

        # A rerun copies nothing.
        result = cli('run', 'Site')
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        self.assertEqual(copied_lines(result.stdout), [])
        self.assertIn(f'Copied 0 files (0 bytes), skipped {n_files}, failed 0', result.stdout)

        # Three changed (content, size or only the time) and one new: exactly those four.
        changed = ['zero', os.path.join('d05', 'sub2', 'f0051.txt'), os.path.join('level 1', 'at-1.txt')]
        write(os.path.join(self.src, changed[0]), b'not empty any more')
        with open(os.path.join(self.src, changed[1]), 'ab') as f:
            f.write(b'!')
        os.utime(os.path.join(self.src, changed[2]), (time.time() - 60, time.time() - 60))
        write(os.path.join(self.src, 'Ordner ü', 'neu.txt'), b'new\n')
        result = cli('run', 'Site')
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        self.assertEqual(copied_lines(result.stdout),
                         sorted(changed + [os.path.join('Ordner ü', 'neu.txt')]))
        self.assertSameTree()

        # The log of the latest run is there, and says the same.
        log = cli('log', 'Site')
        self.assertEqual(log.returncode, EXIT_OK, log.stderr)
        self.assertIn('Completed', log.stdout.splitlines()[0])
        self.assertIn('Copied 4 files', log.stdout)

    def test_hostile_names_and_links(self):
        write(os.path.join(self.src, 'good.txt'), b'good')
        write(os.path.join(self.src, 'back\\slash'), b'evil')
        write(os.path.join(self.src, 'new\nline'), b'evil')
        write(os.path.join(self.src, 'ctrl\x01char'), b'evil')
        write(os.path.join(self.src, 'inner', 'target.txt'), b'inner')
        os.symlink('/etc/passwd', os.path.join(self.src, 'outside-link'))
        os.symlink('inner/target.txt', os.path.join(self.src, 'inside-link'))
        os.symlink('..', os.path.join(self.src, 'inner', 'up'))
        self.add('Hostile')
        result = cli('run', 'Hostile')
        self.assertEqual(result.returncode, EXIT_PARTIAL, result.stdout + result.stderr)
        self.assertIn('failed 3', result.stdout)
        self.assertEqual(sorted(snapshot(self.dst)),
                         ['good.txt', 'inner', os.path.join('inner', 'target.txt')])
        # The refused names appear escaped, one line each, never raw.
        self.assertRegex(result.stdout, r'(?mi)^error: .*back\\x5cslash')
        self.assertRegex(result.stdout, r'(?mi)^error: .*ctrl\\x01char')
        self.assertRegex(result.stdout, r'(?mi)^error: .*new\\x0aline')
        self.assertNotIn('new\nline', result.stdout)
        self.assertRegex(result.stdout, r'outside-link: symbolic link not followed')
        self.assertEqual(self.last_run('Hostile')['state'], 'completed-with-errors')
        # Nothing beside the destination folder either.
        self.assertEqual(sorted(os.listdir(os.path.dirname(self.dst))), ['inside'])

    def interrupt(self, name, how):
        """Starts `run`, stops it in the middle of the huge file, then sends
        `how`. Returns the exit code and output; None when the copy finished
        before it could be stopped."""
        part = os.path.join(self.dst, '.huge.bin' + PART_SUFFIX)
        final = os.path.join(self.dst, 'huge.bin')
        proc = subprocess.Popen([CLI, 'run', name], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 60
        def started():
            try:
                return os.path.getsize(part) > 0
            except OSError:
                return False
        while not started() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.0005)
        proc.send_signal(signal.SIGSTOP)
        mid_file = started() and not os.path.exists(final) and os.path.getsize(part) < HUGE
        proc.send_signal(how)
        proc.send_signal(signal.SIGCONT)
        output, _ = proc.communicate(timeout=60)
        return (proc.returncode, output) if mid_file else None

    def huge_tree(self):
        make_tree(self.src, big=1024, small=40)
        with open(os.path.join(self.src, 'huge.bin'), 'wb') as f:
            f.write(os.urandom(HUGE))

    def assertNothingHalfWritten(self):
        for rel, kind in snapshot(self.dst).items():
            if kind[0] == 'file' and not rel.endswith(PART_SUFFIX):
                with open(os.path.join(self.src, rel), 'rb') as f1, open(os.path.join(self.dst, rel), 'rb') as f2:
                    self.assertTrue(f1.read() == f2.read(), f'{rel} is under its final name but differs')

    def test_cancel_then_rerun(self):
        self.huge_tree()
        self.add('Cancel', '--parallel', '2')
        for attempt in range(5):
            outcome = self.interrupt('Cancel', signal.SIGINT)
            if outcome is not None:
                break
            shutil.rmtree(self.dst)
        else:
            self.skipTest('the copy was always faster than the test could stop it')
        code, output = outcome
        self.assertEqual(code, 130, output)
        self.assertIn('Cancelled', output)
        self.assertNothingHalfWritten()
        self.assertTrue(os.path.exists(os.path.join(self.dst, '.huge.bin' + PART_SUFFIX)))
        self.assertEqual(self.last_run('Cancel')['state'], 'cancelled')

        result = cli('run', 'Cancel')
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        self.assertSameTree()
        self.assertIn('huge.bin', copied_lines(result.stdout))

    def test_kill_then_rerun(self):
        self.huge_tree()
        self.add('Killed', '--parallel', '3')
        for attempt in range(5):
            outcome = self.interrupt('Killed', signal.SIGKILL)
            if outcome is not None:
                break
            shutil.rmtree(self.dst)
        else:
            self.skipTest('the copy was always faster than the test could stop it')
        code, _ = outcome
        self.assertEqual(code, -signal.SIGKILL)
        self.assertNothingHalfWritten()
        # The history is readable and says what happened.
        self.assertEqual(self.last_run('Killed')['state'], 'interrupted')
        log = cli('log', 'Killed')
        self.assertEqual(log.returncode, EXIT_OK, log.stderr)
        self.assertIn('Interrupted', log.stdout.splitlines()[0])

        result = cli('run', 'Killed')
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        self.assertSameTree()
        self.assertRegex(result.stdout, r'Copied huge\.bin \(resumed at ')
        self.assertEqual(self.last_run('Killed')['state'], 'completed')


def ftp_root():
    return os.environ['FERRY_TEST_FTP_ROOT']


def chown_tree(root):
    """Files made here as root must belong to the FTP user for the server to write."""
    import pwd
    user = pwd.getpwnam(os.environ['FERRY_TEST_USER'])
    for folder, dirs, files in os.walk(root):
        os.chown(folder, user.pw_uid, user.pw_gid)
        for name in dirs + files:
            os.lchown(os.path.join(folder, name), user.pw_uid, user.pw_gid)


def add_connector(name, kind):
    ports = {'ftp': 'FERRY_TEST_FTP_PORT', 'ftps-explicit': 'FERRY_TEST_FTPS_PORT',
             'sftp': 'FERRY_TEST_SFTP_PORT'}
    extra = []
    if kind == 'ftps-explicit':
        extra = ['--trust', os.environ['FERRY_TEST_CERT_SHA256']]
    elif kind == 'sftp':
        extra = ['--trust', os.environ['FERRY_TEST_SSH_HOSTKEY_SHA256']]
    result = subprocess.run([CLI, 'connector', 'add', name, '--type', kind, '--server', '127.0.0.1',
                             '--port', os.environ[ports[kind]], '--user', os.environ['FERRY_TEST_USER'],
                             '--password-stdin', *extra],
                            input=os.environ['FERRY_TEST_PASSWORD'] + '\n',
                            capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stdout + result.stderr


@unittest.skipUnless(os.environ.get('FERRY_TEST_FTP_PORT') and os.environ.get('FERRY_TEST_SFTP_PORT'),
                     'needs the fixture with --ftp --sftp --keyring')
class Remote(unittest.TestCase):
    """The same tree through real servers: what arrives is compared on disk."""

    @classmethod
    def setUpClass(cls):
        for name, kind in (('Plain', 'ftp'), ('Explicit', 'ftps-explicit'), ('Secure', 'sftp')):
            add_connector(name, kind)
        cls.tree = os.path.join(ftp_root(), 'site')
        make_tree(cls.tree, big=200 * 1024 * 1024)   # the 200 MiB file, every flavour
        chown_tree(cls.tree)
        cls.names = []

    def setUp(self):
        self.local = tempfile.mkdtemp(prefix='ferry-remote-', dir=os.environ.get('FERRY_TEST_DIR'))

    def tearDown(self):
        shutil.rmtree(self.local, ignore_errors=True)

    def transfer(self, name, source, destination):
        result = cli('transfer', 'add', name, '--from', source, '--to', destination)
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)

    def run_twice(self, name, src_dir, dst_dir, exact_times=True):
        started = time.monotonic()
        result = cli('run', name)
        elapsed = time.monotonic() - started
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        a, b = snapshot(src_dir), snapshot(dst_dir)
        self.assertEqual(sorted(a), sorted(b))
        for rel, kind in a.items():
            if kind[0] != 'file':
                continue
            self.assertEqual(kind[1], b[rel][1], f'{rel}: size')
            if exact_times:
                self.assertEqual(kind[2], b[rel][2], f'{rel}: modification time')
            with open(os.path.join(src_dir, rel), 'rb') as f1, open(os.path.join(dst_dir, rel), 'rb') as f2:
                self.assertTrue(f1.read() == f2.read(), f'{rel} differs')
        rerun = cli('run', name)
        self.assertEqual(rerun.returncode, EXIT_OK, rerun.stdout + rerun.stderr)
        self.assertEqual(copied_lines(rerun.stdout), [], 'a rerun copies nothing')
        print(f'\n  {name}: first run {elapsed:.2f} s', flush=True)
        return elapsed

    def test_ftp_to_local(self):
        self.transfer('FTP down', 'Plain:/site', f'local:{self.local}/d')
        self.run_twice('FTP down', self.tree, f'{self.local}/d')

    def test_local_to_ftp(self):
        self.transfer('FTP up', f'local:{self.tree}', 'Plain:/up')
        self.run_twice('FTP up', self.tree, os.path.join(ftp_root(), 'up'))

    def test_ftp_to_ftps(self):
        self.transfer('Plain to TLS', 'Plain:/site', 'Explicit:/tls-copy')
        self.run_twice('Plain to TLS', self.tree, os.path.join(ftp_root(), 'tls-copy'))

    def test_sftp_both_ways(self):
        # SFTP paths are the server's own: absolute, not under a chroot.
        self.transfer('SFTP up', f'local:{self.tree}', f'Secure:{ftp_root()}/sftp-up')
        self.run_twice('SFTP up', self.tree, os.path.join(ftp_root(), 'sftp-up'))
        self.transfer('SFTP down', f'Secure:{self.tree}', f'local:{self.local}/s')
        self.run_twice('SFTP down', self.tree, f'{self.local}/s')


if __name__ == '__main__':
    unittest.main(verbosity=2)
