/// When a named face may be shown as sure (green): the lowest top probability at which the
/// validation faces answered at or above it were right at least `targetPrecision` of the time.
/// A softmax is not a probability of being right (a weak model says 97% for a wrong member), so
/// the box colour follows this, calibrated on the validation faces and stored in model.json.
public struct ConfidenceThreshold: Codable, Sendable, Equatable {
    /// nil: no probability was precise enough on the validation faces; nothing is sure.
    public var sureProbability: Double?
    public var targetPrecision: Double
    /// The precision of the validation faces at or above `sureProbability`.
    public var validationPrecision: Double?
    public var validationFaces: Int

    /// The precision a softmax model's names must have on the validation faces to be named at
    /// all (`ModelManifest.naming`); sure (green) asks 0.95.
    public static let namingPrecision = 0.8

    /// Fewer validation faces than this say nothing about precision.
    public static let minimumFaces = 10

    enum CodingKeys: String, CodingKey {
        case sureProbability = "sure_probability", targetPrecision = "target_precision"
        case validationPrecision = "validation_precision", validationFaces = "validation_faces"
    }

    public init(sureProbability: Double?, targetPrecision: Double, validationPrecision: Double?, validationFaces: Int) {
        self.sureProbability = sureProbability
        self.targetPrecision = targetPrecision
        self.validationPrecision = validationPrecision
        self.validationFaces = validationFaces
    }

    /// Whether a face named at `probability` is shown as sure.
    public func isSure(_ probability: Double) -> Bool { sureProbability.map { probability >= $0 } ?? false }

    /// From the validation faces' probabilities (row-major faces x classes) and true labels;
    /// nil when there are too few faces to say.
    public static func calibrate(probabilities: [Float], labels: [Int], classes: Int,
                                 targetPrecision: Double = 0.95) -> ConfidenceThreshold? {
        guard classes > 1, labels.count >= minimumFaces, probabilities.count == labels.count * classes else { return nil }
        let answers = labels.enumerated().map { face, label -> (probability: Double, right: Bool) in
            let row = probabilities[face * classes ..< (face + 1) * classes]
            let best = EvaluationReport.argmax(row) - row.startIndex
            return (Double(row[row.startIndex + best]), best == label)
        }.sorted { $0.probability > $1.probability }
        // Walk down from the most probable answer; keep the lowest probability whose answers at
        // or above it are precise enough (ties are taken together).
        var right = 0
        var chosen: (probability: Double, precision: Double)?
        for (i, answer) in answers.enumerated() {
            if answer.right { right += 1 }
            if i + 1 < answers.count, answers[i + 1].probability == answer.probability { continue }
            let precision = Double(right) / Double(i + 1)
            if precision >= targetPrecision { chosen = (answer.probability, precision) }
        }
        return ConfidenceThreshold(sureProbability: chosen?.probability, targetPrecision: targetPrecision,
                                   validationPrecision: chosen?.precision, validationFaces: answers.count)
    }
}
