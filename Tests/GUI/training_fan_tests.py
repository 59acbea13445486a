"""GUI tests of the training panel for a fan who keeps using it (issue 15, items 3-5):
- a roster that matches none of the photo folders stops Find Faces with the folders named, and
  a roster made from the folder names (groups in a small editor) is saved, used and listed the
  next time; Find Faces can be cancelled;
- the panel keeps its faces, review and results when closed and reopened, and says when they
  went stale;
- the Review page filters a member's crops, decides for many at once (Reject All Flagged, a
  selection by keyboard and by Ctrl+click), keeps a held group-photo crop in one click, and
  undoes and redoes.
Driven through AT-SPI names and real key presses; photos, roster and models from
recognition_tests.models. Registered in gui_tests.TESTS."""
import json
import os
import re
import shutil
import time

import gi

gi.require_version("Atspi", "2.0")
import pyatspi  # noqa: E402
import atspi_helpers as at  # noqa: E402
import recognition_tests as rt  # noqa: E402
import training_tests as tt  # noqa: E402
from gui_harness import expect, window_geometry, xdotool  # noqa: E402

EDITOR = "Make a Roster from the Folder Names"
LDH = "LDH JAPAN: EXILE TRIBE (the original write-up's 24 members)"
JAPANESE_FOLDER = "アンジェリーナ・ジョリー"  # a fan's folder named in Japanese


def own_env(ctx, m, label):
    """Data and settings of the test's own (fresh settings: the LDH roster is the default), the
    models fixture's face cache (derived data), romaji names."""
    data = os.path.join(ctx.scratch, label + "-data")
    config = os.path.join(ctx.scratch, label + "-config")
    os.makedirs(os.path.join(config, "io.github.tribelens.TribeLens"), exist_ok=True)
    with open(os.path.join(config, "io.github.tribelens.TribeLens/settings.ini"), "w") as handle:
        handle.write("[Display]\nname-display=romaji\n")
    os.makedirs(data, exist_ok=True)
    return dict(tt.panel_env(ctx, m), XDG_DATA_HOME=data, XDG_CONFIG_HOME=config)


def copy_photos(m, target, rename=None):
    """The fixture's four photo folders under `target`, some renamed."""
    for person in rt.PEOPLE:
        shutil.copytree(os.path.join(m.photos, person), os.path.join(target, (rename or {}).get(person, person)))
    return target


def state(node, which):
    return at.safe(lambda: node.getState().contains(which), False)


def selected(node):
    """A chosen toggle button or page tab (GTK reports one of these states)."""
    return any(state(node, s) for s in (pyatspi.STATE_SELECTED, pyatspi.STATE_CHECKED, pyatspi.STATE_PRESSED))


def button(app, name, what=None, timeout=30):
    """The push (or toggle) button named `name`."""
    return at.wait_for(app.accessible, what or name, timeout, name=name,
                       predicate=lambda n: at.safe(n.getRoleName) in ("push button", "toggle button"))


def showing(app, **criteria):
    """GTK 4.8 leaves hidden widgets out of the accessible tree: there means visible."""
    return at.find(app.accessible, **criteria) is not None


def shown_page(app):
    tabs = [n for n in at.walk(app.accessible) if at.safe(n.getRoleName) == "page tab"]
    return next((at.safe(lambda: n.name) for n in tabs if selected(n)), None)


def set_folder(app, path):
    entry = at.wait_for(app.accessible, "the photo folder entry", role="text", name="Photo folder")
    entry.queryEditableText().setTextContents(path)


def keys_to(title):
    """Real key presses go to the window under the pointer (no window manager under Xvfb)."""
    box = window_geometry("^%s$" % title)
    xdotool("mousemove", box[0] + 20, box[1] + box[3] - 10)
    time.sleep(0.3)


def notification(app, accept, what, timeout=60):
    return at.wait_for_text(app.accessible, "Notification", lambda t: accept(t or ""), what, timeout)


