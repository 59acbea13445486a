import FaceKit
import Foundation
import SafeFiles

/// The photo strip's thumbnails: made from a reduced decode (JPEG's DCT scaling gives a 12 MP
/// photo at 500x375 in a fraction of a full decode) and kept on disk by the photo's content hash
/// in `$XDG_CACHE_HOME/tribelens/thumbnails/`, so a folder opened again fills the strip without
/// decoding anything. No GTK: called off the GTK thread and unit-tested.
struct ThumbnailStore: Sendable {
    /// The longer side of a thumbnail (the strip's tiles are 88x66).
    static let maxSide = 128
    /// File format: this magic, width and height (UInt32, little-endian), then BGRX rows.
    static let magic = Array("TLTHUMB1".utf8)

    let folder: URL
    let loader: PhotoLoader

    init(folder: URL = AppPaths.cacheHome.appendingPathComponent("thumbnails", isDirectory: true), loader: PhotoLoader = PhotoLoader()) {
        self.folder = folder
        self.loader = loader
    }

    /// The thumbnail of `url` and its content hash: from the cache, else decoded and cached (a
    /// cache that cannot be written only costs the next open a decode).
    func thumbnail(for url: URL) throws -> (image: PreviewImage, contentHash: String) {
        let photo = try loader.open(url)
        let hash = ContentHash.sha256(photo.data)
        let file = cacheFile(hash)
        if let data = try? Data(contentsOf: file), let cached = Self.parse(data) { return (cached, hash) }
        let image = PreviewImage(try reducedDecode(photo), maxSide: Self.maxSide)
        try? AtomicFile.write(Self.encode(image), to: file, durable: false, createFolder: true)
        return (image, hash)
    }

    func cacheFile(_ hash: String) -> URL { folder.appendingPathComponent("\(hash)-\(Self.maxSide).thumb") }

    /// The photo at the largest reduction (1/2, 1/4, 1/8 a side) that still leaves `maxSide`
    /// pixels on its longer side (`PhotoLoader.decode(_:minimumLongSide:)`, within the process's
    /// photo memory).
    func reducedDecode(_ photo: EncodedPhoto) throws -> RGBImage {
        try loader.decode(photo, minimumLongSide: Self.maxSide).image
    }

    /// The reduction `reducedDecode` gets for a photo of this size (as PhotoLoader plans it).
    static func reduction(width: Int, height: Int) -> Int {
        let longest = max(width, height)
        return DecodeBudget.reductions.last { longest / $0 >= maxSide } ?? 1
    }

    static func encode(_ image: PreviewImage) -> Data {
        var data = Data(magic)
        for value in [image.width, image.height] {
            withUnsafeBytes(of: UInt32(value).littleEndian) { data.append(contentsOf: $0) }
        }
        data.append(contentsOf: image.bgrx)
        return data
    }

    /// nil for anything but a whole thumbnail of at most `maxSide` a side (a cut-short or
    /// foreign file is made again).
    static func parse(_ data: Data) -> PreviewImage? {
        let bytes = [UInt8](data)
        guard bytes.count >= magic.count + 8, Array(bytes[0..<magic.count]) == magic else { return nil }
        func word(_ at: Int) -> Int {
            (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) }
        }
        let width = word(magic.count), height = word(magic.count + 4)
        guard (1...maxSide).contains(width), (1...maxSide).contains(height),
              bytes.count == magic.count + 8 + width * height * 4 else { return nil }
        return PreviewImage(width: width, height: height, bgrx: Array(bytes[(magic.count + 8)...]))
    }
}
