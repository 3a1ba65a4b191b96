# atspi_walk.py: finding Ferry's windows and objects through AT-SPI, for the
# UI tests written in Python (test-accessibility.py, test-keyboard.py).
# Objects come and go while the app runs; a call on one that is gone
# raises, and these helpers treat that as "not there".
#
# SPDX-License-Identifier: GPL-3.0-or-later

import pyatspi


def children(node):
    try:
        count = node.childCount
    except Exception:
        return
    for i in range(count):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        if child is not None:
            yield child


def walk(node, depth=0):
    """node and everything below it, depth first (60 levels at most)."""
    if depth > 60:
        return
    yield node
    for child in children(node):
        yield from walk(child, depth + 1)


def application(pid):
    """The accessible application of process pid, or None."""
    for app in children(pyatspi.Registry.getDesktop(0)):
        try:
            if app.get_process_id() == pid:
                return app
        except Exception:
            continue
    return None


def window(app, name):
    """app's visible window or dialog titled name, or None."""
    for child in children(app):
        if child.name == name and child.getState().contains(pyatspi.STATE_VISIBLE):
            return child
    return None
