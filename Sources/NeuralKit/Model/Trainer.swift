import Foundation

/// Loss and accuracy as Keras reports them for an epoch: means over all samples (each batch's
/// mean loss weighted by its size).
public struct EpochMetrics: Sendable, Equatable {
    public var loss: Double
    public var accuracy: Double
    public var samples: Int
}

/// Trains a `Sequential` whose last layer ends in softmax, with categorical cross-entropy fused
/// with the softmax (gradient softmax - onehot, as Keras computes it from the logits) and SGD.
/// Buffers are allocated once per batch size (plus once for a smaller last batch); each batch is
/// split over the cores (see `Parallel`). A trainer is not thread-safe; `Dataset.copySample` is
/// called from several threads at once and must only read.
public final class Trainer {
    public private(set) var optimizer: SGD
    public let batchSize: Int
    private let template: Sequential
    private let store: ParameterStore
    private let shards: [Shard]
    private var generator: SeededGenerator
    private let classes: Int
    private var batchIndices: [Int] = []
    private var batchLabels: [Int] = []

    public init(model: Sequential, optimizer: SGD, batchSize: Int = 32, seed: UInt64 = 0) throws {
        guard model.layers.last!.activation == .softmax, model.outputShape.count == 1 else {
            throw NeuralKitError.invalidConfiguration("categorical cross-entropy needs a network ending in softmax")
        }
        guard batchSize > 0 else { throw NeuralKitError.invalidConfiguration("batch size \(batchSize)") }
        guard (0..<model.layers.count).contains(where: { model.isTrainable(layerAt: $0) }) else {
            throw NeuralKitError.invalidConfiguration("every layer is frozen; nothing to train")
        }
        template = model
        self.optimizer = optimizer
        self.batchSize = batchSize
        store = ParameterStore(model: model, training: true)
        shards = (0..<min(Parallel.workers, batchSize)).map { _ in Shard(model: model, training: true) }
        generator = SeededGenerator(seed: seed)
        classes = model.outputShape[0]
        batchIndices.reserveCapacity(batchSize)
        batchLabels.reserveCapacity(batchSize)
        // Build the full-batch plans now so that configuration errors surface here.
        let parts = Parallel.split(batchSize, parts: shards.count)
        Parallel.shards(parts.count) { s in
            do { _ = try shards[s].plan(batch: parts[s].count) } catch { shards[s].failure = error }
        }
        if let e = shards.compactMap(\.failure).first { throw e }
    }

    /// The network with the current parameters.
    public var model: Sequential {
        var m = template
        for (name, t) in store.tensors() { try! m.setParameter(name, t) }
        return m
    }

    /// For schedules such as ReduceLROnPlateau.
    public var learningRate: Float {
        get { optimizer.learningRate }
        set { optimizer.learningRate = newValue }
    }

    /// One SGD step on samples `indices` of `data`. Returns the batch's mean loss and how many
    /// samples were classified correctly (both from the forward pass before the update).
    @discardableResult
    public func trainStep(_ data: any Dataset, indices: [Int]) throws -> (loss: Double, correct: Int) {
        guard !indices.isEmpty else { throw NeuralKitError.invalidConfiguration("empty batch") }
        guard data.sampleShape == template.inputShape else {
            throw NeuralKitError.shapeMismatch("samples are \(data.sampleShape), network wants \(template.inputShape)")
        }
        guard indices.allSatisfy({ $0 >= 0 && $0 < data.count }) else {
            throw NeuralKitError.invalidConfiguration("sample index outside 0..<\(data.count)")
        }
        batchLabels.removeAll(keepingCapacity: true)
        for i in indices { batchLabels.append(data.label(at: i)) }
        let parts = Parallel.split(indices.count, parts: shards.count)
        let size = template.inputShape.reduce(1, *)
        let scale = 1 / Float(indices.count)
        let params = store.valuePointers
        let labels = batchLabels
        Parallel.shards(parts.count) { s in
            let shard = shards[s], range = parts[s]
            shard.failure = nil
            do {
                let p = try shard.plan(batch: range.count)
                for (k, i) in indices[range].enumerated() { data.copySample(at: i, into: p.input.pointer + k * size) }
                try p.forward(parameters: params)
                let r = try SoftmaxCrossEntropy.lossAndGradient(
                    probabilities: p.output.pointer, labels: Array(labels[range]), classes: classes,
                    gradient: p.gradA!.pointer, gradientScale: scale)
                shard.lossSum = r.loss * Double(range.count)
                shard.correct = r.correct
                try p.backward(parameters: params, grads: shard.gradPointers)
            } catch {
                shard.failure = error
            }
        }
        let used = shards.prefix(parts.count)
        if let e = used.compactMap(\.failure).first { throw e }
        for i in store.values.indices {
            guard let vel = store.velocities[i] else { continue }
            for j in store.values[i].indices {
                optimizer.update(store.values[i][j].pointer, grads: used.map { $0.grads[i]![j].pointer },
                                 velocity: vel[j].pointer, count: store.values[i][j].count)
            }
        }
        for s in shards { s.parametersChanged() }
        return (used.reduce(0.0) { $0 + $1.lossSum } / Double(indices.count), used.reduce(0) { $0 + $1.correct })
    }

    /// One epoch over `data` in mini-batches, shuffled with the trainer's seeded generator.
    public func fitEpoch(_ data: any Dataset, shuffle: Bool = true) throws -> EpochMetrics {
        guard data.count > 0 else { throw NeuralKitError.invalidConfiguration("empty training set") }
        let order = shuffle ? generator.permutation(data.count) : Array(0..<data.count)
        var lossSum = 0.0, correct = 0
        var start = 0
        while start < order.count {
            let end = min(start + batchSize, order.count)
            batchIndices.removeAll(keepingCapacity: true)
            batchIndices.append(contentsOf: order[start..<end])
            let r = try trainStep(data, indices: batchIndices)
            lossSum += r.loss * Double(end - start)
            correct += r.correct
            start = end
        }
        return EpochMetrics(loss: lossSum / Double(data.count), accuracy: Double(correct) / Double(data.count),
                            samples: data.count)
    }

    /// Loss and accuracy without updating (Keras `evaluate`), in inference mode.
    public func evaluate(_ data: any Dataset) throws -> EpochMetrics {
        try Predictor(model: model, batchSize: batchSize).evaluate(data)
    }
}
