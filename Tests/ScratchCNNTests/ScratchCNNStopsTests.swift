import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// NeuralKit's epoch and evaluation loops stop the way the plugin ABI says, through
/// NeuralPluginSupport's adapter and the host: a progress callback that says stop is a cancel, a
/// non-finite loss (here from NaN inputs) a divergence naming the batch.
final class ScratchCNNStopsTests: XCTestCase {
    func testStopsAreTheABIsCancelAndDivergence() throws {
        let backend = try PluginLoader.load(TestPlugins.url("ScratchCNN"))
        let samples = try SyntheticFaces.make(classes: 2, perClass: 4, seed: 2)
        let model = try backend.makeModel(ModelConfiguration(classCount: 2, inputScale: 1.0 / 255))
        var batches = 0
        XCTAssertThrowsError(try model.trainEpoch(on: samples, batchSize: 2, learningRate: 0.01, shuffleSeed: 1, progress: { _ in
            batches += 1
            return false
        })) { XCTAssertEqual(($0 as? BackendError)?.code, .cancelled, "\($0)") }
        XCTAssertEqual(batches, 1, "no batch after the one that was told to stop")
        XCTAssertThrowsError(try model.evaluate(on: samples, batchSize: 2, progress: { _ in false })) {
            XCTAssertEqual(($0 as? BackendError)?.code, .cancelled, "\($0)")
        }
        let broken = try backend.makeModel(ModelConfiguration(classCount: 2, inputScale: .nan))
        XCTAssertThrowsError(try broken.trainEpoch(on: samples, batchSize: 2, learningRate: 0.01, shuffleSeed: 1, progress: { _ in true })) {
            XCTAssertEqual(($0 as? BackendError)?.code, .diverged, "\($0)")
            XCTAssertTrue("\($0)".contains("loss is nan at batch 1 with learning rate 0.01"), "\($0)")
        }
    }
}
