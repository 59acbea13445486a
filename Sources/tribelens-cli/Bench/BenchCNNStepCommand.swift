import ArgumentParser
import Foundation
import NeuralKit

extension BenchCommand {
    struct CNNStep: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cnn-step", abstract: "Training batch of the scratch CNN (SGD lr 0.01).")
        @OptionGroup var options: Options

        func run() throws {
            let model = try Architectures.scratchCNN(classes: 24, seed: 1)
            let trainer = try Trainer(model: model, optimizer: SGD(learningRate: 0.01), batchSize: options.batchSize)
            let data = try syntheticImages(count: options.batchSize * 4, shape: [64, 64, 3])
            try time("cnn-step", options) { b in
                let first = (b % 4) * options.batchSize
                try trainer.trainStep(data, indices: Array(first..<first + options.batchSize))
            }
        }
    }
}
