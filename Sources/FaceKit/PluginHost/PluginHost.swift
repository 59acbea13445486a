import Foundation

/// Finds and loads every plugin on the search path.
public struct PluginHost: Sendable {
    /// One `.so` that was not accepted, or a backend id already provided by an earlier folder.
    public struct Refusal: Sendable, Equatable {
        public var path: String
        public var reason: PluginLoadError.Reason
        public var message: String
    }

    public struct Catalog: Sendable {
        public var backends: [PluginBackend]
        public var refused: [Refusal]
        /// Notes about the search path itself (ignored entries).
        public var notes: [String]
        public var searched: [PluginSearchPath.Entry]
        /// Files checked in a child process during this discovery (the others had a remembered verdict).
        public var probed: [String] = []

        public func backend(id: String) -> PluginBackend? { backends.first { $0.info.id == id } }
    }

    public let searchPath: PluginSearchPath
    /// Checks each file in a child process before it is loaded here (docs/reliability.md).
    public let probe: PluginProbe

    public init(searchPath: PluginSearchPath = .standard(), probe: PluginProbe = .standard()) {
        self.searchPath = searchPath
        self.probe = probe
    }

    /// Candidate files in search order: `*.so` directly inside each folder (only the names an
    /// entry allows), sorted by name so the result does not depend on directory order. Missing
    /// folders are simply skipped.
    public func candidates() -> [URL] {
        let fm = FileManager.default
        var result: [URL] = []
        for entry in searchPath.entries {
            guard let names = try? fm.contentsOfDirectory(atPath: entry.directory.path) else { continue }
            for name in names.sorted() where name.hasSuffix(".so") && entry.only.map({ $0.contains(name) }) ?? true {
                let url = entry.directory.appendingPathComponent(name)
                var isDirectory: ObjCBool = false
                if fm.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    result.append(url)
                }
            }
        }
        return result
    }

    /// Loads every candidate. The first plugin of an id wins; later ones are refused as shadowed.
    /// Every refused file is reported (with its reason), so a user can see why a plugin is missing.
    public func discover() -> Catalog {
        var catalog = Catalog(backends: [], refused: [], notes: searchPath.ignored, searched: searchPath.entries)
        var loadedPaths = Set<String>()
        let files = candidates().filter { loadedPaths.insert($0.resolvingSymlinksInPath().path).inserted }
        let checked = probe.check(files)
        catalog.probed = checked.filter(\.probed).map(\.url.path)
        for (url, check) in zip(files, checked) {
            guard check.verdict.accepted else {
                catalog.refused.append(Refusal(path: url.path, reason: check.verdict.reason ?? .probeFailed,
                                               message: check.verdict.message ?? "plugin \(url.path): refused"))
                continue
            }
            do {
                let backend = try PluginLoader.load(url)
                if let first = catalog.backend(id: backend.info.id) {
                    catalog.refused.append(Refusal(
                        path: url.path, reason: .duplicateID,
                        message: "plugin \(url.path): id \"\(backend.info.id)\" is already provided by \(first.info.path ?? "?"), which comes first in the search path"))
                } else {
                    catalog.backends.append(backend)
                }
            } catch {
                catalog.refused.append(Refusal(path: error.path, reason: error.reason, message: error.message))
            }
        }
        return catalog
    }
}
