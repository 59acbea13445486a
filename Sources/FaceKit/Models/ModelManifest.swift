import Foundation

/// model.json: everything needed to use, compare and reproduce a saved model.
public struct ModelManifest: Codable, Sendable, Equatable {
    public struct Backend: Codable, Sendable, Equatable {
        public var id: String
        public var version: String
        public var abiMajor: Int
        public var abiMinor: Int

        public init(id: String, version: String, abiMajor: Int, abiMinor: Int) {
            self.id = id
            self.version = version
            self.abiMajor = abiMajor
            self.abiMinor = abiMinor
        }

        public init(_ info: BackendInfo) {
            self.init(id: info.id, version: info.version, abiMajor: info.abiMajor, abiMinor: info.abiMinor)
        }
    }

    public static let currentFormat = 1
    public static let fileName = "model.json"
    public static let weightsFileName = "weights.safetensors"

    public var format: Int = ModelManifest.currentFormat
    public var backend: Backend
    /// Output k of the model is `classes[k]` (member ids of the roster).
    public var classes: [String]
    /// Roster name and member -> groups, until FaceKit's Roster type is merged (issue 3/4).
    public var roster: String
    public var memberGroups: [String: [String]]
    public var preset: String
    /// How photos became 64x64 crops (detector and preset, crop rule), recorded by the dataset
    /// pipeline so `predict` can prepare new photos the same way.
    public var preprocessing: [String: JSONValue]
    public var inputScale: Float
    public var hyperParameters: [String: JSONValue]
    public var training: TrainingConfiguration
    public var history: [EpochRecord]
    public var stop: String
    public var testMetrics: EvaluationReport?
    public var datasetFingerprint: String
    public var createdAt: Date
    /// Set for backends that give similarities: below it a face is unknown.
    public var openSet: OpenSetThreshold?
    /// When a named face is shown as sure (calibrated on the validation faces); nil in models
    /// saved before it existed or trained with too few validation faces.
    public var confidence: ConfidenceThreshold?
    /// For backends without similarities (a softmax over members always names one): the lowest
    /// top probability at which a face is named at all, calibrated like `confidence` at
    /// `ConfidenceThreshold.namingPrecision`; below it the face is unknown. nil: not calibrated
    /// (too few validation faces, an open-set model, or saved before it existed): the policy's 0.5.
    public var naming: ConfidenceThreshold?

    public init(backend: Backend, classes: [String], roster: String, memberGroups: [String: [String]], preset: String,
                preprocessing: [String: JSONValue] = [:], inputScale: Float, hyperParameters: [String: JSONValue], training: TrainingConfiguration,
                history: [EpochRecord], stop: String, testMetrics: EvaluationReport?, datasetFingerprint: String,
                createdAt: Date = Date()) {
        self.backend = backend
        self.classes = classes
        self.roster = roster
        self.memberGroups = memberGroups
        self.preset = preset
        self.preprocessing = preprocessing
        self.inputScale = inputScale
        self.hyperParameters = hyperParameters
        self.training = training
        self.history = history
        self.stop = stop
        self.testMetrics = testMetrics
        self.datasetFingerprint = datasetFingerprint
        // Whole seconds: model.json stores ISO 8601 without fractions, so a reloaded manifest equals this one.
        self.createdAt = Date(timeIntervalSince1970: createdAt.timeIntervalSince1970.rounded(.down))
    }

    enum CodingKeys: String, CodingKey {
        case format, backend, classes, roster, preset, preprocessing, training, history, stop
        case memberGroups = "member_groups", inputScale = "input_scale", hyperParameters = "hyper_parameters"
        case testMetrics = "test_metrics", datasetFingerprint = "dataset_fingerprint", createdAt = "created_at"
        case openSet = "open_set", confidence, naming
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }()

    public func encoded() throws -> Data { try Self.encoder.encode(self) }

    public static func decode(_ data: Data) throws -> ModelManifest {
        let manifest = try decoder.decode(ModelManifest.self, from: data)
        guard manifest.format <= currentFormat else {
            throw ModelStoreError("model.json format \(manifest.format) is newer than this TribeLens understands (\(currentFormat))")
        }
        return manifest
    }
}
