/// Keras 3 SGD (nesterov off): v = -lr * g + momentum * v ; w = w + v. Without momentum: w -= lr * g.
public struct SGD: Sendable, Equatable {
    public var learningRate: Float
    public var momentum: Float

    /// Keras' defaults: learning rate 0.01, momentum 0.
    public init(learningRate: Float = 0.01, momentum: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
    }

    /// Updates `w` with the sum of the shards' gradients `gs` (one per batch shard).
    func update(_ w: UnsafeMutablePointer<Float>, grads gs: [UnsafeMutablePointer<Float>],
                velocity v: UnsafeMutablePointer<Float>, count: Int) {
        let lr = learningRate, m = momentum
        let g = gs[0]
        if gs.count > 1 {
            Parallel.chunks(count, minimumPerChunk: 65_536) { r in
                for extra in gs.dropFirst() { for i in r { g[i] += extra[i] } }
            }
        }
        if m == 0 {
            Parallel.chunks(count, minimumPerChunk: 65_536) { r in
                for i in r { w[i] -= lr * g[i] }
            }
        } else {
            Parallel.chunks(count, minimumPerChunk: 65_536) { r in
                for i in r {
                    let nv = -g[i] * lr + v[i] * m
                    v[i] = nv
                    w[i] += nv
                }
            }
        }
    }
}
