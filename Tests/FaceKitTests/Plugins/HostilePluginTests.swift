import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// Issue 16, item 4: every plugin file is checked in a child process before the host loads it,
/// so a hostile one is refused with the signal or the time limit as the reason and the host
/// goes on; the verdict is remembered until the file changes.
final class HostilePluginTests: XCTestCase {
    var folder: URL!
    var cacheFile: URL!
    // Short enough for the looping plugin to cost little, long enough for a busy machine.
    let limits = IsolatedRun.Limits(seconds: 5, memoryMB: 256)

    override func setUpWithError() throws {
        folder = try makeTemporaryDirectory("tribelens-hostile")
        cacheFile = folder.appendingPathComponent("cache/plugin-verdicts.json")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("plugins"), withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    var plugins: URL { folder.appendingPathComponent("plugins") }

    func host(runner: IsolatedRun?) -> PluginHost {
        PluginHost(searchPath: PluginSearchPath(entries: [.init(directory: plugins, origin: .userData)]),
                   probe: PluginProbe(runner: runner, limits: limits,
                                      cache: PluginVerdictCache(file: cacheFile, checker: PluginVerdictCache.checker(probe: runner?.executable))))
    }

    func testEveryHostilePluginIsRefusedWithItsReasonAndTheHostGoesOn() throws {
        try HostilePlugins.make(in: plugins)
        let started = Date()
        let catalog = host(runner: try HostilePlugins.runner()).discover()
        let seconds = Date().timeIntervalSince(started)
        // We are still here: nothing was loaded in this process before its check.
        XCTAssertEqual(catalog.backends.map(\.info.id), ["hostile-good"])
        let refused = Dictionary(uniqueKeysWithValues: catalog.refused.map { (URL(fileURLWithPath: $0.path).lastPathComponent, $0) })
        XCTAssertEqual(Set(refused.keys), Set(HostilePlugins.expected.keys))
        for (name, (reason, fragment)) in HostilePlugins.expected {
            let refusal = try XCTUnwrap(refused[name], name)
            XCTAssertEqual(refusal.reason, reason, "\(name): \(refusal.message)")
            XCTAssertTrue(refusal.message.hasPrefix("plugin \(plugins.appendingPathComponent(name).path): "), refusal.message)
            XCTAssertTrue(refusal.message.contains(fragment), "\(name): \(refusal.message)")
        }
        XCTAssertTrue(refused["libloop.so"]!.message.contains("took longer than 5 s"), refused["libloop.so"]!.message)
        XCTAssertTrue(refused["libhog.so"]!.message.contains("needs more than 256 MB"), refused["libhog.so"]!.message)
        // Every regular file was checked in a child; the FIFO was never opened.
        XCTAssertEqual(Set(catalog.probed.map { URL(fileURLWithPath: $0).lastPathComponent }),
                       Set(HostilePlugins.expected.keys).subtracting(["libfifo.so"]).union(["libgood.so"]))
        // Children run side by side: the loop's 5 s dominate, not the sum of every check.
        XCTAssertLessThan(seconds, 4 * limits.seconds, "discovery took \(seconds) s")
    }

    func testAVerdictIsRememberedUntilTheFileChanges() throws {
        try HostilePlugins.build("CTOR_ABORT", id: "hostile-abort", to: plugins.appendingPathComponent("libabort.so"))
        try HostilePlugins.build("GOOD", id: "hostile-good", to: plugins.appendingPathComponent("libgood.so"))
        let runner = try HostilePlugins.runner()
        let first = host(runner: runner).discover()
        XCTAssertEqual(first.probed.count, 2)
        XCTAssertEqual(first.refused.map(\.reason), [.crashed])
        XCTAssertTrue(FileManager.default.fileExists(atPath: cacheFile.path))

        // A later start: no child at all, the same catalog.
        let second = host(runner: runner).discover()
        XCTAssertEqual(second.probed, [], "unchanged files are not checked again")
        XCTAssertEqual(second.refused, first.refused)
        XCTAssertEqual(second.backends.map(\.info.id), ["hostile-good"])

        // Touched (new times, same bytes): the SHA-256 still matches, no child.
        let abort = plugins.appendingPathComponent("libabort.so")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: abort.path)
        XCTAssertEqual(host(runner: runner).discover().probed, [])

        // Replaced by a good plugin: checked again, and now loaded.
        try FileManager.default.removeItem(at: abort)
        try HostilePlugins.build("GOOD", id: "hostile-fixed", to: abort)
        let third = host(runner: runner).discover()
        XCTAssertEqual(third.probed, [abort.path])
        XCTAssertEqual(third.refused, [])
        XCTAssertEqual(Set(third.backends.map(\.info.id)), ["hostile-good", "hostile-fixed"])

        // A runner that cannot start proves the next discovery starts none.
        let broken = IsolatedRun(executable: folder.appendingPathComponent("no-such-probe"))
        let cache = PluginVerdictCache(file: cacheFile, checker: PluginVerdictCache.checker(probe: runner.executable))
        let fourth = PluginHost(searchPath: PluginSearchPath(entries: [.init(directory: plugins, origin: .userData)]),
                                probe: PluginProbe(runner: broken, limits: limits, cache: cache)).discover()
        XCTAssertEqual(fourth.probed, [])
        XCTAssertEqual(Set(fourth.backends.map(\.info.id)), ["hostile-good", "hostile-fixed"])
    }

