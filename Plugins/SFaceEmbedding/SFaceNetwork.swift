import BackendPluginKit
import CVision

/// OpenCV's SFace network (MobileFaceNet) through CVision: aligned 112x112 RGB crops in,
/// L2-normalised 128-d embeddings out. One forward pass per batch; not thread-safe (the host
/// never makes two calls on one model at once).
final class SFaceNetwork {
    static let dimension = 128
    static let side = 112
    static let cropBytes = side * side * 3

    private let handle: OpaquePointer
    let path: String

    /// `path` is a file whose checksum the host has checked (OpenCV's ONNX importer is not
    /// hardened against hostile files).
    init(path: String) throws {
        var message = [CChar](repeating: 0, count: 512)
        guard let opened = message.withUnsafeMutableBufferPointer({ cvision_sface_open(path, $0.baseAddress, $0.count) }) else {
            throw SwiftBackendError.io("sface: \(path) is not a usable SFace network: \(Self.text(message))")
        }
        handle = opened
        self.path = path
    }

    deinit { cvision_sface_close(handle) }

    /// Normalised embeddings of `count` crops, `dimension` floats each.
    func embed(_ crops: UnsafeBufferPointer<UInt8>, count: Int) throws -> [Float] {
        guard count > 0 else { return [] }
        guard crops.count >= count * Self.cropBytes, count <= Int(Int32.max) else {
            throw SwiftBackendError.invalidArgument("sface: \(crops.count) bytes do not hold \(count) 112x112 crops")
        }
        var out = [Float](repeating: 0, count: count * Self.dimension)
        var message = [CChar](repeating: 0, count: 512)
        let status = out.withUnsafeMutableBufferPointer { o in
            message.withUnsafeMutableBufferPointer { m in
                cvision_sface_embed(handle, crops.baseAddress, Int32(count), Int32(Self.side), o.baseAddress, m.baseAddress, m.count)
            }
        }
        guard status == 0 else { throw SwiftBackendError.io("sface: embedding failed: \(Self.text(message))") }
        for i in 0..<count { Self.normalise(&out, row: i) }
        return out
    }

    static func normalise(_ values: inout [Float], row: Int) {
        let range = row * dimension ..< (row + 1) * dimension
        var sum: Float = 0
        for j in range { sum += values[j] * values[j] }
        let scale = sum > 0 ? 1 / sum.squareRoot() : 0
        for j in range { values[j] *= scale }
    }

    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
