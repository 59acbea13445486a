import ArgumentParser
import FaceKit
import Foundation

/// `tribelens-cli bench vgg-transfer`: the write-up's VGG16 transfer training at its sizes
/// (34,560 augmented training + 960 validation images, batch 32) through the real plugin, on
/// synthetic images. Times the first epoch (which fills the feature cache) and the next ones.
struct TransferBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vgg-transfer",
        abstract: "Time VGG16 transfer-learning epochs through the vgg16-transfer plugin.")

    @Option(help: "Training images.") var train = 34_560
    @Option(help: "Validation images.") var validation = 960
    @Option(help: "Epochs to time (the first fills the feature cache).") var epochs = 3
    @Option(help: "Classes.") var classes = 24
    @Flag(help: "Print JSON.") var json = false

    struct Report: Encodable {
        var train: Int
        var validation: Int
        var epochSeconds: [Double]
        var peakRSSMB: Double
        var cacheFolder: String
        enum CodingKeys: String, CodingKey {
            case train, validation
            case epochSeconds = "epoch_seconds", peakRSSMB = "peak_rss_mb", cacheFolder = "cache_folder"
        }
    }

    func run() throws {
        let catalog = PluginHost().discover()
        guard let backend = catalog.backend(id: "vgg16-transfer") else {
            throw ValidationError("the vgg16-transfer plugin was not found (searched: \(catalog.searched.map(\.directory.path).joined(separator: ", ")))")
        }
        // A private feature cache, so the first epoch really computes and nothing is left behind.
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("tribelens-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }

        let trainSet = try Self.synthetic(count: train, classes: classes, seed: 1)
        let validationSet = try Self.synthetic(count: validation, classes: classes, seed: 2)
        let model = try backend.makeModel(ModelConfiguration(classCount: classes, seed: 1, inputScale: 1,
                                                             hyperParametersJSON: #"{"weights": "none"}"#, cacheDirectory: cache))
        var seconds: [Double] = []
        for epoch in 1...epochs {
            let start = ContinuousClock.now
            let metrics = try model.trainEpoch(on: trainSet, batchSize: 32, learningRate: 1e-4, shuffleSeed: UInt64(epoch),
                                               progress: { _ in true })
            let val = try model.evaluate(on: validationSet, batchSize: 32)
            let elapsed = ContinuousClock.now - start
            let s = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            seconds.append(s)
            if !json {
                Console.error(String(format: "epoch %d: %.1f s (loss %.4f, val_loss %.4f)", epoch, s, metrics.loss, val.loss))
            }
        }
        let report = Report(train: train, validation: validation, epochSeconds: seconds, peakRSSMB: Self.peakRSSMB(),
                            cacheFolder: cache.path)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            Console.out(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            Console.out(String(format: "vgg16-transfer: first epoch %.1f s, steady epoch %.1f s, peak RSS %.0f MB",
                               seconds[0], seconds.dropFirst().min() ?? seconds[0], report.peakRSSMB))
        }
    }

    /// Random 64x64 crops with labels in turn, from a seeded generator.
    static func synthetic(count: Int, classes: Int, seed: UInt64) throws -> InMemorySamples {
        var generator = SeededGenerator(seed: seed)
        var pixels = [UInt8](repeating: 0, count: count * ImageLayout.bytes)
        for i in pixels.indices where i % 8 == 0 {
            let z = generator.next()
            for k in 0..<min(8, pixels.count - i) { pixels[i + k] = UInt8(truncatingIfNeeded: z >> (8 * UInt64(k))) }
        }
        return try InMemorySamples(pixels: pixels, labels: (0..<count).map { Int32($0 % classes) })
    }

    /// VmHWM from /proc/self/status.
    static func peakRSSMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}
