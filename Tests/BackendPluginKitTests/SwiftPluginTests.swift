import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// A plugin written in Swift with BackendPluginKit (Plugins/TestSwiftBackend), loaded as a real
/// .so next to the C one: the path the ScratchCNN plugin takes.
final class SwiftPluginTests: XCTestCase {
    func testSwiftPluginLoadsTrainsSavesAndReloads() throws {
        let backend = try PluginLoader.load(TestPlugins.url("TestSwiftBackend"))
        let linear = try TestPlugins.linear()
        XCTAssertEqual(backend.info.id, "test-swift-nearest-mean")
        XCTAssertEqual(linear.info.id, "test-linear", "two plugins with the same entry symbol coexist")
        XCTAssertEqual(backend.info.defaultHyperParametersJSON, "{\"temperature\": 100}")

        let train = try SyntheticFaces.make(classes: 4, perClass: 10, seed: 1)
        let test = try SyntheticFaces.make(classes: 4, perClass: 10, seed: 2)
        let model = try backend.makeModel(ModelConfiguration(classCount: 4, inputScale: 1.0 / 255, hyperParametersJSON: "{\"temperature\": 0.5}"))
        var batches = 0
        let epoch = try model.trainEpoch(on: train, batchSize: 8, learningRate: 0.01, shuffleSeed: 3) { _ in batches += 1; return true }
        XCTAssertEqual(batches, 5)
        XCTAssertEqual(epoch.samples, 40)
        let metrics = try model.evaluate(on: test, batchSize: 16)
        XCTAssertGreaterThan(metrics.accuracy, 0.9, "4 classes: chance is 0.25")

        let root = try makeTemporaryDirectory("tribelens-swift-plugin")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = ModelStore(root: root)
        try store.save(name: "nm", manifest: sampleManifest(backend.info, classes: ["a", "b", "c", "d"]), model: model)
        let (_, loaded) = try store.load(name: "nm") { _ in backend }
        XCTAssertEqual(try loaded.predict(pixels: test.pixels, count: test.count), try model.predict(pixels: test.pixels, count: test.count))
    }

    func testSwiftErrorsBecomeStatusesAndMessages() throws {
        let backend = try PluginLoader.load(TestPlugins.url("TestSwiftBackend"))
        XCTAssertThrowsError(try backend.makeModel(ModelConfiguration(classCount: 3, hyperParametersJSON: "{\"temperature\": -1}"))) {
            XCTAssertEqual("\($0)", "nearest-mean: temperature must be positive")
        }
        let model = try backend.makeModel(ModelConfiguration(classCount: 2))
        var calls = 0
        XCTAssertThrowsError(try model.trainEpoch(on: try SyntheticFaces.make(classes: 2, perClass: 5, seed: 0), batchSize: 2,
                                                  learningRate: 0.1, shuffleSeed: 0) { _ in calls += 1; return false }) {
            XCTAssertEqual(($0 as? BackendError)?.code, .cancelled)
        }
        XCTAssertEqual(calls, 1)
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("NMEAN1\u{3}\0\0\0".utf8).write(to: dir.appendingPathComponent("means.bin"))
        XCTAssertThrowsError(try backend.loadModel(from: dir)) {
            XCTAssertTrue("\($0)".contains("truncated"), "\($0)")
            XCTAssertEqual(($0 as? BackendError)?.code, .format)
        }
    }
}
