import ArgumentParser
import Foundation
import NeuralKit

extension BenchCommand {
    struct CNNEpoch: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cnn-epoch",
            abstract: "One training epoch of the scratch CNN over N synthetic images held as bytes (for peak memory).")
        @Option(help: "Images in the epoch.") var images = 34_560
        @Flag(help: "Print one JSON object.") var json = false

        func run() throws {
            let model = try Architectures.scratchCNN(classes: 24, seed: 1)
            let trainer = try Trainer(model: model, optimizer: SGD(learningRate: 0.01), batchSize: 32, seed: 3)
            let data = try syntheticImages(count: images, shape: [64, 64, 3])
            let start = DispatchTime.now().uptimeNanoseconds
            let m = try trainer.fitEpoch(data)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let rss = peakResidentMiB()
            if json {
                print(#"{"bench":"cnn-epoch","images":\#(images),"seconds":\#(fmt(seconds)),"loss":\#(fmt(m.loss)),"accuracy":\#(fmt(m.accuracy)),"peak_rss_mib":\#(fmt(rss))}"#)
            } else {
                print("cnn-epoch: \(images) images in \(fmt(seconds)) s, loss \(fmt(m.loss)), accuracy \(fmt(m.accuracy)), peak RSS \(fmt(rss)) MiB")
            }
        }
    }
}
