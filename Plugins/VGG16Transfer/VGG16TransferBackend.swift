import BackendPluginKit
import Foundation
import NeuralKit
import NeuralPluginSupport
import TrainingMetrics

/// The write-up's transfer model as a plugin: VGG16 (ImageNet weights from Keras' file) at
/// 64x64x3, the first `freeze_layers` layers of the combined Keras model frozen (15: input and
/// blocks 1-4), then Flatten -> Dense 256 sigmoid -> Dense N softmax, SGD lr 1e-4, momentum 0.9.
///
/// Training runs the frozen prefix once per crop through a `FeatureCache` in the host's cache
/// folder and trains only the rest (without a cache folder the prefix runs for every batch, as in
/// the write-up); prediction runs the whole network.
final class VGG16TransferBackend: SwiftBackend {
    static let id = "vgg16-transfer"
    static let version = "1.0.0"
    static let displayName = "VGG16 transfer (write-up)"
    static let description = "VGG16 pretrained on ImageNet with blocks 1-4 frozen and a new top, as in "
        + "the write-up (about 80% on its 24 members). Needs Keras' VGG16 weights file."
    static let defaultHyperParametersJSON =
        #"{"weights": "none", "freeze_layers": 15, "momentum": 0.9, "learning_rate": 0.0001, "preprocess": "auto"}"#
    static let settingsFile = "vgg16-transfer.json"

    let settings: SavedSettings
    let preprocessing: VGG16Preprocessing
    /// Leading NeuralKit layers that are frozen (Keras' count minus its input layer).
    let frozenCount: Int
    private var model: Sequential
    /// The folder the host gave for derived data (ABI 1.1); nil: no feature cache on disk.
    private let cacheFolder: String?
    private var trainer: Trainer?
    private var cache: FeatureCache?
    private var prefixPredictor: Predictor?

    var classCount: Int { settings.classes }

    init(settings: SavedSettings, model: Sequential, cacheFolder: String?) throws {
        self.settings = settings
        self.model = model
        self.cacheFolder = cacheFolder
        preprocessing = VGG16Preprocessing(rawValue: settings.extra["preprocess"] ?? "raw") ?? .raw
        frozenCount = Int(settings.extra["frozen_layers"] ?? "14") ?? 14
    }

    static func network(classes: Int, seed: UInt64, frozen: Int) throws -> Sequential {
        var m = try Sequential(inputShape: [64, 64, 3], layers: Architectures.vgg16Blocks(1...5) + Architectures.vgg16Top(classes: classes),
                               seed: seed)
        try m.setTrainable(false, layers: m.layers.prefix(frozen).map(\.name))
        return m
    }

    static func create(_ configuration: SwiftBackendConfiguration) throws -> Self {
        guard configuration.classCount >= 2 else { throw SwiftBackendError.invalidArgument("vgg16: needs at least 2 classes") }
        let hp = try HyperParameters(json: configuration.hyperParametersJSON, plugin: id)
        let momentum = try hp.number("momentum", default: 0.9, in: 0...0.999)
        // Keras counts the input layer: 15 = input + blocks 1-4 (19 layers up to block5_pool).
        let freeze = Int(try hp.number("freeze_layers", default: 15, in: 0...19))
        let weights = try hp.string("weights", default: "none")
        let preprocess: VGG16Preprocessing
        switch try hp.string("preprocess", default: "auto") {
        case "auto": preprocess = configuration.inputScale == 1 ? .raw : .caffe
        case let other:
            guard let p = VGG16Preprocessing(rawValue: other) else {
                throw SwiftBackendError.invalidArgument("vgg16: 'preprocess' must be auto, raw or caffe, got \(other)")
            }
            preprocess = p
        }
        var model = try network(classes: configuration.classCount, seed: configuration.seed, frozen: max(0, freeze - 1))
        if weights != "none" {
            guard weights.hasPrefix("/") else {
                throw SwiftBackendError.invalidArgument("vgg16: 'weights' must be an absolute path to Keras' VGG16 .h5 file (or its converted .safetensors), or \"none\"")
            }
            try ImageNetWeights.load(weights, into: &model)
        }
        let settings = SavedSettings(classes: configuration.classCount, inputScale: configuration.inputScale,
                                     momentum: Float(momentum),
                                     extra: ["preprocess": preprocess.rawValue, "frozen_layers": String(max(0, freeze - 1)),
                                             "weights": weights == "none" ? "none (random initialisation)" : weights])
        return try Self(settings: settings, model: model, cacheFolder: configuration.cacheDirectory)
    }

