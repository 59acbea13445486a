import Foundation

/// What to train, on top of the data: everything `tribelens-cli train` and the training panel
/// collect from the user. Roster data is plain strings until FaceKit's Roster type lands.
public struct TrainingRequest: Sendable {
    public var modelName: String
    public var preset: TrainingPreset
    public var configuration: TrainingConfiguration
    /// The user's hyper-parameters, on top of the backend's defaults and the preset's overrides.
    public var hyperParameters: [String: JSONValue]
    /// Output order of the model: class k is `classes[k]` (member ids).
    public var classes: [String]
    public var roster: String
    public var memberGroups: [String: [String]]
    public var datasetFingerprint: String
    /// Detector, crop rule etc. of the dataset, copied into model.json for `predict`.
    public var preprocessing: [String: JSONValue]

    public init(modelName: String, preset: TrainingPreset, configuration: TrainingConfiguration? = nil,
                hyperParameters: [String: JSONValue] = [:], classes: [String], roster: String,
                memberGroups: [String: [String]], datasetFingerprint: String, preprocessing: [String: JSONValue] = [:]) {
        self.modelName = modelName
        self.preset = preset
        self.configuration = configuration ?? preset.configuration()
        self.hyperParameters = hyperParameters
        self.classes = classes
        self.roster = roster
        self.memberGroups = memberGroups
        self.datasetFingerprint = datasetFingerprint
        self.preprocessing = preprocessing
    }
}

/// Train -> evaluate on the test set -> save, the whole flow behind `train` and the training
/// panel's Start button. The data comes already split (the dataset pipeline decides the split).
public enum TrainingJob {
    public struct Outcome {
        public var result: TrainingResult
        /// nil when the run was cancelled or diverged (then nothing is saved).
        public var manifest: ModelManifest?
        /// Whether `manifest` and the model were written to the store.
        public var saved: Bool
    }

    /// Backend defaults, then the preset's overrides, then the user's.
    public static func hyperParameters(backend: BackendInfo, preset: TrainingPreset,
                                       user: [String: JSONValue]) throws -> [String: JSONValue] {
        var merged = try JSONValue.parseObject(backend.defaultHyperParametersJSON)
        for (key, value) in preset.hyperParameterOverrides { merged[key] = .number(value) }
        for (key, value) in user { merged[key] = value }
        return merged
    }

    public static func run(backend: any ModelBackend, request: TrainingRequest,
                           training: any SampleSource, validation: (any SampleSource)?, test: (any SampleSource)?,
                           store: ModelStore?, cancellation: CancellationFlag = CancellationFlag(),
                           events: (TrainingEvent) -> Void = { _ in }) throws -> Outcome {
        if store != nil { try ModelStore.validate(name: request.modelName) }
        guard request.classes.count >= 2 else {
            throw BackendError(.invalidArgument, "training needs at least 2 members, got \(request.classes.count)")
        }
        guard Set(request.classes).count == request.classes.count else {
            throw BackendError(.invalidArgument, "class names must be distinct")
        }
        let hyper = try hyperParameters(backend: backend.info, preset: request.preset, user: request.hyperParameters)
        let configuration = ModelConfiguration(
            classCount: request.classes.count, seed: request.configuration.seed, inputScale: request.preset.inputScale,
            hyperParametersJSON: JSONValue.object(hyper).jsonText, cacheDirectory: BackendResources.cacheDirectory(for: backend.info))
        let model = try backend.makeModel(configuration)
        // The best epoch's snapshot is loaded back with the same files and cache folder.
        let result = try TrainingSession(backend: backend, configuration: request.configuration, loadConfiguration: configuration)
            .run(model: model, training: training, validation: validation, cancellation: cancellation, events: events)
        switch result.stop {
        case .cancelled, .diverged: return Outcome(result: result, manifest: nil, saved: false)
        case .completed, .earlyStopped: break
        }
        let metrics = try test.map {
            try ModelEvaluation.report(result.model, on: $0, classes: request.classes, memberGroups: request.memberGroups)
        }
        var manifest = ModelManifest(
            backend: .init(backend.info), classes: request.classes, roster: request.roster,
            memberGroups: request.memberGroups, preset: request.preset.rawValue, preprocessing: request.preprocessing,
            inputScale: request.preset.inputScale,
            hyperParameters: hyper, training: request.configuration, history: result.history,
            stop: result.stop.summary, testMetrics: metrics, datasetFingerprint: request.datasetFingerprint)
        if let calibration = validation ?? test {
            let similarities = backend.info.givesSimilarities
            let run = try ModelEvaluation.run(result.model, on: calibration, similarities: similarities)
            if similarities {
                manifest.openSet = run.similarities.flatMap {
                    OpenSetThreshold.calibrate(similarities: $0, labels: run.labels, classes: request.classes.count)
                }
            }
            manifest.confidence = ConfidenceThreshold.calibrate(probabilities: run.probabilities, labels: run.labels,
                                                                classes: request.classes.count)
            if !similarities {
                // "Unknown" for a softmax backend: a face it cannot place with the precision
                // asked of a name is nobody (FacePredictor.labelFaces).
                manifest.naming = ConfidenceThreshold.calibrate(probabilities: run.probabilities, labels: run.labels,
                                                                classes: request.classes.count,
                                                                targetPrecision: ConfidenceThreshold.namingPrecision)
            }
        }
        // Without a store the caller saves later (the training panel asks for a name first).
        guard let store else { return Outcome(result: result, manifest: manifest, saved: false) }
        try store.save(name: request.modelName, manifest: manifest, model: result.model)
        return Outcome(result: result, manifest: manifest, saved: true)
    }
}
