#!/usr/bin/python3
"""A tiny GTK3 window that offers files as an XDND drag (text/uri-list), for the GUI tests.

Usage: drag_source.py X Y FILE...   (window placed at X, Y; a 200x200 drag handle)
The test presses the mouse on it and moves to the app with xdotool: a real X11 drag, exactly
what a file manager does. Exits by itself after a while so it can never outlive a test run.
"""
import sys
from urllib.parse import quote
import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
from gi.repository import GLib, Gdk, Gtk  # noqa: E402


def main():
    x, y = int(sys.argv[1]), int(sys.argv[2])
    uris = ["file://" + quote(path) for path in sys.argv[3:]]

    window = Gtk.Window(title="TribeLens test drag source")
    window.set_default_size(200, 200)
    window.move(x, y)
    box = Gtk.EventBox()
    box.add(Gtk.Label(label="drag me\n%d file(s)" % len(uris)))
    box.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, [], Gdk.DragAction.COPY)
    box.drag_source_add_uri_targets()

    def on_get(_widget, _context, data, _info, _time):
        data.set_uris(uris)

    def on_end(_widget, _context):
        print("drag-end", flush=True)

    box.connect("drag-data-get", on_get)
    box.connect("drag-end", on_end)
    window.add(box)
    window.connect("destroy", Gtk.main_quit)
    window.show_all()
    GLib.timeout_add_seconds(60, Gtk.main_quit)
    print("ready", flush=True)
    Gtk.main()


if __name__ == "__main__":
    main()
