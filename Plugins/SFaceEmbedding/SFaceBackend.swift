import BackendPluginKit
import Foundation
import NeuralKit
import NeuralPluginSupport
import TrainingMetrics

/// Face embeddings as a plugin (`sface`): OpenCV's SFace network, trained on millions of faces,
/// turns each aligned 112x112 face into a 128-d embedding once (cached by the host's sample
/// key), and a NeuralKit softmax layer on the normalised embeddings learns the members inside
/// the host's training session. Similarities to each member's prototype (the normalised mean of
/// its training embeddings) let the host say "unknown" for strangers.
final class SFaceBackend: SwiftBackend {
    static let id = "sface"
    static let version = "1.0.0"
    static let displayName = "Face embeddings (SFace) — recommended"
    static let description = "OpenCV's SFace face-recognition network turns every aligned face into an embedding; "
        + "a small classifier learns your members from them in seconds, and faces unlike every member are called unknown. "
        + "Needs the SFace and YuNet model files."
    static let defaultHyperParametersJSON =
        #"{"sface_model": "auto", "sface_model_sha256": "", "learning_rate": 0.1, "momentum": 0.9, "scale": 8, "augment": false}"#
    static let input = SwiftBackendInput(side: SFaceNetwork.side, kind: .aligned)
    static let givesSimilarities = true
    static let settingsFile = "sface.json"
    static let prototypesFile = "prototypes.safetensors"

    private let settings: SavedSettings
    private let scale: Float
    /// The softmax layer on the embeddings, with its trainer.
    private let classifier: TrainedNetwork
    /// classes x 128: each member's normalised mean training embedding.
    private var prototypes: [Float]
    /// The SFace file, opened on first use: parsing 38 MB takes about 0.3 s, and a run on cached
    /// embeddings (or the best epoch's snapshot loaded back) never needs it.
    private let networkPath: String?
    private var network: SFaceNetwork?
    private let cache: EmbeddingCache

    var classCount: Int { settings.classes }

    private init(settings: SavedSettings, model: Sequential, networkPath: String?, cacheFolder: String?) throws {
        guard let scale = settings.extra["scale"].flatMap(Float.init), scale.isFinite, scale > 0 else {
            throw SwiftBackendError.format("sface: the saved settings have no valid scale")
        }
        self.settings = settings
        self.scale = scale
        classifier = TrainedNetwork(model, momentum: settings.momentum)
        self.networkPath = networkPath
        prototypes = [Float](repeating: 0, count: settings.classes * SFaceNetwork.dimension)
        cache = EmbeddingCache(folder: cacheFolder, networkChecksum: settings.extra["network_sha256"] ?? "")
    }

    static func classifier(classes: Int, seed: UInt64 = 0) throws -> Sequential {
        try Sequential(inputShape: [SFaceNetwork.dimension], layers: [Dense(classes, activation: .softmax, name: "classifier")], seed: seed)
    }

    /// The network file named by the (host-resolved) hyper-parameters.
    private static func networkPath(_ hp: HyperParameters) throws -> String {
        let path = try hp.string("sface_model", default: "auto")
        guard path.hasPrefix("/"), FileManager.default.isReadableFile(atPath: path) else {
            throw SwiftBackendError.invalidArgument("sface: 'sface_model' must be the absolute path of a readable, checked SFace ONNX file "
                                                    + "(the host resolves \"auto\"; `tribelens-cli weights fetch sface` gets it), got \(path)")
        }
        return path
    }

    static func create(_ configuration: SwiftBackendConfiguration) throws -> Self {
        guard configuration.classCount >= 2 else { throw SwiftBackendError.invalidArgument("sface: needs at least 2 classes") }
        let hp = try HyperParameters(json: configuration.hyperParametersJSON, plugin: id)
        let settings = SavedSettings(classes: configuration.classCount, inputScale: 1,
                                     momentum: Float(try hp.number("momentum", default: 0.9, in: 0...0.999)),
                                     extra: ["scale": String(try hp.number("scale", default: 8, in: 0.1...100)),
                                             "network_sha256": try hp.string("sface_model_sha256", default: "")])
        return try Self(settings: settings, model: try classifier(classes: configuration.classCount, seed: configuration.seed),
                        networkPath: try networkPath(hp), cacheFolder: configuration.cacheDirectory)
    }

