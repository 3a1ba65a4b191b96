#!/usr/bin/python3
# test-webdav.py: WebDAV connectors against real servers (Apache mod_dav
# over HTTP and HTTPS, rclone serve webdav) and a hostile one
# (fixtures/hostile-webdav.py), through ferry-cli as a user would: FTP →
# WebDAV and WebDAV → this computer give identical trees (unicode, spaces,
# empty folders, a 30 MB file), a rerun copies nothing, verify and verify
# --checksum agree, mirror deletions remove what left the source, a download
# cut again and again resumes with Range, a wrong
# password is exit 3 with the wrong-password hint, a web site is told
# apart, and hostile hrefs, an oversized answer and a stall write nothing
# outside the destination.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import pwd
import random
import re
import resource
import shutil
import subprocess
import tempfile
import time
import unittest

CLI = os.environ['FERRY_CLI']
USER = os.environ.get('FERRY_TEST_USER', '')
PASSWORD = os.environ.get('FERRY_TEST_PASSWORD', '')
EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_CONNECT = 0, 1, 2, 3
BIG = 30 * 1024 * 1024
HOSTILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'hostile-webdav.py')
RELAY = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'fault-relay.py')


def cli(*args, password=None, timeout=600, env=None):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout,
                          input=None if password is None else password + '\n', env=env)


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
    for i in range(40):
        write(os.path.join(root, f'd{i % 4}', f'f{i:02d}.txt'), rng.randbytes(rng.randrange(0, 9000)),
              base + rng.randrange(0, 300 * 86400))
    write(os.path.join(root, 'big.bin'), rng.randbytes(BIG), base + 1234)


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


def add_connector(name, url, *extra, password=PASSWORD, user=USER):
    return cli('connector', 'add', name, '--server', url, '--user', user, '--password-stdin', *extra,
               password=password)


