import FaceKit

/// A photo shrunk to screen size, in cairo's `CAIRO_FORMAT_RGB24` byte order (B, G, R, unused on
/// little-endian), made off the GTK thread so that showing a 12 MP photo costs one row copy.
struct PreviewImage: Sendable {
    let width: Int
    let height: Int
    /// Packed rows, `width * 4` bytes each.
    let bgrx: [UInt8]

    /// The longer side of the photo view's image (a screen's width).
    static let defaultMaxSide = 2048

    /// Pixels already shrunk (a cached thumbnail); `bgrx` holds `width * height * 4` bytes.
    init(width: Int, height: Int, bgrx: [UInt8]) {
        precondition(bgrx.count == width * height * 4, "a preview's bytes must fill its size")
        self.width = width
        self.height = height
        self.bgrx = bgrx
    }

    /// Shrinks by area averaging so that the longer side is at most `maxSide`; never enlarges.
    init(_ image: RGBImage, maxSide: Int = PreviewImage.defaultMaxSide) {
        let factor = max(1, (max(image.width, image.height) + maxSide - 1) / maxSide)
        let width = max(1, image.width / factor), height = max(1, image.height / factor)
        var out = [UInt8](repeating: 255, count: width * height * 4)
        let inStride = image.width * 3, count = factor * factor
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    for x in 0..<width {
                        var r = 0, g = 0, b = 0
                        for dy in 0..<factor {
                            var i = (y * factor + dy) * inStride + x * factor * 3
                            for _ in 0..<factor {
                                r += Int(src[i]); g += Int(src[i + 1]); b += Int(src[i + 2])
                                i += 3
                            }
                        }
                        let o = (y * width + x) * 4
                        dst[o] = UInt8(b / count); dst[o + 1] = UInt8(g / count); dst[o + 2] = UInt8(r / count)
                    }
                }
            }
        }
        self.width = width
        self.height = height
        self.bgrx = out
    }
}
