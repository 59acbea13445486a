/// Which faces may be named as a member at all, by how sure the detector was that the box is a
/// face (issue 15: letters on a wall, boxed by Haar, were named a member at 97%). One rule for
/// the app and `tribelens-cli predict`, applied in `FacePredictor.labelFaces` before the joint
/// assignment, so a doubtful box takes no member's slot.
///
/// - A box with a detector score (YuNet's) is named only at `minimumScore` or above.
/// - A Haar box (no score: OpenCV's cascade gives no calibrated one; its stage weights and
///   neighbour counts are not probabilities and nothing here calibrates them) is named only
///   where the model itself is sure: its calibrated `ConfidenceThreshold`, or for a model saved
///   before that existed, `legacySureProbability`. Below that it stays unknown, with its
///   candidates.
/// - The whole photo as the face (`already-cropped`) is a face by the user's word; a detector
///   that gives no scores and is not Haar (the tests' fakes) is taken at its word too.
public struct DetectorConfidence: Sendable, Equatable {
    /// YuNet's own default threshold (`YuNetDetector`); a detector run lower is not trusted below it.
    public static let minimumScore = 0.9
    /// What the app showed as sure before models carried a calibrated confidence.
    public static let legacySureProbability = 0.8

    public var detector: String
    public var confidence: ConfidenceThreshold?

    public init(detector: String, confidence: ConfidenceThreshold?) {
        self.detector = detector
        self.confidence = confidence
    }

    /// Whether `box` may be named as a member the model gives `probability`.
    public func mayName(_ box: FaceBox, probability: Double) -> Bool {
        if detector == "already-cropped" || detector == "whole-image" { return true }
        if let score = box.score { return score >= Self.minimumScore }
        guard detector.hasPrefix("haar") else { return true }
        if let confidence { return confidence.isSure(probability) }
        return probability >= Self.legacySureProbability
    }
}
