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
    /// How long the epochs of this run took (`EpochRecord.seconds`), for the time remaining.
    var epochSeconds: [Double] = []

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

    /// Seconds left if every epoch still to come takes as long as the last ones measured (up
    /// to three: the first may include warm-up, later ones shrink with early stopping's end
    /// unknown, so this is the most the planned epochs take); nil before an epoch has ended.
    var remainingSeconds: Double? {
        guard case .epoch(let epoch, let epochs, let batch, let batches) = stage, !epochSeconds.isEmpty else { return nil }
        let recent = epochSeconds.suffix(3)
        let perEpoch = recent.reduce(0, +) / Double(recent.count)
        let within = batches > 0 ? Double(batch) / Double(batches) : 0
        return max(0, perEpoch * (Double(epochs - epoch) + 1 - within))
    }

    /// "about 40 s left", "about 3 min left" (rounded up: a promise of less would disappoint).
    static func remainingText(_ seconds: Double) -> String {
        if seconds < 55 {
            let rounded = max(5, Int((seconds / 5).rounded(.up)) * 5)
            return L10n.format(L10n.tr("about %d s left"), rounded)
        }
        let minutes = Int((seconds / 60).rounded(.up))
        return L10n.format(L10n.plural("about %d min left", "about %d min left", minutes), minutes)
    }

    /// The progress bar's own text, so it does not repeat the status line below it:
    /// "40% · about 3 min left" while training; the stage otherwise.
    var barText: String {
        guard case .epoch = stage else { return text }
        let percent = L10n.format(L10n.tr("%d%%"), Int((fraction * 100).rounded(.down)))
        guard let left = remainingSeconds else { return percent + " · " + L10n.tr("measuring the time left…") }
        return percent + " · " + Self.remainingText(left)
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
            if record.seconds.isFinite, record.seconds >= 0 { epochSeconds.append(record.seconds) }
            if case .epoch(_, let epochs, _, _) = stage, record.epoch == epochs { stage = .evaluating }
        case .learningRateReduced:
            break
        }
    }
}
