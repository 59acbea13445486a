import CVision
import Foundation

/// Turns a photo file into an upright `RGBImage`, or a `PhotoError` saying why not.
///
/// The header is read first, so a file whose header claims more than `maxPixels` (a decompression
/// bomb, or a 200 MP panorama) is refused before any pixel data is read.
public struct PhotoLoader: Sendable {
    public static let defaultMaxPixels = 100_000_000

    public let maxPixels: Int

    public init(maxPixels: Int = PhotoLoader.defaultMaxPixels) {
        self.maxPixels = maxPixels
    }

    /// The header alone: format, size and orientation.
    public func header(of url: URL) throws(PhotoError) -> ImageHeader {
        try ImageHeaderReader(url: url).read(url)
    }

    public func load(_ url: URL) throws(PhotoError) -> RGBImage {
        let header = try header(of: url)
        guard header.pixelCount <= maxPixels else {
            let mp = Double(header.pixelCount) / 1e6, limit = Double(maxPixels) / 1e6
            throw PhotoError(url, "too large: \(header.width)x\(header.height) is "
                             + "\(mp.formatted(1)) MP, over the \(limit.formatted(0)) MP limit")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw PhotoError(url, "cannot be read: \(error.localizedDescription)")
        }
        if let scan = header.jpegScanOffset, !Self.hasEndOfImage(data, after: scan) {
            throw PhotoError(url, "truncated JPEG (the file ends before the image data does)")
        }
        do {
            let image = try data.withUnsafeBytes { raw in
                try VisionCall.image { out, err, len in
                    cvision_decode_memory(raw.bindMemory(to: UInt8.self).baseAddress, raw.count,
                                          Int32(header.orientation), Int64(maxPixels), out, err, len)
                }
            }
            let upright = header.uprightSize
            guard image.width == upright.width, image.height == upright.height else {
                throw PhotoError(url, "corrupt image: decoded \(image.width)x\(image.height) but "
                                 + "the header says \(upright.width)x\(upright.height)")
            }
            return image
        } catch let error as PhotoError {
            throw error
        } catch {
            let reason = (error as? VisionError)?.description ?? "\(error)"
            throw PhotoError(url, "corrupt or truncated \(header.format.rawValue.uppercased()) data (\(reason))")
        }
    }

    /// Whether an EOI marker (FF D9) follows the first scan. Entropy-coded data stuffs every FF
    /// byte, so FF D9 after the scan start is a real marker, never image data.
    static func hasEndOfImage(_ data: Data, after scan: Int) -> Bool {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            let bytes = raw.bindMemory(to: UInt8.self)
            var i = bytes.count - 1
            while i > scan {
                if bytes[i] == 0xD9 && bytes[i - 1] == 0xFF { return true }
                i -= 1
            }
            return false
        }
    }
}

extension Double {
    func formatted(_ decimals: Int) -> String { String(format: "%.\(decimals)f", self) }
}
