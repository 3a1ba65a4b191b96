#!/usr/bin/python3
# test-gio.py: the GNOME Files location connector (type gio) through the
# real GVfs: gvfsd, started by D-Bus activation on the test's private
# session bus (fixtures/ferry-testenv.py --gvfs), mounts
# dav://127.0.0.1:PORT/ of the fixture's Apache with gvfsd-dav, and
# ferry-cli drives it as a user would: FTP → GIO(dav) and GIO(dav) → this
# computer give identical trees (unicode, spaces, reserved characters,
# empty folders), a rerun copies nothing, mirror deletions remove what left
# the source, names from the location are checked like an FTP server's
# (control characters and backslashes refused, nothing written), times are kept where Apache reports them and honestly noted
# as not kept where GVfs cannot set them, a wrong password is exit 3 with
# the wrong-password hint, and the password is in no process's argv (the
# fixture watches every process while the test runs).
#
# Skipped, with the reason, only when gvfsd is not installed or cannot be
# started at all.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import pwd
import random
import re
import shutil
import subprocess
import tempfile
import time
import unittest

CLI = os.environ['FERRY_CLI']
USER = os.environ.get('FERRY_TEST_USER', '')
PASSWORD = os.environ.get('FERRY_TEST_PASSWORD', '')
EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_CONNECT = 0, 1, 2, 3


def cli(*args, password=None, timeout=600):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout,
                          input=None if password is None else password + '\n')


def write(path, data, mtime):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)
    os.utime(path, (mtime, mtime))


def make_tree(root):
    rng = random.Random(24)
    base = int(time.time()) - 400 * 86400
    os.makedirs(os.path.join(root, 'empty'))
    os.makedirs(os.path.join(root, 'Ordner ü', 'leer auch'))
    write(os.path.join(root, 'zero'), b'', base)
    write(os.path.join(root, 'name with spaces.txt'), b'spaces\n', base + 7)
    write(os.path.join(root, 'Grüße – 日本語.txt'), 'ünïcödé\n'.encode(), base + 11)
    write(os.path.join(root, 'Ordner ü', 'a & b #1 %20.txt'), b'reserved characters\n', base + 13)
    # More than 32 files: GVfs 1.50's WebDAV backend stops answering after
    # about 32 moves in a session, so the backend renames instead.
    for i in range(48):
        write(os.path.join(root, f'd{i % 3}', f'f{i:02d}.txt'), rng.randbytes(rng.randrange(0, 9000)),
              base + rng.randrange(0, 300 * 86400))
    write(os.path.join(root, 'bigger.bin'), rng.randbytes(3 * 1024 * 1024 + 17), base + 1234)


def snapshot(root, times=False):
    """{relative path: ('dir',) | ('file', size[, mtime])}, without Apache's .DAV folders."""
    found = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != '.DAV']
        for name in dirs:
            found[os.path.relpath(os.path.join(folder, name), root)] = ('dir',)
        for name in files:
            st = os.lstat(os.path.join(folder, name))
            key = os.path.relpath(os.path.join(folder, name), root)
            found[key] = ('file', st.st_size, int(st.st_mtime)) if times else ('file', st.st_size)
    return found


def same_content(test, a, b):
    for rel, kind in snapshot(a).items():
        if kind[0] == 'file':
            with open(os.path.join(a, rel), 'rb') as f1, open(os.path.join(b, rel), 'rb') as f2:
                test.assertTrue(f1.read() == f2.read(), f'{rel} differs')


def copied(output):
    match = re.search(r'Copied (\d+) files?', output)
    return int(match.group(1)) if match else None


def chown_tree(root, user):
    entry = pwd.getpwnam(user)
    for folder, dirs, files in os.walk(root):
        for name in dirs + files + ['.']:
            os.chown(os.path.join(folder, name), entry.pw_uid, entry.pw_gid)


