import CGtk
import Foundation

/// One TribeLens window: header bar, the photo with its face boxes, the face count, drop
/// target and messages. It only shows state and forwards input: the photos, their analysis and
/// previews live in `PhotoPipeline`.
@MainActor
final class MainWindow {
    let widget: Widget
    private let header = PhotoHeaderBar()
    private let stack: Widget
    private let canvas = PhotoCanvas()
    private let errorPage = ErrorPage()
    private let badge = FaceCountBadge()
    private let toast = Toast()
    private let strip = PhotoStrip()
    private let analysisBar = AnalysisBar()
    /// Takes the shown photo (a failed one too) out of the window; the file stays.
    private let removeButton = Gtk.iconButton("list-remove-symbolic", name: L10n.tr("Remove from Window"), action: "win.remove-photo")
    private let dropTarget: PhotoDropTarget
    private let pipeline: PhotoPipeline
    private var session: PhotoSession { pipeline.session }
    private var actions: [String: OpaquePointer] = [:]
    private let recognition: RecognitionController
    private lazy var training = TrainingPanelHost(parent: widget)

    /// `state` (the model and name preference) and `corrections`: the app's, shared by its windows.
    init(application: UnsafeMutablePointer<GtkApplication>, analyzer: PhotoAnalyzer,
         state: RecognitionState, corrections: CorrectionBook) {
        pipeline = PhotoPipeline(analyzer: analyzer, recognition: state)
        widget = gtk_application_window_new(application)
        gtk_window_set_title(widget.cast(), "TribeLens")
        gtk_window_set_default_size(widget.cast(), 1000, 720)
        gtk_window_set_titlebar(widget.cast(), header.widget)
        recognition = RecognitionController(window: widget, canvas: canvas, toast: toast, pipeline: pipeline,
                                            naming: FaceNaming(state: state, corrections: corrections))
        gtk_header_bar_pack_end(header.widget.opaque, recognition.exportButton)
        gtk_header_bar_pack_end(header.widget.opaque, recognition.modelButton.widget)

        stack = gtk_stack_new()
        gtk_stack_set_transition_type(stack.opaque, GTK_STACK_TRANSITION_TYPE_CROSSFADE)
        gtk_stack_add_named(stack.opaque, EmptyPage().widget, "empty")
        gtk_stack_add_named(stack.opaque, recognition.photoView, "photo")
        gtk_stack_add_named(stack.opaque, errorPage.widget, "error")

        // The overlay is the drop zone: the whole window below the header bar.
        let overlay = gtk_overlay_new()!
        Gtk.addClasses(overlay, "photo-area")
        gtk_overlay_set_child(overlay.opaque, stack)
        let dropHint = Gtk.label(L10n.tr("Drop to find faces"), classes: ["osd", "drop-hint"])
        gtk_widget_set_halign(dropHint, GTK_ALIGN_CENTER)
        gtk_widget_set_valign(dropHint, GTK_ALIGN_END)  // below the empty page's own text
        gtk_widget_set_margin_bottom(dropHint, 72)
        gtk_widget_set_can_target(dropHint, 0)
        Gtk.setVisible(dropHint, false)
        let remove = removeButton
        Gtk.addClasses(remove, "osd", "circular", "remove-photo")
        gtk_widget_set_halign(remove, GTK_ALIGN_START)
        gtk_widget_set_valign(remove, GTK_ALIGN_END)
        Gtk.margins(remove, 12)
        for child in [badge.widget, toast.widget, dropHint, remove] { gtk_overlay_add_overlay(overlay.opaque, child) }
        // Photo area above, thumbnails below.
        let content = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0)!
        gtk_widget_set_vexpand(overlay, 1)
        gtk_box_append(content.cast(), overlay)
        gtk_box_append(content.cast(), analysisBar.widget)
        gtk_box_append(content.cast(), strip.widget)
        gtk_window_set_child(widget.cast(), content)

