import Foundation
import SafeFiles
#if canImport(Glibc)
import Glibc
#endif

/// Features of the frozen part of a network, computed once per (frozen weights, crop) and reused
/// every epoch: the write-up recomputes VGG16 blocks 1-4 for every image of every epoch, which is
/// most of its training time.
///
/// On disk (in `features/<network key>/` of the cache folder the host gives, safe to delete):
/// `features.f32` holds rows of `rowLength` floats, appended; `index.bin` maps a crop's content
/// key to its row and is replaced atomically after the rows it names are on disk, so a crash
/// leaves at worst unreferenced rows. The feature file is memory-mapped for reading.
///
/// Every page of the mapping a process has read counts in its resident set (as page cache, but
/// still RssFile), so an epoch over 34,560 crops would hold all 1.1 GB of rows. `copyRow` hands
/// the row's pages back right after copying it; the kernel keeps them cached, so the next epoch
/// only takes a minor fault per page.
final class FeatureCache {
    let directory: URL
    let rowLength: Int
    private var rows: [UInt64: Int] = [:]
    private var mapped: FileMapping?
    private var mappedRows = 0
    private var pending: [(key: UInt64, values: [Float])] = []
    /// Pending rows are written out once they reach this many (bounds memory on big datasets).
    private let flushEvery: Int

    private(set) var hits = 0
    private(set) var misses = 0

    var featuresURL: URL { directory.appendingPathComponent("features.f32") }
    var indexURL: URL { directory.appendingPathComponent("index.bin") }

    init(directory: URL, rowLength: Int, flushEvery: Int = 1024) throws {
        self.directory = directory
        self.rowLength = rowLength
        self.flushEvery = flushEvery
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try loadIndex()
    }

    var count: Int { rows.count + pending.count }

    /// Looks `key` up; calls `body` with the cached row if there is one.
    func withRow<T>(_ key: UInt64, _ body: (UnsafeBufferPointer<Float>) throws -> T) rethrows -> T? {
        if let row = rows[key], row < mappedRows, let mapped {
            hits += 1
            return try body(UnsafeBufferPointer(start: mapped.floats + row * rowLength, count: rowLength))
        }
        if let p = pending.first(where: { $0.key == key }) {
            hits += 1
            return try p.values.withUnsafeBufferPointer(body)
        }
        return nil
    }

    /// Copies the row for `key` to `destination` (rowLength floats) and, if it came from the
    /// mapping, drops the row's pages from this process (they stay in the page cache). Returns
    /// false if the key is not cached.
    func copyRow(_ key: UInt64, into destination: UnsafeMutablePointer<Float>) -> Bool {
        let found = withRow(key) { destination.update(from: $0.baseAddress!, count: rowLength) } != nil
        if found, let row = rows[key], row < mappedRows {
            mapped?.release(byteRange: row * rowLength * 4..<(row + 1) * rowLength * 4)
        }
        return found
    }

    func contains(_ key: UInt64) -> Bool {
        rows[key].map { $0 < mappedRows } ?? false || pending.contains { $0.key == key }
    }

    func insert(_ key: UInt64, _ values: [Float]) throws {
        precondition(values.count == rowLength)
        misses += 1
        pending.append((key, values))
        if pending.count >= flushEvery { try flush() }
    }

