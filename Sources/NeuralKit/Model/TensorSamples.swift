/// Float samples [n, sampleShape...] with labels.
public struct TensorSamples: LabeledSamples, Sendable {
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