def test_training_roster_from_folders(ctx):
    """The issue's case: the default LDH roster and 38 folders of other people. Find Faces stops
    and names the folders (no "Faces found", no Review page); Make a Roster from the Folder
    Names: groups added by mouse and by keyboard, ticked per member, saved under
    $XDG_DATA_HOME/tribelens/rosters; Find Faces then runs with it and is cancelled; the next
    start lists the roster (chosen), and it finds the members of a folder named in Japanese."""
    m = rt.models(ctx)
    env = own_env(ctx, m, "roster")
    lfw = os.path.join(ctx.scratch, "lfw38")
    shutil.copytree(os.path.join(ctx.shared, "data/lfw-dev38"), lfw)
    os.rename(os.path.join(lfw, "Angelina_Jolie"), os.path.join(lfw, JAPANESE_FOLDER))
    folders = sorted(os.listdir(lfw))
    expect(len(folders), 38, "folders of lfw-dev38")
    # A cache of its own: the 970 photos must take long enough to press Cancel.
    env["XDG_CACHE_HOME"] = os.path.join(ctx.scratch, "roster-cache")
    app = tt.open_panel(ctx, m, "training-roster", env=env)
    ldh = at.wait_for(app.accessible, "the LDH roster", role="push button", name=LDH)
    if not selected(ldh):
        raise AssertionError("the LDH roster is not the default choice")
    set_folder(app, lfw)
    at.click(at.wait_for(app.accessible, "Find Faces", role="push button", name="Find Faces"))
    message = at.wait_for_text(app.accessible, "Roster mismatch", lambda t: t.startswith("Find Faces stopped"), "the mismatch", 60)
    if "none of the 38 folders matches a member of the roster “%s”" % LDH not in message or "and 30 more" not in message:
        raise AssertionError("the message does not say that no folder matches: %r" % message)
    for name in folders[:8]:
        if "“%s”" % name not in message:
            raise AssertionError("the message does not name %s: %r" % (name, message))
    status = at.find(app.accessible, description="Photos status")
    if status is not None and status.name.startswith("Review the faces"):
        raise AssertionError("the panel says faces were found: %r" % status.name)
    if showing(app, description="Health check"):
        raise AssertionError("a health check is shown for a run that found nothing")
    expect(shown_page(app), "Photos", "the page after the stop")
    ctx.note("mismatch: %r" % message[:160])
    ctx.shot("training-roster-mismatch", "^" + tt.PANEL + "$")

    # The editor: one member per folder, named after it.
    at.click(at.wait_for(app.accessible, "Make a Roster from the Folder Names…", role="push button",
                         name="Make a Roster from the Folder Names…"))
    at.wait_for(app.accessible, "the roster editor", role="frame", name=EDITOR)
    name_entry = at.wait_for(app.accessible, "the roster name", role="text", name="Roster name")
    name_entry.queryEditableText().setTextContents("LFW Stars")
    group_entry = at.wait_for(app.accessible, "the group name entry", role="text", name="New group name")
    group_entry.queryEditableText().setTextContents("Tennis players")
    at.click(at.wait_for(app.accessible, "Add Group", role="push button", name="Add Group"))
    at.wait_for(app.accessible, "the first group's toggles", role="push button", name="Amelie Mauresmo in Tennis players")
    # The second group by keyboard: Add Group left the focus in the group entry; typed there and
    # added with Return.
    keys_to(EDITOR)
    xdotool("type", "--delay", "30", "Screen actors")
    xdotool("key", "Return")
    for toggle in ["Amelie Mauresmo in Tennis players", "Bill Clinton in Tennis players", "Bill Clinton in Screen actors",
                   JAPANESE_FOLDER + " in Screen actors", "Jennifer Aniston in Screen actors"]:
        at.click(at.wait_for(app.accessible, toggle, role="push button", name=toggle))
    ctx.shot("training-roster-editor", "^" + EDITOR + "$")
    at.click(at.wait_for(app.accessible, "Save and Find Faces", role="push button", name="Save and Find Faces"))

    # Saved where the panel lists rosters, in the roster format, and chosen.
    path = os.path.join(env["XDG_DATA_HOME"], "tribelens/rosters/lfw-stars.json")
    deadline = time.monotonic() + 20
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.2)
    with open(path, encoding="utf-8") as handle:
        roster = json.load(handle)
    expect(roster["name"], "LFW Stars", "the roster's name")
    expect(len(roster["members"]), 38, "members of the roster")
    expect([g["name"] for g in roster["groups"]], ["Tennis players", "Screen actors"], "the roster's groups")
    by_name = {member["romaji"]: member for member in roster["members"]}
    expect(by_name["Bill Clinton"]["groups"], ["tennis-players", "screen-actors"], "Bill Clinton's groups")
    expect(by_name["Amelie Mauresmo"]["groups"], ["tennis-players"], "Amelie Mauresmo's groups")
    japanese = by_name[JAPANESE_FOLDER]
    expect(japanese["ja"], JAPANESE_FOLDER, "the Japanese folder's member name")
    if not re.fullmatch(r"member-[0-9a-f]{8}", japanese["id"]):
        raise AssertionError("the Japanese member's id is not a safe slug: %r" % japanese["id"])
    expect(japanese["groups"], ["screen-actors"], "the Japanese member's groups")
    leftovers = [n for n in os.listdir(os.path.dirname(path)) if n != "lfw-stars.json"]
    expect(leftovers, [], "other files in the roster folder")

    # Find Faces runs at once with it, over 970 photos; Cancel stops it.
    deadline = time.monotonic() + 120
    progress = ""
    while time.monotonic() < deadline:
        bar = at.find(app.accessible, description="Extraction progress")
        progress = at.safe(lambda: bar.name) if bar is not None else ""
        match = re.search(r"Finding faces: (\d+) of 970", progress or "")
        if match and int(match.group(1)) >= 3:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("Find Faces with the new roster did not start: %r" % progress)
    at.click(button(app, "Cancel", "Find Faces' Cancel"))
    toast = notification(app, lambda t: "Find Faces cancelled after" in t, "the cancelled message")  # toasts may stack
    done = int(re.search(r"after (\d+) of 970", toast).group(1))
    if not 3 <= done < 970:
        raise AssertionError("cancelled after %d photos" % done)
    find = at.wait_for(app.accessible, "Find Faces again", role="push button", name="Find Faces")
    if not at.safe(lambda: find.getState().contains(pyatspi.STATE_SENSITIVE), False):
        raise AssertionError("Find Faces stays disabled after Cancel")
    expect(shown_page(app), "Photos", "the page after Cancel")
    ctx.note("cancelled after %d of 970 photos" % done)

    # The next start: the roster is listed and chosen; a folder of four of them, one named in
    # Japanese, matches it entirely.
    ctx.close_apps()
    app = tt.open_panel(ctx, m, "training-roster-again", env=env)
    choice = at.wait_for(app.accessible, "the saved roster in the list", role="push button", name="LFW Stars")
    if not selected(choice):
        raise AssertionError("the saved roster is not chosen after a restart")
    four = copy_photos(m, os.path.join(ctx.scratch, "four"), {"Angelina_Jolie": JAPANESE_FOLDER})
    set_folder(app, four)
    at.click(at.wait_for(app.accessible, "Find Faces", role="push button", name="Find Faces"))
    at.wait_for_text(app.accessible, "Photos status", lambda t: (t or "").startswith("Review the faces"), "faces found", 120)
    members = at.wait_for(app.accessible, "the member list", role="list", name="Members")
    rows = [at.safe(lambda: members.getChildAtIndex(i).getChildAtIndex(0).name) for i in range(members.childCount)]
    if len(rows) != 4 or not any(r.startswith(JAPANESE_FOLDER + " — ") for r in rows):
        raise AssertionError("the review does not list the four members: %r" % rows)
    # The file is a roster the command line reads too.
    report = m.run("dataset", "check", "--photos", four, "--roster", path)
    if "matching no member" in report:
        raise AssertionError("tribelens-cli finds folders the roster does not match: %s" % report[:400])
    ctx.shot("training-roster-used", "^" + tt.PANEL + "$")


