/// Samples and integer class labels for training or evaluation. Implementations copy one sample
/// into a float buffer, so images can stay as bytes until they enter a batch.
public protocol Dataset {
    var count: Int { get }
    var sampleShape: [Int] { get }
    func label(at index: Int) -> Int
    func copySample(at index: Int, into destination: UnsafeMutablePointer<Float>)
}

/// Float samples [n, sampleShape...] with labels.
public struct TensorDataset: Dataset, Sendable {
    public let samples: Tensor
    public let labels: [Int]

    public init(samples: Tensor, labels: [Int]) throws {
        guard let n = samples.shape.first, n == labels.count else {
            throw NeuralKitError.shapeMismatch("\(samples.shape.first ?? 0) samples but \(labels.count) labels")
        }
        self.samples = samples
        self.labels = labels
    }

    public var count: Int { labels.count }
    public var sampleShape: [Int] { Array(samples.shape.dropFirst()) }
    public func label(at index: Int) -> Int { labels[index] }
    public func copySample(at index: Int, into destination: UnsafeMutablePointer<Float>) {
        let size = samples.count / max(count, 1)
        samples.scalars.withUnsafeBufferPointer { destination.update(from: $0.baseAddress! + index * size, count: size) }
    }
}

/// 8-bit images (e.g. 64x64x3 RGB) kept as bytes: a quarter of the memory of floats. Samples are
/// fed as raw 0-255 values, as the write-up's Keras code does.
public struct ByteImageDataset: Dataset, Sendable {
    public let pixels: [UInt8]
    public let labels: [Int]
    public let sampleShape: [Int]

    public init(pixels: [UInt8], labels: [Int], sampleShape: [Int]) throws {
        let size = sampleShape.reduce(1, *)
        guard size > 0, pixels.count == size * labels.count else {
            throw NeuralKitError.shapeMismatch("\(pixels.count) bytes for \(labels.count) samples of \(sampleShape)")
        }
        self.pixels = pixels
        self.labels = labels
        self.sampleShape = sampleShape
    }

    public var count: Int { labels.count }
    public func label(at index: Int) -> Int { labels[index] }
    public func copySample(at index: Int, into destination: UnsafeMutablePointer<Float>) {
        let size = sampleShape.reduce(1, *)
        pixels.withUnsafeBufferPointer { p in
            let src = p.baseAddress! + index * size
            for i in 0..<size { destination[i] = Float(src[i]) }
        }
    }
}
