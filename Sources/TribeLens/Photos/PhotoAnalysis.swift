import FaceKit

/// What analysing one photo found: its size and the faces in its pixel coordinates. Kept for
/// every open photo (small); the pixels to draw are in `PreviewCache`.
struct PhotoAnalysis: Sendable {
    let width: Int
    let height: Int
    let faces: [FaceBox]
    /// Seconds spent decoding and detecting, logged for tuning.
    let seconds: Double
    /// The detector's name, for the log.
    var detector = ""
}
