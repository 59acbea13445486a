import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The file-system primitives crash-safe saving needs: fsync and an atomic directory swap.
enum AtomicFiles {
    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    private static let atFDCWD: Int32 = -100
    private static let renameExchange: UInt32 = 1 << 1

    // renameat2 is glibc >= 2.28 and only declared under _GNU_SOURCE, which Swift's Glibc module
    // does not set; look it up at run time instead (nil on exotic libcs: the fallback path runs).
    private static let renameat2: RenameAt2? = dlsym(nil, "renameat2").map {
        unsafeBitCast($0, to: RenameAt2.self)
    }

    /// Flushes a file or directory to disk so a crash after a rename cannot expose empty files.
    static func sync(_ url: URL) {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Syncs every regular file directly in `directory`, then the directory itself.
    static func syncTree(_ directory: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names { sync(directory.appendingPathComponent(name)) }
        sync(directory)
    }

    /// Atomically swaps two existing paths (Linux RENAME_EXCHANGE). False if unsupported.
    static func exchange(_ a: URL, _ b: URL) -> Bool {
        guard let renameat2 else { return false }
        return renameat2(atFDCWD, a.path, atFDCWD, b.path, renameExchange) == 0
    }

    static func rename(_ from: URL, _ to: URL) throws {
        guard Glibc.rename(from.path, to.path) == 0 else {
            throw ModelStoreError("cannot rename \(from.path) to \(to.path): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes `data` to `url` through a temporary file in the same folder and a rename.
    static func write(_ data: Data, to url: URL) throws {
        let temp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UUID().uuidString)")
        do {
            try data.write(to: temp)
            sync(temp)
            try rename(temp, url)
            sync(url.deletingLastPathComponent())
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw ModelStoreError("cannot write \(url.path): \(error)")
        }
    }
}
