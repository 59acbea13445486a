import BackendABI
import Foundation
import XCTest
import SharedTestSupport
import FaceKit

final class PluginHostTests: XCTestCase {
    override func tearDown() {
        unsetenv("TRIBELENS_TEST_BROKEN_MODE")
    }

    func testLoadsTheRealLinearPlugin() throws {
        let backend = try TestPlugins.linear()
        XCTAssertEqual(backend.info.id, "test-linear")
        XCTAssertEqual(backend.info.version, "1.0.0")
        XCTAssertEqual(backend.info.abiMajor, 1)
        XCTAssertEqual(backend.info.defaultHyperParametersJSON, "{\"pool\": 8}")
        XCTAssertEqual(backend.info.path, try TestPlugins.url("TestLinearBackend").path)
        let model = try backend.makeModel(ModelConfiguration(classCount: 5, seed: 1))
        XCTAssertEqual(model.classCount, 5)
        let probabilities = try model.predict(pixels: [UInt8](repeating: 128, count: 2 * ImageLayout.bytes), count: 2)
        XCTAssertEqual(probabilities.count, 10)
        XCTAssertEqual(probabilities[0..<5].reduce(0, +), 1, accuracy: 1e-5)
    }

    func testRefusesAnotherABIMajorNamingFileAndBothVersions() throws {
        let url = try TestPlugins.url("TestWrongABI")
        XCTAssertThrowsError(try PluginLoader.load(url)) { error in
            let e = error as! PluginLoadError
            XCTAssertEqual(e.reason, .wrongMajor)
            XCTAssertTrue(e.message.contains(url.path), e.message)
            XCTAssertTrue(e.message.contains("ABI 99.0"), e.message)
            XCTAssertTrue(e.message.contains("ABI \(TRIBELENS_ABI_MAJOR).\(TRIBELENS_ABI_MINOR)"), e.message)
        }
    }

    func testRefusesShortTableNullFunctionAndNullTable() throws {
        let url = try TestPlugins.url("TestWrongABI")
        let cases: [(String, PluginLoadError.Reason, String)] = [
            ("short-table", .shortTable, "table is 40 bytes"),
            ("null-function", .missingFunction, "create_model"),
            ("null-table", .nullTable, "returned NULL"),
            ("bad-id", .badMetadata, "id must be"),
            ("bad-defaults", .badMetadata, "not a JSON object"),
        ]
        for (mode, reason, fragment) in cases {
            setenv("TRIBELENS_TEST_BROKEN_MODE", mode, 1)
            XCTAssertThrowsError(try PluginLoader.load(url), mode) { error in
                let e = error as! PluginLoadError
                XCTAssertEqual(e.reason, reason, mode)
                XCTAssertTrue(e.message.contains(url.path) && e.message.contains(fragment), e.message)
            }
        }
    }

    func testAcceptsANewerMinorWithALongerTable() throws {
        setenv("TRIBELENS_TEST_BROKEN_MODE", "newer-minor", 1)
        let backend = try PluginLoader.load(TestPlugins.url("TestWrongABI"))
        XCTAssertEqual(backend.info.id, "test-newer-minor")
        XCTAssertEqual(backend.info.abiMajor, 1)
        XCTAssertEqual(backend.info.abiMinor, 7)
        // Its functions are reached through the 1.0 part of the table.
        XCTAssertThrowsError(try backend.makeModel(ModelConfiguration(classCount: 2))) {
            XCTAssertEqual("\($0)", "wrong-abi: this plugin never builds models")
        }
        XCTAssertThrowsError(try backend.loadModel(from: URL(fileURLWithPath: "/tmp"))) {
            XCTAssertEqual("\($0)", "wrong-abi: this plugin never loads models")
        }
    }

    func testRefusesLibraryWithoutEntrySymbol() throws {
        let url = try TestPlugins.url("TestNoEntry")
        XCTAssertThrowsError(try PluginLoader.load(url)) { error in
            let e = error as! PluginLoadError
            XCTAssertEqual(e.reason, .missingSymbol)
            XCTAssertTrue(e.message.contains(url.path) && e.message.contains("tribelens_backend_entry"), e.message)
        }
    }

