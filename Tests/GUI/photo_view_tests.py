"""GUI tests of issue 15, items 6, 7 and 10: the photo view's zoom (buttons, keys, Ctrl+scroll,
panning) with the face targets following it; Home/End; removing photos (a failed one too) by
button and by the Delete key with the files untouched; the strip keeping its place after a
correction; "Someone Else…"'s type-to-find, "Not in the Roster" and Undo on the correction's
message; "Show in Folder" after an export (a fake file manager on the test's session bus);
choosing the VGG16 .h5 one has when the download fails (a loopback server that has nothing).

Registered in gui_tests.TESTS. Faces and crops are read through AT-SPI names; the only
coordinates read are the face targets' and tiles' extents, to check where they are."""
import hashlib
import http.server
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time

import gi

gi.require_version("Atspi", "2.0")
import atspi_helpers as at  # noqa: E402
import pyatspi  # noqa: E402
import recognition_tests as rt  # noqa: E402
import training_tests as tt  # noqa: E402
from gui_harness import expect, face_count, window_geometry, xdotool  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def own_folders(prefix):
    """XDG folders of the test's own (corrections and weights must not reach other tests)."""
    home = tempfile.mkdtemp(prefix=prefix)
    env = {"XDG_DATA_HOME": os.path.join(home, "data"), "XDG_CACHE_HOME": os.path.join(home, "cache"),
           "XDG_CONFIG_HOME": os.path.join(home, "config"), "TRIBELENS_NAMES": "romaji"}
    return home, env


def zoom_level(app):
    """The zoom pill's percentage button (its accessible name says the zoom; GTK makes its
    tooltip the description)."""
    return at.wait_for(app.accessible, "the zoom level", role="push button",
                       predicate=lambda n: re.match(r"^Zoom \d+%", at.safe(lambda: n.name)) is not None)


def wait_zoom(app, accept, what, timeout=10):
    deadline = time.monotonic() + timeout
    name = None
    while time.monotonic() < deadline:
        at.fresh(app.accessible)
        name = at.safe(lambda: zoom_level(app).name)
        if accept(name):
            return name
        time.sleep(0.1)
    raise AssertionError("zoom level: expected %s, last %r" % (what, name))


def percent_of(name):
    return int(name.split()[1].rstrip("%,;"))


def extents(node):
    box = node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    return box.x, box.y, box.width, box.height


def face_target(app, number):
    return at.wait_for(app.accessible, "face %d" % number, role="push button",
                       predicate=lambda n: n.name == "Face %d" % number or n.name.startswith("Face %d:" % number))


