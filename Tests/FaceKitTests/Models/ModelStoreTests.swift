import Foundation
import XCTest
import SharedTestSupport
import FaceKit

final class ModelStoreTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws { root = try makeTemporaryDirectory("tribelens-models") }
    override func tearDown() { try? FileManager.default.removeItem(at: root) }

    private func trainedLinear(seed: UInt64) throws -> (PluginBackend, any BackendModel) {
        let backend = try TestPlugins.linear()
        let model = try backend.makeModel(ModelConfiguration(classCount: 3, seed: seed, inputScale: 1.0 / 255))
        _ = try model.trainEpoch(on: try SyntheticFaces.make(classes: 3, perClass: 8, seed: seed), batchSize: 8,
                                 learningRate: 0.1, shuffleSeed: seed) { _ in true }
        return (backend, model)
    }

    func testSaveAndReloadGiveIdenticalPredictions() throws {
        let (backend, model) = try trainedLinear(seed: 1)
        let store = ModelStore(root: root)
        let manifest = sampleManifest(backend.info)
        try store.save(name: "exile", manifest: manifest, model: model)
        let files = try FileManager.default.contentsOfDirectory(atPath: store.directory(of: "exile").path).sorted()
        XCTAssertEqual(files, ["model.json", "weights.safetensors"])
        let (loadedManifest, loaded) = try store.load(name: "exile") { $0 == backend.info.id ? backend : nil }
        XCTAssertEqual(loadedManifest, manifest)
        let probe = try SyntheticFaces.make(classes: 3, perClass: 4, seed: 9)
        XCTAssertEqual(try loaded.predict(pixels: probe.pixels, count: probe.count),
                       try model.predict(pixels: probe.pixels, count: probe.count))
    }

    func testModelJSONIsReadableAndHasEveryPromisedField() throws {
        let (backend, model) = try trainedLinear(seed: 1)
        let store = ModelStore(root: root)
        try store.save(name: "m", manifest: sampleManifest(backend.info), model: model)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: store.directory(of: "m").appendingPathComponent("model.json"))) as! [String: Any]
        for key in ["backend", "classes", "roster", "member_groups", "preset", "hyper_parameters", "training", "history",
                    "dataset_fingerprint", "created_at", "input_scale", "format", "preprocessing"] {
            XCTAssertNotNil(json[key], key)
        }
        XCTAssertEqual((json["backend"] as? [String: Any])?["id"] as? String, "test-linear")
        XCTAssertEqual(json["created_at"] as? String, "2026-09-21T14:13:20Z")
        XCTAssertEqual(((json["history"] as? [[String: Any]])?.first?["val_loss"]) as? Double, 1.4)
    }

    func testReplacingAModelSwapsItWholeAndLeavesNoTemporaries() throws {
        let (backend, first) = try trainedLinear(seed: 1)
        let (_, second) = try trainedLinear(seed: 2)
        let store = ModelStore(root: root)
        try store.save(name: "m", manifest: sampleManifest(backend.info, fingerprint: "one"), model: first)
        try store.save(name: "m", manifest: sampleManifest(backend.info, fingerprint: "two"), model: second)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path), ["m"])
        XCTAssertEqual(try store.manifest(of: "m").datasetFingerprint, "two")
        let probe = try SyntheticFaces.make(classes: 3, perClass: 2, seed: 9)
        let (_, loaded) = try store.load(name: "m") { _ in backend }
        XCTAssertEqual(try loaded.predict(pixels: probe.pixels, count: probe.count),
                       try second.predict(pixels: probe.pixels, count: probe.count))
    }

    func testAFailedSaveKeepsThePreviousModel() throws {
        let (backend, model) = try trainedLinear(seed: 1)
        let store = ModelStore(root: root)
        try store.save(name: "m", manifest: sampleManifest(backend.info, fingerprint: "old"), model: model)
        XCTAssertThrowsError(try store.save(name: "m", manifest: sampleManifest(backend.info, fingerprint: "new")) { dir in
            try Data(repeating: 1, count: 100).write(to: dir.appendingPathComponent("weights.safetensors"))
            throw BackendError(.io, "No space left on device")
        }) { XCTAssertTrue("\($0)".contains("No space left on device"), "\($0)") }
        XCTAssertEqual(try store.manifest(of: "m").datasetFingerprint, "old")
        XCTAssertNoThrow(try store.load(name: "m") { _ in backend })
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path), ["m"])
        // A backend may not write the host's model.json.
        XCTAssertThrowsError(try store.save(name: "m", manifest: sampleManifest(backend.info)) { dir in
            try Data("{}".utf8).write(to: dir.appendingPathComponent("model.json"))
        })
        XCTAssertEqual(try store.manifest(of: "m").datasetFingerprint, "old")
    }

    func testListShowDeleteActivate() throws {
        let (backend, model) = try trainedLinear(seed: 1)
        let store = ModelStore(root: root)
        XCTAssertEqual(store.list().count, 0, "a missing models folder is an empty list")
        try store.save(name: "b-model", manifest: sampleManifest(backend.info), model: model)
        try store.save(name: "a_model", manifest: sampleManifest(backend.info), model: model)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("broken"), withIntermediateDirectories: true)
        try Data("{not json".utf8).write(to: root.appendingPathComponent("broken/model.json"))
        XCTAssertNil(store.activeName())
        try store.activate(name: "b-model")
        XCTAssertEqual(store.activeName(), "b-model")
        let list = store.list()
        XCTAssertEqual(list.map(\.name), ["a_model", "b-model", "broken"])
        XCTAssertEqual(list.map(\.isActive), [false, true, false])
        XCTAssertNil(list[2].manifest)
        XCTAssertTrue(list[2].problem?.contains("not a valid model.json") == true, list[2].problem ?? "")
        XCTAssertThrowsError(try store.activate(name: "nope")) { XCTAssertTrue("\($0)".contains("no model named \"nope\"")) }
        try store.delete(name: "b-model")
        XCTAssertNil(store.activeName(), "deleting the active model clears it")
        try store.save(name: "b-model", manifest: sampleManifest(backend.info), model: model)
        XCTAssertNil(store.activeName(), "a new model under the deleted name is not active by accident")
        try store.delete(name: "b-model")
        XCTAssertEqual(store.list().map(\.name), ["a_model", "broken"])
        XCTAssertThrowsError(try store.delete(name: "b-model"))
    }

    func testNamesThatAreNotSafeFolderNamesAreRefused() throws {
        let store = ModelStore(root: root)
        for bad in ["", ".hidden", "a/b", "../escape", "with space", String(repeating: "x", count: 101), "..", "ä"] {
            XCTAssertThrowsError(try ModelStore.validate(name: bad), bad) {
                XCTAssertTrue("\($0)".hasPrefix("invalid model name"), "\($0)")
            }
            XCTAssertThrowsError(try store.delete(name: bad))
        }
        XCTAssertNoThrow(try ModelStore.validate(name: "LDH_2024-v1.2"))
    }

    func testLoadErrorsAreOneLineMessages() throws {
        let (backend, model) = try trainedLinear(seed: 1)
        let store = ModelStore(root: root)
        try store.save(name: "m", manifest: sampleManifest(backend.info), model: model)
        XCTAssertThrowsError(try store.load(name: "m") { _ in nil }) {
            XCTAssertTrue("\($0)".contains("needs backend \"test-linear\""), "\($0)")
        }
        var wrongClasses = sampleManifest(backend.info, classes: ["a", "b"])
        wrongClasses.roster = "x"
        try store.save(name: "w", manifest: wrongClasses, model: model)
        XCTAssertThrowsError(try store.load(name: "w") { _ in backend }) {
            XCTAssertTrue("\($0)".contains("3 classes but model.json lists 2"), "\($0)")
        }
        // Truncated weights: the plugin says so, the host passes it on.
        let weights = store.directory(of: "m").appendingPathComponent("weights.safetensors")
        try Data(try Data(contentsOf: weights).prefix(50)).write(to: weights)
        XCTAssertThrowsError(try store.load(name: "m") { _ in backend }) {
            XCTAssertTrue("\($0)".contains("truncated"), "\($0)")
        }
    }

    func testLeftoversOfDeadProcessesAreCleanedAndParkedModelsRecovered() throws {
        let (backend, model) = try trainedLinear(seed: 1)
        let store = ModelStore(root: root)
        // A pid that surely is dead: a child we started and reaped.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = child.processIdentifier
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent(".tmp-m-\(dead)-\(UUID().uuidString)"), withIntermediateDirectories: true)
        // A save that died between its two fallback renames parked the only copy of "p".
        let parked = root.appendingPathComponent(".old-p-x-\(dead)-\(UUID().uuidString)")
        try store.save(name: "p-x", manifest: sampleManifest(backend.info), model: model)
        try fm.moveItem(at: store.directory(of: "p-x"), to: parked)
        // A temporary of a live process (ours) stays.
        let live = root.appendingPathComponent(".tmp-q-\(getpid())-\(UUID().uuidString)")
        try fm.createDirectory(at: live, withIntermediateDirectories: true)
        XCTAssertEqual(store.list().map(\.name), ["p-x"])
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: root.path).sorted(), [live.lastPathComponent, "p-x"].sorted())
        XCTAssertNoThrow(try store.load(name: "p-x") { _ in backend })
    }

    func testStandardLocationFollowsXDG() {
        let saved = ProcessInfo.processInfo.environment["XDG_DATA_HOME"]
        defer { if let saved { setenv("XDG_DATA_HOME", saved, 1) } else { unsetenv("XDG_DATA_HOME") } }
        setenv("XDG_DATA_HOME", "/x/data", 1)
        XCTAssertEqual(ModelStore.standard().root.path, "/x/data/tribelens/models")
        setenv("XDG_DATA_HOME", "relative", 1)
        XCTAssertEqual(ModelStore.standard().root.path,
                       FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/tribelens/models").path)
    }
}
