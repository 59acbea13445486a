import CGtk
import FaceKit

/// One main window's training panel, and what it knows for the rest of the session: the
/// panel's state (`TrainingPanelModel`: faces found, review, the last run and its results)
/// outlives the panel's window, so closing and reopening the panel (Ctrl+T) shows them again,
/// with a note when they went stale. An unsaved model is asked about when the main window
/// closes, not when the panel does.
@MainActor
final class TrainingPanelHost {
    private let parent: Widget
    /// Made when the panel first opens.
    private var model: TrainingPanelModel?
    private var window: TrainingWindow?
    /// The page shown when the panel was closed, shown again when it reopens.
    private var page = "photos"

    init(parent: Widget) { self.parent = parent }

    /// Opens the panel, or brings it to the front.
    func present() {
        if window == nil {
            let model = self.model ?? TrainingPanelModel()
            self.model = model
            let panel = TrainingWindow(parent: parent, model: model, page: page)
            panel.onPageChange = { [weak self] name in self?.page = name }
            Signals.connect(panel.widget, "destroy") { [weak self] in self?.window = nil }
            window = panel
        }
        window?.present()
    }

    /// The main window is closing: asks first when a run or an unsaved model would be lost
    /// (opening the panel to ask). False when nothing needs asking (the panel, if open, is
    /// closed); true while it asks, and `then` runs once the user agreed.
    func closeWithParent(then: @escaping @MainActor () -> Void) -> Bool {
        if window == nil, let model, model.isTraining || model.hasUnsavedModel { present() }
        guard let window else { return false }
        return window.close(askingAboutUnsavedModel: true, then: then)
    }
}
