import Foundation
import SafeFiles
#if canImport(Glibc)
import Glibc
#endif

/// Verdicts on plugin files, remembered across starts in `$XDG_CACHE_HOME/tribelens/plugin-verdicts.json`
/// so that a plugin is checked in a child process once, not at every start, and a file that
/// crashed the check once costs one check, not every start.
///
/// An entry is keyed by the file's real path and holds what identifies its bytes: its FileStatus
/// and the SHA-256. Unchanged status: the verdict holds without reading the file. Changed
/// status but the same size and SHA-256 (a copy, a `touch`): it still holds. Anything else: the
/// file is checked again. The whole cache is void when the probe or the host's ABI changed.
public struct PluginVerdictCache: Sendable {
    struct Entry: Codable, Equatable {
        var status: FileStatus
        var sha256: String
        var verdict: PluginVerdict
    }

    struct Contents: Codable {
        var format = 1
        /// Who wrote the verdicts (host ABI, probe file): a new probe or host checks anew.
        var checker: String
        var entries: [String: Entry]
    }

    public let file: URL
    /// Identifies the probe and host that gave the verdicts.
    let checker: String

    public init(file: URL, checker: String) {
        self.file = file
        self.checker = checker
    }

    public static var standardFile: URL { AppPaths.cacheHome.appendingPathComponent("plugin-verdicts.json") }

    /// "ABI 1.1, /usr/lib/tribelens/tribelens-probe 1234567 bytes, mtime ..."
    public static func checker(probe: URL?) -> String {
        var text = "abi \(PluginABI.hostMajor).\(PluginABI.hostMinor)"
        if let probe, let info = PluginFileType.status(probe.path) {
            text += " probe \(probe.path) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        }
        return text
    }

    /// The stored entries (empty when the file is missing, unreadable, or from another checker).
    func load() -> [String: Entry] {
        guard let data = try? Data(contentsOf: file),
              let contents = try? JSONDecoder().decode(Contents.self, from: data),
              contents.format == 1, contents.checker == checker else { return [:] }
        return contents.entries
    }

    /// Writes the entries atomically: a reader never sees half a cache. Derived data, so not
    /// flushed to disk (a crash may lose the newest verdicts, never tear the file). Failing to
    /// write only means checking again next time.
    func save(_ entries: [String: Entry]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(Contents(checker: checker, entries: entries)) else { return }
        try? AtomicFile.write(data, to: file, durable: false, createFolder: true)
    }
}
