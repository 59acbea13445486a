import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Renames that replace atomically: a file or folder moved over another in one step, and the
/// swap of two folders (how a saved model replaces the previous one).
public enum AtomicRename {
    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    private static let atFDCWD: Int32 = -100
    private static let renameExchange: UInt32 = 1 << 1

    // renameat2 is glibc >= 2.28 and only declared under _GNU_SOURCE, which Swift's Glibc module
    // does not set; look it up at run time instead (nil on exotic libcs: the fallback path runs).
    private static let renameat2: RenameAt2? = dlsym(nil, "renameat2").map {
        unsafeBitCast($0, to: RenameAt2.self)
    }

    /// rename(2): `to` is replaced if it exists (a folder only by an empty one).
    public static func rename(_ from: URL, to: URL) throws(SafeFileError) {
        guard Glibc.rename(from.path, to.path) == 0 else { throw SafeFileError(.rename, path: to.path, source: from.path) }
    }

    /// Atomically swaps two existing paths (Linux RENAME_EXCHANGE). False if unsupported.
    public static func exchange(_ a: URL, _ b: URL) -> Bool {
        guard let renameat2 else { return false }
        return renameat2(atFDCWD, a.path, atFDCWD, b.path, renameExchange) == 0
    }
}
