"""GUI tests of the training panel (Ctrl+T): a model trained end to end from the GUI on a small
part of ../shared/data/lfw-dev38 (photo folder, roster, Find Faces, Start, results, Save, make
active), then a real XDND drop of a photo labelled by that model; cancelling mid-run and
closing the panel mid-run leave the previous model active and save nothing.

The photos, roster and XDG folders come from recognition_tests.models (gui-a is the active
model before each test). Registered in gui_tests.TESTS."""
import json
import os
import re
import shutil
import tempfile
import time

import gi

gi.require_version("Atspi", "2.0")
import atspi_helpers as at  # noqa: E402
import pyatspi  # noqa: E402
import recognition_tests as rt  # noqa: E402
from gui_harness import drag, drop, expect, face_count, window_geometry, xdotool  # noqa: E402

PANEL = "Train a Model — TribeLens"


def panel_env(ctx, m):
    """The models fixture's folders, its roster where the panel lists rosters, a broken plugin and
    one whose constructor aborts."""
    rosters = os.path.join(m.env["XDG_DATA_HOME"], "tribelens/rosters")
    os.makedirs(rosters, exist_ok=True)
    shutil.copy(m.roster, os.path.join(rosters, "gui-test.json"))
    broken = os.path.join(ctx.scratch, "plugins")
    os.makedirs(broken, exist_ok=True)
    with open(os.path.join(broken, "libbroken.so"), "w") as handle:
        handle.write("not a shared library\n")
    rt.aborting_plugin(broken)
    # Romaji names whatever an earlier test chose in the shared settings keyfile.
    return dict(m.env, TRIBELENS_PLUGIN_PATH=broken, TRIBELENS_NAMES="romaji")


def models_on_disk(m):
    folder = os.path.join(m.env["XDG_DATA_HOME"], "tribelens/models")
    return sorted(n for n in os.listdir(folder) if not n.startswith("."))


def active_model(m):
    with open(os.path.join(m.env["XDG_DATA_HOME"], "tribelens/models/.active")) as handle:
        return handle.read().strip()


# Enough for a model that tells the 4 people apart better than chance (the README's screenshots),
# still a few seconds in a release build.
EPOCHS = 12


def open_panel(ctx, m, name, env=None):
    """Starts the app and opens the panel with Ctrl+T, a real key press."""
    app = ctx.start([], name, env=env or panel_env(ctx, m))
    at.wait_for(app.accessible, "the empty window", name="Drop Photos Here")
    box = window_geometry("^TribeLens$")
    xdotool("mousemove", box[0] + 40, box[1] + box[3] - 40)  # keys go to the window under the pointer
    time.sleep(0.3)
    xdotool("key", "ctrl+t")
    at.wait_for(app.accessible, "the training panel", role="frame", name=PANEL)
    return app


def page(app, title):
    """Switches the panel to a page with its header-bar switcher."""
    at.click(at.wait_for(app.accessible, "the %s page switch" % title, role="page tab", name=title))
    time.sleep(0.4)  # cross-fade


def find_faces(app, m):
    entry = at.wait_for(app.accessible, "the photo folder entry", role="text", name="Photo folder")
    entry.queryEditableText().setTextContents(m.photos)
    at.click(at.wait_for(app.accessible, "the test roster", role="push button", name=rt.ROSTER["name"]))
    at.click(at.wait_for(app.accessible, "Find Faces", role="push button", name="Find Faces"))
    at.wait_for_text(app.accessible, "Photos status", lambda t: t.startswith("Review the faces"), "faces found", 90)
    report = at.wait_for(app.accessible, "the health check", description="Health check").name
    for person in rt.PEOPLE:
        if person.replace("_", " ") not in report:  # the members' romaji names
            raise AssertionError("the health check does not list %s: %r" % (person, report[:400]))
    return report


def set_value(app, name, value):
    spin = at.wait_for(app.accessible, "the %s field" % name, role="spin button", name=name)
    spin.queryValue().currentValue = float(value)
    deadline = time.monotonic() + 5
    while spin.queryValue().currentValue != float(value) and time.monotonic() < deadline:
        time.sleep(0.1)
    expect(spin.queryValue().currentValue, float(value), name)


