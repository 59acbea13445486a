/// Everything the shared training loop needs besides the model and the data.
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Double
    /// Seeds weight initialisation and every epoch's shuffle: same seed, same run.
    public var seed: UInt64
    /// nil switches the callback off.
    public var reduceLROnPlateau: ReduceLROnPlateau.Configuration?
    public var earlyStopping: EarlyStopping.Configuration?
    /// Put back the weights of the epoch with the best validation loss at the end of the run.
    public var restoreBestWeights: Bool

    public init(epochs: Int = 50, batchSize: Int = 32, learningRate: Double = 0.01, seed: UInt64 = 0,
                reduceLROnPlateau: ReduceLROnPlateau.Configuration? = .init(),
                earlyStopping: EarlyStopping.Configuration? = .init(), restoreBestWeights: Bool = false) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.seed = seed
        self.reduceLROnPlateau = reduceLROnPlateau
        self.earlyStopping = earlyStopping
        self.restoreBestWeights = restoreBestWeights
    }

    /// A one-line reason the configuration cannot run, or nil.
    public func problem() -> String? {
        if epochs < 1 { return "epochs must be at least 1, got \(epochs)" }
        if batchSize < 1 { return "batch size must be at least 1, got \(batchSize)" }
        if !(learningRate > 0) || !learningRate.isFinite { return "learning rate must be a positive number, got \(learningRate)" }
        if let r = reduceLROnPlateau, !(r.factor > 0 && r.factor < 1) {
            return "ReduceLROnPlateau factor must be between 0 and 1, got \(r.factor)"
        }
        return nil
    }
}
