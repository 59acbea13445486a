/// How a photo's faces become a model's input: the detector its dataset was built with and the
/// crops its backend takes. The app analyses photos with the active model's preparation, so the
/// window shows the boxes the model names, exactly as `tribelens-cli predict` finds them.
public struct FacePreparation: Sendable, Hashable {
    /// A `PredictionDetector` name ("haar-default", "yunet", "already-cropped", ...).
    public var detector: String
    public var input: InputSpec

    public init(detector: String, input: InputSpec) {
        self.detector = detector
        self.input = input
    }

    /// `yunetModel`: a YuNet file named by the user (`allowUnverified`: even with an unknown
    /// checksum); nil looks in the weights folders.
    public func makeDetector(yunetModel: String? = nil, allowUnverified: Bool = false) throws -> any FaceDetector {
        try PredictionDetector.make(named: detector, yunetModel: yunetModel, allowUnverified: allowUnverified,
                                    landmarks: input.kind == .aligned)
    }
}
