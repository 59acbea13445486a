import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// Kills a real process in the middle of saving and checks the previous model survives.
/// The child is this same test binary running `testCrashChildEntryPoint` with instructions in
/// the environment (XCTest on Linux runs a single test when given its name).
final class ModelStoreCrashTests: XCTestCase {
    private static let rootVariable = "TRIBELENS_CRASH_CHILD_ROOT"
    private static let stageVariable = "TRIBELENS_CRASH_CHILD_STAGE"

    func testKillingTheProcessMidSaveKeepsThePreviousModel() throws {
        let backend = try TestPlugins.linear()
        let probe = try SyntheticFaces.make(classes: 3, perClass: 3, seed: 9)
        for stage in ["weights", "manifest"] {
            let root = try makeTemporaryDirectory("tribelens-crash")
            defer { try? FileManager.default.removeItem(at: root) }
            let store = ModelStore(root: root)
            let previous = try backend.makeModel(ModelConfiguration(classCount: 3, seed: 1))
            try store.save(name: "face", manifest: sampleManifest(backend.info, fingerprint: "previous"), model: previous)
            let expected = try previous.predict(pixels: probe.pixels, count: probe.count)

            let ready = root.appendingPathComponent(".child-ready")
            let child = Process()
            child.executableURL = PluginSearchPath.currentExecutable()
            child.arguments = ["FaceKitTests.ModelStoreCrashTests/testCrashChildEntryPoint"]
            var environment = ProcessInfo.processInfo.environment
            environment[Self.rootVariable] = root.path
            environment[Self.stageVariable] = stage
            environment["TRIBELENS_TEST_PLUGIN_DIR"] = TestPlugins.directory.path
            child.environment = environment
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            try child.run()
            let deadline = Date().addingTimeInterval(30)
            while !FileManager.default.fileExists(atPath: ready.path) && child.isRunning && Date() < deadline {
                usleep(10_000)
            }
            XCTAssertTrue(FileManager.default.fileExists(atPath: ready.path), "the child reached the middle of its save (\(stage))")
            let temporaries = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".tmp-face-") }
            XCTAssertEqual(temporaries.count, 1, "the child's half-written model exists when it is killed")
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            XCTAssertEqual(child.terminationReason, .uncaughtSignal)

            XCTAssertEqual(try store.manifest(of: "face").datasetFingerprint, "previous", stage)
            let (_, reloaded) = try store.load(name: "face") { _ in backend }
            XCTAssertEqual(try reloaded.predict(pixels: probe.pixels, count: probe.count), expected, stage)
            XCTAssertEqual(store.list().map(\.name), ["face"])
            let left = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".tmp-") }
            XCTAssertEqual(left, [], "the dead child's temporary folder is cleaned up")
        }
    }

    /// Only does something as the child of the test above.
    func testCrashChildEntryPoint() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let rootPath = environment[Self.rootVariable], let stage = environment[Self.stageVariable] else {
            throw XCTSkip("runs only as the child process of testKillingTheProcessMidSaveKeepsThePreviousModel")
        }
        let root = URL(fileURLWithPath: rootPath)
        let backend = try TestPlugins.linear()
        let model = try backend.makeModel(ModelConfiguration(classCount: 3, seed: 2))
        let signalReady = {
            _ = FileManager.default.createFile(atPath: root.appendingPathComponent(".child-ready").path, contents: Data())
            sleep(60) // killed long before this returns
        }
        try ModelStore(root: root).save(name: "face", manifest: sampleManifest(backend.info, fingerprint: "child")) { dir in
            if stage == "weights" {
                // Half a weights file, as if the disk stalled mid-write.
                try Data(repeating: 0xAB, count: 4096).write(to: dir.appendingPathComponent("weights.safetensors"))
            } else {
                try model.save(to: dir)
            }
            signalReady()
        }
        XCTFail("the parent should have killed this process")
    }
}
