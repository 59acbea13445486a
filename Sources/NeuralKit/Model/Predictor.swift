import TrainingMetrics

/// Inference without gradient buffers: the frozen VGG16 prefix runs through this once to build a
/// feature cache, and `evaluate` reports Keras-style loss/accuracy.
public final class Predictor {
    public let model: Sequential
    public let batchSize: Int
    private let store: ParameterStore
    private let shards: [Shard]
    private let outputs: FloatBuffer

    public init(model: Sequential, batchSize: Int = 32) throws {
        guard batchSize > 0 else { throw NeuralKitError.invalidConfiguration("batch size \(batchSize)") }
        self.model = model
        self.batchSize = batchSize
        store = ParameterStore(model: model, training: false)
        shards = (0..<min(Parallel.workers, batchSize)).map { _ in Shard(model: model, training: false) }
        outputs = FloatBuffer(count: batchSize * model.outputShape.reduce(1, *))
        let parts = Parallel.split(batchSize, parts: shards.count)
        Parallel.shards(parts.count) { s in
            do { _ = try shards[s].plan(batch: parts[s].count) } catch { shards[s].failure = error }
        }
        if let e = shards.compactMap(\.failure).first { throw e }
    }

    /// Runs `count` samples: `fill(i, p)` writes sample i at p (called from several threads at once,
    /// for different i), and `consume(first, outputs)` receives each batch's outputs in order.
    public func run(count: Int, fill: (_ index: Int, _ destination: UnsafeMutablePointer<Float>) -> Void,
                    consume: (_ first: Int, _ outputs: UnsafeBufferPointer<Float>) throws -> Void) throws {
        let size = model.inputShape.reduce(1, *)
        let outSize = model.outputShape.reduce(1, *)
        var start = 0
        while start < count {
            let n = min(batchSize, count - start)
            let parts = Parallel.split(n, parts: shards.count)
            let params = store.valuePointers, out = outputs.pointer, first = start
            Parallel.shards(parts.count) { s in
                let shard = shards[s], range = parts[s]
                shard.failure = nil
                do {
                    let p = try shard.plan(batch: range.count)
                    for k in range { fill(first + k, p.input.pointer + (k - range.lowerBound) * size) }
                    try p.forward(parameters: params)
                    (out + range.lowerBound * outSize).update(from: p.output.pointer, count: range.count * outSize)
                } catch {
                    shard.failure = error
                }
            }
            if let e = shards.prefix(parts.count).compactMap(\.failure).first { throw e }
            try consume(start, UnsafeBufferPointer(start: outputs.pointer, count: n * outSize))
            start += n
        }
    }

    /// Outputs for a batch tensor [n, inputShape...].
    public func predict(_ x: Tensor) throws -> Tensor {
        guard Array(x.shape.dropFirst()) == model.inputShape, let n = x.shape.first else {
            throw NeuralKitError.shapeMismatch("input is \(x.shape), network wants [n] + \(model.inputShape)")
        }
        let data = try TensorSamples(samples: x, labels: [Int](repeating: 0, count: n))
        return try predict(data)
    }

    public func predict(_ data: any LabeledSamples) throws -> Tensor {
        guard data.sampleShape == model.inputShape else {
            throw NeuralKitError.shapeMismatch("samples are \(data.sampleShape), network wants \(model.inputShape)")
        }
        var out: [Float] = []
        out.reserveCapacity(data.count * model.outputShape.reduce(1, *))
        try run(count: data.count, fill: { data.copySample(at: $0, into: $1) }, consume: { _, o in out.append(contentsOf: o) })
        return try Tensor(shape: [data.count] + model.outputShape, scalars: out)
    }

    public func evaluate(_ data: any LabeledSamples) throws -> PassMetrics {
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
        return PassMetrics(loss: lossSum / Double(max(data.count, 1)), accuracy: Double(correct) / Double(max(data.count, 1)),
                            samples: data.count)
    }

    /// Loss and accuracy over `count` samples in index order, `batchSize` at a time: `batch`
    /// gives the samples of a range of indices (fetched for it, so indexed from 0). The means are
    /// weighted by samples; `afterBatch` is told after each batch and stops the pass
    /// (`NeuralKitError.cancelled`) when it returns false.
    public func evaluate(count: Int, batch: (_ indices: Range<Int>) throws -> any LabeledSamples,
                         afterBatch: BatchCallback = { _, _, _ in true }) throws -> PassMetrics {
        guard count > 0 else { throw NeuralKitError.invalidConfiguration("no samples to evaluate") }
        let batches = (count + batchSize - 1) / batchSize
        var lossSum = 0.0, correct = 0.0, seen = 0
        for b in 0..<batches {
            let metrics = try evaluate(try batch(b * batchSize..<min(count, (b + 1) * batchSize)))
            lossSum += metrics.loss * Double(metrics.samples)
            correct += metrics.accuracy * Double(metrics.samples)
            seen += metrics.samples
            let running = PassMetrics(loss: lossSum / Double(seen), accuracy: correct / Double(seen), samples: seen)
            if !afterBatch(b + 1, batches, running) { throw NeuralKitError.cancelled }
        }
        return PassMetrics(loss: lossSum / Double(seen), accuracy: correct / Double(seen), samples: seen)
    }
}
