import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whether an address lies in executable memory, from `/proc/self/maps`: a plugin whose entry
/// symbol is a variable would otherwise be "called" and crash whoever calls it.
enum CodeAddress {
    static func isExecutable(_ address: UnsafeRawPointer) -> Bool {
        let value = UInt(bitPattern: address)
        guard let maps = procText("/proc/self/maps") else {
            return true  // no procfs: cannot tell (the probe's child process still contains a crash)
        }
        for line in maps.split(separator: "\n") {
            // "start-end perms offset dev inode path"
            let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            guard fields.count >= 2 else { continue }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16),
                  start <= value, value < end else { continue }
            return fields[1].dropFirst(2).first == "x"
        }
        return false
    }

    /// A /proc file, read to its end (they report a size of 0, so Foundation's readers stop short).
    private static func procText(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
