import Foundation
import TrainingMetrics

/// What the session reports while it runs (on the training thread).
public enum TrainingEvent: Sendable, Equatable {
    case epochStarted(epoch: Int, of: Int, learningRate: Double)
    case batch(epoch: Int, progress: BatchProgress)
    case epochEnded(EpochRecord)
    case learningRateReduced(epoch: Int, from: Double, to: Double)
}

/// How a run ended. `history` is kept in every case.
public enum TrainingStop: Sendable, Equatable {
    case completed
    /// EarlyStopping fired after this (1-based) epoch.
    case earlyStopped(epoch: Int)
    case cancelled
    case diverged(message: String)

    public var summary: String {
        switch self {
        case .completed: "completed all epochs"
        case .earlyStopped(let epoch): "early stopping after epoch \(epoch)"
        case .cancelled: "cancelled"
        case .diverged(let message): message
        }
    }
}

public struct TrainingResult {
    public var model: any BackendModel
    public var history: [EpochRecord]
    public var stop: TrainingStop
    /// 1-based epoch whose weights the model holds (the best one when restored, else the last).
    public var weightsEpoch: Int
}

/// The training schedule shared by every backend: epochs, ReduceLROnPlateau, EarlyStopping,
/// history, progress, cancellation and divergence. Backends only train one epoch at a time.
public struct TrainingSession {
    public let backend: any ModelBackend
    public let configuration: TrainingConfiguration
    /// How the best epoch's snapshot is loaded back (the model's own files and cache folder).
    public let loadConfiguration: ModelConfiguration?

    public init(backend: any ModelBackend, configuration: TrainingConfiguration, loadConfiguration: ModelConfiguration? = nil) {
        self.backend = backend
        self.configuration = configuration
        self.loadConfiguration = loadConfiguration
    }

