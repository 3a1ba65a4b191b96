#!/usr/bin/python3
# test-limits.py: servers that limit connections, and Connections:
# Automatic (issues 25 and 26), against real servers: ProFTPD with
# MaxClientsPerHost 2 over FTP and over SFTP (mod_sftp: a third session is
# "Unable to startup channel"), and sshd with MaxStartups 2:100:2 (a third
# connection still logging in is closed during the banner exchange).
#
#  - an SFTP server's refused channel, and sshd's closed banner, are "too
#    many connections" as FTP's 421/530 are: fewer workers, the file handed
#    back to a worker that works, a warning naming the number kept, no file
#    failed; in both directions
#  - Connections: Automatic stops at such a limit, says so in the log,
#    remembers it for the connector, and the next run starts within it
#
# SPDX-License-Identifier: GPL-3.0-or-later

import configparser
import ftplib
import json
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
import unittest

CLI = os.environ['FERRY_CLI']
EXIT_OK = 0
ROOT = os.environ.get('FERRY_TEST_FTP_ROOT', '')
BASE = int(time.time()) - 40 * 86400 + 17
PART_SUFFIX = '.ferry-part'


def cli(*args, input_text=None, timeout=600):
    return subprocess.run([CLI, *args], input=input_text, capture_output=True, text=True, timeout=timeout)


def write(path, data, mtime):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)
    os.utime(path, (mtime, mtime))


def make_files(root, count, size=2000, folders=6):
    for i in range(count):
        write(os.path.join(root, f'd{i % folders}', f'f{i:04d}.bin'), os.urandom(size), BASE + i)


def snapshot(root):
    found = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, 'rb') as f:
                found[os.path.relpath(path, root)] = (int(os.path.getmtime(path)), f.read())
    return found


def give_to_user(path):
    entry = pwd.getpwnam(os.environ['FERRY_TEST_USER'])
    os.chown(path, entry.pw_uid, entry.pw_gid)
    for folder, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(os.path.join(folder, name), entry.pw_uid, entry.pw_gid)


def part_files(root):
    return [os.path.join(folder, name) for folder, _, files in os.walk(root)
            for name in files if name.endswith(PART_SUFFIX)]


def connector_id(name):
    for connector in json.loads(cli('connector', 'list', '--json').stdout):
        if connector['name'] == name:
            return connector['id']
    raise AssertionError(f'no connector {name}')


def remembered_limits():
    path = os.path.join(os.environ['XDG_DATA_HOME'], 'ferry', 'connection-limits')
    parser = configparser.ConfigParser()
    parser.optionxform = str
    parser.read(path)
    return {group: int(parser[group]['Limit']) for group in parser.sections()}