def start_training(app, epochs):
    page(app, "Train")
    at.click(at.wait_for(app.accessible, "the scratch CNN backend", role="push button",
                         predicate=lambda n: n.name.endswith("(scratch-cnn)")))
    set_value(app, "Epochs (at most)", epochs)
    set_value(app, "Seed", 4)
    at.click(at.wait_for(app.accessible, "Start Training", role="push button", name="Start Training"))


def test_training_panel_end_to_end(ctx):
    """Photo folder -> Find Faces -> Train (both real backends listed, the broken plugin with its
    reason) -> results -> Save as the active model; the main window then labels a photo dropped by
    a real XDND drag with that model, exactly as `tribelens-cli predict` does."""
    m = rt.models(ctx)
    before = rt.snapshot(m.photos)
    app = open_panel(ctx, m, "training-panel")
    report = find_faces(app, m)
    ctx.note("health check: %s" % report.splitlines()[0][:120])
    page(app, "Photos")
    ctx.shot("training-photos")

    page(app, "Train")
    names = [n.name for n in at.walk(app.accessible) if at.safe(n.getRoleName) == "push button"]
    for backend in ("(scratch-cnn)", "(vgg16-transfer)"):
        if not any(n.endswith(backend) for n in names):
            raise AssertionError("backend %s not listed: %r" % (backend, names))
    # Face embeddings come first and say they are recommended; without their model files the
    # panel says so and offers to get them.
    listed = [n for n in names if n.endswith(("(sface)", "(scratch-cnn)", "(vgg16-transfer)"))]
    if not listed or not listed[0].endswith("(sface)") or "recommended" not in listed[0]:
        raise AssertionError("the face-embedding backend is not listed first as recommended: %r" % listed)
    at.click(at.wait_for(app.accessible, "the sface backend", role="push button", predicate=lambda n: n.name.endswith("(sface)")))
    at.wait_for_text(app.accessible, "Face models state", lambda t: "not installed" in (t or ""), "the face models' state", 30)
    at.wait_for(app.accessible, "Get Face Models", role="push button", name="Get Face Models")
    ctx.shot("training-face-models")
    refused = at.wait_for(app.accessible, "the refused plugins", description="Plugins not loaded").name
    if "libbroken.so" not in refused:
        raise AssertionError("the broken plugin is not listed with its reason: %r" % refused)
    if "libabort.so: it crashed when it was loaded in a separate process" not in refused:
        raise AssertionError("the aborting plugin is not listed as crashed: %r" % refused)
    ctx.note("refused: %r" % refused.replace("\n", " | ")[:160])

    started = time.monotonic()
    start_training(app, EPOCHS)
    at.wait_for_text(app.accessible, "Training status", lambda t: t.startswith("Epoch "), "training progress", 60)
    at.wait_for(app.accessible, "the results", description="Test accuracy", timeout=180,
                predicate=lambda n: n.name.startswith("Test accuracy"))
    ctx.note("trained (at most %d epochs) from the GUI in %.1f s" % (EPOCHS, time.monotonic() - started))
    headline = at.find(app.accessible, description="Test accuracy").name
    details = at.find(app.accessible, description="Run details").name
    matrix = at.wait_for(app.accessible, "the confusion matrix", role="image", description="Confusion matrix",
                         predicate=lambda n: n.name.startswith("Confusion matrix, ")).name
    ctx.note("matrix: %r" % matrix)
    ctx.shot("readme-training-results", "^" + PANEL + "$")
    page(app, "Train")
    curves = at.wait_for(app.accessible, "the training curves", role="image", description="Training curves",
                         predicate=lambda n: n.name.startswith("Training curves: epoch")).name
    ctx.note("curves: %r" % curves)
    ctx.shot("readme-training-curves", "^" + PANEL + "$")
    page(app, "Results")

    # Save under a new name and make it active; the main window relabels with it.
    entry = at.wait_for(app.accessible, "the model name", role="text", name="Model name")
    entry.queryEditableText().setTextContents("panel-model")
    # Issue 15: the panel says what the active model (gui-a) scored and what this one scored, and
    # ticks "Use it to label photos" only when this one is at least as good; the user chooses.
    new = re.match(r"Test accuracy (\d+%)", headline).group(1)
    old = rt.percent(m.manifest("gui-a")["test_metrics"]["accuracy"])
    comparison = at.wait_for(app.accessible, "the model comparison", description="Model comparison").name
    expect(comparison, "The active model \u201cgui-a\u201d scored %s; this one scored %s." % (old, new), "the comparison")
    use = at.wait_for(app.accessible, "Use it to label photos", role="check box", name="Use it to label photos")
    ticked = use.getState().contains(pyatspi.STATE_CHECKED)
    expect(ticked, int(new[:-1]) >= int(old[:-1]), "Use it to label photos ticked (%s vs %s)" % (new, old))
    ctx.note("comparison: %r, ticked %s" % (comparison, ticked))
    if not ticked:
        at.click(use)
        deadline = time.monotonic() + 5
        while not use.getState().contains(pyatspi.STATE_CHECKED) and time.monotonic() < deadline:
            time.sleep(0.1)
    at.click(at.wait_for(app.accessible, "Save Model", role="push button", name="Save Model"))
    at.wait_for_text(app.accessible, "Save status", lambda t: "panel-model" in t, "the saved model", 30)
    expect(active_model(m), "panel-model", "the active model after Save")
    manifest = m.manifest("panel-model")
    expect(manifest["backend"]["id"], "scratch-cnn", "backend in model.json")
    if not 1 <= len(manifest["history"]) <= EPOCHS:
        raise AssertionError("history has %d epochs" % len(manifest["history"]))
    accuracy = rt.percent(manifest["test_metrics"]["accuracy"])
    if accuracy not in headline:
        raise AssertionError("results say %r; model.json has %s" % (headline, accuracy))
    rt.model_button(app, "Model: panel-model, scratch-cnn, test accuracy %s" % accuracy)
    # The charts show this run: its last epoch and kept weights, one matrix row per member.
    history = manifest["history"]
    last = history[-1]
    want = "Training curves: epoch %d of %d, accuracy %.2f" % (last["epoch"], EPOCHS, last["accuracy"])
    kept = re.search(r"weights of epoch (\d+)", details)
    if not curves.startswith(want) or not kept or ("weights from epoch %s" % kept.group(1)) not in curves:
        raise AssertionError("curves say %r; model.json has %r; results say %r" % (curves, last, details))
    members = len(manifest["classes"])
    if not matrix.startswith("Confusion matrix, %d members" % members):
        raise AssertionError("matrix says %r; model.json has %d classes" % (matrix, members))

    # Saved, so the panel closes without asking; then a real drag of test1.jpg onto the main
    # window: two faces named by panel-model.
    click_close(app)
    wait_closed(app, "after Save and Close")
    photo = os.path.join(ctx.shared, "data/group-photos/test1.jpg")
    expected = sorted(rt.expected_name(i, f) for i, f in enumerate(m.predict(photo, "panel-model")))
    _, end = drag(ctx, [photo], "^TribeLens$")
    drop(end)
    expect(face_count(app), "2 faces", "face count of the dropped photo")
    expect(rt.face_buttons(app, 2), expected, "face names from the model trained in the panel")
    ctx.shot("training-dropped-photo")
    expect(rt.snapshot(m.photos), before, "photo folder after extraction, training and saving")


