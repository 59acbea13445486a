import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// Issue 16, items 3 and 4, as a user meets them: hostile plugins in the user's plugin folder
/// and a hostile Keras file do not take `tribelens-cli` down, and `plugins --json` stays JSON.
final class HostilePluginsAndWeightsCLITests: XCTestCase {
    var home: URL!
    override func setUpWithError() throws { home = try makeTemporaryDirectory("tribelens-hostile-cli") }
    override func tearDown() { try? FileManager.default.removeItem(at: home) }

    /// `$XDG_DATA_HOME/tribelens/plugins`, where CLIRunner's XDG_DATA_HOME points.
    var userPlugins: URL { home.appendingPathComponent("data/tribelens/plugins") }

    /// The hostile plugins that fail fast (the looping and the memory-hungry ones take the
    /// default limits' 10 s; HostilePluginTests covers them with short limits).
    func makeHostilePlugins() throws {
        try FileManager.default.createDirectory(at: userPlugins, withIntermediateDirectories: true)
        for (name, macro) in HostilePlugins.behaviours where !["libloop.so", "libhog.so"].contains(name) {
            try HostilePlugins.build(macro, id: "hostile-\(name.dropFirst(3).dropLast(3))", to: userPlugins.appendingPathComponent(name))
        }
        let real = try Data(contentsOf: TestPlugins.url("TestLinearBackend"))
        try real.prefix(real.count / 3).write(to: userPlugins.appendingPathComponent("libtruncated.so"))
        XCTAssertEqual(mkfifo(userPlugins.appendingPathComponent("libfifo.so").path, 0o644), 0)
    }

    func pluginsJSON(_ cli: CLIRunner) throws -> [String: Any] {
        let result = try cli.run(["plugins", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
    }

    func testPluginsJSONStaysValidAndAHostileFileCostsOneCheck() throws {
        try makeHostilePlugins()
        let cli = CLIRunner(home: home)
        let first = try pluginsJSON(cli)
        let refused = try XCTUnwrap(first["refused"] as? [[String: Any]])
        let reasons = Dictionary(uniqueKeysWithValues: refused.compactMap { entry -> (String, String)? in
            guard let path = entry["path"] as? String, path.hasPrefix(userPlugins.path) else { return nil }
            return (URL(fileURLWithPath: path).lastPathComponent, entry["reason"] as? String ?? "")
        })
        XCTAssertEqual(reasons, ["libabort.so": "crashed", "libnull.so": "crashed", "libbogus.so": "crashed", "libexit.so": "exitedWhileLoading",
                                 "libprintf.so": "writesToStdout", "libvariable.so": "notAFunction", "libtruncated.so": "crashed", "libdtor.so": "crashed",
                                 "libfifo.so": "notRegularFile"])
        let backends = try XCTUnwrap(first["backends"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        XCTAssertTrue(backends.contains("hostile-good") && backends.contains("scratch-cnn"), "\(backends)")
        let probed = try XCTUnwrap(first["probed"] as? [String])
        XCTAssertTrue(probed.contains(userPlugins.appendingPathComponent("libabort.so").path), "\(probed)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: home.appendingPathComponent("cache/tribelens/plugin-verdicts.json").path))

        // The next start checks nothing again and lists the same refusals.
        let second = try pluginsJSON(cli)
        XCTAssertEqual(second["probed"] as? [String], [])
        XCTAssertEqual((second["refused"] as? [[String: Any]])?.count, refused.count)

        let text = try cli.run(["plugins"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("libabort.so: crashed (SIGABRT) while loading in a separate process"), text.stdout)
        XCTAssertFalse(text.stdout.contains("hello from a plugin constructor"), "the printing plugin was never loaded here")
    }

    func testTrainEvaluateAndPredictGoOnAndAHostileKerasFileIsAMessage() throws {
        try makeHostilePlugins()
        let cli = CLIRunner(home: home)
        // A two-person dataset from the shared LFW photos.
        let lfw = try SharedData.url("data/lfw-dev38")
        let photos = home.appendingPathComponent("photos")
        let people = ["Angelina_Jolie", "Amelie_Mauresmo"]
        for name in people {
            let folder = photos.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for photo in PhotoFiles.collect([lfw.appendingPathComponent(name)]).prefix(6) {
                try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent(photo.lastPathComponent), withDestinationURL: photo)
            }
        }
        let roster = home.appendingPathComponent("roster.json")
        try Data(#"{"schema": 1, "id": "two", "name": "Two", "groups": [{"id": "g", "name": "G"}], "members": [\#(people.enumerated().map { #"{"id": "p\#($0.offset)", "ja": "\#($0.element)", "romaji": "\#($0.element)", "aliases": ["\#($0.element)"], "groups": ["g"]}"# }.joined(separator: ","))]}"#.utf8).write(to: roster)
        let build = try cli.run(["dataset", "build", "--photos", photos.path, "--roster", roster.path, "--name", "two"])
        XCTAssertEqual(build.status, 0, build.stderr)

        // libhdf5 crashes on this file (KerasWeightsImportTests): a message naming it, exit status 1.
        var bytes = try Data(contentsOf: KerasWeightsFixture.small)
        bytes.replaceSubrange(7297..<7329, with: bytes[11400..<11432])
        let spliced = home.appendingPathComponent("spliced.h5")
        try bytes.write(to: spliced)
        let train = try cli.run(["train", "--dataset", "two", "--backend", "vgg16-transfer", "--model", "v", "--weights", spliced.path])
        XCTAssertEqual(train.status, 64, train.stderr)  // ArgumentParser's validation error
        XCTAssertTrue(train.stderr.contains("cannot use the weights file \(spliced.path): libhdf5 crashed (SIGSEGV) while reading it"), train.stderr)

        for arguments in [["evaluate", "--model", "v"], ["predict", "--model", "v", photos.appendingPathComponent(people[0]).path]] {
            let result = try cli.run(arguments)
            XCTAssertEqual(result.status, 1, "\(arguments[0]): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("no model named \"v\""), "\(arguments[0]): \(result.stderr)")
        }
    }
}

/// The Keras fixture of KerasWeightsTests, read from the source tree.
enum KerasWeightsFixture {
    static let small = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("KerasWeightsTests/Fixtures/keras_legacy_small.h5")
}