@unittest.skipUnless(os.environ.get('FERRY_TEST_PROFTPD_SFTP_LIMITED_PORT'), 'needs ferry-testenv.py --proftpd')
class Limits(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix='ferry-limits-', dir=os.environ.get('FERRY_TEST_DIR'))
        for name, kind, port, trust in (
                ('ProLim', 'ftp', 'FERRY_TEST_PROFTPD_LIMITED_PORT', None),
                ('ProLimAuto', 'ftp', 'FERRY_TEST_PROFTPD_LIMITED_PORT', None),
                ('ProSftpLim', 'sftp', 'FERRY_TEST_PROFTPD_SFTP_LIMITED_PORT',
                 os.environ.get('FERRY_TEST_PROFTPD_SFTP_HOSTKEY_SHA256')),
                ('ProSftpAuto', 'sftp', 'FERRY_TEST_PROFTPD_SFTP_LIMITED_PORT',
                 os.environ.get('FERRY_TEST_PROFTPD_SFTP_HOSTKEY_SHA256')),
                ('SshLim', 'sftp', 'FERRY_TEST_SFTP_LIMITED_PORT', os.environ.get('FERRY_TEST_SSH_HOSTKEY_SHA256'))):
            result = cli('connector', 'add', name, '--type', kind, '--server', '127.0.0.1',
                         '--port', os.environ[port], '--user', os.environ['FERRY_TEST_USER'],
                         '--password-stdin', *(['--trust', trust] if trust else []),
                         input_text=os.environ['FERRY_TEST_PASSWORD'] + '\n')
            assert result.returncode == 0, result.stdout + result.stderr

    def transfer(self, name, source, destination, *options):
        result = cli('transfer', 'add', name, '--from', source, '--to', destination, *options)
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)

    def run_ok(self, name):
        result = cli('run', name)
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        # Every file copied: no error line, and the summary counts none failed.
        self.assertNotRegex(result.stdout, r'(?m)^error:')
        self.assertNotRegex(result.stdout, r'failed [1-9]')
        return result

    def assert_fewer(self, output, most):
        numbers = [int(n) for n in re.findall(r'too many connections: going on with (\d+)', output)]
        self.assertTrue(numbers, output)
        self.assertLessEqual(max(numbers), most, output)

    def refusals(self, flavour):
        path = os.path.join(os.environ['FERRY_TEST_DIR'], 'logs', f'proftpd-{flavour}.log')
        with open(path, errors='replace') as f:
            return f.read().count('Connection refused (MaxClientsPerHost')

    def run_at_limit(self, name, kind, destination):
        """Runs @name while another client holds one of ProFTPD's two
        places. ProFTPD checks MaxClientsPerHost against the sessions its
        scoreboard shows logged in, and logins that overlap do not see each
        other: under load, every login of a run got in (no refusal in the
        server's log, 200 files copied in 0.6 s). Such a run says nothing
        about Ferry at a limit, so it is made again from an empty
        destination, at most twice; the run the server refused is the one
        the test asserts on."""
        flavour = 'limited' if kind == 'ftp' else 'sftp-limited'
        for attempt in range(3):
            before = self.refusals(flavour)
            holder = self.hold_place(kind)
            try:
                result = self.run_ok(name)
            finally:
                holder()
            if 'too many connections' in result.stdout or self.refusals(flavour) > before or attempt == 2:
                return result
            shutil.rmtree(destination)

    # --- issue 25, item 1: SFTP servers that limit sessions ----------------------------

    def test_proftpd_sftp_limit_both_directions(self):
        # Another client holds one of the server's two places, and the
        # walk's session is in before any worker's: every worker's session
        # is one too many (see run_at_limit()).
        source = os.path.join(self.dir, 'sftp-src')
        make_files(source, 320)
        up = os.path.join(ROOT, 'sftp-limit-up')
        self.transfer('Sftp up', f'local:{source}', f'ProSftpLim:{up}', '--parallel', '4')
        result = self.run_at_limit('Sftp up', 'sftp', up)
        self.assert_fewer(result.stdout, 1)
        self.assertEqual(snapshot(source), snapshot(up))
        self.assertEqual(part_files(up), [])

        give_to_user(up)
        down = os.path.join(self.dir, 'sftp-limit-down')
        self.transfer('Sftp down', f'ProSftpLim:{up}', f'local:{down}', '--parallel', '4')
        result = self.run_at_limit('Sftp down', 'sftp', down)
        self.assert_fewer(result.stdout, 1)
        self.assertEqual(snapshot(source), snapshot(down))
        self.assertEqual(part_files(down), [])

    def test_sshd_max_startups(self):
        source = os.path.join(ROOT, 'startups-src')
        make_files(source, 300)
        give_to_user(source)
        down = os.path.join(self.dir, 'startups-down')
        self.transfer('Startups', f'SshLim:{source}', f'local:{down}', '--parallel', '8')
        result = self.run_ok('Startups')
        self.assertEqual(snapshot(source), snapshot(down))
        self.assertEqual(part_files(down), [])
        # sshd let at most two in at a time: the rest were closed in the
        # banner exchange, and the run went on with fewer.
        self.assertIn('too many connections: going on with', result.stdout)
        up = os.path.join(ROOT, 'startups-up')
        self.transfer('Startups up', f'local:{down}', f'SshLim:{up}', '--parallel', '8')
        self.run_ok('Startups up')
        self.assertEqual(snapshot(source), snapshot(up))

    # --- issue 26: Connections: Automatic at a server's limit ------------------------------

    def check_auto(self, connector, kind):
        source = os.path.join(self.dir, f'auto-{kind}-src')
        make_files(source, 200)
        destination = os.path.join(ROOT, f'auto-{kind}-up')
        self.transfer(f'Auto {kind}', f'local:{source}', f'{connector}:{destination}')
        listed = {t['name']: t for t in json.loads(cli('transfer', 'list', '--json').stdout)}
        self.assertEqual(listed[f'Auto {kind}']['parallel'], 'auto')
        # Another client holds one of the two places for sure.
        out = self.run_at_limit(f'Auto {kind}', kind, destination).stdout
        self.assertIn('Connections: automatic, starting with 4, at most 16', out)
        self.assert_fewer(out, 1)
        self.assertRegex(out, r'Connections: at most 1 from now on, also in later runs: the server accepts no more')
        self.assertEqual(snapshot(source), snapshot(destination))
        self.assertEqual(part_files(destination), [])
        self.assertEqual(remembered_limits().get(connector_id(connector)), 1)

        # The next run of any transfer through that connector starts within
        # the limit, and meets no refusal.
        more = os.path.join(self.dir, f'auto-{kind}-more')
        make_files(more, 60)
        self.transfer(f'Auto {kind} 2', f'local:{more}', f'{connector}:{destination}-2')
        again = self.run_ok(f'Auto {kind} 2')
        self.assertIn('Connections: automatic, starting with 1, at most 1: the server accepted no more '
                      'on an earlier run', again.stdout)
        self.assertNotIn('too many connections', again.stdout)
        self.assertEqual(snapshot(more), snapshot(destination + '-2'))

    def hold_place(self, kind):
        if kind == 'ftp':
            other = ftplib.FTP()
            other.connect('127.0.0.1', int(os.environ['FERRY_TEST_PROFTPD_LIMITED_PORT']), timeout=30)
            other.login(os.environ['FERRY_TEST_USER'], os.environ['FERRY_TEST_PASSWORD'])
            return other.close
        # An SFTP session through ssh's own client, kept open on stdin.
        env = dict(os.environ)
        askpass = os.path.join(self.dir, 'askpass.sh')
        with open(askpass, 'w') as f:
            f.write('#!/bin/sh\nprintf "%s\\n" "$FERRY_TEST_PASSWORD"\n')
        os.chmod(askpass, 0o700)
        env.update({'SSH_ASKPASS': askpass, 'SSH_ASKPASS_REQUIRE': 'force', 'DISPLAY': ':0'})
        proc = subprocess.Popen(['sftp', '-q', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
                                 '-o', 'PubkeyAuthentication=no', '-P', os.environ['FERRY_TEST_PROFTPD_SFTP_LIMITED_PORT'],
                                 f'{os.environ["FERRY_TEST_USER"]}@127.0.0.1'],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                env=env, text=True, start_new_session=True)
        proc.stdin.write('pwd\n')
        proc.stdin.flush()
        said = ''
        for _ in range(5):
            said += proc.stdout.readline()
            if 'Remote working directory' in said:
                break
        self.assertIn('Remote working directory', said)

        def stop():
            proc.stdin.close()
            proc.wait(timeout=10)
            proc.stdout.close()
        return stop

    def test_auto_ftp_limit_is_learned(self):
        self.check_auto('ProLimAuto', 'ftp')

    def test_auto_sftp_limit_is_learned(self):
        self.check_auto('ProSftpAuto', 'sftp')


if __name__ == '__main__':
    unittest.main(verbosity=2)
