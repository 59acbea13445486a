import CGtk
import FaceKit
import Foundation

/// The "who is in this photo" part of a window: names on the face boxes, the face popover and
/// its corrections, the model button and Export. `MainWindow` hands it the shown photo; it
/// reads the model from `RecognitionState` and corrections from `CorrectionBook`.
@MainActor
final class RecognitionController {
    /// Put in the window where the bare canvas was: the canvas with the face targets over it.
    var photoView: Widget { targets.widget }
    let modelButton = ModelMenuButton()
    let exportButton: Widget

    private let window: Widget
    private let canvas: PhotoCanvas
    private let targets: FaceTargets
    private let popover: FacePopover
    private let toast: Toast
    private let pipeline: PhotoPipeline
    private let state = RecognitionState.shared
    private var exportAction: OpaquePointer?
    private var focused: Int?

    init(window: Widget, canvas: PhotoCanvas, toast: Toast, pipeline: PhotoPipeline) {
        self.window = window
        self.canvas = canvas
        self.toast = toast
        self.pipeline = pipeline
        targets = FaceTargets(canvas: canvas)
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
        state.observe { [weak self] in self?.show(self?.pipeline.session.current) }

        let action = g_simple_action_new("export-annotated", nil)!
        Signals.connectAction(action) { [weak self] in self?.export() }
        g_action_map_add_action(window.opaque, action)
        g_object_unref(UnsafeMutableRawPointer(action))
        exportAction = action
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
            targets.update(nil, annotations: [])
            canvas.setAnnotations([], highlighted: nil)
            g_simple_action_set_enabled(exportAction, 0)
            return
        }
        let annotations = self.annotations(photo, analysis)
        targets.update(analysis, annotations: annotations)
        canvas.setAnnotations(annotations, highlighted: focused)
        g_simple_action_set_enabled(exportAction, 1)
    }

    private func annotations(_ photo: Photo, _ analysis: PhotoAnalysis) -> [FaceAnnotation] {
        let model = state.status.info
        let labels = photo.labels.flatMap { $0.generation == model?.generation && $0.faces.count == analysis.faces.count ? $0.faces : nil }
        return analysis.faces.indices.map { index in
            FaceAnnotation(index: index, label: labels?[index],
                           correction: CorrectionBook.shared.correction(photoHash: analysis.contentHash, box: analysis.faces[index]),
                           directory: model?.directory, script: state.script)
        }
    }

    private func openPopover(_ index: Int) {
        guard let photo = pipeline.session.current, case .analyzed(let analysis) = photo.state,
              analysis.faces.indices.contains(index), let rectangle = targets.rectangle(of: index) else { return }
        let model = state.status.info
        let labels = photo.labels.flatMap { $0.generation == model?.generation && $0.faces.count == analysis.faces.count ? $0.faces : nil }
        popover.present(index: index, rectangle: rectangle, label: labels?[index],
                        correction: CorrectionBook.shared.correction(photoHash: analysis.contentHash, box: analysis.faces[index]),
                        model: model, script: state.script)
    }

    private func correct(_ index: Int, _ correction: FaceCorrection?) {
        guard let photo = pipeline.session.current, case .analyzed(let analysis) = photo.state,
              analysis.faces.indices.contains(index) else { return }
        guard let hash = analysis.contentHash else {
            toast.show(L10n.format(L10n.tr("%s: the file could not be read again, so the correction was not saved"), photo.fileName))
            return
        }
        let box = analysis.faces[index]
        let accepted = CorrectionBook.shared.record(correction, photoHash: hash, box: box) { [weak self] problem in
            if let problem { self?.toast.show(problem) }
        }
        guard accepted else { return }
        show(photo)
        let annotation = annotations(photo, analysis)[index]
        toast.show(correction == nil ? L10n.format(L10n.tr("Face %d: your label was removed"), index + 1)
                   : L10n.format(L10n.tr("Face %d saved as “%s”; the next training run uses it"), index + 1, annotation.title),
                   seconds: 4)
    }

    private func export() {
        guard let photo = pipeline.session.current, case .analyzed(let analysis) = photo.state else { return }
        let annotations = self.annotations(photo, analysis)
        let suggested = photo.url.deletingPathExtension().lastPathComponent + "-names.png"
        SaveDialog.present(title: L10n.tr("Export Annotated Photo"), suggestedName: suggested, parent: window) { [weak self] url in
            let request = AnnotatedPhotoExport.Request(photo: photo.url, faces: analysis.faces,
                                                       annotations: annotations, destination: url)
            AnnotatedPhotoExport.run(request) { result in
                switch result {
                case .success(let url): self?.toast.show(L10n.format(L10n.tr("Exported %s"), url.lastPathComponent), seconds: 4)
                case .failure(let error): self?.toast.show(L10n.format(L10n.tr("Export failed: %s"), error))
                }
            }
        }
    }
}
