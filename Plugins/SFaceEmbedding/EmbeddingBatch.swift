import NeuralKit

/// Normalised embeddings (rows of `SFaceNetwork.dimension`) and labels as NeuralKit
/// `LabeledSamples`, multiplied by `scale` on the way in: unit vectors spread enough that the softmax
/// layer trains in a few epochs of plain SGD.
struct EmbeddingBatch: LabeledSamples {
    let embeddings: [Float]
    let labels: [Int32]
    let scale: Float
    var count: Int { labels.count }
    let sampleShape = [SFaceNetwork.dimension]

    func label(at index: Int) -> Int { Int(labels[index]) }

    func copySample(at index: Int, into destination: UnsafeMutablePointer<Float>) {
        let d = SFaceNetwork.dimension
        embeddings.withUnsafeBufferPointer { e in
            for j in 0..<d { destination[j] = e[index * d + j] * scale }
        }
    }
}
