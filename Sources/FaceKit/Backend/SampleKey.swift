import Foundation

/// A 128-bit name for one training image that stays the same across runs while its pixels do:
/// the face source (which fixes the landmarks), the photo's content hash and box, the crop spec
/// and the augmentation variant
/// (0 = the plain crop). Plugins key their caches by it (plugin ABI 1.1 `fetch_keys`), so an
/// embedding is computed once per crop, not once per epoch.
public struct SampleKey: Sendable, Hashable {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Bump `cropVersion` when `FaceCrops` or `Augmentation` change what they produce.
    static let cropVersion = 1

    public init(source: String, crop: CropID, spec: InputSpec, variant: Int) {
        let text = "tribelens-sample-v\(SampleKey.cropVersion)|\(source)|\(crop)|\(spec.cacheKey)|\(variant)"
        self.init(digest: ContentHash.digest(Data(text.utf8)))
    }

    /// The first 16 bytes of a SHA-256 digest.
    init(digest: [UInt8]) {
        func word(_ start: Int) -> UInt64 { digest[start..<start + 8].reduce(0) { $0 << 8 | UInt64($1) } }
        self.init(high: word(0), low: word(8))
    }

    /// For images without a name: the digest of the pixels themselves.
    public init(pixels: UnsafeBufferPointer<UInt8>) {
        self.init(digest: ContentHash.digest(Data(buffer: pixels)))
    }
}
