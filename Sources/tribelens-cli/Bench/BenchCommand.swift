import ArgumentParser
import Foundation
import NeuralKit

/// `tribelens-cli bench ...`: times NeuralKit alone on synthetic data (64x64x3 raw 0-255 pixels,
/// 24 classes, batch 32). `make bench` (bench/run.sh) runs these next to Keras and PyTorch.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time NeuralKit on the write-up's networks (synthetic data).",
        subcommands: [CNNStep.self, VGGTopStep.self, VGGFrozenInfer.self, CNNEpoch.self, TransferBenchCommand.self, SFaceBenchCommand.self])

    struct Options: ParsableArguments {
        @Option(help: "Timed batches (after warm-up).") var batches = 20
        @Option(help: "Warm-up batches.") var warmup = 3
        @Option(help: "Batch size.") var batchSize = 32
        @Flag(help: "Print one JSON object.") var json = false
    }

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
            let data = try TensorDataset(samples: features, labels: (0..<n).map { $0 % 24 })
            try time("vgg-top-step", options) { b in
                let first = (b % 2) * options.batchSize
                try trainer.trainStep(data, indices: Array(first..<first + options.batchSize))
            }
        }
    }

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

/// Uniform random bytes (seeded) with labels cycling through 24 classes.
private func syntheticImages(count: Int, shape: [Int]) throws -> ByteImageDataset {
    var g = SeededGenerator(seed: 42)
    let size = shape.reduce(1, *)
    var pixels = [UInt8](repeating: 0, count: count * size)
    for i in pixels.indices { pixels[i] = UInt8(truncatingIfNeeded: g.next() >> 56) }
    return try ByteImageDataset(pixels: pixels, labels: (0..<count).map { $0 % 24 }, sampleShape: shape)
}

private func time(_ name: String, _ options: BenchCommand.Options, _ step: (Int) throws -> Void) throws {
    guard options.batches > 0, options.warmup >= 0, options.batchSize > 0 else {
        throw ValidationError("--batches and --batch-size must be positive, --warmup not negative")
    }
    for b in 0..<options.warmup { try step(b) }
    var times: [Double] = []
    for b in 0..<options.batches {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try step(b)
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
    }
    let sorted = times.sorted()
    let median = sorted[sorted.count / 2]
    let mean = times.reduce(0, +) / Double(times.count)
    let ips = Double(options.batchSize) * 1000 / median
    let core = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "unset"
    if options.json {
        print(#"{"bench":"\#(name)","framework":"neuralkit","batch":\#(options.batchSize),"batches":\#(options.batches),"ms_per_batch":\#(fmt(median)),"ms_mean":\#(fmt(mean)),"images_per_s":\#(fmt(ips)),"openblas_coretype":"\#(core)"}"#)
    } else {
        print("\(name): median \(fmt(median)) ms/batch (mean \(fmt(mean))), \(fmt(ips)) images/s, batch \(options.batchSize), OPENBLAS_CORETYPE=\(core)")
    }
}

private func fmt(_ v: Double) -> String { String(format: "%.3f", v) }

private func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // Linux reports kB
}
