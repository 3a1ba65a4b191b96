#!/usr/bin/python3
# test-log-access.py: the run log as a keyboard and a screen reader meet it
# (issue 23, item 12). After a run of 60 files the log holds some 60
# lines: it is ONE Tab stop (Tab goes into it and the next Tab leaves it,
# the arrows move from line to line inside), and each line is a list item
# whose accessible name is the line's text, not an unnamed item. Keys go in
# through xdotool, as from a real keyboard; AT-SPI only watches.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage, under tests/fixtures/ferry-testenv.py --display --keyring:
#   test-log-access.py FERRY

import os
import subprocess
import sys
import time

import pyatspi

from atspi_walk import application, children, walk, window

SKIP = 77


def log(message):
    print(f'test-log-access: {message}', file=sys.stderr, flush=True)


def wait_for(what, function, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = function()
        except Exception:
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f'timed out waiting for {what}')


def find(node, predicate):
    for child in walk(node):
        try:
            if predicate(child):
                return child
        except Exception:
            continue
    return None


def focused(root):
    for node in walk(root):
        try:
            if node.getState().contains(pyatspi.STATE_FOCUSED):
                return node
        except Exception:
            continue
    return None


def keys(*names):
    for name in names:
        subprocess.run(['xdotool', 'key', '--clearmodifiers', name], check=True)
        time.sleep(0.3)


def in_log(node, log_list):
    while node is not None:
        if node == log_list:
            return True
        try:
            node = node.parent
        except Exception:
            return False
    return False


def main(argv):
    if not argv or 'DISPLAY' not in os.environ:
        log('needs tests/fixtures/ferry-testenv.py --display --keyring -- test-log-access.py FERRY')
        return SKIP
    ferry = argv[0]
    cli = os.environ['FERRY_CLI']
    env = dict(os.environ, GSK_RENDERER='cairo', LANGUAGE='en', LANG='C.UTF-8')
    env.pop('NO_AT_BRIDGE', None)
    home = os.environ['HOME']
    source = os.path.join(home, 'Site')
    os.makedirs(source, exist_ok=True)
    for i in range(60):
        with open(os.path.join(source, f'page-{i:02}.html'), 'w') as f:
            f.write(f'<p>{i}</p>\n')
    subprocess.run([cli, 'transfer', 'add', 'Site', '--from', f'local:{source}',
                    '--to', f'local:{home}/Copy'], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([cli, 'run', 'Site'], env=env, check=True, stdout=subprocess.DEVNULL)

    proc = subprocess.Popen([ferry], env=env, start_new_session=True)
    problems = []
    try:
        app = wait_for('Ferry on the accessibility bus', lambda: application(proc.pid))
        main_window = wait_for('the Migration Manager', lambda: window(app, 'Ferry'))
        subprocess.run(['xdotool', 'search', '--sync', '--onlyvisible', '--name', '^Ferry$',
                        'windowfocus', '--sync'], check=True, timeout=20, stdout=subprocess.DEVNULL)
        time.sleep(0.5)
        log_list = wait_for('the log, with the run’s lines', lambda: find(
            main_window, lambda n: n.getRole() == pyatspi.ROLE_LIST and n.name == 'Log'
            and sum(1 for c in children(n) if c.getRole() == pyatspi.ROLE_LIST_ITEM) > 10))
        items = [c for c in children(log_list) if c.getRole() == pyatspi.ROLE_LIST_ITEM]
        unnamed = [c for c in items if not (c.name or '').strip()]
        if unnamed:
            problems.append(f'{len(unnamed)} of {len(items)} log lines have no accessible name')
        if not any('Copied page-' in (c.name or '') for c in items):
            problems.append('no log line is named after its text ("Copied page-…"): '
                            + repr([c.name for c in items[:5]]))

        # Tab until the focus is in the log, then one more Tab must leave it.
        for _ in range(40):
            if in_log(focused(main_window), log_list):
                break
            keys('Tab')
        else:
            raise AssertionError('Tab never reached the log')
        first = focused(main_window)
        log(f'in the log on {first.getRoleName()} {first.name!r}')
        keys('Down', 'Down')
        moved = focused(main_window)
        if not in_log(moved, log_list) or moved == first:
            problems.append(f'Down did not move from line to line in the log (on {moved and moved.name!r})')
        keys('Tab')
        after = focused(main_window)
        log(f'after Tab: {after.getRoleName() if after else None} {after.name if after else None!r}')
        if after is None or in_log(after, log_list):
            problems.append('Tab did not leave the log: every line is a Tab stop')
        keys('shift+Tab')
        back = focused(main_window)
        if back is None or not in_log(back, log_list):
            problems.append(f'Shift+Tab from after the log did not come back to it '
                            f'(on {back.getRoleName() if back else None} {back.name if back else None!r})')
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()

    for problem in problems:
        log(problem)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
