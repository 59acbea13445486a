#!/usr/bin/python3
"""A stand-in for xdg-desktop-portal's Settings interface on the test's private session bus:
answers Read("org.freedesktop.appearance", "color-scheme") with COLOR_SCHEME (1 = prefer
dark), and on SIGUSR1 switches to 0 (no preference) and emits SettingChanged.

Usage: fake_portal.py READY_FILE COLOR_SCHEME"""
import signal
import sys

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

XML = """
<node>
  <interface name="org.freedesktop.portal.Settings">
    <method name="Read">
      <arg type="s" name="namespace" direction="in"/>
      <arg type="s" name="key" direction="in"/>
      <arg type="v" name="value" direction="out"/>
    </method>
    <signal name="SettingChanged">
      <arg type="s" name="namespace"/>
      <arg type="s" name="key"/>
      <arg type="v" name="value"/>
    </signal>
    <property name="version" type="u" access="read"/>
  </interface>
</node>
"""
PATH = "/org/freedesktop/portal/desktop"
ready_file, state = sys.argv[1], {"scheme": int(sys.argv[2]), "connection": None}


def on_call(connection, sender, path, interface, method, parameters, invocation):
    namespace, key = parameters.unpack()
    if method == "Read" and (namespace, key) == ("org.freedesktop.appearance", "color-scheme"):
        # Real portals wrap the value in one variant more than documented; the app copes with both.
        invocation.return_value(GLib.Variant("(v)", (GLib.Variant("v", GLib.Variant("u", state["scheme"])),)))
    else:
        invocation.return_dbus_error("org.freedesktop.portal.Error.NotFound", "no such setting")


def on_bus(connection, name):
    state["connection"] = connection
    info = Gio.DBusNodeInfo.new_for_xml(XML).interfaces[0]
    connection.register_object(PATH, info, on_call, None, None)


def on_name(connection, name):
    with open(ready_file, "w") as handle:
        handle.write("ready\n")


def on_usr1():
    state["scheme"] = 0
    state["connection"].emit_signal(None, PATH, "org.freedesktop.portal.Settings", "SettingChanged",
                                    GLib.Variant("(ssv)", ("org.freedesktop.appearance", "color-scheme",
                                                           GLib.Variant("u", 0))))
    return True


Gio.bus_own_name(Gio.BusType.SESSION, "org.freedesktop.portal.Desktop", Gio.BusNameOwnerFlags.NONE,
                 on_bus, on_name, lambda *a: sys.exit("could not own org.freedesktop.portal.Desktop"))
GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGUSR1, on_usr1)
GLib.MainLoop().run()
