import BackendPluginKit
import NeuralKit
import TrainingMetrics

/// NeuralKit's epoch loop (`Trainer.fitEpoch`) and evaluation loop (`Predictor.evaluate`) over
/// the host's samples, adapted to the plugin ABI: samples are visited in the ABI's shuffled order
/// (tl_shuffle_indices) or index order, each batch is fetched from the host and turned into
/// NeuralKit samples (`prepare`: raw pixels for the scratch CNN, cached features for VGG16), the
/// host's progress callback is told after every batch, and NeuralKit's stops become the ABI's
/// codes (cancelled, diverged). The loops themselves live only in NeuralKit.
public enum SourcePasses {
    public typealias Prepare = (_ pixels: [UInt8], _ labels: [Int32], _ count: Int) throws -> any LabeledSamples

    /// One training epoch over `source` in `source.shuffledOrder(seed: shuffleSeed)`, in batches
    /// of the trainer's batch size.
    public static func train(_ trainer: Trainer, source: SampleBatches, shuffleSeed: UInt64, progress: BatchReporter,
                             prepare: Prepare) throws -> PassMetrics {
        var pixels: [UInt8] = [], labels: [Int32] = []
        return try train(trainer, order: source.shuffledOrder(seed: shuffleSeed), progress: progress) { slice in
            try source.fetch(ArraySlice(slice.map { UInt64($0) }), pixels: &pixels, labels: &labels)
            return (try prepare(pixels, labels, slice.count), Array(0..<slice.count))
        }
    }

    /// The same epoch over samples already held in one set (the SFace plugin's cached
    /// embeddings), in the ABI's `order`.
    public static func train(_ trainer: Trainer, samples: any LabeledSamples, order: [UInt64],
                             progress: BatchReporter) throws -> PassMetrics {
        try train(trainer, order: order, progress: progress) { slice in (samples, Array(slice)) }
    }

    private static func train(
        _ trainer: Trainer, order: [UInt64], progress: BatchReporter,
        batch: (ArraySlice<Int>) throws -> (samples: any LabeledSamples, indices: [Int])
    ) throws -> PassMetrics {
        guard !order.isEmpty else { throw SwiftBackendError.invalidArgument("no training samples") }
        return try adaptingStops {
            try trainer.fitEpoch(order: order.map { Int($0) }, batch: batch, afterBatch: report(to: progress))
        }
    }

    /// Loss and accuracy over `source` in index order, in batches of the predictor's batch size,
    /// in inference mode.
    public static func evaluate(_ predictor: Predictor, source: SampleBatches, progress: BatchReporter,
                                prepare: Prepare) throws -> PassMetrics {
        guard source.count > 0 else { throw SwiftBackendError.invalidArgument("no samples to evaluate") }
        var pixels: [UInt8] = [], labels: [Int32] = []
        return try adaptingStops {
            try predictor.evaluate(count: source.count, batch: { range in
                try source.fetch(ArraySlice(range.map { UInt64($0) }), pixels: &pixels, labels: &labels)
                return try prepare(pixels, labels, range.count)
            }, afterBatch: report(to: progress))
        }
    }

    private static func report(to progress: BatchReporter) -> BatchCallback {
        { done, total, running in
            progress.report(batchesDone: done, batchesTotal: total, runningLoss: running.loss, runningAccuracy: running.accuracy)
        }
    }

    /// NeuralKit's cancel and divergence as the ABI's TL_ERR_CANCELLED and TL_ERR_DIVERGED (with
    /// NeuralKit's message); anything else as it is.
    private static func adaptingStops<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch NeuralKitError.cancelled {
            throw SwiftBackendError.cancelled
        } catch NeuralKitError.diverged(let message) {
            throw SwiftBackendError.diverged(message)
        }
    }
}
