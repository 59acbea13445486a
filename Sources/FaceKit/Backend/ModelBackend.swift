import Foundation
import TrainingMetrics

/// What a backend says about itself (from its plugin table, or from a Swift test double).
public struct BackendInfo: Codable, Sendable, Equatable {
    public var id: String
    public var version: String
    public var displayName: String
    public var description: String
    /// A JSON object with the backend's own hyper-parameters and their defaults.
    public var defaultHyperParametersJSON: String
    public var abiMajor: Int
    public var abiMinor: Int
    /// The shared library it was loaded from; nil for in-process backends.
    public var path: String?
    /// The images it takes (ABI 1.0 plugins: 64x64 box crops).
    public var input: InputSpec
    /// Whether it reports similarities to each class (ABI 1.1), which "unknown" is calibrated on.
    public var givesSimilarities: Bool

    public init(id: String, version: String, displayName: String, description: String,
                defaultHyperParametersJSON: String = "{}", abiMajor: Int = Int(PluginABI.hostMajor),
                abiMinor: Int = Int(PluginABI.hostMinor), path: String? = nil, input: InputSpec = .legacy,
                givesSimilarities: Bool = false) {
        self.id = id
        self.version = version
        self.displayName = displayName
        self.description = description
        self.defaultHyperParametersJSON = defaultHyperParametersJSON
        self.abiMajor = abiMajor
        self.abiMinor = abiMinor
        self.path = path
        self.input = input
        self.givesSimilarities = givesSimilarities
    }

    enum CodingKeys: String, CodingKey {
        case id, version, description, path, input
        case givesSimilarities = "gives_similarities"
        case displayName = "display_name", defaultHyperParametersJSON = "default_hyperparameters_json"
        case abiMajor = "abi_major", abiMinor = "abi_minor"
    }
}

/// How to build a model: the fields every backend shares, plus the backend's own JSON.
public struct ModelConfiguration: Codable, Sendable, Equatable {
    public var classCount: Int
    public var seed: UInt64
    /// The model sees `pixel * inputScale`: 1 is the write-up's raw 0-255 input, 1/255 is [0, 1].
    public var inputScale: Float
    public var hyperParametersJSON: String
    /// A folder for the plugin's derived data (embedding or feature caches); nil: none.
    public var cacheDirectory: URL?

    public init(classCount: Int, seed: UInt64 = 0, inputScale: Float = 1, hyperParametersJSON: String = "{}",
                cacheDirectory: URL? = nil) {
        self.classCount = classCount
        self.seed = seed
        self.inputScale = inputScale
        self.hyperParametersJSON = hyperParametersJSON
        self.cacheDirectory = cacheDirectory
    }
}

/// Reported after every batch. Returning `false` from the callback stops the pass before the
/// next batch (the call then throws `BackendError` with code `.cancelled`).
public struct BatchProgress: Sendable, Equatable {
    public var batchesDone: Int
    public var batchesTotal: Int
    public var runningLoss: Double
    public var runningAccuracy: Double

    public init(batchesDone: Int, batchesTotal: Int, runningLoss: Double, runningAccuracy: Double) {
        self.batchesDone = batchesDone
        self.batchesTotal = batchesTotal
        self.runningLoss = runningLoss
        self.runningAccuracy = runningAccuracy
    }
}

/// A model backend: the C plugin wrapper (`PluginBackend`) or an in-process double for tests.
public protocol ModelBackend: AnyObject, Sendable {
    var info: BackendInfo { get }
    func makeModel(_ configuration: ModelConfiguration) throws -> any BackendModel
    /// Reads a model the same backend wrote with `BackendModel.save(to:)`. `configuration`
    /// carries the saved hyper-parameters with paths resolved now, and the cache folder
    /// (its class count and seed are unused).
    func loadModel(from directory: URL, configuration: ModelConfiguration?) throws -> any BackendModel
}

extension ModelBackend {
    public func loadModel(from directory: URL) throws -> any BackendModel {
        try loadModel(from: directory, configuration: nil)
    }
}

/// One model instance. Not thread-safe: use it from one thread at a time.
public protocol BackendModel: AnyObject {
    var classCount: Int { get }
    func trainEpoch(on source: any SampleSource, batchSize: Int, learningRate: Float, shuffleSeed: UInt64,
                    progress: (BatchProgress) -> Bool) throws -> PassMetrics
    func evaluate(on source: any SampleSource, batchSize: Int,
                  progress: (BatchProgress) -> Bool) throws -> PassMetrics
    /// Probabilities for `count` images of the backend's `InputSpec` (`pixels.count == count *
    /// input.bytes`), row i at `[i * classCount ..< (i + 1) * classCount]`.
    func predict(pixels: [UInt8], count: Int) throws -> [Float]
    /// Probabilities of every sample of `source` in index order and, when asked and the backend
    /// gives them, each image's similarity to each class's training faces in [-1, 1] (same
    /// layout), from one pass.
    func predict(source: any SampleSource, batchSize: Int, similarities: Bool) throws -> (probabilities: [Float], similarities: [Float]?)
    /// Writes the model's files into an existing, empty directory.
    func save(to directory: URL) throws
}

extension BackendModel {
    public func predict(source: any SampleSource, batchSize: Int, similarities: Bool) throws -> (probabilities: [Float], similarities: [Float]?) {
        (try predictByPixels(source: source, batchSize: batchSize), nil)
    }

    /// Probabilities through `predict(pixels:count:)`, a batch of pixels at a time.
    public func predictByPixels(source: any SampleSource, batchSize: Int) throws -> [Float] {
        guard batchSize >= 1 else { throw BackendError(.invalidArgument, "batch size must be at least 1") }
        var probabilities: [Float] = []
        probabilities.reserveCapacity(source.count * classCount)
        var start = 0
        while start < source.count {
            let n = min(batchSize, source.count - start)
            var pixels = [UInt8](repeating: 0, count: n * source.imageBytes)
            var labels = [Int32](repeating: 0, count: n)
            let indices = (start..<start + n).map(UInt64.init)
            try indices.withUnsafeBufferPointer { idx in
                try pixels.withUnsafeMutableBufferPointer { px in
                    try labels.withUnsafeMutableBufferPointer { try source.fetch(indices: idx, pixels: px.baseAddress!, labels: $0.baseAddress!) }
                }
            }
            probabilities += try predict(pixels: pixels, count: n)
            start += n
        }
        return probabilities
    }

    public func evaluate(on source: any SampleSource, batchSize: Int) throws -> PassMetrics {
        try evaluate(on: source, batchSize: batchSize, progress: { _ in true })
    }
}

/// The fixed input format of the contract: 64x64 RGB, uint8, row-major HWC.
public enum ImageLayout {
    public static let side = 64
    public static let channels = 3
    public static let bytes = side * side * channels
}
