/// A face found in a photo: a box in the photo's upright pixel coordinates, the detector's
/// confidence where it gives one (YuNet does, Haar does not), and YuNet's five landmarks.
public struct FaceBox: Sendable, Codable, Hashable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int
    public var score: Double?
    /// Right eye, left eye, nose tip, right and left mouth corner as x, y pairs (10 values) in
    /// photo pixels; nil when the detector gives none (Haar).
    public var landmarks: [Float]?

    public init(x: Int, y: Int, width: Int, height: Int, score: Double? = nil, landmarks: [Float]? = nil) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.score = score
        self.landmarks = landmarks?.count == 10 ? landmarks : nil
    }

    public var area: Int { width * height }

    /// Intersection over union with another box (0 when they do not overlap).
    public func iou(_ other: FaceBox) -> Double {
        let ix = max(0, min(x + width, other.x + other.width) - max(x, other.x))
        let iy = max(0, min(y + height, other.y + other.height) - max(y, other.y))
        let inter = ix * iy
        let union = area + other.area - inter
        return union > 0 ? Double(inter) / Double(union) : 0
    }
}
