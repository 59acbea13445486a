/// Keras' `ReduceLROnPlateau` (mode "min"), decision for decision (checked against Keras 3 by
/// Tests/Fixtures/keras-callbacks). Details that matter:
/// - improvement means `current + minDelta < best` compared in float32 (Keras 3 compares through
///   `ops.less`, i.e. backend float32 tensors); the first epoch always improves;
/// - in cooldown, every epoch decrements the cooldown counter and resets `wait`;
/// - the learning rate is a float32 variable; a reduction happens only while
///   `lr > float32(minLR)`, becomes `max(lr * factor, minLR)` and resets `wait`; at the floor
///   `wait` keeps growing (Keras does not reset it when nothing was reduced).
public struct ReduceLROnPlateau: Sendable, Equatable {
    public struct Configuration: Codable, Sendable, Equatable {
        public var factor: Double = 0.5
        public var patience: Int = 2
        public var minLR: Double = 1e-8
        public var minDelta: Double = 1e-4
        public var cooldown: Int = 0

        public init(factor: Double = 0.5, patience: Int = 2, minLR: Double = 1e-8, minDelta: Double = 1e-4, cooldown: Int = 0) {
            self.factor = factor
            self.patience = patience
            self.minLR = minLR
            self.minDelta = minDelta
            self.cooldown = cooldown
        }
    }

    public let configuration: Configuration
    public private(set) var best: Double?
    public private(set) var wait = 0
    public private(set) var cooldownCounter = 0

    public init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Returns the learning rate for the next epoch given this epoch's monitored value.
    public mutating func epochEnded(monitor current: Double, learningRate: Float) -> Float {
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            wait = 0
        }
        if KerasComparison.isImprovement(current, over: best, minDelta: configuration.minDelta) {
            best = current
            wait = 0
            return learningRate
        }
        guard cooldownCounter == 0 else { return learningRate }
        wait += 1
        guard wait >= configuration.patience else { return learningRate }
        let old = Double(learningRate)
        guard old > Double(Float(configuration.minLR)) else { return learningRate }
        cooldownCounter = configuration.cooldown
        wait = 0
        return Float(max(old * configuration.factor, configuration.minLR))
    }
}

/// Keras 3's `MonitorCallback._is_improvement` for mode "min".
enum KerasComparison {
    static func isImprovement(_ current: Double, over best: Double?, minDelta: Double) -> Bool {
        guard let best else { return true }
        return Float(current + abs(minDelta)) < Float(best)
    }
}
