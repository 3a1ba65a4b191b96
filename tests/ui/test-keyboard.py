#!/usr/bin/python3
# test-keyboard.py: a first migration with the keyboard only. From an empty
# Migration Manager: Ctrl+N opens the Transfer Wizard; Authorize New
# Connector (Alt+A), typing a URL and a password (Down from field to field,
# as in every boxed list), Enter checks and saves it;
# Next (Alt+N) through the steps, This Computer chosen with Down and Space;
# the wizard opens with the focus on the connector choice, each connector
# is one Tab stop, and the focus stays in the wizard after Next;
# Start Migrating (Alt+S); the files arrive. Keys go in through xdotool, as
# from a real keyboard; AT-SPI is only used to watch (which window is open,
# what has the focus), never to act.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage, under tests/fixtures/ferry-testenv.py --display --keyring --ftp:
#   test-keyboard.py FERRY

import os
import subprocess
import sys
import time

import pyatspi

from atspi_walk import application, children, walk, window

SKIP = 77


def log(message):
    print(f'test-keyboard: {message}', file=sys.stderr, flush=True)


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
        time.sleep(0.25)


def type_text(text):
    # From standard input: a password never shows in a process's argv.
    subprocess.run(['xdotool', 'type', '--delay', '20', '--file', '-'], input=text.encode(), check=True)
    time.sleep(0.3)


def focus_window(title):
    """No window manager under Xvfb: give the X focus to the window, as a
    window manager does when it opens."""
    subprocess.run(['xdotool', 'search', '--sync', '--onlyvisible', '--name', f'^{title}$',
                    'windowfocus', '--sync'], check=True, timeout=20, stdout=subprocess.DEVNULL)
    time.sleep(0.3)


def tab_to(root, role, name, key='Tab', limit=20):
    """Press `key` until an object of `role` named `name` has the focus.
    In a boxed list, Down goes from row to row; Tab leaves the list."""
    node = None
    for _ in range(limit):
        node = focused(root)
        if node is not None and node.getRole() == role and node.name == name:
            return node
        keys(key)
    raise AssertionError(f'Tab never reached {name!r}; the focus is on '
                         f'{node.getRoleName() if node else None} {node.name if node else None!r}')


def main(argv):
    if not argv or 'DISPLAY' not in os.environ or 'FERRY_TEST_FTP_PORT' not in os.environ:
        log('needs tests/fixtures/ferry-testenv.py --display --keyring --ftp -- test-keyboard.py FERRY')
        return SKIP
    env = dict(os.environ, GSK_RENDERER='cairo', LANGUAGE='en', LANG='C.UTF-8')
    env.pop('NO_AT_BRIDGE', None)
    home = os.environ['HOME']
    site = os.path.join(os.environ['FERRY_TEST_FTP_ROOT'], 'site')
    os.makedirs(os.path.join(site, 'css'), exist_ok=True)
    for name, data in (('index.html', b'<h1>hello</h1>\n'), ('css/site.css', b'body{}\n')):
        with open(os.path.join(site, name), 'wb') as f:
            f.write(data)
    subprocess.run(['chown', '-R', os.environ['FERRY_TEST_USER'], site], check=True)

    proc = subprocess.Popen([argv[0]], env=env, start_new_session=True)
    try:
        app = wait_for('Ferry on the accessibility bus', lambda: application(proc.pid))
        main_window = wait_for('the Migration Manager', lambda: window(app, 'Ferry'))
        time.sleep(1.0)
        focus_window('Ferry')

        keys('ctrl+n')
        wizard = wait_for('the Transfer Wizard', lambda: window(app, 'New Transfer'))
        focus_window('New Transfer')
        # The wizard opens on its first useful control, the connector
        # choice, not on Cancel.
        start = wait_for('the focus in the wizard', lambda: focused(wizard))
        if start.getRole() != pyatspi.ROLE_LIST_ITEM or start.name != 'This Computer':
            raise AssertionError(f'the wizard opens with the focus on {start.getRoleName()} {start.name!r}, '
                                 'not on the connector choice')
        keys('alt+a')
        dialog = wait_for('the Authorize dialog', lambda: window(app, 'Authorize Connector'))
        focus_window('Authorize Connector')
        # The focus starts in Display Name; Down goes from row to row (GTK
        # 4.8 reports no focus on the text of an entry row, so the rows are
        # counted: Type, Server; then Port, Username, Password).
        type_text('Site')
        keys('Down', 'Down')
        type_text(f'ftp://{os.environ["FERRY_TEST_USER"]}@127.0.0.1:{os.environ["FERRY_TEST_FTP_PORT"]}')
        # Leaving Server spreads the URL over Type, Port and Username.
        keys('Down', 'Down', 'Down')
        type_text(os.environ['FERRY_TEST_PASSWORD'])
        keys('Return')
        wait_for('the check to pass and the dialog to close', lambda: window(app, 'Authorize Connector') is None,
                 timeout=60)

        # The wizard chose what was saved: on to its folder, then the
        # destination.
        focus_window('New Transfer')
        # Each connector is one Tab stop (GTK's list goes from row to row
        # with Tab): from This Computer, one Tab is on Site, not on a button
        # inside the row.
        first = tab_to(wizard, pyatspi.ROLE_LIST_ITEM, 'This Computer', key='Up')
        keys('Tab')
        site = next(n for n in children(first.parent) if n.getRole() == pyatspi.ROLE_LIST_ITEM and n.name == 'Site')
        try:
            wait_for('Site to take the focus', lambda: site.getState().contains(pyatspi.STATE_FOCUSED), 5)
        except AssertionError:
            after = focused(wizard)
            raise AssertionError('one Tab from This Computer went to '
                                 f'{after.getRoleName() if after else None} {after.name if after else None!r}, '
                                 'not to the next connector')
        keys('alt+n')
        time.sleep(2.0)              # the server's folder is listed
        if focused(wizard) is None:
            raise AssertionError('the focus was lost after Next')
        keys('alt+n')
        time.sleep(0.5)
        if focused(wizard) is None:
            raise AssertionError('the focus was lost after Next')
        tab_to(wizard, pyatspi.ROLE_LIST_ITEM, 'This Computer', key='Down')
        keys('space')
        choice = wait_for('the radio button of This Computer', lambda: next(
            n for n in walk(wizard) if n.getRole() == pyatspi.ROLE_RADIO_BUTTON and n.name == 'This Computer'
            and n.getState().contains(pyatspi.STATE_CHECKED)), 5)
        if choice is None:
            raise AssertionError('Space did not choose This Computer')
        keys('alt+n')
        time.sleep(1.0)
        keys('alt+n')
        time.sleep(0.5)
        keys('alt+s')
        wait_for('the wizard to close', lambda: window(app, 'New Transfer') is None)

        # The server's root folder, copied into the home folder.
        copied = os.path.join(home, 'site', 'index.html')
        wait_for('the files to arrive', lambda: os.path.exists(os.path.join(home, 'site', 'css', 'site.css'))
                 and os.path.exists(copied), timeout=60)
        with open(copied, 'rb') as f:
            assert f.read() == b'<h1>hello</h1>\n', 'index.html arrived different'
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    log('authorized, built and ran a transfer with the keyboard only')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
