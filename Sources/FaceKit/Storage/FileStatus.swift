import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What changes when a file's bytes may have: device and inode (a replacement by rename), size,
/// and modification and status-change times to the nanosecond. A program can set the mtime back
/// but not the ctime, so an edit that restores the mtime still changes the status. The caches
/// that remember something about a file's bytes across reads (PluginVerdictCache,
/// FileDigestCache) trust it only while this is unchanged.
struct FileStatus: Codable, Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: [Int]
    var changed: [Int]

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = [Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
        changed = [Int(info.st_ctim.tv_sec), Int(info.st_ctim.tv_nsec)]
    }

    /// The status of the file at `path` (following links), nil when it cannot be read.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }
}
