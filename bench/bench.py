#!/usr/bin/python3
# bench.py: times Ferry against lftp, rclone and curl on the same vsftpd
# servers, job by job, tools interleaved, and prints a Markdown table.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Not run directly: bench/run builds Ferry and starts this inside
# tests/fixtures/ferry-testenv.py --ftp --keyring, which provides the
# throwaway user, the plain and explicit-TLS vsftpd (require_ssl_reuse=YES),
# a self-signed certificate and an unlocked keyring on a private bus (see the
# fixture's header for its FERRY_TEST_* variables). bench/run passes:
#   FERRY_BENCH_TOP   the checkout (results go to bench/results/latest.md)
#   FERRY_BENCH_BUILD the build directory with src/cli/ferry-cli
#
# The test password is a throwaway made by the fixture for this run. It never
# appears in an argv (the fixture watches every process's argv and fails the
# run if it does): Ferry reads it from --password-stdin, lftp from commands on
# its standard input, curl from a config on standard input (-K -), rclone from
# an obscured value in its environment (made by `rclone obscure -` from stdin).
#
# Every job runs every tool once per repetition, the order of the tools
# rotating from one repetition to the next, so load from elsewhere on the
# machine falls on all tools alike. Each command runs under /usr/bin/time -v
# for its peak RSS; wall time is measured here around the process. A copy
# that exits 0 but leaves a wrong tree is reported failed, like a non-zero
# exit.

import argparse
import datetime
import os
import platform
import pwd
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import latency  # noqa: E402  (bench/latency.py: the jobs over a delaying relay)

