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
/// Holds buffers for one batch size (plus one for a smaller last batch); not thread-safe.
public final class Trainer {
    public private(set) var optimizer: SGD
    public let batchSize: Int
    private let template: Sequential
    private let store: ParameterStore
    private var plans: [Int: ExecutionPlan] = [:]
    private var generator: SeededGenerator
    private let classes: Int
    private var batchIndices: [Int]

    public init(model: Sequential, optimizer: SGD, batchSize: Int = 32, seed: UInt64 = 0) throws {
        guard model.layers.last!.activation == .softmax, model.outputShape.count == 1 else {
            throw NeuralKitError.invalidConfiguration("categorical cross-entropy needs a network ending in softmax")
        }
        guard batchSize > 0 else { throw NeuralKitError.invalidConfiguration("batch size \(batchSize)") }
        template = model
        self.optimizer = optimizer
        self.batchSize = batchSize
        store = ParameterStore(model: model, training: true)
        generator = SeededGenerator(seed: seed)
        classes = model.outputShape[0]
        batchIndices = []
        batchIndices.reserveCapacity(batchSize)
        plans[batchSize] = try ExecutionPlan(model: model, batch: batchSize, training: true)
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

    private func plan(for n: Int) throws -> ExecutionPlan {
        if let p = plans[n] { return p }
        let p = try ExecutionPlan(model: template, batch: n, training: true)
        plans[n] = p
        return p
    }

    /// One SGD step on samples `indices` of `data`. Returns the batch's mean loss and how many
    /// samples were classified correctly (both from the forward pass before the update).
    @discardableResult
    public func trainStep(_ data: any Dataset, indices: [Int]) throws -> (loss: Double, correct: Int) {
        guard !indices.isEmpty else { throw NeuralKitError.invalidConfiguration("empty batch") }
        guard data.sampleShape == template.inputShape else {
            throw NeuralKitError.shapeMismatch("samples are \(data.sampleShape), network wants \(template.inputShape)")
        }
        let p = try plan(for: indices.count)
        let size = template.inputShape.reduce(1, *)
        for (k, i) in indices.enumerated() { data.copySample(at: i, into: p.input.pointer + k * size) }
        let params = store.valuePointers
        try p.forward(parameters: params)
        let (loss, correct) = try SoftmaxCrossEntropy.lossAndGradient(
            probabilities: p.output.pointer, labels: indices.map { data.label(at: $0) }, classes: classes,
            gradient: p.gradA!.pointer)
        try p.backward(parameters: params, grads: store.gradPointers)
        for i in store.values.indices {
            guard let grads = store.grads[i], let vel = store.velocities[i] else { continue }
            for j in store.values[i].indices {
                optimizer.update(store.values[i][j].pointer, grad: grads[j].pointer, velocity: vel[j].pointer,
                                 count: store.values[i][j].count)
            }
        }
        for plan in plans.values { plan.parametersChanged() }
        return (loss, correct)
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
