#!/usr/bin/python3
# latency-relay.py: a wide-area link on the loopback, for bench/'s latency
# jobs (see bench/README.md, "The latency jobs").
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: latency-relay.py --listen ADDR --target ADDR --delay-ms N PORT|LO-HI...
#
# This kernel has no sch_netem, so the delay is made in user space: the
# relay listens on ADDR (127.0.0.2) on every given port and forwards each
# connection to TARGET (127.0.0.1) on the same port, holding the bytes of
# each direction for N ms (one way: a 50 ms round trip is --delay-ms 25) and
# keeping their order. An FTP server on TARGET that announces ADDR as its
# passive address (vsftpd: pasv_address=127.0.0.2) then has its control and
# its data connections delayed alike; SSH has only its one port.
#
# What it does not delay: TCP's own handshake (the kernel accepts before
# the relay sees the connection), so opening a connection costs no round
# trip here where a real link costs one; both the client's connect and the
# server's greeting are otherwise as on a real link. Bandwidth is whatever
# Python moves on this machine (tens of MiB/s), far above the jobs' needs.
#
# Prints "ready" on stdout once every port listens; runs until killed.

import argparse
import asyncio
import collections
import socket
import sys
import time

CHUNK = 256 * 1024


def ports(words):
    out = []
    for word in words:
        low, _, high = word.partition('-')
        out.extend(range(int(low), int(high or low) + 1))
    return out


class Direction:
    """One direction of one connection: bytes wait in order until due."""

    def __init__(self, reader, writer, delay):
        self.reader = reader
        self.writer = writer
        self.delay = delay
        self.queue = collections.deque()
        self.ready = asyncio.Event()

    async def take(self):
        try:
            while True:
                data = await self.reader.read(CHUNK)
                self.queue.append((time.monotonic() + self.delay, data))
                self.ready.set()
                if not data:
                    return
        except (ConnectionError, OSError):
            self.queue.append((time.monotonic() + self.delay, b''))
            self.ready.set()

    async def give(self):
        try:
            while True:
                while not self.queue:
                    self.ready.clear()
                    await self.ready.wait()
                due, data = self.queue.popleft()
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    if self.writer.can_write_eof():
                        self.writer.write_eof()
                    return
                self.writer.write(data)
                await self.writer.drain()
        except (ConnectionError, OSError):
            return


async def relay(client_reader, client_writer, target, port, delay):
    try:
        server_reader, server_writer = await asyncio.open_connection(target, port)
    except OSError:
        client_writer.close()
        return
    for writer in (client_writer, server_writer):
        sock = writer.get_extra_info('socket')
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    up = Direction(client_reader, server_writer, delay)
    down = Direction(server_reader, client_writer, delay)
    tasks = [asyncio.ensure_future(t) for t in (up.take(), up.give(), down.take(), down.give())]
    await asyncio.gather(*tasks, return_exceptions=True)
    for writer in (client_writer, server_writer):
        writer.close()


async def main():
    parser = argparse.ArgumentParser(description='a delaying TCP relay')
    parser.add_argument('--listen', default='127.0.0.2')
    parser.add_argument('--target', default='127.0.0.1')
    parser.add_argument('--delay-ms', type=float, required=True, help='one way')
    parser.add_argument('ports', nargs='+')
    args = parser.parse_args()
    delay = args.delay_ms / 1000.0
    servers = []
    for port in ports(args.ports):
        servers.append(await asyncio.start_server(
            lambda r, w, p=port: relay(r, w, args.target, p, delay),
            args.listen, port, reuse_address=True, backlog=64))
    print('ready', flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == '__main__':
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
