/// Parameter sets for OpenCV's Haar cascade.
public enum HaarPreset: String, Sendable, CaseIterable, Codable {
    /// The write-up's exact call: `detectMultiScale(img, scaleFactor=1.1, minNeighbors=1,
    /// minSize=(1,1))` on the full-size photo. High recall, many false hits, slow on big photos.
    case original
    /// Ours: see `parameters(for:)` and docs/detection.md for the measurements behind it.
    case `default`

    public struct Parameters: Sendable, Equatable {
        public var scaleFactor: Double
        public var minNeighbors: Int
        /// Smallest face side, in pixels of the working image.
        public var minSize: Int
        /// Factor (<= 1) the photo is shrunk by before detection.
        public var workScale: Double
    }

    /// Parameters for a photo of the given size.
    public func parameters(width: Int, height: Int) -> Parameters {
        switch self {
        case .original:
            return Parameters(scaleFactor: 1.1, minNeighbors: 1, minSize: 1, workScale: 1)
        case .default:
            // Faces smaller than ~4% of the shorter side are rarely the subject of a fan photo and
            // are where most false hits live; shrinking big photos to ~1280 px keeps 12 MP fast.
            let longest = max(width, height)
            let workScale = longest > Self.workLongestSide ? Double(Self.workLongestSide) / Double(longest) : 1
            let shorter = Double(min(width, height)) * workScale
            let minSize = max(Self.minFaceFloor, Int(shorter * Self.minFaceFraction))
            return Parameters(scaleFactor: 1.1, minNeighbors: Self.minNeighbors, minSize: minSize,
                              workScale: workScale)
        }
    }

    static let workLongestSide = 1280
    static let minNeighbors = 5
    static let minFaceFraction = 0.04
    static let minFaceFloor = 20
}
