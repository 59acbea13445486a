import Foundation

/// SHA-256 digests of files, remembered for the life of the process so that looking for a model
/// again (each detector set-up, each `resolve`) does not re-read 40 MB. An entry is keyed by what
/// changes when the file does: path, device and inode (a replacement by rename), size, and
/// modification and status-change times to the nanosecond (ctime cannot be set back by a program,
/// so an edit that restores the mtime still misses the cache).
final class FileDigestCache: @unchecked Sendable {
    struct Key: Hashable {
        let path: String
        let device: UInt64
        let inode: UInt64
        let size: Int64
        let modified: [Int]
        let changed: [Int]

        init?(_ url: URL) {
            var info = stat()
            guard stat(url.path, &info) == 0 else { return nil }
            path = url.standardizedFileURL.path
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modified = [Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
            changed = [Int(info.st_ctim.tv_sec), Int(info.st_ctim.tv_nsec)]
        }
    }

    private let lock = NSLock()
    private var digests: [Key: String] = [:]

    func sha256(ofFile url: URL) throws -> String {
        let before = Key(url)
        if let before, let known = lock.withLock({ digests[before] }) { return known }
        // Hashed outside the lock: two threads may hash the same file once each, which is
        // cheaper than making every caller wait behind one 40 MB read.
        let digest = try ContentHash.sha256(ofFile: url)
        // Only remembered when the file did not change while it was read.
        if let before, Key(url) == before {
            lock.withLock { digests[before] = digest }
        }
        return digest
    }

    var count: Int { lock.withLock { digests.count } }
}
