#!/usr/bin/python3
# test-cli-connector.py: `ferry-cli connector …` against the real vsftpd,
# sshd and gnome-keyring of ferry-testenv.py — every type authorizes, every
# failure names its step and what to do, certificates and host keys are
# pinned only on --trust and refused once they change, and the password never
# reaches argv or a file.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import subprocess
import threading
import unittest

CLI = os.environ['FERRY_CLI']
USER = os.environ['FERRY_TEST_USER']
PASSWORD = os.environ['FERRY_TEST_PASSWORD']
PORTS = {
    'ftp': os.environ['FERRY_TEST_FTP_PORT'],
    'ftps-explicit': os.environ['FERRY_TEST_FTPS_PORT'],
    'ftps-implicit': os.environ['FERRY_TEST_FTPS_IMPLICIT_PORT'],
    'sftp': os.environ['FERRY_TEST_SFTP_PORT'],
}
EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_CONNECT, EXIT_KEYRING = 0, 1, 2, 3, 4


def cli(*args, password=None):
    stdin = None if password is None else password + '\n'
    return subprocess.run([CLI, *args], input=stdin, capture_output=True, text=True, timeout=90)


def add(name, kind, *extra, password=PASSWORD, port=None):
    return cli('connector', 'add', name, '--type', kind, '--server', '127.0.0.1',
               '--port', port or PORTS[kind], '--user', USER, '--password-stdin', *extra,
               password=password)


def listed():
    result = cli('connector', 'list', '--json')
    assert result.returncode == 0, result.stderr
    return {c['name']: c for c in json.loads(result.stdout)}


def trust_for(kind):
    if kind == 'sftp':
        return os.environ['FERRY_TEST_SSH_HOSTKEY_SHA256']
    return os.environ['FERRY_TEST_CERT_SHA256']


