#!/usr/bin/python3
# test-smb.py: SMB connectors against a real Samba (ferry-testenv.py --smb),
# with vsftpd on the other side:
#  - `connector add --type smb` checks step by step (the dialect shown, the
#    capability line with signing and encryption) and saves; a Server URL
#    smb://HOST:PORT/SHARE/Folder sets type, port and folder;
#  - a wrong password is exit 3 at "Log in" with the wrong-password hint,
#    and a password changed on the server since makes a run exit 3 at once;
#    a share that does not exist names the shares the server offers, in
#    the check and in a run;
#  - FTP → SMB, SMB → this computer and SMB → FTP give identical trees
#    (unicode, spaces, empty folders, a 30 MB file), times kept; a rerun
#    copies nothing; verify and verify --checksum pass, and --checksum finds
#    one byte changed on the share; a mirror run deletes on the share;
#  - an upload to the share through a relay that cuts the connection every
#    few megabytes still ends byte-identical, resumed;
#  - with smbd stopped, `connector test` and `run` exit 3; started again,
#    the run goes through.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import pwd
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
EXIT_OK, EXIT_DIFFERS, EXIT_USAGE, EXIT_CONNECT = 0, 1, 2, 3
BIG = 30 * 1024 * 1024


def cli(*args, input_text=None, timeout=300):
    return subprocess.run([CLI, *args], input=input_text, capture_output=True, text=True, timeout=timeout)


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


def make_tree(root, big=True):
    """What a site or a file share holds: names with spaces and beyond
    ASCII, empty folders, a deep path, zero bytes, a 30 MB file."""
    rng = random.Random(24)
    base = int(time.time()) - 200 * 86400
    files = {
        'index.html': b'<h1>Ferry</h1>\n' * 40,
        'css/site.css': b'body { margin: 0 }\n' * 200,
        'img/logo.png': rng.randbytes(70000),
        'Dokumente/Grüße – 日本.txt': 'Grüße\n'.encode(),
        'Dokumente/with space/and more.txt': b'spaces\n',
        'a/b/c/d/deep.txt': b'deep\n',
        'zero': b'',
        '100% #1 & [x].txt': b'odd characters\n',
    }
    for i in range(60):
        files[f'many/f{i:03d}.bin'] = rng.randbytes(rng.randrange(0, 9000))
    if big:
        files['video/big.bin'] = rng.randbytes(BIG)
    for i, (rel, data) in enumerate(sorted(files.items())):
        write(os.path.join(root, rel), data, base + i * 3671)
    for empty in ('empty', 'Leerer Ordner', 'a/b/empty too'):
        os.makedirs(os.path.join(root, empty), exist_ok=True)
    chown_tree(root)


def snapshot(root):
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            found[os.path.relpath(os.path.join(folder, name), root) + '/'] = ('dir',)
        for name in files:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            found[os.path.relpath(path, root)] = ('file', st.st_size, int(st.st_mtime))
    return found


def copied_lines(output):
    return sorted(m.group(1) for m in re.finditer(r'(?m)^Copied (.+?)(?: \(resumed at .*\))?$', output)
                  if not re.match(r'\d+ files? \(', m.group(1)))


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

    def cuts(self):
        self.stderr.flush()
        self.stderr.seek(0)
        return len(re.findall(r'^cut ', self.stderr.read(), re.M))


@unittest.skipUnless(os.environ.get('FERRY_TEST_SMB_PORT') and os.environ.get('FERRY_TEST_FTP_PORT'),
                     'needs the fixture with --ftp --smb --keyring')