    /// Appends pending rows, then publishes them in a new index.
    func flush() throws {
        guard !pending.isEmpty else { return }
        if !FileManager.default.fileExists(atPath: featuresURL.path) {
            _ = FileManager.default.createFile(atPath: featuresURL.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: featuresURL)
        let end = try handle.seekToEnd()
        // Rows start on a row boundary even if an earlier crash left a partial row behind.
        let rowBytes = UInt64(rowLength * 4)
        var firstRow = Int(end / rowBytes)
        if end % rowBytes != 0 {
            firstRow += 1
            try handle.seek(toOffset: UInt64(firstRow) * rowBytes)
        }
        for (i, entry) in pending.enumerated() {
            entry.values.withUnsafeBytes { handle.write(Data($0)) }
            rows[entry.key] = firstRow + i
        }
        try handle.synchronize()
        try handle.close()
        pending.removeAll()
        try writeIndex()
        try remap()
    }

    private func remap() throws {
        mapped = nil  // unmap before mapping the longer file
        mapped = FileMapping(path: featuresURL.path)
        mappedRows = (mapped?.byteCount ?? 0) / (rowLength * 4)
    }

    /// index.bin: "TLFC1" + row length (u32) + count (u64) + count x (key u64, row u64), little endian.
    private func writeIndex() throws {
        var data = Data("TLFC1".utf8)
        func append<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        append(UInt32(rowLength))
        append(UInt64(rows.count))
        for (key, row) in rows.sorted(by: { $0.value < $1.value }) {
            append(key)
            append(UInt64(row))
        }
        // Not flushed: the rows it names are, and a lost index only costs recomputing them.
        try AtomicFile.write(data, to: indexURL, durable: false)
    }

    private func loadIndex() throws {
        try remap()
        guard let data = try? Data(contentsOf: indexURL) else { return }
        let bytes = [UInt8](data)
        func u64(_ at: Int) -> UInt64 { (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) } }
        // A damaged or foreign index is dropped: the cache is derived data and simply refills.
        guard bytes.count >= 17, Array(bytes[0..<5]) == Array("TLFC1".utf8),
              Int(u64(5) & 0xFFFF_FFFF) == rowLength else { return }
        let count = Int(u64(9))
        guard count >= 0, bytes.count == 17 + count * 16 else { return }
        for i in 0..<count {
            let row = Int(u64(17 + i * 16 + 8))
            if row < mappedRows { rows[u64(17 + i * 16)] = row }
        }
    }
}

/// A read-only shared mapping of a whole file (nil if it is missing or empty).
final class FileMapping {
    let base: UnsafeMutableRawPointer
    let byteCount: Int
    var floats: UnsafePointer<Float> { UnsafePointer(base.assumingMemoryBound(to: Float.self)) }
    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }  // the mapping outlives the descriptor
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0 else { return nil }
        let bytes = Int(info.st_size)
        guard let p = mmap(nil, bytes, PROT_READ, MAP_SHARED, fd, 0), p != MAP_FAILED else { return nil }
        base = p
        byteCount = bytes
    }

    deinit { munmap(base, byteCount) }

    /// Drops the pages covering `byteRange` from this process's resident set. On a read-only
    /// shared file mapping MADV_DONTNEED loses nothing: the next read maps the same page-cache
    /// page (or rereads the file). The range is widened to whole pages; neighbours' pages
    /// dropped with it are simply faulted in again.
    func release(byteRange: Range<Int>) {
        let start = byteRange.lowerBound / Self.pageSize * Self.pageSize
        let end = min(byteCount, byteRange.upperBound)
        guard end > start else { return }
        _ = madvise(base + start, end - start, MADV_DONTNEED)
    }
}

/// A 64-bit content key for a crop (and anything else that decides its features), from two
/// differently seeded multiply-xorshift passes over 8-byte words.
enum ContentKey {
    static func of(_ bytes: UnsafeRawBufferPointer, salt: UInt64) -> UInt64 {
        var a: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ salt, b: UInt64 = 0xC2B2_AE3D_27D4_EB4F &+ salt
        let words = bytes.count / 8
        for i in 0..<words {
            let w = bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)
            a = (a ^ w) &* 0xFF51_AFD7_ED55_8CCD
            a ^= a >> 33
            b = (b &+ w) &* 0xC4CE_B9FE_1A85_EC53
            b ^= b >> 29
        }
        for i in (words * 8)..<bytes.count {
            a = (a ^ UInt64(bytes[i])) &* 0xFF51_AFD7_ED55_8CCD
        }
        a ^= UInt64(bytes.count)
        return mix(a) ^ (mix(b) &* 0x9E37_79B9_7F4A_7C15)
    }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
