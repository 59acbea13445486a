import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// A broken model.json is refused with the key path and the problem, never with Foundation's
/// debug description of a DecodingError (issue 16, found by Tests/Fuzz).
final class ModelFolderHostileTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws { root = try makeTemporaryDirectory("tribelens-hostile-models") }
    override func tearDown() { try? FileManager.default.removeItem(at: root) }

    private func message(editing edit: (inout [String: Any]) -> Void) throws -> String {
        let backend = try TestPlugins.linear()
        let store = ModelStore(root: root)
        try store.save(name: "m", manifest: sampleManifest(backend.info), model: try backend.makeModel(ModelConfiguration(classCount: 3)))
        let file = store.directory(of: "m").appendingPathComponent("model.json")
        var json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        edit(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: file)
        do {
            _ = try store.manifest(of: "m")
            return "loaded"
        } catch {
            return "\(error)".replacingOccurrences(of: file.path, with: "FILE")
        }
    }

    func testBrokenModelJSONNamesTheKey() throws {
        XCTAssertEqual(try message { $0["training"] = nil }, #"model "m": FILE is not a valid model.json (training: missing key "training")"#)
        XCTAssertEqual(try message { $0["classes"] = 3 }, "model \"m\": FILE is not a valid model.json (classes: expected a list)")
        XCTAssertEqual(try message { $0["history"] = [NSNull()] }, "model \"m\": FILE is not a valid model.json (history[0]: expected an object, found null)")
        let nested = try message { json in
            var training = json["training"] as! [String: Any]
            training["seed"] = "one"
            json["training"] = training
        }
        XCTAssertEqual(nested, "model \"m\": FILE is not a valid model.json (training.seed: expected an integer)")
    }

    func testNotJSONAtAll() throws {
        let backend = try TestPlugins.linear()
        let store = ModelStore(root: root)
        try store.save(name: "m", manifest: sampleManifest(backend.info), model: try backend.makeModel(ModelConfiguration(classCount: 3)))
        let file = store.directory(of: "m").appendingPathComponent("model.json")
        for bytes in [Data(), Data("{\"format\": 1,".utf8), Data([0xFF, 0xFE, 0x00])] {
            try bytes.write(to: file)
            XCTAssertThrowsError(try store.manifest(of: "m")) {
                XCTAssertEqual("\($0)", "model \"m\": \(file.path) is not a valid model.json (not valid JSON)")
            }
        }
    }
}
