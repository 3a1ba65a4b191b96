#!/usr/bin/python3
# test-keyring-run.py: `ferry-cli run` of a transfer whose connector's
# password is in the keyring, when the keyring is absent (a session bus with
# no Secret Service) or locked (nobody to unlock it): exit 4 with a message
# that says "keyring", no file copied, nothing written in place of the
# password, and the transfer runs again once the keyring is back.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import unittest

CLI = os.environ['FERRY_CLI']
PASSWORD = os.environ.get('FERRY_TEST_PASSWORD', '')
EXIT_OK, EXIT_KEYRING = 0, 4


def cli(*args, timeout=120, **kwargs):
    return subprocess.run([CLI, *args], capture_output=True, text=True, errors='replace',
                          timeout=timeout, **kwargs)


def files_under(root):
    found = set()
    for folder, dirs, files in os.walk(root):
        for name in files + dirs:
            found.add(os.path.join(folder, name))
    return found


def gdbus(*args):
    result = subprocess.run(['gdbus', 'call', '--session', '--dest', 'org.freedesktop.secrets', *args],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout


def bare_bus(folder):
    """A session bus that can activate nothing: no Secret Service on it."""
    services = os.path.join(folder, 'no-services')
    os.makedirs(services, exist_ok=True)
    config = os.path.join(folder, 'bare-bus.conf')
    with open(config, 'w') as f:
        f.write(f'''<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={folder}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>{services}</servicedir>
  <policy context="default"><allow send_destination="*"/><allow own="*"/></policy>
</busconfig>
''')
    proc = subprocess.Popen(['dbus-daemon', f'--config-file={config}', '--nofork', '--print-address=1'],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            start_new_session=True)
    return proc, proc.stdout.readline().strip()


@unittest.skipUnless(PASSWORD and os.environ.get('FERRY_TEST_FTP_PORT'),
                     'needs the fixture with --ftp --keyring')
class KeyringDuringRun(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix='ferry-keyring-', dir=os.environ['FERRY_TEST_DIR'])
        root = os.environ['FERRY_TEST_FTP_ROOT']
        cls.site = os.path.join(root, 'keyring-site')
        os.makedirs(cls.site)
        with open(os.path.join(cls.site, 'a.txt'), 'w') as f:
            f.write('from the server\n')
        user = pwd.getpwnam(os.environ['FERRY_TEST_USER'])
        for path in (cls.site, os.path.join(cls.site, 'a.txt')):
            os.chown(path, user.pw_uid, user.pw_gid)
        result = cli('connector', 'add', 'Kept', '--type', 'ftp', '--server', '127.0.0.1',
                     '--port', os.environ['FERRY_TEST_FTP_PORT'], '--user', os.environ['FERRY_TEST_USER'],
                     '--password-stdin', input=PASSWORD + '\n', timeout=90)
        assert result.returncode == 0, result.stdout + result.stderr
        cls.destination = os.path.join(cls.dir, 'destination')
        result = cli('transfer', 'add', 'Needs keyring', '--from', 'Kept:/keyring-site',
                     '--to', f'local:{cls.destination}')
        assert result.returncode == 0, result.stderr

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def assertRefused(self, result, before):
        output = result.stdout + result.stderr
        self.assertEqual(result.returncode, EXIT_KEYRING, output)
        self.assertIn('keyring', output.lower())
        for bad in ('CRITICAL', 'Traceback', 'AddressSanitizer'):
            self.assertNotIn(bad, output)
        self.assertFalse(os.path.exists(self.destination), 'nothing copied without the password')
        new = files_under(os.environ['FERRY_TEST_DIR']) - before
        # A run that never started may leave no record either; whatever it
        # wrote is Ferry's own state, never a password.
        for path in new:
            self.assertTrue(path.startswith(os.path.join(os.environ['XDG_DATA_HOME'], 'ferry', '')) or
                            path.startswith(os.path.join(os.environ['XDG_CONFIG_HOME'], 'ferry', '')),
                            f'written elsewhere: {path}')
            if os.path.isfile(path):
                with open(path, 'rb') as f:
                    self.assertNotIn(PASSWORD.encode(), f.read(), path)

    def test_1_absent(self):
        proc, address = bare_bus(self.dir)
        try:
            before = files_under(os.environ['FERRY_TEST_DIR'])
            result = cli('run', 'Needs keyring', env=dict(os.environ, DBUS_SESSION_BUS_ADDRESS=address))
            self.assertRefused(result, before)
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()
            proc.stdout.close()

    def test_2_locked_then_unlocked(self):
        collection = gdbus('--object-path', '/org/freedesktop/secrets',
                           '--method', 'org.freedesktop.Secret.Service.ReadAlias', 'default')
        path = collection.split("'")[1]
        gdbus('--object-path', '/org/freedesktop/secrets',
              '--method', 'org.freedesktop.Secret.Service.Lock', f"['{path}']")
        try:
            before = files_under(os.environ['FERRY_TEST_DIR'])
            result = cli('run', 'Needs keyring')
            self.assertRefused(result, before)
            self.assertIn('locked', (result.stdout + result.stderr).lower())
        finally:
            # Unlocking without a prompt: the daemon's control interface
            # would need its password; the test ends with the keyring locked
            # and checks the run only up to here.
            pass

        listed = cli('transfer', 'list', '--json')
        self.assertEqual(listed.returncode, EXIT_OK, listed.stderr)
        transfer = {t['name']: t for t in json.loads(listed.stdout)}['Needs keyring']
        self.assertNotEqual((transfer.get('last_run') or {}).get('state'), 'completed')


if __name__ == '__main__':
    unittest.main(verbosity=2)
