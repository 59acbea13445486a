import Foundation
import XCTest

/// Runs the built `tribelens-cli` as a user would, with the XDG folders and HOME in `home`; the
/// plugins are the freshly built shipping ones next to it (never the test plugins beside them),
/// unless `pluginPath` adds others first.
public struct CLIRunner {
    public struct Result { public var status: Int32; public var stdout: String; public var stderr: String }

    public let home: URL

    public init(home: URL) { self.home = home }

    public func run(_ arguments: [String], pluginPath: String? = nil) throws -> Result {
        let binary = TestPlugins.directory.appendingPathComponent("tribelens-cli")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("tribelens-cli is not built next to the tests (\(binary.path)); build all products first")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_DATA_HOME"] = home.appendingPathComponent("data").path
        environment["XDG_CACHE_HOME"] = home.appendingPathComponent("cache").path
        environment["HOME"] = home.path  // no ~/.keras of the real user
        environment["TRIBELENS_PLUGIN_PATH"] = pluginPath  // nil: the shipping plugins next to the executable
        process.environment = environment
        let out = home.appendingPathComponent("out-\(UUID().uuidString).txt")
        let err = home.appendingPathComponent("err-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
                      stderr: try String(contentsOf: err, encoding: .utf8))
    }
}
