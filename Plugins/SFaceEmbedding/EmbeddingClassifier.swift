/// Softmax regression on L2-normalised embeddings: logits = W (scale * e) + b. The fixed
/// `scale` spreads unit vectors enough that plain SGD with momentum converges in a few epochs;
/// `weightDecay` is L2 on W. Forward and backward are separate so each is tested against a
/// naive reference and finite differences.
struct EmbeddingClassifier {
    let classes: Int
    let dimension: Int
    let scale: Float
    let weightDecay: Float
    /// classes x dimension, row-major.
    var weights: [Float]
    var bias: [Float]
    private var weightVelocity: [Float]
    private var biasVelocity: [Float]

    init(classes: Int, dimension: Int, scale: Float, weightDecay: Float) {
        self.classes = classes
        self.dimension = dimension
        self.scale = scale
        self.weightDecay = weightDecay
        weights = [Float](repeating: 0, count: classes * dimension)
        bias = [Float](repeating: 0, count: classes)
        weightVelocity = weights
        biasVelocity = bias
    }

    /// Softmax probabilities of `count` embeddings (rows of `dimension`).
    func probabilities(_ embeddings: [Float], count: Int) -> [Float] {
        var out = [Float](repeating: 0, count: count * classes)
        for i in 0..<count {
            var largest = -Float.infinity
            for k in 0..<classes {
                var z = bias[k]
                for j in 0..<dimension { z += weights[k * dimension + j] * scale * embeddings[i * dimension + j] }
                out[i * classes + k] = z
                largest = max(largest, z)
            }
            var sum: Float = 0
            for k in 0..<classes {
                let e = (out[i * classes + k] - largest).exp
                out[i * classes + k] = e
                sum += e
            }
            for k in 0..<classes { out[i * classes + k] /= sum }
        }
        return out
    }

    /// Mean cross-entropy of a batch and its gradients with respect to W and b (including the
    /// weight decay term's gradient; the loss reported excludes it, as Keras' `loss` does not
    /// count regularisers it was not given).
    func lossAndGradients(_ embeddings: [Float], labels: [Int32], count: Int)
        -> (loss: Double, correct: Int, weights: [Float], bias: [Float]) {
        let p = probabilities(embeddings, count: count)
        var gw = [Float](repeating: 0, count: classes * dimension)
        var gb = [Float](repeating: 0, count: classes)
        var loss = 0.0
        var correct = 0
        let n = Float(count)
        for i in 0..<count {
            let label = Int(labels[i])
            loss -= Double(max(p[i * classes + label], 1e-7)).logarithm
            var best = 0
            for k in 1..<classes where p[i * classes + k] > p[i * classes + best] { best = k }
            if best == label { correct += 1 }
            for k in 0..<classes {
                let d = (p[i * classes + k] - (k == label ? 1 : 0)) / n
                gb[k] += d
                for j in 0..<dimension { gw[k * dimension + j] += d * scale * embeddings[i * dimension + j] }
            }
        }
        for index in gw.indices { gw[index] += weightDecay * weights[index] }
        return (loss / Double(max(count, 1)), correct, gw, gb)
    }

    /// Keras' SGD with momentum: v = m v - lr g; w += v.
    mutating func step(weights gw: [Float], bias gb: [Float], learningRate: Float, momentum: Float) {
        for i in weights.indices {
            weightVelocity[i] = momentum * weightVelocity[i] - learningRate * gw[i]
            weights[i] += weightVelocity[i]
        }
        for k in bias.indices {
            biasVelocity[k] = momentum * biasVelocity[k] - learningRate * gb[k]
            bias[k] += biasVelocity[k]
        }
    }
}

extension Float {
    fileprivate var exp: Float { Float(Foundation.exp(Double(self))) }
}

extension Double {
    fileprivate var logarithm: Double { Foundation.log(self) }
}

import Foundation
