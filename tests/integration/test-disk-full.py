#!/usr/bin/python3
# test-disk-full.py: the destination fills up mid-run (a 2 MiB tmpfs) —
# `ferry-cli run` stops with a clear "no space" error, the run is recorded
# as failed, no partial file sits under a final name, the source is
# untouched, and once there is room a rerun completes the same tree.
#
# Local to local always; FTP (the fixture's vsftpd) to local when the
# fixture provides it. Mounting needs root (CI runs as root): elsewhere the
# test is skipped with a message.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import hashlib
import json
import os
import pwd
import random
import shutil
import subprocess
import tempfile
import unittest

CLI = os.environ['FERRY_CLI']
EXIT_OK, EXIT_PARTIAL = 0, 1
MIB = 1024 * 1024


def cli(*args, timeout=120, **kwargs):
    return subprocess.run([CLI, *args], capture_output=True, text=True, errors='replace',
                          timeout=timeout, **kwargs)


def digest_tree(root):
    """{relative path: sha256} of every file under root."""
    found = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, 'rb') as f:
                found[os.path.relpath(path, root)] = hashlib.sha256(f.read()).hexdigest()
    return found


def make_source(root):
    rng = random.Random(7)
    os.makedirs(os.path.join(root, 'docs'))
    files = {'a.txt': rng.randbytes(3000), 'docs/b.txt': rng.randbytes(70000),
             'docs/c.txt': b'', 'big.bin': rng.randbytes(3 * MIB), 'z.txt': rng.randbytes(1000)}
    for rel, data in files.items():
        with open(os.path.join(root, rel), 'wb') as f:
            f.write(data)


class DiskFull(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='ferry-full-', dir=os.environ.get('FERRY_TEST_DIR'))
        self.mount = os.path.join(self.dir, 'small')
        os.makedirs(self.mount)
        result = subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=2m,mode=0755', 'ferry-test', self.mount],
                                capture_output=True, text=True)
        if result.returncode != 0:
            os.rmdir(self.mount)
            self.skipTest(f'cannot mount a tmpfs here ({result.stderr.strip() or "not root"}): '
                          'the disk-full case needs root, as in CI')
        self.mounted = True
        self.names = []

    def tearDown(self):
        for name in self.names:
            cli('transfer', 'remove', name)
        if getattr(self, 'mounted', False):
            subprocess.run(['umount', self.mount], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)

    def last_run(self, name):
        result = cli('transfer', 'list', '--json')
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)
        return {t['name']: t for t in json.loads(result.stdout)}[name]['last_run']

    def fill_and_recover(self, name, source, source_dir):
        destination = os.path.join(self.mount, 'dest')
        before = digest_tree(source_dir)
        result = cli('transfer', 'add', name, '--from', source, '--to', f'local:{destination}')
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)
        self.names.append(name)

        result = cli('run', name)
        output = result.stdout + result.stderr
        self.assertIn(result.returncode, (EXIT_PARTIAL,), output)
        self.assertRegex(output, r'(?i)(no space|disk full|full)', 'a clear reason')
        self.assertNotIn('CRITICAL', output)
        self.assertEqual(self.last_run(name)['state'], 'failed', output)
        log = cli('log', name)
        self.assertRegex(log.stdout, r'(?i)no space', log.stdout)

        # Under a final name only whole, identical files; big.bin is not one of them.
        arrived = digest_tree(destination) if os.path.isdir(destination) else {}
        for rel, sha in arrived.items():
            if os.path.basename(rel).endswith('.ferry-part'):
                continue
            self.assertIn(rel, before, f'{rel}: not a source file')
            self.assertEqual(sha, before[rel], f'{rel}: a partial or different file under its final name')
        self.assertNotIn('big.bin', arrived)
        # Nothing lost: the source is as it was.
        self.assertEqual(digest_tree(source_dir), before)

        # With room again, a rerun finishes the job.
        subprocess.run(['mount', '-o', 'remount,size=16m', self.mount], check=True)
        result = cli('run', name)
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        self.assertEqual(digest_tree(destination), before)
        self.assertEqual(self.last_run(name)['state'], 'completed')

    def test_local_to_full_disk(self):
        source = os.path.join(self.dir, 'source')
        make_source(source)
        self.fill_and_recover('Full local', f'local:{source}', source)

    @unittest.skipUnless(os.environ.get('FERRY_TEST_FTP_PORT') and os.environ.get('FERRY_TEST_PASSWORD'),
                         'needs the fixture with --ftp --keyring')
    def test_ftp_to_full_disk(self):
        root = os.environ['FERRY_TEST_FTP_ROOT']
        source = os.path.join(root, 'full-site')
        make_source(source)
        user = pwd.getpwnam(os.environ['FERRY_TEST_USER'])
        for folder, dirs, files in os.walk(source):
            for name in [folder] + [os.path.join(folder, n) for n in dirs + files]:
                os.chown(name, user.pw_uid, user.pw_gid)
        result = cli('connector', 'add', 'Full FTP', '--type', 'ftp', '--server', '127.0.0.1',
                     '--port', os.environ['FERRY_TEST_FTP_PORT'], '--user', os.environ['FERRY_TEST_USER'],
                     '--password-stdin', input=os.environ['FERRY_TEST_PASSWORD'] + '\n', timeout=90)
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        try:
            self.fill_and_recover('Full FTP', 'Full FTP:/full-site', source)
        finally:
            cli('connector', 'remove', 'Full FTP')
            shutil.rmtree(source, ignore_errors=True)


if __name__ == '__main__':
    unittest.main(verbosity=2)
