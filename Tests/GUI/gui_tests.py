#!/usr/bin/python3
"""TribeLens end-to-end GUI tests. Run by run-gui-tests.sh inside Xvfb and a private D-Bus
session; do not run directly unless DISPLAY and DBUS_SESSION_BUS_ADDRESS point at throwaway ones.

Usage: gui_tests.py APP_BINARY SHARED_DIR ARTIFACTS_DIR [TEST_NAME...]

Each test starts the real app, drives it the way a user does (command line, a real XDND drag
from another X client, buttons pressed through their accessible actions), reads the face count
and other texts back through AT-SPI, and saves a screenshot. Prints one line per test and
finally `GUI: N passed, M failed`.
"""
import os
import shutil
import subprocess
import sys
import time
import traceback

import gi

gi.require_version("Atspi", "2.0")
import atspi_helpers as at  # noqa: E402
import finish_tests  # noqa: E402
import photo_view_tests  # noqa: E402
import recognition_tests  # noqa: E402
import streaming_tests  # noqa: E402
import training_fan_tests  # noqa: E402
import training_tests  # noqa: E402
from gui_harness import (FACE_COUNT, Context, drag, drop, expect, face_count,  # noqa: E402
                         window_geometry, xdotool)
from gnome_tests import GNOME_TESTS  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

# Each test gets a Context (gui_harness.py) with the binary, shared data, artifacts and a
# scratch folder; whatever it starts is stopped afterwards.


def test_command_line(ctx):
    """`tribelens test1.jpg` shows the photo and says "2 faces"."""
    photo = os.path.join(ctx.shared, "data/group-photos/test1.jpg")
    app = ctx.start([photo], "command-line")
    expect(face_count(app), "2 faces", "face count of test1.jpg")
    name = at.wait_for(app.accessible, "the file name in the header", description="Photo file name").name
    expect(name, "test1.jpg", "header subtitle")
    at.wait_for(app.accessible, "the photo described with its faces", name="test1.jpg, 2 faces")
    ctx.shot("command-line")


def test_yunet_detector(ctx):
    """TRIBELENS_YUNET_MODEL switches the window to the YuNet detector (same count on test1.jpg)."""
    model = os.path.join(ctx.shared, "models/face_detection_yunet_2022mar.onnx")
    photo = os.path.join(ctx.shared, "data/group-photos/test1.jpg")
    app = ctx.start([photo], "yunet", env={"TRIBELENS_YUNET_MODEL": model})
    expect(face_count(app), "2 faces", "face count of test1.jpg with YuNet")
    with open(app.log_path) as log:
        if "yunet" not in log.read().lower():
            raise AssertionError("the app's log does not name the YuNet detector")


def test_drag_and_drop(ctx):
    """A real XDND drag of a photo with a Japanese file name and a folder, together, onto an
    empty window."""
    photo = os.path.join(ctx.scratch, "集合写真 テスト.jpg")
    shutil.copy(os.path.join(ctx.shared, "data/group-photos/test2.jpg"), photo)
    folder = os.path.join(ctx.scratch, "フォルダ")
    os.makedirs(os.path.join(folder, "inner"))
    shutil.copy(os.path.join(ctx.shared, "data/group-photos/test1.jpg"), os.path.join(folder, "inner", "二人.jpg"))
    app = ctx.start([], "drag-and-drop")
    at.wait_for(app.accessible, "the empty window", name="Drop Photos Here")
    _, end = drag(ctx, [photo, folder], "^TribeLens$")
    # While hovering, the window highlights itself and says what a drop will do.
    at.wait_for(app.accessible, "the drop highlight", timeout=10, name="Drop to find faces")
    ctx.shot("drag-hover")
    drop(end)

    # test2.jpg shows one man (the folder's name notwithstanding; FaceKit's tests agree).
    expect(face_count(app), "1 face", "face count of the dropped photo")
    name = at.wait_for(app.accessible, "the file name in the header", description="Photo file name").name
    expect(name, "集合写真 テスト.jpg", "header subtitle (Japanese file name)")
    expect(at.wait_for(app.accessible, "the position", description="Photo position").name, "1 of 2",
           "position (the folder's photo is second)")
    if at.find(app.accessible, name="Drop to find faces") is not None:
        raise AssertionError("the drop highlight is still shown after the drop")
    ctx.shot("drag-and-drop")
    at.click(at.wait_for(app.accessible, "the Next photo button", role="push button", name="Next photo"))
    at.wait_for(app.accessible, "the photo from the dropped folder", description="Photo file name",
                name="二人.jpg")
    expect(face_count(app), "2 faces", "face count of the photo from the dropped folder")


