import BackendPluginKit
import NeuralKit

/// The batch loop every NeuralKit-based plugin runs: visit the host's samples in the ABI's
/// shuffled order, fetch a batch, turn it into a NeuralKit dataset (`prepare`: raw pixels for the
/// scratch CNN, cached features for VGG16; or index into one dataset, SFace's embeddings), take
/// one SGD step, report progress, stop on cancel or divergence. The metrics are Keras' epoch numbers (sample-weighted mean loss, accuracy).
public enum EpochLoop {
    public static func train(
        _ trainer: Trainer, source: SampleBatches, batchSize: Int, shuffleSeed: UInt64,
        progress: BatchReporter, prepare: (_ pixels: [UInt8], _ labels: [Int32], _ count: Int) throws -> any NeuralKit.Dataset
    ) throws -> BackendPluginKit.EpochMetrics {
        var pixels: [UInt8] = [], labels: [Int32] = []
        return try steps(trainer, order: source.shuffledOrder(seed: shuffleSeed), batchSize: batchSize, progress: progress) { slice in
            try source.fetch(slice, pixels: &pixels, labels: &labels)
            return (try prepare(pixels, labels, slice.count), Array(0..<slice.count))
        }
    }

    /// The same loop over samples already held in one dataset (the SFace plugin's cached
    /// embeddings): each batch is the next `batchSize` indices of `order`.
    public static func train(
        _ trainer: Trainer, dataset: any NeuralKit.Dataset, order: [UInt64], batchSize: Int, progress: BatchReporter
    ) throws -> BackendPluginKit.EpochMetrics {
        try steps(trainer, order: order, batchSize: batchSize, progress: progress) { slice in (dataset, slice.map { Int($0) }) }
    }

    private static func steps(
        _ trainer: Trainer, order: [UInt64], batchSize: Int, progress: BatchReporter,
        batch: (ArraySlice<UInt64>) throws -> (data: any NeuralKit.Dataset, indices: [Int])
    ) throws -> BackendPluginKit.EpochMetrics {
        guard batchSize > 0 else { throw SwiftBackendError.invalidArgument("batch size must be at least 1") }
        guard !order.isEmpty else { throw SwiftBackendError.invalidArgument("no training samples") }
        let batches = (order.count + batchSize - 1) / batchSize
        var lossSum = 0.0, correct = 0, seen = 0
        for b in 0..<batches {
            let slice = order[b * batchSize..<min(order.count, (b + 1) * batchSize)]
            let (data, indices) = try batch(slice)
            let step = try trainer.trainStep(data, indices: indices)
            guard step.loss.isFinite else {
                throw SwiftBackendError.diverged("loss is \(step.loss) at batch \(b + 1) with learning rate \(trainer.learningRate)")
            }
            lossSum += step.loss * Double(slice.count)
            correct += step.correct
            seen += slice.count
            if !progress.report(batchesDone: b + 1, batchesTotal: batches, runningLoss: lossSum / Double(seen),
                                runningAccuracy: Double(correct) / Double(seen)) {
                throw SwiftBackendError.cancelled
            }
        }
        return .init(loss: lossSum / Double(seen), accuracy: Double(correct) / Double(seen), samples: seen)
    }

    /// Loss and accuracy over `source` in index order, in inference mode.
    public static func evaluate(
        _ predictor: Predictor, source: SampleBatches, batchSize: Int, progress: BatchReporter,
        prepare: (_ pixels: [UInt8], _ labels: [Int32], _ count: Int) throws -> any NeuralKit.Dataset
    ) throws -> BackendPluginKit.EpochMetrics {
        guard source.count > 0 else { throw SwiftBackendError.invalidArgument("no samples to evaluate") }
        let step = max(1, batchSize)
        let batches = (source.count + step - 1) / step
        var pixels: [UInt8] = [], labels: [Int32] = []
        var lossSum = 0.0, correct = 0.0, seen = 0
        for b in 0..<batches {
            let slice = (UInt64(b * step)..<UInt64(min(source.count, (b + 1) * step)))
            try source.fetch(ArraySlice(Array(slice)), pixels: &pixels, labels: &labels)
            let metrics = try predictor.evaluate(try prepare(pixels, labels, slice.count))
            lossSum += metrics.loss * Double(metrics.samples)
            correct += metrics.accuracy * Double(metrics.samples)
            seen += metrics.samples
            if !progress.report(batchesDone: b + 1, batchesTotal: batches, runningLoss: lossSum / Double(seen),
                                runningAccuracy: correct / Double(seen)) {
                throw SwiftBackendError.cancelled
            }
        }
        return .init(loss: lossSum / Double(seen), accuracy: correct / Double(seen), samples: seen)
    }
}
