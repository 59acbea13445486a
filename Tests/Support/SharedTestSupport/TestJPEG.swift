import Foundation
import FaceKit

/// JPEG files the decoding tests make themselves: EXIF orientations written into a file, the
/// stored pixels that show a given upright picture under an orientation, and very large solid
/// grey JPEGs written without encoding a pixel (a 200 MP photo in milliseconds).
public enum TestJPEG {
    /// `jpeg` with an APP1 EXIF segment holding only the orientation tag (0x0112), right after SOI.
    public static func withOrientation(_ jpeg: Data, _ orientation: Int) -> Data {
        var tiff: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0]     // little-endian, IFD at 8
        tiff += [1, 0]                                              // one entry
        tiff += [0x12, 0x01, 3, 0, 1, 0, 0, 0, UInt8(orientation), 0, 0, 0]  // SHORT, count 1
        tiff += [0, 0, 0, 0]                                        // no next IFD
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        let app1: [UInt8] = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        let bytes = [UInt8](jpeg)
        return Data(bytes.prefix(2) + app1 + bytes.dropFirst(2))
    }

    /// The stored image that EXIF `orientation` turns into `upright` (orientations 5-8 swap the
    /// sides). Written from the EXIF definitions: stored pixel (x, y) is shown at (X, Y).
    public static func stored(for upright: RGBImage, orientation: Int) -> RGBImage {
        let swapped = orientation >= 5
        let w = swapped ? upright.height : upright.width, h = swapped ? upright.width : upright.height
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                let (X, Y): (Int, Int)
                switch orientation {
                case 2: (X, Y) = (w - 1 - x, y)            // mirrored
                case 3: (X, Y) = (w - 1 - x, h - 1 - y)    // rotated 180
                case 4: (X, Y) = (x, h - 1 - y)            // flipped
                case 5: (X, Y) = (y, x)                    // transposed
                case 6: (X, Y) = (h - 1 - y, x)            // rotated 90 clockwise
                case 7: (X, Y) = (h - 1 - y, w - 1 - x)    // transversed
                case 8: (X, Y) = (y, w - 1 - x)            // rotated 90 counter-clockwise
                default: (X, Y) = (x, y)
                }
                let from = (Y * upright.width + X) * 3, to = (y * w + x) * 3
                pixels[to] = upright.pixels[from]; pixels[to + 1] = upright.pixels[from + 1]; pixels[to + 2] = upright.pixels[from + 2]
            }
        }
        return RGBImage(width: w, height: h, pixels: pixels)
    }

    /// A baseline greyscale JPEG of mid grey (128): every 8x8 block is "DC difference 0, end of
    /// block", and with one-code Huffman tables that is two zero bits a block.
    public static func solidGrey(width: Int, height: Int) -> Data {
        var out: [UInt8] = [0xFF, 0xD8]
        func segment(_ marker: UInt8, _ body: [UInt8]) {
            let n = body.count + 2
            out += [0xFF, marker, UInt8(n >> 8), UInt8(n & 0xFF)] + body
        }
        segment(0xDB, [0x00] + [UInt8](repeating: 1, count: 64))                      // quantisation table 0
        segment(0xC0, [8, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF),
                       1, 1, 0x11, 0])                                               // one component, 1x1
        let oneCode: [UInt8] = [1] + [UInt8](repeating: 0, count: 15) + [0]            // symbol 0, code "0"
        segment(0xC4, [0x00] + oneCode)                                              // DC table 0
        segment(0xC4, [0x10] + oneCode)                                              // AC table 0: EOB
        segment(0xDA, [1, 1, 0x00, 0, 63, 0])
        let blocks = ((width + 7) / 8) * ((height + 7) / 8)
        out += [UInt8](repeating: 0, count: (blocks * 2 + 7) / 8)
        out += [0xFF, 0xD9]
        return Data(out)
    }
}
