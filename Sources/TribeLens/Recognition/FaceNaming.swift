import FaceKit
import Foundation

/// What the recognition view says about a photo's faces, without GTK: each face's annotation
/// (the current model's label and the user's correction), what the face popover shows, and
/// recording a correction. `RecognitionController` draws it and forwards the clicks, so this
/// logic is unit-tested without a display.
@MainActor
final class FaceNaming {
    let state: RecognitionState
    let corrections: CorrectionBook

    /// A saved correction could not be written: the one-line reason (after `correct` returned).
    var onProblem: (String) -> Void = { _ in }

    /// What the face popover shows for one face.
    struct Details {
        let label: FaceLabel?
        let correction: FaceCorrection?
        let model: LoadedModelInfo?
        let script: MemberDirectory.Script
    }

    /// What became of a correction, for the message the window shows.
    enum Outcome: Equatable {
        /// Recorded (saving goes on in the background); the confirmation to show.
        case recorded(String)
        /// Not recorded; why.
        case refused(String)
    }

    /// What Undo on the correction's message puts back: the face's earlier correction (nil:
    /// none, the model's answer again), by photo content and box, so it works after the
    /// window moved on to another photo.
    struct Undo: Equatable {
        let photoHash: String
        let box: FaceBox
        let face: Int
        let previous: FaceCorrection?
    }

    /// The latest correction's undo; nil after it was undone, or before any correction.
    private(set) var lastUndo: Undo?

    init(state: RecognitionState, corrections: CorrectionBook) {
        self.state = state
        self.corrections = corrections
    }

    /// The current model's labels of `photo`'s faces; nil without a model, before it answered,
    /// or when they came from another model or for other boxes.
    func labels(of photo: Photo, _ analysis: PhotoAnalysis) -> [FaceLabel]? {
        let model = state.status.info
        return photo.labels.flatMap { $0.generation == model?.generation && $0.faces.count == analysis.faces.count ? $0.faces : nil }
    }

    /// One annotation per face of `photo`, in box order; none before it is analysed.
    func annotations(of photo: Photo) -> [FaceAnnotation] {
        guard case .analyzed(let analysis) = photo.state else { return [] }
        let model = state.status.info
        let labels = labels(of: photo, analysis)
        return analysis.faces.indices.map { index in
            FaceAnnotation(index: index, label: labels?[index],
                           correction: corrections.correction(photoHash: analysis.contentHash, box: analysis.faces[index]),
                           directory: model?.directory, script: state.script)
        }
    }

    /// The popover's contents for face `index` of `photo`; nil when there is no such face.
    func details(of photo: Photo, face index: Int) -> Details? {
        guard case .analyzed(let analysis) = photo.state, analysis.faces.indices.contains(index) else { return nil }
        return Details(label: labels(of: photo, analysis)?[index],
                       correction: corrections.correction(photoHash: analysis.contentHash, box: analysis.faces[index]),
                       model: state.status.info, script: state.script)
    }

    /// Records the user's `correction` of face `index` (nil: forget the earlier one) in the
    /// correction book, keyed by the photo's content and the box. nil: no such face, or the
    /// correction book could not be read (`onProblem` has then been told why).
    func correct(_ photo: Photo, face index: Int, as correction: FaceCorrection?) -> Outcome? {
        guard case .analyzed(let analysis) = photo.state, analysis.faces.indices.contains(index) else { return nil }
        guard let hash = analysis.contentHash else {
            return .refused(L10n.format(L10n.tr("%s: the file could not be read again, so the correction was not saved"), photo.fileName))
        }
        let box = analysis.faces[index]
        let previous = corrections.correction(photoHash: hash, box: box)
        let accepted = corrections.record(correction, photoHash: hash, box: box) { [weak self] problem in
            if let problem { self?.onProblem(problem) }
        }
        guard accepted else { return nil }
        lastUndo = Undo(photoHash: hash, box: box, face: index, previous: previous)
        let annotation = annotations(of: photo)[index]
        return .recorded(correction == nil ? L10n.format(L10n.tr("Face %d: your label was removed"), index + 1)
                         : L10n.format(L10n.tr("Face %d saved as “%s”; the next training run uses it"), index + 1, annotation.title))
    }

    /// Undoes the latest correction (`lastUndo`): the face's earlier label is recorded again.
    /// Returns the message to show; nil when there is nothing to undo (or the book could not be
    /// read: `onProblem` has been told).
    func undoLast() -> String? {
        guard let undo = lastUndo else { return nil }
        lastUndo = nil
        let accepted = corrections.record(undo.previous, photoHash: undo.photoHash, box: undo.box) { [weak self] problem in
            if let problem { self?.onProblem(problem) }
        }
        return accepted ? L10n.format(L10n.tr("Face %d: your correction was undone"), undo.face + 1) : nil
    }
}
