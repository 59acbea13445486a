import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// Compiles the complete C plugin printed in docs/plugin-abi.md and runs it through the host,
/// so the documentation cannot drift from the header.
final class PluginABIDocTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testTableSizeIsWhatTheDocSays() throws {
        XCTAssertEqual(PluginABI.minimumTableSize, 120)
        let doc = try String(contentsOf: Self.repository.appendingPathComponent("docs/plugin-abi.md"), encoding: .utf8)
        XCTAssertTrue(doc.contains("120 bytes on 64-bit"))
    }

    func testTheDocumentedExamplePluginBuildsLoadsAndWorks() throws {
        let compiler = ["/usr/bin/cc", "/usr/bin/gcc", "/usr/bin/clang"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let compiler else { throw XCTSkip("no C compiler at /usr/bin/cc, gcc or clang") }
        let doc = try String(contentsOf: Self.repository.appendingPathComponent("docs/plugin-abi.md"), encoding: .utf8)
        let section = try XCTUnwrap(doc.range(of: "## A complete plugin in C"))
        let rest = doc[section.upperBound...]
        let start = try XCTUnwrap(rest.range(of: "```c\n"))
        let end = try XCTUnwrap(rest[start.upperBound...].range(of: "```"))
        let source = String(rest[start.upperBound..<end.lowerBound])

        let dir = try makeTemporaryDirectory("tribelens-doc-plugin")
        defer { try? FileManager.default.removeItem(at: dir) }
        try source.write(to: dir.appendingPathComponent("prior.c"), atomically: true, encoding: .utf8)
        let build = Process()
        build.executableURL = URL(fileURLWithPath: compiler)
        build.arguments = ["-shared", "-fPIC", "-O1", "-Wall", "-Werror",
                           "-I", Self.repository.appendingPathComponent("Sources/BackendABI/include").path,
                           dir.appendingPathComponent("prior.c").path, "-o", dir.appendingPathComponent("libprior.so").path, "-lm"]
        let errors = Pipe()
        build.standardError = errors
        try build.run()
        build.waitUntilExit()
        let messages = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(build.terminationStatus, 0, messages)

        let backend = try PluginLoader.load(dir.appendingPathComponent("libprior.so"))
        XCTAssertEqual(backend.info.id, "prior")
        let model = try backend.makeModel(ModelConfiguration(classCount: 3))
        // Labels 0,1,2 in proportion 1:2:3 (the synthetic images are irrelevant to a prior).
        let base = try SyntheticFaces.make(classes: 1, perClass: 6, seed: 0)
        let samples = try InMemorySamples(pixels: base.pixels, labels: [0, 1, 1, 2, 2, 2])
        _ = try model.trainEpoch(on: samples, batchSize: 4, learningRate: 0.01, shuffleSeed: 1) { _ in true }
        let p = try model.predict(pixels: Array(base.pixels.prefix(ImageLayout.bytes)), count: 1)
        // Laplace smoothing: counts 1+1, 1+2, 1+3 over 9.
        XCTAssertEqual(p, [2.0 / 9, 3.0 / 9, 4.0 / 9].map(Float.init))
        let store = ModelStore(root: dir.appendingPathComponent("models"))
        try store.save(name: "prior", manifest: sampleManifest(backend.info), model: model)
        let (_, loaded) = try store.load(name: "prior") { _ in backend }
        XCTAssertEqual(try loaded.predict(pixels: Array(base.pixels.prefix(ImageLayout.bytes)), count: 1), p)
        let metrics = try loaded.evaluate(on: samples, batchSize: 5)
        XCTAssertEqual(metrics.accuracy, 0.5, accuracy: 1e-12, "always predicts class 2")
    }
}
