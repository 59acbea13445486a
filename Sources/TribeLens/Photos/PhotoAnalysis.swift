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
    /// The detector and crops it was made with: the active model's, else the Preferences'
    /// detector and 64x64 box crops. A model with another preparation has the photo analysed again.
    var preparation: FacePreparation? = nil
    /// Each face as `preparation.input` asks (FaceKit's `FaceCrops`, as the dataset pipeline
    /// crops training faces), back to back: a model labels these without decoding the photo again.
    var crops: [UInt8] = []
    /// SHA-256 of the photo file: with a face's box, the key of the user's corrections.
    var contentHash: String?
}
