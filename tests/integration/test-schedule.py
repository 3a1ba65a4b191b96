#!/usr/bin/python3
# test-schedule.py: scheduled runs through `ferry-cli schedule run-due` on
# the real clock, moved forward with Debian's faketime: nothing runs before
# its time; two hours later an hourly transfer runs once and copies only
# what changed; thirty days later it runs once, not 720 times; a transfer
# that another process is running (it holds the lock) is skipped and the
# skip is recorded; the autostart entry comes with the first schedule and
# goes with the last. Local→local transfers: no servers, no keyring.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import unittest

CLI = os.environ['FERRY_CLI']
EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2
AUTOSTART = 'io.github.ferrymigrate.Ferry.desktop'


@unittest.skipUnless(shutil.which('faketime'), 'faketime is not installed')
class Schedule(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='ferry-schedule-', dir=os.environ.get('FERRY_TEST_DIR'))
        self.env = dict(os.environ,
                        XDG_CONFIG_HOME=os.path.join(self.dir, 'config'),
                        XDG_DATA_HOME=os.path.join(self.dir, 'data'),
                        LC_ALL='C.UTF-8', LANGUAGE='')
        self.env.pop('FLATPAK_ID', None)
        self.src = os.path.join(self.dir, 'src')
        self.out = os.path.join(self.dir, 'out')
        os.makedirs(self.src)
        for name in ('a.txt', 'b.txt', 'c.txt'):
            self.write(name, name * 10)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def write(self, name, text):
        with open(os.path.join(self.src, name), 'w') as f:
            f.write(text)

    def cli(self, *args, later=None):
        prefix = ['faketime', '-f', later] if later else []
        env = self.env
        if later and 'ASAN_OPTIONS' in env:
            # faketime preloads its library ahead of AddressSanitizer's
            # runtime, which ASan then refuses unless told the order is
            # fine (it is: libfaketime only wraps time calls).
            env = dict(env, ASAN_OPTIONS=env['ASAN_OPTIONS'] + ':verify_asan_link_order=0')
        return subprocess.run(prefix + [CLI, *args], capture_output=True, text=True,
                              timeout=120, env=env)

    def ok(self, *args, later=None):
        result = self.cli(*args, later=later)
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        return result

    def add(self, name, src=None):
        self.ok('transfer', 'add', name, '--from', f'local:{src or self.src}', '--to', f'local:{self.out}-{name}')
        transfers = json.loads(self.ok('transfer', 'list', '--json').stdout)
        return next(t['id'] for t in transfers if t['name'] == name)

    def runs(self, transfer_id):
        folder = os.path.join(self.env['XDG_DATA_HOME'], 'ferry', 'runs', transfer_id)
        if not os.path.isdir(folder):
            return []
        return sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith('.run'))

    def summary(self, path):
        keys = {}
        with open(path) as f:
            for line in f:
                if '=' in line:
                    key, value = line.rstrip('\n').split('=', 1)
                    keys[key] = value
        return keys

    def schedules(self):
        return {s['name']: s for s in json.loads(self.ok('schedule', 'list', '--json').stdout)}

    def log_lines(self):
        path = os.path.join(self.env['XDG_DATA_HOME'], 'ferry', 'schedule.log')
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [line.rstrip('\n').split('\t') for line in f]

    def test_due_once_and_incremental(self):
        site = self.add('site')
        self.ok('schedule', 'site', '--every', 'hour', '--at', ':00')
        listed = self.schedules()['site']
        self.assertEqual(listed['rule'], 'every hour at :00')
        self.assertIsNone(listed['last'])
        self.assertRegex(listed['next_run'], r'^\d{4}-\d\d-\d\dT\d\d:00:00[+-]\d\d:\d\d$')

        # Set just now: nothing is due yet.
        result = self.ok('schedule', 'run-due')
        self.assertEqual(result.stdout, '')
        self.assertEqual(self.runs(site), [])

        # Two hours later: one run, everything copied, marked scheduled.
        result = self.ok('schedule', 'run-due', later='+2h')
        self.assertEqual(result.stdout.count('\n'), 1, result.stdout)
        self.assertIn('site: Completed (3 copied, 0 unchanged, 0 failed)', result.stdout)
        runs = self.runs(site)
        self.assertEqual(len(runs), 1)
        self.assertEqual(self.summary(runs[0])['Scheduled'], 'true')
        self.assertEqual(sorted(os.listdir(f'{self.out}-site')), ['a.txt', 'b.txt', 'c.txt'])
        # Asked again in the same hour: done already.
        self.assertEqual(self.ok('schedule', 'run-due', later='+2h').stdout, '')
        self.assertEqual(len(self.runs(site)), 1)

        # One file changes; an hour later only it is copied.
        self.write('b.txt', 'changed, and longer than before')
        result = self.ok('schedule', 'run-due', later='+3h')
        self.assertIn('site: Completed (1 copied, 2 unchanged, 0 failed)', result.stdout)
        with open(os.path.join(f'{self.out}-site', 'b.txt')) as f:
            self.assertEqual(f.read(), 'changed, and longer than before')

        # Thirty days off: one run, not 720.
        result = self.ok('schedule', 'run-due', later='+30d')
        self.assertEqual(result.stdout.count('\n'), 1, result.stdout)
        self.assertEqual(len(self.runs(site)), 3)
        self.assertEqual(self.ok('schedule', 'run-due', later='+30d').stdout, '')
        self.assertEqual(len(self.runs(site)), 3)
        self.assertEqual([line[2] for line in self.log_lines()], ['completed'] * 3)
        self.assertEqual(self.schedules()['site']['last']['result'], 'completed')

        # A run by hand is no scheduled run.
        before = set(self.runs(site))
        self.ok('run', 'site')
        (by_hand,) = set(self.runs(site)) - before
        self.assertNotIn('Scheduled', self.summary(by_hand))

    def test_running_elsewhere_is_skipped(self):
        site = self.add('site')
        self.ok('schedule', 'site', '--every', 'day', '--at', '03:00')
        lock_path = os.path.join(self.env['XDG_DATA_HOME'], 'ferry', 'locks', f'{site}.lock')
        os.makedirs(os.path.dirname(lock_path), exist_ok=True)
        # Another process running the transfer holds its lock.
        with open(lock_path, 'w') as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            result = self.ok('schedule', 'run-due', later='+2d')
            self.assertIn('site: skipped', result.stdout)
            self.assertEqual(self.runs(site), [])
            last = self.schedules()['site']['last']
            self.assertEqual(last['result'], 'skipped')
            self.assertIn('running', last['message'])
            self.assertEqual([line[1:3] for line in self.log_lines()], [[site, 'skipped']])
            self.assertIn('skipped', self.ok('schedule', 'list').stdout)
            # A run by hand is refused too, and says why.
            by_hand = self.cli('run', 'site')
            self.assertEqual(by_hand.returncode, EXIT_USAGE, by_hand.stderr)
            self.assertIn('running already', by_hand.stderr)
            # Skipped is handled: it is not retried every minute.
            self.assertEqual(self.ok('schedule', 'run-due', later='+2d').stdout, '')
        # The lock went with its holder: the next slot runs.
        result = self.ok('schedule', 'run-due', later='+3d')
        self.assertIn('site: Completed', result.stdout)

    def test_a_failed_run_exits_1(self):
        # Saved while its folder was there (transfer add checks), gone since.
        missing = os.path.join(self.dir, 'missing')
        os.makedirs(missing)
        self.add('gone', src=missing)
        os.rmdir(missing)
        self.add('fine')
        self.ok('schedule', 'gone', '--every', 'week', '--on', 'sun')
        self.ok('schedule', 'fine', '--every', 'month', '--on', '31', '--at', '23:59')
        result = self.cli('schedule', 'run-due', later='+40d')
        self.assertEqual(result.returncode, EXIT_PARTIAL, result.stdout + result.stderr)
        self.assertIn('fine: Completed', result.stdout)
        self.assertIn('gone: Failed', result.stdout)
        self.assertEqual(self.schedules()['gone']['last']['result'], 'failed')

    def test_bad_usage(self):
        self.add('site')
        for args, word in ((['--every', 'fortnight'], 'fortnight'),
                           (['--every', 'day', '--at', '25:00'], '25:00'),
                           (['--every', 'week', '--on', 'someday'], 'someday'),
                           (['--every', 'month', '--on', '32'], '32'),
                           (['--every', 'day', '--on', 'mon'], '--on'),
                           (['--off', '--at', '10:00'], '--at'),
                           ([], '--every')):
            with self.subTest(args=args):
                result = self.cli('schedule', 'site', *args)
                self.assertEqual(result.returncode, EXIT_USAGE, result.stderr)
                self.assertIn(word, result.stderr)
        result = self.cli('schedule', 'nobody', '--every', 'day')
        self.assertEqual(result.returncode, EXIT_USAGE)
        self.assertEqual(self.schedules(), {})

    def test_autostart_follows_the_schedules(self):
        entry = os.path.join(self.env['XDG_CONFIG_HOME'], 'autostart', AUTOSTART)
        self.add('one')
        self.add('two')
        self.assertFalse(os.path.exists(entry))
        self.ok('schedule', 'one', '--every', 'day', '--at', '14:00')
        self.assertTrue(os.path.exists(entry))
        with open(entry) as f:
            text = f.read()
        self.assertIn('Exec=ferry --background\n', text)
        self.assertIn('X-GNOME-Autostart-enabled=true\n', text)
        if shutil.which('desktop-file-validate'):
            check = subprocess.run(['desktop-file-validate', entry], capture_output=True, text=True)
            self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        self.ok('schedule', 'two', '--every', 'week', '--on', 'fri')
        self.ok('schedule', 'one', '--off')
        self.assertTrue(os.path.exists(entry), 'one schedule is left')
        self.ok('schedule', 'two', '--off')
        self.assertFalse(os.path.exists(entry))
        # Removing a scheduled transfer removes its schedule, and the entry.
        self.ok('schedule', 'two', '--every', 'hour')
        self.assertTrue(os.path.exists(entry))
        self.ok('transfer', 'remove', 'two')
        self.assertFalse(os.path.exists(entry))
        self.assertEqual(self.schedules(), {})


if __name__ == '__main__':
    unittest.main(verbosity=2)
