import BackendABI

/// The images a backend takes (plugin ABI 1.1 `input_side`, `input_kind`): their side, and
/// whether a face is its detector box resized, or warped onto the five-landmark template that
/// face recognisers are trained on. ABI 1.0 plugins take `legacy`.
public struct InputSpec: Codable, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable {
        case boxCrop = "box-crop"
        case aligned = "aligned-5point"
    }

    public var side: Int
    public var kind: Kind

    public init(side: Int, kind: Kind) {
        self.side = side
        self.kind = kind
    }

    /// 64x64 box crops: the write-up's input and every ABI 1.0 plugin's.
    public static let legacy = InputSpec(side: ImageLayout.side, kind: .boxCrop)
    /// What SFace takes: 112x112, aligned on YuNet's landmarks.
    public static let aligned112 = InputSpec(side: 112, kind: .aligned)

    public static let maximumSide = Int(TL_IMAGE_MAX_SIDE)

    /// Bytes of one RGB image.
    public var bytes: Int { side * side * ImageLayout.channels }

    /// Names the crops in the face cache ("box-crop-64", "aligned-5point-112").
    public var cacheKey: String { "\(kind.rawValue)-\(side)" }

    public var description: String { "\(side)x\(side) \(kind == .boxCrop ? "box crops" : "aligned crops")" }

    /// From a plugin table's fields; nil when they make no sense (the loader refuses the plugin).
    init?(abiSide: UInt32, abiKind: UInt32) {
        let side = abiSide == 0 ? ImageLayout.side : Int(abiSide)
        guard (8...InputSpec.maximumSide).contains(side) else { return nil }
        switch abiKind {
        case UInt32(TL_INPUT_BOX_CROP.rawValue): kind = .boxCrop
        case UInt32(TL_INPUT_ALIGNED_5POINT.rawValue): kind = .aligned
        default: return nil
        }
        self.side = side
    }
}
