import Foundation
import KerasWeights
import NeuralKit
import XCTest
@testable import VGG16Transfer

/// VGG16 on NeuralKit against Keras 3 (values exported by Fixtures/generate_vgg16_parity.py),
/// with the weights travelling through a Keras-layout HDF5 file and `ImageNetWeights`.
final class VGG16ParityTests: XCTestCase {
    struct Fixture: Decodable {
        struct Block: Decodable { let shape: [Int]; let sampled: [Float]; let max_abs: Float }
        let classes: Int
        let stride: Int
        let blocks: [String: Block]
        let block5_pool_full: [Float]
        let probabilities: [Float]
    }

    static func fixtureURL(_ name: String) throws -> URL {
        try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
    }

    /// The script's weight formula: exact integer hashing, He-uniform range, float64 -> float32.
    static func formula(_ shape: [Int], layer: Int) -> [Float] {
        let fanIn = Double(shape.dropLast().reduce(1, *))
        let range = (6.0 / fanIn).squareRoot()
        return (0..<shape.reduce(1, *)).map { i in
            let u = Double((UInt64(i) &* 2_654_435_761 &+ UInt64(layer * 40503)) & 0xFFFF_FFFF) / 4_294_967_296.0
            return Float((2 * u - 1) * range)
        }
    }

    static func bias(_ n: Int) -> [Float] { (0..<n).map { Float(0.01 * Double($0 % 7)) } }

    static var inputs: Tensor {
        let n = 2
        let values = (0..<(n * 12288)).map { (i: Int) -> Float in
            let v: Int = i * 7 + (i / 192) * 13 + (i / 12288) * 91
            return Float(v % 256)
        }
        return try! Tensor(shape: [n, 64, 64, 3], scalars: values)
    }

    func testForwardMatchesKerasThroughAKerasWeightsFile() throws {
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: Self.fixtureURL("vgg16_parity.json")))
        // Keras 1 dataset names, as in the real notop file.
        let convs = VGG16Layout.convolutions
        let file = KerasWeightsFile(layers: VGG16Layout.layerNames.map { name in
            guard let (index, spec) = convs.enumerated().first(where: { $0.element.name == name }) else {
                return KerasLayerWeights(name: name, tensors: [])
            }
            return KerasLayerWeights(name: name, tensors: [
                KerasTensor(name: "\(name)_W_1:0", shape: spec.shapes[0], values: Self.formula(spec.shapes[0], layer: index)),
                KerasTensor(name: "\(name)_b_1:0", shape: spec.shapes[1], values: Self.bias(spec.shapes[1][0])),
            ])
        })
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vgg16-parity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let h5 = folder.appendingPathComponent("vgg16_formula_notop.h5")
        try KerasWeightsWriter.write(file, to: h5) { _, tensor in tensor }

        var model = try VGG16TransferBackend.network(classes: fixture.classes, seed: 1, frozen: 14)
        try ImageNetWeights.load(h5.path, into: &model)
        try model.setParameter("dense/kernel", Tensor(shape: [2048, 256], scalars: Self.formula([2048, 256], layer: 13)))
        try model.setParameter("dense/bias", Tensor(shape: [256], scalars: Self.bias(256)))
        try model.setParameter("dense_1/kernel", Tensor(shape: [256, fixture.classes], scalars: Self.formula([256, fixture.classes], layer: 14)))
        try model.setParameter("dense_1/bias", Tensor(shape: [fixture.classes], scalars: Self.bias(fixture.classes)))

        // Tolerance: 2e-4 of each block's largest activation (float32 sums over up to 4608 terms
        // per output, 13 layers deep, in a different order than TensorFlow's).
        for block in 1...5 {
            let name = "block\(block)_pool"
            let expected = try XCTUnwrap(fixture.blocks[name])
            let prefix = try model.prefix(try model.index(ofLayer: name) + 1)
            let y = try Predictor(model: prefix, batchSize: 2).predict(Self.inputs)
            XCTAssertEqual(y.shape, expected.shape)
            let sampled = stride(from: 0, to: y.count, by: fixture.stride).map { y.scalars[$0] }
            XCTAssertEqual(sampled.count, expected.sampled.count)
            let worst = zip(sampled, expected.sampled).map { abs($0 - $1) }.max() ?? 0
            print("VGG16 \(name): worst |NeuralKit - Keras| = \(worst) (max activation \(expected.max_abs))")
            XCTAssertLessThanOrEqual(worst, 2e-4 * expected.max_abs, name)
        }
        let p = try Predictor(model: model, batchSize: 2).predict(Self.inputs)
        let worstP = zip(p.scalars, fixture.probabilities).map { abs($0 - $1) }.max() ?? 1
        print("VGG16 probabilities: worst difference \(worstP)")
        XCTAssertLessThanOrEqual(worstP, 1e-5)
        XCTAssertNotEqual(p.scalars[0], p.scalars[fixture.classes], "the two inputs must give different outputs")
    }

    /// A file written by Keras 3's own legacy HDF5 writer (nested `sequential_1/...` dataset paths,
    /// empty float64 `weight_names` on layers without weights) reads back exactly.
    func testReadsAFileWrittenByKerasItself() throws {
        let file = try KerasWeightsFile.read(Self.fixtureURL("keras_legacy_tiny.h5"))
        let conv = try XCTUnwrap(file.layer("block1_conv1"))
        XCTAssertEqual(conv.tensors.map(\.shape), [[3, 3, 3, 2], [2]])
        XCTAssertEqual(conv.tensors[0].values, Self.formula([3, 3, 3, 2], layer: 10))
        XCTAssertEqual(conv.tensors[1].values, Self.bias(2))
        let dense = try XCTUnwrap(file.layer("dense_1"))
        XCTAssertEqual(dense.tensors[0].values, Self.formula([8, 3], layer: 11))
        XCTAssertEqual(file.layer("block1_pool")?.tensors.count, 0)
    }
}
