import BackendPluginKit
import NeuralKit

/// One fetched batch of 64x64 RGB bytes as NeuralKit `LabeledSamples`, multiplied by the model's
/// input scale on the way in (1 = the write-up's raw 0-255, 1/255 = [0, 1]).
public struct ScaledImageBatch: LabeledSamples {
    public let pixels: [UInt8]
    public let labels: [Int32]
    public let count: Int
    public let scale: Float
    public let sampleShape = [64, 64, 3]

    public init(pixels: [UInt8], labels: [Int32], count: Int, scale: Float) {
        self.pixels = pixels
        self.labels = labels
        self.count = count
        self.scale = scale
    }

    public func label(at index: Int) -> Int { Int(labels[index]) }

    public func copySample(at index: Int, into destination: UnsafeMutablePointer<Float>) {
        pixels.withUnsafeBufferPointer { p in
            let src = p.baseAddress! + index * imageBytes
            for i in 0..<imageBytes { destination[i] = Float(src[i]) * scale }
        }
    }
}
