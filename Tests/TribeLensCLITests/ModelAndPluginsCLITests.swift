import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// Runs `tribelens-cli plugins` and `tribelens-cli model ...` as a user would, with the XDG
/// folders and the plugin path pointed at temporary folders.
final class ModelAndPluginsCLITests: XCTestCase {
    var home: URL!
    override func setUpWithError() throws { home = try makeTemporaryDirectory("tribelens-cli-home") }
    override func tearDown() { try? FileManager.default.removeItem(at: home) }

    private func cli(_ arguments: [String], pluginPath: String? = nil) throws -> CLIRunner.Result {
        try CLIRunner(home: home).run(arguments, pluginPath: pluginPath)
    }

    private func requireCommand(_ name: String) throws {
        // `tribelens-cli unknown --help` still exits 0 with the root help, so look at the list.
        guard try cli(["--help"]).stdout.contains("\n  \(name) ") else {
            // A failure, not a skip: an unregistered command is a regression.
            throw BackendError(.internal, "tribelens-cli has no `\(name)` command (TribeLensCLI's subcommands must list it)")
        }
    }

    func testPluginsJSONListsFoundAndRefusedPluginsInSearchOrder() throws {
        try requireCommand("plugins")
        let extra = home.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: extra, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestPlugins.url("TestLinearBackend"), to: extra.appendingPathComponent("libmine.so"))
        // The test and broken plugins come from their own folder on purpose: the executable's
        // folder is searched for the shipping plugins only.
        let pluginPath = "\(extra.path):\(TestPlugins.directory.path)"
        let result = try cli(["plugins", "--json"], pluginPath: pluginPath)
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let backends = try XCTUnwrap(json["backends"] as? [[String: Any]])
        let linear = try XCTUnwrap(backends.first { $0["id"] as? String == "test-linear" })
        XCTAssertEqual(linear["path"] as? String, extra.appendingPathComponent("libmine.so").path, "TRIBELENS_PLUGIN_PATH comes first")
        XCTAssertTrue(backends.contains { $0["id"] as? String == "test-swift-nearest-mean" })
        let refused = try XCTUnwrap(json["refused"] as? [[String: Any]])
        let reasons = Set(refused.compactMap { $0["reason"] as? String })
        XCTAssertTrue(reasons.isSuperset(of: ["wrongMajor", "missingSymbol", "duplicateID"]), "\(reasons)")
        let search = try XCTUnwrap(json["search_path"] as? [[String: Any]])
        XCTAssertEqual(search.first?["directory"] as? String, extra.path)
        XCTAssertEqual(search.first?["origin"] as? String, "environment")

        let text = try cli(["plugins"], pluginPath: pluginPath)
        XCTAssertTrue(text.stdout.contains("test-linear 1.0.0"), text.stdout)
        XCTAssertTrue(text.stdout.contains("built for plugin ABI 99.0"), text.stdout)
    }

    /// A user running the build (`make run`, or the CLI from .build/release) sees the plugins
    /// that ship, not the test plugins SwiftPM builds into the same folder.
    func testFromTheBuildFolderOnlyTheShippingPluginsAreListed() throws {
        try requireCommand("plugins")
        let result = try cli(["plugins", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let backends = try XCTUnwrap(json["backends"] as? [[String: Any]])
        XCTAssertEqual(Set(backends.compactMap { $0["id"] as? String }), ["sface", "scratch-cnn", "vgg16-transfer"])
        XCTAssertEqual(Set(backends.compactMap { ($0["path"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent } }),
                       ["libSFaceEmbedding.so", "libScratchCNN.so", "libVGG16Transfer.so"])
        XCTAssertEqual((json["refused"] as? [[String: Any]])?.count, 0, "\(json["refused"] ?? "")")
        let text = try cli(["plugins"])
        XCTAssertFalse(text.stdout.contains("test-"), text.stdout)
    }

    func testModelListShowActivateDelete() throws {
        try requireCommand("model")
        let backend = try TestPlugins.linear()
        let store = ModelStore(root: home.appendingPathComponent("data/tribelens/models"))
        let model = try backend.makeModel(ModelConfiguration(classCount: 3))
        try store.save(name: "exile", manifest: sampleManifest(backend.info), model: model)

        var result = try cli(["model", "list"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("  exile  test-linear 1.0.0  3 classes  original"), result.stdout)
        XCTAssertEqual(try cli(["model", "activate", "exile"]).status, 0)
        result = try cli(["model", "list", "--json"])
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows.first?["active"] as? Bool, true)
        result = try cli(["model", "show", "exile"])
        XCTAssertTrue(result.stdout.contains("model:        exile (active)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Epoch 1/50"), result.stdout)
        result = try cli(["model", "show", "exile", "--json"])
        XCTAssertEqual(try ModelManifest.decode(Data(result.stdout.utf8)), try store.manifest(of: "exile"))

        result = try cli(["model", "show", "nope"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("Error: no model named \"nope\""), result.stderr)
        result = try cli(["model", "delete", "../etc"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("invalid model name"), result.stderr)
        XCTAssertEqual(try cli(["model", "delete", "exile"]).status, 0)
        XCTAssertTrue(try cli(["model", "list"]).stdout.hasPrefix("No saved models"))
    }

    func testPredictNamesTheFacesOfPhotos() throws {
        try requireCommand("predict")
        let (_, _, manifest, model) = try PredictionFixtures.trainedPredictor()
        let store = ModelStore(root: home.appendingPathComponent("data/tribelens/models"))
        try store.save(name: "ldh", manifest: manifest, model: model)
        let faces = try SyntheticFaces.make(classes: 4, perClass: 1, seed: 77)
        let photo = home.appendingPathComponent("akira.png")
        try RGBImage(width: 64, height: 64, pixels: Array(faces.pixels[ImageLayout.bytes ..< 2 * ImageLayout.bytes])).write(to: photo)
        let pair = home.appendingPathComponent("pair.png")
        try PredictionFixtures.photo(left: 1, right: 3).write(to: pair)
        let plugins = TestPlugins.directory.path

        var result = try cli(["predict", "--model", "ldh", "--json", photo.path], pluginPath: plugins)
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let face = try XCTUnwrap((json.first?["faces"] as? [[String: Any]])?.first)
        XCTAssertEqual(face["member"] as? String, "AKIRA")
        XCTAssertEqual(face["groups"] as? [String], ["EXILE"])
        XCTAssertEqual((face["box"] as? [String: Int])?["w"], 64)
        XCTAssertEqual((face["top"] as? [[String: Any]])?.count, 3)
        XCTAssertGreaterThan(face["probability"] as? Double ?? 0, 0.5)

        // The active model is the default; the whole 128x64 photo is one face here.
        XCTAssertEqual(try cli(["model", "activate", "ldh"]).status, 0)
        result = try cli(["predict", pair.path, photo.path], pluginPath: plugins)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("\(photo.path): 1 face\n  0,0 64x64  AKIRA (EXILE) "), result.stdout)

        result = try cli(["predict", "--model", "ldh", home.appendingPathComponent("missing.jpg").path, photo.path], pluginPath: plugins)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("AKIRA"), "the other photo is still processed")
        result = try cli(["predict", "--model", "nope", photo.path], pluginPath: plugins)
        XCTAssertTrue(result.stderr.contains("Error: no model named \"nope\""), result.stderr)
        result = try cli(["predict", "--threshold", "2", photo.path], pluginPath: plugins)
        XCTAssertTrue(result.stderr.contains("--threshold must be between 0 and 1"), result.stderr)
    }
}
