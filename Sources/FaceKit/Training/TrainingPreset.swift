/// The two ways to train (design brief, issue 5).
public enum TrainingPreset: String, Codable, Sendable, CaseIterable {
    /// The write-up exactly: raw 0-255 input, the test set as validation data, 50 epochs max,
    /// batch 32, plain SGD at 0.01, ReduceLROnPlateau(0.5, 2, 1e-8) and EarlyStopping(3), the
    /// weights of the last epoch kept.
    case original
    /// Input scaled to [0, 1], validation carved from the training photos (before augmentation,
    /// by the dataset pipeline), SGD with momentum 0.9, the best epoch's weights restored.
    case recommended

    /// Where validation data comes from; the dataset pipeline builds it.
    public enum Validation: Equatable, Sendable {
        case testSet
        case carvedFromTraining(fraction: Double)
    }

    public var validation: Validation {
        switch self {
        case .original: .testSet
        case .recommended: .carvedFromTraining(fraction: 0.15)
        }
    }

    public var inputScale: Float {
        switch self {
        case .original: 1
        case .recommended: 1.0 / 255.0
        }
    }

    /// Overrides on top of the backend's own defaults; backends ignore keys they do not know.
    public var hyperParameterOverrides: [String: Double] {
        switch self {
        case .original: [:]
        case .recommended: ["momentum": 0.9]
        }
    }

    public func configuration(seed: UInt64 = 0) -> TrainingConfiguration {
        switch self {
        case .original:
            TrainingConfiguration(epochs: 50, batchSize: 32, learningRate: 0.01, seed: seed,
                                  restoreBestWeights: false)
        case .recommended:
            TrainingConfiguration(epochs: 50, batchSize: 32, learningRate: 0.01, seed: seed,
                                  restoreBestWeights: true)
        }
    }
}
