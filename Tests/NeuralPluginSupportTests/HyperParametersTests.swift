import BackendPluginKit
import Foundation
import XCTest
import NeuralPluginSupport

/// The hyper-parameter reader every NeuralKit plugin uses: defaults for missing keys, unknown
/// keys ignored, and a bad value named in the error, with the plugin's id in front.
final class HyperParametersTests: XCTestCase {
    func testMissingKeysGiveTheDefaultAndUnknownOnesAreIgnored() throws {
        let hp = try HyperParameters(json: #"{"momentum": 0.5, "weights": "/w.h5", "unknown_key": [1, {"a": null}]}"#, plugin: "p")
        XCTAssertEqual(try hp.number("momentum", default: 0.9, in: 0...1), 0.5)
        XCTAssertEqual(try hp.number("pool", default: 8, in: 1...64), 8)
        XCTAssertEqual(try hp.string("weights", default: "auto"), "/w.h5")
        XCTAssertEqual(try hp.string("preprocess", default: "auto"), "auto")
        XCTAssertEqual(try HyperParameters(json: "{}", plugin: "p").number("momentum", default: 0.9, in: 0...1), 0.9)
    }

    func testBadValuesAreInvalidArgumentsThatNameTheKey() throws {
        let hp = try HyperParameters(json: #"{"momentum": 2, "flag": true, "one": 1, "name": 3}"#, plugin: "p")
        XCTAssertThrowsError(try hp.number("momentum", default: 0.9, in: 0...1)) {
            guard case SwiftBackendError.invalidArgument(let message) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(message, "p: 'momentum' must be a number in 0.0...1.0")
        }
        // JSON's true is not the number 1, and 1 is not true.
        XCTAssertThrowsError(try hp.number("flag", default: 1, in: 0...1)) { XCTAssertTrue("\($0)".contains("'flag' must be a number"), "\($0)") }
        XCTAssertEqual(try hp.number("one", default: 0, in: 0...1), 1)
        XCTAssertThrowsError(try hp.string("name", default: "x")) { XCTAssertEqual("\($0)", "p: 'name' must be a string") }
    }

    func testTextThatIsNotAJSONObjectIsRefused() {
        for json in ["[1, 2]", "", "{\"a\": ", "3"] {
            XCTAssertThrowsError(try HyperParameters(json: json, plugin: "p")) {
                guard case SwiftBackendError.invalidArgument(let message) = $0 else { return XCTFail("\($0)") }
                XCTAssertEqual(message, "p: hyper-parameters are not a JSON object: \(json)")
            }
        }
    }
}