def gvfsd_problem():
    """Why GVfs's daemon cannot start on this bus, or None when it answers."""
    if not os.environ.get('FERRY_TEST_GVFSD'):
        return 'gvfsd is not installed (Debian: apt-get install gvfs gvfs-daemons gvfs-backends)'
    if not os.path.exists('/usr/libexec/gvfsd-dav'):
        return 'gvfsd-dav is not installed (Debian: apt-get install gvfs-backends)'
    result = subprocess.run(['gdbus', 'call', '--session', '--dest', 'org.gtk.vfs.Daemon',
                             '--object-path', '/org/gtk/vfs/Daemon',
                             '--method', 'org.freedesktop.DBus.Peer.Ping'],
                            capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        return f'gvfsd could not be started by D-Bus activation: {result.stderr.strip()}'
    return None


@unittest.skipUnless(PASSWORD, 'needs the fixture with --ftp --webdav --gvfs --keyring')
class GnomeFilesLocation(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        problem = gvfsd_problem()
        if problem is not None:
            raise unittest.SkipTest(problem)
        cls.top = tempfile.mkdtemp(prefix='ferry-gio-', dir=os.environ['FERRY_TEST_DIR'])
        cls.ftp_site = os.path.join(os.environ['FERRY_TEST_FTP_ROOT'], 'site')
        make_tree(cls.ftp_site)
        chown_tree(cls.ftp_site, USER)
        cls.dav_root = os.environ['FERRY_TEST_WEBDAV_ROOT']
        cls.location = f'dav://127.0.0.1:{os.environ["FERRY_TEST_WEBDAV_PORT"]}/'
        result = cli('connector', 'add', 'ftp', '--server', f'ftp://127.0.0.1:{os.environ["FERRY_TEST_FTP_PORT"]}/',
                     '--user', USER, '--password-stdin', password=PASSWORD)
        assert result.returncode == EXIT_OK, result.stdout + result.stderr
        result = cli('connector', 'add', 'files', '--type', 'gio', '--server', cls.location,
                     '--user', USER, '--password-stdin', password=PASSWORD)
        assert result.returncode == EXIT_OK, result.stdout + result.stderr
        cls.added = result.stdout

    def unmount(self):
        # As a user would with the eject button in GNOME Files.
        subprocess.run(['gio', 'mount', '-u', self.location], capture_output=True, timeout=60)

    def transfer(self, name, source, destination, *extra):
        result = cli('transfer', 'add', name, '--from', source, '--to', destination, *extra)
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)

    def run_ok(self, name):
        result = cli('run', name)
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        return result.stdout

    def test_check_is_step_by_step_and_honest(self):
        self.assertRegex(self.added, r'(✓|ok  ) Reach GVfs')
        self.assertRegex(self.added, r'(✓|ok  ) Open the location')
        self.assertRegex(self.added, r'(✓|ok  ) List the folder')
        self.assertIn('Through GVfs', self.added)
        self.assertIn('slower than a direct connector', self.added)
        # Apache's getlastmodified is a live property: GVfs cannot set it.
        self.assertIn('Times: not kept', self.added)
        listed = cli('connector', 'list', '--json')
        self.assertIn('"gio"', listed.stdout)
        self.assertIn(self.location, listed.stdout)
        self.assertIn(self.location, cli('connector', 'list').stdout)

    def test_ftp_to_gio_then_rerun_verify_and_mirror_deletions(self):
        destination = os.path.join(self.dav_root, 'site')
        self.transfer('to-files', 'ftp:/site', 'files:/site')
        output = self.run_ok('to-files')
        self.assertIn('Modification times are not kept', output)
        self.assertEqual(snapshot(self.ftp_site), snapshot(destination))
        same_content(self, self.ftp_site, destination)
        # Nothing Ferry writes while copying is left behind.
        self.assertFalse([n for n in snapshot(destination) if n.endswith('.ferry-part')])
        rerun = self.run_ok('to-files')
        self.assertEqual(copied(rerun), 0, rerun)
        result = cli('verify', 'to-files')
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)

        moved = os.path.join(self.top, 'moved-away.txt')
        shutil.move(os.path.join(self.ftp_site, 'd1', 'f01.txt'), moved)
        try:
            self.assertEqual(cli('transfer', 'edit', 'to-files', '--delete').returncode, EXIT_OK)
            self.run_ok('to-files')
            self.assertFalse(os.path.exists(os.path.join(destination, 'd1', 'f01.txt')))
            self.assertEqual(snapshot(self.ftp_site), snapshot(destination))
        finally:
            shutil.move(moved, os.path.join(self.ftp_site, 'd1', 'f01.txt'))

    def test_gio_to_local_keeps_times(self):
        served = os.path.join(self.dav_root, 'down')
        shutil.copytree(self.ftp_site, served)
        chown_tree(served, 'www-data')
        local = os.path.join(self.top, 'from-files', 'inside')
        self.transfer('from-files', 'files:/down', f'local:{local}')
        output = self.run_ok('from-files')
        self.assertNotIn('not kept', output)
        self.assertEqual(snapshot(served, times=True), snapshot(local, times=True))
        same_content(self, served, local)
        self.assertEqual(copied(self.run_ok('from-files')), 0)
        result = cli('verify', 'from-files', '--checksum')
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)

    def test_hostile_names_are_refused(self):
        # Names GVfs decodes from the WebDAV answer are checked like an FTP
        # server's: reported and skipped, never written; the rest arrives.
        served = os.path.join(self.dav_root, 'hostile')
        write(os.path.join(served, 'fine.txt'), b'fine\n', 1704164645)
        write(os.path.join(served, 'esc\x1b[31mred'), b'escape\n', 1704164645)
        write(os.path.join(served, 'back\\slash'), b'backslash\n', 1704164645)
        chown_tree(served, 'www-data')
        local = os.path.join(self.top, 'hostile')
        self.transfer('hostile', 'files:/hostile', f'local:{local}')
        result = cli('run', 'hostile')
        self.assertEqual(result.returncode, EXIT_PARTIAL, result.stdout + result.stderr)
        self.assertIn('the name contains a control character', result.stdout + result.stderr)
        self.assertEqual(sorted(os.listdir(local)), ['fine.txt'])

    def test_mounts_again_when_unmounted(self):
        # Ejected in GNOME Files between two runs: the next run mounts it
        # again with the password from the keyring.
        served = os.path.join(self.dav_root, 'again')
        write(os.path.join(served, 'one.txt'), b'one\n', 1704164645)
        chown_tree(served, 'www-data')
        self.unmount()
        local = os.path.join(self.top, 'again')
        self.transfer('again', 'files:/again', f'local:{local}')
        self.run_ok('again')
        with open(os.path.join(local, 'one.txt'), 'rb') as f:
            self.assertEqual(f.read(), b'one\n')

    def test_wrong_password(self):
        # Unmounted first: a location already open in the session is not
        # asked for a password at all.
        self.unmount()
        result = cli('connector', 'add', 'Wrong', '--type', 'gio', '--server', self.location,
                     '--user', USER, '--password-stdin', password='not the password')
        self.assertEqual(result.returncode, EXIT_CONNECT, result.stdout + result.stderr)
        self.assertRegex(result.stdout, r'(✗|FAIL) Open the location')
        self.assertIn('refused the user name or password', result.stdout + result.stderr)
        self.assertIn('Check both and try again', result.stdout)
        self.assertNotIn('Wrong', cli('connector', 'list').stdout)

    def test_pasted_location_sets_the_type(self):
        # A scheme only GVfs knows picks the type; nothing to mount here,
        # so the check stops at opening it, and nothing is saved.
        result = cli('connector', 'add', 'Drive', '--server', 'google-drive://alice@example.com/')
        self.assertEqual(result.returncode, EXIT_CONNECT, result.stdout + result.stderr)
        self.assertRegex(result.stdout, r'(✓|ok  ) Reach GVfs')
        self.assertRegex(result.stdout, r'(✗|FAIL) Open the location')
        self.assertNotIn('Drive', cli('connector', 'list').stdout)
        # A password in the address is refused before anything is sent.
        result = cli('connector', 'add', 'Leak', '--type', 'gio', '--server', 'dav://bob:secret@127.0.0.1/')
        self.assertEqual(result.returncode, EXIT_USAGE, result.stdout + result.stderr)
        self.assertIn('Password field', result.stderr)


if __name__ == '__main__':
    unittest.main(verbosity=2)
