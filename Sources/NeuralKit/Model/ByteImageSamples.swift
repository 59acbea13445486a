/// 8-bit images (e.g. 64x64x3 RGB) kept as bytes: a quarter of the memory of floats. Samples are
/// fed as raw 0-255 values, as the write-up's Keras code does, times `scale` (1/255 for [0, 1]).
public struct ByteImageSamples: LabeledSamples, Sendable {
    public let pixels: [UInt8]
    public let labels: [Int]
    public let sampleShape: [Int]
    public let scale: Float

    public init(pixels: [UInt8], labels: [Int], sampleShape: [Int], scale: Float = 1) throws {
        let size = sampleShape.reduce(1, *)
        guard size > 0, pixels.count == size * labels.count else {
            throw NeuralKitError.shapeMismatch("\(pixels.count) bytes for \(labels.count) samples of \(sampleShape)")
        }
        self.pixels = pixels
        self.labels = labels
        self.sampleShape = sampleShape
        self.scale = scale
    }

    public var count: Int { labels.count }
    public func label(at index: Int) -> Int { labels[index] }
    public func copySample(at index: Int, into destination: UnsafeMutablePointer<Float>) {
        let size = sampleShape.reduce(1, *)
        pixels.withUnsafeBufferPointer { p in
            let src = p.baseAddress! + index * size
            let scale = self.scale
            for i in 0..<size { destination[i] = Float(src[i]) * scale }
        }
    }
}