def test_open_dialog(ctx):
    """The Open button shows a file chooser; a path typed into it opens that photo."""
    photo = os.path.realpath(os.path.join(ctx.shared, "data/group-photos/test1.jpg"))
    app = ctx.start([], "open-dialog")
    at.click(at.wait_for(app.accessible, "the Open button", role="push button", name="Open"))
    at.wait_for(app.accessible, "the file chooser", role="push button",
                predicate=lambda node: node.name.endswith("Cancel"))
    # Typing "/" in GTK's file chooser opens its location entry; keys go to the window under
    # the pointer (no window manager under Xvfb).
    box = window_geometry("^Open Photos$")
    xdotool("mousemove", box[0] + box[2] // 2, box[1] + box[3] // 2)
    time.sleep(0.3)
    xdotool("type", "--delay", "20", photo)
    ctx.shot("open-dialog")
    xdotool("key", "Return")
    expect(face_count(app), "2 faces", "face count of the chosen photo")
    at.wait_for(app.accessible, "the chosen photo", description="Photo file name", name="test1.jpg")


def test_several_photos_and_a_bad_file(ctx):
    """A folder of two photos plus a broken file: a clear message, the app keeps going, and
    previous/next move between the photos."""
    folder = os.path.join(ctx.scratch, "photos")
    os.makedirs(folder)
    for name in ("test1.jpg", "test2.jpg"):
        shutil.copy(os.path.join(ctx.shared, "data/group-photos", name), os.path.join(folder, "a-" + name))
    bad = os.path.join(ctx.scratch, "not-a-photo.jpg")
    with open(bad, "w") as handle:
        handle.write("this is text, not a JPEG\n")

    app = ctx.start([folder, bad], "several-photos")
    expect(face_count(app), "2 faces", "face count of the first photo")
    expect(at.wait_for(app.accessible, "the position", description="Photo position").name, "1 of 3",
           "position")
    note = at.wait_for_text(app.accessible, "Notification", lambda t: "not-a-photo.jpg" in t,
                            "a message naming the bad file")
    ctx.note("message: %r" % note)
    ctx.shot("several-photos")

    next_button = at.wait_for(app.accessible, "the Next photo button", role="push button", name="Next photo")
    at.click(next_button)
    at.wait_for_text(app.accessible, "Photo position", lambda t: t == "2 of 3", "position 2 of 3")
    expect(face_count(app), "1 face", "face count of the second photo")
    at.wait_for(app.accessible, "the second photo", description="Photo file name", name="a-test2.jpg")

    at.click(next_button)
    at.wait_for_text(app.accessible, "Photo position", lambda t: t == "3 of 3", "position 3 of 3")
    expect(face_count(app), "Could not open this photo", "face count of the bad file")
    at.wait_for(app.accessible, "the error page", name="Could Not Open Photo")
    if not app.alive():
        raise AssertionError("the app exited after a bad file")
    ctx.shot("bad-file")

    # The keyboard works too: Left goes back (a real key press through the X server).
    box = window_geometry("TribeLens$")
    xdotool("mousemove", box[0] + box[2] // 2, box[1] + box[3] // 2)
    xdotool("key", "--delay", "100", "Left")
    at.wait_for_text(app.accessible, "Photo position", lambda t: t == "2 of 3", "position 2 of 3 after Left",
                     timeout=10)

    # The thumbnail strip: each tile is named after its photo and face count; a click shows it.
    tile = at.wait_for(app.accessible, "the first photo's thumbnail", role="push button",
                       name="a-test1.jpg, 2 faces")
    at.wait_for(app.accessible, "the bad file's thumbnail", role="push button",
                name="not-a-photo.jpg, Could not open this photo")
    at.click(tile)
    at.wait_for_text(app.accessible, "Photo position", lambda t: t == "1 of 3", "position 1 of 3 after the tile",
                     timeout=10)


def test_second_launch_hands_over(ctx):
    """Opening a photo while the app runs (a file manager, or `tribelens photo` again) adds it
    to the running window: GApplication forwards it over D-Bus and the second process exits."""
    photos = os.path.join(ctx.shared, "data/group-photos")
    app = ctx.start([os.path.join(photos, "test1.jpg")], "first-launch")
    expect(face_count(app), "2 faces", "face count of test1.jpg")
    with open(os.path.join(ctx.artifacts, "gui-second-launch.log"), "w") as log:
        second = subprocess.run([ctx.binary, os.path.join(photos, "test2.jpg")], stdout=log,
                                stderr=subprocess.STDOUT, timeout=20)
    expect(second.returncode, 0, "exit status of the second launch")
    at.wait_for_text(app.accessible, "Photo position", lambda t: t == "2 of 2", "position 2 of 2")
    at.wait_for(app.accessible, "the handed-over photo", description="Photo file name", name="test2.jpg")
    expect(face_count(app), "1 face", "face count of test2.jpg")


def test_stays_responsive_while_detecting(ctx):
    """Detection runs off the GTK thread: while thirty 24 MP photos are being analysed, the window
    answers AT-SPI reads (each a D-Bus call served by the GTK thread) at once, and pressing Next
    (a synchronous accessible action) is handled at once. A detector on the GTK thread would
    stall reads for the length of a detection. Thirty, because a photo now takes about a tenth of
    a second: six were done before enough could be measured."""
    folder = os.path.join(ctx.scratch, "big")
    os.makedirs(folder)
    first = os.path.join(folder, "big-1.jpg")
    subprocess.run(["convert", os.path.join(ctx.shared, "data/group-photos/test1.jpg"),
                    "-resize", "6000x4000!", "-quality", "90", first], check=True, timeout=60)
    count = 30
    for index in range(2, count + 1):
        shutil.copy(first, os.path.join(folder, "big-%d.jpg" % index))

    app = ctx.start([folder], "responsive")
    # The last photo is analysed last (the shown one goes first, then those after it): while
    # its tile says "Finding faces…", the analyzer is busy.
    last_tile = at.wait_for(app.accessible, "the last photo's tile, still waiting", role="push button",
                            name="big-%d.jpg, Finding faces…" % count, timeout=20)
    next_button = at.wait_for(app.accessible, "the Next photo button", role="push button", name="Next photo")
    position_label = at.wait_for(app.accessible, "the position", description="Photo position")

    reads, clicks, shown = [], [], 1
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        started = time.monotonic()
        at.fresh(app.accessible)
        busy = last_tile.name.endswith("Finding faces…")
        latency = time.monotonic() - started
        if not busy:
            break
        reads.append(latency)
        if len(reads) % 10 == 0 and shown < 4:  # not up to the last photo: it would go first
            started = time.monotonic()
            at.click(next_button)
            # A button's accessible click lands after GTK's 250 ms pressed-look delay.
            wanted = "%d of %d" % (shown + 1, count)
            while time.monotonic() - started < 10:
                at.fresh(app.accessible)
                if position_label.name == wanted:
                    break
                time.sleep(0.02)
            expect(position_label.name, wanted, "position after Next")
            clicks.append(time.monotonic() - started)
            shown += 1
        time.sleep(0.05)
    if len(reads) < 10 or not clicks:
        raise AssertionError("only %d reads and %d clicks while detecting; too little was measured"
                             % (len(reads), len(clicks)))
    ctx.note("%d reads while detecting: median %.3f s, max %.3f s; Next shown after max %.3f s"
             % (len(reads), sorted(reads)[len(reads) // 2], max(reads), max(clicks)))
    if max(reads) > 0.5 or max(clicks) > 1.0:
        raise AssertionError("the window froze while detecting: a read took %.2f s, Next %.2f s"
                             % (max(reads), max(clicks)))
    at.wait_for(app.accessible, "the last photo analysed", timeout=120, role="push button",
                name="big-%d.jpg, 2 faces" % count)

    # Forward to the sixth photo, then back to the first: its preview was dropped from the cache
    # (4 kept) and is decoded again; the face count comes from the first analysis.
    for index in range(shown + 1, 7):
        at.click(next_button)
        at.wait_for_text(app.accessible, "Photo position", lambda t, i=index: t == "%d of %d" % (i, count),
                         "position %d of %d" % (index, count), timeout=10)
    previous = at.wait_for(app.accessible, "the Previous photo button", role="push button",
                           name="Previous photo")
    for index in range(5, 0, -1):
        at.click(previous)
        at.wait_for_text(app.accessible, "Photo position", lambda t, i=index: t == "%d of %d" % (i, count),
                         "position %d of %d" % (index, count), timeout=10)
    at.wait_for(app.accessible, "the first photo drawn again", timeout=60, role="image",
                name="big-1.jpg, 2 faces")
    ctx.shot("big-photos")


def test_desktop_file(ctx):
    """The desktop file that lets file managers open photos with TribeLens is valid."""
    path = os.path.join(HERE, "../../Resources/io.github.tribelens.TribeLens.desktop")
    result = subprocess.run(["desktop-file-validate", path], capture_output=True, text=True, timeout=20)
    if result.returncode != 0 or result.stdout.strip():
        raise AssertionError("desktop-file-validate: " + (result.stdout + result.stderr).strip())
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    for needed in ("Exec=tribelens %U", "MimeType=image/jpeg;"):
        if needed not in text:
            raise AssertionError("desktop file lacks %r" % needed)


TESTS = [test_command_line, test_yunet_detector, test_drag_and_drop, test_open_dialog, test_several_photos_and_a_bad_file,
         test_second_launch_hands_over, test_stays_responsive_while_detecting, test_desktop_file]
TESTS += GNOME_TESTS  # gnome_tests.py: language, menu, shortcuts, dark style, settings
TESTS += streaming_tests.TESTS  # streaming_tests.py: a folder streaming in, Cancel, start to photo
TESTS += recognition_tests.TESTS  # recognition_tests.py: names on faces, popover, corrections, models, export
TESTS += training_tests.TESTS  # training_tests.py: the training panel, end to end and cancelled
TESTS += photo_view_tests.TESTS  # photo_view_tests.py: zoom, Home/End, removing photos, corrections' search and undo, Show in Folder, VGG16 weights file
TESTS += training_fan_tests.TESTS  # training_fan_tests.py: rosters from folders, a panel that remembers, reviewing many crops
TESTS += finish_tests.TESTS  # finish_tests.py: low-confidence names, number fields, messages, a steady title


def main():
    binary, shared, artifacts = sys.argv[1:4]
    wanted = set(sys.argv[4:])
    os.makedirs(artifacts, exist_ok=True)
    passed = failed = 0
    run_started = time.monotonic()
    for test in TESTS:
        name = test.__name__[len("test_"):].replace("_", "-")
        if wanted and name not in wanted:
            continue
        ctx = Context(binary, shared, artifacts)
        started = time.monotonic()
        try:
            test(ctx)
            passed += 1
            print("PASS %s (%.1f s)" % (name, time.monotonic() - started), flush=True)
        except Exception as error:  # report and go on with the next test
            failed += 1
            print("FAIL %s (%.1f s): %s" % (name, time.monotonic() - started, error), flush=True)
            if not isinstance(error, AssertionError):
                traceback.print_exc()
            try:
                ctx.shot("FAILED-" + name)
                for app in ctx.apps:
                    with open(os.path.join(artifacts, "gui-%s-tree.txt" % name), "w") as out:
                        at.dump(app.accessible, out)
            except Exception:
                pass
        finally:
            for text in ctx.notes:
                print("     " + text, flush=True)
            ctx.close()
    print("GUI tests took %.0f s; screenshots and app logs in %s" % (time.monotonic() - run_started, artifacts))
    print("GUI: %d passed, %d failed" % (passed, failed), flush=True)
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
