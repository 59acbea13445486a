/// "Unknown" that means it: a face whose similarity to the member the classifier picks is below
/// `similarity` is nobody in the roster, however sure the softmax is (a softmax over members
/// always names one of them). Calibrated on the validation faces and stored in model.json.
///
/// The validation faces give both sides: their similarity to their own member (genuine) and
/// the highest similarity to any other member (an impostor, as a stranger is to every member).
/// The threshold sits halfway between the highest impostor and the genuine quantile that would
/// turn away `targetMemberRejection` of the members; where the two overlap, at that quantile.
public struct OpenSetThreshold: Codable, Sendable, Equatable {
    public var similarity: Double
    /// The share of validation faces below the threshold when it was set.
    public var validationRejection: Double
    public var validationFaces: Int
    public var targetMemberRejection: Double
    /// The highest similarity of a validation face to a member it is not.
    public var highestImpostor: Double?

    /// A similarity below which two SFace embeddings are rarely the same person (OpenCV's
    /// documented cosine threshold for SFace is 0.363 for face pairs; prototypes are averages,
    /// so members sit well above it).
    public static let floor = 0.30

    enum CodingKeys: String, CodingKey {
        case similarity
        case validationRejection = "validation_rejection", validationFaces = "validation_faces"
        case targetMemberRejection = "target_member_rejection", highestImpostor = "highest_impostor"
    }

    public init(similarity: Double, validationRejection: Double, validationFaces: Int, targetMemberRejection: Double,
                highestImpostor: Double? = nil) {
        self.similarity = similarity
        self.validationRejection = validationRejection
        self.validationFaces = validationFaces
        self.targetMemberRejection = targetMemberRejection
        self.highestImpostor = highestImpostor
    }

    /// From the similarities of validation faces to every member (row-major faces x classes).
    public static func calibrate(similarities: [Float], labels: [Int], classes: Int,
                                 targetMemberRejection: Double = 0.02) -> OpenSetThreshold? {
        guard classes > 1, !labels.isEmpty, similarities.count == labels.count * classes,
              labels.allSatisfy({ (0..<classes).contains($0) }) else { return nil }
        let own = labels.enumerated().map { Double(similarities[$0.offset * classes + $0.element]) }.sorted()
        let impostor = labels.enumerated().map { face, label in
            (0..<classes).filter { $0 != label }.map { Double(similarities[face * classes + $0]) }.max()!
        }.max()!
        let index = Int((Double(own.count) * targetMemberRejection).rounded(.down))
        let genuine = own[min(index, own.count - 1)] - 1e-6
        let threshold = max(floor, impostor < genuine ? (impostor + genuine) / 2 : genuine)
        let rejected = own.filter { $0 < threshold }.count
        return OpenSetThreshold(similarity: threshold, validationRejection: Double(rejected) / Double(own.count),
                                validationFaces: own.count, targetMemberRejection: targetMemberRejection, highestImpostor: impostor)
    }
}
