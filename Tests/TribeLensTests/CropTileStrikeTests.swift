import XCTest
@testable import TribeLens

/// The rejected crop's stroke stays on the crop as drawn (issue 15: it ran past the tile).
final class CropTileStrikeTests: XCTestCase {
    func testTheStrokeRunsCornerToCornerInsideTheCropNotTheArea() {
        // A 64x64 crop in a 200x128 area is drawn 128x128 from x = 36.
        let line = CropTile.strike(width: 200, height: 128, imageWidth: 64, imageHeight: 64)
        XCTAssertEqual(line.x0, 36 + 6); XCTAssertEqual(line.y0, 128 - 6)
        XCTAssertEqual(line.x1, 36 + 128 - 6); XCTAssertEqual(line.y1, 6)
        // In a tall area the crop is centred vertically; the stroke follows it.
        let tall = CropTile.strike(width: 128, height: 180, imageWidth: 64, imageHeight: 64)
        XCTAssertEqual(tall.x0, 6); XCTAssertEqual(tall.x1, 122)
        XCTAssertEqual(tall.y0, 26 + 128 - 6); XCTAssertEqual(tall.y1, 26 + 6)
        // A tiny drawing keeps the stroke inside too.
        let tiny = CropTile.strike(width: 12, height: 12, imageWidth: 64, imageHeight: 64)
        XCTAssertEqual(tiny.x0, 3); XCTAssertEqual(tiny.x1, 9)
    }
}
