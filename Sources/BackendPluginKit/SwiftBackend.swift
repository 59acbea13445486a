import BackendABI

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

    static func create(_ configuration: SwiftBackendConfiguration) throws -> Self
    /// Reads what `save(to:)` wrote.
    static func load(from directory: String) throws -> Self

    var classCount: Int { get }
    /// One epoch in `source.shuffledOrder(seed:)` order; call `progress` after every batch and
    /// stop (throw `SwiftBackendError.cancelled`) when it returns false.
    func trainEpoch(_ source: SampleBatches, batchSize: Int, learningRate: Float, shuffleSeed: UInt64,
                    progress: BatchReporter) throws -> EpochMetrics
    func evaluate(_ source: SampleBatches, batchSize: Int, progress: BatchReporter) throws -> EpochMetrics
    /// Writes `count * classCount` probabilities.
    func predict(pixels: UnsafeBufferPointer<UInt8>, count: Int, into probabilities: UnsafeMutableBufferPointer<Float>) throws
    func save(to directory: String) throws
}

public struct SwiftBackendConfiguration: Sendable {
    public var classCount: Int
    public var seed: UInt64
    public var inputScale: Float
    public var hyperParametersJSON: String

    public init(classCount: Int, seed: UInt64, inputScale: Float, hyperParametersJSON: String) {
        self.classCount = classCount
        self.seed = seed
        self.inputScale = inputScale
        self.hyperParametersJSON = hyperParametersJSON
    }
}

public struct EpochMetrics: Sendable, Equatable {
    public var loss: Double
    public var accuracy: Double
    public var samples: Int

    public init(loss: Double, accuracy: Double, samples: Int) {
        self.loss = loss
        self.accuracy = accuracy
        self.samples = samples
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

    public var count: Int { Int(source.pointee.count) }

    /// The order every backend visits samples in during an epoch (tl_shuffle_indices).
    public func shuffledOrder(seed: UInt64) -> [UInt64] {
        var order = [UInt64](repeating: 0, count: count)
        order.withUnsafeMutableBufferPointer { tl_shuffle_indices($0.baseAddress, UInt64($0.count), seed) }
        return order
    }

    /// Fills `pixels` (`indices.count * 12288` bytes) and `labels` for `indices`.
    public func fetch(_ indices: ArraySlice<UInt64>, pixels: inout [UInt8], labels: inout [Int32]) throws {
        let n = indices.count
        if pixels.count < n * imageBytes { pixels = [UInt8](repeating: 0, count: n * imageBytes) }
        if labels.count < n { labels = [Int32](repeating: 0, count: n) }
        var message = [CChar](repeating: 0, count: Int(TL_ERROR_CAPACITY))
        let status = indices.withUnsafeBufferPointer { idx in
            pixels.withUnsafeMutableBufferPointer { px in
                labels.withUnsafeMutableBufferPointer { lb in
                    message.withUnsafeMutableBufferPointer { msg in
                        source.pointee.fetch(source.pointee.context, idx.baseAddress, n, px.baseAddress, lb.baseAddress,
                                             msg.baseAddress, msg.count)
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
