import CNeuralKernels
import XCTest
@testable import NeuralKit

/// NeuralKit computes with denormals flushed to zero, as TensorFlow runs Keras' ops (measured with
/// tensorflow-cpu 2.21: `2e-38 * 0.25` gives 0 eagerly, in a graph and in a matmul), and leaves
/// the caller's float mode as it found it (issue 18: on an Intel Xeon every denormal operand cost
/// a microcode assist, and a scratch-CNN step took 2.5x as long).
final class DenormalFlushTests: XCTestCase {
    /// A product that would be denormal (1e-20 * 1e-19 = 1e-39 < 1.18e-38) comes out 0, as in Keras.
    func testDenseProductThatWouldBeDenormalIsZero() throws {
        var model = try Sequential(inputShape: [1], layers: [Dense(1, name: "dense")], seed: 1)
        try model.setParameter("dense/kernel", try Tensor(shape: [1, 1], scalars: [1e-20]))
        let y = try Predictor(model: model, batchSize: 2).predict(try Tensor(shape: [2, 1], scalars: [1e-19, 1]))
        XCTAssertEqual(y.scalars[0], 0, "a denormal result is kept: \(y.scalars[0])")
        XCTAssertEqual(y.scalars[1], 1e-20, accuracy: 1e-26, "a normal result is computed as before")
    }

    func testShardsFlushAndTheCallersModeIsRestored() {
        XCTAssertEqual(nk_flushing_denormals(), 0, "the test runner should start without flushing")
        for count in [1, 2, 3] {
            let seen = UnsafeMutablePointer<Int32>.allocate(capacity: count)
            defer { seen.deallocate() }
            Parallel.shards(count) { s in seen[s] = nk_flushing_denormals() }
            XCTAssertEqual((0..<count).map { seen[$0] }, Array(repeating: 1, count: count), "shards of \(count)")
            XCTAssertEqual(nk_flushing_denormals(), 0, "the calling thread's mode after shards of \(count)")
        }
        Parallel.chunks(200_000) { _ in XCTAssertEqual(nk_flushing_denormals(), 1) }
        XCTAssertEqual(nk_flushing_denormals(), 0, "after chunks")
        // Outside NeuralKit's calls denormals are still computed.
        let tiny = Float(2e-38)
        XCTAssertGreaterThan(opaque(tiny) * 0.25, 0)
    }

    /// Keeps the compiler from folding the product at compile time.
    @inline(never) private func opaque(_ x: Float) -> Float { x }
}
