import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// The real NeuralKit plugins, loaded through the host: every folder a plugin writes to comes from
/// the host (`ModelConfiguration.cacheDirectory`, the model folder it saves into); none reads the
/// XDG variables or $HOME for one. The XDG folders (and $HOME) point at a folder that must stay
/// empty while the plugins train, evaluate, predict, save and load.
final class PluginCacheFolderTests: XCTestCase {
    private var saved: [String: String?] = [:]
    private var forbidden: URL!
    private var cache: URL!
    private var models: URL!

    private static let variables = ["XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "HOME"]

    override func setUpWithError() throws {
        forbidden = try temporaryFolder(self)
        cache = try temporaryFolder(self)
        models = try temporaryFolder(self)
        for name in Self.variables {
            saved[name] = ProcessInfo.processInfo.environment[name]
            setenv(name, forbidden.appendingPathComponent(name.lowercased()).path, 1)
        }
    }

    override func tearDown() {
        for (name, value) in saved {
            if let value { setenv(name, value, 1) } else { unsetenv(name) }
        }
    }

    /// Files (not folders) anywhere under `folder`.
    private func files(under folder: URL) -> [String] {
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        return (walker?.allObjects as? [URL] ?? [])
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .map { String($0.path.dropFirst(folder.path.count)) }
    }

    /// Trains an epoch, evaluates, predicts, saves and loads again with the same configuration.
    private func exercise(_ backend: PluginBackend, _ configuration: ModelConfiguration, samples: InMemorySamples,
                          name: String) throws {
        let model = try backend.makeModel(configuration)
        let trained = try model.trainEpoch(on: samples, batchSize: 3, learningRate: 1e-3, shuffleSeed: 1, progress: { _ in true })
        XCTAssertEqual(trained.samples, samples.count)
        XCTAssertEqual(try model.evaluate(on: samples, batchSize: 4).samples, samples.count)
        let probabilities = try model.predict(pixels: samples.pixels, count: samples.count)
        let folder = models.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try model.save(to: folder)
        let loaded = try backend.loadModel(from: folder, configuration: configuration)
        XCTAssertEqual(try loaded.evaluate(on: samples, batchSize: 4).samples, samples.count)
        XCTAssertEqual(try loaded.predict(pixels: samples.pixels, count: samples.count), probabilities)
    }

    func testVGG16KeepsItsFeatureCacheInTheGivenFolderOnlyAndWorksWithoutOne() throws {
        let backend = try PluginLoader.load(TestPlugins.url("VGG16Transfer"))
        let samples = try SyntheticFaces.make(classes: 2, perClass: 3, seed: 5)
        let hyper = #"{"weights": "none"}"#
        try exercise(backend, ModelConfiguration(classCount: 2, seed: 1, hyperParametersJSON: hyper, cacheDirectory: cache),
                     samples: samples, name: "cached")
        XCTAssertTrue(files(under: cache).contains { $0.hasPrefix("/features/") && $0.hasSuffix("/features.f32") }, "\(files(under: cache))")
        try exercise(backend, ModelConfiguration(classCount: 2, seed: 1, hyperParametersJSON: hyper), samples: samples, name: "uncached")
        XCTAssertEqual(files(under: forbidden), [])
    }

    func testSFaceKeepsItsEmbeddingsInTheGivenFolderOnlyAndWorksWithoutOne() throws {
        let sface = try SharedData.url("models/face_recognition_sface_2021dec_dq.onnx")
        let backend = try PluginLoader.load(TestPlugins.url("SFaceEmbedding"))
        var generator = SeededGenerator(seed: 9)
        let count = 6, bytes = InputSpec.aligned112.bytes
        let pixels = (0..<(count * bytes)).map { _ in UInt8(truncatingIfNeeded: generator.next() >> 56) }
        let samples = try InMemorySamples(pixels: pixels, labels: (0..<count).map { Int32($0 % 2) }, imageBytes: bytes)
        let hyper = JSONValue.object(try BackendResources.resolveModelFiles(["sface_model": .string("auto")], path: sface.path)).jsonText
        try exercise(backend, ModelConfiguration(classCount: 2, hyperParametersJSON: hyper, cacheDirectory: cache),
                     samples: samples, name: "cached")
        XCTAssertTrue(files(under: cache).contains { $0.hasSuffix(".emb") }, "\(files(under: cache))")
        try exercise(backend, ModelConfiguration(classCount: 2, hyperParametersJSON: hyper), samples: samples, name: "uncached")
        XCTAssertEqual(files(under: forbidden), [])
    }

    func testScratchCNNWritesNothingOutsideTheModelFolder() throws {
        let backend = try PluginLoader.load(TestPlugins.url("ScratchCNN"))
        let samples = try SyntheticFaces.make(classes: 2, perClass: 3, seed: 5)
        try exercise(backend, ModelConfiguration(classCount: 2, seed: 1, inputScale: 1.0 / 255, cacheDirectory: cache),
                     samples: samples, name: "cnn")
        XCTAssertEqual(files(under: cache), [], "the scratch CNN has nothing to cache")
        XCTAssertEqual(files(under: forbidden), [])
    }
}
