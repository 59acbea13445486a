import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Flushes to disk what a rename is about to publish, so a crash after it cannot expose empty
/// files. Best effort: a file that cannot be opened is skipped (the rename that follows still
/// reports real trouble).
public enum FileSync {
    /// fsync of one file or folder.
    public static func sync(_ url: URL) {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// Every entry directly in `directory`, then the directory itself.
    public static func syncTree(_ directory: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names { sync(directory.appendingPathComponent(name)) }
        sync(directory)
    }
}
