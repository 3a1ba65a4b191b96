# latency.py: bench/'s latency jobs (`bench/run --jobs latency`): Ferry,
# lftp and rclone over a wide-area link made on the loopback by
# bench/latency-relay.py, at 50 and 150 ms round trips.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Imported by bench.py, which hands over itself (its helpers: timed, ferry,
# lftp_script, ...) and its Bench. For each round trip RTT this starts two
# vsftpd of its own on 127.0.0.1 (plain, and explicit TLS with
# require_ssl_reuse=YES, as the fixture's) announcing 127.0.0.N as their
# passive address, and one relay on 127.0.0.N (N = 2 for 50 ms, 3 for
# 150 ms) over their control and passive ports and the fixture's sshd: every
# byte between a tool and a server, control and data alike, waits RTT/2 each
# way. Jobs, per RTT (keys latRTT-NAME):
#   copy   the WAN tree, FTP → local
#   rerun  the same, nothing changed (over a copy each tool made, untimed)
#   up     local → FTP
#   ftps   the copy over explicit FTPS
#   sftp   the copy over SFTP (sshd)
#   auto   the copy with Ferry's Connections: Automatic, against lftp
#          --parallel=4 and rclone --transfers 16 (the goal)
# The WAN tree is job 1's shape scaled so lftp takes 10-30 s: 40 × 4 KiB in
# each of 10 folders (16 at 150 ms) and 2 × 8 MiB at its top.
#
# Ferry runs with G_MESSAGES_DEBUG=Ferry: its protocol lines, with GLib's
# timestamps, go to the job's log, and the commands it sent are counted
# per file ("> RETR ..." lines; over SFTP Ferry's own "> STAT", "> OPEN"
# and "> READ ×N, CLOSE" lines). Every tool also gets round trips per small file per
# connection: wall time × connections ÷ (RTT × small files), the issue's
# measure (16.1 s × 4 ÷ (50 ms × 400) = 3.2).

import collections
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import time

RTT_ADDRESS = {50: '127.0.0.2', 150: '127.0.0.3'}
CONNECTIONS = 4
BIG = 8 << 20


# The kernel kills the servers and the relay if the bench dies (setpriv, not a
# preexec_fn: Python code between fork and exec is unsafe once threads run).
DIE_WITH_PARENT = ['setpriv', '--pdeathsig', 'KILL', '--']


def free_port(address='127.0.0.1'):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((address, 0))
        return s.getsockname()[1]


def free_range(count):
    for _ in range(100):
        first = random.randrange(33000, 60000 - count)
        ok = True
        for port in range(first, first + count):
            for address in ('127.0.0.1', '127.0.0.2', '127.0.0.3'):
                with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                    try:
                        s.bind((address, port))
                    except OSError:
                        ok = False
                        break
            if not ok:
                break
        if ok:
            return first, first + count - 1
    raise RuntimeError('no free port range for the latency jobs')


