import BackendPluginKit
import Foundation
import NeuralKit
import NeuralPluginSupport
import TrainingMetrics

/// The write-up's scratch CNN as a plugin: 3 x [Conv 32 3x3 same, no activation; MaxPool 2x2]
/// -> Dense 256 sigmoid -> Dense 128 sigmoid -> Dense N softmax, trained with Keras' SGD.
final class ScratchCNNBackend: SwiftBackend {
    static let id = "scratch-cnn"
    static let version = "1.0.0"
    static let displayName = "Scratch CNN (write-up)"
    static let description = "The write-up's small CNN trained from scratch: three 3x3 convolutions "
        + "without activation, two sigmoid dense layers. Fast; about 70% on the write-up's 24 members."
    static let defaultHyperParametersJSON = "{\"momentum\": 0.0}"
    static let settingsFile = "scratch-cnn.json"

    let settings: SavedSettings
    private let network: TrainedNetwork

    var classCount: Int { settings.classes }

    init(settings: SavedSettings, model: Sequential) {
        self.settings = settings
        network = TrainedNetwork(model, momentum: settings.momentum)
    }

    static func create(_ configuration: SwiftBackendConfiguration) throws -> Self {
        guard configuration.classCount >= 2 else { throw SwiftBackendError.invalidArgument("scratch-cnn: needs at least 2 classes") }
        let hp = try HyperParameters(json: configuration.hyperParametersJSON, plugin: id)
        let momentum = try hp.number("momentum", default: 0, in: 0...0.999)
        let settings = SavedSettings(classes: configuration.classCount, inputScale: configuration.inputScale,
                                     momentum: Float(momentum))
        return Self(settings: settings, model: try Architectures.scratchCNN(classes: configuration.classCount, seed: configuration.seed))
    }

    static func load(from directory: String) throws -> Self {
        let settings = try SavedSettings.read(directory, file: settingsFile, plugin: id)
        var model = try Architectures.scratchCNN(classes: settings.classes)
        try ModelFiles.loadWeights(into: &model, from: directory, plugin: id)
        return Self(settings: settings, model: model)
    }

    private var currentModel: Sequential { network.current }

    private func batch(_ pixels: [UInt8], _ labels: [Int32], _ count: Int) -> any LabeledSamples {
        ScaledImageBatch(pixels: pixels, labels: labels, count: count, scale: settings.inputScale)
    }

    func trainEpoch(_ source: SampleBatches, batchSize: Int, learningRate: Float, shuffleSeed: UInt64,
                    progress: BatchReporter) throws -> PassMetrics {
        let t = try network.trainer(batchSize: batchSize, learningRate: learningRate)
        return try SourcePasses.train(t, source: source, shuffleSeed: shuffleSeed, progress: progress, prepare: batch)
    }

    func evaluate(_ source: SampleBatches, batchSize: Int, progress: BatchReporter) throws -> PassMetrics {
        try SourcePasses.evaluate(Predictor(model: currentModel, batchSize: max(1, batchSize)), source: source,
                                  progress: progress, prepare: batch)
    }

    func predict(pixels: UnsafeBufferPointer<UInt8>, count: Int, into probabilities: UnsafeMutableBufferPointer<Float>) throws {
        let scale = settings.inputScale
        try ModelFiles.predict(currentModel, pixels: pixels, count: count, into: probabilities) { image, dst in
            for k in 0..<imageBytes { dst[k] = Float(image[k]) * scale }
        }
    }

    func save(to directory: String) throws {
        try ModelFiles.save(currentModel, settings: settings, to: directory, settingsFile: Self.settingsFile, plugin: Self.id)
    }
}

@_cdecl("tribelens_backend_entry")
public func tribelensBackendEntry() -> UnsafeRawPointer {
    BackendExport.table(for: ScratchCNNBackend.self)
}
