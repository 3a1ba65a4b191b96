#!/usr/bin/python3
# test-hostile.py: `ferry-cli run` against a server that misbehaves on
# purpose (fixtures/hostile-ftpd.py, one misbehaviour per server): hostile
# names, sizes that lie, a listing that never ends, replies that never come
# or never close, garbage instead of a reply code, a PASV answer naming
# another host, 421 to every second login.
#
# For every case: the run ends within its time limit and without a crash;
# nothing is written outside its destination (the whole temporary tree is
# compared before and after, and /etc/x must not appear); the files the
# server serves honestly arrive byte for byte; each file or folder that
# could not be copied is in the log with its reason; the exit status says
# "completed with errors" (1) exactly when something failed. Meanwhile no
# process's argv ever holds the password, and the protocol trace that
# G_MESSAGES_DEBUG=Ferry shows has "PASS ****".
#
# The cases run side by side (one server and one transfer each), so the
# slowest, a reply that never comes, sets the time of the whole test.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import concurrent.futures
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

CLI = os.environ['FERRY_CLI']
PASSWORD = os.environ.get('FERRY_TEST_PASSWORD', '')
HOSTILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'hostile-ftpd.py')
EXIT_OK, EXIT_PARTIAL = 0, 1
MIB = 1024 * 1024

GOOD = {'good-1.txt': b'good one\n', 'good-2.txt': b'good two, a little longer\n' * 100}
LONG_NAME = 'n' * 100000
STAMP_EPOCH = 1704164645   # hostile-ftpd.py's MDTM answer, 2024-01-02 03:04:05 UTC

# mode: (exit status, what must arrive besides the good files, log lines
# that must appear (regular expressions), time limit in seconds)
CASES = {
    'normal': (EXIT_OK, {}, [], 30),
    'names': (EXIT_PARTIAL, {}, [
        r'“\.\./x”: .+',
        r'“a/\.\./\.\./x”: .+',
        r'“/etc/x”: .+',
        r'“esc\\x1B\[31mred\\x1B\[0m”: the name contains a control character',
        r'“n{60,80}…”: .+',
    ], 60),
    'size-small': (EXIT_PARTIAL, {}, [r'small\.bin: .*bytes'], 120),
    'size-big': (EXIT_PARTIAL, {}, [r'big\.bin: .*bytes'], 120),
    'endless-list': (EXIT_PARTIAL, {'sub/fine.txt': b'a folder that lists fine\n'},
                     [r'endless: .+'], 150),
    'silent-list': (EXIT_PARTIAL, {'sub/fine.txt': b'a folder that lists fine\n'},
                    [r'silent: .*(time|Timeout|timed out)'], 150),
    'multiline': (EXIT_PARTIAL, {'sub/fine.txt': b'a folder that lists fine\n'},
                  [r'multi: .*(time|Timeout|timed out)'], 150),
    'silent-retr': (EXIT_PARTIAL, {}, [r'stall\.bin: .*(time|Timeout|timed out)'], 300),
    'garbage': (EXIT_PARTIAL, {}, [r'garbage\.txt: .+'], 120),
    'pasv-elsewhere': (EXIT_OK, {}, [], 60),
    '421-logins': (EXIT_OK, {}, [], 120),
    'mdtm-stray': (EXIT_OK, {}, [], 60),
    # A server that never answers QUIT does not keep the run from ending.
    'silent-quit': (EXIT_OK, {}, [], 40),
}


def cli(*args, timeout=120, **kwargs):
    return subprocess.run([CLI, *args], capture_output=True, text=True, errors='replace',
                          timeout=timeout, **kwargs)


def tree(root):
    """Every path under root (folders with a trailing '/'), symbolic links not followed."""
    found = set()
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            found.add(os.path.join(folder, name) + '/')
        for name in files:
            found.add(os.path.join(folder, name))
    return found


class Server:
    def __init__(self, mode, log_dir):
        self.mode = mode
        self.log_path = os.path.join(log_dir, f'hostile-{mode}.log')
        env = dict(os.environ, HOSTILE_FTPD_PASSWORD=PASSWORD)
        with open(self.log_path, 'wb') as log:
            self.proc = subprocess.Popen(['/usr/bin/python3', HOSTILE, mode], stdout=subprocess.PIPE,
                                         stderr=log, env=env, start_new_session=True)
        self.port = int(self.proc.stdout.readline())

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.proc.stdout.close()


