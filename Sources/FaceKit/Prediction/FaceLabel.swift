/// The answer for one face: who, which groups, how sure, and the runners-up.
public struct FaceLabel: Codable, Sendable, Equatable {
    public struct Candidate: Codable, Sendable, Equatable {
        public var member: String
        public var probability: Double
    }

    /// nil means unknown.
    public var member: String?
    /// The member's groups; for an unknown face with a confident group answer, that group.
    public var groups: [String]
    /// The member's probability; for a group answer, the group's summed probability; for an
    /// unknown face, the best member's probability.
    public var probability: Double
    /// The most probable members, best first.
    public var top: [Candidate]
    /// Set when the member is uncertain but its group is not (summed member probabilities).
    public var group: String?
    /// How close the face is to the best member's training faces (models with an open-set
    /// threshold); below the model's threshold the face is unknown.
    public var similarity: Double?
    /// Whether the member may be shown as sure, by the model's calibrated `ConfidenceThreshold`;
    /// nil when the model has none (the app then goes by the probability).
    public var sure: Bool?
}

/// Turns class probabilities into `FaceLabel`s: threshold, group-level fallback, top-k, and
/// one-member-per-face within a photo.
public struct PredictionPolicy: Sendable, Equatable {
    /// Below this probability a member is not named.
    public var threshold: Double
    /// A group is named for an unknown face when its summed probability reaches this.
    public var groupThreshold: Double
    public var topCount: Int
    /// Distinct members within one photo (JointAssignment).
    public var jointAssignment: Bool
    /// Whether `FacePredictor` also applies the model's calibrated naming probability and the
    /// detector's confidence (`DetectorConfidence`); false when the user set the threshold
    /// themselves (`tribelens-cli predict --threshold`), which then alone decides.
    public var calibrated: Bool

    public init(threshold: Double = 0.5, groupThreshold: Double? = nil, topCount: Int = 3, jointAssignment: Bool = true,
                calibrated: Bool = true) {
        self.threshold = threshold
        self.groupThreshold = groupThreshold ?? threshold
        self.topCount = topCount
        self.jointAssignment = jointAssignment
        self.calibrated = calibrated
    }

    /// Labels all faces of one photo. `probabilities` is row-major `faces x classes.count`;
    /// `eligible` (same shape) is false where a face may not be named as that member.
    public func label(probabilities: [Float], classes: [String], memberGroups: [String: [String]],
                      eligible: [Bool]? = nil) -> [FaceLabel] {
        let c = classes.count
        guard c > 0 else { return [] }
        let faces = probabilities.count / c
        let chosen: [Int?]
        if jointAssignment {
            chosen = JointAssignment.assign(probabilities: probabilities, faces: faces, members: c,
                                            unknownProbability: threshold > 0 ? threshold : nil, eligible: eligible)
        } else {
            chosen = (0..<faces).map { f in
                let row = probabilities[f * c ..< (f + 1) * c]
                let best = EvaluationReport.argmax(row) - row.startIndex
                let allowed = eligible?[f * c + best] ?? true
                return allowed && Double(row[row.startIndex + best]) >= threshold ? best : nil
            }
        }
        return (0..<faces).map { f in
            let row = Array(probabilities[f * c ..< (f + 1) * c])
            let order = row.indices.sorted { row[$0] != row[$1] ? row[$0] > row[$1] : $0 < $1 }
            let top = order.prefix(topCount).map { Candidate(member: classes[$0], probability: Double(row[$0])) }
            if let k = chosen[f], Double(row[k]) >= threshold {
                return FaceLabel(member: classes[k], groups: memberGroups[classes[k]] ?? [],
                                 probability: Double(row[k]), top: top, group: nil)
            }
            var sums: [String: Double] = [:]
            for k in 0..<c {
                for g in memberGroups[classes[k]] ?? [] { sums[g, default: 0] += Double(row[k]) }
            }
            let best = sums.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }
            if let best, best.value >= groupThreshold {
                return FaceLabel(member: nil, groups: [best.key], probability: best.value, top: top, group: best.key)
            }
            return FaceLabel(member: nil, groups: [], probability: Double(row[order[0]]), top: top, group: nil)
        }
    }

    public typealias Candidate = FaceLabel.Candidate
}