    func testAnotherProbeOrHostChecksAnew() throws {
        try HostilePlugins.build("GOOD", id: "hostile-good", to: plugins.appendingPathComponent("libgood.so"))
        let runner = try HostilePlugins.runner()
        XCTAssertEqual(host(runner: runner).discover().probed.count, 1)
        let other = PluginProbe(runner: runner, limits: limits, cache: PluginVerdictCache(file: cacheFile, checker: "another probe"))
        let catalog = PluginHost(searchPath: PluginSearchPath(entries: [.init(directory: plugins, origin: .userData)]), probe: other).discover()
        XCTAssertEqual(catalog.probed.count, 1, "verdicts of another checker are not trusted")
    }

    func testWithoutTheHelperNothingIsLoadedUnchecked() throws {
        try HostilePlugins.build("GOOD", id: "hostile-good", to: plugins.appendingPathComponent("libgood.so"))
        let catalog = host(runner: nil).discover()
        XCTAssertEqual(catalog.backends.count, 0)
        XCTAssertEqual(catalog.refused.map(\.reason), [.probeFailed])
        XCTAssertTrue(catalog.refused[0].message.contains(HelperExecutable.probe), catalog.refused[0].message)
        // Not remembered: once the helper is installed, the plugin loads.
        XCTAssertEqual(host(runner: try HostilePlugins.runner()).discover().backends.map(\.info.id), ["hostile-good"])
    }

    /// What the check adds to a start with unchanged plugins (docs/reliability.md): reading the
    /// cache and a stat per file; the libraries are loaded already, so only that is timed.
    func testAWarmStartAddsLittle() throws {
        for name in PluginSearchPath.shippingPlugins {
            try FileManager.default.copyItem(at: TestPlugins.url(name), to: plugins.appendingPathComponent("lib\(name).so"))
        }
        let runner = try HostilePlugins.runner()
        let started = Date()
        XCTAssertEqual(host(runner: runner).discover().probed.count, PluginSearchPath.shippingPlugins.count)
        let cold = Date().timeIntervalSince(started)
        func median(_ body: () -> Void) -> Double {
            (0..<9).map { _ in let t = Date(); body(); return Date().timeIntervalSince(t) }.sorted()[4]
        }
        let warm = median { XCTAssertEqual(host(runner: runner).discover().probed, []) }
        let unchecked = median {
            for url in host(runner: runner).candidates() { XCTAssertNotNil(try? PluginLoader.load(url)) }
        }
        print(String(format: "plugin discovery of the %d shipping plugins: cold %.0f ms, warm %.1f ms, loader alone %.1f ms",
                     PluginSearchPath.shippingPlugins.count, cold * 1000, warm * 1000, unchecked * 1000))
        XCTAssertLessThan(warm - unchecked, 0.05, "a warm check costs more than 50 ms")
    }

    func testTheLoaderItselfNeverOpensAFIFO() throws {
        let fifo = plugins.appendingPathComponent("libfifo.so")
        XCTAssertEqual(mkfifo(fifo.path, 0o644), 0)
        XCTAssertThrowsError(try PluginLoader.load(fifo)) { error in
            XCTAssertEqual((error as? PluginLoadError)?.reason, .notRegularFile)
        }
    }

    func testTheRealPluginsPassTheirCheck() throws {
        let runner = try HostilePlugins.runner()
        let probe = PluginProbe(runner: runner, cache: nil)
        let names = ["TestLinearBackend", "TestSwiftBackend", "ScratchCNN", "VGG16Transfer", "SFaceEmbedding"]
        let checked = probe.check(try names.map { try TestPlugins.url($0) })
        for (name, result) in zip(names, checked) {
            XCTAssertTrue(result.verdict.accepted, "\(name): \(result.verdict.message ?? "")")
            XCTAssertTrue(result.probed)
        }
        XCTAssertEqual(checked.map(\.verdict.id), ["test-linear", "test-swift-nearest-mean", "scratch-cnn", "vgg16-transfer", "sface"])
        // Tables that load without harm but break the ABI's rules pass the check; the host's
        // loader then refuses them as before, in one place.
        let wrong = probe.check([try TestPlugins.url("TestWrongABI"), try TestPlugins.url("TestNoEntry")])
        XCTAssertEqual(wrong.map(\.verdict.accepted), [true, true])
        XCTAssertEqual(wrong[0].verdict.abi, "99.0")
    }
}
