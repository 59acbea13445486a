import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// Weights that are finite but huge load fine, yet the network's numbers overflow to infinity
/// and NaN; the host refuses such answers where they leave the plugin, naming the backend, instead
/// of `predict --json` failing later with Foundation's "Unable to encode Double.nan" (issue 16).
final class OverflowingModelTests: XCTestCase {
    func testHugeFiniteWeightsGiveAnErrorNotNaNProbabilities() throws {
        let backend = try PluginLoader.load(TestPlugins.url("ScratchCNN"))
        let folder = try makeTemporaryDirectory("tribelens-overflow")
        defer { try? FileManager.default.removeItem(at: folder) }
        try backend.makeModel(ModelConfiguration(classCount: 3, seed: 1, inputScale: 1)).save(to: folder)

        // Every weight 3e38: a valid file of finite numbers.
        let weights = folder.appendingPathComponent("weights.safetensors")
        var data = try Data(contentsOf: weights)
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | (Int($1.element) << (8 * $1.offset)) }
        let huge = withUnsafeBytes(of: Float(3e38).bitPattern.littleEndian) { Array($0) }
        for offset in stride(from: 8 + headerLength, to: data.count, by: 4) {
            data.replaceSubrange(offset..<offset + 4, with: huge)
        }
        try data.write(to: weights)

        let model = try backend.loadModel(from: folder)
        let faces = try SyntheticFaces.make(classes: 1, perClass: 2, seed: 3)
        XCTAssertThrowsError(try model.predict(pixels: faces.pixels, count: 2)) { error in
            XCTAssertEqual((error as? BackendError)?.code, .diverged)
            XCTAssertTrue("\(error)".hasPrefix("scratch-cnn: the model gave NaN as the probability of image 1;"), "\(error)")
        }
        XCTAssertThrowsError(try model.predict(source: faces, batchSize: 2, similarities: false)) { error in
            XCTAssertEqual((error as? BackendError)?.code, .diverged, "\(error)")
        }
    }
}
