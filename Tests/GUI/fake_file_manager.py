#!/usr/bin/python3
"""A stand-in for a file manager's org.freedesktop.FileManager1 interface on the test's
private session bus: every ShowItems / ShowFolders call is appended to CALLS_FILE as one JSON
line {"method": ..., "uris": [...], "startup_id": ...}, so a test can check that the app's
"Show in Folder" asked for the right file.

Usage: fake_file_manager.py READY_FILE CALLS_FILE"""
import json
import sys

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

XML = """
<node>
  <interface name="org.freedesktop.FileManager1">
    <method name="ShowFolders"><arg type="as" name="uris" direction="in"/><arg type="s" name="startup_id" direction="in"/></method>
    <method name="ShowItems"><arg type="as" name="uris" direction="in"/><arg type="s" name="startup_id" direction="in"/></method>
    <method name="ShowItemProperties"><arg type="as" name="uris" direction="in"/><arg type="s" name="startup_id" direction="in"/></method>
  </interface>
</node>
"""
NAME, PATH = "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1"
ready_file, calls_file = sys.argv[1], sys.argv[2]


def on_call(connection, sender, path, interface, method, parameters, invocation):
    uris, startup_id = parameters.unpack()
    with open(calls_file, "a") as handle:
        handle.write(json.dumps({"method": method, "uris": list(uris), "startup_id": startup_id}) + "\n")
    invocation.return_value(None)


def on_bus(connection, name):
    info = Gio.DBusNodeInfo.new_for_xml(XML).interfaces[0]
    connection.register_object(PATH, info, on_call, None, None)


def on_name(connection, name):
    with open(ready_file, "w") as handle:
        handle.write("ready\n")


Gio.bus_own_name(Gio.BusType.SESSION, NAME, Gio.BusNameOwnerFlags.NONE,
                 on_bus, on_name, lambda *a: sys.exit("could not own " + NAME))
GLib.MainLoop().run()
