import ArgumentParser
import Foundation
import NeuralKit

extension BenchCommand {
    struct VGGFrozenInfer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vgg-frozen-infer", abstract: "Inference of VGG16 blocks 1-4 at 64x64x3 (images/s).")
        @OptionGroup var options: Options

        func run() throws {
            let model = try Sequential(inputShape: [64, 64, 3], layers: Architectures.vgg16Blocks(1...4), seed: 1)
            let predictor = try Predictor(model: model, batchSize: options.batchSize)
            let data = try syntheticImages(count: options.batchSize, shape: [64, 64, 3])
            var sink: Float = 0
            try time("vgg-frozen-infer", options) { _ in
                try predictor.run(count: options.batchSize, fill: { data.copySample(at: $0, into: $1) },
                                  consume: { _, out in sink += out[0] })
            }
            if sink.isNaN { print("warning: NaN output") }
        }
    }
}
