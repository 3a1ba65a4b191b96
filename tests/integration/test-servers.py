#!/usr/bin/python3
# test-servers.py: every server a migration leaves from (the issue "honest
# outcomes, real paths, and the listings old servers send"), against real
# servers: vsftpd (chrooted), sshd, ProFTPD unpacked from Debian's package
# (not chrooted, so FTP paths are real paths), pyftpdlib answering as GNU
# inetutils ftpd and Twisted do, and the scripted hostile server.
#
#  - a path is absolute from the server's root on every kind; a transfer
#    saved before that is rewritten once with the login folder in front
#  - a missing source folder fails the run with exit 2 and its name, on FTP,
#    FTPS, SFTP and local alike; `transfer add` refuses it, and a file
#  - proftpd's "530 Sorry, the maximum number of clients (2) ..." is a
#    connection limit: the run goes on with fewer connections, no file fails
#  - a server that cannot set times (inetutils, Twisted) still gets every
#    file under its real name, one warning, and a rerun copies nothing
#  - folders with spaces list on a server that splits LIST's argument
#  - folder times are kept, both directions
#  - `connector test` shows what the server offers and the login folder
#  - a server silent in the middle of the login is exit 3
#  - vsftpd and ProFTPD get each file's EPSV and RETR while the file before
#    is read; a file refused in the middle (550) is reported for exactly
#    that file, every other one arrives whole, each asked for once; over
#    explicit TLS too (vsftpd, require_ssl_reuse), on libcurl's TLS control
#    connection, each data connection's TLS session resumed
#  - a wrong pinned certificate is refused before any file moves
#
# SPDX-License-Identifier: GPL-3.0-or-later

import ftplib
import json
import os
import pwd
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

CLI = os.environ['FERRY_CLI']
EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_CONNECT = 0, 1, 2, 3
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures')
PART_SUFFIX = '.ferry-part'
ROOT = os.environ.get('FERRY_TEST_FTP_ROOT', '')
BASE = int(time.time()) - 40 * 86400 + 17


def cli(*args, input_text=None, env=None, timeout=300):
    return subprocess.run([CLI, *args], input=input_text, capture_output=True, text=True,
                          timeout=timeout, env=env)


def write(path, data, mtime):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)
    os.utime(path, (mtime, mtime))


def make_tree(root, n=6):
    files = {'index.html': b'<h1>hi</h1>\n', 'My Documents/a b.txt': b'spaces\n' * 50,
             'My Documents/deeper/x.bin': os.urandom(3000), 'zero': b''}
    for i in range(n):
        files[f'many/f{i:02d}.txt'] = f'file {i}\n'.encode() * (i + 1)
    for i, (rel, data) in enumerate(sorted(files.items())):
        write(os.path.join(root, rel), data, BASE + i * 3600)
    # Folder times last: writing into a folder changes its time.
    for i, folder in enumerate(('many', 'My Documents/deeper', 'My Documents')):
        os.utime(os.path.join(root, folder), (BASE - (i + 1) * 86400, BASE - (i + 1) * 86400))
    return files


def snapshot(root, folders=False):
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, root)] = ('dir', int(os.path.getmtime(path)) if folders else 0)
        for name in files:
            path = os.path.join(folder, name)
            with open(path, 'rb') as f:
                found[os.path.relpath(path, root)] = ('file', int(os.path.getmtime(path)), f.read())
    return found


def give_to_user(path):
    entry = pwd.getpwnam(os.environ['FERRY_TEST_USER'])
    os.chown(path, entry.pw_uid, entry.pw_gid)
    for folder, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(os.path.join(folder, name), entry.pw_uid, entry.pw_gid)


def add_connector(name, kind, port_var, trust=None, user=None, password=None, env=None):
    extra = ['--trust', trust] if trust else []
    return cli('connector', 'add', name, '--type', kind, '--server', '127.0.0.1',
               '--port', os.environ[port_var] if port_var in os.environ else port_var,
               '--user', user or os.environ['FERRY_TEST_USER'], '--password-stdin', *extra,
               input_text=(password or os.environ['FERRY_TEST_PASSWORD']) + '\n', env=env, timeout=120)


