import BackendPluginKit
import Foundation
import NeuralKit
import NeuralPluginSupport

/// Face embeddings as a plugin (`sface`): OpenCV's SFace network, trained on millions of faces,
/// turns each aligned 112x112 face into a 128-d embedding once (cached by the host's sample
/// key), and a softmax classifier on the normalised embeddings learns the members inside the
/// host's training session. Similarities to each member's prototype (the normalised mean of
/// its training embeddings) let the host say "unknown" for strangers.
final class SFaceBackend: SwiftBackend {
    static let id = "sface"
    static let version = "1.0.0"
    static let displayName = "Face embeddings (SFace) — recommended"
    static let description = "OpenCV's SFace face-recognition network turns every aligned face into an embedding; "
        + "a small classifier learns your members from them in seconds, and faces unlike every member are called unknown. "
        + "Needs the SFace and YuNet model files."
    static let defaultHyperParametersJSON =
        #"{"sface_model": "auto", "sface_model_sha256": "", "learning_rate": 0.1, "momentum": 0.9, "scale": 8, "weight_decay": 0.0001}"#
    static let input = SwiftBackendInput(side: SFaceNetwork.side, kind: .aligned)
    static let givesSimilarities = true
    static let settingsFile = "sface.json"
    static let weightsFile = "weights.safetensors"

    private struct Settings: Codable {
        var format = 1
        var classes: Int
        var scale: Float
        var weightDecay: Float
        var momentum: Float
        var networkChecksum: String
    }

    private let settings: Settings
    private var classifier: EmbeddingClassifier
    /// classes x 128: each member's normalised mean training embedding.
    private var prototypes: [Float]
    private let network: SFaceNetwork?
    private let cache: EmbeddingCache

    var classCount: Int { settings.classes }

    private init(settings: Settings, network: SFaceNetwork?, cacheFolder: String?) {
        self.settings = settings
        self.network = network
        classifier = EmbeddingClassifier(classes: settings.classes, dimension: SFaceNetwork.dimension,
                                         scale: settings.scale, weightDecay: settings.weightDecay)
        prototypes = [Float](repeating: 0, count: settings.classes * SFaceNetwork.dimension)
        cache = EmbeddingCache(folder: cacheFolder, networkChecksum: settings.networkChecksum)
    }

    /// The network named by the (host-resolved) hyper-parameters.
    private static func network(_ hp: HyperParameters) throws -> (SFaceNetwork, checksum: String) {
        let path = try hp.string("sface_model", default: "auto")
        guard path.hasPrefix("/") else {
            throw SwiftBackendError.invalidArgument("sface: 'sface_model' must be the absolute path of a checked SFace ONNX file "
                                                    + "(the host resolves \"auto\"; `tribelens-cli weights fetch sface` gets it)")
        }
        return (try SFaceNetwork(path: path), try hp.string("sface_model_sha256", default: ""))
    }

    static func create(_ configuration: SwiftBackendConfiguration) throws -> Self {
        guard configuration.classCount >= 2 else { throw SwiftBackendError.invalidArgument("sface: needs at least 2 classes") }
        let hp = try HyperParameters(json: configuration.hyperParametersJSON, plugin: id)
        let (network, checksum) = try network(hp)
        let settings = Settings(classes: configuration.classCount, scale: Float(try hp.number("scale", default: 8, in: 0.1...100)),
                                weightDecay: Float(try hp.number("weight_decay", default: 1e-4, in: 0...1)),
                                momentum: Float(try hp.number("momentum", default: 0.9, in: 0...0.999)),
                                networkChecksum: checksum)
        return Self(settings: settings, network: network, cacheFolder: configuration.cacheDirectory)
    }

    static func load(from directory: String) throws -> Self {
        // Without the host's configuration there is no network file: the classifier loads, but
        // predicting needs a host of plugin ABI 1.1 (load_with_config).
        try read(directory, network: nil, cacheFolder: nil)
    }