    func testRefusesFilesThatAreNotSharedLibraries() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = dir.appendingPathComponent("notes.so")
        try Data("just text\n".utf8).write(to: text)
        let empty = dir.appendingPathComponent("empty.so")
        try Data().write(to: empty)
        for url in [text, empty] {
            XCTAssertThrowsError(try PluginLoader.load(url)) { error in
                let e = error as! PluginLoadError
                XCTAssertEqual(e.reason, .notELF)
                XCTAssertEqual(e.message, "plugin \(url.path): not a shared library (no ELF header)")
            }
        }
        XCTAssertThrowsError(try PluginLoader.load(dir.appendingPathComponent("missing.so"))) { error in
            XCTAssertEqual((error as! PluginLoadError).reason, .unreadable)
        }
    }

    func testSearchPathOrderAndNeverTheCurrentDirectory() {
        let path = PluginSearchPath.standard(
            environment: ["TRIBELENS_PLUGIN_PATH": "/opt/a::relative/dir:/opt/b:.", "XDG_DATA_HOME": "/data", "HOME": "/home/u"],
            executableURL: URL(fileURLWithPath: "/usr/local/bin/tribelens-cli"))
        XCTAssertEqual(path.entries.map(\.directory.path),
                       ["/opt/a", "/opt/b", "/usr/local/bin", "/data/tribelens/plugins", "/usr/local/lib/tribelens/plugins"])
        XCTAssertEqual(path.entries.map(\.origin), [.environment, .environment, .executable, .userData, .prefix])
        XCTAssertEqual(path.ignored.count, 3, "the empty entry, 'relative/dir' and '.' are ignored")
        let cwd = FileManager.default.currentDirectoryPath
        XCTAssertFalse(path.entries.contains { $0.directory.path == cwd })

        // No XDG_DATA_HOME (or a relative one, which the spec says to ignore): ~/.local/share.
        let fallback = PluginSearchPath.standard(environment: ["XDG_DATA_HOME": "rel", "HOME": "/home/u"],
                                                 executableURL: URL(fileURLWithPath: "/usr/bin/tribelens"))
        XCTAssertEqual(fallback.entries.map(\.directory.path),
                       ["/usr/bin", "/home/u/.local/share/tribelens/plugins", "/usr/lib/tribelens/plugins"])
    }

    /// The build folder holds the shipping plugins and the test ones side by side; the default
    /// search path of a binary there finds the shipping ones only.
    func testTheDefaultSearchPathOfABuildListsExactlyTheShippingPlugins() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let build = TestPlugins.directory
        XCTAssertTrue(FileManager.default.fileExists(atPath: try TestPlugins.url("TestLinearBackend").path),
                      "the test plugins are built into the same folder")
        let path = PluginSearchPath.standard(environment: ["XDG_DATA_HOME": home.path, "HOME": home.path],
                                             executableURL: build.appendingPathComponent("tribelens-cli"))
        XCTAssertEqual(path.entries.first?.origin, .executable)
        let names = PluginHost(searchPath: path).candidates().map(\.lastPathComponent)
        XCTAssertEqual(names, ["libSFaceEmbedding.so", "libScratchCNN.so", "libVGG16Transfer.so"])
        XCTAssertFalse(names.contains { $0.hasPrefix("libTest") }, "\(names)")
        XCTAssertEqual(PluginSearchPath.shippingPlugins, ["SFaceEmbedding", "ScratchCNN", "VGG16Transfer"])
    }

    func testDiscoveryLoadsRefusesAndLetsTheFirstIDWin() throws {
        let first = try makeTemporaryDirectory()
        let second = try makeTemporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        let fm = FileManager.default
        try fm.copyItem(at: TestPlugins.url("TestLinearBackend"), to: first.appendingPathComponent("linear.so"))
        try fm.copyItem(at: TestPlugins.url("TestWrongABI"), to: first.appendingPathComponent("wrong.so"))
        try Data("#!/bin/sh\n".utf8).write(to: first.appendingPathComponent("script.so"))
        try Data("ignored: not .so".utf8).write(to: first.appendingPathComponent("readme.txt"))
        try fm.copyItem(at: TestPlugins.url("TestLinearBackend"), to: second.appendingPathComponent("linear-copy.so"))
        // Each file is checked in a child first (HostilePluginTests); the verdicts go to a
        // temporary cache, not the user's.
        let runner = try HostilePlugins.runner()
        let host = PluginHost(searchPath: PluginSearchPath(entries: [
            .init(directory: first, origin: .environment), .init(directory: second, origin: .environment),
            .init(directory: first.appendingPathComponent("does-not-exist"), origin: .userData),
        ]), probe: PluginProbe(runner: runner, cache: PluginVerdictCache(file: second.appendingPathComponent("verdicts.json"),
                                                                         checker: PluginVerdictCache.checker(probe: runner.executable))))
        let catalog = host.discover()
        XCTAssertEqual(catalog.backends.map(\.info.id), ["test-linear"])
        XCTAssertEqual(catalog.backends.first?.info.path, first.appendingPathComponent("linear.so").path)
        let reasons = Dictionary(uniqueKeysWithValues: catalog.refused.map { (URL(fileURLWithPath: $0.path).lastPathComponent, $0.reason) })
        XCTAssertEqual(reasons, ["wrong.so": .wrongMajor, "script.so": .notELF, "linear-copy.so": .duplicateID])
    }

    func testBadHyperParametersAreAnErrorNotACrash() throws {
        let backend = try TestPlugins.linear()
        XCTAssertThrowsError(try backend.makeModel(ModelConfiguration(classCount: 3, hyperParametersJSON: "{\"pool\": 7}"))) { error in
            XCTAssertTrue("\(error)".contains("pool"), "\(error)")
        }
        XCTAssertThrowsError(try backend.makeModel(ModelConfiguration(classCount: 1)))
        XCTAssertThrowsError(try backend.loadModel(from: URL(fileURLWithPath: "/nonexistent"))) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent"), "\(error)")
        }
    }
}
