import FaceKit

/// A model's answers for the faces of one photo (same order as `PhotoAnalysis.faces`).
struct PhotoLabels: Sendable, Equatable {
    /// `LoadedModelInfo.generation` of the model that answered.
    let generation: Int
    let faces: [FaceLabel]
    /// Seconds the model took for this photo, for the log.
    let seconds: Double
}
