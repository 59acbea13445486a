import BackendABI
import TrainingMetrics

/// What a backend written in Swift implements; `BackendExport` turns it into the C table of
/// tribelens_backend.h. This module is linked statically into each plugin, and only C types
/// leave the plugin, so host and plugin share no Swift types (docs/plugin-abi.md).
public protocol SwiftBackend: AnyObject {
    static var id: String { get }
    static var version: String { get }
    static var displayName: String { get }
    static var description: String { get }
    /// A JSON object, at least "{}".
    static var defaultHyperParametersJSON: String { get }

    /// ABI 1.1: the images this backend takes (default: 64x64 box crops, as ABI 1.0).
    static var input: SwiftBackendInput { get }
    /// ABI 1.1: whether `predict(_:batchSize:into:similarities:)` fills similarities (TL_CAP_SIMILARITIES).
    static var givesSimilarities: Bool { get }

    static func create(_ configuration: SwiftBackendConfiguration) throws -> Self
    /// Reads what `save(to:)` wrote.
    static func load(from directory: String) throws -> Self
    /// ABI 1.1: reads what `save(to:)` wrote, with the host's configuration (saved
    /// hyper-parameters with paths resolved now, cache folder). Defaults to `load(from:)`.
    static func load(from directory: String, configuration: SwiftBackendConfiguration) throws -> Self

    var classCount: Int { get }
    /// One epoch in `source.shuffledOrder(seed:)` order; call `progress` after every batch and
    /// stop (throw `SwiftBackendError.cancelled`) when it returns false.
    func trainEpoch(_ source: SampleBatches, batchSize: Int, learningRate: Float, shuffleSeed: UInt64,
                    progress: BatchReporter) throws -> PassMetrics
    func evaluate(_ source: SampleBatches, batchSize: Int, progress: BatchReporter) throws -> PassMetrics
    /// Writes `count * classCount` probabilities.
    func predict(pixels: UnsafeBufferPointer<UInt8>, count: Int, into probabilities: UnsafeMutableBufferPointer<Float>) throws
    /// ABI 1.1 (`predict_source`): probabilities for every sample of `source` in index order and,
    /// when `similarities` is given (see `givesSimilarities`), similarities in [-1, 1].
    func predict(_ source: SampleBatches, batchSize: Int, into probabilities: UnsafeMutableBufferPointer<Float>,
                 similarities: UnsafeMutableBufferPointer<Float>?) throws
    func save(to directory: String) throws
}

extension SwiftBackend {
    public static var input: SwiftBackendInput { .legacy }
    public static var givesSimilarities: Bool { false }

    public static func load(from directory: String, configuration: SwiftBackendConfiguration) throws -> Self {
        try load(from: directory)
    }

    /// The pixels of a batch at a time through `predict(pixels:count:into:)`; no similarities.
    public func predict(_ source: SampleBatches, batchSize: Int, into probabilities: UnsafeMutableBufferPointer<Float>,
                        similarities: UnsafeMutableBufferPointer<Float>?) throws {
        guard similarities == nil else { throw SwiftBackendError.unsupported("\(Self.id): no similarities") }
        var pixels: [UInt8] = [], labels: [Int32] = []
        for start in stride(from: 0, to: source.count, by: max(1, batchSize)) {
            let n = min(max(1, batchSize), source.count - start)
            try source.fetch((UInt64(start)..<UInt64(start + n)).map { $0 }[...], pixels: &pixels, labels: &labels)
            try pixels.withUnsafeBufferPointer {
                try predict(pixels: UnsafeBufferPointer(rebasing: $0[..<(n * source.imageBytes)]), count: n,
                            into: UnsafeMutableBufferPointer(rebasing: probabilities[(start * classCount)..<((start + n) * classCount)]))
            }
        }
    }
}

/// The images a backend takes: side and crop kind (tl_input_kind).
public struct SwiftBackendInput: Sendable, Equatable {
    public enum Kind: UInt32, Sendable {
        case boxCrop = 0
        case aligned = 1
    }

    public var side: Int
    public var kind: Kind

    public init(side: Int, kind: Kind) {
        self.side = side
        self.kind = kind
    }

    public static let legacy = SwiftBackendInput(side: 64, kind: .boxCrop)

    public var imageBytes: Int { side * side * 3 }
}

public struct SwiftBackendConfiguration: Sendable {
    public var classCount: Int
    public var seed: UInt64
    public var inputScale: Float
    public var hyperParametersJSON: String
    /// A folder for this plugin's derived data, from the host (ABI 1.1); nil when none.
    public var cacheDirectory: String?
    /// The host's ABI minor version: from 1 on, sources give sample keys.
    public var hostABIMinor: Int