def test_training_panel_remembers(ctx):
    """Closing and reopening the panel keeps the faces, the review's decisions and the last
    run's results (and the page), without Find Faces again; the panel says when they went
    stale (photos added and removed, decisions after the run); an unsaved model is asked about
    when the main window closes."""
    m = rt.models(ctx)
    env = tt.review_env(ctx, m)
    photos = copy_photos(m, os.path.join(ctx.scratch, "remember-photos"))
    app = tt.open_panel(ctx, m, "training-remembers", env=env)
    set_folder(app, photos)
    at.click(at.wait_for(app.accessible, "the test roster", role="push button", name=rt.ROSTER["name"]))
    at.click(at.wait_for(app.accessible, "Find Faces", role="push button", name="Find Faces"))
    at.wait_for_text(app.accessible, "Photos status", lambda t: (t or "").startswith("Review the faces"), "faces found", 90)
    first = tt.tile(app, "Crop ", "a crop of the first member", predicate=lambda n: " of Amelie Mauresmo" in n)
    subject = first.name.split(",")[0]
    at.click(first)
    at.click(at.wait_for(app.accessible, "the popover's Reject", role="push button", name="Reject"))
    tt.tile(app, subject, subject + " rejected", 10, predicate=lambda n: n.endswith(", rejected"))
    expect(shown_page(app), "Review", "the page after Find Faces")

    tt.click_close(app)
    tt.wait_closed(app, "with faces found and no model")
    keys_to("TribeLens")
    xdotool("key", "ctrl+t")
    at.wait_for(app.accessible, "the panel again", role="frame", name=tt.PANEL)
    started = time.monotonic()
    tt.tile(app, subject, subject + " still rejected", 10, predicate=lambda n: n.endswith(", rejected"))
    ctx.note("the review was back %.1f s after reopening" % (time.monotonic() - started))
    expect(shown_page(app), "Review", "the page after reopening")
    tt.page(app, "Photos")
    status = at.wait_for(app.accessible, "the photos status", description="Photos status").name
    if not status.startswith("Review the faces"):
        raise AssertionError("the reopened panel forgot the faces: %r" % status)
    if showing(app, description="Faces freshness"):
        raise AssertionError("fresh faces are called stale")

    # The folder changes while the panel is closed: one photo added, one removed.
    tt.click_close(app)
    tt.wait_closed(app, "before the folder changes")
    extra = sorted(os.listdir(os.path.join(ctx.shared, "data/lfw-dev38/Bill_Clinton")))[-1]
    shutil.copy(os.path.join(ctx.shared, "data/lfw-dev38/Bill_Clinton", extra), os.path.join(photos, "Bill_Clinton", "new-" + extra))
    os.remove(os.path.join(photos, "Jennifer_Aniston", sorted(os.listdir(os.path.join(photos, "Jennifer_Aniston")))[0]))
    keys_to("TribeLens")
    xdotool("key", "ctrl+t")
    at.wait_for(app.accessible, "the panel again", role="frame", name=tt.PANEL)
    stale = at.wait_for_text(app.accessible, "Faces freshness", lambda t: "Since then:" in (t or ""), "the stale note", 30)
    if "1 photo added" not in stale or "1 photo removed" not in stale:
        raise AssertionError("the stale note does not say what changed: %r" % stale)
    ctx.note("stale: %r" % stale)
    ctx.shot("training-stale-faces", "^" + tt.PANEL + "$")

    # Find Faces again clears it; then a run, and its results survive closing too.
    at.click(at.wait_for(app.accessible, "Find Faces", role="push button", name="Find Faces"))
    at.wait_for_text(app.accessible, "Photos status", lambda t: (t or "").startswith("Review the faces"), "faces found again", 90)
    deadline = time.monotonic() + 10
    while showing(app, description="Faces freshness") and time.monotonic() < deadline:
        time.sleep(0.2)
    if showing(app, description="Faces freshness"):
        raise AssertionError("the stale note stays after Find Faces")
    tt.start_training(app, 1)
    headline = at.wait_for(app.accessible, "the results", description="Test accuracy", timeout=180,
                           predicate=lambda n: n.name.startswith("Test accuracy")).name
    tt.click_close(app)  # an unsaved model no longer makes the panel ask: it is kept
    tt.wait_closed(app, "with an unsaved model")
    keys_to("TribeLens")
    xdotool("key", "ctrl+t")
    at.wait_for(app.accessible, "the panel again", role="frame", name=tt.PANEL)
    expect(at.wait_for(app.accessible, "the results again", description="Test accuracy").name, headline, "the results after reopening")
    expect(shown_page(app), "Results", "the page after reopening")
    save = at.wait_for(app.accessible, "Save Model", role="push button", name="Save Model")
    if not at.safe(lambda: save.getState().contains(pyatspi.STATE_SENSITIVE), False):
        raise AssertionError("the unsaved model cannot be saved after reopening")

    # A decision after the run makes its results stale.
    tt.page(app, "Review")
    second = tt.tile(app, "Crop ", "an undecided crop", predicate=lambda n: n.endswith(", trained on"))
    at.click(second)
    at.click(at.wait_for(app.accessible, "the popover's Reject", role="push button", name="Reject"))
    tt.page(app, "Results")
    stale = at.wait_for_text(app.accessible, "Results freshness", lambda t: "1 review decision changed" in (t or ""), "the results' stale note", 30)
    ctx.note("stale results: %r" % stale)
    ctx.shot("training-stale-results", "^" + tt.PANEL + "$")

    # Closing the main window with the model unsaved asks (the panel is closed first).
    tt.click_close(app)
    tt.wait_closed(app, "before closing the main window")
    keys_to("TribeLens")
    xdotool("key", "ctrl+w")
    question = at.wait_for(app.accessible, "the question", description="Question", timeout=30).name
    if "not been saved" not in question:
        raise AssertionError("closing the main window did not ask about the unsaved model: %r" % question)
    at.click(button(app, "Cancel", "the question's Cancel"))
    time.sleep(1)
    if not app.alive():
        raise AssertionError("the app quit although the user cancelled")
    at.wait_for(app.accessible, "the main window", role="frame", name="TribeLens")


