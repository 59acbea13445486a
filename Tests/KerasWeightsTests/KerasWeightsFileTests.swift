import Foundation
import XCTest
@testable import KerasWeights

final class KerasWeightsFileTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("keras-h5-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// A two-conv "VGG-like" file with distinct values everywhere, plus a pooling layer without weights.
    func smallModel() -> KerasWeightsFile {
        func tensor(_ name: String, _ shape: [Int], _ seed: Float) -> KerasTensor {
            KerasTensor(name: name, shape: shape, values: (0..<shape.reduce(1, *)).map { Float($0) * 0.5 + seed })
        }
        return KerasWeightsFile(layers: [
            KerasLayerWeights(name: "input_1", tensors: []),
            KerasLayerWeights(name: "block1_conv1", tensors: [tensor("kernel", [3, 3, 3, 4], 1), tensor("bias", [4], -1)]),
            KerasLayerWeights(name: "block1_conv2", tensors: [tensor("kernel", [3, 3, 4, 4], 2), tensor("bias", [4], -2)]),
            KerasLayerWeights(name: "block1_pool", tensors: []),
        ])
    }

    let spec = [KerasLayerSpec.conv("block1_conv1", kernel: 3, in: 3, out: 4),
                KerasLayerSpec.conv("block1_conv2", kernel: 3, in: 4, out: 4)]

    func testRoundTripWithNestedAndFlatDatasetNames() throws {
        let model = smallModel()
        // Keras 2 style "layer/kernel:0" and Keras 1 style "layer_W_1:0" (as in the VGG16 notop file).
        let styles: [(String, String) -> String] = [
            { layer, tensor in "\(layer)/\(tensor):0" },
            { layer, tensor in "\(layer)_\(tensor == "kernel" ? "W" : "b")_1:0" },
        ]
        for (i, style) in styles.enumerated() {
            let url = folder.appendingPathComponent("model\(i).h5")
            try KerasWeightsWriter.write(model, to: url, weightPath: style)
            let read = try KerasWeightsFile.read(url)
            XCTAssertEqual(read.layers.map(\.name), model.layers.map(\.name))
            for (a, b) in zip(read.layers, model.layers) {
                XCTAssertEqual(a.tensors.map(\.shape), b.tensors.map(\.shape))
                XCTAssertEqual(a.tensors.map(\.values), b.tensors.map(\.values))
            }
            XCTAssertEqual(try read.checked(against: spec, file: "model.h5")["block1_conv2"]?[1].values, [-2, -1.5, -1, -0.5])
        }
    }

    func testWrongShapeAndMissingLayerAreNamed() throws {
        let url = folder.appendingPathComponent("m.h5")
        try KerasWeightsWriter.write(smallModel(), to: url)
        let file = try KerasWeightsFile.read(url)
        let wrong = [KerasLayerSpec.conv("block1_conv1", kernel: 3, in: 3, out: 64)]
        XCTAssertThrowsError(try file.checked(against: wrong, file: "m.h5")) {
            XCTAssertEqual("\($0)", "m.h5: block1_conv1/kernel:0 has shape [3, 3, 3, 4], expected [3, 3, 3, 64]")
        }
        XCTAssertThrowsError(try file.checked(against: spec + [.conv("block2_conv1", kernel: 3, in: 4, out: 8)], file: "m.h5")) {
            XCTAssertEqual("\($0)", "m.h5: layer 'block2_conv1' is missing (found: block1_conv1, block1_conv2)")
        }
    }

    func testNonFiniteWeightIsRefusedByName() throws {
        let clean = smallModel()
        var values = clean.layers[2].tensors[0].values
        values[7] = .nan
        let poisoned = KerasLayerWeights(name: "block1_conv2", tensors: [KerasTensor(name: "kernel", shape: [3, 3, 4, 4], values: values),
                                                                        clean.layers[2].tensors[1]])
        let model = KerasWeightsFile(layers: [clean.layers[0], clean.layers[1], poisoned, clean.layers[3]])
        let url = folder.appendingPathComponent("nan.h5")
        try KerasWeightsWriter.write(model, to: url)
        XCTAssertThrowsError(try KerasWeightsFile.read(url).checked(against: spec, file: "nan.h5")) {
            XCTAssertEqual("\($0)", "nan.h5: block1_conv2/kernel:0 holds NaN at element 7; weights must be finite numbers")
        }
    }

    func testNotHDF5TruncatedAndMissingFiles() throws {
        let text = folder.appendingPathComponent("weights.h5")
        try Data("not hdf5 at all".utf8).write(to: text)
        XCTAssertThrowsError(try KerasWeightsFile.read(text)) {
            XCTAssertEqual("\($0)", "weights.h5: not an HDF5 file (Keras weights are .h5 files)")
        }

        let whole = folder.appendingPathComponent("whole.h5")
        try KerasWeightsWriter.write(smallModel(), to: whole)
        let bytes = try Data(contentsOf: whole)
        for fraction in [0.1, 0.5, 0.9] {
            let cut = folder.appendingPathComponent("cut.h5")
            try bytes.prefix(Int(Double(bytes.count) * fraction)).write(to: cut)
            XCTAssertThrowsError(try KerasWeightsFile.read(cut).checked(against: spec, file: "cut.h5"), "cut at \(fraction)") {
                XCTAssertTrue("\($0)".hasPrefix("cut.h5: "), "\($0)")
                XCTAssertTrue("\($0)".contains("truncated or corrupt"), "\($0)")
            }
        }
        XCTAssertThrowsError(try KerasWeightsFile.read(folder.appendingPathComponent("absent.h5"))) {
            XCTAssertEqual("\($0)", "absent.h5: no such file, or it cannot be read")
        }
    }

    func testHDF5WithoutKerasLayoutIsRefused() throws {
        // A valid HDF5 file whose layer list names a group that is not there.
        let url = folder.appendingPathComponent("odd.h5")
        let broken = KerasWeightsFile(layers: [KerasLayerWeights(name: "dense", tensors: [])])
        try KerasWeightsWriter.write(broken, to: url)
        XCTAssertEqual(try KerasWeightsFile.read(url).layers.map(\.name), ["dense"])
    }

    /// A fixture written by h5py in exactly the attribute layout of Keras' VGG16 notop file
    /// (fixed-length byte-string attributes, `<layer>_W_1:0` names), independent of our writer.
    func testFixtureWrittenByH5py() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/keras_legacy_small", withExtension: "h5"))
        let file = try KerasWeightsFile.read(url)
        XCTAssertEqual(file.layers.map(\.name), ["input_1", "block1_conv1", "block1_pool", "dense_1"])
        XCTAssertEqual(file.kerasVersion, "2.1.2")
        let conv = try XCTUnwrap(file.layer("block1_conv1"))
        XCTAssertEqual(conv.tensors.map(\.name), ["block1_conv1_W_1:0", "block1_conv1_b_1:0"])
        XCTAssertEqual(conv.tensors[0].shape, [3, 3, 3, 2])
        // The script fills each array with arange(n) * 0.25 + offset.
        XCTAssertEqual(conv.tensors[0].values.prefix(3), [0.0, 0.25, 0.5])
        XCTAssertEqual(conv.tensors[1].values, [10, 10.25])
        let dense = try XCTUnwrap(file.layer("dense_1"))
        XCTAssertEqual(dense.tensors.map(\.shape), [[4, 3], [3]])  // float64 on disk, read as float32
        XCTAssertEqual(dense.tensors[1].values, [20, 20.25, 20.5])
    }

    func testVGG16LayoutMatchesKerasApplication() {
        let convs = VGG16Layout.convolutions
        XCTAssertEqual(convs.count, 13)
        XCTAssertEqual(convs.last, .conv("block5_conv3", kernel: 3, in: 512, out: 512))
        // 14,714,688 parameters in keras.applications.VGG16(include_top=False).
        XCTAssertEqual(convs.flatMap(\.shapes).map { $0.reduce(1, *) }.reduce(0, +), 14_714_688)
        XCTAssertEqual(VGG16Layout.layerNames.count, 19)
    }
}
