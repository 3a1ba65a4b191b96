#!/usr/bin/python3
# gui-run.py: runs one saved transfer in Ferry's window, the way a user
# does, and prints how long it took, for bench/bench.py.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: gui-run.py FERRY SCHEMA_DIR TRANSFER_NAME RUNS_DIR
#
# Needs a display and an accessibility bus (ferry-testenv.py --display gives
# both: Xvfb, and a private session bus that can activate the AT-SPI bus).
# Starts FERRY (untimed, until its window lists TRANSFER_NAME), selects that
# transfer's row and finds Start Migrating through AT-SPI, as assistive
# technology would, clicks it with the pointer (xdotool), then watches
# RUNS_DIR (the transfer's folder of run records) for the run's record to
# reach a final state. Prints one line:
#   SECONDS STATE
# SECONDS runs from the click to the moment the record was written with its
# final state (its mtime), the same end point bench.py uses for ferry-cli.
# Exit 0 when the run completed; non-zero with a reason on stderr otherwise.
# The window is closed (SIGTERM to the process this started) in every case.

import configparser
import os
import shutil
import signal
import subprocess
import sys
import time

import pyatspi

FINAL = ('completed', 'completed-with-errors', 'failed', 'cancelled', 'interrupted')


def find(node, predicate, depth=0):
    if node is None or depth > 40:
        return None
    try:
        if predicate(node):
            return node
        count = node.childCount
    except Exception:
        return None
    for i in range(count):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        found = find(child, predicate, depth + 1)
        if found is not None:
            return found
    return None


def wait_for(what, function, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = function()
        if value:
            return value
        time.sleep(0.05)
    raise RuntimeError(f'timed out waiting for {what}')


def application(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        try:
            app = desktop.getChildAtIndex(i)
            if app is not None and app.get_process_id() == pid:
                return app
        except Exception:
            continue
    return None


def records(runs_dir):
    try:
        return {n for n in os.listdir(runs_dir) if n.endswith('.run')}
    except FileNotFoundError:
        return set()


def state_of(path):
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path)
        return parser.get('Run', 'State', fallback=None)
    except (configparser.Error, OSError):
        return None


def click(button):
    """Clicks the button with the pointer, as a user does; returns when.

    Not AT-SPI's DoAction: GTK 4.8 carries that out as a keyboard
    activation, which holds the button down for 250 ms (GtkButton's
    ACTIVATE_TIMEOUT) before it emits "clicked" -- a quarter of a second
    of the measurement that a mouse click does not have. The pointer goes
    to the middle of the button's extents (Xvfb has no window manager, so
    the window sits at the screen's corner). Falls back to DoAction, with
    a warning, when xdotool or the extents are missing."""
    try:
        extents = button.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        x = extents.x + extents.width // 2
        y = extents.y + extents.height // 2
        if extents.width > 0 and extents.height > 0 and shutil.which('xdotool'):
            subprocess.run(['xdotool', 'mousemove', str(x), str(y)], check=True)
            clicked = time.time()
            subprocess.run(['xdotool', 'click', '1'], check=True)
            return clicked
    except Exception as e:
        print(f'gui-run: no pointer click ({e}); using AT-SPI DoAction, 250 ms slower', file=sys.stderr)
    else:
        print('gui-run: no pointer click (no xdotool or extents); using AT-SPI DoAction, 250 ms slower',
              file=sys.stderr)
    clicked = time.time()
    button.queryAction().doAction(0)
    return clicked


def main():
    ferry, schema_dir, name, runs_dir = sys.argv[1:5]
    env = dict(os.environ, GSETTINGS_SCHEMA_DIR=schema_dir)
    env.pop('NO_AT_BRIDGE', None)
    proc = subprocess.Popen([ferry], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        app = wait_for('the window on the accessibility bus', lambda: application(proc.pid))
        label = wait_for(f'the row of {name}', lambda: find(
            app, lambda n: n.getRoleName() == 'label' and n.name == name))
        row = label
        while row is not None and row.getRole() != pyatspi.ROLE_LIST_ITEM:
            row = row.parent
        if row is None:
            raise RuntimeError(f'{name} is not in a list row')
        row.parent.querySelection().selectChild(row.getIndexInParent())
        button = wait_for('Start Migrating', lambda: find(
            app, lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON
            # GTK 4.8 names a mnemonic button "_Start Migrating Start Migrating"
            and n.name.endswith('Start Migrating')
            and n.getState().contains(pyatspi.STATE_SENSITIVE)))
        # A person reads the window before clicking: the app finishes
        # starting (history, keyring, first frames) in that second, so it
        # is not timed as part of the run.
        time.sleep(1.0)
        before = records(runs_dir)
        clicked = click(button)
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f'ferry exited with {proc.returncode} during the run')
            for record in records(runs_dir) - before:
                path = os.path.join(runs_dir, record)
                state = state_of(path)
                if state in FINAL:
                    print(f'{os.stat(path).st_mtime - clicked:.3f} {state}')
                    return 0 if state == 'completed' else 1
            if time.time() - clicked > 900:
                raise RuntimeError('the run did not finish in 900 s')
            # The end is the record's mtime, not when this loop sees it: a
            # slower poll changes nothing measured, and leaves the CPU to
            # the run (every 10 ms, this loop took 0.16 s of it).
            time.sleep(0.05)
    except Exception as e:
        print(f'gui-run: {e}', file=sys.stderr)
        return 1
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


if __name__ == '__main__':
    sys.exit(main())
