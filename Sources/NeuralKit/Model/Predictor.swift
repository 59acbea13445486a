/// Inference without gradient buffers: the frozen VGG16 prefix runs through this once to build a
/// feature cache, and `evaluate` reports Keras-style loss/accuracy.
public final class Predictor {
    public let model: Sequential
    public let batchSize: Int
    private let store: ParameterStore
    private var plans: [Int: ExecutionPlan] = [:]

    public init(model: Sequential, batchSize: Int = 32) throws {
        guard batchSize > 0 else { throw NeuralKitError.invalidConfiguration("batch size \(batchSize)") }
        self.model = model
        self.batchSize = batchSize
        store = ParameterStore(model: model, training: false)
        plans[batchSize] = try ExecutionPlan(model: model, batch: batchSize, training: false)
    }

    private func plan(for n: Int) throws -> ExecutionPlan {
        if let p = plans[n] { return p }
        let p = try ExecutionPlan(model: model, batch: n, training: false)
        plans[n] = p
        return p
    }

    /// Runs `count` samples from `fill` (which writes sample k of the chunk at the given pointer) and
    /// hands each chunk's outputs to `consume(firstIndex, outputs, n)`.
    public func run(count: Int, fill: (_ index: Int, _ destination: UnsafeMutablePointer<Float>) -> Void,
                    consume: (_ first: Int, _ outputs: UnsafeBufferPointer<Float>) throws -> Void) throws {
        let size = model.inputShape.reduce(1, *)
        let outSize = model.outputShape.reduce(1, *)
        var start = 0
        while start < count {
            let n = min(batchSize, count - start)
            let p = try plan(for: n)
            for k in 0..<n { fill(start + k, p.input.pointer + k * size) }
            try p.forward(parameters: store.valuePointers)
            try consume(start, UnsafeBufferPointer(start: p.output.pointer, count: n * outSize))
            start += n
        }
    }

    /// Outputs for a batch tensor [n, inputShape...].
    public func predict(_ x: Tensor) throws -> Tensor {
        guard Array(x.shape.dropFirst()) == model.inputShape, let n = x.shape.first else {
            throw NeuralKitError.shapeMismatch("input is \(x.shape), network wants [n] + \(model.inputShape)")
        }
        let data = try TensorDataset(samples: x, labels: [Int](repeating: 0, count: n))
        return try predict(data)
    }

    public func predict(_ data: any Dataset) throws -> Tensor {
        guard data.sampleShape == model.inputShape else {
            throw NeuralKitError.shapeMismatch("samples are \(data.sampleShape), network wants \(model.inputShape)")
        }
        var out: [Float] = []
        out.reserveCapacity(data.count * model.outputShape.reduce(1, *))
        try run(count: data.count, fill: { data.copySample(at: $0, into: $1) }, consume: { _, o in out.append(contentsOf: o) })
        return try Tensor(shape: [data.count] + model.outputShape, scalars: out)
    }

    public func evaluate(_ data: any Dataset) throws -> EpochMetrics {
        let classes = model.outputShape.reduce(1, *)
        var lossSum = 0.0, correct = 0
        guard data.sampleShape == model.inputShape else {
            throw NeuralKitError.shapeMismatch("samples are \(data.sampleShape), network wants \(model.inputShape)")
        }
        try run(count: data.count, fill: { data.copySample(at: $0, into: $1) }, consume: { first, o in
            let n = o.count / classes
            let labels = (first..<first + n).map { data.label(at: $0) }
            let r = try SoftmaxCrossEntropy.lossAndGradient(probabilities: o.baseAddress!, labels: labels,
                                                            classes: classes, gradient: nil)
            lossSum += r.loss * Double(n)
            correct += r.correct
        })
        return EpochMetrics(loss: lossSum / Double(max(data.count, 1)), accuracy: Double(correct) / Double(max(data.count, 1)),
                            samples: data.count)
    }
}