def tiles_of(app, member):
    at.fresh(app.accessible)
    return [n for n in at.walk(app.accessible)
            if at.safe(n.getRoleName) == "push button" and re.match(r"(Crop|Photo) \d+ of " + re.escape(member) + ",", at.safe(lambda: n.name))]


def tile_names(app, member):
    """The shown tiles' names (read during the walk)."""
    at.fresh(app.accessible)
    names = [at.safe(lambda: n.name) for n in at.walk(app.accessible) if at.safe(n.getRoleName) == "push button"]
    return [n for n in names if re.match(r"(Crop|Photo) \d+ of " + re.escape(member) + ",", n)]


def wait_curation(env, accept, what, timeout=20):
    path = os.path.join(env["XDG_DATA_HOME"], "tribelens/curation.json")
    deadline = time.monotonic() + timeout
    decisions = {}
    while time.monotonic() < deadline:
        try:
            with open(path) as handle:
                decisions = json.load(handle).get("decisions", {})
        except (OSError, ValueError):
            decisions = {}
        if accept(decisions):
            return decisions
        time.sleep(0.2)
    raise AssertionError("curation.json never had %s: %r" % (what, decisions))


def count_in(description):
    return int(re.match(r"(\d+)", description).group(1))


def test_training_review_many(ctx):
    """Bill Clinton's crops: the filters show what they say; held group-photo crops say they are
    not trained on and are kept with one click; Reject All Flagged in one step, Undo (button)
    and Redo (Shift+Ctrl+Z); several tiles selected with Shift+Right and rejected with Delete,
    undone with Ctrl+Z; Ctrl+click adds a tile; Select Flagged, then Keep Selected."""
    m = rt.models(ctx)
    env = tt.review_env(ctx, m)
    app = tt.open_panel(ctx, m, "training-review-many", env=env)
    tt.find_faces(app, m)
    tt.page(app, "Review")
    members = at.wait_for(app.accessible, "the member list", role="list", name="Members")
    members.querySelection().selectChild(2)
    tt.tile(app, "Crop ", "Bill Clinton's crops", predicate=lambda n: " of Bill Clinton" in n)
    everything = tile_names(app, "Bill Clinton")
    summary = at.wait_for_text(app.accessible, "Member summary", lambda t: " will be trained on" in (t or ""), "the member's summary")
    ctx.note("Bill Clinton: %r" % summary)

    # Filters.
    for title, check in [("Flagged", lambda n: any(p in n for p in ("no face", "several faces", "unlike", "duplicate", "tiny", "held"))),
                         ("Not Trained On", lambda n: ("not trained on" in n) or n.endswith(", no face") or ", rejected" in n)]:
        toggle = button(app, title, "the %s filter" % title)
        count = count_in(at.safe(lambda: toggle.description))
        at.click(toggle)
        # Names are read once, while walking: the grid replaces its tiles (and their accessibles)
        # when the filter changes, so a node kept from an earlier walk may be gone.
        deadline = time.monotonic() + 10
        shown = tile_names(app, "Bill Clinton")
        while (len(shown) != count or not all(check(n) for n in shown)) and time.monotonic() < deadline:
            time.sleep(0.2)
            shown = tile_names(app, "Bill Clinton")
        expect(len(shown), count, "tiles under %s" % title)
        wrong = [n for n in shown if not check(n)]
        expect(wrong, [], "tiles %s should not show" % title)
    held = [n for n in tile_names(app, "Bill Clinton") if "held for review, not trained on unless kept" in n]
    if not held:
        raise AssertionError("no held group-photo crop of Bill Clinton says it is not trained on")
    ctx.shot("training-review-not-trained", "^" + tt.PANEL + "$")

    # One click keeps a held crop: it is then trained on.
    held_subject = held[0].split(",")[0]
    at.click(at.wait_for(app.accessible, "Keep " + held_subject, role="push button", name="Keep " + held_subject))
    tt.tile(app, held_subject, held_subject + " kept", 10, predicate=lambda n: n.endswith(", kept"))
    wait_curation(env, lambda d: [x["action"] for x in d.values()] == ["accept"], "the kept crop")
    # Ctrl+Z (the Keep button left the focus on the tile) takes it back.
    keys_to(tt.PANEL)
    xdotool("key", "ctrl+z")
    tt.tile(app, held_subject, held_subject + " held again", 10, predicate=lambda n: n.endswith("not trained on unless kept"))
    wait_curation(env, lambda d: d == {}, "no decision after Ctrl+Z")

    # Reject All Flagged: one step for every undecided flagged crop; Undo, then Redo by key.
    at.click(button(app, "All", "the All filter"))
    reject_all = at.wait_for(app.accessible, "Reject All Flagged", role="push button", name="Reject All Flagged")
    flagged = count_in(at.safe(lambda: reject_all.description).split(" ", 1)[1])
    at.click(reject_all)
    at.wait_for(app.accessible, "Bill Clinton's row", 10, predicate=lambda n: re.fullmatch(
        r"Bill Clinton — \d+ crops, \d+ flagged, %d rejected" % flagged, at.safe(lambda: n.name)) is not None)
    decisions = wait_curation(env, lambda d: len(d) == flagged, "%d rejections" % flagged)
    expect(sorted(set(x["action"] for x in decisions.values())), ["reject"], "the actions of Reject All Flagged")
    undo = at.wait_for(app.accessible, "Undo", role="push button", name="Undo")
    expect(at.safe(lambda: undo.description), "Undo: reject %d crops" % flagged if flagged != 1 else "Undo: reject 1 crop", "what Undo says")
    at.click(undo)
    wait_curation(env, lambda d: d == {}, "no decision after Undo")
    at.wait_for(app.accessible, "Bill Clinton's row with none rejected", 10, predicate=lambda n: re.fullmatch(
        r"Bill Clinton — \d+ crops, \d+ flagged, 0 rejected", at.safe(lambda: n.name)) is not None)
    first = [n for n in tile_names(app, "Bill Clinton") if n.startswith("Crop ")][0]
    at.click(tt.tile(app, first.split(",")[0], first))  # a popover, then Escape: the keyboard focus is on a tile
    at.wait_for(app.accessible, "the popover", 10, description="Crop heading")
    keys_to(tt.PANEL)
    xdotool("key", "Escape")
    time.sleep(0.3)
    xdotool("key", "ctrl+shift+z")
    wait_curation(env, lambda d: len(d) == flagged, "the rejections again after Redo")
    xdotool("key", "ctrl+z")
    wait_curation(env, lambda d: d == {}, "no decision after the second undo")

    # A selection by keyboard: the last crops (clean ones), Shift+Right twice, Delete.
    crops = [n for n in tile_names(app, "Bill Clinton") if n.startswith("Crop ")]
    last_three = [n.split(",")[0] for n in crops[-3:]]
    at.click(tt.tile(app, last_three[0], last_three[0]))
    at.wait_for(app.accessible, "the popover", 10, description="Crop heading")
    xdotool("key", "Escape")
    time.sleep(0.3)
    xdotool("key", "shift+Right")
    time.sleep(0.2)
    xdotool("key", "shift+Right")
    at.wait_for_text(app.accessible, "Selection", lambda t: t == "3 selected", "three selected", 10)
    ctx.shot("training-review-selection", "^" + tt.PANEL + "$")
    xdotool("key", "Delete")
    for subject in last_three:
        tt.tile(app, subject, subject + " rejected", 10, predicate=lambda n: n.endswith(", rejected"))
    wait_curation(env, lambda d: len(d) == 3, "three rejections from Delete")
    xdotool("key", "ctrl+z")
    wait_curation(env, lambda d: d == {}, "no decision after Ctrl+Z")

    # Ctrl+click adds a tile to the selection: the pointer goes to a tile found by its name, at
    # the place AT-SPI gives for it (window coordinates), so it must be scrolled into view.
    def extents(node):
        e = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        return e.x, e.y, e.width, e.height
    crops = [n for n in tiles_of(app, "Bill Clinton") if n.name.startswith("Crop ")]
    grid = at.wait_for(app.accessible, "the crop grid", name="Crops")
    vx, vy, vw, vh = extents(grid.parent)  # the scrolled window's viewport
    visible = [n for n in crops if (lambda e: e[2] > 0 and vy <= e[1] and e[1] + e[3] <= vy + vh)(extents(n))]
    if len(visible) < 2:
        raise AssertionError("fewer than two crop tiles in view: %r" % [extents(n) for n in crops])
    at.click(visible[0])
    at.wait_for(app.accessible, "the popover", 10, description="Crop heading")
    xdotool("key", "Escape")
    time.sleep(0.5)
    x, y, w, h = extents(visible[1])
    box = window_geometry("^" + tt.PANEL + "$")
    xdotool("mousemove", box[0] + x + w // 2, box[1] + y + h // 2)
    time.sleep(0.3)
    xdotool("keydown", "ctrl")
    xdotool("click", "1")
    xdotool("keyup", "ctrl")
    at.wait_for_text(app.accessible, "Selection", lambda t: t == "2 selected", "two selected after Ctrl+click", 10)
    if at.find(app.accessible, description="Crop heading") is not None:
        raise AssertionError("Ctrl+click opened the tile's popover instead of selecting it")
    keys_to(tt.PANEL)
    xdotool("key", "Escape")  # nothing to close: the selection stays

    # Select Flagged, then Keep Selected.
    at.click(at.wait_for(app.accessible, "Select Flagged", role="push button", name="Select Flagged"))
    at.wait_for_text(app.accessible, "Selection", lambda t: t == "%d selected" % flagged, "the flagged selected", 10)
    at.click(at.wait_for(app.accessible, "Keep Selected", role="push button", name="Keep Selected"))
    decisions = wait_curation(env, lambda d: len(d) == flagged, "%d keeps" % flagged)
    expect(sorted(set(x["action"] for x in decisions.values())), ["accept"], "the actions of Keep Selected")
    summary = at.wait_for_text(app.accessible, "Member summary", lambda t: "held for review" not in (t or ""), "no crop held any more", 10)
    ctx.note("after Keep Selected: %r (%d tiles in all)" % (summary, len(everything)))


TESTS = [test_training_roster_from_folders, test_training_panel_remembers, test_training_review_many]
