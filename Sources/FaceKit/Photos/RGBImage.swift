import CVision

/// An 8-bit RGB image with rows packed (stride `width * 3`): what every detector, crop and model
/// input in TribeLens works on.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height * 3,
                     "RGBImage: \(pixels.count) bytes do not make a \(width)x\(height) RGB image")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The pixel at (x, y) as (r, g, b).
    public subscript(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
        let i = (y * width + x) * 3
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// The part of the image inside `box`, clamped to the image (empty if they do not overlap).
    public func cropped(to box: FaceBox) -> RGBImage {
        let x0 = min(max(box.x, 0), width), y0 = min(max(box.y, 0), height)
        let x1 = min(max(box.x + box.width, x0), width), y1 = min(max(box.y + box.height, y0), height)
        let w = x1 - x0, h = y1 - y0
        var out = [UInt8](repeating: 0, count: w * h * 3)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for row in 0..<h {
                    let from = ((y0 + row) * width + x0) * 3
                    dst.baseAddress!.advanced(by: row * w * 3)
                        .update(from: src.baseAddress!.advanced(by: from), count: w * 3)
                }
            }
        }
        return RGBImage(width: w, height: h, pixels: out)
    }

    /// A resized copy (OpenCV: area averaging when shrinking, bilinear when enlarging).
    public func resized(width newWidth: Int, height newHeight: Int) throws -> RGBImage {
        guard width > 0, height > 0 else { throw VisionError("cannot resize an empty image") }
        return try VisionCall.image { out, err, len in
            pixels.withUnsafeBufferPointer {
                cvision_resize($0.baseAddress, Int32(width), Int32(height), Int32(newWidth),
                               Int32(newHeight), out, err, len)
            }
        }
    }

    /// Encodes the image to `url`; the extension (.png, .jpg) chooses the format.
    public func write(to url: URL) throws {
        try VisionCall.status { err, len in
            pixels.withUnsafeBufferPointer {
                cvision_write_file(url.path, $0.baseAddress, Int32(width), Int32(height), err, len)
            }
        }
    }
}

import struct Foundation.URL