class Link:
    """Two vsftpd and one relay for one round trip; stop() ends them."""

    def __init__(self, b, rtt, work):
        self.b = b
        self.rtt = rtt
        self.address = RTT_ADDRESS[rtt]
        self.procs = []
        self.ports = {}
        env = b.env
        cert = env['FERRY_TEST_CERT']
        key = os.path.join(os.path.dirname(cert), 'key.pem')
        relay_ports = []
        for flavour in ('plain', 'tls'):
            port = free_port()
            low, high = free_range(64)
            empty = os.path.join(work, 'vsftpd-empty')
            os.makedirs(empty, mode=0o755, exist_ok=True)
            lines = [
                'listen=YES', 'listen_ipv6=NO', 'listen_address=127.0.0.1', f'listen_port={port}',
                'background=NO', 'anonymous_enable=NO', 'local_enable=YES', 'write_enable=YES',
                'local_umask=022', 'chroot_local_user=YES', 'allow_writeable_chroot=YES',
                'seccomp_sandbox=NO', f'secure_chroot_dir={empty}', 'pam_service_name=vsftpd',
                'pasv_enable=YES', 'port_enable=NO', f'pasv_min_port={low}', f'pasv_max_port={high}',
                f'pasv_address={self.address}', 'connect_from_port_20=NO',
                'max_clients=200', 'max_per_ip=100', 'delay_failed_login=0',
                'xferlog_enable=NO', 'use_localtime=NO', 'mdtm_write=YES', 'hide_ids=NO',
                'utf8_filesystem=YES', f'vsftpd_log_file={work}/vsftpd-{rtt}-{flavour}.log',
            ]
            if flavour == 'tls':
                lines += ['ssl_enable=YES', f'rsa_cert_file={cert}', f'rsa_private_key_file={key}',
                          'allow_anon_ssl=NO', 'force_local_logins_ssl=YES', 'force_local_data_ssl=YES',
                          'require_ssl_reuse=YES', 'ssl_request_cert=NO', 'ssl_tlsv1=YES',
                          'ssl_sslv2=NO', 'ssl_sslv3=NO']
            config = os.path.join(work, f'vsftpd-{rtt}-{flavour}.conf')
            with open(config, 'w') as f:
                f.write('\n'.join(lines) + '\n')
            self.procs.append(subprocess.Popen(DIE_WITH_PARENT + ['/usr/sbin/vsftpd', config], start_new_session=True,
                                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            self.ports[flavour] = port
            relay_ports += [str(port), f'{low}-{high}']
        if b.SFTP:
            self.ports['sftp'] = b.SFTP
            relay_ports.append(str(b.SFTP))
        relay = subprocess.Popen(DIE_WITH_PARENT + ['/usr/bin/python3', os.path.join(b.TOP, 'bench', 'latency-relay.py'),
                                  '--listen', self.address, '--target', '127.0.0.1',
                                  '--delay-ms', str(rtt / 2)] + relay_ports,
                                 stdout=subprocess.PIPE, start_new_session=True, text=True)
        self.procs.append(relay)
        if relay.stdout.readline().strip() != 'ready':
            raise RuntimeError('the latency relay did not start')
        for port in (self.ports['plain'], self.ports['tls']):
            deadline = time.monotonic() + 10
            while True:
                try:
                    socket.create_connection(('127.0.0.1', port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)

    def stop(self):
        for proc in self.procs:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        self.procs = []


def make_tree(b, path, per_folder):
    b.make_small(path, 10, per_folder, 4096)
    chunk = os.urandom(1 << 20)
    for i in range(2):
        with open(os.path.join(path, f'big{i}.bin'), 'wb') as out:
            for _ in range(BIG // len(chunk)):
                out.write(chunk)


def count_commands(log_path):
    """Commands Ferry sent ("> VERB ..." in its debug lines), by verb."""
    verbs = collections.Counter()
    try:
        with open(log_path, errors='replace') as f:
            for line in f:
                m = re.search(r'DEBUG: [\d:.]+: > (\S+)', line)
                if m:
                    verbs[m.group(1).upper()] += 1
    except OSError:
        pass
    return verbs


def define(b, bench, rtts):
    """Adds the latency jobs for each RTT to `bench`; returns the links to stop."""
    env = b.env
    USER, PASSWORD, ROOT = b.USER, b.PASSWORD, b.ROOT
    links = []
    obscured = subprocess.run(['rclone', 'obscure', '-'], input=PASSWORD + '\n', text=True,
                              capture_output=True, check=True).stdout.strip()
    for rtt in rtts:
        link = Link(b, rtt, b.WORK)
        links.append(link)
        per_folder = max(4, round(40 * 50 / rtt)) if not bench.args.quick else 4
        name = f'wan{rtt}'
        local_tree = os.path.join(b.WORK, 'data', name)
        make_tree(b, local_tree, per_folder)
        b.copy_tree(local_tree, os.path.join(ROOT, name))
        b.chown_tree(ROOT)
        expected = b.tree_summary(local_tree)
        small = expected[0] - 2
        host = link.address
        fp = f'lat{rtt}'
        b.ferry(['connector', 'add', f'{fp}-ftp', '--type', 'ftp', '--server', host,
                 '--port', str(link.ports['plain']), '--user', USER, '--password-stdin'], PASSWORD + '\n')
        b.ferry(['connector', 'add', f'{fp}-ftps', '--type', 'ftps-explicit', '--server', host,
                 '--port', str(link.ports['tls']), '--user', USER, '--password-stdin',
                 '--trust', env['FERRY_TEST_CERT_SHA256']], PASSWORD + '\n')
        if b.SFTP:
            b.ferry(['connector', 'add', f'{fp}-sftp', '--type', 'sftp', '--server', host,
                     '--port', str(b.SFTP), '--user', USER, '--password-stdin',
                     '--trust', env['FERRY_TEST_SSH_HOSTKEY_SHA256']], PASSWORD + '\n')
        rc = {}
        for flavour, port, kind in (('plain', link.ports['plain'], 'ftp'), ('tls', link.ports['tls'], 'ftp'),
                                    ('sftp', b.SFTP, 'sftp')):
            if port is None:
                continue
            remote = f'L{rtt}{flavour.upper()}'
            prefix = f'RCLONE_CONFIG_{remote}_'
            b.RCLONE_ENV.update({prefix + 'TYPE': kind, prefix + 'HOST': host, prefix + 'PORT': str(port),
                                 prefix + 'USER': USER, prefix + 'PASS': obscured})
            if flavour == 'tls':
                b.RCLONE_ENV.update({prefix + 'EXPLICIT_TLS': 'true', prefix + 'NO_CHECK_CERTIFICATE': 'true'})
            rc[flavour] = remote
        debug_env = {'G_MESSAGES_DEBUG': 'Ferry'}

        def lftp(port, tls, commands):
            script = b.lftp_script(port, tls, commands).replace('ftp://127.0.0.1', f'ftp://{host}')
            if tls:
                script = script.replace('set ssl:ca-file', 'set ssl:check-hostname no\nset ssl:ca-file')
            return lambda label, s=script: b.timed(label, ['lftp'], stdin_text=s)

        def ferry_run(job):
            return lambda label, j=job: b.timed(label, [b.FERRY_CLI, 'run', j], extra_env=debug_env)

        def download(key, flavour, connector, src_path, tools=('ferry', 'lftp', 'rclone')):
            entries = []
            for tool in tools:
                dest = b.local_dest(key, tool)
                if tool == 'ferry':
                    b.ferry_transfer(key, f'{connector}:{src_path}', f'local:{dest}', CONNECTIONS)
                    run = ferry_run(key)
                elif tool == 'lftp' and flavour == 'sftp':
                    script = ('set cmd:fail-exit yes\n'
                              'set sftp:connect-program "ssh -a -x -o StrictHostKeyChecking=no '
                              '-o UserKnownHostsFile=/dev/null"\n'
                              f'open -u {USER},{PASSWORD} -p {b.SFTP} sftp://{host}\n'
                              f'mirror --parallel={CONNECTIONS} {src_path} {dest}\nexit\n')
                    run = (lambda label, s=script: b.timed(label, ['lftp'], stdin_text=s))
                elif tool == 'lftp':
                    run = lftp(link.ports[flavour], flavour == 'tls',
                               [f'mirror --parallel={CONNECTIONS} {src_path} {dest}'])
                else:
                    run = (lambda label, r=f'{rc[flavour]}:{src_path}', d=dest: b.rclone(label, r, d))
                entries.append((tool, (lambda d=dest: b.fresh(d)), run, b.expect_tree(dest, expected)))
            return entries

        title = f'{small} × 4 KiB in 10 folders + 2 × 8 MiB'
        key = f'lat{rtt}-copy'
        bench.add(key, f'{rtt} ms: {title}, FTP → local', download(key, 'plain', f'{fp}-ftp', f'/{name}'))
        bench.latency[key] = (rtt, small)

        # The rerun: over a copy each tool made itself (filled untimed).
        key = f'lat{rtt}-rerun'
        entries = []
        for tool in ('ferry', 'lftp', 'rclone'):
            dest = b.local_dest(key, tool)
            if tool == 'ferry':
                b.ferry_transfer(key, f'{fp}-ftp:/{name}', f'local:{dest}', CONNECTIONS)
                run = ferry_run(key)
            elif tool == 'lftp':
                run = lftp(link.ports['plain'], False,
                           [f'mirror --only-newer --parallel={CONNECTIONS} /{name} {dest}'])
            else:
                run = (lambda label, r=f'{rc["plain"]}:/{name}', d=dest: b.rclone(label, r, d))
            entries.append((tool, lambda: None, run, b.expect_tree(dest, expected)))
        bench.rerun_fill_extra.append((key, entries))
        bench.add(key, f'{rtt} ms: rerun of the copy, nothing changed (lftp --only-newer)', entries)
        bench.latency[key] = (rtt, small)

        key = f'lat{rtt}-up'
        entries = []
        for tool in ('ferry', 'lftp', 'rclone'):
            remote = f'up{rtt}-{tool}'
            path = os.path.join(ROOT, remote)
            prep = (lambda p=path: shutil.rmtree(p, ignore_errors=True))
            if tool == 'ferry':
                b.ferry_transfer(key, f'local:{local_tree}', f'{fp}-ftp:/{remote}', CONNECTIONS)
                run = ferry_run(key)
            elif tool == 'lftp':
                run = lftp(link.ports['plain'], False,
                           [f'mirror -R --parallel={CONNECTIONS} {local_tree} /{remote}'])
            else:
                run = (lambda label, r=f'{rc["plain"]}:/{remote}': b.rclone(label, local_tree, r))
            entries.append((tool, prep, run, b.expect_tree(path, expected)))
        bench.add(key, f'{rtt} ms: the same, local → FTP', entries)
        bench.latency[key] = (rtt, small)

        # Connections: Automatic against lftp with 4 and rclone with 16.
        key = f'lat{rtt}-auto'
        entries = []
        for tool in ('ferry', 'lftp', 'rclone'):
            dest = b.local_dest(key, tool)
            if tool == 'ferry':
                b.ferry_transfer(key, f'{fp}-ftp:/{name}', f'local:{dest}', 'auto')
                run = ferry_run(key)
            elif tool == 'lftp':
                run = lftp(link.ports['plain'], False, [f'mirror --parallel={CONNECTIONS} /{name} {dest}'])
            else:
                run = (lambda label, r=f'{rc["plain"]}:/{name}', d=dest: b.timed(
                    label, ['rclone', 'copy', '--transfers', '16', '--retries', '1', r, d], extra_env=b.RCLONE_ENV))
            entries.append((tool, (lambda d=dest: b.fresh(d)), run, b.expect_tree(dest, expected)))
        bench.add(key, f'{rtt} ms: the copy, Ferry with Connections: Automatic, lftp with 4, rclone with 16', entries)
        bench.latency[key] = (rtt, small)

        # rclone 1.60 fails every FTPS job against require_ssl_reuse=YES
        # (bench/README.md): not run.
        key = f'lat{rtt}-ftps'
        bench.add(key, f'{rtt} ms: the copy over explicit FTPS',
                  download(key, 'tls', f'{fp}-ftps', f'/{name}', ('ferry', 'lftp')))
        bench.latency[key] = (rtt, small)

        if b.SFTP:
            key = f'lat{rtt}-sftp'
            bench.add(key, f'{rtt} ms: the copy over SFTP (sshd)',
                      download(key, 'sftp', f'{fp}-sftp', f'{ROOT}/{name}'))
            bench.latency[key] = (rtt, small)
    return links


def report(b, bench):
    """The latency table (Markdown lines), or [] when no latency job ran."""
    keys = [k for k, _, _ in bench.jobs if k in getattr(bench, 'latency', {})]
    if not keys:
        return []
    lines = ['Latency jobs (`bench/run --jobs latency`): a relay on the loopback delays every byte '
             'by half the round trip each way (bench/latency-relay.py); 4 connections for every tool. '
             'Time, then round trips per small file per connection (time × 4 ÷ (RTT × small files)); '
             'in brackets, Ferry ÷ the peer. Ferry\'s commands per file are counted in its debug log.',
             '',
             '| job | Ferry | lftp | rclone | Ferry commands per file |',
             '| --- | ---: | ---: | ---: | --- |']
    for key, title, entries in bench.jobs:
        if key not in keys:
            continue
        rtt, small = bench.latency[key]
        present = {tool for tool, _, _, _ in entries}
        f = bench.median(key, 'ferry')

        def cell(tool):
            if tool not in present:
                return '—'
            m = bench.median(key, tool)
            if m is None:
                return 'failed'
            text = f'{m:.2f} s, {m * CONNECTIONS / (rtt / 1000 * small):.2f} RT'
            if tool != 'ferry' and f is not None:
                text += f' ({f / m:.2f})'
            return text

        verbs = collections.Counter()
        runs = len(bench.results.get((key, 'ferry'), []))
        for rep in range(runs):
            verbs += count_commands(os.path.join(b.WORK, 'logs', f'{key}-ferry-{rep + 1}.log'))
        files = small + 2
        if runs and verbs:
            total = sum(verbs.values()) / runs / files
            top = ', '.join(f'{v} {n / runs / files:.2f}' for v, n in verbs.most_common(8))
            commands = f'{total:.2f} ({top})'
        else:
            commands = '— (no FTP command lines)'
        lines.append(f'| {title} | {cell("ferry")} | {cell("lftp")} | {cell("rclone")} | {commands} |')
    lines.append('')
    return lines