    static func load(from directory: String) throws -> Self {
        try read(directory, cacheFolder: nil)
    }

    static func load(from directory: String, configuration: SwiftBackendConfiguration) throws -> Self {
        try read(directory, cacheFolder: configuration.cacheDirectory)
    }

    private static func read(_ directory: String, cacheFolder: String?) throws -> Self {
        let settings = try SavedSettings.read(directory, file: settingsFile, plugin: id)
        var model = try network(classes: settings.classes, seed: 0, frozen: Int(settings.extra["frozen_layers"] ?? "14") ?? 14)
        try ModelFiles.loadWeights(into: &model, from: directory, plugin: id)
        return try Self(settings: settings, model: model, cacheFolder: cacheFolder)
    }

    // MARK: The frozen prefix and its cache

    private var currentModel: Sequential {
        get throws {
            guard let trainer else { return model }
            var full = model
            _ = try full.updateParameters(from: trainer.model)
            return full
        }
    }

    /// The cache of the frozen prefix's features, in `features/<network key>/` of the host's cache
    /// folder; nil when the host gave none.
    func featureCache() throws -> FeatureCache? {
        if let cache { return cache }
        guard let cacheFolder else { return nil }
        let prefix = try model.prefix(frozenCount)
        let key = try Self.networkKey(prefix, preprocessing: preprocessing, scale: settings.inputScale)
        let made = try FeatureCache(directory: URL(fileURLWithPath: cacheFolder, isDirectory: true)
                                        .appendingPathComponent("features/" + String(format: "%016llx", key), isDirectory: true),
                                    rowLength: prefix.outputShape.reduce(1, *))
        cache = made
        return made
    }

    /// The frozen prefix's executor, built only when some crop misses the cache: its plans (two
    /// shards of VGG16 blocks 1-4 with Winograd weights and scratchpads) take about 0.6 GB.
    private func prefixRunner() throws -> Predictor {
        if let prefixPredictor { return prefixPredictor }
        let made = try Predictor(model: model.prefix(frozenCount), batchSize: 32)
        prefixPredictor = made
        return made
    }

    /// Frees the prefix's executor after a pass: from the second epoch on every crop hits the
    /// cache, so keeping it would only hold memory (see `prefixRunner`).
    func releasePrefixRunner() { prefixPredictor = nil }

    /// Whether the prefix's executor currently exists (for tests).
    var hasPrefixRunner: Bool { prefixPredictor != nil }

    /// Everything that decides the prefix's output: its layers, their weights, the input mapping.
    static func networkKey(_ prefix: Sequential, preprocessing: VGG16Preprocessing, scale: Float) throws -> UInt64 {
        var key = ContentKey.mix(UInt64(scale.bitPattern) ^ (preprocessing == .caffe ? 0xCAFE : 0))
        key ^= ContentKey.mix(UInt64(prefix.layers.count))
        for name in prefix.parameterNames {
            let values = try prefix.parameter(name).scalars
            key = ContentKey.mix(key ^ values.withUnsafeBytes { ContentKey.of($0, salt: UInt64(name.utf8.count)) })
        }
        return key
    }

