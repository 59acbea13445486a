import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// The host with a plugin built for ABI 1.0 (TestLinearBackend): no input kind and no
/// similarities in its table, so it gets 64x64 box crops and answers without similarities.
final class ABI10PluginTests: XCTestCase {
    func testAnABI10PluginStillLoadsAndTakes64x64BoxCrops() throws {
        let linear = try TestPlugins.linear()
        XCTAssertEqual(linear.info.abiMinor, 0)
        XCTAssertEqual(linear.info.input, .legacy)
        XCTAssertFalse(linear.info.givesSimilarities)
        let model = try linear.makeModel(ModelConfiguration(classCount: 2))
        let crops = try SyntheticFaces.make(classes: 2, perClass: 4, seed: 1)
        XCTAssertEqual(crops.imageBytes, 64 * 64 * 3)
        XCTAssertEqual(try model.evaluate(on: crops, batchSize: 4).samples, 8)
        // Aligned 112-px samples are refused before the plugin could read past their ends.
        let wrong = try InMemorySamples(pixels: [UInt8](repeating: 0, count: 2 * InputSpec.aligned112.bytes), labels: [0, 1],
                                        imageBytes: InputSpec.aligned112.bytes)
        XCTAssertThrowsError(try model.evaluate(on: wrong, batchSize: 2))
        XCTAssertNil(try model.predict(source: crops, batchSize: 3, similarities: true).similarities)
        XCTAssertEqual(try model.predict(source: crops, batchSize: 3, similarities: true).probabilities,
                       try model.predict(pixels: crops.pixels, count: crops.count))
    }
}
