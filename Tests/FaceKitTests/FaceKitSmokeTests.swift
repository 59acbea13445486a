import XCTest
@testable import FaceKit
final class FaceKitSmokeTests: XCTestCase {
    func testAppID() { XCTAssertEqual(FaceKitInfo.appID, "io.github.tribelens.TribeLens") }
}
