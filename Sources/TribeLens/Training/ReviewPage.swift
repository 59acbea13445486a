import CGtk
import FaceKit

/// The panel's Review page: the health check on top, then each member's face crops, flagged
/// ones first, to reject, keep or re-label before training.
@MainActor
final class ReviewPage {
    let widget: Widget
    private let model: TrainingPanelModel
    private let placeholder: Widget
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
        box.append(summary.widget)
        hint = TrainingPage.explanation(L10n.tr("Click a crop, or press Enter on it, to reject it, keep it or give it another member. Decisions are saved at once and used by the next training run; your photos are never changed."))
        box.append(hint)
        box.append(grid.widget)
        widget = box
        grid.onDecide = { [weak model] crop, decision in model?.decide(decision, crop: crop) }
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
