import FaceKit

/// Where a run is, for the progress bar: preparing (faces found so far), then epoch and batch.
/// A value type so the text and fraction are tested without a window.
struct TrainingProgress: Equatable {
    enum Stage: Equatable {
        case preparing(done: Int, total: Int)
        case readingCrops
        case epoch(Int, of: Int, batch: Int, batches: Int)
        case evaluating
    }

    var stage: Stage = .readingCrops

    /// 0...1 over the whole run. Preparation is not counted: its length is unknown up front
    /// (cached photos take no time) and the bar would jump back.
    var fraction: Double {
        switch stage {
        case .preparing, .readingCrops: return 0
        case .epoch(let epoch, let epochs, let batch, let batches):
            guard epochs > 0 else { return 0 }
            let within = batches > 0 ? Double(batch) / Double(batches) : 0
            return min(1, (Double(epoch - 1) + within) / Double(epochs))
        case .evaluating: return 1
        }
    }

    var text: String {
        switch stage {
        case .preparing(let done, let total):
            return L10n.format(L10n.tr("Finding faces: %d of %d photos"), done, total)
        case .readingCrops:
            return L10n.tr("Reading the face crops…")
        case .epoch(let epoch, let epochs, let batch, let batches):
            return L10n.format(L10n.tr("Epoch %d of %d · batch %d of %d"), epoch, epochs, batch, batches)
        case .evaluating:
            return L10n.tr("Testing on the held-out photos…")
        }
    }

    /// Moves on with an event from the run.
    mutating func apply(_ event: TrainingEvent) {
        switch event {
        case .epochStarted(let epoch, let epochs, _):
            stage = .epoch(epoch, of: epochs, batch: 0, batches: 0)
        case .batch(let epoch, let progress):
            if case .epoch(_, let epochs, _, _) = stage {
                stage = .epoch(epoch, of: epochs, batch: progress.batchesDone, batches: progress.batchesTotal)
            }
        case .epochEnded(let record):
            if case .epoch(_, let epochs, _, _) = stage, record.epoch == epochs { stage = .evaluating }
        case .learningRateReduced:
            break
        }
    }
}
