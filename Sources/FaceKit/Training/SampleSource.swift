import Foundation

/// Labelled 64x64 RGB samples a backend trains or evaluates on, fetched by index in batches, so
/// a source may keep everything in memory or decode/augment on demand.
public protocol SampleSource {
    var count: Int { get }
    /// Fills `pixels` (`indices.count * ImageLayout.bytes` bytes) and `labels` for `indices`.
    func fetch(indices: UnsafeBufferPointer<UInt64>, pixels: UnsafeMutablePointer<UInt8>,
               labels: UnsafeMutablePointer<Int32>) throws
}

/// Samples held in memory: `pixels` is `count` images back to back, `labels` one per image.
public struct InMemorySamples: SampleSource, Sendable {
    public let pixels: [UInt8]
    public let labels: [Int32]

    public init(pixels: [UInt8], labels: [Int32]) throws {
        guard pixels.count == labels.count * ImageLayout.bytes else {
            throw BackendError(.invalidArgument,
                               "samples: \(pixels.count) bytes of pixels do not match \(labels.count) labels of 64x64 RGB")
        }
        self.pixels = pixels
        self.labels = labels
    }

    public var count: Int { labels.count }

    public func fetch(indices: UnsafeBufferPointer<UInt64>, pixels out: UnsafeMutablePointer<UInt8>,
                      labels labelsOut: UnsafeMutablePointer<Int32>) throws {
        try pixels.withUnsafeBufferPointer { all in
            for (slot, index) in indices.enumerated() {
                guard index < UInt64(labels.count) else {
                    throw BackendError(.invalidArgument, "samples: index \(index) out of range 0..<\(labels.count)")
                }
                let i = Int(index)
                (out + slot * ImageLayout.bytes).update(from: all.baseAddress! + i * ImageLayout.bytes,
                                                        count: ImageLayout.bytes)
                labelsOut[slot] = labels[i]
            }
        }
    }

    /// The samples at `indices`, in that order (e.g. a validation split carved from training).
    public func subset(_ indices: [Int]) throws -> InMemorySamples {
        var newPixels: [UInt8] = []
        newPixels.reserveCapacity(indices.count * ImageLayout.bytes)
        var newLabels: [Int32] = []
        for i in indices {
            guard labels.indices.contains(i) else {
                throw BackendError(.invalidArgument, "samples: index \(i) out of range 0..<\(labels.count)")
            }
            newPixels.append(contentsOf: pixels[i * ImageLayout.bytes ..< (i + 1) * ImageLayout.bytes])
            newLabels.append(labels[i])
        }
        return try InMemorySamples(pixels: newPixels, labels: newLabels)
    }
}