def click_close(app):
    """The panel's own window close button (the title bar's)."""
    frame = at.wait_for(app.accessible, "the training panel", role="frame", name=PANEL)
    close = next(n for n in at.walk(frame) if at.safe(n.getRoleName) == "push button" and at.safe(lambda: n.name) == "Close")
    at.click(close)


def wait_closed(app, when, timeout=60):
    deadline = time.monotonic() + timeout
    while at.find(app.accessible, role="frame", name=PANEL) is not None and time.monotonic() < deadline:
        time.sleep(0.2)
    if at.find(app.accessible, role="frame", name=PANEL) is not None:
        raise AssertionError("the panel is still open " + when)


def review_env(ctx, m):
    """The panel's environment with a data folder of its own, so this test's decisions never
    reach the other tests' curation.json (the face cache is shared: it is derived data)."""
    data = os.path.join(ctx.scratch, "review-data")
    os.makedirs(os.path.join(data, "tribelens/rosters"), exist_ok=True)
    shutil.copy(m.roster, os.path.join(data, "tribelens/rosters/gui-test.json"))
    # Its own settings too: romaji names (the default is Japanese once any setting is saved).
    config = os.path.join(ctx.scratch, "review-config")
    os.makedirs(os.path.join(config, "io.github.tribelens.TribeLens"), exist_ok=True)
    with open(os.path.join(config, "io.github.tribelens.TribeLens/settings.ini"), "w") as handle:
        handle.write("[Display]\nname-display=romaji\n")
    return dict(panel_env(ctx, m), XDG_DATA_HOME=data, XDG_CONFIG_HOME=config)