    static func load(from directory: String, configuration: SwiftBackendConfiguration) throws -> Self {
        let hp = try HyperParameters(json: configuration.hyperParametersJSON, plugin: id)
        return try read(directory, network: try network(hp).0, cacheFolder: configuration.cacheDirectory)
    }

    private static func read(_ directory: String, network: SFaceNetwork?, cacheFolder: String?) throws -> Self {
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        let settingsURL = folder.appendingPathComponent(settingsFile)
        guard let data = try? Data(contentsOf: settingsURL) else { throw SwiftBackendError.io("sface: cannot read \(settingsURL.path)") }
        guard let settings = try? JSONDecoder().decode(Settings.self, from: data), settings.format == 1,
              (2...100_000).contains(settings.classes), settings.scale.isFinite, settings.scale > 0 else {
            throw SwiftBackendError.format("sface: \(settingsURL.path) is not a settings file this version understands")
        }
        let model = Self(settings: settings, network: network, cacheFolder: cacheFolder)
        let weightsURL = folder.appendingPathComponent(weightsFile)
        let tensors: [String: Tensor]
        do { tensors = try Safetensors.read(weightsURL) } catch {
            throw SwiftBackendError.format("sface: \(weightsURL.path): \(error)")
        }
        let c = settings.classes, d = SFaceNetwork.dimension
        func tensor(_ name: String, _ shape: [Int]) throws -> [Float] {
            guard let t = tensors[name], t.shape == shape, t.scalars.allSatisfy(\.isFinite) else {
                throw SwiftBackendError.format("sface: \(weightsURL.path) has no finite \(name) of shape \(shape)")
            }
            return t.scalars
        }
        model.classifier.weights = try tensor("weights", [c, d])
        model.classifier.bias = try tensor("bias", [c])
        model.prototypes = try tensor("prototypes", [c, d])
        return model
    }

