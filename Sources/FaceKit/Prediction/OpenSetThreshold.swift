/// "Unknown" that means it: a face whose similarity to the member the classifier picks is below
/// `similarity` is nobody in the roster, however sure the softmax is (a softmax over members
/// always names one of them). Calibrated on the validation faces, so that about
/// `targetMemberRejection` of members' own faces would be turned away, never lower than
/// `floor`; stored in model.json.
public struct OpenSetThreshold: Codable, Sendable, Equatable {
    public var similarity: Double
    /// The share of validation faces below the threshold when it was set.
    public var validationRejection: Double
    public var validationFaces: Int
    public var targetMemberRejection: Double

    /// A similarity below which two SFace embeddings are rarely the same person (OpenCV's
    /// documented cosine threshold for SFace is 0.363 for face pairs; prototypes are averages,
    /// so members sit well above it).
    public static let floor = 0.30

    enum CodingKeys: String, CodingKey {
        case similarity
        case validationRejection = "validation_rejection", validationFaces = "validation_faces"
        case targetMemberRejection = "target_member_rejection"
    }

    public init(similarity: Double, validationRejection: Double, validationFaces: Int, targetMemberRejection: Double) {
        self.similarity = similarity
        self.validationRejection = validationRejection
        self.validationFaces = validationFaces
        self.targetMemberRejection = targetMemberRejection
    }

    /// From the similarities of validation faces to their own member (row-major faces x classes).
    public static func calibrate(similarities: [Float], labels: [Int], classes: Int,
                                 targetMemberRejection: Double = 0.02) -> OpenSetThreshold? {
        guard classes > 0, !labels.isEmpty, similarities.count == labels.count * classes else { return nil }
        let own = labels.enumerated().map { Double(similarities[$0.offset * classes + $0.element]) }.sorted()
        let index = Int((Double(own.count) * targetMemberRejection).rounded(.down))
        let threshold = max(floor, own[min(index, own.count - 1)] - 1e-6)
        let rejected = own.filter { $0 < threshold }.count
        return OpenSetThreshold(similarity: threshold, validationRejection: Double(rejected) / Double(own.count),
                                validationFaces: own.count, targetMemberRejection: targetMemberRejection)
    }
}
