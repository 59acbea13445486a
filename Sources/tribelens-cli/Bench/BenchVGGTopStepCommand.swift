import ArgumentParser
import Foundation
import NeuralKit

extension BenchCommand {
    struct VGGTopStep: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vgg-top-step",
            abstract: "Training batch of VGG16 block5 + top on 4x4x512 inputs (SGD lr 1e-4, momentum 0.9).")
        @OptionGroup var options: Options

        func run() throws {
            let model = try Sequential(inputShape: [4, 4, 512],
                                       layers: Architectures.vgg16Blocks(5...5) + Architectures.vgg16Top(classes: 24), seed: 1)
            let trainer = try Trainer(model: model, optimizer: SGD(learningRate: 1e-4, momentum: 0.9),
                                      batchSize: options.batchSize)
            var g = SeededGenerator(seed: 7)
            let n = options.batchSize * 2
            let features = try Tensor(shape: [n, 4, 4, 512], scalars: (0..<n * 8192).map { _ in g.nextUnitFloat() * 4 })
            let data = try TensorSamples(samples: features, labels: (0..<n).map { $0 % 24 })
            try time("vgg-top-step", options) { b in
                let first = (b % 2) * options.batchSize
                try trainer.trainStep(data, indices: Array(first..<first + options.batchSize))
            }
        }
    }
}