def crop_key(crop):
    """A manifest's crop id (an object, or already the curation file's "sha:x,y,wxh")."""
    if isinstance(crop, str):
        return crop
    return "%s:%d,%d,%dx%d" % (crop["photoHash"], crop["x"], crop["y"], crop["width"], crop["height"])


def tile(app, subject, what, timeout=30, predicate=None):
    """A crop tile (push button) named `subject` ("Crop 2 of Bill Clinton") plus its flags and
    decision, and satisfying `predicate`; a `subject` ending in a space matches any number."""
    def matches(node):
        name = at.safe(lambda: node.name)
        head = name.split(",")[0]
        ok = head.startswith(subject) if subject.endswith(" ") else head == subject
        return ok and (predicate is None or predicate(name))
    return at.wait_for(app.accessible, what, timeout, role="push button", predicate=matches)


def test_training_review(ctx):
    """Find Faces -> Review: the member list and the crop grid; a crop rejected and another
    re-labelled through the tiles' accessible actions land in curation.json, the next run's
    dataset honours both, and the photo folder is untouched."""
    m = rt.models(ctx)
    before = rt.snapshot(m.photos)
    env = review_env(ctx, m)
    curation_file = os.path.join(env["XDG_DATA_HOME"], "tribelens/curation.json")
    app = open_panel(ctx, m, "training-review", env=env)
    find_faces(app, m)
    page(app, "Review")
    tile(app, "Crop ", "the first member's crops", predicate=lambda n: " of Amelie Mauresmo" in n)
    members = at.wait_for(app.accessible, "the member list", role="list", name="Members")
    rows = [at.safe(lambda: members.getChildAtIndex(i).getChildAtIndex(0).name) for i in range(members.childCount)]
    expect(len(rows), len(rt.PEOPLE), "member rows (%r)" % rows)
    if not re.fullmatch(r"Bill Clinton — 1[5-9] crops, \d+ flagged, 0 rejected", rows[2]):  # 15 photos, some with bystanders
        raise AssertionError("Bill Clinton's row says %r" % rows[2])

    # Another member through the list's AT-SPI selection: only that member's tiles exist.
    members.querySelection().selectChild(2)
    tile(app, "Crop ", "Bill Clinton's crops", predicate=lambda n: " of Bill Clinton" in n)
    names = [at.safe(lambda: n.name) for n in at.walk(app.accessible) if at.safe(n.getRoleName) == "push button"]
    tiles = [n for n in names if re.match(r"(Crop|Photo) \d+ of ", n)]
    if not tiles or not all(" of Bill Clinton" in n for n in tiles):
        raise AssertionError("the grid shows other members' tiles: %r" % tiles[:5])
    ctx.note("Bill Clinton: %d tiles, the first %r" % (len(tiles), tiles[0]))
    first, second = [n.split(",")[0] for n in tiles if n.startswith("Crop ")][:2]  # "Crop 2 of Bill Clinton"

    # The first crop: Reject, from the tile's popover (the tile's click action opens it).
    at.click(tile(app, first, first))
    at.click(at.wait_for(app.accessible, "the popover's Reject", role="push button", name="Reject"))
    rejected = tile(app, first, first + " rejected", 10, predicate=lambda n: n.endswith(", rejected"))
    ctx.note("after Reject: %r" % rejected.name)
    # The second: Relabel… -> Angelina Jolie.
    at.click(tile(app, second, second))
    at.click(at.wait_for(app.accessible, "the popover's Relabel", role="push button", name="Relabel…"))
    at.click(at.wait_for(app.accessible, "Relabel as Angelina Jolie", role="push button", name="Relabel as Angelina Jolie"))
    tile(app, second, second + " relabelled", 10, predicate=lambda n: n.endswith(", relabelled to Angelina Jolie"))
    at.wait_for(app.accessible, "Bill Clinton's row with 1 rejected", 10,
                predicate=lambda n: re.fullmatch(r"Bill Clinton — \d+ crops, \d+ flagged, 1 rejected", at.safe(lambda: n.name)))
    ctx.shot("readme-training-review", "^" + PANEL + "$")
    # By keyboard: the popover gave the focus back to its tile; Right moves to the next tile
    # and Return opens that one's popover (real key presses).
    box = window_geometry("^" + PANEL + "$")
    xdotool("mousemove", box[0] + 20, box[1] + box[3] - 10)  # keys go to the window under the pointer
    time.sleep(0.3)
    xdotool("key", "Right")
    time.sleep(0.3)
    xdotool("key", "Return")
    heading = at.wait_for(app.accessible, "the popover opened by keyboard", 10, description="Crop heading").name
    third = [n for n in tiles if n.startswith("Crop ")][2]
    third_tile = tile(app, third.split(",")[0], "the next tile")
    expect(heading, at.safe(lambda: third_tile.description).split("\n")[0], "the keyboard-opened popover's photo")
    xdotool("key", "Escape")

    # On disk: exactly those two decisions, keyed by the content of two of Bill Clinton's photos.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        decisions = json.load(open(curation_file)).get("decisions", {}) if os.path.exists(curation_file) else {}
        if len(decisions) == 2:
            break
        time.sleep(0.2)
    actions = sorted((d["action"], d.get("member")) for d in decisions.values())
    expect(actions, [("reject", None), ("relabel", "angelina-jolie")], "decisions in curation.json")
    bill = {sha for name, (_, sha) in before.items() if name.startswith("Bill_Clinton/")}
    if not all(key.split(":")[0] in bill for key in decisions):
        raise AssertionError("decisions are not keyed by Bill Clinton's photos: %r" % list(decisions))

    # The next run builds its dataset from that file.
    start_training(app, 1)
    at.wait_for(app.accessible, "the results", description="Test accuracy", timeout=180,
                predicate=lambda n: n.name.startswith("Test accuracy"))
    with open(os.path.join(env["XDG_DATA_HOME"], "tribelens/datasets/training-panel/manifest.json")) as handle:
        dataset = json.load(handle)
    rejected_key = next(k for k, d in decisions.items() if d["action"] == "reject")
    relabelled_key = next(k for k, d in decisions.items() if d["action"] == "relabel")
    if not any(crop_key(e["crop"]) == rejected_key and e.get("reason") == "rejected" for e in dataset["excluded"]):
        raise AssertionError("the rejected crop %s is not excluded from the run's dataset" % rejected_key)
    relabelled = [s for s in dataset["samples"] if crop_key(s["crop"]) == relabelled_key]
    expect([s["member"] for s in relabelled], ["angelina-jolie"], "the relabelled crop's member in the run's dataset")
    expect(rt.snapshot(m.photos), before, "photo folder after review and training")


