import Foundation

/// Where the dataset pipeline keeps its files (design brief, "Files the app owns"):
/// derived data under `$XDG_CACHE_HOME/tribelens/` (safe to delete), user decisions and named
/// datasets under `$XDG_DATA_HOME/tribelens/`. Photo folders are never written.
/// Passed explicitly everywhere so tests use temporary folders and never the real home.
public struct DatasetStorage: Sendable, Equatable {
    /// `$XDG_CACHE_HOME/tribelens`
    public var cacheRoot: URL
    /// `$XDG_DATA_HOME/tribelens`
    public var dataRoot: URL

    public init(cacheRoot: URL, dataRoot: URL) {
        self.cacheRoot = cacheRoot
        self.dataRoot = dataRoot
    }

    /// The user's XDG locations (`AppPaths`: `$XDG_CACHE_HOME/tribelens`, `$XDG_DATA_HOME/tribelens`).
    public static var standard: DatasetStorage { DatasetStorage(cacheRoot: AppPaths.cacheHome, dataRoot: AppPaths.dataHome) }

    /// Face-extraction results, one entry per (detector settings, photo content hash).
    public var faceCache: URL { cacheRoot.appendingPathComponent("faces", isDirectory: true) }
    /// Rejections and re-labellings, keyed by photo content hash and box.
    public var curationFile: URL { dataRoot.appendingPathComponent("curation.json") }
    /// Named datasets (`<name>/manifest.json`).
    public var datasetsDirectory: URL { dataRoot.appendingPathComponent("datasets", isDirectory: true) }
    /// User rosters, found by id (`<id>.json`).
    public var rostersDirectory: URL { dataRoot.appendingPathComponent("rosters", isDirectory: true) }
}