    static func load(from directory: String) throws -> Self {
        // Without the host's configuration there is no network file: the classifier loads, but
        // predicting needs a host of plugin ABI 1.1 (load_with_config).
        try read(directory, networkPath: nil, cacheFolder: nil)
    }

    static func load(from directory: String, configuration: SwiftBackendConfiguration) throws -> Self {
        let hp = try HyperParameters(json: configuration.hyperParametersJSON, plugin: id)
        return try read(directory, networkPath: try networkPath(hp), cacheFolder: configuration.cacheDirectory)
    }

    private static func read(_ directory: String, networkPath: String?, cacheFolder: String?) throws -> Self {
        let settings = try SavedSettings.read(directory, file: settingsFile, plugin: id)
        var model = try classifier(classes: settings.classes)
        try ModelFiles.loadWeights(into: &model, from: directory, plugin: id)
        let made = try Self(settings: settings, model: model, networkPath: networkPath, cacheFolder: cacheFolder)
        let url = URL(fileURLWithPath: directory).appendingPathComponent(prototypesFile)
        let shape = [settings.classes, SFaceNetwork.dimension]
        guard let saved = try? Safetensors.read(url)["prototypes"], saved.shape == shape, saved.scalars.allSatisfy(\.isFinite) else {
            throw SwiftBackendError.format("sface: \(url.path) has no finite prototypes of shape \(shape)")
        }
        made.prototypes = saved.scalars
        return made
    }

    func save(to directory: String) throws {
        try ModelFiles.save(currentModel, settings: settings, to: directory, settingsFile: Self.settingsFile, plugin: Self.id)
        do {
            try Safetensors.write(["prototypes": try Tensor(shape: [settings.classes, SFaceNetwork.dimension], scalars: prototypes)],
                                  to: URL(fileURLWithPath: directory).appendingPathComponent(Self.prototypesFile))
        } catch {
            throw SwiftBackendError.io("sface: cannot write the prototypes into \(directory): \(error)")
        }
    }

    private var currentModel: Sequential { classifier.current }

    // MARK: Embeddings

    private func requireNetwork() throws -> SFaceNetwork {
        if let network { return network }
        guard let networkPath else {
            throw SwiftBackendError.unsupported("sface: this model was loaded without its SFace network file (a host of plugin ABI 1.0?)")
        }
        let opened = try SFaceNetwork(path: networkPath)
        network = opened
        return opened
    }

    /// Embeddings of every sample of `source` in index order, and the labels: from the cache by
    /// sample key, embedding only the samples it lacks (all of them without keys: an ABI 1.0
    /// host). `remember` (training and evaluation) adds those to the cache and writes it out;
    /// predictions only read it. Reports each embedding batch.
    private func embeddings(of source: SampleBatches, remember: Bool, progress: BatchReporter?, batchesAfter: Int = 0)
        throws -> (embeddings: [Float], labels: [Int32]) {
        let n = source.count, d = SFaceNetwork.dimension
        var labels = [Int32](repeating: 0, count: n)
        var keys = [EmbeddingCache.Key](repeating: .init(high: 0, low: 0), count: n)
        if source.hasKeys {
            var words: [UInt64] = []
            var chunkLabels: [Int32] = []
            for start in stride(from: 0, to: n, by: 1024) {
                let indices = (UInt64(start)..<UInt64(min(n, start + 1024))).map { $0 }
                try source.fetchKeys(indices[...], keys: &words, labels: &chunkLabels)
                for (i, index) in indices.enumerated() {
                    keys[Int(index)] = .init(high: words[2 * i], low: words[2 * i + 1])
                    labels[Int(index)] = chunkLabels[i]
                }
            }
        }
        var out = [Float](repeating: 0, count: n * d)
        var missing: [Int] = []
        for i in 0..<n {
            if source.hasKeys, let row = cache[keys[i]] { out.replaceSubrange(i * d ..< (i + 1) * d, with: row) } else { missing.append(i) }
        }
        let batch = 32
        let batches = (missing.count + batch - 1) / batch
        var pixels: [UInt8] = []
        var batchLabels: [Int32] = []
        defer { if remember { cache.flush() } }
        for b in 0..<batches {
            let slice = missing[(b * batch)..<min(missing.count, (b + 1) * batch)]
            try source.fetch(slice.map { UInt64($0) }[...], pixels: &pixels, labels: &batchLabels)
            let rows = try pixels.withUnsafeBufferPointer { try requireNetwork().embed($0, count: slice.count) }
            for (i, index) in slice.enumerated() {
                let row = Array(rows[i * d ..< (i + 1) * d])
                labels[index] = batchLabels[i]
                out.replaceSubrange(index * d ..< (index + 1) * d, with: row)
                if remember && source.hasKeys { cache.insert(row, for: keys[index]) }
            }
            if let progress, !progress.report(batchesDone: b + 1, batchesTotal: batches + batchesAfter, runningLoss: 0, runningAccuracy: 0) {
                throw SwiftBackendError.cancelled
            }
        }
        for label in labels where label < 0 || Int(label) >= settings.classes {
            throw SwiftBackendError.invalidArgument("sface: label \(label) out of range 0..<\(settings.classes)")
        }
        return (out, labels)
    }

