import Foundation

/// A 64-bit difference hash (dHash) of a picture: grey 9x8 thumbnail, one bit per horizontal
/// neighbour pair ("is the left pixel brighter?"). Re-encodes, resizes and small colour shifts
/// keep most bits, so a small Hamming distance marks a near-duplicate photo.
public struct PerceptualHash: Sendable, Codable, Hashable, CustomStringConvertible {
    public var bits: UInt64

    public init(bits: UInt64) { self.bits = bits }

    public init(of image: RGBImage) throws {
        let thumb = try image.resized(width: 9, height: 8)
        var grey = [Int](repeating: 0, count: 72)
        for i in 0..<72 {
            // Integer Rec.601 luma, enough for a comparison of neighbours.
            grey[i] = 299 * Int(thumb.pixels[i * 3]) + 587 * Int(thumb.pixels[i * 3 + 1]) + 114 * Int(thumb.pixels[i * 3 + 2])
        }
        var bits: UInt64 = 0
        for row in 0..<8 {
            for col in 0..<8 where grey[row * 9 + col] > grey[row * 9 + col + 1] {
                bits |= 1 << UInt64(row * 8 + col)
            }
        }
        self.bits = bits
    }

    public func distance(to other: PerceptualHash) -> Int { (bits ^ other.bits).nonzeroBitCount }

    public var description: String { String(format: "%016llx", bits) }
}