def part_files(root):
    return [os.path.join(folder, name) for folder, _, files in os.walk(root)
            for name in files if name.endswith(PART_SUFFIX)]


class PyFtpd:
    """pyftpdlib on ROOT, answering like another server (pyftpd.py QUIRK)."""

    def __init__(self, root, quirk, log=None):
        self.user = 'ferry'
        self.password = secrets.token_urlsafe(12)
        self.proc = subprocess.Popen(['/usr/bin/python3', os.path.join(FIXTURES, 'pyftpd.py'), root, quirk] +
                                     ([log] if log else []),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.proc.stdin.write(f'{self.user} {self.password}\n')
        self.proc.stdin.flush()
        self.port = self.proc.stdout.readline().strip()

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


@unittest.skipUnless(os.environ.get('FERRY_TEST_PROFTPD_PORT'), 'needs ferry-testenv.py --proftpd')
class Servers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix='ferry-servers-', dir=os.environ.get('FERRY_TEST_DIR'))
        for name, kind, port, trust in (
                ('Pro', 'ftp', 'FERRY_TEST_PROFTPD_PORT', None),
                ('ProLim', 'ftp', 'FERRY_TEST_PROFTPD_LIMITED_PORT', None),
                ('Vs', 'ftp', 'FERRY_TEST_FTP_PORT', None),
                ('Pure', 'ftp', 'FERRY_TEST_PUREFTPD_PORT', None),
                ('Vss', 'ftps-explicit', 'FERRY_TEST_FTPS_PORT', os.environ.get('FERRY_TEST_CERT_SHA256')),
                ('Ssh', 'sftp', 'FERRY_TEST_SFTP_PORT', os.environ.get('FERRY_TEST_SSH_HOSTKEY_SHA256'))):
            result = add_connector(name, kind, port, trust)
            assert result.returncode == 0, result.stdout + result.stderr

    def transfer(self, name, source, destination, *options):
        result = cli('transfer', 'add', name, '--from', source, '--to', destination, *options)
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)

    def run_ok(self, name):
        result = cli('run', name)
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        return result

    # --- 11: what the server offers ------------------------------------------------

    def test_connector_test_shows_capabilities(self):
        result = cli('connector', 'test', 'Pro')
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        self.assertIn('The server offers:', result.stdout)
        self.assertIn('MLSD: yes', result.stdout)
        self.assertIn('Times: MFMT', result.stdout)
        self.assertIn('UTF8: yes', result.stdout)
        self.assertIn('REST: yes', result.stdout)
        # Not chrooted: the login folder is the user's home, a real path.
        self.assertIn(f'Login folder: {ROOT}', result.stdout)
        vsftpd = cli('connector', 'test', 'Vs')
        self.assertIn('MLSD: no', vsftpd.stdout)
        self.assertIn('Login folder: /\n', vsftpd.stdout)
        tls = cli('connector', 'test', 'Vss')
        self.assertIn('TLS session reuse: yes', tls.stdout)
        sftp = cli('connector', 'test', 'Ssh')
        self.assertIn(f'Login folder: {ROOT}', sftp.stdout)

    # --- 3: real paths -------------------------------------------------------------

    def test_paths_are_absolute_on_proftpd(self):
        site = os.path.join(ROOT, 'abs', 'site')
        make_tree(site)
        give_to_user(os.path.join(ROOT, 'abs'))
        down = os.path.join(self.dir, 'abs-down')
        self.transfer('Abs down', f'Pro:{site}', f'local:{down}')
        self.run_ok('Abs down')
        self.assertEqual(snapshot(site, folders=True), snapshot(down, folders=True))

        # "/abs/site" is not the login folder's abs/site: nothing is there.
        relative = cli('transfer', 'add', 'Rel', '--from', 'Pro:/abs/site', '--to', f'local:{down}')
        self.assertEqual(relative.returncode, EXIT_USAGE, relative.stdout + relative.stderr)
        self.assertIn('/abs/site', relative.stderr)

        up = os.path.join(ROOT, 'abs', 'up')
        self.transfer('Abs up', f'local:{site}', f'Pro:{up}')
        self.run_ok('Abs up')
        # MFMT on files and folders: times kept both ways.
        self.assertEqual(snapshot(site, folders=True), snapshot(up, folders=True))
        again = self.run_ok('Abs up')
        self.assertIn('Copied 0 files', again.stdout)

    def test_old_transfer_is_rewritten_once(self):
        old = os.path.join(ROOT, 'old', 'site')
        make_tree(old, n=2)
        give_to_user(os.path.join(ROOT, 'old'))
        connectors = json.loads(cli('connector', 'list', '--json').stdout)
        pro = next(c for c in connectors if c['name'] == 'Pro')
        folder = os.path.join(os.environ['XDG_CONFIG_HOME'], 'ferry', 'transfers')
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, 'f00dcafe-0000-4000-8000-000000000001.transfer')
        down = os.path.join(self.dir, 'old-down')
        with open(path, 'w') as f:
            # As saved before paths were absolute: "/old/site" from the login folder.
            f.write('[Transfer]\nId=f00dcafe-0000-4000-8000-000000000001\nName=Old\n'
                    f'SourceConnector={pro["id"]}\nSourcePath=/old/site\n'
                    f'DestinationConnector=local\nDestinationPath={down}\n'
                    'Connections=2\nExisting=skip-identical\n')
        self.run_ok('Old')
        self.assertEqual(snapshot(old), snapshot(down))
        with open(path) as f:
            saved = f.read()
        self.assertIn(f'SourcePath={old}\n', saved)
        self.assertIn('PathsAbsolute=true', saved)
        self.assertIn(f'DestinationPath={down}\n', saved)
        self.assertIn('Copied 0 files', self.run_ok('Old').stdout)

    # --- 1 and 2: a source that is not a folder ------------------------------------------

    def test_missing_source_fails_alike_everywhere(self):
        where = {'Pro': ROOT, 'Vs': '', 'Vss': '', 'Ssh': ROOT, 'local': ROOT}
        for connector, prefix in where.items():
            with self.subTest(connector=connector):
                real = os.path.join(ROOT, f'gone-{connector}')
                os.makedirs(real)
                give_to_user(real)
                path = f'{prefix}/gone-{connector}'
                missing = cli('transfer', 'add', f'Never {connector}', '--from', f'{connector}:{path}-not',
                              '--to', f'local:{self.dir}/never')
                self.assertEqual(missing.returncode, EXIT_USAGE, missing.stdout + missing.stderr)
                self.assertIn(f'{path}-not', missing.stderr)
                # An empty folder is a success...
                self.transfer(f'Gone {connector}', f'{connector}:{path}', f'local:{self.dir}/gone-{connector}')
                self.run_ok(f'Gone {connector}')
                # ...a folder gone since is a failure that names it.
                os.rmdir(real)
                result = cli('run', f'Gone {connector}')
                self.assertEqual(result.returncode, EXIT_USAGE, result.stdout + result.stderr)
                self.assertIn(path, result.stdout)
                self.assertIn('does not exist', result.stdout)

    def test_file_as_source(self):
        folder = os.path.join(ROOT, 'fileish')
        write(os.path.join(folder, 'a.txt'), b'a file\n', BASE)
        os.makedirs(os.path.join(folder, 'b'))
        give_to_user(folder)
        refused = cli('transfer', 'add', 'A file', '--from', f'Pro:{folder}/a.txt', '--to', f'local:{self.dir}/afile')
        self.assertEqual(refused.returncode, EXIT_USAGE, refused.stdout + refused.stderr)
        self.assertIn('is a file', refused.stderr)
        destination = os.path.join(ROOT, 'fileish-out')
        self.transfer('B file', f'Ssh:{folder}/b', f'Pro:{destination}')
        os.rmdir(os.path.join(folder, 'b'))
        write(os.path.join(folder, 'b'), b'now a file\n', BASE)
        result = cli('run', 'B file')
        self.assertEqual(result.returncode, EXIT_USAGE, result.stdout + result.stderr)
        self.assertIn('is a file', result.stdout)
        self.assertEqual(part_files(ROOT), [])

    # --- 4: a connection limit in other words than 421 ----------------------------------

    def test_connection_limit_530(self):
        source = os.path.join(self.dir, 'limit-src')
        # Enough work that every worker logs in: the third login is refused.
        for i in range(60):
            write(os.path.join(source, f'f{i:02d}.bin'), os.urandom(200000), BASE + i)
        destination = os.path.join(ROOT, 'limit-up')
        # A bandwidth limit (12 MB at 4 MB/s) keeps the copy going while the
        # workers log in: on a loaded machine the walk's own session used to
        # copy all 60 files before any worker had asked the server.
        self.transfer('Limit', f'local:{source}', f'ProLim:{destination}', '--parallel', '4',
                      '--bwlimit', '4M')
        # Another client holds one of the two places, so the run's second
        # login is refused for sure, however fast the copy goes.
        other = ftplib.FTP()
        other.connect('127.0.0.1', int(os.environ['FERRY_TEST_PROFTPD_LIMITED_PORT']), timeout=30)
        other.login(os.environ['FERRY_TEST_USER'], os.environ['FERRY_TEST_PASSWORD'])
        try:
            result = cli('run', 'Limit')
        finally:
            other.close()
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        self.assertNotIn('Login incorrect', result.stdout)
        numbers = [int(n) for n in re.findall(r'too many connections: going on with (\d+)', result.stdout)]
        self.assertTrue(numbers, result.stdout)
        self.assertLessEqual(max(numbers), 2)
        self.assertEqual(snapshot(source), snapshot(destination))
        self.assertEqual(part_files(destination), [])

    def test_walk_logs_in_before_any_worker(self):
        # A server that counts sessions when their password is accepted
        # (ProFTPD's MaxClientsPerHost) and checks the first password of a
        # burst slowly, on a machine that may delay the walk: the walk's
        # login is counted first, so the run is never refused its walk, and
        # the workers refused go on with fewer connections.
        source = os.path.join(self.dir, 'one-src')
        # Enough work that the workers log in while the walk's session copies.
        for i in range(60):
            write(os.path.join(source, f'f{i:02d}.bin'), os.urandom(200000), BASE + i)
        root = os.path.join(self.dir, 'one-root')
        os.makedirs(root)
        log = os.path.join(self.dir, 'one.log')
        server = PyFtpd(root, 'limit-one', log)
        try:
            result = add_connector('One', 'ftp', server.port, user=server.user, password=server.password)
            self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
            # Under a bandwidth limit, so the walk's session cannot copy
            # all 60 files before a worker's login is refused (under load
            # it did, and nobody was refused).
            self.transfer('One up', f'local:{source}', 'One:/up', '--parallel', '4', '--bwlimit', '4M')
            with open(log) as f:
                before = f.read().count('LOGIN ')
            result = cli('run', 'One up')
            with open(log) as f:
                said = f.read().splitlines()
            self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr + '\n'.join(said))
            # The walk's login (the run's first) got in; workers' logins
            # came after it and met the limit.
            self.assertIn(f'LOGIN {before + 1}', said)
            self.assertNotIn(f'REFUSED {before + 1}', said, result.stdout)
            self.assertTrue([line for line in said if line.startswith('REFUSED ')], said)
            self.assertIn('too many connections: going on with 1', result.stdout)
            self.assertEqual(snapshot(source), snapshot(os.path.join(root, 'up')))
            self.assertEqual(part_files(root), [])
        finally:
            server.stop()

    # --- issue 26: the next file asked for ahead --------------------------------------

    def test_download_asks_ahead_and_reports_the_missing_file(self):
        # One connection, many files, one in the middle the server refuses
        # (550: unreadable): on vsftpd and ProFTPD, which answer a command
        # only after the transfer before it (the NOOP after the first
        # pipelined RETR tells), each file's EPSV and RETR go out while the
        # file before is read; the refusal is reported for exactly that
        # file, every other file arrives whole and is asked for once.
        for server, connector, base in (('vsftpd', 'Vs', '/ahead'), ('proftpd', 'Pro', os.path.join(ROOT, 'ahead')),
                                        ('vsftpd-tls', 'Vss', '/ahead')):
            with self.subTest(server=server):
                folder = os.path.join(ROOT, 'ahead', 'flat')
                shutil.rmtree(os.path.join(ROOT, 'ahead'), ignore_errors=True)
                for i in range(16):
                    write(os.path.join(folder, f'f{i:02d}.bin'), bytes([65 + i]) * (700 + 2000 * i), BASE + i * 60)
                give_to_user(os.path.join(ROOT, 'ahead'))
                os.chmod(os.path.join(folder, 'f09.bin'), 0)
                down = os.path.join(self.dir, f'ahead-{server}')
                name = f'Ahead {server}'
                self.transfer(name, f'{connector}:{base}/flat', f'local:{down}', '--parallel', '1')
                env = dict(os.environ, G_MESSAGES_DEBUG='Ferry')
                result = cli('run', name, env=env)
                self.assertEqual(result.returncode, EXIT_PARTIAL, result.stdout + result.stderr[-4000:])
                self.assertNotIn(os.environ['FERRY_TEST_PASSWORD'], result.stdout + result.stderr)
                lines = [re.sub(r'^.*?: ([<>*] )', r'\1', line) for line in result.stderr.splitlines()]
                sent = [line[2:] for line in lines if line.startswith('> ')]
                retrs = [c for c in sent if c.startswith('RETR ')]
                # Each file asked for once, the refused one included. One
                # race allows more: the data connection opened for f09 on
                # its 229 may reach the listener the server opens for f10's
                # EPSV when it picks the same port again (seen on vsftpd,
                # about one run in six). Then f10's data goes where Ferry
                # no longer reads, its 226 comes without data on Ferry's
                # own connection, and Ferry drops the session and asks for
                # the files after f09 again on a new login: one request
                # more, never a wrong file (the snapshot below).
                self.assertEqual(len(set(retrs)), 16, retrs)
                again = sorted({c for c in retrs if retrs.count(c) > 1})
                if again:
                    self.assertLessEqual(set(again), {f'RETR {base}/flat/f10.bin', f'RETR {base}/flat/f11.bin'},
                                         '\n'.join(lines))
                    self.assertEqual(len([c for c in sent if c.startswith('USER ')]), 2, '\n'.join(lines))
                else:
                    self.assertEqual(len(retrs), 16, '\n'.join(lines))
                # Asked ahead: a RETR sent before the 226 of the one before.
                ahead = 0
                waiting = 0
                for line in lines:
                    if line.startswith('> RETR '):
                        ahead += waiting > 0
                        waiting += 1
                    elif re.match(r'< (226|250|550) ', line) and waiting:
                        waiting -= 1
                self.assertGreaterEqual(ahead, 10, '\n'.join(lines[-200:]))
                self.assertEqual(sent.count('NOOP'), 1, sent)
                # EPSV and RETR written together: no reply between them.
                together = sum(1 for a, b in zip(lines, lines[1:])
                               if a == '> EPSV' and b.startswith('> RETR '))
                self.assertGreaterEqual(together, 10, '\n'.join(lines[-200:]))
                if connector == 'Vss':
                    # Over TLS: every data connection of the pipelined
                    # download resumed the control connection's session
                    # (vsftpd refuses any other), and none fell back.
                    resumed = lines.count('* data connection: TLS session resumed')
                    self.assertGreaterEqual(resumed, 10, '\n'.join(lines[-200:]))
                    # The refused file's listener is gone: its TLS may
                    # fail, then the 550 is the news. No other one fails.
                    for i, line in enumerate(lines):
                        if line == "* the data connection's TLS failed":
                            self.assertIn('f09.bin', lines[i + 1], '\n'.join(lines[i - 5:i + 3]))
                failed = [line for line in result.stdout.splitlines() if line.startswith('error:')]
                self.assertEqual(len(failed), 1, result.stdout)
                self.assertIn('f09.bin', failed[0])
                self.assertIn('Copied 15 files', result.stdout)
                expected = snapshot(folder)
                del expected['f09.bin']
                arrived = snapshot(down)
                # The refused file's (empty) partial copy stays, as for any failure.
                arrived.pop('.f09.bin' + PART_SUFFIX, None)
                self.assertEqual(arrived, expected)
                os.chmod(os.path.join(folder, 'f09.bin'), 0o644)
                cli('transfer', 'remove', name)

    # --- issue 26: a rerun's listings, EPSV and LIST in one write ------------------------

    def test_rerun_lists_each_folder_in_one_write(self):
        # A rerun with nothing changed is its logins and listings. On vsftpd,
        # ProFTPD and Pure-FTPd (which reads the NOOP sent after the first
        # LIST during the transfer) each folder's EPSV and LIST go out
        # together (no reply read between them), FEAT with OPTS UTF8 ON
        # likewise, no TYPE is sent, every folder is listed exactly once,
        # and the plan is right: every file up to date, none copied. Then
        # one file changes on the server: the pipelined listings show it
        # and it alone is copied.
        for server, connector, base in (('vsftpd', 'Vs', '/pipelist'),
                                        ('proftpd', 'Pro', os.path.join(ROOT, 'pipelist')),
                                        ('pureftpd', 'Pure', os.path.join(ROOT, 'pipelist'))):
            with self.subTest(server=server):
                tree = os.path.join(ROOT, 'pipelist')
                shutil.rmtree(tree, ignore_errors=True)
                folders = ['', 'a', 'b', 'b/c', 'd']
                for folder in folders:
                    for i in range(3):
                        write(os.path.join(tree, folder, f'f{i}.txt'), f'{folder} {i}\n'.encode() * (i + 1),
                              BASE + i * 60)
                give_to_user(tree)
                down = os.path.join(self.dir, f'pipelist-{server}')
                name = f'Pipelist {server}'
                self.transfer(name, f'{connector}:{base}', f'local:{down}', '--parallel', '1')
                self.run_ok(name)
                self.assertEqual(snapshot(down), snapshot(tree))
                env = dict(os.environ, G_MESSAGES_DEBUG='Ferry')
                for changed in (False, True):
                    if changed:
                        write(os.path.join(tree, 'b', 'c', 'f1.txt'), b'changed on the server\n', BASE + 7200)
                        give_to_user(tree)
                    result = cli('run', name, env=env)
                    self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr[-4000:])
                    self.assertNotIn(os.environ['FERRY_TEST_PASSWORD'], result.stdout + result.stderr)
                    lines = [re.sub(r'^.*?: ([<>*] )', r'\1', line) for line in result.stderr.splitlines()]
                    lines = [line for line in lines if line[:2] in ('> ', '< ')]
                    listed = []
                    for i, line in enumerate(lines):
                        if line.startswith('> LIST') or line.startswith('> MLSD'):
                            # Sent right after its EPSV, before any reply.
                            self.assertEqual(lines[i - 1], '> EPSV', '\n'.join(lines))
                            listed.append(line.split(' ')[-1])
                        if line == '> FEAT':
                            self.assertEqual(lines[i + 1], '> OPTS UTF8 ON', '\n'.join(lines))
                    want = sorted(base + ('/' + f if f else '') for f in folders)
                    self.assertEqual(sorted(listed), want, '\n'.join(lines))
                    sent = [line[2:] for line in lines if line.startswith('> ')]
                    if not changed:
                        self.assertEqual([c for c in sent if c.startswith('TYPE')], [], sent)
                        self.assertIn('Copied 0 files', result.stdout)
                        self.assertIn(f'skipped {3 * len(folders)}', result.stdout)
                    else:
                        self.assertIn('Copied 1 file', result.stdout)
                    self.assertEqual(snapshot(down), snapshot(tree))
                cli('transfer', 'remove', name)

    def test_download_from_a_server_that_reads_commands_during_a_transfer(self):
        # Pure-FTPd reads the control connection while it sends a file (it
        # looks for ABOR there): the EPSV and RETR asked ahead can come back
        # as one "500 Unknown command" and the file asked for never gets an
        # answer. Ferry must notice at once, take that file again on a new
        # connection, ask nothing ahead on it any more, and never wait for
        # the reply timeout ("The server stopped answering").
        base = os.path.join(ROOT, 'pure')
        folder = os.path.join(base, 'flat')
        shutil.rmtree(base, ignore_errors=True)
        for i in range(40):
            write(os.path.join(folder, f'f{i:02d}.bin'), bytes([65 + i % 26]) * (700 + 997 * i), BASE + i * 60)
        give_to_user(base)
        os.chmod(os.path.join(folder, 'f29.bin'), 0)
        down = os.path.join(self.dir, 'pure-down')
        self.transfer('Pure down', f'Pure:{folder}', f'local:{down}', '--parallel', '2')
        env = dict(os.environ, G_MESSAGES_DEBUG='Ferry')
        result = cli('run', 'Pure down', env=env)
        self.assertEqual(result.returncode, EXIT_PARTIAL, result.stdout + result.stderr[-4000:])
        self.assertNotIn('The server stopped answering', result.stderr, result.stderr[-6000:])
        failed = [line for line in result.stdout.splitlines() if line.startswith('error:')]
        self.assertEqual(len(failed), 1, result.stdout)
        self.assertIn('f29.bin', failed[0])
        self.assertIn('Copied 39 files', result.stdout)
        expected = snapshot(folder)
        del expected['f29.bin']
        arrived = snapshot(down)
        arrived.pop('.f29.bin' + PART_SUFFIX, None)
        self.assertEqual(arrived, expected)
        # Nothing is copied twice on the rerun, nothing is missing.
        again = cli('run', 'Pure down')
        self.assertEqual(again.returncode, EXIT_PARTIAL, again.stdout + again.stderr)
        self.assertIn('Copied 0 files', again.stdout)
        os.chmod(os.path.join(folder, 'f29.bin'), 0o644)
        cli('transfer', 'remove', 'Pure down')

    def test_changed_certificate_is_refused_over_tls(self):
        # The pipelined download over TLS borrows libcurl's control
        # connection, whose certificate libcurl checks against the pinned
        # key at each login: once the server's certificate changes, a run
        # copies nothing, whichever way it would have read the files.
        folder = os.path.join(ROOT, 'pin', 'flat')
        shutil.rmtree(os.path.join(ROOT, 'pin'), ignore_errors=True)
        for i in range(6):
            write(os.path.join(folder, f'p{i}.bin'), bytes([97 + i]) * (300 + 900 * i), BASE + i * 60)
        give_to_user(os.path.join(ROOT, 'pin'))
        before, after = os.path.join(self.dir, 'pin-before'), os.path.join(self.dir, 'pin-after')
        self.transfer('Pin before', 'Vss:/pin/flat', f'local:{before}', '--parallel', '1')
        self.transfer('Pin after', 'Vss:/pin/flat', f'local:{after}', '--parallel', '1')
        result = cli('run', 'Pin before', env=dict(os.environ, G_MESSAGES_DEBUG='Ferry'))
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr[-3000:])
        self.assertIn('* data connection: TLS session resumed', result.stderr)
        self.assertEqual(snapshot(before), snapshot(folder))
        ctl = subprocess.run(['python3', os.environ['FERRY_TEST_CTL'], 'regen-cert'],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(ctl.returncode, 0, ctl.stdout + ctl.stderr)
        new_fingerprint = ctl.stdout.strip()
        try:
            result = cli('run', 'Pin after', env=dict(os.environ, G_MESSAGES_DEBUG='Ferry'))
            self.assertEqual(result.returncode, EXIT_CONNECT, result.stdout + result.stderr[-3000:])
            self.assertNotIn('> RETR', result.stderr)
            self.assertNotIn('> USER', result.stderr)
            self.assertEqual([f for f in snapshot(after) if not f.endswith(PART_SUFFIX)], [])
        finally:
            # The cases after this one trust the certificate the server has now.
            result = cli('connector', 'reauthorize', 'Vss', '--password-stdin', '--trust', new_fingerprint,
                         input_text=os.environ['FERRY_TEST_PASSWORD'] + '\n', timeout=120)
            self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
            os.environ['FERRY_TEST_CERT_SHA256'] = new_fingerprint
            cli('transfer', 'remove', 'Pin before')
            cli('transfer', 'remove', 'Pin after')

    # --- 5 and 6: servers that cannot set times, or split LIST's argument --------------

    def test_servers_without_times(self):
        source = os.path.join(self.dir, 'times-src')
        make_tree(source)
        for quirk in ('inetutils', 'twisted'):
            with self.subTest(server=quirk):
                root = os.path.join(self.dir, f'{quirk}-root')
                os.makedirs(root)
                server = PyFtpd(root, quirk)
                try:
                    result = add_connector(quirk, 'ftp', server.port, user=server.user, password=server.password)
                    self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
                    self.transfer(f'Up {quirk}', f'local:{source}', f'{quirk}:/up')
                    result = self.run_ok(f'Up {quirk}')
                    self.assertEqual(result.stdout.count('Modification times are not kept'), 1, result.stdout)
                    self.assertEqual(part_files(root), [])
                    got = snapshot(os.path.join(root, 'up'))
                    want = snapshot(source)
                    self.assertEqual(sorted(got), sorted(want))
                    for rel, entry in want.items():
                        self.assertEqual(got[rel][0], entry[0])
                        if entry[0] == 'file':
                            self.assertEqual(got[rel][2], entry[2], rel)
                    again = self.run_ok(f'Up {quirk}')
                    self.assertIn('Copied 0 files', again.stdout)
                    if quirk == 'inetutils':
                        # Folders with spaces: CWD, then LIST without argument.
                        down = os.path.join(self.dir, 'inetutils-down')
                        self.transfer('Down inetutils', 'inetutils:/up', f'local:{down}')
                        self.run_ok('Down inetutils')
                        self.assertEqual(sorted(snapshot(down)), sorted(want))
                        with open(os.path.join(down, 'My Documents', 'a b.txt'), 'rb') as f:
                            self.assertEqual(f.read(), b'spaces\n' * 50)
                finally:
                    server.stop()

    # --- 8: a server silent in the middle of the login ------------------------------------

    def test_silent_login_is_exit_3(self):
        env = dict(os.environ, HOSTILE_FTPD_PASSWORD='hostile-secret')
        server = subprocess.Popen(['/usr/bin/python3', os.path.join(FIXTURES, 'hostile-ftpd.py'), 'silent-login'],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        try:
            port = server.stdout.readline().strip()
            started = time.monotonic()
            result = add_connector('Silent', 'ftp', port, user='u', password='hostile-secret',
                                   env=dict(os.environ, FERRY_NETWORK_TIMEOUT='3'))
            self.assertEqual(result.returncode, EXIT_CONNECT, result.stdout + result.stderr)
            self.assertLess(time.monotonic() - started, 30)
        finally:
            server.kill()
            server.wait()
            server.stdout.close()


if __name__ == '__main__':
    unittest.main(verbosity=2)