class Authorize(unittest.TestCase):
    def tearDown(self):
        for name in listed():
            cli('connector', 'remove', name)

    def assertFailedAt(self, result, step, hint_words):
        self.assertEqual(result.returncode, EXIT_CONNECT, result.stdout + result.stderr)
        self.assertRegex(result.stdout, rf'✗ {step}')
        for word in hint_words:
            self.assertIn(word, result.stdout)
        self.assertNotIn('Saved connector', result.stdout)

    def test_each_type_authorizes(self):
        for kind in ('ftp', 'ftps-explicit', 'ftps-implicit', 'sftp'):
            with self.subTest(kind=kind):
                extra = () if kind == 'ftp' else ('--trust', trust_for(kind))
                result = add(f'Site {kind}', kind, *extra)
                self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
                self.assertIn('✓ Log in', result.stdout)
                self.assertIn('✓ List the folder', result.stdout)
                connector = listed()[f'Site {kind}']
                self.assertEqual(connector['type'], kind)
                self.assertEqual(connector['pinned'], kind != 'ftp')
                self.assertEqual(connector['username'], USER)
                self.assertNotIn('password', connector)
                # And it tests fine later, with the password from the keyring.
                self.assertEqual(cli('connector', 'test', f'Site {kind}').returncode, EXIT_OK)

    def test_untrusted_certificate_is_shown_not_saved(self):
        result = add('Untrusted', 'ftps-explicit')
        self.assertFailedAt(result, 'Secure the connection', ['fingerprint'])
        self.assertIn(os.environ['FERRY_TEST_CERT_SHA256'], result.stdout)
        self.assertIn('Subject:', result.stdout)
        self.assertIn('Issuer:', result.stdout)
        self.assertIn('Valid:', result.stdout)
        self.assertIn('--trust', result.stdout)
        self.assertNotIn('Untrusted', listed())

    def test_wrong_trust_fingerprint_trusts_nothing(self):
        result = add('WrongTrust', 'ftps-explicit', '--trust', 'AA:' * 31 + 'AA')
        self.assertEqual(result.returncode, EXIT_CONNECT)
        self.assertIn('not the one the server presents', result.stderr)
        self.assertNotIn('WrongTrust', listed())

    def test_sftp_host_key_first_contact(self):
        result = add('NewHost', 'sftp')
        self.assertFailedAt(result, 'Check the host key', [os.environ['FERRY_TEST_SSH_HOSTKEY_SHA256']])
        self.assertNotIn('✓ Log in', result.stdout)   # nothing sent before trust

    def test_sftp_changed_host_key_refused(self):
        old_key = trust_for('sftp')
        self.assertEqual(add('Ssh', 'sftp', '--trust', old_key).returncode, EXIT_OK)
        # Claiming another key trusts nothing and keeps the old pin.
        result = cli('connector', 'reauthorize', 'Ssh', '--password-stdin', '--trust',
                     'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', password=PASSWORD)
        self.assertEqual(result.returncode, EXIT_CONNECT)
        self.assertEqual(cli('connector', 'test', 'Ssh').returncode, EXIT_OK)

        # The server's host key changes: refused before logging in, both shown.
        ctl = subprocess.run(['python3', os.environ['FERRY_TEST_CTL'], 'regen-hostkey'],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(ctl.returncode, 0, ctl.stderr)
        new_key = ctl.stdout.strip()
        self.assertNotEqual(new_key, old_key)
        result = cli('connector', 'test', 'Ssh')
        self.assertFailedAt(result, 'Check the host key', ['different key', old_key, new_key])
        self.assertNotIn('✓ Log in', result.stdout)
        os.environ['FERRY_TEST_SSH_HOSTKEY_SHA256'] = new_key

    def test_wrong_password(self):
        result = add('BadPass', 'ftp', password='not-' + PASSWORD)
        self.assertFailedAt(result, 'Log in', ['user name or password'])
        self.assertIn('530', result.stdout)
        self.assertNotIn('BadPass', listed())

    def test_wrong_port(self):
        result = add('Closed', 'ftp', port='1')
        self.assertFailedAt(result, 'Connect', ['port', 'firewall', 'allow-list'])

    def test_plain_ftp_against_tls_only_server(self):
        result = add('PlainOnTls', 'ftp', port=PORTS['ftps-explicit'])
        self.assertFailedAt(result, 'Log in', ['FTP over TLS (explicit)'])

    def test_implicit_against_explicit_port(self):
        result = add('ImplicitWrong', 'ftps-implicit', '--trust', trust_for('ftps-implicit'),
                     port=PORTS['ftps-explicit'])
        self.assertFailedAt(result, 'Secure the connection', ['FTP over TLS (explicit)'])

    def test_explicit_against_implicit_port(self):
        result = add('ExplicitWrong', 'ftps-explicit', '--trust', trust_for('ftps-explicit'),
                     port=PORTS['ftps-implicit'])
        self.assertFailedAt(result, 'Connect', ['FTP over TLS (implicit)'])

    def test_certificate_regenerated_is_refused(self):
        self.assertEqual(add('Pinned', 'ftps-explicit', '--trust', trust_for('ftps-explicit')).returncode,
                         EXIT_OK)
        ctl = subprocess.run(['python3', os.environ['FERRY_TEST_CTL'], 'regen-cert'],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(ctl.returncode, 0, ctl.stdout + ctl.stderr)
        new_fingerprint = ctl.stdout.strip()
        self.assertNotEqual(new_fingerprint, os.environ['FERRY_TEST_CERT_SHA256'])

        result = cli('connector', 'test', 'Pinned')
        self.assertFailedAt(result, 'Secure the connection', ['different key'])
        self.assertIn(new_fingerprint, result.stdout)
        self.assertIn('you trusted sha256//', result.stdout)

        # Trusting the new certificate deliberately works again.
        result = cli('connector', 'reauthorize', 'Pinned', '--password-stdin', '--trust', new_fingerprint,
                     password=PASSWORD)
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        self.assertIn('✓ Secure the connection', result.stdout)
        # Later cases trust the certificate the server has now.
        os.environ['FERRY_TEST_CERT_SHA256'] = new_fingerprint

    def test_reauthorize_keeps_id_changes_secret(self):
        self.assertEqual(add('Keep', 'ftp').returncode, EXIT_OK)
        before = listed()['Keep']
        # A wrong password is checked and refused: nothing changes.
        result = cli('connector', 'reauthorize', 'Keep', '--password-stdin', password='wrong')
        self.assertEqual(result.returncode, EXIT_CONNECT)
        lookup = subprocess.run(['secret-tool', 'lookup', 'id', before['id']], capture_output=True, text=True)
        self.assertEqual(lookup.stdout, PASSWORD)

        result = cli('connector', 'reauthorize', 'Keep', '--password-stdin', password=PASSWORD)
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        after = listed()['Keep']
        self.assertEqual(after['id'], before['id'])
        search = subprocess.run(['secret-tool', 'search', '--all', 'id', before['id']],
                                capture_output=True, text=True)
        self.assertEqual(search.stdout.count('[/'), 1, search.stdout)

    def test_duplicate_name_refused(self):
        self.assertEqual(add('Twin', 'ftp').returncode, EXIT_OK)
        result = add('twin', 'ftp')
        self.assertEqual(result.returncode, EXIT_USAGE)
        self.assertIn('already exists', result.stderr)
        self.assertEqual(len([n for n in listed() if n.lower() == 'twin']), 1)

    def test_bad_server_and_port_input(self):
        cases = [
            ('ftp example.com', None, 'spaces'),
            ('', None, 'Enter the server'),
            ('https://cloud.example.com/index.php/apps/files/', None, 'remote.php/dav/files/USER'),
            ('ftp://user:secret@127.0.0.1/', None, 'Password field'),
            ('127.0.0.1', '0', 'between 1 and 65535'),
            ('127.0.0.1', '65536', 'between 1 and 65535'),
            ('127.0.0.1', 'ftp', 'number'),
            ('127.0.0.1:99999', None, 'between 1 and 65535'),
            ('ftp.exa\x07mple.com', None, 'control character'),
        ]
        for server, port, words in cases:
            with self.subTest(server=server, port=port):
                args = ['connector', 'add', 'Bad', '--type', 'ftp', '--server', server]
                if port is not None:
                    args += ['--port', port]
                result = cli(*args)
                self.assertEqual(result.returncode, EXIT_USAGE, result.stderr)
                self.assertIn(words, result.stderr)
                self.assertNotIn('secret', result.stderr)
        self.assertEqual(listed(), {})

    def test_domain_input(self):
        cases = [
            ('ftp', 'OFFICE', 'Only SMB'),
            ('smb', 'BAD\\DOMAIN', 'domain'),
            ('smb', 'D' * 300, 'longer than'),
        ]
        for kind, domain, words in cases:
            with self.subTest(kind=kind, domain=domain):
                result = cli('connector', 'add', 'Bad', '--type', kind, '--server', '127.0.0.1',
                             '--domain', domain)
                self.assertEqual(result.returncode, EXIT_USAGE, result.stderr)
                self.assertIn(words, result.stderr)
        result = cli('connector', 'add', 'Bad', '--type', 'gopher', '--server', '127.0.0.1')
        self.assertEqual(result.returncode, EXIT_USAGE, result.stderr)
        self.assertIn('webdav, webdavs, smb or gio', result.stderr)
        self.assertEqual(listed(), {})

    def test_url_in_server_field_fills_the_rest(self):
        url = f'ftp://{USER}@127.0.0.1:{PORTS["ftp"]}/'
        result = cli('connector', 'add', 'FromUrl', '--server', url, '--password-stdin', password=PASSWORD)
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        connector = listed()['FromUrl']
        self.assertEqual((connector['type'], connector['port'], connector['username']),
                         ('ftp', int(PORTS['ftp']), USER))

    def test_password_never_in_argv(self):
        seen = []
        stop = threading.Event()

        def scan():
            while not stop.is_set():
                for pid in os.listdir('/proc'):
                    if pid.isdigit():
                        try:
                            with open(f'/proc/{pid}/cmdline', 'rb') as f:
                                if PASSWORD.encode() in f.read():
                                    seen.append(pid)
                        except OSError:
                            pass

        scanner = threading.Thread(target=scan)
        scanner.start()
        try:
            for kind in ('ftp', 'ftps-explicit', 'sftp'):
                extra = () if kind == 'ftp' else ('--trust', trust_for(kind))
                add(f'Argv {kind}', kind, *extra)
        finally:
            stop.set()
            scanner.join()
        self.assertEqual(seen, [])

    def test_zz_password_in_no_file(self):
        # Runs last (alphabetical): everything above has written what it writes.
        leaks = []
        for root, _, files in os.walk(os.environ['FERRY_TEST_DIR']):
            for name in files:
                path = os.path.join(root, name)
                if os.path.islink(path) or not os.path.isfile(path):
                    continue
                try:
                    with open(path, 'rb') as f:
                        if PASSWORD.encode() in f.read():
                            leaks.append(path)
                except OSError:
                    pass
        self.assertEqual(leaks, [])


if __name__ == '__main__':
    unittest.main(verbosity=2)
