#!/usr/bin/python3
# test-accessibility.py: Ferry as a screen reader meets it. Starts the real
# app with the accessibility bridge on, and walks, through AT-SPI, the
# Migration Manager (a transfer selected, its Transfer Actions menu open),
# every step of the Transfer Wizard and its Preview, the Authorize dialog
# (its Type menu open, then an untrusted certificate on show), the Verify,
# Schedule and delete-confirmation dialogs, the History list and the
# Connectors window. Every object a user can
# reach or act on must have a name, and the right one: not empty, no
# mnemonic underscore ("_Start Migrating"), no widget class ("GtkImage"),
# not the same words twice; a choice of one among several is a radio
# button, not a check box. When the certificate is offered, Trust must not
# have the focus nor be the default, and the certificate must be on screen.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage, under tests/fixtures/ferry-testenv.py --display --keyring --ftp:
#   test-accessibility.py FERRY        (FERRY_CLI and GSETTINGS_SCHEMA_DIR set)
#   test-accessibility.py --dump FERRY  also prints every object it checks

import os
import re
import subprocess
import sys
import time

import pyatspi

from atspi_walk import application, children, walk, window

SKIP = 77
DUMP = False

# Roles a user acts on: each needs a name.
ACTIONABLE = {
    pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX,
    pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_CHECK_MENU_ITEM,
    pyatspi.ROLE_RADIO_MENU_ITEM, pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_TEXT,
    pyatspi.ROLE_PASSWORD_TEXT, pyatspi.ROLE_ENTRY, pyatspi.ROLE_SPIN_BUTTON,
    pyatspi.ROLE_LIST_ITEM, pyatspi.ROLE_PAGE_TAB, pyatspi.ROLE_LINK, pyatspi.ROLE_SLIDER,
    pyatspi.ROLE_LIST, pyatspi.ROLE_LIST_BOX, pyatspi.ROLE_TABLE, pyatspi.ROLE_TREE,
}
# GTK 4.8 marks these focusable though focus only passes through them to a
# child; a screen reader never lands on them.
PASS_THROUGH = {
    pyatspi.ROLE_SCROLL_PANE, pyatspi.ROLE_PANEL, pyatspi.ROLE_FILLER,
    pyatspi.ROLE_FRAME, pyatspi.ROLE_WINDOW, pyatspi.ROLE_DIALOG, pyatspi.ROLE_APPLICATION,
    pyatspi.ROLE_LABEL, pyatspi.ROLE_SEPARATOR, pyatspi.ROLE_SCROLL_BAR,
}
MNEMONIC = re.compile(r'(^|\W)_[^\W_]')
CLASS_NAME = re.compile(r'\b(Gtk|Adw|Ferry)[A-Z][A-Za-z]+\b')


def log(message):
    print(f'test-accessibility: {message}', file=sys.stderr, flush=True)


def wait_for(what, function, timeout=20.0, what_else=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = function()
        except Exception:
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f'timed out waiting for {what}' + (f'; found {what_else()}' if what_else else ''))


def find(node, predicate):
    for n in walk(node):
        try:
            if predicate(n):
                return n
        except Exception:
            continue
    return None


def showing(node):
    """On screen. GTK 4.8 sets no SHOWING state below the window, and keeps
    VISIBLE on what a hidden stack page or a closed revealer holds: those
    have no size."""
    try:
        if not node.getState().contains(pyatspi.STATE_VISIBLE):
            return False
        if node.getRole() in (pyatspi.ROLE_FRAME, pyatspi.ROLE_DIALOG, pyatspi.ROLE_WINDOW):
            return True
        box = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        return box.width > 0 and box.height > 0
    except Exception:
        return False


def windows(app):
    return ', '.join(f'{c.getRoleName()} {c.name!r}' for c in children(app))


def has_action(node):
    try:
        return node.queryAction().nActions > 0
    except NotImplementedError:
        return False


