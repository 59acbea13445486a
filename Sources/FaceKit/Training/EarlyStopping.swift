/// Keras' `EarlyStopping` (mode "min", no baseline, start_from_epoch 0), decision for decision:
/// `wait` is incremented BEFORE the improvement test and reset by an improvement
/// (`current + minDelta < best`, float32, first epoch always improves); training stops when
/// `wait >= patience` on any epoch but the first. It is independent of ReduceLROnPlateau.
public struct EarlyStopping: Sendable, Equatable {
    public struct Configuration: Codable, Sendable, Equatable {
        public var patience: Int = 3
        public var minDelta: Double = 0

        public init(patience: Int = 3, minDelta: Double = 0) {
            self.patience = patience
            self.minDelta = minDelta
        }
    }

    public let configuration: Configuration
    public private(set) var best: Double?
    /// Zero-based epoch of the best value so far (what restore-best-weights restores).
    public private(set) var bestEpoch = 0
    public private(set) var wait = 0

    public init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public enum Decision: Equatable, Sendable { case improved, continueTraining, stop }

    public mutating func epochEnded(_ epoch: Int, monitor current: Double) -> Decision {
        wait += 1
        if KerasComparison.isImprovement(current, over: best, minDelta: configuration.minDelta) {
            best = current
            bestEpoch = epoch
            wait = 0
            return .improved
        }
        return wait >= configuration.patience && epoch > 0 ? .stop : .continueTraining
    }
}
