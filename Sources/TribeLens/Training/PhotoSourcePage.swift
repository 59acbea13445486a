import CGtk
import FaceKit
import Foundation

/// The panel's first page: the photo folder (one subfolder per member), the roster, "Find
/// Faces" with its progress bar, and the health check of what was found.
@MainActor
final class PhotoSourcePage {
    let widget: Widget
    private let model: TrainingPanelModel
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
        let rosterFile = gtk_button_new_with_label(L10n.tr("Roster File…"))!
        gtk_widget_set_halign(rosterFile, GTK_ALIGN_START)
        box.append(rosterFile)

        let actionRow = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12)!
        findButton = Gtk.button(L10n.tr("_Find Faces"))
        Gtk.addClasses(findButton, "suggested-action")
        actionRow.append(findButton)
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

    func refresh() {
        rosterList.update(rosters.map { entry in
            ChoiceList.Choice(title: entry.roster.name,
                              detail: L10n.format(L10n.tr("%d members in %d groups · %s"), entry.roster.members.count,
                                                  entry.roster.groups.count, entry.file.lastPathComponent))
        }, selected: rosters.firstIndex { $0.file.path == model.rosterReference })

        let problem = model.extractionProblem
        gtk_widget_set_sensitive(findButton, problem == nil && !model.isBusy ? 1 : 0)
        switch model.phase {
        case .extracting(let done, let total):
            gtk_progress_bar_set_fraction(progressBar.opaque, total > 0 ? Double(done) / Double(total) : 0)
            gtk_progress_bar_set_text(progressBar.opaque, total > 0 ? L10n.format(L10n.tr("Finding faces: %d of %d photos"), done, total)
                                                                    : L10n.tr("Looking for photos…"))
            if total == 0 { gtk_progress_bar_pulse(progressBar.opaque) }
            gtk_label_set_text(status.opaque, "")
        default:
            let done = model.analysis != nil
            gtk_progress_bar_set_fraction(progressBar.opaque, done ? 1 : 0)
            gtk_progress_bar_set_text(progressBar.opaque, done ? L10n.tr("Faces found") : L10n.tr("Not started"))
            gtk_label_set_text(status.opaque, problem ?? (done ? L10n.tr("Review the faces on the Review page, then train on the Train page.") : ""))
        }
        if let analysis = model.analysis {
            gtk_label_set_text(summary.opaque, analysis.report.text)
        } else {
            gtk_label_set_text(summary.opaque, "")
        }
    }
}