class ArgvWatch(threading.Thread):
    """Reads every /proc/*/cmdline until stopped; remembers any holding the password."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stopping = threading.Event()
        self.samples = 0
        self.leaks = []

    def run(self):
        needle = PASSWORD.encode()
        while not self.stopping.is_set():
            for pid in os.listdir('/proc'):
                if not pid.isdigit():
                    continue
                try:
                    with open(f'/proc/{pid}/cmdline', 'rb') as f:
                        argv = f.read()
                except OSError:
                    continue
                if needle in argv:
                    self.leaks.append((pid, argv.replace(needle, b'<PASSWORD>')))
            self.samples += 1
            self.stopping.wait(0.05)

    def stop(self):
        self.stopping.set()
        self.join()


@unittest.skipUnless(PASSWORD, 'needs the fixture with --ftp --keyring (a test password)')
class Hostile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.top = os.environ['FERRY_TEST_DIR']
        cls.work = tempfile.mkdtemp(prefix='hostile-', dir=cls.top)
        cls.servers = {}
        cls.results = {}
        cls.before = tree(cls.top)
        cls.etc_x_before = os.path.lexists('/etc/x')
        try:
            for mode in CASES:
                server = Server(mode, cls.work)
                cls.servers[mode] = server
                result = cli('connector', 'add', f'H {mode}', '--type', 'ftp', '--server', '127.0.0.1',
                             '--port', str(server.port), '--user', 'hostile', '--password-stdin',
                             input=PASSWORD + '\n', timeout=90)
                assert result.returncode == 0, f'{mode}: connector add: {result.stdout}{result.stderr}'
                destination = os.path.join(cls.work, mode, 'inside')
                result = cli('transfer', 'add', f'T {mode}', '--from', f'H {mode}:/',
                             '--to', f'local:{destination}')
                assert result.returncode == 0, f'{mode}: transfer add: {result.stderr}'

            watch = ArgvWatch()
            watch.start()
            with concurrent.futures.ThreadPoolExecutor(len(CASES)) as pool:
                futures = {mode: pool.submit(cls.run_case, mode) for mode in CASES}
                cls.results = {mode: f.result() for mode, f in futures.items()}
            watch.stop()
            cls.watch = watch
        finally:
            for server in cls.servers.values():
                server.stop()
        cls.after = tree(cls.top)

    @classmethod
    def run_case(cls, mode):
        limit = CASES[mode][3]
        # Dead servers are found out in 5 s instead of 30–60 s: the same
        # code path, a shorter wait (FERRY_NETWORK_TIMEOUT, ferry-cli(1)).
        env = dict(os.environ, G_MESSAGES_DEBUG='Ferry', FERRY_NETWORK_TIMEOUT='5')
        started = time.monotonic()
        try:
            result = cli('run', f'T {mode}', timeout=limit, env=env)
            status, stdout, stderr = result.returncode, result.stdout, result.stderr
        except subprocess.TimeoutExpired as e:
            status = 'hang'
            stdout, stderr = (x.decode(errors='replace') if isinstance(x, bytes) else (x or '')
                              for x in (e.stdout, e.stderr))
        elapsed = time.monotonic() - started
        log = cli('log', f'T {mode}')
        listed = cli('transfer', 'list', '--json')
        state = {t['name']: t for t in json.loads(listed.stdout)}[f'T {mode}']['last_run']['state']
        return {'status': status, 'stdout': stdout, 'stderr': stderr, 'elapsed': elapsed,
                'log': log.stdout, 'log_status': log.returncode, 'state': state}

    @classmethod
    def tearDownClass(cls):
        for mode in CASES:
            print(f'  {mode}: exit {cls.results.get(mode, {}).get("status")} '
                  f'in {cls.results.get(mode, {}).get("elapsed", 0):.1f} s', file=sys.stderr)
        shutil.rmtree(cls.work, ignore_errors=True)

    def check(self, mode):
        expected_status, extra, patterns, limit = CASES[mode]
        r = self.results[mode]
        trace = '\n'.join(r['stderr'].splitlines()[-40:])
        context = f'\n--- stdout ---\n{r["stdout"][-4000:]}\n--- stderr (last lines) ---\n{trace}'
        self.assertNotEqual(r['status'], 'hang', f'{mode}: no end within {limit} s{context}')
        self.assertGreaterEqual(r['status'], 0, f'{mode}: killed by a signal (a crash){context}')
        for bad in ('AddressSanitizer', 'LeakSanitizer', 'runtime error:', 'CRITICAL', 'Segmentation'):
            self.assertNotIn(bad, r['stderr'], f'{mode}{context}')
        self.assertEqual(r['status'], expected_status, f'{mode}{context}')
        self.assertEqual(r['state'], 'completed-with-errors' if expected_status == EXIT_PARTIAL
                         else 'completed', context)

        # What arrived: exactly the honest files, byte for byte, under final
        # names; anything else there is a temporary name.
        destination = os.path.join(self.work, mode, 'inside')
        wanted = dict(GOOD, **extra)
        for rel, data in wanted.items():
            path = os.path.join(destination, rel)
            self.assertTrue(os.path.isfile(path), f'{mode}: {rel} did not arrive{context}')
            with open(path, 'rb') as f:
                self.assertTrue(f.read() == data, f'{mode}: {rel} differs')
        for path in tree(destination):
            rel = os.path.relpath(path.rstrip('/'), destination)
            if path.endswith('/'):
                continue
            name = os.path.basename(rel)
            self.assertTrue(rel in wanted or (name.startswith('.') and name.endswith('.ferry-part')),
                            f'{mode}: unexpected file {rel!r} in the destination')

        # Each file keeps the server's exact time (MDTM), not the listing's
        # day, whether it came in a burst or one at a time.
        for rel in GOOD:
            self.assertEqual(os.stat(os.path.join(destination, rel)).st_mtime, STAMP_EPOCH,
                             f'{mode}: {rel} lost its time{context}')

        # Every failure has its line in the run's log, reason included.
        for pattern in patterns:
            self.assertRegex(r['log'], pattern, f'{mode}: the log\n{r["log"]}')
        for line in r['log'].splitlines():
            self.assertNotRegex(line, r'[\x00-\x08\x0b-\x1f\x7f]', f'{mode}: control byte in the log')

        # The protocol trace masks the password.
        if expected_status is not None and mode != 'names':
            self.assertIn('> PASS ****', r['stderr'], f'{mode}: no masked PASS in the trace')

    def test_nothing_outside_the_destinations(self):
        allowed = [os.path.join(self.work, ''), os.path.join(os.environ['XDG_CONFIG_HOME'], 'ferry', ''),
                   os.path.join(os.environ['XDG_DATA_HOME'], 'ferry', ''),
                   os.path.join(os.environ['XDG_DATA_HOME'], 'keyrings', '')]
        outside = [p for p in self.after - self.before
                   if not any(p.startswith(a) for a in allowed)]
        self.assertEqual(outside, [], 'written outside the destinations')
        # Within the work folder: only the destinations and the servers' logs.
        for path in tree(self.work):
            rel = os.path.relpath(path, self.work)
            first = rel.split(os.sep)[0]
            self.assertTrue(first.startswith('hostile-') or
                            (first in CASES and (rel.rstrip('/') == first or
                                                 rel.startswith(os.path.join(first, 'inside')))),
                            f'written outside a destination: {rel}')
        self.assertEqual(os.path.lexists('/etc/x'), self.etc_x_before)

    def test_mdtm_stray_falls_back(self):
        # The burst met the stray reply: that session was dropped, and the
        # times were asked again one file at a time.
        r = self.results['mdtm-stray']
        self.assertIn('< 110 A stray reply out of turn', r['stderr'])
        self.assertGreaterEqual(r['stderr'].count('> MDTM /good-1.txt'), 2, r['stderr'][-4000:])

    def test_no_password_in_argv(self):
        self.assertGreater(self.watch.samples, 10)
        self.assertEqual(self.watch.leaks, [])

    def test_password_in_no_log(self):
        for mode, r in self.results.items():
            for what in ('stdout', 'stderr', 'log'):
                self.assertNotIn(PASSWORD, r[what], f'{mode}: {what}')


for _mode in CASES:
    setattr(Hostile, 'test_' + _mode.replace('-', '_'), lambda self, m=_mode: self.check(m))


if __name__ == '__main__':
    unittest.main(verbosity=2)