    // MARK: Training

    func trainEpoch(_ source: SampleBatches, batchSize: Int, learningRate: Float, shuffleSeed: UInt64,
                    progress: BatchReporter) throws -> PassMetrics {
        let steps = (source.count + batchSize - 1) / batchSize
        let (all, labels) = try embeddings(of: source, remember: true, progress: progress, batchesAfter: steps)
        updatePrototypes(all, labels: labels)
        return try SourcePasses.train(try classifier.trainer(batchSize: batchSize, learningRate: learningRate),
                                      samples: EmbeddingBatch(embeddings: all, labels: labels, scale: scale),
                                      order: source.shuffledOrder(seed: shuffleSeed), progress: progress)
    }

    func evaluate(_ source: SampleBatches, batchSize: Int, progress: BatchReporter) throws -> PassMetrics {
        let (all, labels) = try embeddings(of: source, remember: true, progress: progress)
        return try Predictor(model: currentModel, batchSize: max(1, batchSize))
            .evaluate(EmbeddingBatch(embeddings: all, labels: labels, scale: scale))
    }

    private func updatePrototypes(_ embeddings: [Float], labels: [Int32]) {
        let d = SFaceNetwork.dimension
        var sums = [Float](repeating: 0, count: settings.classes * d)
        for (i, label) in labels.enumerated() {
            for j in 0..<d { sums[Int(label) * d + j] += embeddings[i * d + j] }
        }
        for k in 0..<settings.classes { SFaceNetwork.normalise(&sums, row: k) }
        prototypes = sums
    }

    // MARK: Prediction

    private func probabilities(_ embeddings: [Float], count: Int) throws -> [Float] {
        let batch = EmbeddingBatch(embeddings: embeddings, labels: [Int32](repeating: 0, count: count), scale: scale)
        return try Predictor(model: currentModel, batchSize: min(max(count, 1), 32)).predict(batch).scalars
    }

    func predict(pixels: UnsafeBufferPointer<UInt8>, count: Int, into probabilities: UnsafeMutableBufferPointer<Float>) throws {
        let p = try self.probabilities(try requireNetwork().embed(pixels, count: count), count: count)
        for i in p.indices { probabilities[i] = p[i] }
    }

    func predict(_ source: SampleBatches, batchSize: Int, into probabilities: UnsafeMutableBufferPointer<Float>,
                 similarities: UnsafeMutableBufferPointer<Float>?) throws {
        let (embeddings, _) = try self.embeddings(of: source, remember: false, progress: nil)
        let count = source.count
        let p = try self.probabilities(embeddings, count: count)
        for i in p.indices { probabilities[i] = p[i] }
        guard let similarities else { return }
        let c = settings.classes, d = SFaceNetwork.dimension
        for i in 0..<count {
            for k in 0..<c {
                var dot: Float = 0
                for j in 0..<d { dot += embeddings[i * d + j] * prototypes[k * d + j] }
                similarities[i * c + k] = min(1, max(-1, dot))
            }
        }
    }
}

@_cdecl("tribelens_backend_entry")
public func tribelensBackendEntry() -> UnsafeRawPointer {
    BackendExport.table(for: SFaceBackend.self)
}