@unittest.skipUnless(PASSWORD, 'needs the fixture with --ftp --webdav --rclone-webdav --keyring')
class Webdav(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.top = tempfile.mkdtemp(prefix='ferry-webdav-', dir=os.environ['FERRY_TEST_DIR'])
        cls.ftp_site = os.path.join(os.environ['FERRY_TEST_FTP_ROOT'], 'site')
        make_tree(cls.ftp_site)
        entry = pwd.getpwnam(USER)
        for folder, dirs, files in os.walk(cls.ftp_site):
            for name in dirs + files + ['.']:
                os.chown(os.path.join(folder, name), entry.pw_uid, entry.pw_gid)
        cls.dav_root = os.environ['FERRY_TEST_WEBDAV_ROOT']
        cls.rclone_root = os.environ['FERRY_TEST_RCLONE_WEBDAV_ROOT']
        for name, url in (('ftp', f'ftp://127.0.0.1:{os.environ["FERRY_TEST_FTP_PORT"]}/'),
                          ('dav', f'http://127.0.0.1:{os.environ["FERRY_TEST_WEBDAV_PORT"]}/'),
                          ('rc', f'http://127.0.0.1:{os.environ["FERRY_TEST_RCLONE_WEBDAV_PORT"]}/')):
            result = add_connector(name, url)
            assert result.returncode == EXIT_OK, f'{name}: {result.stdout}{result.stderr}'

    def transfer(self, name, source, destination, *extra):
        result = cli('transfer', 'add', name, '--from', source, '--to', destination, *extra)
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)

    def run_ok(self, name):
        result = cli('run', name)
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        return result.stdout

    def check_round(self, name, destination_root):
        """Copies, compares, reruns, verifies; the server keeps no times."""
        output = self.run_ok(name)
        self.assertIn('Modification times are not kept', output)
        self.assertEqual(snapshot(self.ftp_site), snapshot(destination_root))
        same_content(self, self.ftp_site, destination_root)
        rerun = self.run_ok(name)
        self.assertEqual(copied(rerun), 0, rerun)
        for args in ((), ('--checksum',)):
            result = cli('verify', name, *args)
            self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)

    def test_ftp_to_apache_then_mirror_deletions(self):
        self.transfer('to-apache', 'ftp:/site', 'dav:/site')
        self.check_round('to-apache', os.path.join(self.dav_root, 'site'))

        # Gone from the source: removed at the destination with --delete.
        moved = os.path.join(self.top, 'moved-away.txt')
        shutil.move(os.path.join(self.ftp_site, 'd1', 'f01.txt'), moved)
        try:
            self.assertEqual(cli('transfer', 'edit', 'to-apache', '--delete').returncode, EXIT_OK)
            self.run_ok('to-apache')
            self.assertFalse(os.path.exists(os.path.join(self.dav_root, 'site', 'd1', 'f01.txt')))
            self.assertEqual(snapshot(self.ftp_site), snapshot(os.path.join(self.dav_root, 'site')))
            self.assertEqual(cli('verify', 'to-apache').returncode, EXIT_OK)
        finally:
            shutil.move(moved, os.path.join(self.ftp_site, 'd1', 'f01.txt'))

    def test_ftp_to_rclone(self):
        self.transfer('to-rclone', 'ftp:/site', 'rc:/site')
        self.check_round('to-rclone', os.path.join(self.rclone_root, 'site'))

    def access_log_lines(self, prefix):
        """Apache's log lines [method, status, mtime=, checksum=, path] under `prefix`."""
        with open(os.environ['FERRY_TEST_WEBDAV_ACCESS_LOG']) as f:
            lines = [line.rstrip('\n').split(' ', 4) for line in f]
        return [line for line in lines if line[4].startswith(prefix)]

    def test_time_goes_with_the_put(self):
        # Each upload carries the source's time as X-OC-Mtime (what Nextcloud
        # and ownCloud keep). Apache does not take it (no "X-OC-MTime:
        # accepted"), so the PROPPATCH fallback is still tried, and the
        # times-not-kept warning still comes. No server here honours the
        # header: the skipped PROPPATCH is not exercised by a real server.
        # The capability line says what Apache does with times and hashes.
        result = cli('connector', 'test', 'dav')
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        self.assertIn('Times: tried at the first copy (X-OC-Mtime, then PROPPATCH)', result.stdout)
        self.assertIn('Checksums: no (verification reads both sides)', result.stdout)

        local_site = os.path.join(self.top, 'hint-source')
        shutil.copytree(self.ftp_site, local_site)
        self.transfer('hinted-local', f'local:{local_site}', 'dav:/hinted-local')
        output = self.run_ok('hinted-local')
        self.assertIn('Modification times are not kept', output)
        self.assertEqual(snapshot(local_site), snapshot(os.path.join(self.dav_root, 'hinted-local')))
        lines = self.access_log_lines('/hinted-local/')
        puts = [line for line in lines if line[0] == 'PUT']
        times = sorted(int(os.stat(os.path.join(folder, name)).st_mtime)
                       for folder, dirs, files in os.walk(local_site) for name in files)
        self.assertEqual(len(puts), len(times), lines)
        self.assertEqual(sorted(int(line[2].removeprefix('mtime=')) for line in puts), times)
        # Apache is no Nextcloud: no hash is worked out for it, none is sent.
        self.assertEqual({line[3] for line in puts}, {'checksum=-'})
        self.assertTrue(any(line[0] == 'PROPPATCH' for line in lines), lines)

        # Server to server (the pipe): the FTP listing's time goes too.
        self.transfer('hinted-ftp', 'ftp:/site', 'dav:/hinted-ftp')
        self.run_ok('hinted-ftp')
        puts = [line for line in self.access_log_lines('/hinted-ftp/') if line[0] == 'PUT']
        self.assertEqual(len(puts), len(times))
        for line in puts:
            self.assertRegex(line[2], r'^mtime=\d+$')

    def test_webdav_to_local(self):
        # Apache reports the files' own times: they arrive as they were.
        served = os.path.join(self.dav_root, 'down')
        shutil.copytree(self.ftp_site, served)
        www = pwd.getpwnam('www-data')
        for folder, dirs, files in os.walk(served):
            for name in dirs + files + ['.']:
                os.chown(os.path.join(folder, name), www.pw_uid, www.pw_gid)
        local = os.path.join(self.top, 'from-dav', 'inside')
        self.transfer('from-dav', 'dav:/down', f'local:{local}')
        output = self.run_ok('from-dav')
        self.assertNotIn('not kept', output)
        self.assertEqual(snapshot(served, times=True), snapshot(local, times=True))
        same_content(self, served, local)
        self.assertEqual(copied(self.run_ok('from-dav')), 0)
        self.assertEqual(cli('verify', 'from-dav', '--checksum').returncode, EXIT_OK)

    def test_download_resumes_after_cut_connections(self):
        # Every connection through the relay is cut after 4 to 8 MB: the
        # 30 MB file arrives in pieces, each GET resuming with Range.
        served = os.path.join(self.dav_root, 'cut')
        os.makedirs(served)
        shutil.copy2(os.path.join(self.ftp_site, 'big.bin'), served)
        www = pwd.getpwnam('www-data')
        for path in (served, os.path.join(served, 'big.bin')):
            os.chown(path, www.pw_uid, www.pw_gid)
        relay = subprocess.Popen(['/usr/bin/python3', RELAY, '--target', os.environ['FERRY_TEST_WEBDAV_PORT'],
                                  '--cut-data', '4M:8M'], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        try:
            port = int(relay.stdout.readline())
            result = add_connector('Flaky', f'http://127.0.0.1:{port}/')
            self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
            local = os.path.join(self.top, 'after-cuts')
            self.transfer('cut', 'Flaky:/cut', f'local:{local}')
            output = self.run_ok('cut')
        finally:
            relay.stdin.close()
            relay.wait(timeout=10)
            cuts = relay.stderr.read()
            relay.stdout.close()
            relay.stderr.close()
        self.assertGreaterEqual(len(re.findall(r'(?m)^cut ', cuts)), 3, cuts)
        self.assertIn('resumed at', output)
        self.assertEqual(snapshot(served, times=True), snapshot(local, times=True))
        same_content(self, served, local)

    def test_wrong_password(self):
        result = add_connector('Wrong', f'http://127.0.0.1:{os.environ["FERRY_TEST_WEBDAV_PORT"]}/',
                               password='not the password')
        self.assertEqual(result.returncode, EXIT_CONNECT, result.stdout + result.stderr)
        self.assertRegex(result.stdout, r'✗ Log in|FAIL Log in')
        self.assertIn('refused the user name or password', result.stdout + result.stderr)
        self.assertNotIn('Wrong', cli('connector', 'list').stdout)

    def test_web_site_is_told_apart(self):
        result = add_connector('Site', f'http://127.0.0.1:{os.environ["FERRY_TEST_WEBSITE_PORT"]}/')
        self.assertEqual(result.returncode, EXIT_CONNECT, result.stdout + result.stderr)
        self.assertIn('web site, not a WebDAV folder', result.stdout)
        self.assertIn('/remote.php/dav/files/USER/', result.stdout)

    def test_webdavs_certificate_shown_then_pinned(self):
        url = f'https://127.0.0.1:{os.environ["FERRY_TEST_WEBDAVS_PORT"]}/'
        result = add_connector('Secure', url)
        self.assertEqual(result.returncode, EXIT_CONNECT, result.stdout + result.stderr)
        self.assertIn(os.environ['FERRY_TEST_CERT_SHA256'], result.stdout)
        result = add_connector('Secure', url, '--trust', os.environ['FERRY_TEST_CERT_SHA256'])
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        self.assertIn('webdavs', cli('connector', 'list').stdout)
        local = os.path.join(self.top, 'tls-source')
        write(os.path.join(local, 'über tls.txt'), b'over https\n', 1704164645)
        self.transfer('over-tls', f'local:{local}', 'Secure:/tls')
        self.run_ok('over-tls')
        with open(os.path.join(self.dav_root, 'tls', 'über tls.txt'), 'rb') as f:
            self.assertEqual(f.read(), b'over https\n')


@unittest.skipUnless(PASSWORD, 'needs the fixture with --keyring and a test password')
class HostileWebdav(unittest.TestCase):
    def serve(self, mode):
        env = dict(os.environ, HOSTILE_WEBDAV_PASSWORD=PASSWORD)
        proc = subprocess.Popen(['/usr/bin/python3', HOSTILE, mode], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, env=env, start_new_session=True)
        self.addCleanup(proc.stdout.close)
        self.addCleanup(proc.wait)
        self.addCleanup(proc.kill)
        port = int(proc.stdout.readline())
        name = f'hostile-{mode}'
        # The server's root lists fine: the connector is saved; /site/ is
        # where it misbehaves.
        result = add_connector(name, f'http://127.0.0.1:{port}/')
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        self.addCleanup(cli, 'connector', 'remove', name)
        top = tempfile.mkdtemp(prefix=f'ferry-hostile-{mode}-', dir=os.environ['FERRY_TEST_DIR'])
        destination = os.path.join(top, 'destination', 'inside')
        result = cli('transfer', 'add', name, '--from', f'{name}:/site', '--to', f'local:{destination}')
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)
        self.addCleanup(cli, 'transfer', 'remove', name)
        return name, top, destination

    def assertNothingEscaped(self, top, destination):
        for folder, dirs, files in os.walk(os.environ['FERRY_TEST_DIR']):
            for name in files:
                self.assertNotIn('escape', name, os.path.join(folder, name))
        outside = [p for p in os.listdir(top) if p != 'destination']
        self.assertEqual(outside, [])
        if os.path.isdir(destination):
            for folder, dirs, files in os.walk(destination):
                for name in files:
                    with open(os.path.join(folder, name), 'rb') as f:
                        self.assertNotEqual(f.read(), b'ESCAPED\n', name)

    def test_traversal_hrefs_refused_and_counted(self):
        name, top, destination = self.serve('traversal')
        result = cli('run', name)
        self.assertEqual(result.returncode, EXIT_PARTIAL, result.stdout + result.stderr)
        self.assertEqual(os.listdir(destination), ['good.txt'])
        with open(os.path.join(destination, 'good.txt'), 'rb') as f:
            self.assertEqual(f.read(), b'good\n')
        self.assertNothingEscaped(top, destination)
        log = cli('log', name).stdout + result.stdout
        for why in ('outside the folder', 'another server', 'encoded', r'\(“\.\.”\)'):
            self.assertRegex(log, why)
        self.assertNotIn('\x1b', result.stdout + log)

    def test_oversized_answer_refused_with_bounded_memory(self):
        name, top, destination = self.serve('huge')
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result = cli('run', name)
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        self.assertNotEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        self.assertIn('longer than', result.stdout + result.stderr)
        # The 50 MB answer is never held: ferry-cli stays far below it.
        # Under AddressSanitizer (shadow memory, quarantine) the same run
        # peaks at about 51 MiB; holding the answer would add its 48 MiB
        # on top, so 80 MiB still tells the two apart.
        bound = 80 * 1024 if 'ASAN_OPTIONS' in os.environ else 40 * 1024
        self.assertLess(max(before, peak_kib), bound)
        self.assertNothingEscaped(top, destination)

    def test_stall_mid_answer(self):
        name, top, destination = self.serve('stall')
        env = dict(os.environ, FERRY_NETWORK_TIMEOUT='3')
        result = cli('run', name, env=env, timeout=300)
        self.assertEqual(result.returncode, EXIT_CONNECT, result.stdout + result.stderr)
        self.assertNothingEscaped(top, destination)
        self.assertFalse(os.path.exists(os.path.join(destination, 'good.txt')))


if __name__ == '__main__':
    unittest.main(verbosity=2)
