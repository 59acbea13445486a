import CGtk
import FaceKit
import Foundation

/// The training panel: its own window (so photos stay in view while a model trains), with
/// four pages — Photos, Review, Train, Results — in a stack switched from the header bar.
/// Closing it while training asks first; the run then stops after its batch and nothing
/// half-trained is saved. The state it shows is `TrainingPanelHost`'s, kept when it closes.
@MainActor
final class TrainingWindow {
    let widget: Widget
    private let model: TrainingPanelModel
    private let stack: Widget
    private let toast = Toast()
    private let photos: PhotoSourcePage
    private let review: ReviewPage
    private let setup: TrainingSetupPage
    private let results: ResultsPage
    private var closeConfirmed = false
    private var lastPhase: TrainingPanelModel.Phase
    /// The Find Faces whose faces the panel last followed to Review.
    private var shownAnalysis: Int
    /// The shown page changed ("photos", "review", "train", "results").
    var onPageChange: (String) -> Void = { _ in }

    /// `model` may come from an earlier panel: its faces, review and results show at once, on
    /// `page`.
    init(parent: Widget, model: TrainingPanelModel, page: String = "photos") {
        self.model = model
        lastPhase = model.phase
        shownAnalysis = model.analysisCount
        widget = gtk_window_new()
        if let application = gtk_window_get_application(parent.cast()) {
            gtk_window_set_application(widget.cast(), application)
        }
        gtk_window_set_title(widget.cast(), L10n.tr("Train a Model — TribeLens"))
        gtk_window_set_default_size(widget.cast(), 1100, 760)
        gtk_window_set_transient_for(widget.cast(), parent.cast())

        photos = PhotoSourcePage(model: model, window: widget)
        review = ReviewPage(model: model)
        setup = TrainingSetupPage(model: model, window: widget)
        results = ResultsPage(model: model, window: widget)

        stack = gtk_stack_new()
        gtk_stack_set_transition_type(stack.opaque, GTK_STACK_TRANSITION_TYPE_CROSSFADE)
        for (child, name, title) in [(photos.widget, "photos", L10n.tr("Photos")), (review.widget, "review", L10n.tr("Review")),
                                     (setup.widget, "train", L10n.tr("Train")), (results.widget, "results", L10n.tr("Results"))] {
            _ = gtk_stack_add_titled(stack.opaque, child, name, title)
        }
        let header = gtk_header_bar_new()!
        let switcher = gtk_stack_switcher_new()!
        gtk_stack_switcher_set_stack(switcher.opaque, stack.opaque)
        gtk_header_bar_set_title_widget(header.opaque, switcher)
        gtk_window_set_titlebar(widget.cast(), header)

        // The message slides in above the pages and moves them down, rather than lying over
        // them: over the page it hid the accuracy headline and the Start button.
        let column = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0)!
        gtk_box_append(column.cast(), toast.widget)
        gtk_widget_set_vexpand(stack, 1)
        gtk_box_append(column.cast(), stack)
        gtk_window_set_child(widget.cast(), column)
        gtk_stack_set_visible_child_name(stack.opaque, page)
        Signals.connectNotify(stack, "notify::visible-child-name") { [weak self] in
            guard let self, let name = gtk_stack_get_visible_child_name(self.stack.opaque) else { return }
            self.onPageChange(String(cString: name))
        }
        // Back to the front (after working in the photo window or a file manager): the photo
        // folder may have changed.
        Signals.connectNotify(widget, "notify::is-active") { [weak self] in
            guard let self, gtk_window_is_active(self.widget.cast()) != 0 else { return }
            self.model.checkFreshness()
        }

        model.onChange = { [weak self] in self?.refresh() }
        model.onMessage = { [weak self] message in self?.toast.show(message) }
        Signals.connectBool(widget, "close-request") { [weak self] in self?.shouldStayOpen() ?? false }
        model.discoverPlugins()
        refresh()
    }

    func present() {
        gtk_window_present(widget.cast())
        model.checkFreshness()
    }

    private func refresh() {
        photos.refresh()
        review.refresh()
        setup.refresh()
        results.refresh()
        // Follow the work: to Review once faces are found, to Results when a run ends with a model.
        let phase = model.phase
        defer { lastPhase = phase }
        guard phase == .idle, lastPhase != .idle else { return }
        if case .extracting = lastPhase, model.analysisCount != shownAnalysis {
            shownAnalysis = model.analysisCount
            // Nothing to review when no photo was found: stay on Photos, which says so.
            guard (model.analysis?.report.totals.photos ?? 0) > 0 else { return }
            gtk_stack_set_visible_child_name(stack.opaque, "review")
        } else if lastPhase == .training || lastPhase == .stopping, model.outcome?.manifest != nil {
            gtk_stack_set_visible_child_name(stack.opaque, "results")
        }
    }

    /// Closes the panel, asking first when a run (or, with `askingAboutUnsavedModel`, because
    /// the main window closes and the session's state goes with it, an unsaved model) would be
    /// lost. Returns false when it closed at once; true while it asks, and then `then` runs once
    /// the user agreed and it has closed (the caller's own close waits for that).
    @discardableResult
    func close(askingAboutUnsavedModel: Bool = false, then: @escaping @MainActor () -> Void = {}) -> Bool {
        guard askBeforeClosing(unsavedModel: askingAboutUnsavedModel, then: then) else {
            closeNow()
            return false
        }
        present()
        return true
    }

    /// close-request: true keeps the window open (it asks, or waits for the run to stop). An
    /// unsaved model is kept for the session, so closing only the panel does not ask about it.
    private func shouldStayOpen() -> Bool {
        closeConfirmed ? false : askBeforeClosing(unsavedModel: false, then: {})
    }

    private func askBeforeClosing(unsavedModel: Bool, then: @escaping @MainActor () -> Void) -> Bool {
        if closeConfirmed { return false }
        if model.isTraining {
            ConfirmDialog.ask(parent: widget, heading: L10n.tr("Stop Training?"),
                              body: L10n.tr("The run stops after the current batch and nothing from it is saved. Your saved models stay as they are."),
                              cancel: L10n.tr("_Keep Training"), confirm: L10n.tr("_Stop and Close")) { [weak self] in
                self?.model.cancel { [weak self] in
                    self?.closeNow()
                    then()
                }
            }
            return true
        }
        if unsavedModel, model.hasUnsavedModel {
            ConfirmDialog.ask(parent: widget, heading: L10n.tr("Discard the Trained Model?"),
                              body: L10n.tr("It has not been saved. Save it on the Results page to use it later."),
                              cancel: L10n.tr("_Cancel"), confirm: L10n.tr("_Discard")) { [weak self] in
                self?.closeNow()
                then()
            }
            return true
        }
        return false
    }

    private func closeNow() {
        closeConfirmed = true
        gtk_window_close(widget.cast())
    }
}
