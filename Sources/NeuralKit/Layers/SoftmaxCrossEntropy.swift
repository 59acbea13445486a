import Foundation

/// Categorical cross-entropy on softmax outputs, fused with the softmax for the gradient.
/// Loss per sample: -log(p[label]) with no clip, as Keras 3 reports it in `fit` and `evaluate`:
/// there the softmax output carries its logits and the loss is taken from them
/// (`tf.nn.softmax_cross_entropy_with_logits`); only Keras' eager loss function clips to
/// [1e-7, 1 - 1e-7]. A clip caps a confidently wrong face at 16.1, which lowers val_loss and so moves
/// ReduceLROnPlateau and EarlyStopping (the original preset's test set holds Haar's false hits).
/// p is floored at the smallest normal float (a loss of at most 87.3, a logit gap Keras' features
/// never reach) so that an underflowed probability stays finite. The batch loss is the mean.
/// Gradient w.r.t. the softmax's input: (p - onehot) * gradientScale, where the scale is
/// 1 / (whole batch size) so that the gradients of a batch's shards add up to the batch's.
public enum SoftmaxCrossEntropy {
    /// The floor under p[label] (not Keras' 1e-7 clip: see above).
    public static let floor: Float = .leastNormalMagnitude

    public static func lossAndGradient(probabilities p: UnsafePointer<Float>, labels: [Int], classes: Int,
                                       gradient: UnsafeMutablePointer<Float>?,
                                       gradientScale: Float? = nil) throws -> (loss: Double, correct: Int) {
        let n = labels.count
        var loss = 0.0, correct = 0
        let scale = gradientScale ?? 1 / Float(n)
        for r in 0..<n {
            let label = labels[r]
            guard label >= 0, label < classes else {
                throw NeuralKitError.shapeMismatch("label \(label) outside 0..<\(classes)")
            }
            let row = p + r * classes
            var best = 0
            for j in 1..<max(classes, 1) where row[j] > row[best] { best = j }
            if best == label { correct += 1 }
            let q = max(row[label], floor)
            loss -= Double(logf(q))
            if let g = gradient {
                let gr = g + r * classes
                for j in 0..<classes { gr[j] = row[j] * scale }
                gr[label] -= scale
            }
        }
        return (loss / Double(n), correct)
    }
}
