#!/usr/bin/python3
# test-pyftpdlib.py: Ferry against a second FTP server that speaks what
# vsftpd does not — MLSD listings with exact times (so no MDTM per file),
# MFMT to set times, UTF8 in FEAT (OPTS UTF8 ON) — both directions, UTF-8
# names, exact modification times, and a rerun that copies nothing; and
# `verify --checksum` through the server's own XSHA256, downloading nothing;
# the report of a run over names a spreadsheet would take for formulas;
# and, against the fixture answering as GNU inetutils ftpd and as Twisted
# (no way to set times, their own LIST lines), a change at the source that
# keeps the size is copied on the next run, by the source's time recorded
# at the last copy, and an unchanged file is not.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import csv
import glob
import io
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

CLI = os.environ['FERRY_CLI']
SERVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'pyftpd.py')


def cli(*args, input_text=None, env=None):
    return subprocess.run([CLI, *args], input=input_text, capture_output=True, text=True,
                          timeout=120, env=env)


def snapshot(root):
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            found[os.path.relpath(os.path.join(folder, name), root)] = ('dir',)
        for name in files:
            path = os.path.join(folder, name)
            with open(path, 'rb') as f:
                found[os.path.relpath(path, root)] = ('file', int(os.path.getmtime(path)), f.read())
    return found


