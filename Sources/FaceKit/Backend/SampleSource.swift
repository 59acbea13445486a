import Foundation

/// Labelled RGB samples a backend trains or evaluates on (64x64 box crops, or what the
/// backend's `InputSpec` asks for), fetched by index in batches, so a source may keep
/// everything in memory or decode/augment on demand.
public protocol SampleSource {
    var count: Int { get }
    /// Bytes of one image (`InputSpec.bytes`).
    var imageBytes: Int { get }
    /// Fills `pixels` (`indices.count * imageBytes` bytes) and `labels` for `indices`.
    func fetch(indices: UnsafeBufferPointer<UInt64>, pixels: UnsafeMutablePointer<UInt8>,
               labels: UnsafeMutablePointer<Int32>) throws
    /// Fills `keys` (two words per index: `SampleKey`) and `labels` without the pixels; sources
    /// that name no keys hash the pixels.
    func fetchKeys(indices: UnsafeBufferPointer<UInt64>, keys: UnsafeMutablePointer<UInt64>,
                   labels: UnsafeMutablePointer<Int32>) throws
}

extension SampleSource {
    public var imageBytes: Int { ImageLayout.bytes }

    public func fetchKeys(indices: UnsafeBufferPointer<UInt64>, keys: UnsafeMutablePointer<UInt64>,
                          labels: UnsafeMutablePointer<Int32>) throws {
        let size = imageBytes
        var pixels = [UInt8](repeating: 0, count: size)
        for (slot, index) in indices.enumerated() {
            try withUnsafePointer(to: index) { one in
                try pixels.withUnsafeMutableBufferPointer {
                    try fetch(indices: UnsafeBufferPointer(start: one, count: 1), pixels: $0.baseAddress!, labels: labels + slot)
                }
            }
            let key = pixels.withUnsafeBufferPointer { SampleKey(pixels: $0) }
            keys[2 * slot] = key.high
            keys[2 * slot + 1] = key.low
        }
    }
}

/// Samples held in memory: `pixels` is `count` images back to back, `labels` one per image,
/// `keys` (optional) two words per image.
public struct InMemorySamples: SampleSource, Sendable {
    public let pixels: [UInt8]
    public let labels: [Int32]
    public let imageBytes: Int
    public let keys: [UInt64]

    public init(pixels: [UInt8], labels: [Int32], imageBytes: Int = ImageLayout.bytes, keys: [UInt64] = []) throws {
        guard imageBytes > 0, pixels.count == labels.count * imageBytes else {
            throw BackendError(.invalidArgument,
                               "samples: \(pixels.count) bytes of pixels do not match \(labels.count) labels of \(imageBytes) bytes")
        }
        guard keys.isEmpty || keys.count == 2 * labels.count else {
            throw BackendError(.invalidArgument, "samples: \(keys.count) key words for \(labels.count) images")
        }
        self.pixels = pixels
        self.labels = labels
        self.imageBytes = imageBytes
        self.keys = keys
    }

    public var count: Int { labels.count }

    public func fetchKeys(indices: UnsafeBufferPointer<UInt64>, keys out: UnsafeMutablePointer<UInt64>,
                          labels labelsOut: UnsafeMutablePointer<Int32>) throws {
        for (slot, index) in indices.enumerated() {
            guard index < UInt64(labels.count) else {
                throw BackendError(.invalidArgument, "samples: index \(index) out of range 0..<\(labels.count)")
            }
            let i = Int(index)
            labelsOut[slot] = labels[i]
            if keys.isEmpty {
                let key = pixels.withUnsafeBufferPointer {
                    SampleKey(pixels: UnsafeBufferPointer(rebasing: $0[i * imageBytes ..< (i + 1) * imageBytes]))
                }
                out[2 * slot] = key.high
                out[2 * slot + 1] = key.low
            } else {
                out[2 * slot] = keys[2 * i]
                out[2 * slot + 1] = keys[2 * i + 1]
            }
        }
    }

    public func fetch(indices: UnsafeBufferPointer<UInt64>, pixels out: UnsafeMutablePointer<UInt8>,
                      labels labelsOut: UnsafeMutablePointer<Int32>) throws {
        try pixels.withUnsafeBufferPointer { all in
            for (slot, index) in indices.enumerated() {
                guard index < UInt64(labels.count) else {
                    throw BackendError(.invalidArgument, "samples: index \(index) out of range 0..<\(labels.count)")
                }
                let i = Int(index)
                (out + slot * imageBytes).update(from: all.baseAddress! + i * imageBytes, count: imageBytes)
                labelsOut[slot] = labels[i]
            }
        }
    }

    /// The samples at `indices`, in that order (e.g. a validation split carved from training).
    public func subset(_ indices: [Int]) throws -> InMemorySamples {
        var newPixels: [UInt8] = []
        newPixels.reserveCapacity(indices.count * imageBytes)
        var newLabels: [Int32] = []
        var newKeys: [UInt64] = []
        for i in indices {
            guard labels.indices.contains(i) else {
                throw BackendError(.invalidArgument, "samples: index \(i) out of range 0..<\(labels.count)")
            }
            newPixels.append(contentsOf: pixels[i * imageBytes ..< (i + 1) * imageBytes])
            newLabels.append(labels[i])
            if !keys.isEmpty { newKeys += keys[2 * i ... 2 * i + 1] }
        }
        return try InMemorySamples(pixels: newPixels, labels: newLabels, imageBytes: imageBytes, keys: newKeys)
    }
}
