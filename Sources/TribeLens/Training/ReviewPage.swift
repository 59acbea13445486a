import CGtk
import FaceKit

/// The panel's Review page: the health check on top, then each member's face crops, flagged
/// ones first, to reject or re-label before training.
@MainActor
final class ReviewPage {
    let widget: Widget
    private let model: TrainingPanelModel
    private let placeholder: Widget

    init(model: TrainingPanelModel) {
        self.model = model
        let box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 12)!
        Gtk.margins(box, 18)
        box.append(TrainingPage.heading(L10n.tr("Review")))
        placeholder = TrainingPage.explanation(L10n.tr("Find the faces in your photos first (Photos page)."))
        box.append(placeholder)
        widget = box
    }

    func refresh() {}
}
