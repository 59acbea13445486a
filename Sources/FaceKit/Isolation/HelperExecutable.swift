import Foundation

/// Where the helpers that open untrusted files in a child process are: next to the running
/// executable (the build folder, where SwiftPM puts every product), else
/// `PREFIX/lib/tribelens/` of an installed app (`make install`; PREFIX is the executable's
/// folder's parent). Never `$PATH`: a helper that decides what the app loads must be the one
/// installed with it.
public enum HelperExecutable {
    /// Checks a plugin file (C: starting it costs a millisecond, not Swift's runtime and FaceKit's
    /// 160 libraries, because it runs for every new plugin file at start-up).
    public static let probe = "tribelens-probe"
    /// Converts a Keras .h5 to safetensors with libhdf5 (Swift: KerasWeights).
    public static let converter = "tribelens-convert"

    public static func find(_ name: String, executable: URL? = runningExecutable()) -> URL? {
        places(name, executable: executable).map { URL(fileURLWithPath: $0) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// A runner for the helper, or nil when it is not installed.
    public static func runner(_ name: String) -> IsolatedRun? {
        find(name).map { IsolatedRun(executable: $0) }
    }

    /// The places `find` looks, in order, for a message when it finds nothing.
    public static func places(_ name: String, executable: URL? = runningExecutable()) -> [String] {
        guard let folder = executable?.resolvingSymlinksInPath().deletingLastPathComponent() else { return [] }
        return [folder.appendingPathComponent(name).path,
                folder.deletingLastPathComponent().appendingPathComponent("lib/tribelens/\(name)").path]
    }

    public static func runningExecutable() -> URL? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return Bundle.main.executableURL
    }
}
