"""GUI tests of a folder streaming in (issue 17): the strip fills with thumbnails from reduced
decodes while the window keeps answering, Cancel stops the analysis, and the time from start to
a window showing a photo given on the command line. Run through gui_tests.py."""
import os
import re
import subprocess
import time

import atspi_helpers as at
from gui_harness import expect

PROGRESS = "Analysis progress"
RUNNING = re.compile(r"^Finding faces: (\d+) of (\d+) photos$")
STOPPED = re.compile(r"^Stopped: (\d+) of (\d+) photos analysed$")


def peak_rss_mib(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def walk_outside_strip(node):
    """Like atspi_helpers.walk, but not into the photo strip: hundreds of tiles make a whole
    walk take a minute over AT-SPI on a busy machine."""
    return at.walk(node, prune=lambda n: at.safe(lambda: n.name) == "Photos")


def test_folder_streams_and_cancel(ctx):
    """A folder of 300 photos (links, two each, to 150 lfw-dev38 photos enlarged to 1000x1000 so
    that analysing them outlasts the test's tree walks; TRIBELENS_GUI_STREAM_PHOTOS sets another
    count) fills the strip: one tile per photo, a thumbnail in the content-keyed cache for each
    distinct photo, made ahead of the analyses. While it streams in, the window answers AT-SPI
    reads (each served by the GTK thread) at once. Cancel stops the analysis: the count of
    analysed photos stops moving, and the bar and the tiles left say so."""
    count = int(os.environ.get("TRIBELENS_GUI_STREAM_PHOTOS", "300"))
    sources = []
    for root, _, files in sorted(os.walk(os.path.join(ctx.shared, "data/lfw-dev38"))):
        sources += [os.path.join(root, f) for f in sorted(files) if f.lower().endswith(".jpg")]
    distinct = min((count + 1) // 2, len(sources))
    made_dir = os.path.join(ctx.scratch, "enlarged")
    os.makedirs(made_dir)
    enlarged = []
    for source in sources[:distinct]:
        target = os.path.join(made_dir, os.path.basename(source))
        subprocess.run(["convert", source, "-resize", "1000x1000!", "-quality", "90", target], check=True, timeout=60)
        enlarged.append(target)
    folder = os.path.join(ctx.scratch, "folder")
    os.makedirs(folder)
    for i in range(count):
        source = enlarged[i % distinct]
        os.symlink(source, os.path.join(folder, "%04d-%s" % (i, os.path.basename(source))))
    cache = os.path.join(ctx.scratch, "cache")
    thumbnails = os.path.join(cache, "tribelens", "thumbnails")

    started = time.monotonic()
    app = ctx.start([folder], "streaming", env={"XDG_CACHE_HOME": cache})
    progress = cancel = None
    deadline = time.monotonic() + 60
    while (progress is None or cancel is None) and time.monotonic() < deadline:
        at.fresh(app.accessible)
        for node in walk_outside_strip(app.accessible):
            if at.safe(lambda: node.description) == PROGRESS:
                progress = node
            elif at.safe(node.getRoleName) == "push button" and at.safe(lambda: node.description) == "Cancel analysis":
                cancel = node
        time.sleep(0.2)
    if progress is None or cancel is None:
        raise AssertionError("no analysis bar with Cancel analysis within 60 s")
    found = time.monotonic() - started

    reads, seen = [], None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        t0 = time.monotonic()
        at.fresh(app.accessible)
        text = progress.name
        reads.append(time.monotonic() - t0)
        running = RUNNING.match(text or "")
        if running:
            seen = int(running.group(1))
            expect(int(running.group(2)), count, "photos in the progress bar")
            if seen >= 10 and len(reads) >= 10:
                break
        elif len(reads) > 10:
            break
        time.sleep(0.05)
    if seen is None or seen >= count:
        raise AssertionError("the analysis was not seen under way (last progress %r)" % progress.name)
    made = len(os.listdir(thumbnails)) if os.path.isdir(thumbnails) else 0
    ctx.note("bar found %.1f s after start; %d reads while streaming: median %.3f s, max %.3f s; %d of %d analysed, %d thumbnails"
             % (found, len(reads), sorted(reads)[len(reads) // 2], max(reads), seen, count, made))
    if max(reads) > 0.5:
        raise AssertionError("the window froze while the folder streamed in: a read took %.2f s" % max(reads))

    cancel_at = time.monotonic()
    at.click(cancel)
    at.wait_for_text(app.accessible, PROGRESS, lambda t: bool(STOPPED.match(t or "")),
                     "the bar saying the analysis stopped", timeout=10)
    # The analyses under way when Cancel came (one per lane) may still finish.
    time.sleep(1.5)
    at.fresh(app.accessible)
    first = STOPPED.match(progress.name or "")
    if not first:
        raise AssertionError("after Cancel the bar says %r" % progress.name)
    first = int(first.group(1))
    time.sleep(3)
    at.fresh(app.accessible)
    later = STOPPED.match(progress.name or "")
    if not later:
        raise AssertionError("after Cancel the bar says %r" % progress.name)
    expect(int(later.group(1)), first, "photos analysed 3 s after Cancel")
    if first >= count:
        raise AssertionError("Cancel came after the last photo (%d of %d)" % (first, count))

    # Thumbnails go on after Cancel (the strip is how one picks a photo to analyse): one per
    # distinct photo in the cache, and one tile per photo in the strip.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and len(os.listdir(thumbnails)) < distinct:
        time.sleep(0.2)
    expect(len(os.listdir(thumbnails)), distinct, "thumbnails in the cache")
    all_thumbnails = time.monotonic() - started
    strip = at.wait_for(app.accessible, "the photo strip", name="Photos")
    tiles = [n for n in at.walk(strip) if at.safe(n.getRoleName) == "push button"]
    expect(len(tiles), count, "tiles in the strip")
    waiting = [t for t in tiles if at.safe(lambda: t.name).endswith(", Not analysed")]
    expect(len(waiting), count - first, "tiles saying they were not analysed")
    ctx.note("Cancel %.1f s in, at %d of %d; all %d thumbnails %.1f s after start; peak RSS %.0f MiB"
             % (cancel_at - started, first, count, distinct, all_thumbnails, peak_rss_mib(app.process.pid)))
    ctx.shot("streaming-cancelled", "TribeLens$")


def test_start_to_photo(ctx):
    """`tribelens test1.jpg`: the time from starting the process to the window showing the
    photo (its accessible image named with the face count, drawn from the preview), noted."""
    photo = os.path.join(ctx.shared, "data/group-photos/test1.jpg")
    started = time.monotonic()
    app = ctx.start([photo], "start-to-photo")
    registered = time.monotonic() - started
    at.wait_for(app.accessible, "the photo", role="image", name="test1.jpg, 2 faces", timeout=30)
    shown = time.monotonic() - started
    ctx.note("start to the photo with its faces: %.2f s (the app on the accessibility bus after %.2f s)"
             % (shown, registered))


TESTS = [test_folder_streams_and_cancel, test_start_to_photo]