TOP = os.environ.get('FERRY_BENCH_TOP', os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get('FERRY_BENCH_BUILD', os.path.join(TOP, '_build-bench'))
FERRY_CLI = os.path.join(BUILD, 'src', 'cli', 'ferry-cli')
FS_FLOOR = os.path.join(BUILD, 'fs-floor')   # bench/fs-floor.c, built by bench/run
TIMEOUT = 900

env = os.environ
USER = env['FERRY_TEST_USER']
PASSWORD = env['FERRY_TEST_PASSWORD']
ROOT = env['FERRY_TEST_FTP_ROOT']
PLAIN = int(env['FERRY_TEST_FTP_PORT'])
TLS = int(env['FERRY_TEST_FTPS_PORT'])
CERT = env['FERRY_TEST_CERT']
FINGERPRINT = env['FERRY_TEST_CERT_SHA256']
WORK = os.path.join(env['FERRY_TEST_DIR'], 'bench')
SFTP = int(env['FERRY_TEST_SFTP_PORT']) if env.get('FERRY_TEST_SFTP_PORT') else None
# smbd of ferry-testenv.py --smb: the share and the folder behind it.
SMB = int(env['FERRY_TEST_SMB_PORT']) if env.get('FERRY_TEST_SMB_PORT') else None
SMB_SHARE = env.get('FERRY_TEST_SMB_SHARE')
SMB_ROOT = env.get('FERRY_TEST_SMB_ROOT')
WEBDAV = int(env['FERRY_TEST_WEBDAV_PORT']) if env.get('FERRY_TEST_WEBDAV_PORT') else None
WEBDAV_ROOT = env.get('FERRY_TEST_WEBDAV_ROOT')


def say(text):
    print(f'bench: {text}', file=sys.stderr, flush=True)


# --- data sets -----------------------------------------------------------------

def chown_tree(path):
    entry = pwd.getpwnam(USER)
    for folder, dirs, files in os.walk(path):
        os.chown(folder, entry.pw_uid, entry.pw_gid)
        for name in files:
            os.chown(os.path.join(folder, name), entry.pw_uid, entry.pw_gid)


def make_small(path, folders, per_folder, size):
    for d in range(folders):
        sub = os.path.join(path, f'd{d:02d}')
        os.makedirs(sub)
        for f in range(per_folder):
            with open(os.path.join(sub, f'f{f:04d}.bin'), 'wb') as out:
                out.write(os.urandom(size))


def make_big(path, size):
    os.makedirs(path)
    chunk = os.urandom(4 << 20)
    with open(os.path.join(path, 'big.bin'), 'wb') as out:
        left = size
        while left > 0:
            out.write(chunk[:min(left, len(chunk))])
            left -= len(chunk)


def make_many(path, folders, per_folder):
    for d in range(folders):
        sub = os.path.join(path, f'd{d:03d}')
        os.makedirs(sub)
        for f in range(per_folder):
            open(os.path.join(sub, f'e{f:05d}'), 'wb').close()


def tree_summary(path):
    files = 0
    size = 0
    for folder, dirs, names in os.walk(path):
        # Apache mod_dav_fs keeps dead properties in .DAV folders beside the files.
        dirs[:] = [d for d in dirs if d != '.DAV']
        for name in names:
            files += 1
            size += os.lstat(os.path.join(folder, name)).st_size
    return files, size


def copy_tree(src, dst):
    subprocess.run(['cp', '-a', src, dst], check=True)


# --- running one command ----------------------------------------------------------

class Result:
    def __init__(self, seconds=None, rss_kib=None, error=None):
        self.seconds = seconds
        self.rss_kib = rss_kib
        self.error = error
        self.own_cpu = None      # the tool's user + system seconds
        self.machine_cpu = None  # every core's busy seconds meanwhile


def machine_busy_seconds():
    """All cores' busy time so far (/proc/stat: everything but idle and iowait)."""
    with open('/proc/stat') as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf('SC_CLK_TCK')


def last_lines(path, count=3):
    try:
        with open(path, errors='replace') as f:
            lines = [l.strip() for l in f if l.strip()]
    except OSError:
        return ''
    lines = [l for l in lines if not l.startswith(('Command ', '\t'))]
    return ' / '.join(lines[-count:])[:300]


def timed(label, argv, stdin_text=None, extra_env=None, cwd=None):
    """Runs argv under /usr/bin/time -v; returns a Result."""
    log = os.path.join(WORK, 'logs', f'{label}.log')
    rss_file = os.path.join(WORK, 'logs', f'{label}.time')
    os.makedirs(os.path.dirname(log), exist_ok=True)
    run_env = dict(env)
    if extra_env:
        run_env.update(extra_env)
    with open(log, 'wb') as out:
        busy_before = machine_busy_seconds()
        started = time.monotonic()
        proc = subprocess.Popen(['/usr/bin/time', '-v', '-o', rss_file] + argv,
                                stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT,
                                env=run_env, cwd=cwd or WORK)
        # Not communicate(timeout=...): with a timeout, Python waits for the
        # child by polling, with sleeps that double up to 50 ms, so every
        # time it measured was rounded up to its next poll (a run that took
        # 0.07 s read 0.11 s). A timer kills the child instead, and the wait
        # is a blocking one that returns the moment the child ends.
        watchdog = threading.Timer(TIMEOUT, proc.kill)
        watchdog.start()
        try:
            proc.communicate(input=stdin_text.encode() if stdin_text else None)
        finally:
            watchdog.cancel()
        seconds = time.monotonic() - started
        if proc.returncode == -signal.SIGKILL and seconds >= TIMEOUT:
            return Result(error=f'timed out after {TIMEOUT} s')
        busy = machine_busy_seconds() - busy_before
    rss = None
    own = None
    try:
        with open(rss_file) as f:
            text = f.read()
        m = re.search(r'Maximum resident set size \(kbytes\): (\d+)', text)
        rss = int(m.group(1)) if m else None
        user = re.search(r'User time \(seconds\): ([\d.]+)', text)
        system = re.search(r'System time \(seconds\): ([\d.]+)', text)
        if user and system:
            own = float(user.group(1)) + float(system.group(1))
    except OSError:
        pass
    if proc.returncode != 0:
        return Result(seconds, rss, f'exit {proc.returncode}: {last_lines(log)}')
    result = Result(seconds, rss)
    result.own_cpu = own
    result.machine_cpu = busy
    return result


# --- the tools ---------------------------------------------------------------------

def ferry(args, stdin_text=None, check=True):
    result = subprocess.run([FERRY_CLI] + args, input=stdin_text, text=True,
                            capture_output=True, env=env)
    if check and result.returncode != 0:
        raise RuntimeError(f'ferry-cli {" ".join(args)}: {result.stderr.strip()}')
    return result


def ferry_setup():
    ferry(['connector', 'add', 'bench-ftp', '--type', 'ftp', '--server', '127.0.0.1',
           '--port', str(PLAIN), '--user', USER, '--password-stdin'], PASSWORD + '\n')
    ferry(['connector', 'add', 'bench-ftps', '--type', 'ftps-explicit', '--server', '127.0.0.1',
           '--port', str(TLS), '--user', USER, '--password-stdin', '--trust', FINGERPRINT],
          PASSWORD + '\n')
    if SFTP:
        ferry(['connector', 'add', 'bench-sftp', '--type', 'sftp', '--server', '127.0.0.1',
               '--port', str(SFTP), '--user', USER, '--password-stdin',
               '--trust', env['FERRY_TEST_SSH_HOSTKEY_SHA256']], PASSWORD + '\n')
    if SMB:
        ferry(['connector', 'add', 'bench-smb', '--type', 'smb', '--server', '127.0.0.1',
               '--port', str(SMB), '--user', USER, '--domain', env['FERRY_TEST_SMB_DOMAIN'],
               '--password-stdin'], PASSWORD + '\n')
    if WEBDAV:
        ferry(['connector', 'add', 'bench-dav', '--server', f'http://127.0.0.1:{WEBDAV}/',
               '--user', USER, '--password-stdin'], PASSWORD + '\n')


def ferry_transfer(name, src, dst, parallel):
    ferry(['transfer', 'remove', name], check=False)
    ferry(['transfer', 'add', name, '--from', src, '--to', dst, '--parallel', str(parallel)])


def transfer_id(name):
    import json
    for transfer in json.loads(ferry(['transfer', 'list', '--json']).stdout):
        if transfer['name'] == name:
            return transfer['id']
    raise RuntimeError(f'no transfer {name}')


def newest_record(runs_dir, before):
    try:
        new = [n for n in os.listdir(runs_dir) if n.endswith('.run') and n not in before]
    except FileNotFoundError:
        return None
    return os.path.join(runs_dir, max(new)) if new else None


def cli_to_record(label, name, runs_dir):
    before = set(os.listdir(runs_dir)) if os.path.isdir(runs_dir) else set()
    started = time.time()
    result = timed(label, [FERRY_CLI, 'run', name])
    record = newest_record(runs_dir, before)
    if result.error is None and record is not None:
        result.seconds = os.stat(record).st_mtime - started
    return result


def gui_to_record(label, name, runs_dir):
    log = os.path.join(WORK, 'logs', f'{label}.log')
    with open(log, 'w') as out:
        proc = subprocess.run(['/usr/bin/python3', os.path.join(TOP, 'bench', 'gui-run.py'),
                               os.path.join(BUILD, 'src', 'ui', 'ferry'), os.path.join(BUILD, 'data'),
                               name, runs_dir], stdout=subprocess.PIPE, stderr=out, text=True,
                              env=env, timeout=TIMEOUT + 60)
    words = proc.stdout.split()
    if proc.returncode != 0 or not words:
        return Result(error=f'exit {proc.returncode}: {proc.stdout.strip()} {last_lines(log)}'.strip())
    return Result(float(words[0]))


def lftp_script(port, tls, commands):
    lines = ['set cmd:fail-exit yes', 'set net:max-retries 2', 'set net:timeout 60',
             'set net:reconnect-interval-base 1']
    if tls:
        lines += ['set ftp:ssl-force yes', 'set ftp:ssl-protect-data yes',
                  'set ftp:ssl-protect-list yes', f'set ssl:ca-file {CERT}']
    else:
        lines += ['set ftp:ssl-allow no']
    lines.append(f'open -u {USER},{PASSWORD} -p {port} ftp://127.0.0.1')
    return '\n'.join(lines + commands + ['exit']) + '\n'


RCLONE_ENV = {}


def rclone_setup():
    obscured = subprocess.run(['rclone', 'obscure', '-'], input=PASSWORD + '\n', text=True,
                              capture_output=True, check=True).stdout.strip()
    for remote, port, tls in (('BPLAIN', PLAIN, False), ('BTLS', TLS, True)):
        prefix = f'RCLONE_CONFIG_{remote}_'
        RCLONE_ENV.update({prefix + 'TYPE': 'ftp', prefix + 'HOST': '127.0.0.1',
                           prefix + 'PORT': str(port), prefix + 'USER': USER,
                           prefix + 'PASS': obscured})
    if SFTP:
        prefix = 'RCLONE_CONFIG_BSFTP_'
        RCLONE_ENV.update({prefix + 'TYPE': 'sftp', prefix + 'HOST': '127.0.0.1',
                           prefix + 'PORT': str(SFTP), prefix + 'USER': USER,
                           prefix + 'PASS': obscured})
        if tls:
            RCLONE_ENV.update({prefix + 'EXPLICIT_TLS': 'true',
                               prefix + 'NO_CHECK_CERTIFICATE': 'true'})
    if SMB:
        prefix = 'RCLONE_CONFIG_BSMB_'
        RCLONE_ENV.update({prefix + 'TYPE': 'smb', prefix + 'HOST': '127.0.0.1',
                           prefix + 'PORT': str(SMB), prefix + 'USER': USER,
                           prefix + 'PASS': obscured, prefix + 'DOMAIN': env['FERRY_TEST_SMB_DOMAIN']})
    if WEBDAV:
        prefix = 'RCLONE_CONFIG_BDAV_'
        RCLONE_ENV.update({prefix + 'TYPE': 'webdav', prefix + 'URL': f'http://127.0.0.1:{WEBDAV}/',
                           prefix + 'VENDOR': 'other', prefix + 'USER': USER, prefix + 'PASS': obscured})
    RCLONE_ENV['RCLONE_CONFIG'] = os.path.join(WORK, 'rclone-none.conf')


def rclone(label, src, dst):
    # --retries 1: a failing run fails once instead of three times over; a
    # run that succeeds is not affected.
    return timed(label, ['rclone', 'copy', '--transfers', '4', '--retries', '1', src, dst],
                 extra_env=RCLONE_ENV)


# --- jobs ----------------------------------------------------------------------------
#
# A job is a list of (tool, prepare, run, check): prepare() is not timed
# (it empties the destination or fills it for a rerun), run(label) is,
# check() returns None or why the result is wrong.

def local_dest(job, tool):
    return os.path.join(WORK, 'out', f'{job}-{tool}')


TRASH = os.path.join(WORK, 'trash')


def fresh(path):
    """Empties a destination without deleting thousands of files just
    before the next timed run: ext4 skips inodes freed in the last 30 s
    when it allocates new ones (recently_deleted() in perf), so every
    run after a deletion paid for it, more with each repetition (the CLI's
    job 1 went 1.31 s, 1.56, 1.92, 2.17, 2.21 s over five runs). The old
    tree is moved aside and deleted when the benchmark ends; a tree of a
    few big files, whose deletion frees few inodes, goes at once."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if not os.path.lexists(path):
        return
    files, _ = tree_summary(path)
    if files < 100:
        shutil.rmtree(path, ignore_errors=True)
        return
    os.makedirs(TRASH, exist_ok=True)
    os.rename(path, os.path.join(TRASH, f'{len(os.listdir(TRASH))}-{os.path.basename(path)}'))


def expect_tree(path, expected):
    def check():
        if not os.path.isdir(path):
            return 'destination folder missing'
        got = tree_summary(path)
        if got != expected:
            return f'incomplete: {got[0]} files / {got[1]} bytes of {expected[0]} / {expected[1]}'
        return None
    return check


class Bench:
    def __init__(self, args):
        self.args = args
        self.reps = args.reps
        self.results = {}      # (job, tool) -> [Result]
        self.jobs = []         # (key, title, [tools])
        self.notes = []
        self.syscall_table = None
        self.latency = {}           # latency job -> (RTT ms, small files)
        self.rerun_fill_extra = []  # (job, entries) filled like job 4
        self.links = []             # latency.Link: servers and relays to stop

    # - data -
    def prepare_data(self):
        a = self.args
        self.small_shape = (20, 2000 // 20 if not a.quick else 10, 4096)
        self.big_size = (512 << 20) if not a.quick else (32 << 20)
        self.many_shape = (100, 1000) if not a.quick else (10, 500)
        self.twenty_shape = (100, 200, 1024) if not a.quick else (10, 50, 1024)
        os.makedirs(WORK, exist_ok=True)
        say('generating data sets')
        self.small_local = os.path.join(WORK, 'data', 'small')
        make_small(self.small_local, *self.small_shape)
        copy_tree(self.small_local, os.path.join(ROOT, 'small'))
        # The big file and the 100 000 entries only for the jobs that use
        # them: `--jobs 7` need not write 512 MiB and 100 000 inodes.
        wanted = set(a.jobs)
        os.makedirs(os.path.join(ROOT, 'big'), exist_ok=True)
        os.makedirs(os.path.join(ROOT, 'many'), exist_ok=True)
        if not wanted or '3' in wanted or 'verify-sum' in wanted:
            os.rmdir(os.path.join(ROOT, 'big'))
            make_big(os.path.join(ROOT, 'big'), self.big_size)
        if not wanted or '6' in wanted:
            os.rmdir(os.path.join(ROOT, 'many'))
            make_many(os.path.join(ROOT, 'many'), *self.many_shape)
        os.makedirs(os.path.join(ROOT, 'twenty'), exist_ok=True)
        if not wanted or '7' in wanted:
            os.rmdir(os.path.join(ROOT, 'twenty'))
            make_small(os.path.join(ROOT, 'twenty'), *self.twenty_shape)
        # 4 KiB: made for every selection, since defining any job adds the
        # transfer, which needs the folder on the server.
        make_big(os.path.join(ROOT, 'one'), 4096)
        chown_tree(ROOT)
        self.small_expected = tree_summary(self.small_local)
        self.big_expected = (1, self.big_size)
        self.many_expected = tree_summary(os.path.join(ROOT, 'many'))
        self.twenty_expected = tree_summary(os.path.join(ROOT, 'twenty'))
        # Job 9: a limit that makes job 1's tree take about this long.
        self.limit_seconds = 30 if not a.quick else 5
        self.limit = self.small_expected[1] // self.limit_seconds

    def add(self, key, title, tools):
        # The latency jobs run only when asked for (--jobs latency, or
        # lat50 / lat150): they take longer than all the others together.
        group = key.split('-')[0]
        if group.startswith('lat'):
            # ... or one of them alone: --jobs lat50-copy.
            if not ('latency' in self.args.jobs or group in self.args.jobs or key in self.args.jobs):
                return
        elif self.args.jobs and group not in self.args.jobs:
            return
        if self.args.tools:
            tools = [t for t in tools if t[0] in self.args.tools.split(',')]
        self.jobs.append((key, title, tools))

    # - job definitions -
    def define(self):
        ferry_setup()
        rclone_setup()
        conn = {'plain': ('bench-ftp', PLAIN, False, 'BPLAIN'), 'tls': ('bench-ftps', TLS, True, 'BTLS')}

        def download(job, flavour, remote_dir, expected, tools=('ferry', 'lftp', 'rclone', 'curl')):
            name, port, tls, rc_remote = conn[flavour]
            entries = []
            for tool in tools:
                dest = local_dest(job, tool)
                prep = (lambda d=dest: fresh(d))
                check = expect_tree(dest, expected)
                if tool == 'ferry':
                    ferry_transfer(job, f'{name}:/{remote_dir}', f'local:{dest}', 4)
                    run = (lambda label, j=job: timed(label, [FERRY_CLI, 'run', j]))
                elif tool == 'lftp':
                    script = lftp_script(port, tls, [f'mirror --parallel=4 /{remote_dir} {dest}'])
                    run = (lambda label, s=script: timed(label, ['lftp'], stdin_text=s))
                elif tool == 'rclone':
                    run = (lambda label, r=f'{rc_remote}:/{remote_dir}', d=dest: rclone(label, r, d))
                elif tool == 'curl':
                    config = f'user = "{USER}:{PASSWORD}"\n'
                    argv = ['curl', '-sS', '--create-dirs', '-K', '-', '-o', f'{dest}/big.bin',
                            f'ftp://127.0.0.1:{port}/{remote_dir}/big.bin']
                    if tls:
                        argv[1:1] = ['--ssl-reqd', '--cacert', CERT]
                    run = (lambda label, a=argv, c=config: timed(label, a, stdin_text=c))
                entries.append((tool, prep, run, check))
            return entries

        # Job 1 and its floor: the same file operations with no network
        # (bench/fs-floor.c: create, write, set the time, rename; 4 threads),
        # reading the very tree the server serves.
        entries = download('1', 'plain', 'small', self.small_expected, ('ferry', 'lftp', 'rclone'))
        floor_dest = local_dest('1', 'floor')
        entries.append(('floor', (lambda d=floor_dest: fresh(d)),
                        (lambda label, d=floor_dest: timed(label, [FS_FLOOR, os.path.join(ROOT, 'small'), d, '4'])),
                        expect_tree(floor_dest, self.small_expected)))
        self.add('1', f'1. {self.small_expected[0]} × 4 KiB in 20 folders, FTP → local, plain', entries)
        self.add('2', '2. the same over explicit FTPS',
                 download('2', 'tls', 'small', self.small_expected, ('ferry', 'lftp', 'rclone')))
        mib = self.big_size >> 20
        self.add('3-plain', f'3. one {mib} MiB file, plain FTP',
                 download('3-plain', 'plain', 'big', self.big_expected))
        self.add('3-tls', f'3. one {mib} MiB file, explicit FTPS',
                 download('3-tls', 'tls', 'big', self.big_expected))

        # One 4 KiB file: what a run costs beyond its own protocol work.
        self.add('one', '1 file of 4 KiB, FTP → local, plain',
                 download('one', 'plain', 'one', (1, 4096), ('ferry', 'lftp', 'curl')))

        # 20 000 files of 1 KiB in 100 folders.
        self.add('7', f'7. {self.twenty_expected[0]} × 1 KiB in 100 folders, FTP → local, plain',
                 download('7', 'plain', 'twenty', self.twenty_expected, ('ferry', 'lftp', 'rclone')))

        # 4: rerun of job 1, nothing changed. Each tool reruns over the tree
        # it copied itself (filled once, untimed).
        entries = []
        for tool in ('ferry', 'lftp', 'rclone'):
            dest = local_dest('4', tool)
            if tool == 'ferry':
                ferry_transfer('4', 'bench-ftp:/small', f'local:{dest}', 4)
                run = (lambda label: timed(label, [FERRY_CLI, 'run', '4']))
            elif tool == 'lftp':
                script = lftp_script(PLAIN, False, [f'mirror --only-newer --parallel=4 /small {dest}'])
                run = (lambda label, s=script: timed(label, ['lftp'], stdin_text=s))
            else:
                run = (lambda label, d=dest: rclone(label, 'BPLAIN:/small', d))
            entries.append((tool, lambda: None, run, expect_tree(dest, self.small_expected)))
        self.rerun_fill = entries
        self.add('4', '4. rerun of job 1, nothing changed (lftp with --only-newer)', entries)

        # 5: local → FTP of job 1's tree.
        entries = []
        for tool in ('ferry', 'lftp', 'rclone'):
            remote = f'up-{tool}'
            path = os.path.join(ROOT, remote)
            prep = (lambda p=path: shutil.rmtree(p, ignore_errors=True))
            if tool == 'ferry':
                ferry_transfer('5', f'local:{self.small_local}', f'bench-ftp:/{remote}', 4)
                run = (lambda label: timed(label, [FERRY_CLI, 'run', '5']))
            elif tool == 'lftp':
                script = lftp_script(PLAIN, False, [f'mirror -R --parallel=4 {self.small_local} /{remote}'])
                run = (lambda label, s=script: timed(label, ['lftp'], stdin_text=s))
            else:
                run = (lambda label, r=remote: rclone(label, self.small_local, f'BPLAIN:/{r}'))
            entries.append((tool, prep, run, expect_tree(path, self.small_expected)))
        self.add('5', '5. local → FTP of job 1\'s tree, plain', entries)

        # 6: planning a 100 000-entry tree: the destination already holds an
        # identical copy (cp -a keeps times), so every tool lists both sides
        # and copies nothing. Copying 100 000 empty files would measure
        # per-file round trips again (jobs 1 and 2), not planning.
        entries = []
        for tool in ('ferry', 'lftp', 'rclone'):
            dest = local_dest('6', tool)
            if tool == 'ferry':
                ferry_transfer('6', 'bench-ftp:/many', f'local:{dest}', 4)
                run = (lambda label: timed(label, [FERRY_CLI, 'run', '6']))
            elif tool == 'lftp':
                script = lftp_script(PLAIN, False, [f'mirror --only-newer --parallel=4 /many {dest}'])
                run = (lambda label, s=script: timed(label, ['lftp'], stdin_text=s))
            else:
                run = (lambda label, d=dest: rclone(label, 'BPLAIN:/many', d))
            entries.append((tool, lambda: None, run, expect_tree(dest, self.many_expected)))
        self.add('6', f'6. planning {self.many_expected[0]} entries (destination identical)', entries)

        # The same walk as a preview (--dry-run --json: every entry printed),
        # and the Migration Report of job 6's last run (one CSV row per
        # record): Ferry only, against job 6's own time.
        dest6 = local_dest('6', 'ferry')
        self.add('6-dry', f'6. the same, `run --dry-run --json` (Ferry only)',
                 [('ferry', lambda: None,
                   (lambda label: timed(label, [FERRY_CLI, 'run', '6', '--dry-run', '--json'])),
                   expect_tree(dest6, self.many_expected))])
        self.add('6-report', f'6. `report` (CSV) of job 6\'s last run, {self.many_expected[0]} rows (Ferry only)',
                 [('ferry', lambda: None, (lambda label: timed(label, [FERRY_CLI, 'report', '6'])),
                   (lambda: None))])
        # sftp: job 1's tree over SFTP (sshd's internal-sftp), SFTP → local.
        # lftp speaks SFTP through ssh, which must not ask about the host key.
        if SFTP:
            entries = []
            for tool in ('ferry', 'lftp', 'rclone'):
                dest = local_dest('sftp', tool)
                if tool == 'ferry':
                    ferry_transfer('sftp', f'bench-sftp:{ROOT}/small', f'local:{dest}', 4)
                    run = (lambda label: timed(label, [FERRY_CLI, 'run', 'sftp']))
                elif tool == 'lftp':
                    script = ('set cmd:fail-exit yes\n'
                              'set sftp:connect-program "ssh -a -x -o StrictHostKeyChecking=no '
                              '-o UserKnownHostsFile=/dev/null"\n'
                              f'open -u {USER},{PASSWORD} -p {SFTP} sftp://127.0.0.1\n'
                              f'mirror --parallel=4 {ROOT}/small {dest}\nexit\n')
                    run = (lambda label, s=script: timed(label, ['lftp'], stdin_text=s))
                else:
                    run = (lambda label, d=dest: rclone(label, f'BSFTP:{ROOT}/small', d))
                entries.append((tool, (lambda d=dest: fresh(d)), run, expect_tree(dest, self.small_expected)))
            self.add('sftp', f'SFTP. job 1\'s tree over SFTP → local', entries)
        # smb: job 1's tree from FTP onto an SMB share (smbd), streamed
        # server to server; rclone 1.60's smb backend between the same two.
        if SMB:
            entries = []
            for tool in ('ferry', 'rclone'):
                remote = f'up-{tool}'
                path = os.path.join(SMB_ROOT, remote)
                prep = (lambda p=path: shutil.rmtree(p, ignore_errors=True))
                if tool == 'ferry':
                    ferry_transfer('smb', 'bench-ftp:/small', f'bench-smb:/{SMB_SHARE}/{remote}', 4)
                    run = (lambda label: timed(label, [FERRY_CLI, 'run', 'smb']))
                else:
                    run = (lambda label, r=remote: rclone(label, 'BPLAIN:/small', f'BSMB:{SMB_SHARE}/{r}'))
                entries.append((tool, prep, run, expect_tree(path, self.small_expected)))
            self.add('smb', 'SMB. job 1\'s tree, FTP → SMB share (smbd)', entries)
        # webdav: job 1's tree, FTP → WebDAV (Apache mod_dav over HTTP, from
        # tests/fixtures/ferry-testenv.py --webdav), streamed server to server.
        if WEBDAV:
            entries = []
            for tool in ('ferry', 'rclone'):
                folder = f'bench-{tool}'
                dest = os.path.join(WEBDAV_ROOT, folder)
                if tool == 'ferry':
                    ferry_transfer('webdav', 'bench-ftp:/small', f'bench-dav:/{folder}', 4)
                    run = (lambda label: timed(label, [FERRY_CLI, 'run', 'webdav']))
                else:
                    run = (lambda label, f=folder: rclone(label, 'BPLAIN:/small', f'BDAV:/{f}'))
                entries.append((tool, (lambda d=dest: fresh(d)), run, expect_tree(dest, self.small_expected)))
            self.add('webdav', 'WebDAV. job 1\'s tree, FTP → WebDAV (Apache mod_dav)', entries)
        # verify: verify of job 1's tree (a copy made once, untimed), by listing.
        # verify-sum: verify --checksum of the 512 MiB file: both sides read, in full.
        # bwlimit: job 1 with a bandwidth limit that makes it last about 30 s: the
        #    average rate against the limit (4 connections, one bucket).
        self.verify_fill = []
        for key, remote, expected in (('verify', 'small', self.small_expected), ('verify-sum', 'big', self.big_expected)):
            dest = local_dest(key, 'ferry')
            ferry_transfer(key, f'bench-ftp:/{remote}', f'local:{dest}', 4)
            argv = [FERRY_CLI, 'verify', key] + (['--checksum'] if key == 'verify-sum' else [])
            self.verify_fill.append((key, dest))
            self.add(key, {'verify': 'verify of job 1\'s tree (sizes and times)',
                           'verify-sum': f'verify --checksum of the {mib} MiB file (reads both sides)'}[key],
                     [('ferry', lambda: None, (lambda label, a=argv: timed(label, a)),
                       expect_tree(dest, expected))])
        dest = local_dest('bwlimit', 'ferry')
        ferry_transfer('bwlimit', 'bench-ftp:/small', f'local:{dest}', 4)
        ferry(['transfer', 'edit', 'bwlimit', '--bwlimit', str(self.limit)])
        self.add('bwlimit', f'job 1 limited to {self.limit / 1024:.0f} KiB/s (--bwlimit, about '
                      f'{self.limit_seconds} s)',
                 [('ferry', (lambda d=dest: fresh(d)), (lambda label: timed(label, [FERRY_CLI, 'run', 'bwlimit'])),
                   expect_tree(dest, self.small_expected))])

        # The window running job 1 against ferry-cli running it, both timed
        # to the moment the run's record is written with its final state.
        if self.args.gui:
            entries = []
            for tool in ('cli', 'gui'):
                name = f'gui-{tool}'
                dest = local_dest('gui', tool)
                ferry_transfer(name, 'bench-ftp:/small', f'local:{dest}', 4)
                runs_dir = os.path.join(env['XDG_DATA_HOME'], 'ferry', 'runs', transfer_id(name))
                if tool == 'cli':
                    run = (lambda label, n=name, r=runs_dir: cli_to_record(label, n, r))
                else:
                    run = (lambda label, n=name, r=runs_dir: gui_to_record(label, n, r))
                entries.append((tool, (lambda d=dest: fresh(d)), run, expect_tree(dest, self.small_expected)))
            self.add('gui', '1. in the window (Start Migrating, clicked with the pointer)', entries)

        wanted = set(self.args.jobs)
        rtts = [int(r) for r in self.args.rtt.split(',') if r]
        rtts = [r for r in rtts if 'latency' in wanted or f'lat{r}' in wanted
                or any(j.startswith(f'lat{r}-') for j in wanted)]
        if rtts:
            self.links = latency.define(sys.modules[__name__], self, rtts)

    def fill_reruns(self):
        keys = [k for k, _, _ in self.jobs]
        for key, entries in self.rerun_fill_extra:
            if key not in keys:
                continue
            say(f'filling the rerun destinations of job {key} (untimed)')
            for tool, _, run, check in entries:
                fresh(local_dest(key, tool))
                result = run(f'{key}-fill-{tool}')
                why = result.error or check()
                if why:
                    self.notes.append(f'job {key}: filling {tool}\'s copy failed ({why}); its rerun times mean little')
        if '4' in keys:
            say('filling the rerun destinations of job 4 (untimed)')
            for tool, _, run, check in self.rerun_fill:
                fresh(local_dest('4', tool))
                result = run(f'4-fill-{tool}')
                why = result.error or check()
                if why:
                    self.notes.append(f'job 4: filling {tool}\'s copy failed ({why}); its rerun times mean little')
        for key, dest in getattr(self, 'verify_fill', []):
            if key in keys:
                say(f'copying for the verification of job {key} (untimed)')
                fresh(dest)
                result = timed(f'{key}-fill', [FERRY_CLI, 'run', key])
                if result.error:
                    self.notes.append(f'job {key}: the copy to verify failed ({result.error})')
        if '6' in keys:
            say('copying the 100 000-entry tree to each destination of job 6 (cp -a, untimed)')
            for tool in ('ferry', 'lftp', 'rclone'):
                dest = local_dest('6', tool)
                fresh(dest)
                copy_tree(os.path.join(ROOT, 'many'), dest)

    # - running -
    def run(self):
        for rep in range(self.reps):
            for key, title, tools in self.jobs:
                shift = rep % len(tools)
                for tool, prep, run, check in tools[shift:] + tools[:shift]:
                    prep()
                    subprocess.run(['sync'])
                    label = f'{key}-{tool}-{rep + 1}'
                    result = run(label)
                    if result.error is None:
                        why = check()
                        if why:
                            result.error = why
                    self.results.setdefault((key, tool), []).append(result)
                    shown = f'{result.seconds:.2f} s' if result.seconds is not None else '-'
                    say(f'rep {rep + 1}/{self.reps} job {key} {tool}: {shown}'
                        + (f' FAILED {result.error}' if result.error else ''))

    def note_cpu(self):
        """Jobs 1's and 7's CPU seconds: the tool's own, and everything
        else's on the machine meanwhile (the server, mostly), medians over
        the runs."""
        for job, tool in (('1', 'ferry'), ('1', 'lftp'), ('7', 'ferry'), ('7', 'lftp')):
            runs = [r for r in self.results.get((job, tool), [])
                    if r.error is None and r.own_cpu is not None and r.machine_cpu is not None]
            if not runs:
                continue
            own = statistics.median(r.own_cpu for r in runs)
            rest = statistics.median(max(0.0, r.machine_cpu - r.own_cpu) for r in runs)
            wall = statistics.median(r.seconds for r in runs)
            self.notes.append(f'job {job}, {tool}: {own:.2f} s of CPU in the tool, {rest:.2f} s in the rest of '
                              f'the machine (the server, mostly) for {wall:.2f} s of wall time on '
                              f'{os.cpu_count()} cores (medians)')

    def count_syscalls(self):
        """strace -f -c around one untimed ferry-cli run of job 1 (and of
        lftp's): system calls per file, for bench/README's explanations."""
        if not shutil.which('strace') or not any(k == '1' for k, _, _ in self.jobs):
            return
        n = self.small_expected[0]
        rows = {}
        for tool in ('ferry', 'lftp'):
            dest = local_dest('1', tool)
            fresh(dest)
            out = os.path.join(WORK, 'logs', f'strace-{tool}.txt')
            if tool == 'ferry':
                argv = [FERRY_CLI, 'run', '1']
                stdin_text = None
            else:
                argv = ['lftp']
                stdin_text = lftp_script(PLAIN, False, [f'mirror --parallel=4 /small {dest}'])
            subprocess.run(['strace', '-f', '-c', '-o', out] + argv, input=stdin_text, text=True,
                           capture_output=True, env=env)
            try:
                with open(out) as f:
                    for line in f:
                        m = re.match(r'\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$', line)
                        if m and m.group(2) != 'total':
                            rows.setdefault(m.group(2), {})[tool] = int(m.group(1)) / n
            except OSError:
                return
        top = sorted(rows, key=lambda c: -rows[c].get('ferry', 0))[:12]
        table = ['| system call | Ferry per file | lftp per file |', '| --- | ---: | ---: |']
        for call in top:
            table.append(f'| {call} | {rows[call].get("ferry", 0):.1f} | {rows[call].get("lftp", 0):.1f} |')
        total = {t: sum(r.get(t, 0) for r in rows.values()) for t in ('ferry', 'lftp')}
        table.append(f'| all | {total["ferry"]:.1f} | {total["lftp"]:.1f} |')
        self.syscall_table = table

    def median(self, key, tool):
        runs = self.results.get((key, tool))
        if not runs:
            return None
        good = [r.seconds for r in runs if r.error is None]
        if len(good) < len(runs):
            return None
        return statistics.median(good)

    def peak_rss(self, key, tool):
        values = [r.rss_kib for r in self.results.get((key, tool), []) if r.rss_kib]
        return max(values) if values else None

    def error(self, key, tool):
        for r in self.results.get((key, tool), []):
            if r.error:
                return r.error
        return None


# --- the report -----------------------------------------------------------------------

def fmt_seconds(value):
    return f'{value:.2f} s' if value < 100 else f'{value:.0f} s'


def machine():
    model = '?'
    with open('/proc/cpuinfo') as f:
        for line in f:
            if line.startswith('model name'):
                model = line.split(':', 1)[1].strip()
                break
    return f'{os.cpu_count()} cores, {model}, Linux {platform.release()}'


def version(argv, pattern=None):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        text = (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return '?'
    return text


def report(bench, load_before, load_after, started, gui_note):
    tools = ('lftp', 'rclone', 'curl')
    lines = []
    lines.append(f'Run {started:%Y-%m-%d %H:%M} UTC on {machine()}; '
                 f'load average {load_before[0]:.2f} / {load_before[1]:.2f} / {load_before[2]:.2f} before, '
                 f'{load_after[0]:.2f} / {load_after[1]:.2f} / {load_after[2]:.2f} after '
                 f'(1 / 5 / 15 min). Median of {bench.reps} runs per tool, tools interleaved; '
                 'in brackets, Ferry\'s time ÷ the peer\'s. 4 connections for every tool.')
    lines.append('')
    lines.append('| job | Ferry | Ferry peak RSS | lftp | rclone | curl |')
    lines.append('| --- | ---: | ---: | ---: | ---: | ---: |')
    errors = []
    for key, title, entries in bench.jobs:
        if key in bench.latency:
            continue
        if key == 'gui':
            g, c = bench.median(key, 'gui'), bench.median(key, 'cli')
            shown = fmt_seconds(g) if g is not None else 'failed'
            versus = f'ferry-cli in the same run: {fmt_seconds(c)}' if c is not None else 'ferry-cli failed'
            lines.append(f'| {title} | {shown} | — | {versus} | | |')
            continue
        present = {tool for tool, _, _, _ in entries}
        ferry_median = bench.median(key, 'ferry')
        cells = [title]
        if ferry_median is not None:
            cells.append(fmt_seconds(ferry_median))
        else:
            cells.append('failed')
            errors.append(f'job {key}, Ferry: {bench.error(key, "ferry")}')
        rss = bench.peak_rss(key, 'ferry')
        cells.append(f'{rss / 1024:.1f} MiB' if rss else '-')
        for tool in tools:
            if tool not in present:
                cells.append('—')
                continue
            m = bench.median(key, tool)
            if m is None:
                cells.append('failed')
                errors.append(f'job {key}, {tool}: {bench.error(key, tool)}')
            elif ferry_median is not None:
                cells.append(f'{fmt_seconds(m)} ({ferry_median / m:.2f})')
            else:
                cells.append(fmt_seconds(m))
        lines.append('| ' + ' | '.join(cells) + ' |')
    lines.append('')

    # Targets.
    def ratio(key, peer):
        f, p = bench.median(key, 'ferry'), bench.median(key, peer)
        return None if f is None or p is None else f / p

    def verdict(ok):
        return 'met' if ok else '**not met**'

    targets = []
    r = ratio('1', 'lftp')
    if r is not None:
        targets.append(('Job 1: Ferry ≤ 0.8 × lftp', f'{r:.2f} × lftp', verdict(r <= 0.8)))
    r = ratio('1', 'floor')
    if r is not None:
        targets.append(('Job 1: Ferry ≤ 1.3 × the filesystem floor', f'{r:.2f} × floor '
                        f'({fmt_seconds(bench.median("1", "floor"))})', verdict(r <= 1.3)))
    r = ratio('7', 'lftp')
    if r is not None:
        targets.append(('Job 7: Ferry ≤ 0.6 × lftp', f'{r:.2f} × lftp', verdict(r <= 0.6)))
    rss7 = bench.peak_rss('7', 'ferry')
    if rss7:
        targets.append(('Job 7: Ferry\'s peak RSS ≤ 32 MiB', f'{rss7 / 1024:.1f} MiB', verdict(rss7 <= 32 * 1024)))
    r = ratio('one', 'curl')
    if r is not None:
        targets.append(('One file: Ferry beside curl fetching it alone', f'{fmt_seconds(bench.median("one", "ferry"))} '
                        f'vs {fmt_seconds(bench.median("one", "curl"))}', 'figure'))
    r = ratio('2', 'lftp')
    if r is not None:
        targets.append(('Job 2: Ferry ≤ 0.1 × lftp', f'{r:.3f} × lftp', verdict(r <= 0.1)))
    f1, f2 = bench.median('1', 'ferry'), bench.median('2', 'ferry')
    if f1 and f2:
        targets.append(('Job 2: Ferry ≤ 3 × Ferry\'s job 1', f'{f2 / f1:.2f} × job 1', verdict(f2 / f1 <= 3)))
    for key, what in (('3-plain', 'plain'), ('3-tls', 'explicit FTPS')):
        r = ratio(key, 'curl')
        if r is not None:
            targets.append((f'Job 3, {what}: Ferry\'s throughput ≥ 0.95 × curl\'s',
                            f'{1 / r:.2f} × curl', verdict(1 / r >= 0.95)))
    r = ratio('4', 'lftp')
    if r is not None:
        targets.append(('Job 4: Ferry ≤ 1.0 × lftp --only-newer', f'{r:.2f} × lftp', verdict(r <= 1.0)))
    f6, d6 = bench.median('6', 'ferry'), bench.median('6-dry', 'ferry')
    if f6 and d6:
        targets.append(('Job 6 as a dry run ≤ 1.2 × job 6\'s planning', f'{d6 / f6:.2f} × job 6', verdict(d6 / f6 <= 1.2)))
    r = ratio('sftp', 'lftp')
    if r is not None:
        targets.append(('SFTP job: Ferry ≤ 1.0 × lftp', f'{r:.2f} × lftp', verdict(r <= 1.0)))
    r = ratio('smb', 'rclone')
    if r is not None:
        targets.append(('SMB job: Ferry ≤ 0.8 × rclone', f'{r:.2f} × rclone', verdict(r <= 0.8)))
    rss, peer = bench.peak_rss('smb', 'ferry'), bench.peak_rss('smb', 'rclone')
    if rss:
        targets.append(('SMB job: Ferry\'s peak RSS ≤ 32 MiB and ≤ 0.8 × rclone\'s',
                        f'{rss / 1024:.1f} MiB' + (f' ({rss / peer:.2f} × rclone)' if peer else ''),
                        verdict(rss <= 32 * 1024 and (not peer or rss <= 0.8 * peer))))
    r = ratio('webdav', 'rclone')
    if r is not None:
        targets.append(('WebDAV job: Ferry ≤ 0.8 × rclone copy', f'{r:.2f} × rclone', verdict(r <= 0.8)))
    f4, f7 = bench.median('4', 'ferry'), bench.median('verify', 'ferry')
    if f4 and f7:
        targets.append(('Verify job: verify ≤ 1.0 × Ferry\'s rerun (job 4)', f'{f7 / f4:.2f} × job 4',
                        verdict(f7 / f4 <= 1.0)))
    f3, f8 = bench.median('3-plain', 'ferry'), bench.median('verify-sum', 'ferry')
    if f3 and f8:
        # Verify reads the file twice (server and local copy) and hashes
        # both: its throughput counts the bytes of both sides; per file it
        # is half that, shown beside it.
        targets.append(('Verify-sum job: verify --checksum\'s throughput, both sides read, ≥ 0.9 × Ferry\'s job 3 (plain)',
                        f'{2 * f3 / f8:.2f} × job 3 (per file: {f3 / f8:.2f} ×)', verdict(2 * f3 / f8 >= 0.9)))
    f9 = bench.median('bwlimit', 'ferry')
    if f9:
        rate = bench.small_expected[1] / f9
        targets.append(('Bwlimit job: average rate within ±10 % of the limit',
                        f'{rate / 1024:.1f} KiB/s for {bench.limit / 1024:.1f} KiB/s = {rate / bench.limit:.3f}',
                        verdict(abs(rate / bench.limit - 1) <= 0.10)))
    rss = bench.peak_rss('6', 'ferry')
    if rss:
        targets.append(('Job 6: Ferry\'s peak RSS ≤ 64 MiB', f'{rss / 1024:.1f} MiB', verdict(rss <= 64 * 1024)))
    if gui_note:
        targets.append(('The GUI running job 1 ≤ 1.1 × the CLI', gui_note[0], gui_note[1]))
    lines += latency.report(sys.modules[__name__], bench)
    lines.append('| target | figure | |')
    lines.append('| --- | --- | --- |')
    for t in targets:
        lines.append(f'| {t[0]} | {t[1]} | {t[2]} |')
    lines.append('')
    if errors or bench.notes:
        lines.append('Failures and notes:')
        lines.append('')
        for e in errors + bench.notes:
            lines.append(f'- {e}')
        lines.append('')
    return '\n'.join(lines)


def details(bench):
    lines = ['Every run, in seconds (a failed run shows its error):', '']
    for key, title, entries in bench.jobs:
        for tool, _, _, _ in entries:
            runs = bench.results.get((key, tool), [])
            shown = ', '.join(f'{r.seconds:.2f}' if r.error is None else f'failed ({r.error})'
                              for r in runs)
            lines.append(f'- job {key}, {tool}: {shown}')
    lines.append('')
    versions = [
        f'ferry-cli {version(["git", "-C", TOP, "describe", "--always", "--dirty"])} '
        f'(meson buildtype=release, {os.path.relpath(BUILD, TOP)})',
        version(['lftp', '--version']).replace('| ', '').split(' Copyright')[0],
        version(['rclone', 'version']),
        version(['curl', '--version']).split(' (')[0] + ' (' + version(['curl', '--version']).split(') ', 1)[-1].split(' ')[0] + ')',
        'vsftpd ' + (subprocess.run(['dpkg-query', '-W', '-f=${Version}', 'vsftpd'],
                                    capture_output=True, text=True).stdout or '?'),
    ]
    lines.append('Versions: ' + '; '.join(versions) + '.')
    lines.append('')
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser(description='Ferry against lftp, rclone and curl')
    parser.add_argument('--reps', type=int, default=3, help='runs per tool and job (default 3)')
    parser.add_argument('--jobs', default='', help='comma-separated jobs to run, e.g. 1,2,3,7 (default all)')
    parser.add_argument('--quick', action='store_true', help='small data sets, to try the script')
    parser.add_argument('--no-gui', dest='gui', action='store_false',
                        help='do not time the window on job 1 (it needs Xvfb and AT-SPI)')
    parser.add_argument('--rtt', default='50,150',
                        help='round trips in ms of the latency jobs (--jobs latency): 50, 150 or both')
    parser.add_argument('--tools', default='', help='only these tools, e.g. ferry (default all)')
    parser.add_argument('--keep-logs', default='', help='copy every run\'s log to this folder at the end')
    parser.add_argument('--output', default=os.path.join(TOP, 'bench', 'results', 'latest.md'))
    args = parser.parse_args()
    args.jobs = [j for j in args.jobs.split(',') if j]

    started = datetime.datetime.utcnow()
    load_before = os.getloadavg()
    bench = Bench(args)
    bench.prepare_data()
    bench.define()
    bench.fill_reruns()
    try:
        bench.run()
    finally:
        for link in bench.links:
            link.stop()
    bench.note_cpu()
    bench.count_syscalls()
    gui_note = None
    if args.gui:
        g, c = bench.median('gui', 'gui'), bench.median('gui', 'cli')
        if g is not None and c is not None:
            gui_note = (f'{g:.2f} s ÷ ferry-cli {c:.2f} s = {g / c:.2f}', 'met' if g <= 1.1 * c else '**not met**')
        else:
            gui_note = ('failed', f'not measured: {bench.error("gui", "gui") or bench.error("gui", "cli")}')
    else:
        gui_note = ('not measured', 'not measured (bench/run --no-gui)')
    load_after = os.getloadavg()

    table = report(bench, load_before, load_after, started, gui_note)
    if bench.syscall_table:
        table += ('\nSystem calls per file in job 1 (`strace -f -c`, one untimed run each, '
                  'all threads; the 12 Ferry makes most of):\n\n' + '\n'.join(bench.syscall_table) + '\n')
    print(table)
    if not args.quick:
        os.makedirs(os.path.dirname(args.output), exist_ok=True)
        with open(args.output, 'w') as f:
            f.write(f'# Ferry benchmark, {started:%Y-%m-%d}\n\n')
            f.write('Made by `bench/run` (see bench/README.md).\n\n')
            f.write(table + '\n' + details(bench))
        say(f'wrote {args.output}')
    if args.keep_logs:
        shutil.rmtree(args.keep_logs, ignore_errors=True)
        shutil.copytree(os.path.join(WORK, 'logs'), args.keep_logs)
    shutil.rmtree(WORK, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