def test_training_cancel_and_close(ctx):
    """Cancel mid-run: nothing saved, the previous model stays active. Closing the panel mid-run
    asks first; Stop and Close ends the run and again saves nothing."""
    m = rt.models(ctx)
    models_before = models_on_disk(m)
    app = open_panel(ctx, m, "training-cancel")
    find_faces(app, m)
    start_training(app, 200)
    at.wait_for_text(app.accessible, "Training status", lambda t: re.match(r"Epoch \d+ of 200", t or ""), "the run", 60)
    at.click(at.wait_for(app.accessible, "Cancel Training", role="push button", name="Cancel Training"))
    at.wait_for_text(app.accessible, "Training status", lambda t: t.startswith("Cancelled"), "the cancelled state", 60)
    expect(active_model(m), "gui-a", "the active model after Cancel")
    expect(models_on_disk(m), models_before, "saved models after Cancel")
    rt.model_button(app, "Model: gui-a")

    # Start again, then close the panel with its window's close button while it trains. The
    # button is found first: the run may stop early a second after its first epoch, and a walk of
    # the whole tree under load takes about that long.
    frame = at.wait_for(app.accessible, "the training panel", role="frame", name=PANEL)
    close = next(n for n in at.walk(frame) if at.safe(n.getRoleName) == "push button" and at.safe(lambda: n.name) == "Close")
    at.click(at.wait_for(app.accessible, "Start Training", role="push button", name="Start Training"))
    # Any epoch will do: a release build runs several per second of polling the whole tree.
    at.wait_for_text(app.accessible, "Training status", lambda t: re.match(r"Epoch \d+ of 200", t or ""), "the second run", 60)
    at.click(close)
    at.click(at.wait_for(app.accessible, "the question's Stop and Close", role="push button", name="Stop and Close"))
    wait_closed(app, "after Stop and Close")
    expect(active_model(m), "gui-a", "the active model after closing mid-run")
    expect(models_on_disk(m), models_before, "saved models after closing mid-run")
    if not app.alive():
        raise AssertionError("the app exited")
    leftovers = [n for n in os.listdir(os.path.join(m.env["XDG_DATA_HOME"], "tribelens/models")) if n.startswith(".tmp")]
    expect(leftovers, [], "temporary folders in the model store")
    with open(app.log_path) as log:
        ctx.note("app log lines: %d" % len(log.read().splitlines()))