        dropTarget = PhotoDropTarget(on: overlay, highlight: overlay)
        dropTarget.onDrop = { [weak self] urls in self?.open(urls) }
        dropTarget.onHighlight = { on in Gtk.setVisible(dropHint, on) }
        strip.onSelect = { [weak self] index in self?.session.select(index) }
        analysisBar.onCancel = { [weak self] in self?.pipeline.cancelAnalysis() }
        installActions()
        // The training panel closes with its window, but asks first when a run would be lost.
        Signals.connectBool(widget, "close-request") { [weak self] in
            guard let self else { return false }
            return self.training.closeWithParent { [weak self] in
                // Asked and closed: close this window too, now from outside its close-request.
                MainLoop.post { [weak self] in self.map { gtk_window_close($0.widget.cast()) } }
            }
        }
        session.onChange = { [weak self] currentChanged in self?.scheduleRefresh(currentChanged: currentChanged) }
        pipeline.onProblem = { [weak self] message in self?.toast.show(message) }
        refresh(currentChanged: true)
    }

    func present() { gtk_window_present(widget.cast()) }

    /// Opens files and folders (folders are searched for photos); from drops, the Open dialog,
    /// the command line or a file manager.
    func open(_ urls: [URL]) { pipeline.open(urls) }

    /// Changes not yet shown: nil when none, else whether the shown photo changed.
    private var pendingRefresh: Bool?
    private var refreshTimer: UInt32 = 0

    /// A change of the shown photo is shown at the loop's next turn (after GTK's layout); other
    /// photos' changes (a folder streaming in: thumbnails and two analyses at once, hundreds a
    /// second) are gathered and shown at most ten times a second. The cairo renderer redraws
    /// every tile of the strip in each frame, and a frame per change kept the GTK thread from
    /// answering D-Bus (assistive technology) with a few hundred photos open.
    private func scheduleRefresh(currentChanged: Bool) {
        let waiting = pendingRefresh != nil
        pendingRefresh = (pendingRefresh ?? false) || currentChanged
        if currentChanged {
            MainLoop.post(afterLayout: true) { [weak self] in self?.flushRefresh() }
        } else if !waiting {
            refreshTimer = MainLoop.after(milliseconds: 100) { [weak self] in
                self?.refreshTimer = 0
                self?.flushRefresh()
            }
        }
    }

    private func flushRefresh() {
        guard let currentChanged = pendingRefresh else { return }
        pendingRefresh = nil
        MainLoop.cancel(refreshTimer)
        refreshTimer = 0
        refresh(currentChanged: currentChanged)
    }

    /// Brings the widgets up to date with the session; the photo area only when the shown
    /// photo (or its state) changed.
    private func refresh(currentChanged: Bool) {
        let photo = session.current
        header.update(fileName: photo?.fileName, index: session.currentIndex ?? 0, count: session.photos.count)
        strip.update(session.photos, current: session.currentIndex, stopped: pipeline.analysisStopped) { [pipeline] in
            pipeline.thumbnail(for: $0)
        }
        analysisBar.update(pipeline.progress)
        setEnabled("previous", session.canGoBack)
        setEnabled("next", session.canGoForward)
        setEnabled("first-photo", session.canGoBack)
        setEnabled("last-photo", session.canGoForward)
        setEnabled("remove-photo", photo != nil)
        Gtk.setVisible(removeButton, photo != nil)
        recognition.show(photo)
        guard currentChanged else { return }
        // A photo shown after the analysis was cancelled is analysed now.
        if pipeline.analysisStopped { MainLoop.post { [weak self] in self?.pipeline.analyzeNext() } }
        gtk_window_set_title(widget.cast(), photo.map { L10n.format(L10n.tr("%s — TribeLens"), $0.fileName) } ?? "TribeLens")
        guard let photo else {
            gtk_stack_set_visible_child_name(stack.opaque, "empty")
            badge.show(nil, busy: false)
            return
        }
        switch photo.state {
        case .waiting:
            canvas.show(photo.id, nil, preview: nil, description: L10n.format(L10n.tr("%s: finding faces"), photo.fileName))
            gtk_stack_set_visible_child_name(stack.opaque, "photo")
            badge.show(photo.faceCountText, busy: true)
        case .analyzed(let analysis):
            let preview = pipeline.preview(for: photo)
            let description = preview == nil ? L10n.format(L10n.tr("%s, %s, loading"), photo.fileName, photo.faceCountText)
                : "\(photo.fileName), \(photo.faceCountText)"
            canvas.show(photo.id, analysis, preview: preview, refined: pipeline.refined(for: photo), description: description)
            gtk_stack_set_visible_child_name(stack.opaque, "photo")
            badge.show(photo.faceCountText, busy: false)
        case .failed(let message):
            canvas.show(photo.id, nil, preview: nil, description: photo.fileName)
            errorPage.show(message)
            gtk_stack_set_visible_child_name(stack.opaque, "error")
            badge.show(photo.faceCountText, busy: false)
        }
    }

    // MARK: Actions (buttons and keyboard shortcuts both go through these)

    private func installActions() {
        addAction("open") { [weak self] in
            guard let self else { return }
            OpenDialog.present(.photos, parent: self.widget) { [weak self] urls in self?.open(urls) }
        }
        addAction("open-folder") { [weak self] in
            guard let self else { return }
            OpenDialog.present(.folder, parent: self.widget) { [weak self] urls in self?.open(urls) }
        }
        addAction("previous") { [weak self] in self?.session.goBack() }
        addAction("next") { [weak self] in self?.session.goForward() }
        // Home / End, and taking the shown photo out of the window (Delete; the file stays).
        addAction("first-photo") { [weak self] in self?.session.goFirst() }
        addAction("last-photo") { [weak self] in self?.session.goLast() }
        addAction("remove-photo") { [weak self] in
            guard let self, let index = self.session.currentIndex else { return }
            self.pipeline.remove(at: index)
        }
        PhotoNavigationKeys.attach(to: widget, [UInt32(GDK_KEY_Home): "win.first-photo", UInt32(GDK_KEY_KP_Home): "win.first-photo",
                                                UInt32(GDK_KEY_End): "win.last-photo", UInt32(GDK_KEY_KP_End): "win.last-photo",
                                                UInt32(GDK_KEY_Delete): "win.remove-photo", UInt32(GDK_KEY_KP_Delete): "win.remove-photo"],
                                     control: [UInt32(GDK_KEY_z): "win.undo-correction"])
        // Ctrl+T: one training panel per window, brought back to the front when open; what it
        // found and trained stays for the session when it closes.
        addAction("train") { [weak self] in self?.training.present() }
    }

    private func addAction(_ name: String, _ handler: @escaping @MainActor () -> Void) {
        let action = g_simple_action_new(name, nil)!
        Signals.connectAction(action, handler)
        g_action_map_add_action(widget.opaque, action)
        g_object_unref(UnsafeMutableRawPointer(action))  // the window's action map holds it
        actions[name] = action
    }

    private func setEnabled(_ name: String, _ enabled: Bool) {
        if let action = actions[name] { g_simple_action_set_enabled(action, enabled ? 1 : 0) }
    }
}