class PyFtpd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        try:
            import pyftpdlib  # noqa: F401
        except ImportError:
            raise unittest.SkipTest('python3-pyftpdlib is not installed')
        cls.dir = tempfile.mkdtemp(prefix='ferry-pyftpd-', dir=os.environ.get('FERRY_TEST_DIR'))
        cls.root = os.path.join(cls.dir, 'root')
        os.makedirs(os.path.join(cls.root, 'site', 'Ordner ü', 'leer'))
        base = int(time.time()) - 3 * 86400 + 17   # recent: LIST would show only minutes
        files = {'index.html': b'<h1>hi</h1>\n', 'Grüße 日本.txt': 'ü\n'.encode(),
                 'Ordner ü/a b.txt': b'x' * 5000, 'zero': b''}
        for i, (rel, data) in enumerate(files.items()):
            path = os.path.join(cls.root, 'site', rel)
            with open(path, 'wb') as f:
                f.write(data)
            os.utime(path, (base + i * 61, base + i * 61))
        cls.user = 'ferry'
        cls.password = secrets.token_urlsafe(12)
        cls.commands = os.path.join(cls.dir, 'commands.log')
        cls.server = subprocess.Popen([sys.executable, SERVER, cls.root, cls.commands], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, text=True)
        cls.server.stdin.write(f'{cls.user} {cls.password}\n')
        cls.server.stdin.flush()
        cls.port = int(cls.server.stdout.readline())
        result = cli('connector', 'add', 'Py', '--type', 'ftp', '--server', '127.0.0.1',
                     '--port', str(cls.port), '--user', cls.user, '--password-stdin',
                     input_text=cls.password + '\n')
        assert result.returncode == 0, result.stdout + result.stderr

    @classmethod
    def tearDownClass(cls):
        cli('connector', 'remove', 'Py')
        cls.server.stdin.close()
        cls.server.wait(timeout=10)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def traced_run(self, name):
        env = dict(os.environ, G_MESSAGES_DEBUG='Ferry')
        result = cli('run', name, env=env)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr[-4000:])
        self.assertNotIn(self.password, result.stdout + result.stderr)
        return result

    def test_download_uses_mlsd_times(self):
        destination = os.path.join(self.dir, 'down')
        self.assertEqual(cli('transfer', 'add', 'Py down', '--from', 'Py:/site',
                             '--to', f'local:{destination}').returncode, 0)
        result = self.traced_run('Py down')
        trace = result.stderr
        self.assertIn('> FEAT', trace)
        self.assertIn('> OPTS UTF8 ON', trace)
        self.assertRegex(trace, r'> MLSD')
        self.assertNotRegex(trace, r'> MDTM ', 'MLSD times are exact: no MDTM per file')
        self.assertEqual(snapshot(os.path.join(self.root, 'site')), snapshot(destination))
        again = self.traced_run('Py down')
        self.assertIn('Copied 0 files', again.stdout)
        cli('transfer', 'remove', 'Py down')

    def test_download_sends_epsv_and_retr_together(self):
        # One connection, many files: after the first file (libcurl's), each
        # file's EPSV and RETR go out in one write (ferry-backend-ftp-retr.c)
        # and every file arrives whole, each asked for once; never the next
        # file's while one is read, on this server.
        flat = os.path.join(self.root, 'flat')
        os.makedirs(flat, exist_ok=True)
        for i in range(12):
            with open(os.path.join(flat, f'f{i:02}.bin'), 'wb') as f:
                f.write(bytes([i]) * (1000 + 3000 * i))
        destination = os.path.join(self.dir, 'flat-down')
        self.assertEqual(cli('transfer', 'add', 'Py flat', '--from', 'Py:/flat', '--parallel', '1',
                             '--to', f'local:{destination}').returncode, 0)
        open(self.commands, 'w').close()
        result = self.traced_run('Py flat')
        lines = [re.sub(r'^.*?: ([<>*] )', r'\1', line) for line in result.stderr.splitlines()]
        together = [i for i in range(len(lines) - 1)
                    if lines[i] == '> EPSV' and lines[i + 1].startswith('> RETR /flat/')]
        self.assertGreaterEqual(len(together), 10, result.stderr[-4000:])
        # pyftpdlib runs a command while a transfer waits (an EPSV there
        # would close the data connection of the file before): the NOOP
        # after the first pipelined RETR is answered before it, and no
        # file is asked for ahead of the one being read.
        self.assertEqual(sum(1 for line in lines if line == '> NOOP'), 1, result.stderr[-4000:])
        waiting = 0
        for line in lines:
            if line.startswith('> RETR '):
                self.assertEqual(waiting, 0, result.stderr[-4000:])
                waiting += 1
            elif re.match(r'< [2-5]\d\d ', line) and not line.startswith(('< 229', '< 200')) and waiting:
                waiting -= 1
        self.assertEqual(snapshot(flat), snapshot(destination))
        retrieved = sorted(c for c in self.commands_sent() if c.startswith('RETR'))
        self.assertEqual(len(retrieved), 12, retrieved)
        self.assertEqual(len(set(retrieved)), 12, retrieved)
        cli('transfer', 'remove', 'Py flat')

    def test_upload_sets_times_with_mfmt(self):
        source = os.path.join(self.root, 'site')
        self.assertEqual(cli('transfer', 'add', 'Py up', '--from', f'local:{source}',
                             '--to', 'Py:/up').returncode, 0)
        result = self.traced_run('Py up')
        self.assertRegex(result.stderr, r'> MFMT \d{14} ')
        self.assertEqual(snapshot(source), snapshot(os.path.join(self.root, 'up')))
        again = self.traced_run('Py up')
        self.assertIn('Copied 0 files', again.stdout)
        cli('transfer', 'remove', 'Py up')

    def test_report_guards_formula_names(self):
        # Names a server may hold that Excel and LibreOffice would run as
        # formulas: the CSV report writes them with a leading apostrophe
        # (read back with Python's csv module); the JSON report keeps them.
        names = ['=1+2.txt', '+SUM(A1).txt', '@cmd.txt', '-3+4.txt', 'plain=1.txt']
        folder = os.path.join(self.root, 'formulas')
        os.makedirs(folder)
        for name in names:
            with open(os.path.join(folder, name), 'wb') as f:
                f.write(name.encode())
        destination = os.path.join(self.dir, 'formulas-down')
        self.assertEqual(cli('transfer', 'add', 'Py formulas', '--from', 'Py:/formulas',
                             '--to', f'local:{destination}').returncode, 0)
        try:
            self.traced_run('Py formulas')
            self.assertEqual(sorted(os.listdir(destination)), sorted(names))
            report = cli('report', 'Py formulas', '--format', 'csv')
            self.assertEqual(report.returncode, 0, report.stderr)
            rows = list(csv.DictReader(io.StringIO(report.stdout, newline='')))
            self.assertEqual({row['path']: row['outcome'] for row in rows},
                             {"'=1+2.txt": 'copied', "'+SUM(A1).txt": 'copied', "'@cmd.txt": 'copied',
                              "'-3+4.txt": 'copied', 'plain=1.txt': 'copied'})
            for row in rows:
                self.assertEqual(row['size'], str(len(row['path'].lstrip("'").encode())))
            exact = cli('report', 'Py formulas', '--format', 'json')
            self.assertEqual(exact.returncode, 0, exact.stderr)
            self.assertEqual(sorted(entry['path'] for entry in json.loads(exact.stdout)), sorted(names))
        finally:
            cli('transfer', 'remove', 'Py formulas')

    def test_same_size_change_where_times_are_not_kept(self):
        for quirk in ('inetutils', 'twisted'):
            with self.subTest(server=quirk):
                self.same_size_change(quirk)

    def same_size_change(self, quirk):
        root = os.path.join(self.dir, f'{quirk}-root')
        source = os.path.join(self.dir, f'{quirk}-src')
        os.makedirs(root)
        os.makedirs(os.path.join(source, 'sub'))
        base = int(time.time()) - 5 * 86400
        files = {'same-size.txt': b'version 1\n', 'bigger.txt': b'short\n', 'unchanged.txt': b'keep me\n',
                 'sub/deep same.txt': b'AAAA' * 300}
        for rel, data in files.items():
            path = os.path.join(source, rel)
            with open(path, 'wb') as f:
                f.write(data)
            os.utime(path, (base, base))
        server = subprocess.Popen([sys.executable, SERVER, root, quirk], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        connector, transfer = f'Q {quirk}', f'Q {quirk} up'
        try:
            server.stdin.write(f'{self.user} {self.password}\n')
            server.stdin.flush()
            port = int(server.stdout.readline())
            result = cli('connector', 'add', connector, '--type', 'ftp', '--server', '127.0.0.1',
                         '--port', str(port), '--user', self.user, '--password-stdin',
                         input_text=self.password + '\n')
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            self.assertEqual(cli('transfer', 'add', transfer, '--from', f'local:{source}',
                                 '--to', f'{connector}:/up').returncode, 0)
            first = self.traced_run(transfer)
            self.assertNotRegex(first.stderr, r'> MLSD', 'the server has no MLSD: LIST lines were read')
            self.assertEqual(first.stdout.count('Modification times are not kept'), 1, first.stdout)
            self.assertIn('Files are compared by size and modification time', first.stdout)

            # The same size, a new time; a new size; the rest untouched.
            for rel, data in (('same-size.txt', b'version 2\n'), ('bigger.txt', b'much longer now\n'),
                              ('sub/deep same.txt', b'BBBB' * 300)):
                path = os.path.join(source, rel)
                with open(path, 'wb') as f:
                    f.write(data)
                os.utime(path, (base + 3600, base + 3600))
            second = self.traced_run(transfer)
            self.assertIn('Files are compared by size and by the source’s modification time recorded at their '
                          'last copy (the destination cannot keep times; 4 files on record)', second.stdout)
            self.assertIn('Copied 3 files', second.stdout)
            for rel in ('same-size.txt', 'bigger.txt', 'sub/deep same.txt'):
                self.assertIn(f'Copied {rel}', second.stdout)
            self.assertNotIn('Copied unchanged.txt', second.stdout)
            for rel in files:
                with open(os.path.join(source, rel), 'rb') as want, open(os.path.join(root, 'up', rel), 'rb') as got:
                    self.assertEqual(got.read(), want.read(), rel)

            # Nothing changed since: nothing copied, still by the recorded times.
            third = self.traced_run(transfer)
            self.assertIn('Copied 0 files', third.stdout)
            self.assertIn('4 files on record', third.stdout)
            summaries = sorted(glob.glob(os.path.join(os.environ['XDG_DATA_HOME'], 'ferry', 'runs', '*', '*.run')),
                               key=os.path.getmtime)[-3:]
            compared = []
            for summary in summaries:
                with open(summary) as f:
                    compared += re.findall(r'(?m)^Compared=(.*)$', f.read())
            self.assertEqual(compared, ['size-and-time', 'size-and-recorded-time', 'size-and-recorded-time'])
        finally:
            cli('transfer', 'remove', transfer)
            cli('connector', 'remove', connector)
            server.stdin.close()
            server.wait(timeout=10)
            server.stdout.close()

    def commands_sent(self):
        try:
            with open(self.commands) as f:
                return f.read().splitlines()
        finally:
            open(self.commands, 'w').close()

    def test_verify_checksum_by_the_servers_hash(self):
        # Server to server: both sides hashed by pyftpdlib's XSHA256.
        self.assertEqual(cli('transfer', 'add', 'Py copy', '--from', 'Py:/site',
                             '--to', 'Py:/copy').returncode, 0)
        self.traced_run('Py copy')
        self.commands_sent()
        result = cli('verify', 'Py copy', '--checksum')
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn('the source by SHA-256 computed by its server, the destination by SHA-256 '
                      'computed by its server', result.stderr)
        sent = self.commands_sent()
        self.assertEqual([c for c in sent if c.startswith('RETR')], [], 'verify downloaded a file')
        self.assertEqual(len([c for c in sent if c.startswith('XSHA256')]), 2 * 4)

        # One byte changed at the destination, same size and time.
        path = os.path.join(self.root, 'copy', 'Ordner ü', 'a b.txt')
        st = os.stat(path)
        with open(path, 'r+b') as f:
            f.write(b'y')
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        self.assertEqual(cli('verify', 'Py copy').returncode, 0)
        result = cli('verify', 'Py copy', '--checksum')
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertEqual([line for line in result.stdout.splitlines() if line.startswith('differs')],
                         ['differs Ordner ü/a b.txt (content)'])
        self.assertEqual([c for c in self.commands_sent() if c.startswith('RETR')], [])
        cli('transfer', 'remove', 'Py copy')

    def test_verify_checksum_one_side_hashed(self):
        # This machine computes the same algorithm the server offers.
        source = os.path.join(self.root, 'site')
        self.assertEqual(cli('transfer', 'add', 'Py mixed', '--from', f'local:{source}',
                             '--to', 'Py:/mixed').returncode, 0)
        self.traced_run('Py mixed')
        self.commands_sent()
        result = cli('verify', 'Py mixed', '--checksum')
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn('the source by SHA-256 of the file read here, the destination by SHA-256 '
                      'computed by its server', result.stderr)
        self.assertEqual([c for c in self.commands_sent() if c.startswith('RETR')], [])
        cli('transfer', 'remove', 'Py mixed')

    def test_verify_checksum_when_the_server_refuses_a_hash(self):
        # The server offers XSHA256 but refuses it for one file: that file is
        # read instead, the others still are not.
        source = os.path.join(self.dir, 'nohash-source')
        os.makedirs(source)
        for name, data in (('nohash.bin', b'n' * 3000), ('hashed.bin', b'h' * 3000)):
            with open(os.path.join(source, name), 'wb') as f:
                f.write(data)
        self.assertEqual(cli('transfer', 'add', 'Py refused', '--from', f'local:{source}',
                             '--to', 'Py:/refused').returncode, 0)
        self.traced_run('Py refused')
        self.commands_sent()
        result = cli('verify', 'Py refused', '--checksum')
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        retrieved = [c for c in self.commands_sent() if c.startswith('RETR')]
        self.assertEqual(len(retrieved), 1, retrieved)
        self.assertIn('nohash.bin', retrieved[0])
        cli('transfer', 'remove', 'Py refused')


class PyFtpdHashDraft(unittest.TestCase):
    """A server with draft-bryan-ftpext-hash's HASH (and OPTS HASH) instead."""

    @classmethod
    def setUpClass(cls):
        try:
            import pyftpdlib  # noqa: F401
        except ImportError:
            raise unittest.SkipTest('python3-pyftpdlib is not installed')
        cls.dir = tempfile.mkdtemp(prefix='ferry-pyftpd-hash-', dir=os.environ.get('FERRY_TEST_DIR'))
        cls.root = os.path.join(cls.dir, 'root')
        os.makedirs(os.path.join(cls.root, 'site', 'sub'))
        for rel, data in (('a.txt', b'a' * 1000), ('sub/b.bin', os.urandom(20000))):
            with open(os.path.join(cls.root, 'site', rel), 'wb') as f:
                f.write(data)
        cls.password = secrets.token_urlsafe(12)
        cls.commands = os.path.join(cls.dir, 'commands.log')
        cls.server = subprocess.Popen([sys.executable, SERVER, cls.root, cls.commands], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, text=True,
                                      env=dict(os.environ, PYFTPD_HASH='draft'))
        cls.server.stdin.write(f'ferry {cls.password}\n')
        cls.server.stdin.flush()
        port = int(cls.server.stdout.readline())
        result = cli('connector', 'add', 'Draft', '--type', 'ftp', '--server', '127.0.0.1',
                     '--port', str(port), '--user', 'ferry', '--password-stdin',
                     input_text=cls.password + '\n')
        assert result.returncode == 0, result.stdout + result.stderr

    @classmethod
    def tearDownClass(cls):
        cli('connector', 'remove', 'Draft')
        cls.server.stdin.close()
        cls.server.wait(timeout=10)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_verify_checksum_by_hash_command(self):
        destination = os.path.join(self.dir, 'down')
        self.assertEqual(cli('transfer', 'add', 'Draft down', '--from', 'Draft:/site',
                             '--to', f'local:{destination}').returncode, 0)
        self.assertEqual(cli('run', 'Draft down').returncode, 0)
        open(self.commands, 'w').close()
        result = cli('verify', 'Draft down', '--checksum')
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn('the source by SHA-256 computed by its server', result.stderr)
        with open(self.commands) as f:
            sent = f.read().splitlines()
        self.assertEqual([c for c in sent if c.startswith('RETR')], [], 'verify downloaded a file')
        self.assertEqual(len([c for c in sent if c.startswith('HASH SHA-256 ')]), 2, sent)

        # One byte changed at the destination, same size and time.
        path = os.path.join(destination, 'sub', 'b.bin')
        st = os.stat(path)
        with open(path, 'r+b') as f:
            data = f.read(1)
            f.seek(0)
            f.write(bytes([data[0] ^ 0xff]))
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        result = cli('verify', 'Draft down', '--checksum')
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn('differs sub/b.bin (content)', result.stdout)
        cli('transfer', 'remove', 'Draft down')


if __name__ == '__main__':
    unittest.main(verbosity=2)
