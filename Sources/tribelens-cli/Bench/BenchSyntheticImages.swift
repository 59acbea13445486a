import NeuralKit

extension BenchCommand {
    /// Uniform random bytes (seeded) with labels cycling through 24 classes.
    static func syntheticImages(count: Int, shape: [Int]) throws -> ByteImageSamples {
        var g = SeededGenerator(seed: 42)
        let size = shape.reduce(1, *)
        var pixels = [UInt8](repeating: 0, count: count * size)
        for i in pixels.indices { pixels[i] = UInt8(truncatingIfNeeded: g.next() >> 56) }
        return try ByteImageSamples(pixels: pixels, labels: (0..<count).map { $0 % 24 }, sampleShape: shape)
    }
}