    /// The shuffle seed of an epoch: a SplitMix64 step of (seed, epoch), so epochs differ and
    /// runs repeat.
    public static func shuffleSeed(seed: UInt64, epoch: Int) -> UInt64 {
        var z = seed &+ UInt64(epoch + 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Trains `model` on `training`, validating on `validation` after every epoch (the callbacks
    /// monitor val_loss; without validation data they are off, as in Keras without val_loss).
    /// Throws only for errors the run cannot report as a `TrainingStop` (bad configuration, I/O).
    public func run(model initial: any BackendModel, training: any SampleSource, validation: (any SampleSource)?,
                    cancellation: CancellationFlag = CancellationFlag(),
                    events: (TrainingEvent) -> Void = { _ in }) throws -> TrainingResult {
        if let problem = configuration.problem() { throw BackendError(.invalidArgument, problem) }
        guard training.count > 0 else { throw BackendError(.invalidArgument, "no training samples") }

        var model = initial
        var history: [EpochRecord] = []
        // The optimiser's learning rate is float32 in Keras; keeping it a Float makes the
        // schedule match Keras bit for bit.
        var learningRate = Float(configuration.learningRate)
        var reduceLR = configuration.reduceLROnPlateau.map(ReduceLROnPlateau.init)
        var earlyStopping = configuration.earlyStopping.map(EarlyStopping.init)
        // Best-by-val_loss tracking for restoreBestWeights, independent of EarlyStopping.
        var bestTracker = EarlyStopping(.init(patience: Int.max, minDelta: 0))
        var snapshot: URL?
        var snapshotEpoch = 0
        defer { if let snapshot { try? FileManager.default.removeItem(at: snapshot.deletingLastPathComponent()) } }

        func finish(_ stop: TrainingStop) throws -> TrainingResult {
            var weightsEpoch = history.count
            if configuration.restoreBestWeights, let snapshot, snapshotEpoch != history.count {
                model = try backend.loadModel(from: snapshot, configuration: loadConfiguration)
                weightsEpoch = snapshotEpoch
            }
            return TrainingResult(model: model, history: history, stop: stop, weightsEpoch: weightsEpoch)
        }

        for epoch in 0..<configuration.epochs {
            if cancellation.isCancelled { return try finish(.cancelled) }
            events(.epochStarted(epoch: epoch + 1, of: configuration.epochs, learningRate: Double(learningRate)))
            let started = Date()
            var nonFinite: BatchProgress?
            let trained: PassMetrics
            do {
                trained = try model.trainEpoch(
                    on: training, batchSize: configuration.batchSize, learningRate: learningRate,
                    shuffleSeed: Self.shuffleSeed(seed: configuration.seed, epoch: epoch)
                ) { progress in
                    events(.batch(epoch: epoch + 1, progress: progress))
                    if !progress.runningLoss.isFinite {
                        nonFinite = progress
                        return false
                    }
                    return !cancellation.isCancelled
                }
            } catch let error as BackendError where error.code == .cancelled || error.code == .diverged {
                if let bad = nonFinite {
                    return try finish(.diverged(message: Self.divergence(epoch: epoch + 1, batch: bad.batchesDone,
                                                                         loss: bad.runningLoss, lr: learningRate)))
                }
                if error.code == .diverged {
                    return try finish(.diverged(message: "training diverged in epoch \(epoch + 1): \(error.message)"))
                }
                return try finish(.cancelled)
            }
            guard trained.loss.isFinite else {
                return try finish(.diverged(message: Self.divergence(epoch: epoch + 1, batch: nil, loss: trained.loss, lr: learningRate)))
            }
            var validated: PassMetrics?
            if let validation, validation.count > 0 {
                do {
                    validated = try model.evaluate(on: validation, batchSize: configuration.batchSize) { _ in
                        !cancellation.isCancelled
                    }
                } catch let error as BackendError where error.code == .cancelled {
                    return try finish(.cancelled)
                }
                if let v = validated, !v.loss.isFinite {
                    return try finish(.diverged(message: "training diverged in epoch \(epoch + 1): validation loss is \(v.loss); try a lower learning rate"))
                }
            }
            let record = EpochRecord(epoch: epoch + 1, loss: trained.loss, accuracy: trained.accuracy,
                                     valLoss: validated?.loss, valAccuracy: validated?.accuracy,
                                     lr: Double(learningRate), seconds: Date().timeIntervalSince(started))
            history.append(record)
            events(.epochEnded(record))

            guard let monitor = validated?.loss else { continue }
            if configuration.restoreBestWeights, bestTracker.epochEnded(epoch, monitor: monitor) == .improved {
                snapshot = try saveSnapshot(model, replacing: snapshot)
                snapshotEpoch = epoch + 1
            }
            // Keras calls the two callbacks independently on the same logs, in the write-up's
            // order [reduce_lr, es]; neither sees the other's state.
            if var r = reduceLR {
                let next = r.epochEnded(monitor: monitor, learningRate: learningRate)
                reduceLR = r
                if next != learningRate {
                    events(.learningRateReduced(epoch: epoch + 1, from: Double(learningRate), to: Double(next)))
                    learningRate = next
                }
            }
            if var e = earlyStopping {
                let decision = e.epochEnded(epoch, monitor: monitor)
                earlyStopping = e
                if decision == .stop { return try finish(.earlyStopped(epoch: epoch + 1)) }
            }
        }
        return try finish(.completed)
    }

    private static func divergence(epoch: Int, batch: Int?, loss: Double, lr: Float) -> String {
        let at = batch.map { "epoch \(epoch), batch \($0)" } ?? "epoch \(epoch)"
        return "training diverged at \(at): loss is \(loss) at learning rate \(lr); try a lower learning rate or scaled input"
    }

    private func saveSnapshot(_ model: any BackendModel, replacing old: URL?) throws -> URL {
        let fm = FileManager.default
        let root = old?.deletingLastPathComponent()
            ?? fm.temporaryDirectory.appendingPathComponent("tribelens-best-\(UUID().uuidString)", isDirectory: true)
        let next = root.appendingPathComponent(UUID().uuidString, isDirectory: true)
        try fm.createDirectory(at: next, withIntermediateDirectories: true)
        try model.save(to: next)
        if let old { try? fm.removeItem(at: old) }
        return next
    }
}