def keys_to(window_regex):
    """Real key presses go to the window under the pointer: put it over the header bar's title."""
    box = window_geometry(window_regex)
    xdotool("mousemove", box[0] + box[2] // 2, box[1] + 20)
    time.sleep(0.3)
    return box


def test_photo_zoom(ctx):
    """Fit by default; Ctrl+plus, the Zoom In button, Ctrl+1, Ctrl+0 and Ctrl+scroll change the
    zoom (real key presses and wheel clicks); the face targets grow with it and move with
    scrolling when zoomed; a new photo starts fitted."""
    photo = os.path.join(ctx.shared, "data/group-photos/test1.jpg")
    other = os.path.join(ctx.shared, "data/group-photos/test2.jpg")
    home, env = own_folders("tribelens-gui-zoom-")
    try:
        app = ctx.start([photo, other], "photo-zoom", env=env)
        expect(face_count(app), "2 faces", "face count")
        fit = wait_zoom(app, lambda n: n.startswith("Zoom ") and "fitted" in n, "fitted")
        # The fitted level follows the window's size, which may still settle just after the
        # first photo is shown (seen once: 149% before the window reached its size).
        for _ in range(20):
            time.sleep(0.3)
            again = wait_zoom(app, lambda n: n.startswith("Zoom ") and "fitted" in n, "fitted")
            if again == fit:
                break
            fit = again
        fit_percent = percent_of(fit)
        face = face_target(app, 1)
        before = extents(face)
        box = keys_to("TribeLens$")

        xdotool("key", "ctrl+plus")
        zoomed = wait_zoom(app, lambda n: "fitted" not in n, "zoomed in")
        ratio = percent_of(zoomed) / fit_percent
        if abs(ratio - 1.5) > 0.05:
            raise AssertionError("Ctrl+plus zoomed by %.2f, not 1.5 (%r -> %r)" % (ratio, fit, zoomed))
        after = extents(face_target(app, 1))
        grown = after[2] / before[2]
        if abs(grown - 1.5) > 0.1:
            raise AssertionError("face 1's target grew by %.2f with a zoom of 1.5 (%r -> %r)" % (grown, before, after))
        ctx.shot("photo-zoomed")

        at.click(at.wait_for(app.accessible, "Zoom In", role="push button", name="Zoom In"))
        wait_zoom(app, lambda n: abs(percent_of(n) / fit_percent - 2.25) < 0.08, "2.25x fit")

        # When zoomed, the wheel moves the photo and the targets go with it.
        target_before = extents(face_target(app, 1))
        canvas = at.wait_for(app.accessible, "the photo", role="image", predicate=lambda n: n.name.startswith("test1.jpg"))
        cx, cy, cw, ch = extents(canvas)
        xdotool("mousemove", cx + cw // 2, cy + ch // 2)
        time.sleep(0.2)
        for _ in range(2):
            xdotool("click", "5")  # wheel down: the photo moves up
        deadline = time.monotonic() + 5
        moved = target_before
        while time.monotonic() < deadline and moved[1] == target_before[1]:
            time.sleep(0.1)
            at.fresh(app.accessible)
            moved = extents(face_target(app, 1))
        if not moved[1] < target_before[1]:
            raise AssertionError("scrolling did not move the zoomed photo: %r -> %r" % (target_before, moved))

        xdotool("key", "ctrl+1")
        wait_zoom(app, lambda n: n.startswith("Zoom 100%") and "fitted" not in n, "100%")
        xdotool("key", "ctrl+0")
        wait_zoom(app, lambda n: "fitted" in n and percent_of(n) == fit_percent, "fitted again")
        expect(extents(face_target(app, 1)), before, "face 1's target back at fit")

        # Ctrl+wheel up over the photo zooms in about the pointer.
        xdotool("mousemove", cx + cw // 2, cy + ch // 2)
        time.sleep(0.2)
        xdotool("keydown", "ctrl")
        xdotool("click", "4")
        xdotool("keyup", "ctrl")
        wait_zoom(app, lambda n: "fitted" not in n and abs(percent_of(n) / fit_percent - 1.25) < 0.05, "1.25x fit (Ctrl+wheel)")

        # Another photo starts fitted.
        keys_to("TribeLens$")
        xdotool("key", "Right")
        at.wait_for_text(app.accessible, "Photo position", lambda t: t == "2 of 2", "2 of 2", 10)
        face_count(app)
        wait_zoom(app, lambda n: "fitted" in n, "the next photo fitted")

        # The shortcuts window lists the new keys.
        xdotool("key", "ctrl+question")
        at.wait_for(app.accessible, "the shortcuts window", role="label", name="Shortcuts", timeout=10)
        for title in ("First photo", "Last photo", "Remove the photo from the window", "Zoom in", "Zoom out",
                      "Fit to the window", "Actual size (100%)"):
            at.wait_for(app.accessible, "the shortcut " + title, role="label", name=title, timeout=5)
        ctx.shot("photo-view-shortcuts")
        if not app.alive():
            raise AssertionError("the app exited")
    finally:
        shutil.rmtree(home, True)


def real_click(node):
    """A real mouse click in the middle of an accessible found by name."""
    x, y, w, h = extents(node)
    xdotool("mousemove", x + w // 2, y + h // 2)
    time.sleep(0.3)
    xdotool("click", "1")
    time.sleep(0.3)


def tiles(app):
    at.fresh(app.accessible)
    strip = at.find(app.accessible, role="scroll pane", name="Photos")
    if strip is None:
        return None, []
    return strip, [n for n in at.walk(strip) if at.safe(n.getRoleName) == "push button"]


def position(app, wanted, timeout=10):
    return at.wait_for_text(app.accessible, "Photo position", lambda t: t == wanted, wanted, timeout)


def test_photo_strip_home_end_remove(ctx):
    """14 photos and a bad file: End and Home (real keys) go to the last and first photo; the
    failed file is removed with the Remove from Window button, a photo with the Delete key; the
    strip loses their tiles and the folder is byte-identical. At the end of the strip, "Not a
    Face" on a face keeps the strip where it was (it jumped back to the start before)."""
    home, env = own_folders("tribelens-gui-strip-")
    try:
        folder = os.path.join(home, "photos")
        os.makedirs(folder)
        for i in range(14):
            source = "test1.jpg" if i % 2 == 0 else "test2.jpg"
            shutil.copy(os.path.join(ctx.shared, "data/group-photos", source), os.path.join(folder, "p%02d.jpg" % i))
        with open(os.path.join(folder, "zz-not-a-photo.jpg"), "w") as handle:
            handle.write("just text\n")
        before = rt.snapshot(folder)
        app = ctx.start([folder], "photo-strip", env=env)
        position(app, "1 of 15", 30)
        keys_to("TribeLens$")

        xdotool("key", "End")
        position(app, "15 of 15")
        at.wait_for(app.accessible, "the error page", description="Error message")
        ctx.shot("photo-strip-failed")
        at.click(at.wait_for(app.accessible, "Remove from Window", role="push button", name="Remove from Window"))
        position(app, "14 of 14")
        _, shown = tiles(app)
        expect(len(shown), 14, "tiles after removing the failed file")
        if any(n.name.startswith("zz-not-a-photo.jpg") for n in shown):
            raise AssertionError("the failed file's tile is still in the strip")

        xdotool("key", "Home")
        position(app, "1 of 14")
        at.wait_for(app.accessible, "p00.jpg", description="Photo file name", name="p00.jpg")
        xdotool("key", "Delete")
        position(app, "1 of 13")
        at.wait_for(app.accessible, "p01.jpg shown after p00.jpg went", description="Photo file name", name="p01.jpg")
        _, shown = tiles(app)
        expect([n.name.split(",")[0] for n in shown], ["p%02d.jpg" % i for i in range(1, 14)], "the strip's tiles")

        # The strip at its end; a correction there leaves it there.
        xdotool("key", "End")
        position(app, "13 of 13")
        strip, shown = tiles(app)
        last = next(n for n in shown if n.name.startswith("p13.jpg"))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            sx, sy, sw, sh = extents(strip)
            lx, ly, lw, lh = extents(last)
            if lx >= sx and lx + lw <= sx + sw:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("the last tile is not in view after End: strip %r, tile %r" % (extents(strip), extents(last)))
        face_count(app)
        # A real click on the face (found by name, clicked at its extents), as a user does it:
        # the focus moves with it. (The popover's own extents are not in screen coordinates
        # under GTK 4.8, so its button is clicked through its accessible action.)
        real_click(face_target(app, 1))
        at.click(at.wait_for(app.accessible, "Not a Face", role="push button", name="Not a Face"))
        at.wait_for(app.accessible, "the rejected face", role="push button", name="Face 1: not a face, your label")
        time.sleep(1.0)  # the jump came after the popover closed
        # The focus is back on the face: had it fallen to the next widget that takes it (the
        # strip's first tile, before the zoom pill existed), the strip would scroll to its start.
        at.fresh(app.accessible)
        focused = [at.safe(lambda: n.name) for n in at.walk(app.accessible) if n.getState().contains(pyatspi.STATE_FOCUSED)]
        expect(focused, ["Face 1: not a face, your label"], "the focus after the correction")
        strip, shown = tiles(app)
        last = next(n for n in shown if n.name.startswith("p13.jpg"))
        sx, sy, sw, sh = extents(strip)
        lx, ly, lw, lh = extents(last)
        if not (lx >= sx and lx + lw <= sx + sw):
            raise AssertionError("the strip moved after the correction: strip %r, last tile %r" % ((sx, sy, sw, sh), (lx, ly, lw, lh)))
        position(app, "13 of 13")
        ctx.shot("photo-strip-after-correction")
        expect(rt.snapshot(folder), before, "photo folder (names, sizes, SHA-256) after removing photos")
    finally:
        shutil.rmtree(home, True)


def open_someone_else(app, number=1):
    at.click(face_target(app, number))
    at.click(at.wait_for(app.accessible, "Someone Else", role="push button", name="Someone Else…"))
    return at.wait_for(app.accessible, "the member search", role="entry", name="Find a member")


def visible_members(app):
    at.fresh(app.accessible)
    return sorted(n.name[len("This is "):] for n in at.walk(app.accessible)
                  if at.safe(n.getRoleName) == "push button" and at.safe(lambda: n.name).startswith("This is ")
                  and n.getState().contains(pyatspi.STATE_VISIBLE))


def wait_curation(m_env, key, wanted, kind=None, timeout=10):
    """Waits for curation.json's decision for `key` (and the kind beside it) to be `wanted`."""
    path = os.path.join(m_env["XDG_DATA_HOME"], "tribelens/curation.json")
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path) as handle:
                stored = json.load(handle)
            value = (stored["decisions"].get(key), (stored.get("kinds") or {}).get(key))
            if value == (wanted, kind):
                return
        time.sleep(0.1)
    raise AssertionError("curation.json %s: expected %r, got %r" % (key, (wanted, kind), value))


def test_correction_find_stranger_undo(ctx):
    """Someone Else…: typed letters (real key presses) filter the members, Return picks the
    match; Undo on the message restores the model's name and takes the entry out of
    curation.json; "Not in the Roster" is stored as a stranger, apart from "Not a Face"."""
    m = rt.models(ctx)
    home, env = own_folders("tribelens-gui-find-")
    try:
        # The trained models, with corrections of this test's own.
        env = dict(m.env, XDG_DATA_HOME=os.path.join(home, "data"), TRIBELENS_NAMES="romaji")
        shutil.copytree(m.env["XDG_DATA_HOME"], env["XDG_DATA_HOME"])
        curation = os.path.join(env["XDG_DATA_HOME"], "tribelens/curation.json")
        if os.path.exists(curation):
            os.remove(curation)
        photo = os.path.join(m.photos, "Amelie_Mauresmo", sorted(os.listdir(os.path.join(m.photos, "Amelie_Mauresmo")))[0])
        faces = m.predict(photo)
        expect(len(faces), 1, "faces in %s (predict)" % os.path.basename(photo))
        model_name = rt.expected_name(0, faces[0])
        app = ctx.start([photo], "correction-find", env=env)
        expect(rt.face_buttons(app, 1), [model_name], "face 1 named by the model")
        with open(photo, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
        b = faces[0]["box"]
        key = "%s:%d,%d,%dx%d" % (digest, b["x"], b["y"], b["w"], b["h"])

        entry = open_someone_else(app)
        others = {c["member"] for c in faces[0]["top"]}
        target = next(mid for mid in sorted(rt.MEMBERS) if mid not in others)
        target_name = rt.MEMBERS[target]["romaji"]
        everyone = visible_members(app)
        expect(target_name in everyone, True, "%s in the whole list %r" % (target_name, everyone))
        time.sleep(0.8)  # the list slides open; the entry has the focus
        if not entry.getState().contains(pyatspi.STATE_FOCUSED):
            raise AssertionError("the member search does not have the keyboard focus")
        box = window_geometry("TribeLens$")
        xdotool("mousemove", box[0] + box[2] // 2, box[1] + 20)
        xdotool("type", "--delay", "60", target_name.split()[-1][:4].lower())
        deadline = time.monotonic() + 5
        shown = everyone
        while time.monotonic() < deadline and shown != [target_name]:
            time.sleep(0.2)
            shown = visible_members(app)
        expect(shown, [target_name], "members left after typing %r" % target_name.split()[-1][:4].lower())
        ctx.shot("correction-find")
        xdotool("key", "Return")
        at.wait_for(app.accessible, "the corrected face", role="push button", timeout=10,
                    name="Face 1: %s, your label" % target_name)
        wait_curation(env, key, {"action": "relabel", "member": target})

        undo = at.wait_for(app.accessible, "Undo on the message", role="push button", name="Undo")
        ctx.shot("correction-undo")
        at.click(undo)
        at.wait_for(app.accessible, "the model's name again", role="push button", timeout=10, name=model_name)
        wait_curation(env, key, None)
        at.wait_for_text(app.accessible, "Notification", lambda t: t == "Face 1: your correction was undone", "undo message")

        # Not in the roster: a stranger, kept apart from "not a face".
        at.click(face_target(app, 1))
        at.click(at.wait_for(app.accessible, "Not in the Roster", role="push button", name="Not in the Roster"))
        at.wait_for(app.accessible, "the stranger", role="push button", timeout=10, name="Face 1: not in the roster, your label")
        wait_curation(env, key, {"action": "reject"}, "stranger")
        at.click(face_target(app, 1))
        at.click(at.wait_for(app.accessible, "Not a Face", role="push button", name="Not a Face"))
        at.wait_for(app.accessible, "not a face", role="push button", timeout=10, name="Face 1: not a face, your label")
        wait_curation(env, key, {"action": "reject"}, "not-a-face")
        # Undo with the keyboard: a real Ctrl+Z (the focus is back on the face) brings the
        # stranger back; a second one changes nothing (one undo per correction).
        at.wait_for(app.accessible, "Undo on the message", role="push button", name="Undo")
        keys_to("TribeLens$")
        xdotool("key", "ctrl+z")
        at.wait_for(app.accessible, "the stranger again", role="push button", timeout=10, name="Face 1: not in the roster, your label")
        wait_curation(env, key, {"action": "reject"}, "stranger")
        xdotool("key", "ctrl+z")
        time.sleep(1.0)
        wait_curation(env, key, {"action": "reject"}, "stranger")
        at.wait_for(app.accessible, "still the stranger", role="push button", timeout=5, name="Face 1: not in the roster, your label")
        if not app.alive():
            raise AssertionError("the app exited")
    finally:
        shutil.rmtree(home, True)


def test_export_show_in_folder(ctx):
    """After an export the message offers Show in Folder, which asks the file manager
    (org.freedesktop.FileManager1.ShowItems, a fake on the test's session bus) to show the PNG."""
    ready = os.path.join(ctx.scratch, "file-manager-ready")
    calls = os.path.join(ctx.scratch, "file-manager-calls")
    manager = ctx.spawn(["/usr/bin/python3", os.path.join(HERE, "fake_file_manager.py"), ready, calls], "fake-file-manager")
    deadline = time.monotonic() + 10
    while not os.path.exists(ready):
        if time.monotonic() > deadline or manager.poll() is not None:
            raise AssertionError("the fake file manager did not start (see artifacts/gui-fake-file-manager.log)")
        time.sleep(0.1)
    home, env = own_folders("tribelens-gui-show-")
    try:
        photo = os.path.join(ctx.shared, "data/group-photos/test1.jpg")
        app = ctx.start([photo], "export-show-in-folder", env=env)
        expect(face_count(app), "2 faces", "face count")
        target = os.path.join(home, "exported", "test1-names.png")
        rt.export_to(app, target)
        show = at.wait_for(app.accessible, "Show in Folder", role="push button", name="Show in Folder", timeout=30)
        if not os.path.exists(target):
            raise AssertionError("no PNG at %s" % target)
        ctx.shot("export-show-in-folder")
        expect(os.path.exists(calls), False, "a call before the button was pressed")
        at.click(show)
        deadline = time.monotonic() + 10
        while not os.path.exists(calls) and time.monotonic() < deadline:
            time.sleep(0.1)
        with open(calls) as handle:
            made = [json.loads(line) for line in handle]
        expect([(c["method"], c["uris"]) for c in made], [("ShowItems", ["file://" + target])], "calls to the file manager")
    finally:
        shutil.rmtree(home, True)


class _Nothing(http.server.BaseHTTPRequestHandler):
    """A mirror that has no file: every request gets 404."""

    def do_GET(self):
        self.send_error(404)

    def log_message(self, *args):
        pass


def test_training_vgg16_choose_weights_file(ctx):
    """VGG16 transfer with no weights: Get Weights fails (a loopback mirror answering 404: the
    tests have no network), the row then offers Choose File…, and choosing a Keras .h5 fixture
    (converted in a child process by tribelens-convert) makes the row say the weights are ready."""
    server = http.server.HTTPServer(("127.0.0.1", 0), _Nothing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    home, env = own_folders("tribelens-gui-vgg16-")
    try:
        env = dict(env, HOME=home, TRIBELENS_WEIGHTS_MIRROR="http://127.0.0.1:%d/weights/" % server.server_port)
        app = tt.open_panel(ctx, None, "training-vgg16-weights", env=env)
        tt.page(app, "Train")
        at.click(at.wait_for(app.accessible, "the VGG16 backend", role="push button",
                             predicate=lambda n: n.name.endswith("(vgg16-transfer)")))
        at.wait_for_text(app.accessible, "Weights state", lambda t: "not installed" in (t or ""), "the weights' state", 30)
        chooser = at.find(app.accessible, role="push button", name="Choose File…",
                          predicate=lambda n: n.getState().contains(pyatspi.STATE_VISIBLE))
        expect(chooser, None, "a visible Choose File… before the download failed")
        at.click(at.wait_for(app.accessible, "Get Weights", role="push button", name="Get Weights"))
        state = at.wait_for_text(app.accessible, "Weights state", lambda t: (t or "").startswith("The download failed"),
                                 "the failed download", 60)
        if "404" not in state:
            raise AssertionError("the state does not say why the download failed: %r" % state)
        chooser = at.wait_for(app.accessible, "Choose File…", role="push button", name="Choose File…",
                              predicate=lambda n: n.getState().contains(pyatspi.STATE_VISIBLE))
        ctx.shot("training-vgg16-download-failed")
        at.click(chooser)
        fixture = os.path.join(HERE, "../KerasWeightsTests/Fixtures/keras_legacy_small.h5")
        tt.choose_file(app, os.path.abspath(fixture), "Choose the VGG16 Weights File")
        ready = at.wait_for_text(app.accessible, "Weights state", lambda t: (t or "").startswith("ImageNet weights ready"),
                                 "the weights ready", 60)
        if "keras_legacy_small.h5" not in ready:
            raise AssertionError("the row does not name the chosen file: %r" % ready)
        converted = os.path.join(env["XDG_DATA_HOME"], "tribelens/weights/converted")
        files = [n for n in os.listdir(converted) if n.endswith(".safetensors")]
        expect(len(files), 1, "converted copies in %s" % converted)
        with open(os.path.join(env["XDG_DATA_HOME"], "tribelens/weights/chosen-vgg16.json")) as handle:
            expect(json.load(handle)["file"], files[0], "the recorded choice")
        ctx.shot("training-vgg16-weights-ready")
    finally:
        server.shutdown()
        shutil.rmtree(home, True)



def write_solid_png(path, width, height, rgb=(128, 128, 128)):
    """A plain 8-bit RGB PNG of any size, written a row at a time (no imaging library here)."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width
    pack = zlib.compressobj(9)
    body = b"".join(pack.compress(row) for _ in range(height)) + pack.flush()
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                  + chunk(b"IDAT", body) + chunk(b"IEND", b""))


def test_photo_200_megapixels(ctx):
    """A 200 MP photo (16000 x 12500, as a phone's largest mode gives) opens: it is searched at a
    reduced size instead of being refused over the 100 MP limit (a face count, not the error
    page), shown fitted at its full size, and the app's peak memory stays far below what the
    full image would need (600 MB for its RGB pixels alone)."""
    import streaming_tests
    home, env = own_folders("tribelens-gui-200mp-")
    try:
        photo = os.path.join(home, "phone-200mp.png")
        write_solid_png(photo, 16000, 12500)
        app = ctx.start([photo], "photo-200-megapixels", env=env)
        expect(face_count(app, timeout=60), "No faces", "the 200 MP photo's face count (no error page)")
        # Fitted at the photo's own size: 16000 px wide in a window of about 1000 gives 5-6%.
        fit = wait_zoom(app, lambda n: n.startswith("Zoom ") and "fitted" in n, "fitted")
        if not percent_of(fit) <= 10:
            raise AssertionError("a 16000 px photo fitted at %r: the view does not know its full size" % fit)
        ctx.shot("photo-200-megapixels")
        peak = streaming_tests.peak_rss_mib(app.process.pid)
        ctx.note("200 MP photo: %s, app peak RSS %.0f MiB" % (fit, peak))
        if not peak < 600:
            raise AssertionError("the app peaked at %.0f MiB on a 200 MP photo (limit 600)" % peak)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def shown_pixels(canvas):
    """The size of the image the canvas draws from, read from its accessible description
    ("Shown from an image of 4000×3000 pixels"); None before it has one."""
    match = re.search(r"(\d+)\D+?(\d+)", at.safe(lambda: canvas.description) or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def pixel_detail(ctx, canvas, name):
    """How much neighbouring screen pixels differ in the middle of the canvas (0-1: the mean
    grey difference between each pixel and the one right of it), from a screenshot."""
    path = os.path.join(ctx.artifacts, "gui-%s.png" % name)
    subprocess.run(["import", "-window", "root", path], check=True, timeout=20,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    x, y, w, h = extents(canvas)
    crop = "300x200+%d+%d" % (x + w // 2 - 150, y + h // 2 - 150)
    out = subprocess.run(["convert", path, "-crop", crop, "+repage", "-colorspace", "gray",
                          "(", "+clone", "-roll", "+1+0", ")", "-compose", "difference", "-composite",
                          "-crop", "298x200+1+0", "-format", "%[fx:mean]", "info:"],
                         capture_output=True, text=True, check=True, timeout=30).stdout
    return float(out)


def test_photo_zoom_refines(ctx):
    """Issue 17 item 1: a 4000x3000 JPEG with one-pixel detail is shown from a screen-sized
    preview (2000x1500); at 100 % (a real Ctrl+1) the canvas swaps in the full-size decode
    (4000x3000) without moving the view (the zoom level and face 1's target stay), and the
    one-pixel checkerboard is on the screen (neighbouring screen pixels differ several times
    more than at fit). While it decodes the window answers every read within 0.5 s. Zoomed
    further it keeps the refined image; back at fit (Ctrl+0) it draws the preview; Ctrl+1 and
    at once Ctrl+0 leave the preview (the late decode is dropped)."""
    import streaming_tests
    home, env = own_folders("tribelens-gui-refine-")
    try:
        photo = os.path.join(home, "detail-12mp.jpg")
        # test1.jpg enlarged (its two faces stay findable) with a one-pixel checkerboard laid
        # over it: detail a 2000 px preview averages away.
        subprocess.run(["convert", os.path.join(ctx.shared, "data/group-photos/test1.jpg"), "-resize", "4000x3000!",
                        "(", "-size", "4000x3000", "pattern:gray50", ")", "-compose", "blend",
                        "-define", "compose:args=25", "-composite", "-quality", "92", photo], check=True, timeout=120)
        app = ctx.start([photo], "photo-zoom-refines", env=env)
        faces = face_count(app, timeout=60)
        fit = wait_zoom(app, lambda n: n.startswith("Zoom ") and "fitted" in n, "fitted")
        for _ in range(20):
            time.sleep(0.3)
            again = wait_zoom(app, lambda n: n.startswith("Zoom ") and "fitted" in n, "fitted")
            if again == fit:
                break
            fit = again
        canvas = at.wait_for(app.accessible, "the photo", role="image",
                             predicate=lambda n: n.name.startswith("detail-12mp.jpg"))
        deadline = time.monotonic() + 20
        while shown_pixels(canvas) is None and time.monotonic() < deadline:
            time.sleep(0.1)
            at.fresh(app.accessible)
        expect(shown_pixels(canvas), (2000, 1500), "the image drawn at fit (the preview)")
        keys_to("TribeLens$")
        detail_fit = pixel_detail(ctx, canvas, "photo-zoom-refines-fit")
        peak_fit = streaming_tests.peak_rss_mib(app.process.pid)

        # Ctrl+1, then the canvas' description read as fast as it answers (one D-Bus call a
        # read, served by the GTK thread) until the full-size image is drawn.
        pressed = time.monotonic()
        xdotool("key", "ctrl+1")
        reads, refined_after, first = [], None, None
        while time.monotonic() - pressed < 30:
            started = time.monotonic()
            at.fresh(app.accessible)
            size = shown_pixels(canvas)
            reads.append(time.monotonic() - started)
            if size == (4000, 3000):
                refined_after = time.monotonic() - pressed
                break
            if first is None and len(reads) >= 3:
                # Where the view is before the refined image comes (it may come first).
                first = (zoom_level(app).name, extents(face_target(app, 1)) if faces != "No faces" else None, size)
        if refined_after is None:
            raise AssertionError("at 100%% the canvas still draws from %r" % (shown_pixels(canvas),))
        # And for a second after it came: the canvas copies it into a cairo surface and draws it.
        after = time.monotonic()
        while time.monotonic() - after < 1.0:
            started = time.monotonic()
            at.fresh(app.accessible)
            shown_pixels(canvas)
            reads.append(time.monotonic() - started)
            time.sleep(0.01)
        level = wait_zoom(app, lambda n: n.startswith("Zoom 100%"), "100%")
        compared = first is not None and first[2] != (4000, 3000)
        if compared:
            expect(level, first[0], "the zoom level after the refined image came")
            if first[1] is not None:
                expect(extents(face_target(app, 1)), first[1], "face 1's target after the refined image came")
        ctx.note("zoom level and face target read before the refined image came: %s" % ("yes" if compared else "no (it came first)"))
        detail_full = pixel_detail(ctx, canvas, "photo-zoom-refined")
        ctx.note("refined to 4000x3000 %.2f s after Ctrl+1; %d reads then and in the second after, median %.3f s, max %.3f s; "
                 "neighbouring-pixel difference %.3f at fit, %.3f at 100%%"
                 % (refined_after, len(reads), sorted(reads)[len(reads) // 2], max(reads), detail_fit, detail_full))
        if max(reads) > 0.5:
            raise AssertionError("the window froze while refining: a read took %.2f s" % max(reads))
        if not detail_full > 4 * detail_fit:
            raise AssertionError("the one-pixel detail is not on the screen at 100%%: %.3f against %.3f at fit"
                                 % (detail_full, detail_fit))

        # Zoomed in further, the refined image stays (it already has every pixel).
        xdotool("key", "ctrl+plus")
        wait_zoom(app, lambda n: n.startswith("Zoom 150%"), "150%")
        at.fresh(app.accessible)
        expect(shown_pixels(canvas), (4000, 3000), "the image drawn at 150%")

        # Back at fit: the preview again.
        xdotool("key", "ctrl+0")
        wait_zoom(app, lambda n: "fitted" in n, "fitted again")
        at.fresh(app.accessible)
        expect(shown_pixels(canvas), (2000, 1500), "the image drawn at fit again")

        # 100 % and straight back to fit: the decode asked for is dropped when it comes.
        xdotool("key", "ctrl+1", "ctrl+0")
        wait_zoom(app, lambda n: "fitted" in n, "fitted after Ctrl+1, Ctrl+0")
        time.sleep(max(2.0, 3 * refined_after))
        at.fresh(app.accessible)
        expect(shown_pixels(canvas), (2000, 1500), "the image drawn at fit after a dropped refine")
        peak = streaming_tests.peak_rss_mib(app.process.pid)
        ctx.note("12 MP photo: app peak RSS %.0f MiB before Ctrl+1, %.0f MiB after refining" % (peak_fit, peak))
        if not app.alive():
            raise AssertionError("the app exited")
    finally:
        shutil.rmtree(home, ignore_errors=True)

TESTS = [test_photo_zoom, test_photo_zoom_refines, test_photo_200_megapixels, test_photo_strip_home_end_remove, test_correction_find_stranger_undo, test_export_show_in_folder,
         test_training_vgg16_choose_weights_file]
