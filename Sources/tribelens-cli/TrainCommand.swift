import ArgumentParser
import FaceKit
import Foundation

/// `tribelens-cli train --dataset NAME --backend ID --model NAME ...`: trains a backend plugin on
/// a built dataset with the shared schedule, evaluates on the test part and saves the model.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on a dataset with a backend plugin, evaluate it on the test part and save it.",
        discussion: "A Keras-like line per epoch goes to stderr. The model is saved only when training "
            + "completes or stops early (not when it diverges).")

    @Option(help: "A dataset built with `tribelens-cli dataset build`.") var dataset: String
    @Option(help: "Backend plugin id (see `tribelens-cli plugins`).") var backend: String
    @Option(help: "original (the write-up exactly) or recommended (default: the dataset's preset).") var preset: String?
    @Option(help: "Maximum epochs (default 50).") var epochs: Int?
    @Option(name: .customLong("batch-size"), help: "Batch size (default 32).") var batchSize: Int?
    @Option(help: "Initial learning rate (default 0.01).") var lr: Double?
    @Option(help: "Seed of weight initialisation and shuffles (default: the dataset's seed).") var seed: UInt64?
    @Option(name: .customLong("hyper-parameters"), help: "Backend hyper-parameters as a JSON object, e.g. '{\"momentum\": 0.9}'.")
    var hyperParameters: String?
    @Option(help: "Name to save the model under.") var model: String
    @Flag(help: "Print the saved model.json on stdout when done.") var json = false

    func validate() throws {
        if let preset, TrainingPreset(rawValue: preset) == nil { throw ValidationError("--preset must be original or recommended") }
        try ModelStore.validate(name: model)
    }

    func run() throws {
        let fail = { (message: String) in ModelCommand.Failure(description: message) }
        let storage = DatasetStorage.standard
        let manifest: DatasetManifest
        do { manifest = try DatasetStore(storage: storage).load(name: dataset) } catch { throw fail("\(error)") }
        let catalog = PluginHost().discover()
        guard let plugin = catalog.backend(id: backend) else {
            let known = catalog.backends.map(\.info.id).joined(separator: ", ")
            throw fail("no backend \"\(backend)\" found (available: \(known.isEmpty ? "none" : known)); see `tribelens-cli plugins`")
        }
        let chosen = preset.flatMap(TrainingPreset.init(rawValue:)) ?? TrainingPreset(rawValue: manifest.preset.rawValue) ?? .original
        var config = chosen.configuration(seed: seed ?? manifest.seed)
        if let epochs { config.epochs = epochs }
        if let batchSize { config.batchSize = batchSize }
        if let lr { config.learningRate = lr }
        if let problem = config.problem() { throw fail(problem) }
        var user: [String: JSONValue] = [:]
        if let hyperParameters {
            do { user = try JSONValue.parseObject(hyperParameters) } catch { throw fail("--hyper-parameters: \(error)") }
        }

        Console.error("Loading dataset \(dataset)...")
        let input: DatasetTrainingInput
        do { input = try DatasetTrainingInput(manifest: manifest, tensors: try manifest.tensors(storage: storage)) } catch {
            throw fail("\(error)")
        }
        Console.error("Training \(plugin.info.id) \(plugin.info.version) (\(chosen.rawValue)): \(input.training.count) training, "
                      + "\(input.validation?.count ?? 0) validation, \(input.test.count) test images, \(input.classes.count) classes")
        let request = TrainingRequest(modelName: model, preset: chosen, configuration: config, hyperParameters: user,
                                      classes: input.classes, roster: input.roster, memberGroups: input.memberGroups,
                                      datasetFingerprint: input.fingerprint, preprocessing: input.preprocessing)
        let outcome: TrainingJob.Outcome
        do {
            outcome = try TrainingJob.run(backend: plugin, request: request, training: input.training, validation: input.validation,
                                          test: input.test, store: ModelStore.standard()) { event in
                switch event {
                case .epochEnded(let record): Console.error(record.line(of: config.epochs))
                case .learningRateReduced(let epoch, _, let to):
                    Console.error("Epoch \(epoch): ReduceLROnPlateau reducing learning rate to \(Float(to)).")
                default: break
                }
            }
        } catch {
            throw fail("\(error)")
        }
        Console.error(outcome.result.stop.summary)
        guard let saved = outcome.manifest else { throw fail("nothing saved: \(outcome.result.stop.summary)") }
        if let metrics = saved.testMetrics {
            Console.error(String(format: "test accuracy %.4f, top-3 %.4f, loss %.4f", metrics.accuracy, metrics.top3Accuracy, metrics.loss))
        }
        Console.error("Saved model \(model) in \(ModelStore.standard().directory(of: model).path)")
        if json { try ModelCommand.printJSON(saved) }
    }
}
