import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Replaces a file's content all at once, the one way every TribeLens module does it: the new
/// bytes go to a hidden temporary file in the target's folder (a rename only replaces atomically
/// within one file system), the file is flushed to disk, renamed over the target, and the folder is
/// flushed so the rename itself survives a crash. Readers see the old file or the new one, never
/// half of one; on any failure the temporary file is removed and the old content stays.
///
/// A new file gets 0666 less the umask (what `open` and Foundation give); a replaced file keeps
/// its permission bits, so a file the user made private stays private.
public enum AtomicFile {
    /// Writes `data` to `url`.
    /// - Parameters:
    ///   - durable: false skips both flushes, for derived data (caches): a crash may then lose the
    ///     newest content but still never leaves a torn file, and many small files stay cheap.
    ///   - createFolder: creates missing folders above `url` first; otherwise a missing folder is
    ///     an error (`SafeFileError.Step.missingFolder`).
    public static func write(_ data: Data, to url: URL, durable: Bool = true, createFolder: Bool = false) throws(SafeFileError) {
        let temporary = try createTemporary(for: url, createFolder: createFolder)
        do {
            try writeAll(data, to: temporary.descriptor, target: url.path)
            try finish(temporary, replacing: url, durable: durable)
        } catch {
            temporary.discard()
            throw error
        }
    }

    /// For libraries that write a file by name themselves (libhdf5): `produce` fills the empty
    /// temporary file whose path it is given (it may truncate or replace it), which then replaces
    /// `url` as in `write(_:to:)`. An error `produce` throws comes back unchanged, after the
    /// temporary file is removed.
    public static func write(to url: URL, durable: Bool = true, createFolder: Bool = false,
                             producing produce: (URL) throws -> Void) throws {
        var temporary = try createTemporary(for: url, createFolder: createFolder)
        do {
            try produce(URL(fileURLWithPath: temporary.path))
            // Reopened by name: the producer may have replaced the file we created.
            close(temporary.descriptor)
            temporary.descriptor = open(temporary.path, O_RDONLY | O_CLOEXEC)
            guard temporary.descriptor >= 0 else { throw SafeFileError(.write, path: url.path) }
            try finish(temporary, replacing: url, durable: durable)
        } catch {
            temporary.discard()
            throw error
        }
    }

    /// Puts a file that was written elsewhere in the same folder (a download's `.part` file,
    /// appended to over several runs) in place of `target`: flush, rename, flush the folder. On
    /// failure `finished` stays where it is, for the caller to retry or remove.
    public static func publish(_ finished: URL, as target: URL, durable: Bool = true) throws(SafeFileError) {
        if durable {
            let descriptor = open(finished.path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw SafeFileError(.sync, path: finished.path) }
            if fsync(descriptor) != 0 {
                let error = SafeFileError(.sync, path: finished.path)
                close(descriptor)
                throw error
            }
            close(descriptor)
        }
        try AtomicRename.rename(finished, to: target)
        if durable { FileSync.sync(target.deletingLastPathComponent()) }
    }

    // MARK: Steps

    private struct Temporary {
        let path: String
        var descriptor: Int32

        func discard() {
            if descriptor >= 0 { close(descriptor) }
            unlink(path)
        }
    }

    private static func createTemporary(for url: URL, createFolder: Bool) throws(SafeFileError) -> Temporary {
        let name = url.lastPathComponent
        guard !name.isEmpty, name != "/", name != ".", name != ".." else {
            throw SafeFileError(.noFileName, path: url.path, reason: "no file name", code: 0)
        }
        let folder = url.deletingLastPathComponent().path
        if createFolder { try makeFolders(folder, for: url.path) }
        // The pid and a UUID keep concurrent writers apart; the name stays short enough for
        // NAME_MAX whatever the target's length.
        let path = folder + "/." + shortened(name) + ".\(getpid()).\(UUID().uuidString).tmp"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            if errno == ENOENT || errno == ENOTDIR {
                throw SafeFileError(.missingFolder, path: url.path, reason: "the folder does not exist", code: errno)
            }
            throw SafeFileError(.createTemporary, path: url.path)
        }
        return Temporary(path: path, descriptor: descriptor)
    }

    private static func finish(_ temporary: Temporary, replacing url: URL, durable: Bool) throws(SafeFileError) {
        var existing = stat()
        if stat(url.path, &existing) == 0, (existing.st_mode & S_IFMT) == S_IFREG {
            _ = fchmod(temporary.descriptor, existing.st_mode & 0o777)
        }
        if durable, fsync(temporary.descriptor) != 0 { throw SafeFileError(.sync, path: url.path) }
        guard rename(temporary.path, url.path) == 0 else { throw SafeFileError(.rename, path: url.path) }
        // Renamed: the descriptor is all that is left to release (a close error cannot undo it).
        close(temporary.descriptor)
        if durable { FileSync.sync(url.deletingLastPathComponent()) }
    }

    private static func writeAll(_ data: Data, to descriptor: Int32, target: String) throws(SafeFileError) {
        let failure: SafeFileError? = data.withUnsafeBytes { buffer -> SafeFileError? in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return SafeFileError(.write, path: target)
                }
                offset += written
            }
            return nil
        }
        if let failure { throw failure }
    }

    /// `mkdir -p`, with the system's reason when it fails.
    private static func makeFolders(_ folder: String, for target: String) throws(SafeFileError) {
        var info = stat()
        if stat(folder, &info) == 0 { return }
        let parent = (folder as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != folder { try makeFolders(parent, for: target) }
        if mkdir(folder, 0o777) != 0, errno != EEXIST {
            throw SafeFileError(.createFolder, path: target)
        }
    }

    private static func shortened(_ name: String) -> String {
        var result = ""
        var bytes = 0
        for character in name {
            bytes += character.utf8.count
            if bytes > 100 { break }
            result.append(character)
        }
        return result
    }
}
