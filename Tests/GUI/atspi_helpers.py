"""Reading the TribeLens window through AT-SPI: find the app by process id, walk its widget
tree, wait until a widget with a given accessible description or name shows up.

Everything polls with a deadline: AT-SPI sees a new window only some time after it maps, and
names change as the app works. Tests read names and run accessible actions, never coordinates.
"""
import time

import pyatspi
from gi.repository import Atspi


class Timeout(AssertionError):
    pass


def find_app(pid, timeout=20.0):
    """The AT-SPI application object of process `pid`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for index in range(desktop.childCount):
            try:
                app = desktop.getChildAtIndex(index)
                if app is not None and app.get_process_id() == pid:
                    return app
            except Exception:  # an app going away mid-walk
                continue
        time.sleep(0.2)
    raise Timeout("process %d never appeared on the AT-SPI bus" % pid)


def walk(node, depth=0, limit=40, prune=None):
    """Every accessible under `node` (depth-first), skipping ones that vanish while walking, and
    not below a node for which `prune(node)` is true."""
    if node is None or depth > limit:
        return
    yield node
    if prune is not None and prune(node):
        return
    try:
        count = node.childCount
    except Exception:
        return
    for index in range(count):
        try:
            child = node.getChildAtIndex(index)
        except Exception:
            continue
        yield from walk(child, depth + 1, limit, prune)


def fresh(app):
    """Drops AT-SPI's cached names so that polling sees the app's current text."""
    try:
        Atspi.Accessible.clear_cache(app)
    except Exception:
        pass


def safe(getter, default=""):
    try:
        return getter()
    except Exception:
        return default


def find(app, role=None, name=None, description=None, predicate=None):
    """The first accessible matching all given criteria, or None."""
    fresh(app)
    for node in walk(app):
        if role is not None and safe(node.getRoleName) != role:
            continue
        if name is not None and safe(lambda: node.name) != name:
            continue
        if description is not None and safe(lambda: node.description) != description:
            continue
        if predicate is not None and not predicate(node):
            continue
        return node
    return None


def wait_for(app, what, timeout=30.0, **criteria):
    """Polls `find` until it matches; raises Timeout naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        node = find(app, **criteria)
        if node is not None:
            return node
        time.sleep(0.2)
    raise Timeout("timed out after %.0f s waiting for %s" % (timeout, what))


def wait_for_text(app, description, accept, what, timeout=30.0):
    """Waits until the label described as `description` has a name for which `accept` is true;
    returns that name."""
    last = []

    def matches(node):
        text = safe(lambda: node.name)
        last[:] = [text]
        return accept(text)

    try:
        wait_for(app, what, timeout, description=description, predicate=matches)
    except Timeout as error:
        raise Timeout("%s (last %r: %r)" % (error, description, last[0] if last else None)) from None
    return last[0]


def click(node):
    """Runs the accessible's first action (a button's "click")."""
    action = node.queryAction()
    for index in range(action.nActions):
        if action.getName(index) in ("click", "activate", "press"):
            return action.doAction(index)
    return action.doAction(0)


def dump(app, out):
    """The whole tree, for diagnosing a failure."""
    fresh(app)
    for node in walk(app):
        out.write("%s %r desc=%r\n" % (safe(node.getRoleName), safe(lambda: node.name),
                                       safe(lambda: node.description)))
