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
    /// Each face cut out and resized to 64x64 RGB the way the dataset pipeline crops training
    /// faces, back to back (12 kB a face): a model labels these, and a new model needs no decode.
    var crops: [UInt8] = []
    /// SHA-256 of the photo file: with a face's box, the key of the user's corrections.
    var contentHash: String?
}
