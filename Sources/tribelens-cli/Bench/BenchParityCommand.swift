import ArgumentParser
import FaceKit
import Foundation
import NeuralKit

extension BenchCommand {
    /// `bench parity`: the whole-run half of bench/peers/keras_parity.py. Trains the scratch CNN
    /// from given initial weights on exported .npy data through FaceKit's `TrainingSession` (the
    /// `original` preset's schedule: ReduceLROnPlateau, EarlyStopping, validation on the test set)
    /// with a fixed batch order, and prints one JSON line per epoch and one for the end.
    struct Parity: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "parity",
            abstract: "Train the scratch CNN from given weights in a fixed order (Keras parity check).")
        @Option(help: "Folder with x_train.npy, y_train.npy, x_test.npy, y_test.npy (uint8 64x64x3 images, int labels).")
        var data: String
        @Option(help: "Initial weights (safetensors, Keras layer names: conv2d/kernel, ...).") var weights: String
        @Option(help: "Epochs at most.") var epochs = 50
        @Option(help: "Batch size.") var batchSize = 32
        @Option(help: "Learning rate.") var learningRate = 0.01
        @Option(help: "Input scale (1: raw 0-255, as the original preset).") var inputScale: Float = 1
        @Option(help: "Optional .npy (int, epochs x samples) with each epoch's order; default index order.")
        var orders: String?
        @Flag(help: "Put back the best epoch's weights (the recommended preset).") var restoreBest = false

        func run() throws {
            let folder = URL(fileURLWithPath: data)
            func part(_ name: String) throws -> InMemorySamples {
                let xURL = folder.appendingPathComponent("x_\(name).npy"), yURL = folder.appendingPathComponent("y_\(name).npy")
                let x = try NPY.read(xURL), y = try NPY.read(yURL)
                guard x.dtype == "|u1", x.shape.count == 4, Array(x.shape.dropFirst()) == [64, 64, 3] else {
                    throw ValidationError("\(xURL.path): want uint8 images of N x 64 x 64 x 3, got \(x.dtype) \(x.shape)")
                }
                let labels = try NPY.labels(y, file: yURL)
                guard labels.count == x.shape[0] else {
                    throw ValidationError("\(yURL.path): \(labels.count) labels for \(x.shape[0]) images")
                }
                return try InMemorySamples(pixels: x.bytes, labels: labels)
            }
            let train = try part("train"), test = try part("test")
            let classes = Int((train.labels + test.labels).max() ?? 0) + 1
            var model = try Architectures.scratchCNN(classes: classes)
            try model.loadWeights(from: URL(fileURLWithPath: weights))
            var perEpoch: [[Int]]?
            if let orders {
                let url = URL(fileURLWithPath: orders)
                let o = try NPY.read(url)
                let flat = try NPY.labels(o, file: url).map(Int.init)
                guard o.shape.count == 2, o.shape[1] == train.count, flat.allSatisfy({ $0 >= 0 && $0 < train.count }) else {
                    throw ValidationError("\(url.path): want epochs x \(train.count) indices, got \(o.shape)")
                }
                perEpoch = stride(from: 0, to: flat.count, by: train.count).map { Array(flat[$0..<$0 + train.count]) }
            }
            let backend = ParityBackend(template: model, inputScale: inputScale, batchSize: batchSize)
            let initial = try ParityModel(model: model, inputScale: inputScale, batchSize: batchSize, orders: perEpoch)
            var configuration = TrainingPreset.original.configuration()
            configuration.epochs = epochs
            configuration.batchSize = batchSize
            configuration.learningRate = learningRate
            configuration.restoreBestWeights = restoreBest
            let session = TrainingSession(backend: backend, configuration: configuration)
            let result = try session.run(model: initial, training: train, validation: test) { event in
                guard case .epochEnded(let r) = event else { return }
                print(Self.json(["epoch": r.epoch, "loss": r.loss, "accuracy": r.accuracy, "val_loss": r.valLoss ?? .nan,
                                 "val_accuracy": r.valAccuracy ?? .nan, "lr": r.lr, "seconds": r.seconds]))
            }
            let final = try result.model.evaluate(on: test, batchSize: batchSize)
            var stopped = 0
            if case .earlyStopped(let e) = result.stop { stopped = e }
            print(Self.json(["epochs": result.history.count, "stopped_epoch": stopped, "test_loss": final.loss,
                             "test_accuracy": final.accuracy, "stop": result.stop.summary]))
        }

        static func json(_ values: [String: Any]) -> String {
            let parts = values.keys.sorted().map { k -> String in
                switch values[k] {
                case let d as Double: return "\"\(k)\": \(d.isFinite ? String(d) : "null")"
                case let i as Int: return "\"\(k)\": \(i)"
                case let s as String: return "\"\(k)\": \"\(s)\""
                default: return "\"\(k)\": null"
                }
            }
            return "{" + parts.joined(separator: ", ") + "}"
        }
    }
}
