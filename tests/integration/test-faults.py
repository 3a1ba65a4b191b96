#!/usr/bin/python3
# test-faults.py: migrations through a relay that cuts connections
# (tests/fixtures/fault-relay.py) still end with every file byte-identical,
# without anyone stepping in: control connections cut mid-command, data
# connections cut mid-file, a 200 MiB file that arrives only through
# several resumes (REST for downloads, APPE for uploads, the SFTP equivalents).
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

CLI = os.environ['FERRY_CLI']
RELAY = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'fault-relay.py')
BIG = 200 * 1024 * 1024


def cli(*args, input_text=None, timeout=600):
    return subprocess.run([CLI, *args], input=input_text, capture_output=True, text=True, timeout=timeout)


def make_tree(root, small=500, big=False):
    rng = random.Random(7)
    base = int(time.time()) - 100 * 86400
    for i in range(small):
        folder = os.path.join(root, f'd{i % 17:02d}')
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f'f{i:04d}.bin')
        with open(path, 'wb') as f:
            f.write(rng.randbytes(rng.randrange(0, 8192)))
        os.utime(path, (base + i * 37, base + i * 37))
    if big:
        path = os.path.join(root, 'big.bin')
        with open(path, 'wb') as f:
            for _ in range(BIG // (8 * 1024 * 1024)):
                f.write(rng.randbytes(8 * 1024 * 1024))
        os.utime(path, (base, base))


def chown_tree(root):
    import pwd
    user = pwd.getpwnam(os.environ['FERRY_TEST_USER'])
    for folder, dirs, files in os.walk(root):
        os.chown(folder, user.pw_uid, user.pw_gid)
        for name in files:
            os.chown(os.path.join(folder, name), user.pw_uid, user.pw_gid)


def same_tree(test, a, b):
    found_a, found_b = [], []
    for root, found in ((a, found_a), (b, found_b)):
        for folder, dirs, files in os.walk(root):
            for name in files:
                found.append(os.path.relpath(os.path.join(folder, name), root))
    test.assertEqual(sorted(found_a), sorted(found_b))
    for rel in found_a:
        pa, pb = os.path.join(a, rel), os.path.join(b, rel)
        test.assertEqual(os.path.getsize(pa), os.path.getsize(pb), rel)
        with open(pa, 'rb') as fa, open(pb, 'rb') as fb:
            while True:
                ca, cb = fa.read(1 << 20), fb.read(1 << 20)
                test.assertTrue(ca == cb, f'{rel} differs')
                if not ca:
                    break
        test.assertEqual(int(os.path.getmtime(pa)), int(os.path.getmtime(pb)), f'{rel}: time')


class Relay:
    def __init__(self, target, *options):
        self.stderr = tempfile.TemporaryFile(mode='w+')
        self.proc = subprocess.Popen([sys.executable, RELAY, '--target', str(target), *options],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr, text=True)
        self.port = int(self.proc.stdout.readline())

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
        self.stderr.seek(0)
        return self.stderr.read()

    def cuts(self):
        self.stderr.flush()
        self.stderr.seek(0)
        return len(re.findall(r'^cut ', self.stderr.read(), re.M))


@unittest.skipUnless(os.environ.get('FERRY_TEST_FTP_PORT') and os.environ.get('FERRY_TEST_SFTP_PORT'),
                     'needs the fixture with --ftp --sftp --keyring')
class Faults(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.source = os.path.join(os.environ['FERRY_TEST_FTP_ROOT'], 'flaky')
        make_tree(cls.source, big=True)
        chown_tree(cls.source)

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='ferry-faults-', dir=os.environ.get('FERRY_TEST_DIR'))
        self.names = []
        self.relays = []

    def tearDown(self):
        for relay in self.relays:
            relay.stop()
        for kind, name in self.names:
            cli(kind, 'remove', name)
        shutil.rmtree(self.dir, ignore_errors=True)

    def relay(self, target, *options):
        relay = Relay(target, *options)
        self.relays.append(relay)
        return relay

    def connector(self, name, kind, port):
        extra = ['--trust', os.environ['FERRY_TEST_SSH_HOSTKEY_SHA256']] if kind == 'sftp' else []
        result = cli('connector', 'add', name, '--type', kind, '--server', '127.0.0.1',
                     '--port', str(port), '--user', os.environ['FERRY_TEST_USER'], '--password-stdin',
                     *extra, input_text=os.environ['FERRY_TEST_PASSWORD'] + '\n', timeout=120)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.names.append(('connector', name))

    def transfer(self, name, source, destination):
        result = cli('transfer', 'add', name, '--from', source, '--to', destination)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.names.append(('transfer', name))

    def run_until_done(self, name):
        result = cli('run', name)
        self.assertEqual(result.returncode, 0, result.stdout[-3000:] + result.stderr)
        return result.stdout

    def test_far_server_workers_log_in_after_the_walk(self):
        # Over a far link (control replies held 25 ms each way) the workers
        # open their connections while the walk logs in, and each holds its
        # password until the walk's login passed: one PASS before the first
        # 230, and more than one user name. A password the server no longer
        # takes fails the run at the walk's login with exit 3, and the
        # server sees one PASS, not one per connection.
        relay = self.relay(os.environ['FERRY_TEST_FTP_PORT'], '--ftp', '--delay-ms', '25')
        source = os.path.join(os.environ['FERRY_TEST_FTP_ROOT'], 'far')
        make_tree(source, small=40)
        chown_tree(source)
        self.connector('Far', 'ftp', relay.port)
        dest = os.path.join(self.dir, 'far')
        self.transfer('Far', 'Far:/far', f'local:{dest}')
        env = dict(os.environ, G_MESSAGES_DEBUG='Ferry')

        def protocol(result):
            lines = [re.sub(r'^.*?: ([<>] )', r'\1', line) for line in result.stderr.splitlines()]
            return [line for line in lines if line[:2] in ('> ', '< ')]

        result = subprocess.run([CLI, 'run', 'Far'], capture_output=True, text=True, env=env, timeout=300)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr[-3000:])
        lines = protocol(result)
        first = next(i for i, line in enumerate(lines) if line.startswith('< 230'))
        before = lines[:first]
        self.assertEqual(len([line for line in before if line.startswith('> PASS')]), 1, '\n'.join(lines))
        self.assertGreaterEqual(len([line for line in before if line.startswith('> USER')]), 2, '\n'.join(lines))
        self.assertGreaterEqual(len([line for line in lines if line.startswith('< 230')]), 2, '\n'.join(lines))
        same_tree(self, source, dest)

        user = os.environ['FERRY_TEST_USER']
        password = os.environ['FERRY_TEST_PASSWORD']
        subprocess.run(['chpasswd'], input=f'{user}:changed-{password}\n', text=True, check=True)
        try:
            result = subprocess.run([CLI, 'run', 'Far'], capture_output=True, text=True, env=env, timeout=300)
        finally:
            subprocess.run(['chpasswd'], input=f'{user}:{password}\n', text=True, check=True)
        self.assertEqual(result.returncode, 3, result.stdout + result.stderr[-3000:])
        lines = protocol(result)
        self.assertEqual(len([line for line in lines if line.startswith('> PASS')]), 1, '\n'.join(lines))
        self.assertNotIn(password, result.stdout + result.stderr)

    def test_ftp_download_through_cuts(self):
        # A fifth of the connections cut after 100 B–6 KiB: small files
        # mid-file, the big one many times over, control connections
        # mid-command.
        relay = self.relay(os.environ['FERRY_TEST_FTP_PORT'], '--ftp', '--seed', '11',
                           '--cut-data', '100:6K', '--cut-share', '0.2',
                           '--cut-control', '1K:8K')
        self.connector('Flaky FTP', 'ftp', relay.port)
        destination = os.path.join(self.dir, 'down')
        self.transfer('Flaky down', 'Flaky FTP:/flaky', f'local:{destination}')
        output = self.run_until_done('Flaky down')
        same_tree(self, self.source, destination)
        self.assertGreater(relay.cuts(), 20, 'the relay cut connections')
        self.assertIn('trying again', output)
        self.assertEqual(sorted(n for n in os.listdir(os.path.join(destination, 'd00')) if 'ferry-part' in n), [])

    def test_ftp_big_file_resumes_both_ways(self):
        relay = self.relay(os.environ['FERRY_TEST_FTP_PORT'], '--ftp', '--seed', '5',
                           '--cut-data', '20M:60M')
        self.connector('Cutting FTP', 'ftp', relay.port)
        only_big = os.path.join(self.dir, 'only-big')
        os.makedirs(only_big)
        os.link(os.path.join(self.source, 'big.bin'), os.path.join(only_big, 'big.bin'))

        # Download: REST.
        destination = os.path.join(self.dir, 'big-down')
        self.transfer('Big down', 'Cutting FTP:/flaky', f'local:{destination}')
        output = self.run_until_done('Big down')
        same_tree(self, self.source, destination)
        self.assertRegex(output, r'Copied big\.bin \(resumed at ')

        # Upload: APPE onto the part already there.
        self.transfer('Big up', f'local:{only_big}', 'Cutting FTP:/big-up')
        output = self.run_until_done('Big up')
        same_tree(self, only_big, os.path.join(os.environ['FERRY_TEST_FTP_ROOT'], 'big-up'))
        self.assertRegex(output, r'Copied big\.bin \(resumed at ')
        self.assertGreaterEqual(relay.cuts(), 6)

    def test_sftp_through_cuts(self):
        relay = self.relay(os.environ['FERRY_TEST_SFTP_PORT'], '--seed', '3', '--cut-data', '30M:90M')
        self.connector('Flaky SFTP', 'sftp', relay.port)
        destination = os.path.join(self.dir, 'sftp-down')
        self.transfer('Flaky SFTP down', f'Flaky SFTP:{self.source}', f'local:{destination}')
        output = self.run_until_done('Flaky SFTP down')
        same_tree(self, self.source, destination)
        self.assertGreater(relay.cuts(), 0)
        self.assertRegex(output, r'Copied big\.bin \(resumed at ')


if __name__ == '__main__':
    unittest.main(verbosity=2)