    public init(classCount: Int, seed: UInt64, inputScale: Float, hyperParametersJSON: String,
                cacheDirectory: String? = nil, hostABIMinor: Int = 0) {
        self.classCount = classCount
        self.seed = seed
        self.inputScale = inputScale
        self.hyperParametersJSON = hyperParametersJSON
        self.cacheDirectory = cacheDirectory
        self.hostABIMinor = hostABIMinor
    }
}

/// Errors a Swift backend throws; anything else becomes TL_ERR_INTERNAL with its description.
public enum SwiftBackendError: Error, CustomStringConvertible {
    case invalidArgument(String)
    case io(String)
    case format(String)
    case diverged(String)
    case unsupported(String)
    case cancelled

    public var description: String {
        switch self {
        case .invalidArgument(let m), .io(let m), .format(let m), .diverged(let m), .unsupported(let m): m
        case .cancelled: "cancelled"
        }
    }

    var status: tl_status {
        switch self {
        case .invalidArgument: TL_ERR_INVALID_ARGUMENT
        case .io: TL_ERR_IO
        case .format: TL_ERR_FORMAT
        case .diverged: TL_ERR_DIVERGED
        case .unsupported: TL_ERR_UNSUPPORTED
        case .cancelled: TL_ERR_CANCELLED
        }
    }
}

/// The host's sample source as seen from Swift: random access by index, a batch at a time.
public struct SampleBatches {
    let source: UnsafePointer<tl_sample_source>
    /// Bytes of one image: the backend's `input`.
    public let imageBytes: Int
    /// Whether the host's source has `fetch_keys` (a host of ABI 1.1 or later).
    public let hasKeys: Bool

    public var count: Int { Int(source.pointee.count) }

    /// The order every backend visits samples in during an epoch (tl_shuffle_indices).
    public func shuffledOrder(seed: UInt64) -> [UInt64] {
        var order = [UInt64](repeating: 0, count: count)
        order.withUnsafeMutableBufferPointer { tl_shuffle_indices($0.baseAddress, UInt64($0.count), seed) }
        return order
    }

    /// Two words (a 128-bit content key) per index, and the labels, without the pixels.
    public func fetchKeys(_ indices: ArraySlice<UInt64>, keys: inout [UInt64], labels: inout [Int32]) throws {
        guard hasKeys, let fetchKeys = source.pointee.fetch_keys else {
            throw SwiftBackendError.unsupported("the host gives no sample keys (plugin ABI 1.0 host)")
        }
        try call(indices, into: &keys, wordsPerSample: 2, labels: &labels) {
            fetchKeys(source.pointee.context, $0, $1, $2, $3, $4, $5)
        }
    }

    /// Fills `pixels` (`indices.count * imageBytes` bytes) and `labels` for `indices`.
    public func fetch(_ indices: ArraySlice<UInt64>, pixels: inout [UInt8], labels: inout [Int32]) throws {
        try call(indices, into: &pixels, wordsPerSample: imageBytes, labels: &labels) {
            source.pointee.fetch(source.pointee.context, $0, $1, $2, $3, $4, $5)
        }
    }

    /// Grows the buffers to `indices.count` samples, makes one host call and turns its failure
    /// into `SwiftBackendError.io` with the host's message.
    private func call<T: Numeric>(
        _ indices: ArraySlice<UInt64>, into values: inout [T], wordsPerSample: Int, labels: inout [Int32],
        _ body: (UnsafePointer<UInt64>?, Int, UnsafeMutablePointer<T>?, UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<CChar>?, Int) -> Int32
    ) throws {
        let n = indices.count
        if values.count < n * wordsPerSample { values = [T](repeating: 0, count: n * wordsPerSample) }
        if labels.count < n { labels = [Int32](repeating: 0, count: n) }
        var message = [CChar](repeating: 0, count: Int(TL_ERROR_CAPACITY))
        let status = indices.withUnsafeBufferPointer { idx in
            values.withUnsafeMutableBufferPointer { v in
                labels.withUnsafeMutableBufferPointer { lb in
                    message.withUnsafeMutableBufferPointer { msg in
                        body(idx.baseAddress, n, v.baseAddress, lb.baseAddress, msg.baseAddress, msg.count)
                    }
                }
            }
        }
        if status != 0 {
            throw SwiftBackendError.io(message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        }
    }
}

/// Reports batch progress to the host; `report` returns false when the host asks to stop.
public struct BatchReporter {
    let callback: tl_progress_fn?
    let context: UnsafeMutableRawPointer?

    public func report(batchesDone: Int, batchesTotal: Int, runningLoss: Double, runningAccuracy: Double) -> Bool {
        guard let callback else { return true }
        return callback(context, UInt64(batchesDone), UInt64(batchesTotal), runningLoss, runningAccuracy) == 0
    }
}

/// Bytes of one 64x64 RGB image (TL_IMAGE_BYTES; a C macro expression Swift does not import).
public let imageBytes = 64 * 64 * 3
