#!/usr/bin/python3
# test-outcomes.py: every file or folder a run considers gets exactly one
# outcome record in RUN-ID.records, streamed as the run goes: a run killed
# with SIGKILL keeps every record it had written, each one telling the
# truth about the destination; and a run's log is structured, so a log
# written in German reads in English with the same failed files.
#
# Local to local: no server is needed to check what the engine records.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import glob
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

CLI = os.environ['FERRY_CLI']
EXIT_OK, EXIT_PARTIAL = 0, 1


def cli(*args, env=None, timeout=120):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, **(env or {})))


def write(path, data, mtime=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def unescape(field):
    out, i = [], 0
    while i < len(field):
        if field[i] == '\\' and i + 1 < len(field):
            out.append({'t': '\t', 'n': '\n', 'r': '\r'}.get(field[i + 1], field[i + 1]))
            i += 2
        else:
            out.append(field[i])
            i += 1
    return ''.join(out)


def parse_lines(path, n_fields, optional=0):
    with open(path, 'rb') as f:
        data = f.read().decode('utf-8', 'surrogateescape')
    lines = data.split('\n')
    # A record is written whole, with its newline, by one write().
    assert lines[-1] == '', f'{path} ends in the middle of a line'
    rows = []
    for line in lines[:-1]:
        fields = [unescape(f) for f in line.split('\t')]
        assert n_fields <= len(fields) <= n_fields + optional, f'damaged line in {path}: {line!r}'
        rows.append(fields)
    return rows


def records(path):
    keys = ('outcome', 'type', 'size', 'modified', 'tries', 'reason', 'path', 'message')
    return [dict(zip(keys, row)) for row in parse_lines(path, len(keys))]


def journal(path):
    # A line of numbers (a summary, a verdict) has them in a sixth field.
    keys = ('time', 'level', 'kind', 'path', 'message', 'numbers')
    return [dict(zip(keys, row)) for row in parse_lines(path, len(keys) - 1, optional=1)]


class Outcomes(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='ferry-outcomes-', dir=os.environ.get('FERRY_TEST_DIR'))
        self.src = os.path.join(self.dir, 'source')
        self.dst = os.path.join(self.dir, 'destination')
        os.makedirs(self.src)
        self.names = []

    def tearDown(self):
        for name in self.names:
            cli('transfer', 'remove', name)
        shutil.rmtree(self.dir, ignore_errors=True)

    def add(self, name, *extra):
        result = cli('transfer', 'add', name, '--from', f'local:{self.src}', '--to', f'local:{self.dst}', *extra)
        self.assertEqual(result.returncode, EXIT_OK, result.stderr)
        self.names.append(name)
        listed = {t['name']: t for t in json.loads(cli('transfer', 'list', '--json').stdout)}
        return listed[name]['id']

    def runs(self, transfer_id):
        folder = os.path.join(os.environ['XDG_DATA_HOME'], 'ferry', 'runs', transfer_id)
        return sorted(p[:-len('.run')] for p in glob.glob(os.path.join(folder, '*.run')))

    def test_every_file_once_with_its_outcome(self):
        base = int(time.time()) - 86400
        write(os.path.join(self.src, 'new.txt'), b'new', base)
        write(os.path.join(self.src, 'same.txt'), b'same', base)
        write(os.path.join(self.dst, 'same.txt'), b'same', base)
        write(os.path.join(self.src, 'changed.txt'), b'changed now', base + 60)
        write(os.path.join(self.dst, 'changed.txt'), b'old', base)
        write(os.path.join(self.src, 'a: b.txt'), b'colon', base)
        write(os.path.join(self.src, 'semi;colon "quoted" – Grüße.txt'), b'x', base)
        write(os.path.join(self.src, 'sub', 'deep.txt'), b'deep', base)
        write(os.path.join(self.src, 'kept', 'x.txt'), b'x', base)
        os.makedirs(os.path.join(self.dst, 'kept'))
        write(os.path.join(self.src, 'new\nline'), b'evil', base)
        os.symlink('/etc/passwd', os.path.join(self.src, 'link'))
        transfer_id = self.add('Records')

        result = cli('run', 'Records')
        self.assertEqual(result.returncode, EXIT_PARTIAL, result.stdout + result.stderr)
        (run,) = self.runs(transfer_id)
        found = records(run + '.records')
        paths = [r['path'] for r in found]
        self.assertEqual(len(paths), len(set(paths)), f'a path recorded twice: {paths}')
        self.assertEqual({r['path']: r['outcome'] for r in found}, {
            'new.txt': 'copied',
            'same.txt': 'up-to-date',
            'changed.txt': 'updated',
            'a: b.txt': 'copied',
            'semi;colon "quoted" – Grüße.txt': 'copied',
            'sub': 'created',
            'sub/deep.txt': 'copied',
            'kept': 'up-to-date',
            'kept/x.txt': 'copied',
            'new\\x0Aline': 'refused',
            'link': 'ignored',
        })
        by_path = {r['path']: r for r in found}
        self.assertEqual(by_path['changed.txt']['size'], str(len(b'changed now')))
        self.assertEqual(by_path['changed.txt']['modified'], str(base + 60))
        self.assertEqual(by_path['changed.txt']['tries'], '1')
        self.assertEqual(by_path['sub']['type'], 'folder')
        self.assertEqual(by_path['same.txt']['reason'], 'identical')
        self.assertEqual(by_path['new\\x0Aline']['reason'], 'bad-name')
        self.assertEqual(by_path['link']['reason'], 'symbolic-link')

        # The log says the same, as structure: the failed files are the
        # lines of kind file-failed, whatever language they were written in.
        lines = journal(run + '.journal')
        self.assertEqual({l['path'] for l in lines if l['kind'] == 'file-failed'}, {'new\\x0Aline'})
        self.assertIn({'kind': 'file-copied', 'path': 'a: b.txt'},
                      [{'kind': l['kind'], 'path': l['path']} for l in lines])

        # A rerun finds everything up to date but the refused name.
        again = cli('run', 'Records')
        self.assertEqual(again.returncode, EXIT_PARTIAL, again.stdout + again.stderr)
        second = records(self.runs(transfer_id)[-1] + '.records')
        self.assertEqual({r['path'] for r in second if r['outcome'] != 'up-to-date'}, {'new\\x0Aline', 'link'})

    def test_german_log_reads_in_english(self):
        localedir = os.environ.get('FERRY_BUILD_LOCALEDIR')
        if not localedir or not os.path.exists(os.path.join(localedir, 'de', 'LC_MESSAGES', 'ferry.mo')):
            self.skipTest('no German translation built')
        write(os.path.join(self.src, 'gut.txt'), b'gut')
        write(os.path.join(self.src, 'a: b.txt'), b'colon')
        write(os.path.join(self.src, 'böse\x01name'), b'evil')
        transfer_id = self.add('Sprachen')
        german = dict(LANGUAGE='de', LC_ALL='C.UTF-8', FERRY_LOCALEDIR=localedir)
        english = dict(LANGUAGE='en', LC_ALL='C.UTF-8', FERRY_LOCALEDIR=localedir)

        result = cli('run', 'Sprachen', env=german)
        self.assertEqual(result.returncode, EXIT_PARTIAL, result.stdout + result.stderr)
        self.assertIn('gut.txt kopiert', result.stdout)
        (run,) = self.runs(transfer_id)
        with open(run + '.log', encoding='utf-8') as f:
            self.assertIn('gut.txt kopiert', f.read())

        # Read back in English: rendered in the reader's language, and the
        # failed file is the same one, found by kind and never by words.
        log_en = cli('log', 'Sprachen', env=english)
        self.assertEqual(log_en.returncode, EXIT_OK, log_en.stderr)
        self.assertIn('Copied gut.txt', log_en.stdout)
        self.assertIn('Copied a: b.txt', log_en.stdout)
        self.assertNotIn('kopiert', log_en.stdout)
        log_de = cli('log', 'Sprachen', env=german)
        self.assertIn('gut.txt kopiert', log_de.stdout)
        failed = {l['path'] for l in journal(run + '.journal') if l['kind'] == 'file-failed'}
        self.assertEqual(failed, {r['path'] for r in records(run + '.records') if r['outcome'] == 'refused'})
        self.assertEqual(len(failed), 1)
        (bad,) = failed
        self.assertIn(bad, log_en.stdout)
        self.assertIn(bad, log_de.stdout)

        # A verification run in English reads German in German: its lines
        # of numbers are put into words when read.
        cli('verify', 'Sprachen', '--checksum', env=english)
        log_de = cli('log', 'Sprachen', env=german).stdout
        self.assertIn('Inhalte werden verglichen: die Quelle per SHA-256', log_de)
        self.assertNotIn('Comparing contents', log_de)
        self.assertNotIn('compared', log_de)

    def test_killed_run_keeps_its_records(self):
        for i in range(2000):
            write(os.path.join(self.src, f'd{i % 20:02d}', f'f{i:04d}.txt'), b'x' * (i % 97))
        transfer_id = self.add('Killed', '--parallel', '4')
        folder = os.path.join(os.environ['XDG_DATA_HOME'], 'ferry', 'runs', transfer_id)
        for attempt in range(5):
            proc = subprocess.Popen([CLI, 'run', 'Killed'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            seen = 0
            deadline = time.monotonic() + 60
            while proc.poll() is None and time.monotonic() < deadline:
                found = glob.glob(os.path.join(folder, '*.records'))
                if found:
                    with open(found[-1], 'rb') as f:
                        seen = f.read().count(b'\n')
                    if seen >= 200:
                        break
                time.sleep(0.0005)
            proc.send_signal(signal.SIGSTOP)
            stopped_mid_run = proc.poll() is None and seen >= 200
            proc.send_signal(signal.SIGKILL)
            proc.send_signal(signal.SIGCONT)
            proc.wait(timeout=30)
            if stopped_mid_run:
                break
            shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(self.dst, ignore_errors=True)
        else:
            self.skipTest('the run was always over before the test could kill it')

        (run,) = self.runs(transfer_id)
        found = records(run + '.records')
        # Every record written before the kill is there, whole, and true.
        self.assertGreaterEqual(len(found), seen)
        self.assertLess(len(found), 2020, 'the run was killed before its end')
        paths = [r['path'] for r in found]
        self.assertEqual(len(paths), len(set(paths)))
        copied = [r for r in found if r['outcome'] == 'copied']
        self.assertTrue(copied)
        for r in copied:
            target = os.path.join(self.dst, r['path'])
            self.assertTrue(os.path.isfile(target), f'{r["path"]} recorded as copied but not there')
            self.assertEqual(os.path.getsize(target), int(r['size']))
        self.assertEqual(cli('transfer', 'list', '--json').returncode, EXIT_OK)

        # The next run finishes the job: what the killed one copied is up
        # to date now, and every file has exactly one record again.
        result = cli('run', 'Killed')
        self.assertEqual(result.returncode, EXIT_OK, result.stdout + result.stderr)
        last = records(self.runs(transfer_id)[-1] + '.records')
        files = {r['path']: r['outcome'] for r in last if r['type'] == 'file'}
        self.assertEqual(len(files), 2000)
        for r in copied:
            self.assertEqual(files[r['path']], 'up-to-date')


if __name__ == '__main__':
    unittest.main(verbosity=2)