def button(root, name):
    """The button named `name` that can be pressed (GTK 4.8 wraps a menu
    button's real button in a second object of the same name)."""
    return wait_for(f'the button {name!r}', lambda: find(
        root, lambda n: n.getRole() in (pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON)
        and n.name == name and showing(n) and has_action(n)))


def press(node):
    node.queryAction().doAction(0)


def describe(node):
    path = []
    n = node
    while n is not None and n.getRole() not in (pyatspi.ROLE_FRAME, pyatspi.ROLE_APPLICATION):
        if n.name:
            path.append(n.name)
        try:
            n = n.parent
        except Exception:
            break
    where = ' < '.join(path[1:4])
    return f'{node.getRoleName()} {node.name!r}' + (f' (in {where})' if where else '')


def problems_in(root, what, radio_lists=()):
    """What a screen reader user would trip on in `root`, one line each."""
    found = []
    for node in walk(root):
        try:
            state = node.getState()
            role = node.getRole()
            if not showing(node):
                continue
            actionable = role in ACTIONABLE or (state.contains(pyatspi.STATE_FOCUSABLE)
                                                and role not in PASS_THROUGH)
            name = node.name or ''
            if DUMP:
                print(f'  {what}: {describe(node)}{" [checked]" if actionable else ""}', flush=True)
            if not actionable:
                continue
            if not name.strip():
                found.append(f'{what}: {node.getRoleName()} without a name ({describe(node.parent)})')
                continue
            if MNEMONIC.search(name):
                found.append(f'{what}: {describe(node)}: the name keeps the mnemonic underscore')
            if CLASS_NAME.search(name):
                found.append(f'{what}: {describe(node)}: named after a widget class')
            words = name.split()
            half = len(words) // 2
            if half and len(words) % 2 == 0 and words[:half] == words[half:]:
                found.append(f'{what}: {describe(node)}: the same words twice')
            if role == pyatspi.ROLE_CHECK_BOX and any(node.name in group for group in radio_lists):
                found.append(f'{what}: {describe(node)}: one choice among several is a check box, '
                             'not a radio button')
        except Exception as e:
            found.append(f'{what}: could not read an object: {e}')
    return found


