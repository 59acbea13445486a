import Foundation
import TrainingMetrics

/// Trains a `Sequential` whose last layer ends in softmax, with categorical cross-entropy fused
/// with the softmax (gradient softmax - onehot, as Keras computes it from the logits) and SGD.
/// Buffers are allocated once per batch size (plus once for a smaller last batch); each batch is
/// split over the cores (see `Parallel`). A trainer is not thread-safe; `LabeledSamples.copySample`
/// is called from several threads at once and must only read.
///
/// `fitEpoch(order:batch:afterBatch:)` is the one epoch loop: the plugins (through
/// NeuralPluginSupport), the benchmarks and the tests all train through it.
public final class Trainer {
    public private(set) var optimizer: SGD
    public let batchSize: Int
    private let template: Sequential
    private let store: ParameterStore
    private let shards: [Shard]
    private var generator: SeededGenerator
    private let classes: Int
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
    public func trainStep(_ data: any LabeledSamples, indices: [Int]) throws -> (loss: Double, correct: Int) {
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

    /// One epoch: the samples `order` names, in mini-batches of `batchSize` in that order (the last
    /// may be smaller), one SGD step each. `batch` gives a batch's samples and their indices in
    /// them: the same data and the indices themselves, or a batch fetched for them (indices from
    /// 0). After every batch `afterBatch` gets the batches done and in all and the running means;
    /// returning false stops the epoch (`NeuralKitError.cancelled`). A non-finite batch loss stops
    /// it too (`NeuralKitError.diverged`): the parameters are then already broken.
    /// The metrics are Keras' epoch numbers: the sample-weighted mean of the batch losses, and
    /// correct / samples, both from each batch's forward pass before its update.
    public func fitEpoch(
        order: [Int], batch: (_ indices: ArraySlice<Int>) throws -> (samples: any LabeledSamples, indices: [Int]),
        afterBatch: BatchCallback = { _, _, _ in true }
    ) throws -> PassMetrics {
        guard !order.isEmpty else { throw NeuralKitError.invalidConfiguration("empty training set") }
        let batches = (order.count + batchSize - 1) / batchSize
        var lossSum = 0.0, correct = 0, seen = 0
        for b in 0..<batches {
            let (data, indices) = try batch(order[b * batchSize..<min(order.count, (b + 1) * batchSize)])
            let step = try trainStep(data, indices: indices)
            guard step.loss.isFinite else {
                throw NeuralKitError.diverged("loss is \(step.loss) at batch \(b + 1) with learning rate \(learningRate)")
            }
            lossSum += step.loss * Double(indices.count)
            correct += step.correct
            seen += indices.count
            let running = PassMetrics(loss: lossSum / Double(seen), accuracy: Double(correct) / Double(seen), samples: seen)
            if !afterBatch(b + 1, batches, running) { throw NeuralKitError.cancelled }
        }
        return PassMetrics(loss: lossSum / Double(seen), accuracy: Double(correct) / Double(seen), samples: seen)
    }

    /// One epoch over all of `data`, shuffled with the trainer's seeded generator (a new order
    /// every epoch) or in index order.
    public func fitEpoch(_ data: any LabeledSamples, shuffle: Bool = true,
                         afterBatch: BatchCallback = { _, _, _ in true }) throws -> PassMetrics {
        guard data.count > 0 else { throw NeuralKitError.invalidConfiguration("empty training set") }
        let order = shuffle ? generator.permutation(data.count) : Array(0..<data.count)
        return try fitEpoch(order: order, batch: { (data, Array($0)) }, afterBatch: afterBatch)
    }

    /// Loss and accuracy without updating (Keras `evaluate`), in inference mode.
    public func evaluate(_ data: any LabeledSamples) throws -> PassMetrics {
        try Predictor(model: model, batchSize: batchSize).evaluate(data)
    }
}

/// Told after each batch of a pass (`Trainer.fitEpoch`, `Predictor.evaluate`): batches done, batches
/// in all, and the means over the samples so far. Returning false stops the pass.
public typealias BatchCallback = (_ batchesDone: Int, _ batchesTotal: Int, _ running: PassMetrics) -> Bool
