import FaceKit

/// The shown photo decoded at the size the zoomed view needs (`PhotoRefinement`), in cairo's
/// `CAIRO_FORMAT_RGB24` layout (B, G, R, unused; rows of `width * 4` bytes, the stride cairo
/// uses for that format). Unlike `PreviewImage`, whose bytes the canvas copies into a surface,
/// these bytes live in memory of their own that the canvas' cairo surface draws from in place
/// (`cairo_image_surface_create_for_data`): a 12 MP image is 48 MB once, and the GTK thread
/// copies nothing when it arrives. Made off the GTK thread and never written after `init`, so
/// it may be handed between threads; the canvas finishes its surface before letting go of it.
final class RefinedImage: @unchecked Sendable {
    let width: Int
    let height: Int
    /// `width * height * 4` bytes, freed with the image.
    let bytes: UnsafeMutableRawBufferPointer

    var stride: Int { width * 4 }

    /// `image`'s pixels, reordered (nothing is scaled).
    init(_ image: RGBImage) {
        width = image.width
        height = image.height
        let count = image.width * image.height
        bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: count * 4, alignment: 16)
        let out = bytes.bindMemory(to: UInt8.self)
        image.pixels.withUnsafeBufferPointer { src in
            for i in 0..<count {
                out[i * 4] = src[i * 3 + 2]; out[i * 4 + 1] = src[i * 3 + 1]; out[i * 4 + 2] = src[i * 3]
                out[i * 4 + 3] = 255
            }
        }
    }

    deinit { bytes.deallocate() }

    /// Pixel (x, y) as (r, g, b).
    func rgb(x: Int, y: Int) -> [UInt8] {
        let i = (y * width + x) * 4
        return [bytes[i + 2], bytes[i + 1], bytes[i]]
    }
}
