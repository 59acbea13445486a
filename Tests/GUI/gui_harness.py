"""The GUI tests' harness: a running app, the per-test context (scratch folder, helper
processes, screenshots), and small X helpers (xdotool, window geometry). Tests live in
gui_tests.py."""
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

import gi

gi.require_version("Atspi", "2.0")
import atspi_helpers as at  # noqa: E402

FACE_COUNT = "Face count"
FINAL_COUNT = re.compile(r"^(\d+ faces?|No faces|Could not open this photo)$")


class App:
    """One running tribelens process; always killed at the end of its test."""

    def __init__(self, binary, args, log_dir, name, extra_env=None):
        self.log_path = os.path.join(log_dir, "gui-%s.log" % name)
        self.log = open(self.log_path, "w")
        # No GL under Xvfb; no portal: GtkFileChooserNative falls back to GTK's own dialog.
        env = dict(os.environ, GSK_RENDERER="cairo", GTK_A11Y="atspi", NO_AT_BRIDGE="0", GTK_USE_PORTAL="0")
        env.update(extra_env or {})
        self.process = subprocess.Popen([binary] + args, stdout=self.log, stderr=subprocess.STDOUT,
                                        env=env, start_new_session=True)
        try:
            self.accessible = at.find_app(self.process.pid)
        except BaseException:
            self.stop()  # never leave a half-started app behind
            raise

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.close()


def screenshot(artifacts, name, window="root"):
    """The whole screen, or one X window (an id from `xdotool search`)."""
    path = os.path.join(artifacts, "gui-%s.png" % name)
    subprocess.run(["import", "-window", window, path], check=True, timeout=20,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return path


def face_count(app, timeout=30.0):
    """The final face-count text of the shown photo ("2 faces", ...), waiting out "Finding faces…"."""
    return at.wait_for_text(app.accessible, FACE_COUNT, lambda t: bool(FINAL_COUNT.match(t)),
                            "a final face count", timeout)


def expect(actual, wanted, what):
    if actual != wanted:
        raise AssertionError("%s: expected %r, got %r" % (what, wanted, actual))


def window_geometry(title_regex, timeout=15.0):
    """(x, y, width, height) of the X window whose title matches, via xdotool."""
    out = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", title_regex,
                          "getwindowgeometry", "--shell"], capture_output=True, text=True,
                         timeout=timeout, check=True).stdout
    values = dict(line.split("=", 1) for line in out.split() if "=" in line)
    return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])


def drag(ctx, paths, target_title_regex):
    """A real XDND drag of `paths` from drag_source.py (a GTK 3 window) to the middle of the
    window whose title matches. Returns the target window's geometry."""
    here = os.path.dirname(os.path.abspath(__file__))
    target = window_geometry(target_title_regex)
    # An earlier drag source lives on (60 s) with the same title: end it (its window goes with
    # the process), or the window search below finds it and the old files are dropped again.
    for earlier in ctx.drag_sources:
        if earlier.poll() is None:
            earlier.terminate()
            earlier.wait(timeout=10)
    ctx.drag_sources = [ctx.spawn(["/usr/bin/python3", os.path.join(here, "drag_source.py"), "1060", "80"] + list(paths),
                                  "drag-source")]
    source_box = window_geometry("^TribeLens test drag source$")
    start = (source_box[0] + source_box[2] // 2, source_box[1] + source_box[3] // 2)
    end = (target[0] + target[2] // 2, target[1] + target[3] // 2)
    # XDND needs the pointer to move in steps after the press: the source only starts the drag
    # past a threshold, and the target only answers positions it has been told about.
    xdotool("mousemove", *start)
    time.sleep(0.3)
    xdotool("mousedown", 1)
    steps = 24
    for i in range(1, steps + 1):
        xdotool("mousemove", start[0] + (end[0] - start[0]) * i // steps, start[1] + (end[1] - start[1]) * i // steps)
        time.sleep(0.05)
    return target, end


def drop(end):
    """Releases a drag started by `drag` just past its end point."""
    xdotool("mousemove", end[0] + 5, end[1] + 5)
    time.sleep(0.2)
    xdotool("mouseup", 1)


def xdotool(*args):
    subprocess.run(["xdotool"] + [str(a) for a in args], check=True, timeout=10)


class Context:
    def __init__(self, binary, shared, artifacts):
        self.binary, self.shared, self.artifacts = binary, shared, artifacts
        self.apps, self.helpers, self.notes = [], [], []
        self.drag_sources = []
        self.scratch = tempfile.mkdtemp(prefix="tribelens-gui-")

    def start(self, args, name, env=None):
        # Retry once: on a cold machine the accessibility bus can be slow to come up.
        for attempt in (1, 2):
            try:
                app = App(self.binary, args, self.artifacts, name, env)
                self.apps.append(app)
                return app
            except at.Timeout:
                if attempt == 2:
                    raise
                self.close_apps()

    def spawn(self, command, name):
        log = open(os.path.join(self.artifacts, "gui-%s.log" % name), "w")
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        log.close()
        self.helpers.append(process)
        return process

    def shot(self, name, title_regex=None):
        """A screenshot in artifacts/: the screen, or only the window whose title matches (the
        README's screenshots are such window shots)."""
        time.sleep(0.5)  # let cross-fades and reveals finish
        window = "root"
        if title_regex is not None:
            window = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", title_regex],
                                    capture_output=True, text=True, timeout=15, check=True).stdout.split()[0]
        self.notes.append("screenshot " + os.path.relpath(screenshot(self.artifacts, name, window)))

    def note(self, text):
        self.notes.append(text)

    def close_apps(self):
        for app in self.apps:
            app.stop()
        self.apps = []

    def close(self):
        self.close_apps()
        for process in self.helpers:
            if process.poll() is None:
                process.kill()
                process.wait(5)
        # A drag that failed half-way leaves the button pressed.
        subprocess.run(["xdotool", "mouseup", "1"], stderr=subprocess.DEVNULL, timeout=10)
        shutil.rmtree(self.scratch, ignore_errors=True)