    /// Features for `count` fetched images, from the cache or computed (and cached) now.
    func features(_ pixels: [UInt8], _ labels: [Int32], _ count: Int) throws -> any LabeledSamples {
        guard frozenCount > 0 else {
            // Nothing frozen (freeze_layers 0 or 1): the whole network trains on the images.
            var images = [Float](repeating: 0, count: count * imageBytes)
            pixels.withUnsafeBufferPointer { px in
                images.withUnsafeMutableBufferPointer { dst in
                    for i in 0..<count {
                        preprocessing.fill(px.baseAddress! + i * imageBytes, into: dst.baseAddress! + i * imageBytes, scale: settings.inputScale)
                    }
                }
            }
            return try TensorSamples(samples: Tensor(shape: [count, 64, 64, 3], scalars: images), labels: labels.prefix(count).map(Int.init))
        }
        let featureShape = [count] + model.layerOutputShapes[frozenCount - 1]
        guard let cache = try featureCache() else {
            // No cache folder: the frozen prefix runs on every image of every pass.
            var rows: [Float] = []
            rows.reserveCapacity(featureShape.reduce(1, *))
            try pixels.withUnsafeBufferPointer { px in
                try prefixRunner().run(count: count, fill: { i, dst in
                    preprocessing.fill(px.baseAddress! + i * imageBytes, into: dst, scale: settings.inputScale)
                }, consume: { _, out in rows.append(contentsOf: out) })
            }
            return try TensorSamples(samples: Tensor(shape: featureShape, scalars: rows), labels: labels.prefix(count).map(Int.init))
        }
        let keys = pixels.withUnsafeBytes { raw in
            (0..<count).map { ContentKey.of(UnsafeRawBufferPointer(rebasing: raw[$0 * imageBytes..<($0 + 1) * imageBytes]), salt: 64) }
        }
        let missing = (0..<count).filter { !cache.contains(keys[$0]) }
        if !missing.isEmpty {
            let rowLength = cache.rowLength
            var computed: [[Float]] = []
            try pixels.withUnsafeBufferPointer { px in
                try prefixRunner().run(count: missing.count, fill: { i, dst in
                    preprocessing.fill(px.baseAddress! + missing[i] * imageBytes, into: dst, scale: settings.inputScale)
                }, consume: { _, out in
                    for r in 0..<(out.count / rowLength) { computed.append(Array(out[r * rowLength..<(r + 1) * rowLength])) }
                })
            }
            for (i, row) in zip(missing, computed) where !cache.contains(keys[i]) { try cache.insert(keys[i], row) }
        }
        var rows = [Float](repeating: 0, count: count * cache.rowLength)
        rows.withUnsafeMutableBufferPointer { dst in
            // copyRow also drops the row's pages from our resident set (see FeatureCache).
            for i in 0..<count { _ = cache.copyRow(keys[i], into: dst.baseAddress! + i * cache.rowLength) }
        }
        return try TensorSamples(samples: Tensor(shape: featureShape, scalars: rows), labels: labels.prefix(count).map(Int.init))
    }

    // MARK: SwiftBackend

    private func trainer(batchSize: Int, learningRate: Float) throws -> Trainer {
        if let trainer, trainer.batchSize == batchSize {
            trainer.learningRate = learningRate
            return trainer
        }
        let top = try trainer?.model ?? model.suffix(from: frozenCount)
        let made = try Trainer(model: top, optimizer: SGD(learningRate: learningRate, momentum: settings.momentum), batchSize: batchSize)
        trainer = made
        return made
    }

    func trainEpoch(_ source: SampleBatches, batchSize: Int, learningRate: Float, shuffleSeed: UInt64,
                    progress: BatchReporter) throws -> PassMetrics {
        let t = try trainer(batchSize: batchSize, learningRate: learningRate)
        defer {
            try? cache?.flush()
            releasePrefixRunner()
        }
        return try SourcePasses.train(t, source: source, shuffleSeed: shuffleSeed, progress: progress, prepare: features)
    }

    func evaluate(_ source: SampleBatches, batchSize: Int, progress: BatchReporter) throws -> PassMetrics {
        let top = try trainer?.model ?? model.suffix(from: frozenCount)
        defer {
            try? cache?.flush()
            releasePrefixRunner()
        }
        return try SourcePasses.evaluate(Predictor(model: top, batchSize: max(1, batchSize)), source: source,
                                         progress: progress, prepare: features)
    }

    func predict(pixels: UnsafeBufferPointer<UInt8>, count: Int, into probabilities: UnsafeMutableBufferPointer<Float>) throws {
        let (mapping, scale) = (preprocessing, settings.inputScale)
        try ModelFiles.predict(currentModel, pixels: pixels, count: count, into: probabilities) { image, dst in
            mapping.fill(image, into: dst, scale: scale)
        }
    }

    func save(to directory: String) throws {
        try ModelFiles.save(currentModel, settings: settings, to: directory, settingsFile: Self.settingsFile, plugin: Self.id)
    }
}

@_cdecl("tribelens_backend_entry")
public func tribelensBackendEntry() -> UnsafeRawPointer {
    BackendExport.table(for: VGG16TransferBackend.self)
}