def choose_file(app, path, title):
    """Types `path` into the panel's file chooser (as in the open-dialog test) and accepts it."""
    at.wait_for(app.accessible, "the file chooser", role="push button", predicate=lambda node: node.name.endswith("Cancel"))
    box = window_geometry("^%s$" % title)
    xdotool("mousemove", box[0] + box[2] // 2, box[1] + box[3] // 2)
    time.sleep(0.3)
    xdotool("type", "--delay", "20", path)
    xdotool("key", "Return")


def test_training_face_models_choose_file(ctx):
    """Face models the user has: Choose File… installs a known SFace file at once and an unknown
    YuNet variant only after "Use Anyway" in the confirmation; then the row says both are
    installed and checked. In XDG folders of its own (other tests count Haar faces)."""
    home = tempfile.mkdtemp(prefix="tribelens-gui-face-models-")
    env = {"XDG_DATA_HOME": os.path.join(home, "data"), "XDG_CACHE_HOME": os.path.join(home, "cache"),
           "XDG_CONFIG_HOME": os.path.join(home, "config"), "TRIBELENS_NAMES": "romaji"}
    try:
        variant = os.path.join(home, "my-yunet.onnx")
        shutil.copy(os.path.join(ctx.shared, "models/face_detection_yunet_2022mar.onnx"), variant)
        with open(variant, "r+b") as handle:  # one byte flipped: a checksum nobody published
            handle.seek(1000)
            byte = handle.read(1)[0]
            handle.seek(1000)
            handle.write(bytes([byte ^ 1]))
        app = open_panel(ctx, None, "training-face-models", env=env)
        page(app, "Train")
        at.click(at.wait_for(app.accessible, "the sface backend", role="push button", predicate=lambda n: n.name.endswith("(sface)")))
        at.wait_for_text(app.accessible, "Face models state", lambda t: "not installed" in (t or ""), "the face models' state", 30)

        at.click(at.wait_for(app.accessible, "Choose File…", role="push button", name="Choose File…"))
        choose_file(app, variant, "Choose a Face Model File")
        at.wait_for(app.accessible, "the confirmation", description="Question",
                    predicate=lambda n: "not a published YuNet" in n.name)
        ctx.shot("training-face-models-confirm")
        at.click(at.wait_for(app.accessible, "Use Anyway", role="push button", name="Use Anyway"))
        weights = os.path.join(env["XDG_DATA_HOME"], "tribelens/weights")
        deadline = time.monotonic() + 30
        while not os.path.exists(os.path.join(weights, "approved.json")) and time.monotonic() < deadline:
            time.sleep(0.2)
        expect(sorted(os.listdir(weights)), ["approved.json", "my-yunet.onnx"], "weights folder after Use Anyway")

        at.click(at.wait_for(app.accessible, "Choose File…", role="push button", name="Choose File…"))
        choose_file(app, os.path.join(ctx.shared, "models/face_recognition_sface_2021dec_dq.onnx"), "Choose a Face Model File")
        state = at.wait_for_text(app.accessible, "Face models state", lambda t: "(checked)" in (t or ""), "both face models checked", 60)
        if "my-yunet.onnx" not in state or "face_recognition_sface_2021dec_dq.onnx" not in state:
            raise AssertionError("the row does not name both installed files: %r" % state)
        ctx.shot("training-face-models-installed")
    finally:
        shutil.rmtree(home, True)


TESTS = [test_training_panel_end_to_end, test_training_face_models_choose_file, test_training_review, test_training_cancel_and_close]