class Smb(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.port = os.environ['FERRY_TEST_SMB_PORT']
        cls.share = os.environ['FERRY_TEST_SMB_SHARE']
        cls.share_root = os.environ['FERRY_TEST_SMB_ROOT']
        cls.ftp_root = os.environ['FERRY_TEST_FTP_ROOT']
        cls.site = os.path.join(cls.ftp_root, 'site')
        make_tree(cls.site)
        result = cls.add_connector('Old', 'ftp', '--server', '127.0.0.1',
                                   '--port', os.environ['FERRY_TEST_FTP_PORT'])
        assert result.returncode == EXIT_OK, result.stdout + result.stderr
        result = cls.add_connector('NAS', 'smb', '--server', '127.0.0.1', '--port', cls.port,
                                   '--domain', os.environ['FERRY_TEST_SMB_DOMAIN'])
        assert result.returncode == EXIT_OK, result.stdout + result.stderr
        cls.nas_added = result.stdout

    @classmethod
    def add_connector(cls, name, kind, *args, password=None):
        type_args = ('--type', kind) if kind is not None else ()
        return cli('connector', 'add', name, *type_args, *args, '--user', os.environ['FERRY_TEST_USER'],
                   '--password-stdin',
                   input_text=(password or os.environ['FERRY_TEST_PASSWORD']) + '\n', timeout=120)

    def setUp(self):
        self.id = self.id().rsplit('.', 1)[-1]
        self.dir = tempfile.mkdtemp(prefix='ferry-smb-', dir=os.environ.get('FERRY_TEST_DIR'))
        self.names = []
        self.relays = []

    def tearDown(self):
        for relay in self.relays:
            relay.stop()
        for kind, name in self.names:
            cli(kind, 'remove', name)
        shutil.rmtree(self.dir, ignore_errors=True)
        shutil.rmtree(os.path.join(self.share_root, self.id), ignore_errors=True)
        shutil.rmtree(os.path.join(self.ftp_root, self.id), ignore_errors=True)

    def transfer(self, name, source, destination, *extra):
        result = cli('transfer', 'add', name, '--from', source, '--to', destination, *extra)
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)
        self.names.append(('transfer', name))

    def run_ok(self, name, *extra):
        result = cli('run', name, *extra, timeout=600)
        self.assertEqual(result.returncode, EXIT_OK, result.stdout[-4000:] + result.stderr)
        return result.stdout

    def assertSameTree(self, a, b):
        sa, sb = snapshot(a), snapshot(b)
        self.assertEqual(sorted(sa), sorted(sb))
        self.assertEqual(sa, sb, 'sizes or modification times differ')
        for rel, kind in sa.items():
            if kind[0] == 'file':
                with open(os.path.join(a, rel), 'rb') as fa, open(os.path.join(b, rel), 'rb') as fb:
                    self.assertTrue(fa.read() == fb.read(), f'{rel} differs')

    # --- the connection check ---------------------------------------------------------

    def test_check_shows_dialect_and_capabilities(self):
        for line in ('✓ Find the server', '✓ Connect', '✓ Log in', '✓ List the folder'):
            self.assertIn(line, self.nas_added)
        self.assertRegex(self.nas_added, r'✓ Negotiate the protocol — SMB 3\.1\.1')
        self.assertRegex(self.nas_added, r'Dialect: SMB 3\.1\.1 · Signing: \w+ · Encryption: [\w-]+')
        # Without a share: the shares offered, listed as folders.
        self.assertIn(f'Shares offered: {self.share}', self.nas_added)
        result = cli('connector', 'test', 'NAS')
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)

    def test_server_url_sets_type_port_and_folder(self):
        os.makedirs(os.path.join(self.share_root, self.id, 'Folder'))
        chown_tree(os.path.join(self.share_root, self.id))
        url = f'smb://127.0.0.1:{self.port}/{self.share}/{self.id}/Folder'
        result = self.add_connector('From URL', None, '--server', url)
        self.names.append(('connector', 'From URL'))
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        self.assertIn(f'✓ Open the share — {self.share}', result.stdout)
        self.assertIn(f'0 entries in /{self.share}/{self.id}/Folder', result.stdout)

    def test_wrong_password(self):
        result = self.add_connector('Bad NAS', 'smb', '--server', '127.0.0.1', '--port', self.port,
                                    password='not-' + os.environ['FERRY_TEST_PASSWORD'])
        self.assertEqual(result.returncode, EXIT_CONNECT, result.stdout + result.stderr)
        self.assertRegex(result.stdout, r'✗ Log in')
        self.assertIn('refused the user name or password', result.stdout)
        self.assertIn('Domain', result.stdout)
        self.assertNotIn('Saved connector', result.stdout)
        listed = cli('connector', 'list').stdout
        self.assertNotIn('Bad NAS', listed)

    def set_server_password(self, password):
        config = os.path.join(os.environ['FERRY_TEST_DIR'], 'samba', 'smb.conf')
        subprocess.run(['smbpasswd', '-c', config, '-s', os.environ['FERRY_TEST_USER']],
                       input=f'{password}\n{password}\n', text=True, capture_output=True, check=True)

    def test_password_changed_on_the_server(self):
        # Saved while right, changed on the server since: the run stops at
        # once with exit 3 and says why (its workers do not wait forever).
        self.transfer('Changed', 'Old:/site/css', f'NAS:/{self.share}/{self.id}')
        self.set_server_password('Changed-' + os.environ['FERRY_TEST_PASSWORD'][::-1])
        try:
            result = cli('run', 'Changed', timeout=120)
            self.assertEqual(result.returncode, EXIT_CONNECT, result.stdout + result.stderr)
            self.assertIn('refused the user name or password', result.stdout + result.stderr)
        finally:
            self.set_server_password(os.environ['FERRY_TEST_PASSWORD'])
        self.run_ok('Changed')

    def test_missing_share_names_the_shares_offered(self):
        url = f'smb://127.0.0.1:{self.port}/NoSuchShare/x'
        result = self.add_connector('No share', None, '--server', url)
        self.names.append(('connector', 'No share'))
        # Like a folder that does not exist: bad input (2), not an unreachable server.
        self.assertEqual(result.returncode, EXIT_USAGE, result.stdout + result.stderr)
        self.assertRegex(result.stdout, r'✗ Open the share — .*“NoSuchShare”.*it offers: ' + self.share)

        # A run into a share that is not there says the same, and copies nothing.
        self.transfer('To nowhere', 'Old:/site', 'NAS:/NoSuchShare/site')
        result = cli('run', 'To nowhere')
        self.assertNotEqual(result.returncode, EXIT_OK)
        self.assertIn('NoSuchShare', result.stdout + result.stderr)
        self.assertIn(f'it offers: {self.share}', result.stdout + result.stderr)

    def test_server_down_then_back(self):
        ctl = [sys.executable, os.environ['FERRY_TEST_CTL']]
        subprocess.run(ctl + ['stop-smb'], check=True)
        try:
            result = cli('connector', 'test', 'NAS')
            self.assertEqual(result.returncode, EXIT_CONNECT, result.stdout + result.stderr)
            self.assertRegex(result.stdout, r'✗ Connect')
            self.assertIn('445', result.stdout)
            self.transfer('While down', 'Old:/site/css', f'NAS:/{self.share}/{self.id}')
            result = cli('run', 'While down')
            self.assertEqual(result.returncode, EXIT_CONNECT, result.stdout + result.stderr)
        finally:
            subprocess.run(ctl + ['start-smb'], check=True)
        self.run_ok('While down')
        self.assertSameTree(os.path.join(self.site, 'css'), os.path.join(self.share_root, self.id))

    # --- migrations -----------------------------------------------------------------------

    def test_ftp_to_smb_rerun_verify_mirror(self):
        destination = os.path.join(self.share_root, self.id)
        self.transfer('Up', 'Old:/site', f'NAS:/{self.share}/{self.id}', '--parallel', '3')
        output = self.run_ok('Up')
        self.assertSameTree(self.site, destination)
        n_files = sum(1 for v in snapshot(self.site).values() if v[0] == 'file')
        self.assertIn(f'Copied {n_files} files', output)

        # A rerun copies nothing.
        output = self.run_ok('Up')
        self.assertEqual(copied_lines(output), [])
        self.assertIn(f'Copied 0 files (0 bytes), skipped {n_files}, failed 0', output)

        # Verify, by listing and by content.
        result = cli('verify', 'Up')
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        self.assertIn(f'All {n_files} files match', result.stdout)
        result = cli('verify', 'Up', '--checksum', timeout=600)
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)

        # One byte changed on the share, same size and time: only --checksum sees it.
        changed = os.path.join(destination, 'img', 'logo.png')
        st = os.stat(changed)
        with open(changed, 'r+b') as f:
            f.seek(1000)
            byte = f.read(1)
            f.seek(1000)
            f.write(bytes([byte[0] ^ 1]))
        os.utime(changed, ns=(st.st_atime_ns, st.st_mtime_ns))
        self.assertEqual(cli('verify', 'Up').returncode, EXIT_OK)
        result = cli('verify', 'Up', '--checksum', timeout=600)
        self.assertEqual(result.returncode, EXIT_DIFFERS, result.stdout + result.stderr)
        self.assertIn('differs img/logo.png (content)', result.stdout)

        # Mirror: what is gone from the source goes from the share.
        extra = os.path.join(destination, 'Dokumente', 'only on the share.txt')
        write(extra, b'extra\n', time.time() - 3600)
        chown_tree(destination)
        result = cli('transfer', 'edit', 'Up', '--delete')
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)
        self.run_ok('Up')
        self.assertFalse(os.path.exists(extra))
        self.assertTrue(os.path.isdir(os.path.join(destination, 'Leerer Ordner')))

    def test_smb_to_local_and_to_ftp(self):
        source = os.path.join(self.share_root, self.id)
        make_tree(source)
        local = os.path.join(self.dir, 'down')
        self.transfer('Down', f'NAS:/{self.share}/{self.id}', f'local:{local}')
        self.run_ok('Down')
        self.assertSameTree(source, local)
        self.assertEqual(copied_lines(self.run_ok('Down')), [])
        result = cli('verify', 'Down', '--checksum', timeout=600)
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)

        ftp = os.path.join(self.ftp_root, self.id)
        self.transfer('Back', f'NAS:/{self.share}/{self.id}', f'Old:/{self.id}', '--parallel', '2')
        self.run_ok('Back')
        self.assertSameTree(source, ftp)
        self.assertEqual(copied_lines(self.run_ok('Back')), [])

    def test_upload_resumes_after_cut_connections(self):
        # Every SMB connection is cut after 8 to 14 MB: the 30 MB file can
        # only arrive through resumes onto its partial copy on the share.
        relay = Relay(self.port, '--seed', '24', '--cut-data', '8M:14M')
        self.relays.append(relay)
        result = self.add_connector('Flaky NAS', 'smb', '--server', '127.0.0.1', '--port', str(relay.port))
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        self.names.append(('connector', 'Flaky NAS'))
        source = os.path.join(self.dir, 'big')
        os.makedirs(source)
        big = os.path.join(self.site, 'video', 'big.bin')
        shutil.copy2(big, os.path.join(source, 'big.bin'))
        self.transfer('Flaky up', f'local:{source}', f'Flaky NAS:/{self.share}/{self.id}')
        output = self.run_ok('Flaky up')
        self.assertSameTree(source, os.path.join(self.share_root, self.id))
        self.assertGreaterEqual(relay.cuts(), 2)
        self.assertRegex(output, r'Copied big\.bin \(resumed at ')


if __name__ == '__main__':
    unittest.main(verbosity=2)