    func save(to directory: String) throws {
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        let c = settings.classes, d = SFaceNetwork.dimension
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(settings).write(to: folder.appendingPathComponent(Self.settingsFile))
            try Safetensors.write(["weights": try Tensor(shape: [c, d], scalars: classifier.weights),
                                   "bias": try Tensor(shape: [c], scalars: classifier.bias),
                                   "prototypes": try Tensor(shape: [c, d], scalars: prototypes)],
                                  to: folder.appendingPathComponent(Self.weightsFile))
        } catch {
            throw SwiftBackendError.io("sface: cannot write the model into \(directory): \(error)")
        }
    }

    // MARK: Embeddings

    private func requireNetwork() throws -> SFaceNetwork {
        guard let network else {
            throw SwiftBackendError.unsupported("sface: this model was loaded without its SFace network file (a host of plugin ABI 1.0?)")
        }
        return network
    }

    /// Embeddings of every sample of `source` in index order, and the labels: from the cache,
    /// embedding (and caching) only the samples it lacks. Reports each embedding batch.
    private func embeddings(of source: SampleBatches, progress: BatchReporter, batchesAfter: Int)
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
        // Without keys (an ABI 1.0 host) every sample is embedded again.
        let missing = source.hasKeys ? (0..<n).filter { cache[keys[$0]] == nil } : Array(0..<n)
        var out = [Float](repeating: 0, count: n * d)
        let batch = 32
        let batches = (missing.count + batch - 1) / batch
        var pixels: [UInt8] = []
        var batchLabels: [Int32] = []
        let network = try requireNetwork()
        for b in 0..<batches {
            let slice = missing[(b * batch)..<min(missing.count, (b + 1) * batch)]
            try source.fetch(slice.map { UInt64($0) }[...], pixels: &pixels, labels: &batchLabels)
            let rows = try pixels.withUnsafeBufferPointer { try network.embed($0, count: slice.count) }
            for (i, index) in slice.enumerated() {
                let row = Array(rows[i * d ..< (i + 1) * d])
                labels[index] = batchLabels[i]
                if source.hasKeys { cache.insert(row, for: keys[index]) } else { out.replaceSubrange(index * d ..< (index + 1) * d, with: row) }
            }
            guard progress.report(batchesDone: b + 1, batchesTotal: batches + batchesAfter, runningLoss: 0, runningAccuracy: 0) else {
                cache.flush()
                throw SwiftBackendError.cancelled
            }
        }
        if source.hasKeys {
            cache.flush()
            for i in 0..<n { out.replaceSubrange(i * d ..< (i + 1) * d, with: cache[keys[i]]!) }
        }
        for label in labels where label < 0 || Int(label) >= settings.classes {
            throw SwiftBackendError.invalidArgument("sface: label \(label) out of range 0..<\(settings.classes)")
        }
        return (out, labels)
    }

    // MARK: Training

    func trainEpoch(_ source: SampleBatches, batchSize: Int, learningRate: Float, shuffleSeed: UInt64,
                    progress: BatchReporter) throws -> BackendPluginKit.EpochMetrics {
        let n = source.count, d = SFaceNetwork.dimension
        let steps = (n + batchSize - 1) / batchSize
        let (all, labels) = try embeddings(of: source, progress: progress, batchesAfter: steps)
        updatePrototypes(all, labels: labels)
        let order = source.shuffledOrder(seed: shuffleSeed)
        var lossSum = 0.0, correct = 0, seen = 0
        for step in 0..<steps {
            let indices = order[(step * batchSize)..<min(n, (step + 1) * batchSize)].map { Int($0) }
            var batch = [Float](); batch.reserveCapacity(indices.count * d)
            for i in indices { batch += all[i * d ..< (i + 1) * d] }
            let result = classifier.lossAndGradients(batch, labels: indices.map { labels[$0] }, count: indices.count)
            guard result.loss.isFinite else { throw SwiftBackendError.diverged("sface: the loss became \(result.loss)") }
            classifier.step(weights: result.weights, bias: result.bias, learningRate: learningRate, momentum: settings.momentum)
            lossSum += result.loss * Double(indices.count)
            correct += result.correct
            seen += indices.count
            guard progress.report(batchesDone: step + 1, batchesTotal: steps, runningLoss: lossSum / Double(seen),
                                  runningAccuracy: Double(correct) / Double(seen)) else { throw SwiftBackendError.cancelled }
        }
        return BackendPluginKit.EpochMetrics(loss: n > 0 ? lossSum / Double(n) : 0, accuracy: n > 0 ? Double(correct) / Double(n) : 0, samples: n)
    }

    func evaluate(_ source: SampleBatches, batchSize: Int, progress: BatchReporter) throws -> BackendPluginKit.EpochMetrics {
        let (all, labels) = try embeddings(of: source, progress: progress, batchesAfter: 0)
        let n = source.count
        let p = classifier.probabilities(all, count: n)
        var loss = 0.0, correct = 0
        for i in 0..<n {
            let row = p[i * settings.classes ..< (i + 1) * settings.classes]
            loss -= log(Double(max(row[row.startIndex + Int(labels[i])], 1e-7)))
            if row.indices.max(by: { row[$0] < row[$1] }).map({ $0 - row.startIndex }) == Int(labels[i]) { correct += 1 }
        }
        return BackendPluginKit.EpochMetrics(loss: n > 0 ? loss / Double(n) : 0, accuracy: n > 0 ? Double(correct) / Double(n) : 0, samples: n)
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

    func predict(pixels: UnsafeBufferPointer<UInt8>, count: Int, into probabilities: UnsafeMutableBufferPointer<Float>) throws {
        let embeddings = try requireNetwork().embed(pixels, count: count)
        let p = classifier.probabilities(embeddings, count: count)
        for i in p.indices { probabilities[i] = p[i] }
    }

    func similarities(pixels: UnsafeBufferPointer<UInt8>, count: Int, into similarities: UnsafeMutableBufferPointer<Float>) throws {
        let embeddings = try requireNetwork().embed(pixels, count: count)
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
