import ArgumentParser
import FaceKit
import Foundation

/// `tribelens-cli train`: a dataset (from `dataset build`) -> a saved model, through a backend
/// plugin, with the shared training schedule. A Keras-like line per epoch goes to stderr.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on a dataset with a backend plugin and save it.",
        discussion: "Presets: original (the write-up: raw 0-255 input, the test set as validation data, "
            + "last epoch kept) and recommended (scaled input, validation carved from the training photos, "
            + "best epoch kept). Defaults come from the preset and the backend (VGG16: lr 1e-4, momentum 0.9).")

    @Option(help: "Dataset name (see `tribelens-cli dataset list`).") var dataset: String
    @Option(help: "Backend id (see `tribelens-cli plugins`).") var backend: String
    @Option(help: "Name to save the model under.") var model: String
    @Option(help: "original or recommended (default: the dataset's preset).") var preset: TrainingPreset?
    @Option(help: "Maximum epochs (default 50).") var epochs: Int?
    @Option(name: .customLong("batch-size"), help: "Batch size (default 32).") var batchSize: Int?
    @Option(help: "Learning rate (default: the backend's, else 0.01).") var lr: Double?
    @Option(help: "Seed for weights, shuffling and the split of work.") var seed: UInt64 = 0
    @Option(help: "Pretrained weights for backends that use them: a path, or 'none' to train from random initialisation.")
    var weights: String?
    @Flag(name: .customLong("no-augment"), help: "Train on the plain crops, without the write-up's 9x augmentation.")
    var noAugment = false
    @Flag(help: "Train on the write-up's 9x augmented copies (the default except for backends that say otherwise, such as sface).")
    var augment = false
    @Option(name: .customLong("sface-model"), help: "The SFace network for backends that use it (default: the known file in $XDG_DATA_HOME/tribelens/weights).")
    var sfaceModel: String?
    @OptionGroup var faceModels: FaceModelOptions
    @Flag(help: "Make the new model the active one.") var activate = false
    @Flag(help: "Print the saved model.json instead of a summary.") var json = false

    func run() throws {
        let storage = DatasetStorage.standard
        let manifest = try DatasetStore(storage: storage).load(name: dataset)
        let catalog = PluginHost().discover()
        guard let plugin = catalog.backend(id: backend) else {
            let found = catalog.backends.map(\.info.id).joined(separator: ", ")
            throw ValidationError("no backend '\(backend)' (found: \(found.isEmpty ? "none" : found); see `tribelens-cli plugins`)")
        }
        var options = TrainingOptions(preset: preset, epochs: epochs, batchSize: batchSize, learningRate: lr, seed: seed,
                                      augment: noAugment ? false : (augment || TrainingPlan.augmentsByDefault(plugin.info)),
                                      weights: weightsChoice())
        options.sfaceModel = sfaceModel
        options.allowUnverifiedModel = faceModels.allowUnverifiedModel
        if options.weights == .none, TrainingPlan.usesPretrainedWeights(plugin.info) {
            Console.error("warning: --weights none: training from random initialisation; this is not transfer learning.")
        }
        var plan: TrainingPlan
        do {
            plan = try TrainingPlan.make(dataset: manifest, backend: plugin.info, modelName: model, options: options)
            try plan.isolateWeights()
        } catch let problem as TrainingPlan.Problem {
            throw ValidationError(problem.description)
        }
        let request = plan.request
        let config = request.configuration

        Console.error("Reading \(manifest.samples.count) crops of dataset '\(dataset)'\(options.augment ? " (augmenting the training part 9x)" : "")…")
        let (training, validation, test) = try plan.samples(of: manifest, storage: storage)
        Console.error("\(training.count) training, \(validation.count) validation, \(test.count) test images; "
                      + "\(plugin.info.displayName), preset \(request.preset.rawValue), lr \(config.learningRate), batch \(config.batchSize)")

        let cancellation = CancellationFlag()
        Self.cancelOnInterrupt(cancellation)
        let store = ModelStore.standard()
        let epochs = config.epochs
        let outcome = try TrainingJob.run(backend: plugin, request: request, training: training, validation: validation,
                                          test: test, store: store, cancellation: cancellation) { event in
            if case .epochEnded(let record) = event { Console.error(record.line(of: epochs)) }
        }
        guard let saved = outcome.manifest else {
            Console.error("Training stopped (\(outcome.result.stop)); nothing was saved and earlier models are unchanged.")
            throw ExitCode(1)
        }
        if activate { try store.activate(name: model) }
        if json {
            Console.out(try String(contentsOf: store.directory(of: model).appendingPathComponent("model.json"), encoding: .utf8))
            return
        }
        let accuracy = saved.testMetrics.map { String(format: "%.1f%%", $0.accuracy * 100) } ?? "n/a"
        Console.out("Saved model '\(model)' (\(plugin.info.id), \(outcome.result.history.count) epochs, \(outcome.result.stop)); "
                    + "test accuracy \(accuracy)")
        if let report = saved.testMetrics { Console.out(report.text()) }
    }

    /// `--weights`: a path, `none`, or absent (the first copy WeightsLocator finds).
    private func weightsChoice() -> TrainingOptions.Weights {
        switch weights {
        case nil: .automatic
        case "none"?: .none
        case let path?: .file(path)
        }
    }

    /// Ctrl+C asks the run to stop after the current batch (nothing half-saved).
    static func cancelOnInterrupt(_ flag: CancellationFlag) {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            Console.error("Interrupted: stopping after this batch…")
            flag.cancel()
        }
        source.resume()
        interruptSource = source
    }

    nonisolated(unsafe) static var interruptSource: (any DispatchSourceSignal)?
}

extension TrainingPreset: ExpressibleByArgument {}
