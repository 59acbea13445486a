import Foundation

/// Where plugins are looked for, in order (first match of an id wins):
/// 1. every absolute entry of `$TRIBELENS_PLUGIN_PATH` (colon-separated),
/// 2. the folder of the running executable, for the shipping plugins only (`shippingPlugins`: in
///    a build folder the test plugins lie beside them, and a user's app must not list those),
/// 3. `$XDG_DATA_HOME/tribelens/plugins` (default `~/.local/share/tribelens/plugins`),
/// 4. the install prefix's `lib/tribelens/plugins` (prefix = the executable's folder's parent).
/// Never the current directory: empty and relative entries are skipped, because in a PATH-like
/// list they mean "the current directory", which would let a photo folder inject code.
public struct PluginSearchPath: Sendable, Equatable {
    /// The plugin products that ship (`make install` installs `lib<name>.so` of each: the
    /// Makefile's PLUGINS reads this line, so keep it on one line).
    public static let shippingPlugins = ["SFaceEmbedding", "ScratchCNN", "VGG16Transfer"]

    public struct Entry: Sendable, Equatable {
        public enum Origin: String, Sendable, Codable { case environment, executable, userData, prefix }
        public var directory: URL
        public var origin: Origin
        /// The only file names looked at in `directory`; nil: every `.so` in it.
        public var only: [String]?

        public init(directory: URL, origin: Origin, only: [String]? = nil) {
            self.directory = directory
            self.origin = origin
            self.only = only
        }
    }

    public var entries: [Entry]
    /// Entries of `$TRIBELENS_PLUGIN_PATH` that were ignored, with the reason.
    public var ignored: [String]

    public init(entries: [Entry], ignored: [String] = []) {
        self.entries = entries
        self.ignored = ignored
    }

    /// The standard order for an environment and executable path (both injectable for tests).
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment,
                                executableURL: URL? = PluginSearchPath.currentExecutable()) -> PluginSearchPath {
        var entries: [Entry] = []
        var ignored: [String] = []
        if let list = environment["TRIBELENS_PLUGIN_PATH"] {
            for item in list.split(separator: ":", omittingEmptySubsequences: false).map(String.init) {
                if item.isEmpty {
                    ignored.append("TRIBELENS_PLUGIN_PATH: empty entry ignored (it would mean the current directory)")
                } else if !item.hasPrefix("/") {
                    ignored.append("TRIBELENS_PLUGIN_PATH: relative entry \"\(item)\" ignored (use an absolute path)")
                } else {
                    entries.append(Entry(directory: URL(fileURLWithPath: item, isDirectory: true), origin: .environment))
                }
            }
        }
        if let exe = executableURL {
            let folder = exe.resolvingSymlinksInPath().deletingLastPathComponent()
            entries.append(Entry(directory: folder, origin: .executable, only: shippingPlugins.map { "lib\($0).so" }))
        }
        entries.append(Entry(directory: dataHome(environment).appendingPathComponent("tribelens/plugins", isDirectory: true),
                             origin: .userData))
        if let exe = executableURL {
            let prefix = exe.resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
            entries.append(Entry(directory: prefix.appendingPathComponent("lib/tribelens/plugins", isDirectory: true),
                                 origin: .prefix))
        }
        // The same folder reached twice (e.g. prefix == executable folder) is searched once.
        var seen = Set<String>()
        entries = entries.filter { seen.insert($0.directory.standardizedFileURL.path).inserted }
        return PluginSearchPath(entries: entries, ignored: ignored)
    }

    /// `$XDG_DATA_HOME`, by the same rule as `AppPaths` (relative values are invalid per the XDG
    /// spec and ignored), but from an injectable environment so the order can be tested.
    static func dataHome(_ environment: [String: String]) -> URL {
        if let value = environment["XDG_DATA_HOME"], value.hasPrefix("/") {
            return URL(fileURLWithPath: value, isDirectory: true)
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".local/share", isDirectory: true)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share", isDirectory: true)
    }

    public static func currentExecutable() -> URL? {
        // /proc/self/exe is the real binary even when started through a relative path or symlink.
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return Bundle.main.executableURL
    }
}
