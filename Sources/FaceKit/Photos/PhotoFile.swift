import CVision
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An open photo file: a regular file, opened by its raw path (names need not be UTF-8), whose
/// bytes are read with `pread` (never mapped: a file truncated while mapped would kill the
/// process with SIGBUS).
final class PhotoFile {
    let url: URL
    let size: Int
    private let fd: Int32

    /// Opens `url`, refusing anything that is not a regular file with a reason a person can act on.
    init(_ url: URL) throws(PhotoError) {
        self.url = url
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
        let fd = FileSystemPath.withRawPath(url) { open($0, O_RDONLY | O_NONBLOCK | O_CLOEXEC) }
        guard fd >= 0 else {
            let code = errno
            switch code {
            case ENOENT, ENOTDIR: throw PhotoError(url, "no such file")
            case EACCES, EPERM: throw PhotoError(url, "cannot be read (permission denied)")
            case ELOOP: throw PhotoError(url, "cannot be opened: too many levels of symbolic links")
            default: throw PhotoError(url, "cannot be opened (\(String(cString: strerror(code))))")
            }
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            close(fd)
            throw PhotoError(url, "cannot be read (\(String(cString: strerror(errno))))")
        }
        let kind = st.st_mode & S_IFMT
        if kind != S_IFREG {
            close(fd)
            throw PhotoError(url, Self.describe(kind))
        }
        if Self.isVirtual(fd) {
            close(fd)
            throw PhotoError(url, "not a regular file (a /proc or /sys entry, not a photo)")
        }
        if st.st_size == 0 {
            close(fd)
            throw PhotoError(url, "empty file (0 bytes)")
        }
        self.fd = fd
        self.size = Int(st.st_size)
    }

    deinit { close(fd) }

    /// Up to `count` bytes from `offset` (fewer at the end of the file, none on a read error).
    func bytes(at offset: Int, count: Int) -> [UInt8] {
        guard offset >= 0, offset < size, count > 0 else { return [] }
        let wanted = min(count, size - offset)
        var out = [UInt8](repeating: 0, count: wanted)
        var done = 0
        while done < wanted {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, wanted - done, off_t(offset + done)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            done += n
        }
        return done == wanted ? out : Array(out.prefix(done))
    }

    /// The whole file. The caller has checked `size` against its memory budget.
    func contents() throws(PhotoError) -> Data {
        guard MemoryProbe.canAllocate(size) else {
            throw PhotoError(url, "not enough memory to read the file (\(ByteCount.text(size)))")
        }
        let data = bytes(at: 0, count: size)
        guard data.count == size else {
            throw PhotoError(url, "cannot be read: the file ended after \(data.count) of \(size) bytes (changed while reading?)")
        }
        return Data(data)
    }

    static func describe(_ kind: mode_t) -> String {
        switch kind {
        case S_IFDIR: return "is a folder, not an image"
        case S_IFIFO: return "not a regular file (a named pipe)"
        case S_IFCHR, S_IFBLK: return "not a regular file (a device)"
        case S_IFSOCK: return "not a regular file (a socket)"
        default: return "not a regular file"
        }
    }

    /// Files of /proc, /sys and the like report size 0 (or 4096) whatever they hold.
    static func isVirtual(_ fd: Int32) -> Bool { cvision_file_is_virtual(fd) != 0 }
}

/// Human byte counts for messages ("1.2 GB", "340 MB").
enum ByteCount {
    static func text(_ bytes: Int) -> String {
        let b = Double(bytes)
        if b >= 1e9 { return String(format: "%.1f GB", b / 1e9) }
        if b >= 1e6 { return String(format: "%.0f MB", b / 1e6) }
        if b >= 1e3 { return String(format: "%.0f kB", b / 1e3) }
        return "\(bytes) bytes"
    }
}

/// Whether `bytes` can be allocated right now: Swift traps when an array cannot be allocated,
/// so large buffers are tried with malloc first and a failure is refused with a message.
enum MemoryProbe {
    static func canAllocate(_ bytes: Int) -> Bool {
        guard bytes > 0 else { return true }
        guard let pointer = malloc(bytes) else { return false }
        free(pointer)
        return true
    }
}
