import BackendPluginKit
import Foundation
import SafeFiles

/// Embeddings by sample key (the host's 128-bit content key of a crop), in memory for the
/// model's life and on disk under the host's cache folder, one file per SFace network
/// checksum, so a crop is embedded once: in the first epoch of the first run that sees it.
///
/// File: "TLSFEMB1", then records of two key words and 128 little-endian floats. A file of any
/// other shape is ignored (it is only a cache) and rewritten.
final class EmbeddingCache {
    struct Key: Hashable {
        var high: UInt64
        var low: UInt64
    }

    private static let magic = Array("TLSFEMB1".utf8)
    private static let recordBytes = 16 + SFaceNetwork.dimension * 4
    /// A cache larger than this (about 1.3 million faces) is not read back.
    private static let maximumFileBytes = 700_000_000

    private var storedRows: [Key: [Float]]?
    private var unsaved = 0
    private let file: URL?

    init(folder: String?, networkChecksum: String) {
        let name = "sface-" + String((networkChecksum.isEmpty ? "unknown" : networkChecksum).prefix(16)) + ".emb"
        file = folder.map { URL(fileURLWithPath: $0, isDirectory: true).appendingPathComponent(name) }
    }

    /// Read on first use: a model loaded only to predict never reads the file.
    private var rows: [Key: [Float]] {
        get {
            if let storedRows { return storedRows }
            let read = file.map(Self.read) ?? [:]
            storedRows = read
            return read
        }
        set { storedRows = newValue }
    }

    var count: Int { rows.count }

    subscript(key: Key) -> [Float]? { rows[key] }

    func insert(_ embedding: [Float], for key: Key) {
        if rows.updateValue(embedding, forKey: key) == nil { unsaved += 1 }
    }

    /// Writes the file again when it gained rows (`AtomicFile`: a reader never sees half a cache;
    /// not flushed to disk, it is derived data). A cache that cannot be written is only slower
    /// next time.
    func flush() {
        guard unsaved > 0, let file else { return }
        var data = Data(Self.magic)
        data.reserveCapacity(8 + rows.count * Self.recordBytes)
        for (key, row) in rows {
            withUnsafeBytes(of: key.high.littleEndian) { data.append(contentsOf: $0) }
            withUnsafeBytes(of: key.low.littleEndian) { data.append(contentsOf: $0) }
            for value in row { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        }
        if (try? AtomicFile.write(data, to: file, durable: false, createFolder: true)) != nil { unsaved = 0 }
    }

    private static func read(_ url: URL) -> [Key: [Float]] {
        guard let data = try? Data(contentsOf: url, options: .alwaysMapped), data.count <= maximumFileBytes,
              data.count >= magic.count, Array(data.prefix(magic.count)) == magic,
              (data.count - magic.count) % recordBytes == 0 else { return [:] }
        let records = (data.count - magic.count) / recordBytes
        var rows: [Key: [Float]] = [:]
        data.withUnsafeBytes { raw in
            for r in 0..<records {
                let base = magic.count + r * recordBytes
                let high = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: base, as: UInt64.self))
                let low = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: base + 8, as: UInt64.self))
                let row = (0..<SFaceNetwork.dimension).map {
                    Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: base + 16 + 4 * $0, as: UInt32.self)))
                }
                guard row.allSatisfy(\.isFinite) else { continue }
                rows[Key(high: high, low: low)] = row
            }
        }
        return rows
    }
}
