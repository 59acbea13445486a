import Foundation

/// The user's choices for one training run: `tribelens-cli train`'s flags and the training
/// panel's fields. nil means "the default" (of the preset, then of the backend).
public struct TrainingOptions: Sendable, Equatable {
    /// Pretrained weights, for backends whose defaults have a `weights` key (VGG16).
    public enum Weights: Sendable, Equatable {
        /// The first copy `WeightsLocator` finds; an error when there is none.
        case automatic
        case file(String)
        /// Random initialisation: not transfer learning, but allowed on purpose.
        case none
    }

    public var preset: TrainingPreset?
    public var epochs: Int?
    public var batchSize: Int?
    public var learningRate: Double?
    public var seed: UInt64
    /// The write-up's 9x augmentation of the training crops.
    public var augment: Bool
    public var weights: Weights
    /// The SFace network file (nil: the first known one in the weights folder), and whether a
    /// file with an unknown checksum may be used anyway.
    public var sfaceModel: String?
    public var allowUnverifiedModel = false

    public init(preset: TrainingPreset? = nil, epochs: Int? = nil, batchSize: Int? = nil, learningRate: Double? = nil,
                seed: UInt64 = 0, augment: Bool = true, weights: Weights = .automatic) {
        self.preset = preset
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.seed = seed
        self.augment = augment
        self.weights = weights
    }
}

/// A dataset, a backend and the user's options resolved into one `TrainingRequest` plus the
/// samples it trains on: the part `train` and the training panel share, so both train the same.
public struct TrainingPlan: Sendable {
    public var request: TrainingRequest
    public var augment: Bool
    /// Which part of the dataset validates: the test set (`original`, as the write-up) or the
    /// part carved from the training photos (`recommended`).
    public var validatesOnTestSet: Bool
    /// The images the backend takes.
    public var input: InputSpec = .legacy

    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// Whether `backend` trains on the write-up's augmented copies unless told otherwise: an
    /// `augment` key in its defaults (sface: false; measured in docs/accuracy.md), else yes.
    public static func augmentsByDefault(_ backend: BackendInfo) -> Bool {
        guard case .bool(let augment)? = (try? JSONValue.parseObject(backend.defaultHyperParametersJSON))?["augment"] else { return true }
        return augment
    }

    /// Does `backend` take pretrained weights (a `weights` key in its defaults)?
    public static func usesPretrainedWeights(_ backend: BackendInfo) -> Bool {
        (try? JSONValue.parseObject(backend.defaultHyperParametersJSON))?["weights"] != nil
    }

    public static func make(dataset: DatasetManifest, backend: BackendInfo, modelName: String,
                            options: TrainingOptions) throws -> TrainingPlan {
        let preset = options.preset ?? TrainingPreset(rawValue: dataset.preset.rawValue) ?? .original
        let defaults = try JSONValue.parseObject(backend.defaultHyperParametersJSON)
        var hyper: [String: JSONValue] = [:]
        if defaults["weights"] != nil { hyper["weights"] = .string(try resolve(options.weights)) }
        if let stated = defaults["sface_model"] {
            hyper["sface_model"] = stated
            do {
                hyper = try BackendResources.resolveModelFiles(hyper, path: options.sfaceModel, allowUnverified: options.allowUnverifiedModel)
            } catch {
                throw Problem("\(error)")
            }
        }

        var config = preset.configuration(seed: options.seed)
        if let epochs = options.epochs { config.epochs = epochs }
        if let batchSize = options.batchSize { config.batchSize = batchSize }
        if let rate = options.learningRate {
            config.learningRate = rate
        } else if case .number(let backendRate)? = defaults["learning_rate"] {
            config.learningRate = backendRate
        }
        if let problem = config.problem() { throw Problem(problem) }

        let request = TrainingRequest(
            modelName: modelName, preset: preset, configuration: config, hyperParameters: hyper,
            classes: dataset.classes, roster: dataset.roster.id, memberGroups: dataset.memberGroups,
            datasetFingerprint: dataset.fingerprint,
            preprocessing: ["detector": .string(dataset.detector), "dataset": .string(dataset.name),
                            "augmented": .bool(options.augment), "input": .string(backend.input.cacheKey)])
        return TrainingPlan(request: request, augment: options.augment, validatesOnTestSet: preset == .original, input: backend.input)
    }

    /// The crops as the backend sees them (its `input`; the training part augmented when asked).
    public func samples(of dataset: DatasetManifest, storage: DatasetStorage) throws
        -> (training: InMemorySamples, validation: InMemorySamples, test: InMemorySamples) {
        let tensors = try dataset.tensors(storage: storage, augment: augment, spec: input)
        guard tensors.classes == request.classes else {
            throw Problem("dataset \(dataset.name) changed while the run was planned; plan it again")
        }
        let validation = validatesOnTestSet ? tensors.test : tensors.validationOrTest
        return (try tensors.train.samples(), try validation.samples(), try tensors.test.samples())
    }

    private static func resolve(_ weights: TrainingOptions.Weights) throws -> String {
        switch weights {
        case .none:
            return "none"
        case .file(let path):
            let url = URL(fileURLWithPath: path)
            guard FileManager.default.isReadableFile(atPath: url.path) else { throw Problem("cannot read weights file \(path)") }
            return url.standardizedFileURL.path
        case .automatic:
            guard let found = WeightsLocator.find(.vgg16) else {
                throw Problem("no ImageNet VGG16 weights found (looked in "
                    + WeightsLocator.searchFolders.map(\.path).joined(separator: ", ")
                    + "). Get them with `tribelens-cli weights fetch vgg16` or the training panel's Get Weights, "
                    + "pass a weights file, or choose no weights to train from random initialisation "
                    + "(that is not transfer learning).")
            }
            return found.path
        }
    }
}
