import Foundation

/// MD5 (RFC 1321), only to check downloads against the checksum Keras publishes for its weight
/// files; nothing here relies on it for collision resistance.
public struct MD5: Sendable, BlockHasher {
    private var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476)
    var pending: [UInt8] = []
    var total: UInt64 = 0
    static let bigEndianLength = false

    private static let shifts: [UInt32] = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21]
    // floor(abs(sin(i + 1)) * 2^32), computed rather than typed in.
    private static let constants: [UInt32] = (0..<64).map { UInt32(abs(sin(Double($0 + 1))) * 4_294_967_296) }

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) { feed(bytes) }

    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { feed($0) }
    }

    /// The digest as 32 lower-case hex digits (finishes the hash).
    public mutating func hexDigest() -> String {
        pad()
        return [state.0, state.1, state.2, state.3]
            .flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (8 * UInt32($0))) } }
            .map { String(format: "%02x", $0) }.joined()
    }

    public static func hex(_ data: Data) -> String {
        var md5 = MD5()
        md5.update(data)
        return md5.hexDigest()
    }

    /// The MD5 of a file, read in pieces.
    public static func hex(ofFile url: URL) throws -> String {
        var md5 = MD5()
        try md5.feed(contentsOf: url)
        return md5.hexDigest()
    }

    mutating func compress(_ block: UnsafeRawBufferPointer) {
        let m = (0..<16).map { block.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self).littleEndian }
        var (a, b, c, d) = state
        for i in 0..<64 {
            var f: UInt32
            let g: Int
            switch i {
            case 0..<16: f = (b & c) | (~b & d); g = i
            case 16..<32: f = (d & b) | (~d & c); g = (5 * i + 1) % 16
            case 32..<48: f = b ^ c ^ d; g = (3 * i + 5) % 16
            default: f = c ^ (b | ~d); g = (7 * i) % 16
            }
            f = f &+ a &+ Self.constants[i] &+ m[g]
            let s = Self.shifts[(i / 16) * 4 + i % 4]
            (a, d, c) = (d, c, b)
            b = b &+ (f << s | f >> (32 - s))
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
    }
}
