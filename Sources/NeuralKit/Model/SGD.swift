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
        // More than two shards (more than two cores): fold the extra ones into the second first.
        if gs.count > 2 {
            Parallel.chunks(count, minimumPerChunk: 65_536) { r in
                for extra in gs.dropFirst(2) { for i in r { gs[1][i] += extra[i] } }
            }
        }
        // One pass that sums the two shards' gradients and applies them, so that w, v and the
        // gradients (8 MB each for the scratch CNN's first dense kernel) are read once. Same
        // arithmetic as summing first.
        let g1 = gs.count > 1 ? gs[1] : nil
        Parallel.chunks(count, minimumPerChunk: 65_536) { r in
            switch (g1, m == 0) {
            case (let g1?, true): for i in r { w[i] -= lr * (g[i] + g1[i]) }
            case (nil, true): for i in r { w[i] -= lr * g[i] }
            case (let g1?, false):
                for i in r {
                    let nv = -(g[i] + g1[i]) * lr + v[i] * m
                    v[i] = nv
                    w[i] += nv
                }
            case (nil, false):
                for i in r {
                    let nv = -g[i] * lr + v[i] * m
                    v[i] = nv
                    w[i] += nv
                }
            }
        }
    }
}
