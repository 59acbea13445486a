/// Samples and integer class labels for training or evaluation. Implementations copy one sample
/// into a float buffer, so images can stay as bytes until they enter a batch.
/// (`TensorSamples`, `ByteImageSamples`, and the plugins' own batches.)
public protocol LabeledSamples {
    var count: Int { get }
    var sampleShape: [Int] { get }
    func label(at index: Int) -> Int
    func copySample(at index: Int, into destination: UnsafeMutablePointer<Float>)
}
