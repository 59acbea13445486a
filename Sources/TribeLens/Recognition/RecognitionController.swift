import CGtk
import FaceKit
import Foundation

/// The "who is in this photo" part of a window: names on the face boxes, the face popover and
/// its corrections, the model button and Export. `MainWindow` hands it the shown photo; what
/// the faces are called, and recording corrections, is `FaceNaming`'s (GTK-free); this type
/// puts it into widgets.
@MainActor
final class RecognitionController {
    /// Put in the window where the bare canvas was: the canvas with the face targets over it,
    /// and the zoom pill.
    var photoView: Widget { zoom.view }
    let modelButton: ModelMenuButton
    let exportButton: Widget

    private let window: Widget
    private let canvas: PhotoCanvas
    private let targets: FaceTargets
    private let zoom: PhotoZoomController
    private let popover: FacePopover
    private let toast: Toast
    private let pipeline: PhotoPipeline
    private let naming: FaceNaming
    private var exportAction: OpaquePointer?
    private var undoAction: OpaquePointer?
    private var focused: Int?

    init(window: Widget, canvas: PhotoCanvas, toast: Toast, pipeline: PhotoPipeline, naming: FaceNaming) {
        self.window = window
        self.canvas = canvas
        self.toast = toast
        self.pipeline = pipeline
        self.naming = naming
        modelButton = ModelMenuButton(state: naming.state)
        targets = FaceTargets(canvas: canvas)
        zoom = PhotoZoomController(window: window, canvas: canvas, targets: targets)
        // Zoomed past the preview, the pipeline decodes more of the photo (the canvas gets it
        // through the window's refresh).
        zoom.onZoom = { [weak pipeline] id, scale in pipeline?.zoomed(photoID: id, pixelsPerPhotoPixel: scale) }
        popover = FacePopover(parent: targets.layer)
        exportButton = Gtk.iconButton("document-save-as-symbolic", name: L10n.tr("Export annotated photo"),
                                      action: "win.export-annotated")
        gtk_widget_set_tooltip_text(exportButton, L10n.tr("Export the photo with names as PNG (Ctrl+E)"))

        targets.onActivate = { [weak self] index in self?.openPopover(index) }
        targets.onFocus = { [weak self] index in
            self?.focused = index
            self?.show(self?.pipeline.session.current)
        }
        popover.onCorrect = { [weak self] index, correction in self?.correct(index, correction) }
        modelButton.onProblem = { [weak self] message in self?.toast.show(message) }
        naming.onProblem = { [weak self] message in self?.toast.show(message) }
        naming.state.observe { [weak self] in self?.show(self?.pipeline.session.current) }

        let action = g_simple_action_new("export-annotated", nil)!
        Signals.connectAction(action) { [weak self] in self?.export() }
        g_action_map_add_action(window.opaque, action)
        g_object_unref(UnsafeMutableRawPointer(action))
        exportAction = action
        // Ctrl+Z (PhotoNavigationKeys) and the correction message's Undo.
        let undo = g_simple_action_new("undo-correction", nil)!
        Signals.connectAction(undo) { [weak self] in self?.undo() }
        g_action_map_add_action(window.opaque, undo)
        g_object_unref(UnsafeMutableRawPointer(undo))
        undoAction = undo
        g_simple_action_set_enabled(undo, 0)
        if let application = gtk_window_get_application(window.cast()) {
            var accels: [UnsafePointer<CChar>?] = []
            let accel = strdup("<Control>e")
            accels = [UnsafePointer(accel), nil]
            accels.withUnsafeMutableBufferPointer {
                gtk_application_set_accels_for_action(application, "win.export-annotated", $0.baseAddress)
            }
            free(accel)
        }
    }

    /// Brings names, targets and Export up to date with `photo` (the shown one).
    func show(_ photo: Photo?) {
        guard let photo, case .analyzed(let analysis) = photo.state else {
            zoom.show(photoID: nil, width: 0, height: 0)
            targets.update(nil, annotations: [])
            canvas.setAnnotations([], highlighted: nil)
            g_simple_action_set_enabled(exportAction, 0)
            return
        }
        let annotations = naming.annotations(of: photo)
        zoom.show(photoID: photo.id, width: analysis.width, height: analysis.height)
        targets.update(analysis, annotations: annotations)
        canvas.setAnnotations(annotations, highlighted: focused)
        g_simple_action_set_enabled(exportAction, 1)
    }

    private func openPopover(_ index: Int) {
        guard let photo = pipeline.session.current, let details = naming.details(of: photo, face: index),
              let rectangle = targets.rectangle(of: index) else { return }
        popover.present(index: index, rectangle: rectangle, label: details.label, correction: details.correction,
                        model: details.model, script: details.script)
    }

    private func correct(_ index: Int, _ correction: FaceCorrection?) {
        guard let photo = pipeline.session.current else { return }
        // Back to the face, so the focus does not fall to the first widget that takes it (the
        // strip's first tile, which scrolled the strip back to its start).
        targets.focus(index)
        switch naming.correct(photo, face: index, as: correction) {
        case .recorded(let message):
            show(photo)
            g_simple_action_set_enabled(undoAction, 1)
            toast.show(message, seconds: 8, action: Toast.Action(label: L10n.tr("Undo")) { [weak self] in self?.undo() })
        case .refused(let message):
            toast.show(message)
        case nil:
            break
        }
    }

    /// Undo on a correction's message: the face's earlier label again.
    private func undo() {
        defer { g_simple_action_set_enabled(undoAction, naming.lastUndo == nil ? 0 : 1) }
        guard let message = naming.undoLast() else { return }
        show(pipeline.session.current)
        toast.show(message, seconds: 4)
    }

    private func export() {
        guard let photo = pipeline.session.current, case .analyzed(let analysis) = photo.state else { return }
        let annotations = naming.annotations(of: photo)
        let suggested = photo.url.deletingPathExtension().lastPathComponent + "-names.png"
        SaveDialog.present(title: L10n.tr("Export Annotated Photo"), suggestedName: suggested, parent: window) { [weak self] url in
            let request = AnnotatedPhotoExport.Request(photo: photo.url, faces: analysis.faces,
                                                       annotations: annotations, destination: url)
            AnnotatedPhotoExport.run(request) { result in
                switch result {
                case .success(let url):
                    guard let self else { return }
                    self.toast.show(L10n.format(L10n.tr("Exported %s"), url.lastPathComponent), seconds: 10,
                                    action: Toast.Action(label: L10n.tr("Show in Folder")) { [weak self] in
                                        guard let self else { return }
                                        ShowInFolder.show(url, parent: self.window)
                                    })
                case .failure(let error): self?.toast.show(L10n.format(L10n.tr("Export failed: %s"), error))
                }
            }
        }
    }
}
