import FaceKit
import XCTest
@testable import TribeLens

final class PreviewCacheTests: XCTestCase {
    func testKeepsTheMostRecentlyUsed() {
        MainActor.assumeIsolated {
            let preview = PreviewImage(RGBImage(width: 1, height: 1, pixels: [1, 2, 3]))
            let cache = PreviewCache(capacity: 2)
            cache.insert(preview, for: 1)
            cache.insert(preview, for: 2)
            XCTAssertNotNil(cache[1])  // 1 is now more recent than 2
            cache.insert(preview, for: 3)
            XCTAssertNil(cache[2])
            XCTAssertNotNil(cache[1])
            XCTAssertNotNil(cache[3])
        }
    }
}
