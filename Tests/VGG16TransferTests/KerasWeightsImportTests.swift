import FaceKit
import Foundation
import KerasWeights
import NeuralKit
import XCTest
@testable import VGG16Transfer

/// Issue 16, item 3: a Keras .h5 that is not the published file is read by libhdf5 only in a
/// child process (tribelens-convert) with limits, converted once to safetensors, and the plugin
/// reads that copy; a file that crashes or hangs libhdf5 gives a message naming it.
final class KerasWeightsImportTests: XCTestCase {
    var folder: URL!
    let limits = IsolatedRun.Limits(seconds: 3, memoryMB: 512)

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("keras-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    var converted: URL { folder.appendingPathComponent("converted") }

    static let smallFixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("KerasWeightsTests/Fixtures/keras_legacy_small.h5")

    func runner() throws -> IsolatedRun {
        // Next to the test runner, as SwiftPM builds every product (a failure, not a skip).
        let exe = try XCTUnwrap(HelperExecutable.runningExecutable())
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: dir.appendingPathComponent(HelperExecutable.converter).path) {
            dir = dir.deletingLastPathComponent()
        }
        let url = dir.appendingPathComponent(HelperExecutable.converter)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw KerasWeightsError("\(HelperExecutable.converter) is not built next to the tests; build all products first")
        }
        return IsolatedRun(executable: url)
    }

    /// The two damaged copies issue 16 reports, made from the fixture the same way each time.
    func hostileCopies() throws -> (spliced: URL, zeroed: URL) {
        let bytes = try Data(contentsOf: Self.smallFixture)
        XCTAssertEqual(bytes.count, 12_568, "the fixture changed: find new offsets that crash and hang libhdf5")
        var spliced = bytes
        // 32 bytes of the file copied to offset 7297: libhdf5 crashes in memcpy (H5VM_memcpyvv) reading it.
        spliced.replaceSubrange(7297..<7329, with: bytes[11400..<11432])
        var zeroed = bytes
        // 40 zeroed bytes at offset 2080: libhdf5 spins at 100% CPU (issue 16 measured over 200 s).
        zeroed.replaceSubrange(2080..<2120, with: Data(count: 40))
        let a = folder.appendingPathComponent("spliced.h5")
        let b = folder.appendingPathComponent("zeroed.h5")
        try spliced.write(to: a)
        try zeroed.write(to: b)
        return (a, b)
    }

    func testHostileFilesGiveAMessageNamingThemWithinTheLimit() throws {
        let (spliced, zeroed) = try hostileCopies()
        let runner = try runner()
        for (file, fragment) in [(spliced, "libhdf5 crashed (SIGSEGV) while reading it"), (zeroed, "reading it took longer than 3 s")] {
            let started = Date()
            XCTAssertThrowsError(try KerasWeightsImport.safeFile(for: file, folder: converted, runner: runner, limits: limits)) { error in
                let message = "\(error)"
                XCTAssertTrue(message.hasPrefix("cannot use the weights file \(file.path): "), message)
                XCTAssertTrue(message.contains(fragment), message)
            }
            XCTAssertLessThan(Date().timeIntervalSince(started), limits.seconds + 3, file.lastPathComponent)
        }
        // Nothing half-written is left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: converted.path), [])
    }

    func testAFileThatIsNotKerasIsACleanMessageAndAFIFOIsNeverOpened() throws {
        let text = folder.appendingPathComponent("notes.h5")
        try Data("not hdf5\n".utf8).write(to: text)
        XCTAssertThrowsError(try KerasWeightsImport.safeFile(for: text, folder: converted, runner: try runner(), limits: limits)) {
            XCTAssertEqual("\($0)", "cannot use the weights file \(text.path): notes.h5: not an HDF5 file (Keras weights are .h5 files)")
        }
        let fifo = folder.appendingPathComponent("fifo.h5")
        XCTAssertEqual(mkfifo(fifo.path, 0o644), 0)
        XCTAssertThrowsError(try KerasWeightsImport.safeFile(for: fifo, folder: converted, runner: try runner(), limits: limits)) {
            XCTAssertEqual("\($0)", "cannot use the weights file \(fifo.path): it is not a regular file")
        }
    }

    func testThePublishedFileIsReadDirectly() throws {
        // Stands in for Keras' VGG16 file: the fixture's own size and MD5 as the published ones.
        let md5 = try PretrainedWeights.Checksum.md5("").digest(ofFile: Self.smallFixture)
        let published = PretrainedWeights(id: "fixture", fileName: "keras_legacy_small.h5", byteCount: 12_568, md5: md5, officialURL: "")
        XCTAssertEqual(try KerasWeightsImport.safeFile(for: Self.smallFixture, official: published, folder: converted, runner: nil), Self.smallFixture)
        // Any other file needs the converter, which is not there: a message, not libhdf5 in-process.
        XCTAssertThrowsError(try KerasWeightsImport.safeFile(for: Self.smallFixture, folder: converted, runner: nil)) {
            XCTAssertTrue("\($0)".contains("tribelens-convert"), "\($0)")
        }
    }

    func testAGoodFileOfUnknownOriginIsConvertedOnceAndLoadsTheSameWeights() throws {
        // A VGG16-shaped file with the parity test's formula weights (not the published bytes).
        let convs = VGG16Layout.convolutions
        let file = KerasWeightsFile(layers: VGG16Layout.layerNames.map { name in
            guard let (index, spec) = convs.enumerated().first(where: { $0.element.name == name }) else {
                return KerasLayerWeights(name: name, tensors: [])
            }
            return KerasLayerWeights(name: name, tensors: [
                KerasTensor(name: "\(name)_W_1:0", shape: spec.shapes[0], values: VGG16ParityTests.formula(spec.shapes[0], layer: index)),
                KerasTensor(name: "\(name)_b_1:0", shape: spec.shapes[1], values: VGG16ParityTests.bias(spec.shapes[1][0])),
            ])
        })
        let h5 = folder.appendingPathComponent("vgg16_formula_notop.h5")
        try KerasWeightsWriter.write(file, to: h5) { _, tensor in tensor }

        let started = Date()
        let safe = try KerasWeightsImport.safeFile(for: h5, folder: converted, runner: try runner(), limits: KerasWeightsImport.defaultLimits)
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(safe.deletingLastPathComponent().path, converted.path)
        XCTAssertEqual(safe.lastPathComponent, "\(try ContentHash.sha256(ofFile: h5)).safetensors")
        // The copy holds what the in-process reader reads, layer for layer, weight for weight.
        XCTAssertEqual(try KerasSafetensors.read(safe).layers, try KerasWeightsFile.read(h5).layers.filter { !$0.tensors.isEmpty })

        // And the plugin builds the same network from either.
        var direct = try VGG16TransferBackend.network(classes: 3, seed: 1, frozen: 14)
        var isolated = try VGG16TransferBackend.network(classes: 3, seed: 1, frozen: 14)
        try ImageNetWeights.load(h5.path, into: &direct)
        try ImageNetWeights.load(safe.path, into: &isolated)
        XCTAssertEqual(direct.parameters, isolated.parameters)

        // What one conversion costs (docs/reliability.md): the child's own time and peak memory.
        let again = try runner().run(["keras-h5", h5.path, folder.appendingPathComponent("again.safetensors").path],
                                     limits: KerasWeightsImport.defaultLimits)
        XCTAssertEqual(again.termination, .exited(0))
        let megabytes = Double(try Data(contentsOf: h5).count) / 1e6
        print(String(format: "KerasWeightsImport: %.0f MB VGG16-shaped .h5 -> safetensors: %.2f s (SHA-256, child, rename); "
                     + "the child alone %.2f s, peak resident %d MB", megabytes, seconds, again.seconds, (again.peakMemoryKB ?? -1024) / 1024))

        // Converted once: a later run finds the copy without a child (this runner cannot start one).
        let none = IsolatedRun(executable: folder.appendingPathComponent("no-such-helper"))
        XCTAssertEqual(try KerasWeightsImport.safeFile(for: h5, folder: converted, runner: none, limits: limits), safe)
        // The copy itself is the app's own file: used as it is.
        XCTAssertEqual(try KerasWeightsImport.safeFile(for: safe, folder: converted, runner: none, limits: limits), safe)
    }
}
