import Foundation
import SafeFiles

/// SHA-256 digests of files, remembered so that looking for a model again (each start, each
/// detector set-up, each `resolve`) does not re-read 40 MB: hashing the SFace file was a third of
/// `tribelens-cli predict` on one photo and on the app's path from start to names. A digest holds
/// while the file's FileStatus is the one it had when it was hashed; any change (an edit, a
/// replacement, a `touch`) hashes it again.
///
/// With a `store` the digests are also kept across starts, in a JSON file under
/// `$XDG_CACHE_HOME/tribelens/`: derived data, written atomically and not flushed (a crash loses
/// the newest digests, never tears the file), ignored when unreadable or malformed.
final class FileDigestCache: @unchecked Sendable {
    struct Entry: Codable, Equatable {
        var status: FileStatus
        var sha256: String
    }

    struct Contents: Codable {
        var format = 1
        var entries: [String: Entry]
    }

    /// Where the digests are kept across starts (asked at first use, so that the XDG folders of
    /// the moment count); nil keeps them for the life of the process only.
    private let store: (@Sendable () -> URL)?
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var loaded = false
    private var hashed = 0

    init(store: (@Sendable () -> URL)? = nil) {
        self.store = store
    }

    static var standardStore: URL { AppPaths.cacheHome.appendingPathComponent("file-digests.json") }

    func sha256(ofFile url: URL) throws -> String {
        let path = url.standardizedFileURL.path
        let before = FileStatus(path: path)
        if let before, let known = lock.withLock({ loadOnce(); return entries[path] }), known.status == before {
            return known.sha256
        }
        // Hashed outside the lock: two threads may hash the same file once each, which is
        // cheaper than making every caller wait behind one 40 MB read.
        let digest = try ContentHash.sha256(ofFile: url)
        // Only remembered when the file did not change while it was read.
        if let before, FileStatus(path: path) == before {
            lock.withLock {
                entries[path] = Entry(status: before, sha256: digest)
                hashed += 1
                save()
            }
        }
        return digest
    }

    /// Files this process has hashed (not the digests it found in the store).
    var filesHashed: Int { lock.withLock { hashed } }

    // Both under `lock`.
    private func loadOnce() {
        guard !loaded else { return }
        loaded = true
        guard let file = store?(), let size = FileStatus(path: file.path)?.size, size < 4 << 20,
              let data = try? Data(contentsOf: file),
              let contents = try? JSONDecoder().decode(Contents.self, from: data), contents.format == 1 else { return }
        entries.merge(contents.entries) { mine, _ in mine }
    }

    private func save() {
        guard let file = store?() else { return }
        // Files deleted or changed since are dropped: the store stays the size of what is there.
        let current = entries.filter { FileStatus(path: $0.key) == $0.value.status }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(Contents(entries: current)) else { return }
        try? AtomicFile.write(data, to: file, durable: false, createFolder: true)
    }
}
