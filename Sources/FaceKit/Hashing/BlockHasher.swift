import Foundation

/// What SHA-256 and MD5 share: bytes of any length fed into 64-byte blocks, and the final
/// padding (0x80, zeros, the bit length) that makes the last blocks. Each hash supplies only its
/// compression function and the byte order of the length.
protocol BlockHasher {
    /// Fewer than 64 bytes not yet compressed.
    var pending: [UInt8] { get set }
    /// Bytes fed so far.
    var total: UInt64 { get set }
    /// SHA-256 writes the bit length big-endian, MD5 little-endian.
    static var bigEndianLength: Bool { get }
    mutating func compress(_ block: UnsafeRawBufferPointer)
}

extension BlockHasher {
    mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        total &+= UInt64(bytes.count)
        var offset = 0
        if !pending.isEmpty {
            let take = min(64 - pending.count, bytes.count)
            pending += bytes[0..<take]
            offset = take
            guard pending.count == 64 else { return }
            let block = pending
            block.withUnsafeBytes { compress($0) }
            pending.removeAll(keepingCapacity: true)
        }
        // Whole blocks straight from the caller's buffer: no copy for the bulk of a file.
        while bytes.count - offset >= 64 {
            compress(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 64]))
            offset += 64
        }
        pending += bytes[offset...]
    }

    /// Feeds a file in 1 MiB pieces, so a 40 MB model never sits in memory whole.
    mutating func feed(contentsOf url: URL) throws {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { chunk.withUnsafeBytes { feed($0) } }
    }

    /// Compresses the padding; the hasher is finished afterwards.
    mutating func pad() {
        let bits = total &* 8
        var tail = pending
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        let shifts = Self.bigEndianLength ? Array(stride(from: 56, through: 0, by: -8)) : Array(stride(from: 0, through: 56, by: 8))
        for shift in shifts { tail.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        tail.withUnsafeBytes { raw in
            for start in stride(from: 0, to: raw.count, by: 64) {
                compress(UnsafeRawBufferPointer(rebasing: raw[start..<start + 64]))
            }
        }
        pending = []
    }
}
