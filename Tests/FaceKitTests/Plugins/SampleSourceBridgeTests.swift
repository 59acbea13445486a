import BackendABI
import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// Records which indices a plugin fetches, and can fail on demand.
final class RecordingSource: SampleSource {
    let base: InMemorySamples
    var fetched: [UInt64] = []
    var failAtCall: Int?
    private var calls = 0

    init(_ base: InMemorySamples) { self.base = base }
    var count: Int { base.count }

    func fetch(indices: UnsafeBufferPointer<UInt64>, pixels: UnsafeMutablePointer<UInt8>, labels: UnsafeMutablePointer<Int32>) throws {
        calls += 1
        if calls == failAtCall { throw BackendError(.io, "photo 17 vanished") }
        fetched.append(contentsOf: indices)
        try base.fetch(indices: indices, pixels: pixels, labels: labels)
    }
}

final class SampleSourceBridgeTests: XCTestCase {
    func testPluginVisitsSamplesInTheHeadersShuffleOrder() throws {
        let data = try SyntheticFaces.make(classes: 3, perClass: 7, seed: 1)
        let source = RecordingSource(data)
        let model = try TestPlugins.linear().makeModel(ModelConfiguration(classCount: 3))
        var batches: [BatchProgress] = []
        let metrics = try model.trainEpoch(on: source, batchSize: 4, learningRate: 0.001, shuffleSeed: 99) {
            batches.append($0)
            return true
        }
        var expected = [UInt64](repeating: 0, count: 21)
        tl_shuffle_indices(&expected, 21, 99)
        XCTAssertEqual(source.fetched, expected)
        XCTAssertNotEqual(expected, Array(0..<21), "a shuffle that is the identity would test nothing")
        XCTAssertEqual(batches.map(\.batchesDone), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(batches.last?.batchesTotal, 6)
        XCTAssertEqual(metrics.samples, 21)
        XCTAssertEqual(batches.last?.runningLoss ?? .nan, metrics.loss, accuracy: 1e-12)
    }

    func testSourceErrorsArriveUnchanged() throws {
        let source = RecordingSource(try SyntheticFaces.make(classes: 2, perClass: 5, seed: 2))
        source.failAtCall = 2
        let model = try TestPlugins.linear().makeModel(ModelConfiguration(classCount: 2))
        XCTAssertThrowsError(try model.trainEpoch(on: source, batchSize: 3, learningRate: 0.01, shuffleSeed: 0) { _ in true }) {
            XCTAssertEqual($0 as? BackendError, BackendError(.io, "photo 17 vanished"))
        }
    }

    func testCancellingStopsBeforeTheNextBatch() throws {
        let source = RecordingSource(try SyntheticFaces.make(classes: 2, perClass: 10, seed: 3))
        let model = try TestPlugins.linear().makeModel(ModelConfiguration(classCount: 2))
        var calls = 0
        XCTAssertThrowsError(try model.trainEpoch(on: source, batchSize: 2, learningRate: 0.01, shuffleSeed: 0) { _ in
            calls += 1
            return calls < 2
        }) { XCTAssertEqual(($0 as? BackendError)?.code, .cancelled) }
        XCTAssertEqual(calls, 2)
        XCTAssertEqual(source.fetched.count, 4, "exactly two batches of 2 were fetched")
    }

    func testMismatchedBuffersAreRefused() throws {
        XCTAssertThrowsError(try InMemorySamples(pixels: [1, 2, 3], labels: [0]))
        let model = try TestPlugins.linear().makeModel(ModelConfiguration(classCount: 2))
        XCTAssertThrowsError(try model.predict(pixels: [0, 1], count: 1))
        XCTAssertThrowsError(try model.evaluate(on: try SyntheticFaces.make(classes: 2, perClass: 1, seed: 0), batchSize: 0))
        // A label outside the model's classes is a clear error from the plugin, not a crash.
        let bad = try InMemorySamples(pixels: [UInt8](repeating: 0, count: ImageLayout.bytes), labels: [5])
        XCTAssertThrowsError(try model.evaluate(on: bad, batchSize: 1)) {
            XCTAssertTrue("\($0)".contains("label out of range"), "\($0)")
        }
    }
}