def main(argv):
    global DUMP
    if argv and argv[0] == '--dump':
        DUMP = True
        argv = argv[1:]
    if not argv or 'DISPLAY' not in os.environ or 'FERRY_TEST_FTPS_PORT' not in os.environ:
        log('needs tests/fixtures/ferry-testenv.py --display --keyring --ftp -- test-accessibility.py FERRY')
        return SKIP
    ferry = argv[0]
    cli = os.environ['FERRY_CLI']
    env = dict(os.environ, GSK_RENDERER='cairo', LANGUAGE='en', LANG='C.UTF-8')
    env.pop('NO_AT_BRIDGE', None)
    home = os.environ['HOME']

    # A saved connector and a transfer: the wizard then offers a choice of
    # two, and the Manager has a row to read.
    os.makedirs(os.path.join(home, 'Pictures'), exist_ok=True)
    subprocess.run([cli, 'connector', 'add', 'Web server', '--type', 'ftp', '--server', '127.0.0.1',
                    '--port', os.environ['FERRY_TEST_FTP_PORT'], '--user', os.environ['FERRY_TEST_USER'],
                    '--password-stdin'], input=os.environ['FERRY_TEST_PASSWORD'].encode(), env=env,
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([cli, 'transfer', 'add', 'Photos', '--from', f'local:{home}/Pictures',
                    '--to', f'local:{home}/Archive'], env=env, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(home, 'Pictures', 'beach.jpg'), 'wb') as f:
        f.write(b'\xff\xd8 not much of a picture')

    proc = subprocess.Popen([ferry], env=env, start_new_session=True)
    problems = []
    try:
        app = wait_for('Ferry on the accessibility bus', lambda: application(proc.pid))
        main_window = wait_for('the Migration Manager', lambda: window(app, 'Ferry'))
        transfers = wait_for('the list of transfers', lambda: find(
            main_window, lambda n: n.getRole() == pyatspi.ROLE_LIST and n.name == 'Transfers'))
        row = wait_for('the row of Photos', lambda: next(
            (c for c in children(transfers) if c.getRole() == pyatspi.ROLE_LIST_ITEM), None))
        transfers.querySelection().selectChild(row.getIndexInParent())
        time.sleep(1.0)
        if 'Photos' not in (row.name or ''):
            problems.append(f'Manager: the transfer row is named {row.name!r}, not after the transfer')
        problems += problems_in(main_window, 'Manager')

        menu_button = button(main_window, 'Transfer Actions')
        press(menu_button)
        time.sleep(1.0)
        problems += problems_in(app, 'Transfer Actions menu')
        subprocess.run(['xdotool', 'key', 'Escape'], check=False)
        time.sleep(0.5)

        # The wizard, on its first step: the connector choice.
        press(button(main_window, 'New Transfer'))
        wizard = wait_for('the Transfer Wizard', lambda: window(app, 'New Transfer'))
        time.sleep(1.0)
        names = ('This Computer', 'Web server')
        problems += problems_in(wizard, 'Wizard', radio_lists=[names])
        for name in names:
            if find(wizard, lambda n: n.getRole() == pyatspi.ROLE_RADIO_BUTTON and n.name == name
                    and showing(n)) is None:
                problems.append(f'Wizard: no radio button named {name!r} for the connector choice')
        if find(wizard, lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON and n.name == 'Cancel'
                and showing(n)) is None:
            problems.append('Wizard: no Cancel button on the first step')

        # The Authorize dialog, from the wizard.
        press(button(wizard, 'Authorize New Connector…'))
        dialog = wait_for('the Authorize dialog', lambda: window(app, 'Authorize Connector'),
                          what_else=lambda: windows(app))
        time.sleep(1.0)
        problems += problems_in(dialog, 'Authorize')

        type_row = wait_for('the Type row', lambda: find(
            dialog, lambda n: n.getRole() == pyatspi.ROLE_COMBO_BOX and n.name == 'Type'))
        # A combo row has no AT-SPI action in GTK 4.8, nor grabFocus: Tab to
        # it from Display Name, as a keyboard user does, and press Space.
        for _ in range(6):
            if type_row.getState().contains(pyatspi.STATE_FOCUSED):
                break
            subprocess.run(['xdotool', 'key', 'Tab'], check=True)
            time.sleep(0.3)
        else:
            problems.append('Authorize: Tab from Display Name does not reach Type')
        subprocess.run(['xdotool', 'key', 'space'], check=True)
        time.sleep(1.0)
        problems += problems_in(app, 'Type menu')
        type_items = [n for n in walk(app) if n.getRole() in (pyatspi.ROLE_LIST_ITEM, pyatspi.ROLE_MENU_ITEM)
                      and showing(n) and 'FTP' in (n.name or '')]
        if len(type_items) < 4:
            problems.append(f'Type menu: {len(type_items)} named items, not the 4 types')
        subprocess.run(['xdotool', 'key', 'Escape'], check=False)
        time.sleep(0.5)

        # An FTPS server with a self-signed certificate: trust is offered.
        def entry(label):
            return wait_for(f'the {label} field', lambda: find(
                dialog, lambda n: n.getRole() in (pyatspi.ROLE_TEXT, pyatspi.ROLE_ENTRY,
                                                  pyatspi.ROLE_PASSWORD_TEXT)
                and n.name == label and showing(n)))
        entry('Display Name').queryEditableText().setTextContents('Secure site')
        entry('Server').queryEditableText().setTextContents(
            f'ftpes://{os.environ["FERRY_TEST_USER"]}@127.0.0.1:{os.environ["FERRY_TEST_FTPS_PORT"]}')
        time.sleep(0.3)
        entry('Password').queryEditableText().setTextContents(os.environ['FERRY_TEST_PASSWORD'])
        press(button(dialog, 'Authorize'))
        trust = button(dialog, 'Trust and Authorize')
        time.sleep(1.0)
        problems += problems_in(dialog, 'Authorize, certificate shown')
        if trust.getState().contains(pyatspi.STATE_FOCUSED):
            problems.append('Authorize: Trust and Authorize took the focus by itself')
        if trust.getState().contains(pyatspi.STATE_IS_DEFAULT):
            problems.append('Authorize: Trust and Authorize is the default button')
        subject = find(dialog, lambda n: n.getRole() == pyatspi.ROLE_LIST_ITEM
                       and (n.name or '').startswith('Subject'))
        if subject is None:
            problems.append('Authorize: no Subject row for the certificate')
        else:
            box = dialog.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
            row_box = subject.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
            if not (box.y <= row_box.y and row_box.y + row_box.height <= box.y + box.height):
                problems.append('Authorize: the certificate is not scrolled into view when trust is offered '
                                f'(its first row at y={row_box.y}..{row_box.y + row_box.height}, '
                                f'the dialog {box.y}..{box.y + box.height})')
            if os.environ.get('FERRY_TEST_SHOT'):
                subprocess.run(['import', '-window', 'root', os.environ['FERRY_TEST_SHOT']], check=False)

        # Back to the wizard, one step on: Cancel stays, Back joins it.
        press(button(dialog, 'Cancel'))
        wait_for('the Authorize dialog to close', lambda: window(app, 'Authorize Connector') is None)
        choice = wait_for('This Computer', lambda: find(
            wizard, lambda n: n.getRole() == pyatspi.ROLE_RADIO_BUTTON and n.name == 'This Computer'
            and showing(n)))
        # No AT-SPI action on a GTK 4.8 check button: click it (no window
        # manager under Xvfb: the window sits at the screen's corner).
        box = choice.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        subprocess.run(['xdotool', 'mousemove', str(box.x + box.width // 2), str(box.y + box.height // 2),
                        'click', '1'], check=True)
        press(wait_for('Next, enabled', lambda: find(
            wizard, lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON and n.name == 'Next' and showing(n)
            and n.getState().contains(pyatspi.STATE_SENSITIVE))))
        wait_for('Back', lambda: find(wizard, lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON
                                      and n.name == 'Back' and showing(n)))
        time.sleep(1.0)
        problems += problems_in(wizard, 'Wizard, step 2')
        if find(wizard, lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON and n.name == 'Cancel'
                and showing(n)) is None:
            problems.append('Wizard: no Cancel button after the first step')

        # Every later step too: the destination, its folder, the options.
        def next_step():
            press(wait_for('Next, enabled', lambda: find(
                wizard, lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON and n.name == 'Next' and showing(n)
                and n.getState().contains(pyatspi.STATE_SENSITIVE))))
            time.sleep(1.0)
        next_step()
        choice = wait_for('This Computer as the destination', lambda: find(
            wizard, lambda n: n.getRole() == pyatspi.ROLE_RADIO_BUTTON and n.name == 'This Computer'
            and showing(n)))
        box = choice.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        subprocess.run(['xdotool', 'mousemove', str(box.x + box.width // 2), str(box.y + box.height // 2),
                        'click', '1'], check=True)
        problems += problems_in(wizard, 'Wizard, step 3', radio_lists=[names])
        next_step()
        problems += problems_in(wizard, 'Wizard, step 4')
        next_step()
        name_entry = wait_for('the Name field', lambda: find(
            wizard, lambda n: n.getRole() in (pyatspi.ROLE_TEXT, pyatspi.ROLE_ENTRY) and n.name == 'Name'
            and showing(n)))
        name_entry.queryEditableText().setTextContents('Home copy')
        time.sleep(0.5)
        problems += problems_in(wizard, 'Wizard, step 5')

        # Preview… from the wizard: what a run of the unsaved fields does.
        press(button(wizard, 'Preview…'))
        preview = wait_for('the Preview', lambda: window(app, 'Preview'), what_else=lambda: windows(app))
        time.sleep(1.5)
        problems += problems_in(preview, 'Preview')
        press(button(preview, 'Close'))
        wait_for('the Preview to close', lambda: window(app, 'Preview') is None)
        press(button(wizard, 'Cancel'))
        wait_for('the wizard to close', lambda: window(app, 'New Transfer') is None)

        # The dialogs of Transfer Actions: Verify, Schedule, Delete.
        def from_menu(item, title):
            # The Manager focused again (no window manager does it here).
            subprocess.run(['xdotool', 'search', '--sync', '--onlyvisible', '--name', '^Ferry$',
                            'windowfocus', '--sync'], check=True, timeout=20, stdout=subprocess.DEVNULL)
            time.sleep(0.5)
            press(button(main_window, 'Transfer Actions'))
            entry = wait_for(f'the menu item {item!r}', lambda: find(
                app, lambda n: n.getRole() in (pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_PUSH_BUTTON)
                and n.name == item and showing(n)))
            press(entry)
            return wait_for(f'the {title} dialog', lambda: window(app, title), what_else=lambda: windows(app))
        verify = from_menu('Verify…', 'Verify')
        time.sleep(2.0)
        problems += problems_in(verify, 'Verify')
        press(button(verify, 'Close'))
        wait_for('Verify to close', lambda: window(app, 'Verify') is None)
        schedule = from_menu('Schedule…', 'Schedule')
        time.sleep(1.0)
        problems += problems_in(schedule, 'Schedule')
        press(button(schedule, 'Cancel'))
        wait_for('Schedule to close', lambda: window(app, 'Schedule') is None)
        confirm = from_menu('Delete…', 'Delete “Photos”?')
        time.sleep(1.0)
        problems += problems_in(confirm, 'Delete confirmation')
        press(button(confirm, 'Cancel'))
        wait_for('the confirmation to close', lambda: window(app, 'Delete “Photos”?') is None)

        # History: the runs of the transfer, a list a screen reader reads.
        # One run first, from the window.
        press(button(main_window, 'Start Migrating'))
        wait_for('the copy', lambda: os.path.exists(os.path.join(home, 'Archive', 'beach.jpg')), timeout=60)
        time.sleep(1.0)
        tab = wait_for('the History tab', lambda: find(
            main_window, lambda n: n.getRole() == pyatspi.ROLE_PAGE_TAB and n.name == 'History' and showing(n)))
        box = tab.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        subprocess.run(['xdotool', 'mousemove', str(box.x + box.width // 2), str(box.y + box.height // 2),
                        'click', '1'], check=True)
        history = wait_for('the History list', lambda: find(
            main_window, lambda n: n.getRole() == pyatspi.ROLE_LIST and n.name == 'Earlier Runs' and showing(n)
            and n.childCount > 0),
            what_else=lambda: ', '.join(describe(n) for n in walk(main_window)
                                        if n.getRole() == pyatspi.ROLE_LIST))
        time.sleep(0.5)
        problems += problems_in(history, 'History')

        # The Connectors window (Ctrl+K): a saved connector's row and the
        # types to authorize.
        subprocess.run(['xdotool', 'search', '--sync', '--onlyvisible', '--name', '^Ferry$',
                        'windowfocus', '--sync'], check=True, timeout=20, stdout=subprocess.DEVNULL)
        subprocess.run(['xdotool', 'key', 'ctrl+k'], check=True)
        connectors = wait_for('the Connectors window', lambda: window(app, 'Connectors'),
                              what_else=lambda: windows(app))
        time.sleep(1.0)
        problems += problems_in(connectors, 'Connectors')
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    for problem in problems:
        log(problem)
    if problems:
        log(f'{len(problems)} problems')
        return 1
    log('every object checked has a fitting name and role')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
