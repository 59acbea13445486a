import Foundation

/// A face crop's identity: the photo's content hash plus the box. It does not change when the
/// photo is renamed or moved, so curation decisions keyed by it survive both.
public struct CropID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var photoHash: String
    public var x: Int, y: Int, width: Int, height: Int

    public init(photoHash: String, box: FaceBox) {
        self.photoHash = photoHash
        x = box.x; y = box.y; width = box.width; height = box.height
    }

    /// "<sha256>:<x>,<y>,<w>x<h>", the key used in curation.json.
    public var description: String { "\(photoHash):\(x),\(y),\(width)x\(height)" }

    public init?(_ text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2 else { return nil }
        let numbers = parts[1].split(whereSeparator: { $0 == "," || $0 == "x" }).compactMap { Int($0) }
        guard numbers.count == 4 else { return nil }
        photoHash = String(parts[0]); x = numbers[0]; y = numbers[1]; width = numbers[2]; height = numbers[3]
    }

    public static func < (a: CropID, b: CropID) -> Bool { a.description < b.description }
}
