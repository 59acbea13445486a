import XCTest
@testable import NeuralKit

/// A weights file with a NaN or an infinity reads fine as safetensors; loading it into a network
/// must refuse it, naming the file and the tensor (issue 16: such a model failed only later, when
/// `predict --json` could not encode a NaN probability).
final class NonFiniteWeightsTests: XCTestCase {
    func testNaNAndInfinityAreRefusedWithFileAndTensor() throws {
        let model = try Architectures.scratchCNN(inputShape: [8, 8, 3], classes: 3, seed: 1)
        let signalling = Float(bitPattern: 0xFF80_0001)  // a NaN with a payload prints as "-snan(0x1)"
        for (bad, text) in [(Float.nan, "NaN"), (signalling, "NaN"), (.infinity, "infinity"), (-.infinity, "-infinity")] {
            var tensors = model.parameters
            var kernel = try XCTUnwrap(tensors["dense/kernel"])
            kernel.scalars[5] = bad
            tensors["dense/kernel"] = kernel
            // Through the file format too: safetensors carries the value unchanged.
            let decoded = try Safetensors.decode(try Safetensors.encode(tensors), source: "weights.safetensors")
            var other = try Architectures.scratchCNN(inputShape: [8, 8, 3], classes: 3, seed: 2)
            let before = other.parameters
            XCTAssertThrowsError(try other.loadWeights(decoded, source: "weights.safetensors")) { error in
                XCTAssertEqual("\(error)", "invalid weights file: weights.safetensors: tensor 'dense/kernel' holds \(text) "
                               + "at element 5; weights must be finite numbers")
            }
            XCTAssertEqual(other.parameters, before, "a refused file changes nothing")
        }
    }

    func testLargeFiniteWeightsStillLoad() throws {
        let model = try Architectures.scratchCNN(inputShape: [8, 8, 3], classes: 3, seed: 1)
        var tensors = model.parameters
        tensors["dense/bias"]!.scalars[0] = .greatestFiniteMagnitude
        tensors["dense/bias"]!.scalars[1] = -.leastNonzeroMagnitude
        var other = try Architectures.scratchCNN(inputShape: [8, 8, 3], classes: 3, seed: 2)
        XCTAssertNoThrow(try other.loadWeights(tensors))
    }
}
