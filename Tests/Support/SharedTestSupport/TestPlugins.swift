import Foundation
import XCTest
import FaceKit

/// Finds the C test plugins SwiftPM builds next to the test bundle (.build/<triple>/<config>/),
/// or in `$TRIBELENS_TEST_PLUGIN_DIR` when set.
public enum TestPlugins {
    public static var directory: URL {
        if let dir = ProcessInfo.processInfo.environment["TRIBELENS_TEST_PLUGIN_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir, isDirectory: true)
        }
        let exe = PluginSearchPath.currentExecutable() ?? URL(fileURLWithPath: CommandLine.arguments[0])
        // The test runner is .build/<triple>/<config>/TribeLensPackageTests.xctest (a file on
        // Linux; a bundle folder elsewhere: walk up until the products appear).
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: dir.appendingPathComponent("libTestLinearBackend.so").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }

    public static func url(_ product: String) throws -> URL {
        let url = directory.appendingPathComponent("lib\(product).so")
        guard FileManager.default.fileExists(atPath: url.path) else {
            // A failure, not a skip: CI must never pass without having loaded the real plugins.
            throw BackendError(.io, "lib\(product).so not found in \(directory.path); build with `swift build --build-tests` first")
        }
        return url
    }

    public static func linear() throws -> PluginBackend { try PluginLoader.load(url("TestLinearBackend")) }
}
