import FaceKit
import XCTest
@testable import TribeLens

/// The preview shrink against a naive per-block average, and cairo's byte order.
final class PreviewImageTests: XCTestCase {
    private func randomImage(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var state = seed
        let pixels = (0..<width * height * 3).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    func testShrinksByAveragingBlocks() {
        let image = randomImage(width: 9, height: 6, seed: 7)
        let preview = PreviewImage(image, maxSide: 3)  // factor 3
        XCTAssertEqual(preview.width, 3)
        XCTAssertEqual(preview.height, 2)
        for y in 0..<2 {
            for x in 0..<3 {
                for (channel, offset) in [(0, 2), (1, 1), (2, 0)] {  // R, G, B land at bytes 2, 1, 0
                    var sum = 0
                    for dy in 0..<3 { for dx in 0..<3 { sum += Int(image.pixels[((y * 3 + dy) * 9 + x * 3 + dx) * 3 + channel]) } }
                    XCTAssertEqual(Int(preview.bgrx[(y * 3 + x) * 4 + offset]), sum / 9, "pixel \(x),\(y) channel \(channel)")
                }
                XCTAssertEqual(preview.bgrx[(y * 3 + x) * 4 + 3], 255, "the unused byte is opaque")
            }
        }
    }

    func testSmallPhotosKeepTheirPixels() {
        let image = randomImage(width: 10, height: 5, seed: 3)
        let preview = PreviewImage(image)
        XCTAssertEqual(preview.width, 10)
        XCTAssertEqual(preview.height, 5)
        for index in 0..<50 {
            XCTAssertEqual(preview.bgrx[index * 4], image.pixels[index * 3 + 2])
            XCTAssertEqual(preview.bgrx[index * 4 + 1], image.pixels[index * 3 + 1])
            XCTAssertEqual(preview.bgrx[index * 4 + 2], image.pixels[index * 3])
        }
    }

    func testLongerSideNeverExceedsTheLimit() {
        for (width, height) in [(4000, 3000), (2049, 10), (10, 4097), (7, 5)] {
            let image = RGBImage(width: width, height: height, pixels: [UInt8](repeating: 128, count: width * height * 3))
            let limit = width == 7 ? 3 : 2048
            let preview = PreviewImage(image, maxSide: limit)
            XCTAssertLessThanOrEqual(max(preview.width, preview.height), limit, "\(width)x\(height)")
            XCTAssertGreaterThan(min(preview.width, preview.height), 0)
            XCTAssertEqual(preview.bgrx.count, preview.width * preview.height * 4)
        }
    }
}
