import FaceKit
import Foundation

/// One photo the user opened, and how far the app has got with it.
struct Photo: Identifiable, Sendable {
    enum State: Sendable {
        case waiting
        case analyzed(PhotoAnalysis)
        case failed(String)
    }

    let id: Int
    let url: URL
    var state: State = .waiting
    /// The model's answers for the faces, once a model has labelled them.
    var labels: PhotoLabels?
    /// Goes up with every change to the photo (state, labels, a preview or thumbnail that came),
    /// so the strip redraws only the tiles that changed.
    var revision = 0

    var fileName: String { url.lastPathComponent }

    /// `faceCountText`, except that a photo still waiting after the user cancelled the analysis
    /// says so.
    func faceCountText(stopped: Bool) -> String {
        if stopped, case .waiting = state { return L10n.tr("Not analysed") }
        return faceCountText
    }

    /// What the face-count label says: "2 faces", "No faces", "Finding faces…", ...
    var faceCountText: String {
        switch state {
        case .waiting: return L10n.tr("Finding faces…")
        case .failed: return L10n.tr("Could not open this photo")
        case .analyzed(let analysis):
            let n = analysis.faces.count
            return n == 0 ? L10n.tr("No faces") : L10n.format(L10n.plural("%d face", "%d faces", n), n)
        }
    }
}
