import CGtk
import FaceKit
import Foundation

/// The panel's first page: the photo folder (one subfolder per member), the roster, "Find
/// Faces" with its progress bar and Cancel, and the health check of what was found. When the
/// folders match no member of the roster, Find Faces stops and this page names them and
/// offers to make a roster from the folder names.
@MainActor
final class PhotoSourcePage {
    let widget: Widget
    private let model: TrainingPanelModel
    private let window: Widget
    private let cancelButton: Widget
    private let newRosterButton: Widget
    private let mismatchBox: Widget
    private let mismatchLabel: Widget
    private let findAnywayButton: Widget
    private let stale = TrainingPage.staleNote(description: "Faces freshness")
    private let folderEntry: Widget
    private let rosterList = ChoiceList(accessibleName: L10n.tr("Roster"))
    private var rosters: [(file: URL, roster: Roster)] = []
    private let findButton: Widget
    private let progressBar: Widget
    private let status: Widget
    private let summary: Widget
    private var settingEntry = false

    init(model: TrainingPanelModel, window: Widget) {
        self.model = model
        self.window = window
        let box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 12)!
        Gtk.margins(box, 18)

        box.append(TrainingPage.heading(L10n.tr("Photos")))
        box.append(TrainingPage.explanation(L10n.tr(
            "Choose a folder with one subfolder of photos per member, named after the member (romaji, Japanese or id). TribeLens only reads these photos; your review is kept separately.")))
        let folderRow = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6)!
        folderEntry = gtk_entry_new()
        gtk_widget_set_hexpand(folderEntry, 1)
        gtk_entry_set_placeholder_text(folderEntry.cast(), L10n.tr("Photo folder"))
        tl_accessible_set_label(folderEntry, L10n.tr("Photo folder"))
        folderRow.append(folderEntry)
        let browse = Gtk.button(L10n.tr("_Choose Folder…"))
        folderRow.append(browse)
        box.append(folderRow)

        box.append(TrainingPage.subheading(L10n.tr("Roster")))
        box.append(rosterList.widget)
        let rosterButtons = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6)!
        let rosterFile = gtk_button_new_with_label(L10n.tr("Roster File…"))!
        rosterButtons.append(rosterFile)
        newRosterButton = Gtk.button(L10n.tr("_New Roster from Folders…"))
        gtk_widget_set_tooltip_text(newRosterButton, L10n.tr("Make a roster with one member per folder of the photo folder"))
        rosterButtons.append(newRosterButton)
        box.append(rosterButtons)

        let actionRow = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12)!
        findButton = Gtk.button(L10n.tr("_Find Faces"))
        Gtk.addClasses(findButton, "suggested-action")
        actionRow.append(findButton)
        cancelButton = Gtk.button(L10n.tr("_Cancel"))
        gtk_widget_set_tooltip_text(cancelButton, L10n.tr("Stop finding faces; the photos done so far are remembered"))
        actionRow.append(cancelButton)
        progressBar = gtk_progress_bar_new()
        gtk_widget_set_hexpand(progressBar, 1)
        gtk_widget_set_valign(progressBar, GTK_ALIGN_CENTER)
        gtk_progress_bar_set_show_text(progressBar.opaque, 1)
        tl_accessible_set_description(progressBar, "Extraction progress")
        actionRow.append(progressBar)
        box.append(actionRow)
        status = Gtk.label("", classes: ["dim-label"], description: "Photos status")
        gtk_label_set_wrap(status.opaque, 1)
        gtk_label_set_xalign(status.opaque, 0)
        box.append(status)

        // Find Faces stopped on folders the roster does not know: which ones, and what to do.
        mismatchBox = gtk_box_new(GTK_ORIENTATION_VERTICAL, 8)!
        Gtk.addClasses(mismatchBox, "roster-mismatch")
        mismatchLabel = Gtk.label("", description: "Roster mismatch")
        gtk_label_set_wrap(mismatchLabel.opaque, 1)
        gtk_label_set_xalign(mismatchLabel.opaque, 0)
        gtk_label_set_selectable(mismatchLabel.opaque, 1)
        mismatchBox.append(mismatchLabel)
        let mismatchButtons = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6)!
        let makeRoster = Gtk.button(L10n.tr("_Make a Roster from the Folder Names…"), classes: ["suggested-action"])
        mismatchButtons.append(makeRoster)
        findAnywayButton = Gtk.button(L10n.tr("Find Faces _Without Them"))
        mismatchButtons.append(findAnywayButton)
        mismatchBox.append(mismatchButtons)
        Gtk.setVisible(mismatchBox, false)
        box.append(mismatchBox)
        box.append(stale)

        summary = Gtk.label("", description: "Health check")
        Gtk.addClasses(summary, "monospace")
        gtk_label_set_xalign(summary.opaque, 0)
        gtk_label_set_yalign(summary.opaque, 0)
        gtk_label_set_selectable(summary.opaque, 1)
        gtk_label_set_wrap(summary.opaque, 1)
        box.append(summary)

        widget = TrainingPage.scrolled(box)

        Signals.connect(folderEntry, "changed") { [weak self] in
            guard let self, !self.settingEntry else { return }
            let text = String(cString: gtk_editable_get_text(self.folderEntry.opaque)).trimmingCharacters(in: .whitespaces)
            self.model.photoRoot = text.isEmpty ? nil : URL(fileURLWithPath: (text as NSString).expandingTildeInPath, isDirectory: true)
            self.refresh()
        }
        Signals.connect(folderEntry, "activate") { [weak self] in self?.model.findFaces() }
        Signals.connect(browse, "clicked") { [weak self] in
            OpenDialog.present(.folder, parent: window) { urls in
                guard let self, let url = urls.first else { return }
                self.settingEntry = true
                gtk_editable_set_text(self.folderEntry.opaque, url.path)
                self.settingEntry = false
                self.model.photoRoot = url
                self.refresh()
            }
        }
        Signals.connect(rosterFile, "clicked") { [weak self] in
            OpenDialog.present(.file(title: L10n.tr("Choose a Roster File"), pattern: "*.json"), parent: window) { urls in
                guard let self, let url = urls.first else { return }
                do {
                    let roster = try RosterLoader.load(contentsOf: url)
                    self.rosters.removeAll { $0.file == url }
                    self.rosters.append((url, roster))
                    self.model.rosterReference = url.path
                } catch {
                    self.model.onMessage("\(error)")
                }
                self.refresh()
            }
        }
        rosterList.onSelect = { [weak self] index in
            guard let self, self.rosters.indices.contains(index) else { return }
            self.model.rosterReference = self.rosters[index].file.path
            self.refresh()
        }
        Signals.connect(findButton, "clicked") { [weak self] in self?.model.findFaces() }
        Signals.connect(cancelButton, "clicked") { [weak self] in self?.model.cancelFindFaces() }
        Signals.connect(findAnywayButton, "clicked") { [weak self] in self?.model.findFaces(allowUnmatched: true) }
        Signals.connect(makeRoster, "clicked") { [weak self] in self?.makeRoster() }
        Signals.connect(newRosterButton, "clicked") { [weak self] in self?.makeRoster() }

        rosters = RosterLoader.available(storage: model.worker.storage)
        // The remembered roster: one of the list, another file, or (gone) LDH again.
        let remembered = model.rosterReference
        if !rosters.contains(where: { $0.file.path == remembered || $0.roster.id == remembered }) {
            if remembered.contains("/"), let roster = try? RosterLoader.load(contentsOf: URL(fileURLWithPath: remembered)) {
                rosters.append((URL(fileURLWithPath: remembered), roster))
            } else if let ldh = rosters.first(where: { $0.roster.id == "ldh" }) ?? rosters.first {
                model.rosterReference = ldh.file.path
            }
        } else if let match = rosters.first(where: { $0.roster.id == remembered }) {
            model.rosterReference = match.file.path
        }
        if let root = model.photoRoot {
            settingEntry = true
            gtk_editable_set_text(folderEntry.opaque, root.path)
            settingEntry = false
        }
        refresh()
    }

    /// Opens the roster editor on the photo folder's sub-folders; once saved, the new roster is
    /// listed, chosen, and the faces are found with it.
    private func makeRoster() {
        guard let root = model.photoRoot, model.extractionProblem == nil else { return }
        model.worker.folderNames(photoRoot: root) { [weak self] folders in
            guard let self else { return }
            guard !folders.isEmpty else {
                self.model.onMessage(L10n.format(L10n.tr("%s has no sub-folders to name members after."), root.path))
                return
            }
            RosterEditor.present(parent: self.window, folders: folders, suggestedName: root.lastPathComponent,
                                 storage: self.model.worker.storage) { [weak self] file, roster in
                guard let self else { return }
                self.rosters = RosterLoader.available(storage: self.model.worker.storage)
                if !self.rosters.contains(where: { $0.file.path == file.path }) { self.rosters.append((file, roster)) }
                self.model.rosterReference = file.path
                self.model.onMessage(L10n.format(L10n.tr("Saved the roster “%s” (%s)."), RosterText.name(roster), file.lastPathComponent))
                self.refresh()
                self.model.findFaces()
            }
        }
    }

    func refresh() {
        rosterList.update(rosters.map { entry in
            ChoiceList.Choice(title: RosterText.name(entry.roster),
                              detail: L10n.format(L10n.tr("%d members in %d groups · %s"), entry.roster.members.count,
                                                  entry.roster.groups.count, entry.file.lastPathComponent))
        }, selected: rosters.firstIndex { $0.file.path == model.rosterReference })

        let problem = model.extractionProblem
        gtk_widget_set_sensitive(findButton, problem == nil && !model.isBusy ? 1 : 0)
        gtk_widget_set_sensitive(newRosterButton, problem == nil && !model.isBusy ? 1 : 0)
        var extracting = false
        if case .extracting = model.phase { extracting = true }
        Gtk.setVisible(cancelButton, extracting)
        gtk_widget_set_sensitive(cancelButton, extracting && !model.isCancellingExtraction ? 1 : 0)
        let mismatch = model.rosterMismatch
        switch model.phase {
        case .extracting(let done, let total):
            gtk_progress_bar_set_fraction(progressBar.opaque, total > 0 ? Double(done) / Double(total) : 0)
            let text = total > 0 ? L10n.format(L10n.tr("Finding faces: %d of %d photos"), done, total) : L10n.tr("Looking for photos…")
            gtk_progress_bar_set_text(progressBar.opaque, text)
            tl_accessible_set_label(progressBar, text)
            if total == 0 { gtk_progress_bar_pulse(progressBar.opaque) }
            gtk_label_set_text(status.opaque, model.isCancellingExtraction ? L10n.tr("Stopping after the photos in hand…") : "")
        default:
            let photos = model.analysis?.report.totals.photos ?? 0
            let done = model.analysis != nil
            gtk_progress_bar_set_fraction(progressBar.opaque, done && mismatch == nil ? 1 : 0)
            let text: String
            if mismatch != nil {
                text = L10n.tr("Stopped: the roster does not match the folders")
            } else if done {
                text = photos > 0 ? L10n.tr("Faces found") : L10n.tr("No photos found")
            } else {
                text = L10n.tr("Not started")
            }
            gtk_progress_bar_set_text(progressBar.opaque, text)
            tl_accessible_set_label(progressBar, text)  // what the bar says, for screen readers too
            let next = photos > 0 ? L10n.tr("Review the faces on the Review page, then train on the Train page.")
                                  : L10n.tr("No photos were found in the member folders.")
            gtk_label_set_text(status.opaque, problem ?? (mismatch != nil ? "" : (done ? next : "")))
        }
        if let mismatch {
            let roster = (try? model.loadRoster()).map(RosterText.name) ?? model.rosterReference
            gtk_label_set_text(mismatchLabel.opaque, RosterMismatchText.message(mismatch, rosterName: roster))
            Gtk.setVisible(findAnywayButton, !mismatch.isTotal)
        }
        Gtk.setVisible(mismatchBox, mismatch != nil && !extracting)
        gtk_label_set_text(stale.opaque, model.facesStaleText ?? "")
        Gtk.setVisible(stale, model.facesStaleText != nil && !extracting && mismatch == nil)
        // The last run's report, only while it is the one on screen: not during the next run,
        // nor under a stop that found nothing.
        if let analysis = model.analysis, !extracting, mismatch == nil {
            gtk_label_set_text(summary.opaque, analysis.report.text)
            Gtk.setVisible(summary, true)
        } else {
            Gtk.setVisible(summary, false)
        }
    }
}
