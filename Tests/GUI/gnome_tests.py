"""GUI tests of the desktop integration (docs/gnome.md): Japanese UI from the locale, the main
menu and About, the keyboard shortcuts window, light/dark style following GNOME's setting,
Ctrl+T and Ctrl+Q, and the window size kept in settings.ini. Registered in gui_tests.TESTS."""
import os
import signal
import subprocess
import time

import gi

gi.require_version("Atspi", "2.0")
import atspi_helpers as at  # noqa: E402
from gui_harness import FACE_COUNT, expect, screenshot, window_geometry, xdotool  # noqa: E402

JAPANESE = {"LANG": "ja_JP.UTF-8"}


def focus_window(title_regex):
    """No window manager under Xvfb: keys go to the window under the pointer."""
    box = window_geometry(title_regex)
    xdotool("mousemove", box[0] + box[2] // 2, box[1] + box[3] // 2)
    time.sleep(0.3)
    return box


def test_japanese_ui(ctx):
    """LANG=ja_JP.UTF-8 gives the Japanese UI from po/ja.po (gettext), plural forms included;
    a second launch in Japanese hands its photo over as usual."""
    locales = subprocess.run(["locale", "-a"], capture_output=True, text=True, timeout=10).stdout.lower().split()
    if "ja_jp.utf8" not in locales and "ja_jp.utf-8" not in locales:
        raise AssertionError("the ja_JP.UTF-8 locale is not generated (run scripts/install-deps.sh --test as root)")
    app = ctx.start([], "japanese-ui", env=JAPANESE)
    at.wait_for(app.accessible, "the Japanese empty page title", name="ここに写真をドロップ")
    at.wait_for(app.accessible, "the Japanese Open Folder button", role="push button",
                predicate=lambda node: node.name.startswith("フォルダーを開く"))
    photo = os.path.join(ctx.shared, "data/group-photos/test1.jpg")
    with open(os.path.join(ctx.artifacts, "gui-japanese-second.log"), "w") as log:
        second = subprocess.run([ctx.binary, photo], stdout=log, stderr=subprocess.STDOUT, timeout=20,
                                env=dict(os.environ, **JAPANESE))
    expect(second.returncode, 0, "exit status of the second launch")
    text = at.wait_for_text(app.accessible, FACE_COUNT, lambda t: t not in ("", "顔を検出しています…"),
                            "the Japanese face count")
    expect(text, "顔 2 件", "face count in Japanese")
    at.wait_for(app.accessible, "the photo named in Japanese", role="image", name="test1.jpg, 顔 2 件")
    # The recognition part too, whatever the model state: face targets and the model button.
    at.wait_for(app.accessible, "a face target named in Japanese", role="push button",
                predicate=lambda n: n.name == "顔 1" or n.name.startswith("顔 1："))
    at.wait_for(app.accessible, "the model button named in Japanese", role="push button",
                predicate=lambda n: n.name.startswith("モデル："))
    ctx.shot("japanese-ui")


def test_main_menu_about_and_preferences(ctx):
    """The main menu lists Preferences, Keyboard Shortcuts and About; About opens the About
    dialog; Preferences has the three choices, and choosing the Dark style by keyboard turns the
    window dark at once and is saved in settings.ini."""
    config = os.path.join(ctx.scratch, "config")
    app = ctx.start([], "main-menu", env={"XDG_CONFIG_HOME": config})
    menu = at.wait_for(app.accessible, "the main menu button", name="Main Menu", role="push button",
                       predicate=lambda node: node.childCount == 0 or node.queryAction().nActions > 0)
    at.click(menu)
    for item in ("Preferences", "Keyboard Shortcuts", "About TribeLens"):
        at.wait_for(app.accessible, "the menu item " + item, role="menu item", name=item, timeout=10)
    ctx.shot("main-menu")
    at.click(at.find(app.accessible, role="menu item", name="About TribeLens"))
    at.wait_for(app.accessible, "the About dialog's version", role="label", name="0.1.0", timeout=10)
    at.wait_for(app.accessible, "the About dialog's comment", role="label",
                name="Find the faces in your fan photos and see who is who.")
    ctx.shot("about")
    xdotool("key", "Escape")

    at.click(menu)
    at.click(at.wait_for(app.accessible, "the Preferences item", role="menu item", name="Preferences", timeout=10))
    for choice in ("Member names", "Style", "Face detector"):
        at.wait_for(app.accessible, "the preference " + choice, name=choice, role="combo box", timeout=10)
    ctx.shot("preferences")

    main_box = window_geometry("^TribeLens$")
    wait_for_luminance(ctx, main_box, lambda v: v > 0.7, "light before choosing a style")
    style = at.wait_for(app.accessible, "the Style choice", name="Style", role="combo box")
    at.click(at.wait_for(style, "the Style drop-down button", role="push button"))
    at.wait_for(style, "the open Style list", role="label", name="Dark", timeout=10)
    focus_window("^Preferences$")
    xdotool("key", "--delay", "150", "Down", "Down", "Return")  # Follow System, Light, Dark
    dark = wait_for_luminance(ctx, main_box, lambda v: v < 0.3, "dark after choosing Dark in Preferences")
    ctx.shot("preferences-dark")
    with open(os.path.join(config, "io.github.tribelens.TribeLens", "settings.ini"), encoding="utf-8") as handle:
        saved = handle.read()
    if "color-scheme=dark" not in saved.splitlines():
        raise AssertionError("settings.ini does not say color-scheme=dark:\n" + saved)
    ctx.note("Preferences > Style > Dark: window luminance %.2f, saved in settings.ini" % dark)


def test_keyboard_shortcuts_window(ctx):
    """Ctrl+? opens the shortcuts window listing open, previous/next, train and quit."""
    app = ctx.start([], "shortcuts")
    at.wait_for(app.accessible, "the empty window", name="Drop Photos Here")
    focus_window("^TribeLens$")
    xdotool("key", "ctrl+question")
    at.wait_for(app.accessible, "the shortcuts window", role="label", name="Shortcuts", timeout=10)
    for title in ("Open photos", "Previous photo", "Next photo", "Train a model", "Quit", "Keyboard shortcuts",
                  "Export annotated photo", "Also Page Up", "Also Page Down"):
        at.wait_for(app.accessible, "the shortcut " + title, role="label", name=title, timeout=5)
    # Keys are drawn as keys, not as X key names (issue 15: "Page_Up").
    raw = [n.name for n in at.walk(app.accessible) if at.safe(n.getRoleName) == "label" and "_" in (at.safe(lambda: n.name) or "")]
    if any(name in ("Page_Up", "Page_Down") for name in raw):
        raise AssertionError("the shortcuts window shows key names: %r" % raw)
    ctx.shot("shortcuts")


def mean_luminance(artifacts, name, box):
    """Mean luminance (0..1) of a patch of the window's content area, from a real screenshot."""
    path = screenshot(artifacts, name)
    x, y = box[0] + box[2] - 150, box[1] + box[3] - 110  # plain background: clear of text and dialogs
    out = subprocess.run(["convert", path, "-crop", "120x80+%d+%d" % (x, y), "+repage", "-colorspace", "Gray",
                          "-format", "%[fx:mean]", "info:"], capture_output=True, text=True, timeout=20, check=True)
    return float(out.stdout.strip())


def wait_for_luminance(ctx, box, accept, what, timeout=10.0):
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = mean_luminance(ctx.artifacts, "style-probe", box)
        if accept(value):
            return value
        time.sleep(0.5)
    raise AssertionError("%s: window luminance stayed at %.2f" % (what, value))


def test_follows_dark_style(ctx):
    """The window follows GNOME's color-scheme (GSettings, through dconf on the test's own D-Bus
    session) while it runs: light, then dark after `gsettings set ... prefer-dark`, then light
    again; TRIBELENS_COLOR_SCHEME=dark starts dark regardless."""
    def gsettings(value):
        subprocess.run(["gsettings", "set", "org.gnome.desktop.interface", "color-scheme", value],
                       check=True, timeout=20)

    gsettings("default")
    try:
        app = ctx.start([], "dark-style")
        at.wait_for(app.accessible, "the empty window", name="Drop Photos Here")
        box = window_geometry("^TribeLens$")
        light = wait_for_luminance(ctx, box, lambda v: v > 0.7, "light at start")
        gsettings("prefer-dark")
        dark = wait_for_luminance(ctx, box, lambda v: v < 0.3, "dark after color-scheme=prefer-dark")
        ctx.shot("dark-style")
        gsettings("default")
        back = wait_for_luminance(ctx, box, lambda v: v > 0.7, "light after color-scheme=default")
        ctx.note("window luminance: light %.2f, dark %.2f, light again %.2f" % (light, dark, back))
        ctx.close_apps()

        app = ctx.start([], "dark-override", env={"TRIBELENS_COLOR_SCHEME": "dark"})
        at.wait_for(app.accessible, "the empty window", name="Drop Photos Here")
        forced = wait_for_luminance(ctx, window_geometry("^TribeLens$"), lambda v: v < 0.3,
                                    "dark with TRIBELENS_COLOR_SCHEME=dark")
        ctx.note("with TRIBELENS_COLOR_SCHEME=dark: %.2f" % forced)
    finally:
        gsettings("default")
        probe = os.path.join(ctx.artifacts, "gui-style-probe.png")
        if os.path.exists(probe):
            os.remove(probe)


def test_follows_portal_without_gsettings_schema(ctx):
    """Without GNOME's schema (XDG_DATA_DIRS pointing at an empty folder), the style comes from
    the XDG desktop portal over D-Bus: dark from Read, light again after SettingChanged."""
    ready = os.path.join(ctx.scratch, "portal-ready")
    portal = ctx.spawn(["/usr/bin/python3", os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_portal.py"),
                        ready, "1"], "fake-portal")
    deadline = time.monotonic() + 10
    while not os.path.exists(ready):
        if time.monotonic() > deadline or portal.poll() is not None:
            raise AssertionError("the fake portal did not start (see artifacts/gui-fake-portal.log)")
        time.sleep(0.1)
    no_schemas = os.path.join(ctx.scratch, "no-schemas")
    os.makedirs(no_schemas)
    app = ctx.start([], "portal-style", env={"XDG_DATA_DIRS": no_schemas})
    at.wait_for(app.accessible, "the empty window", name="Drop Photos Here")
    box = window_geometry("^TribeLens$")
    dark = wait_for_luminance(ctx, box, lambda v: v < 0.3, "dark from the portal's color-scheme=1")
    portal.send_signal(signal.SIGUSR1)
    light = wait_for_luminance(ctx, box, lambda v: v > 0.7, "light after the portal's SettingChanged to 0")
    ctx.note("portal: dark %.2f, then light %.2f" % (dark, light))
    probe = os.path.join(ctx.artifacts, "gui-style-probe.png")
    if os.path.exists(probe):
        os.remove(probe)


def test_train_quit_and_window_size_kept(ctx):
    """Ctrl+T opens the training panel, Ctrl+Q quits cleanly (closing the idle panel), and the window
    size is saved in $XDG_CONFIG_HOME/io.github.tribelens.TribeLens/settings.ini and restored."""
    config = os.path.join(ctx.scratch, "config")
    env = {"XDG_CONFIG_HOME": config}
    app = ctx.start([], "quit-and-size", env=env)
    at.wait_for(app.accessible, "the empty window", name="Drop Photos Here")
    window = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", "^TribeLens$"],
                            capture_output=True, text=True, timeout=15, check=True).stdout.split()[0]
    xdotool("windowsize", window, 900, 640)
    deadline = time.monotonic() + 10
    while window_geometry("^TribeLens$")[2:] != (900, 640) and time.monotonic() < deadline:
        time.sleep(0.2)
    expect(window_geometry("^TribeLens$")[2:], (900, 640), "window size after resizing")
    focus_window("^TribeLens$")
    xdotool("key", "ctrl+t")
    at.wait_for(app.accessible, "the training panel", role="frame", name="Train a Model — TribeLens", timeout=10)
    xdotool("key", "ctrl+q")
    try:
        status = app.process.wait(10)
    except subprocess.TimeoutExpired:
        raise AssertionError("Ctrl+Q did not quit within 10 s")
    expect(status, 0, "exit status after Ctrl+Q")
    settings = os.path.join(config, "io.github.tribelens.TribeLens", "settings.ini")
    with open(settings, encoding="utf-8") as handle:
        text = handle.read()
    for line in ("width=900", "height=640", "maximized=false"):
        if line not in text.splitlines():
            raise AssertionError("settings.ini lacks %r:\n%s" % (line, text))

    ctx.close_apps()
    app = ctx.start([], "size-restored", env=env)
    at.wait_for(app.accessible, "the empty window", name="Drop Photos Here")
    expect(window_geometry("^TribeLens$")[2:], (900, 640), "window size after a restart")


GNOME_TESTS = [test_japanese_ui, test_main_menu_about_and_preferences, test_keyboard_shortcuts_window, test_follows_dark_style,
               test_follows_portal_without_gsettings_schema,
               test_train_quit_and_window_size_kept]
