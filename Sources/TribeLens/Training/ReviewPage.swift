import CGtk
import FaceKit

/// The panel's Review page: the health check on top, then each member's face crops, flagged
/// ones first, to reject, keep or re-label before training — one at a time or many at once,
/// with undo. Keys: Delete rejects the selection, K keeps it, Ctrl+Z undoes, Shift+Ctrl+Z redoes.
@MainActor
final class ReviewPage {
    let widget: Widget
    private let model: TrainingPanelModel
    private let placeholder: Widget
    private let stale: Widget
    private var shortcuts: PageShortcuts?
    private var shownHistory: CurationHistory?
    private let summary = CurationSummary()
    private let grid = CurationGrid()
    private let hint: Widget
    /// What the grid last showed, so the many refreshes of a training run cost nothing here.
    private var shownGeneration = -1
    private var shownRevision = -1

    init(model: TrainingPanelModel) {
        self.model = model
        let box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 12)!
        Gtk.margins(box, 18)
        box.append(TrainingPage.heading(L10n.tr("Review")))
        placeholder = TrainingPage.explanation(L10n.tr("Find the faces in your photos first (Photos page)."))
        tl_accessible_set_description(placeholder, "Review status")
        box.append(placeholder)
        stale = TrainingPage.staleNote(description: "Review freshness")
        box.append(stale)
        box.append(summary.widget)
        hint = TrainingPage.explanation(L10n.tr("Click a crop, or press Enter on it, to reject it, keep it or give it another member; Ctrl+click, Shift+click or Shift+arrow keys select several, and the choice then applies to all of them. Dimmed crops are not trained on. Decisions are saved at once and used by the next training run; your photos are never changed."))
        box.append(hint)
        box.append(grid.widget)
        widget = box
        grid.onDecide = { [weak model] crops, decision in model?.decide(decision, crops: crops) }
        grid.toolbar.onUndo = { [weak model] in model?.undo() }
        grid.toolbar.onRedo = { [weak model] in model?.redo() }
        let keys = PageShortcuts(on: box, prefix: "review")
        keys.add("undo", keys: ["<Control>z"]) { [weak model] in model?.undo() }
        keys.add("redo", keys: ["<Control><Shift>z", "<Control>y"]) { [weak model] in model?.redo() }
        keys.add("reject", keys: ["Delete"]) { [weak self] in self?.grid.decideSelected(.reject) }
        keys.add("keep", keys: ["k"]) { [weak self] in self?.grid.decideSelected(.accept) }
        shortcuts = keys
        refresh()
    }

    func refresh() {
        let directory = model.curationDirectory
        let script = RecognitionState.shared.script
        let ready = model.curation != nil
        let status: String?
        if model.analysis == nil {
            status = L10n.tr("Find the faces in your photos first (Photos page).")
        } else if let problem = model.curationProblem {
            status = problem
        } else if !ready {
            status = L10n.tr("Preparing the crops for review…")
        } else {
            status = nil
        }
        gtk_label_set_text(placeholder.opaque, status ?? "")
        Gtk.setVisible(placeholder, status != nil)
        gtk_label_set_text(stale.opaque, model.facesStaleText ?? "")
        Gtk.setVisible(stale, model.facesStaleText != nil)
        if shownHistory != model.history {
            shownHistory = model.history
            grid.toolbar.update(history: model.history, directory: directory, script: script)
        }
        Gtk.setVisible(summary.widget, model.analysis != nil)
        Gtk.setVisible(hint, ready)
        Gtk.setVisible(grid.widget, ready)

        guard model.curationGeneration != shownGeneration || model.curationRevision != shownRevision else { return }
        if let analysis = model.analysis { summary.show(analysis.report, directory: directory, script: script) }
        if let queue = model.curation {
            if model.curationGeneration != shownGeneration {
                grid.show(queue, crops: model.curationCrops, directory: directory, script: script)
            } else {
                grid.update(queue)
            }
        }
        shownGeneration = model.curationGeneration
        shownRevision = model.curationRevision
    }
}
