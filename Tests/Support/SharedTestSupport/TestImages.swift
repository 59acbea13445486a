import FaceKit
import Foundation
import XCTest

/// Images the photo tests of several targets make: a gradient photo, a file created by its raw
/// (possibly non-UTF-8) name, a JPEG cut in the middle of its scan.
public enum TestImages {
    public static func gradient(width: Int, height: Int) -> RGBImage {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width { pixels += [UInt8(x * 255 / max(width - 1, 1)), UInt8(y * 255 / max(height - 1, 1)), 90] }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// Creates `folder/<bytes>` with `data`, by its raw name.
    public static func createRaw(_ folder: URL, _ name: [UInt8], _ data: Data) throws -> Int32 {
        let path = Array(folder.path.utf8) + [UInt8(ascii: "/")] + name
        let fd = (path.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer {
            open($0.baseAddress!, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        }
        guard fd >= 0 else { throw XCTSkip("this file system refuses names that are not UTF-8") }
        _ = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        return close(fd)
    }

    /// Half of the JPEG's scan data, then the end-of-image marker: libjpeg fills in grey and warns.
    public static func cutScan(of jpeg: URL, to damaged: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: jpeg))
        // The scan data starts after the start-of-scan segment (FF DA and its length).
        let sos = try XCTUnwrap((0..<bytes.count - 3).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xDA })
        let scan = sos + 2 + (Int(bytes[sos + 2]) << 8 | Int(bytes[sos + 3]))
        try Data(bytes.prefix(scan + (bytes.count - scan) / 2) + [0xFF, 0xD9]).write(to: damaged)
    }
}
