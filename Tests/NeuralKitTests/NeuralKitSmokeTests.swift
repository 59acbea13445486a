import XCTest
@testable import NeuralKit

final class NeuralKitSmokeTests: XCTestCase {
    func testVersionIsSemantic() {
        XCTAssertEqual(NeuralKit.version.split(separator: ".").count, 3)
    }
}
