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

    var fileName: String { url.lastPathComponent }

    /// What the face-count label says: "2 faces", "No faces", "Finding faces…", ...
    var faceCountText: String {
        switch state {
        case .waiting: return "Finding faces…"
        case .failed: return "Could not open this photo"
        case .analyzed(let analysis):
            switch analysis.faces.count {
            case 0: return "No faces"
            case 1: return "1 face"
            case let n: return "\(n) faces"
            }
        }
    }
}
