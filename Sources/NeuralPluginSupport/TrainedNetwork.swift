import NeuralKit

/// A plugin's network and the trainer that holds its parameters while it trains: the trainer
/// keeps SGD momentum between epochs and is rebuilt only when the batch size changes; `current`
/// is the network with the latest parameters (for evaluation, prediction and saving).
public final class TrainedNetwork {
    private let initial: Sequential
    private let momentum: Float
    private var trainer: Trainer?

    public init(_ network: Sequential, momentum: Float) {
        initial = network
        self.momentum = momentum
    }

    public var current: Sequential { trainer?.model ?? initial }

    public func trainer(batchSize: Int, learningRate: Float) throws -> Trainer {
        if let trainer, trainer.batchSize == batchSize {
            trainer.learningRate = learningRate
            return trainer
        }
        let made = try Trainer(model: current, optimizer: SGD(learningRate: learningRate, momentum: momentum), batchSize: batchSize)
        trainer = made
        return made
    }
}
