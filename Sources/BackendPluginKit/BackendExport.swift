import BackendABI
#if canImport(Glibc)
import Glibc
#endif

/// Builds the C table for a `SwiftBackend`. A plugin exports it like this:
///
///     @_cdecl("tribelens_backend_entry")
///     public func tribelensBackendEntry() -> UnsafeRawPointer {
///         BackendExport.table(for: MyBackend.self)
///     }
///
/// (`UnsafeRawPointer` because `@_cdecl` functions cannot return imported struct pointers
/// through a public signature without exposing BackendABI; the host casts it back.)
public enum BackendExport {
    /// The one backend type of this plugin image. Each plugin links its own copy of this module,
    /// so the global is per plugin; C function pointers cannot capture the generic type, hence it.
    nonisolated(unsafe) private static var backendType: (any SwiftBackend.Type)?
    nonisolated(unsafe) private static var exported: UnsafeMutablePointer<tribelens_backend>?
    private static let lock = Lock()

    public static func table<B: SwiftBackend>(for type: B.Type) -> UnsafeRawPointer {
        lock.locked {
            if let exported { return UnsafeRawPointer(exported) }
            backendType = type
            let table = UnsafeMutablePointer<tribelens_backend>.allocate(capacity: 1)
            table.initialize(to: tribelens_backend(
                abi_major: UInt32(TRIBELENS_ABI_MAJOR), abi_minor: UInt32(TRIBELENS_ABI_MINOR),
                struct_size: UInt32(MemoryLayout<tribelens_backend>.size), reserved: 0,
                id: strdup(B.id), version: strdup(B.version), display_name: strdup(B.displayName),
                description: strdup(B.description), default_hyperparameters_json: strdup(B.defaultHyperParametersJSON),
                create_model: createModel, class_count: classCount, train_epoch: trainEpoch, evaluate: evaluate,
                predict: predict, save: save, load: load, free_model: freeModel,
                input_side: UInt32(B.input.side), input_kind: B.input.kind.rawValue,
                capabilities: B.givesSimilarities ? TL_CAP_SIMILARITIES : 0, reserved_1_1: 0, predict_source: predictSource, load_with_config: loadWithConfig))
            exported = table
            return UnsafeRawPointer(table)
        }
    }

    // MARK: Trampolines: every Swift error is caught here and becomes a status + message.

    private final class Box {
        let model: any SwiftBackend
        /// The host's ABI minor, from the configuration the model was made or loaded with.
        let hostABIMinor: Int
        init(_ model: any SwiftBackend, hostABIMinor: Int) {
            self.model = model
            self.hostABIMinor = hostABIMinor
        }
    }

    private static func box(_ model: any SwiftBackend, hostABIMinor: Int) -> OpaquePointer {
        OpaquePointer(Unmanaged.passRetained(Box(model, hostABIMinor: hostABIMinor)).toOpaque())
    }

    private static func unboxed(_ pointer: OpaquePointer?) -> Box? {
        guard let pointer else { return nil }
        return Unmanaged<Box>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }

    private static func unbox(_ pointer: OpaquePointer?) -> (any SwiftBackend)? { unboxed(pointer)?.model }

    private static func batches(_ source: UnsafePointer<tl_sample_source>, for box: Box) -> SampleBatches {
        let type = Swift.type(of: box.model)
        return SampleBatches(source: source, imageBytes: type.input.imageBytes, hasKeys: box.hostABIMinor >= 1)
    }

    /// A host configuration as Swift; the ABI 1.1 fields only when the host's struct has them.
    private static func configuration(_ config: UnsafePointer<tl_model_config>) -> SwiftBackendConfiguration {
        let c = config.pointee
        let v1_1 = Int(c.struct_size) >= MemoryLayout<tl_model_config>.size
        return SwiftBackendConfiguration(
            classCount: Int(c.class_count), seed: c.seed, inputScale: c.input_scale,
            hyperParametersJSON: c.hyperparameters_json.map { String(cString: $0) } ?? "{}",
            cacheDirectory: v1_1 ? c.cache_directory.map { String(cString: $0) } : nil,
            hostABIMinor: v1_1 ? Int(c.host_abi_minor) : 0)
    }

    private static var configV1_0Size: Int {
        MemoryLayout<tl_model_config>.offset(of: \tl_model_config.hyperparameters_json)! + MemoryLayout<UnsafeRawPointer>.size
    }

    private static func fail(_ error: any Error, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> tl_status {
        let status = (error as? SwiftBackendError)?.status ?? TL_ERR_INTERNAL
        "\(error)".withCString { tl_set_error(buffer, capacity, $0) }
        return status
    }

    private static func run(_ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int, _ body: () throws -> Void) -> tl_status {
        do {
            try body()
            return TL_OK
        } catch {
            return fail(error, buffer, capacity)
        }
    }

    private typealias Message = UnsafeMutablePointer<CChar>?

    private static let createModel: @convention(c) (UnsafePointer<tl_model_config>?, Message, Int) -> OpaquePointer? = { config, message, capacity in
        guard let config, let type = backendType, Int(config.pointee.struct_size) >= configV1_0Size else {
            tl_set_error(message, capacity, "model configuration is missing or too short")
            return nil
        }
        let swiftConfig = configuration(config)
        do {
            return box(try type.create(swiftConfig), hostABIMinor: swiftConfig.hostABIMinor)
        } catch {
            _ = fail(error, message, capacity)
            return nil
        }
    }

    private static let load: @convention(c) (UnsafePointer<CChar>?, Message, Int) -> OpaquePointer? = { directory, message, capacity in
        guard let directory, let type = backendType else {
            tl_set_error(message, capacity, "no directory given")
            return nil
        }
        do {
            return box(try type.load(from: String(cString: directory)), hostABIMinor: 0)
        } catch {
            _ = fail(error, message, capacity)
            return nil
        }
    }

    private static let loadWithConfig: @convention(c) (UnsafePointer<CChar>?, UnsafePointer<tl_model_config>?, Message, Int) -> OpaquePointer? = {
        directory, config, message, capacity in
        guard let directory, let config, let type = backendType, Int(config.pointee.struct_size) >= configV1_0Size else {
            tl_set_error(message, capacity, "no directory or configuration given")
            return nil
        }
        let swiftConfig = configuration(config)
        do {
            return box(try type.load(from: String(cString: directory), configuration: swiftConfig), hostABIMinor: swiftConfig.hostABIMinor)
        } catch {
            _ = fail(error, message, capacity)
            return nil
        }
    }

    private static let classCount: @convention(c) (OpaquePointer?) -> UInt32 = { model in
        UInt32(clamping: unbox(model)?.classCount ?? 0)
    }

    private static let trainEpoch: @convention(c) (
        OpaquePointer?, UnsafePointer<tl_sample_source>?, UInt32, Float, UInt64, tl_progress_fn?, UnsafeMutableRawPointer?,
        UnsafeMutablePointer<tl_metrics>?, Message, Int
    ) -> tl_status = { model, source, batchSize, learningRate, seed, progress, context, result, message, capacity in
        guard let box = unboxed(model), let source, let result, source.pointee.fetch != nil else {
            tl_set_error(message, capacity, "NULL argument")
            return TL_ERR_INVALID_ARGUMENT
        }
        guard batchSize > 0 else {
            tl_set_error(message, capacity, "batch size must be at least 1")
            return TL_ERR_INVALID_ARGUMENT
        }
        return run(message, capacity) {
            let m = try box.model.trainEpoch(batches(source, for: box), batchSize: Int(batchSize), learningRate: learningRate,
                                         shuffleSeed: seed, progress: BatchReporter(callback: progress, context: context))
            result.pointee = tl_metrics(loss: m.loss, accuracy: m.accuracy, samples: UInt64(m.samples))
        }
    }

    private static let evaluate: @convention(c) (
        OpaquePointer?, UnsafePointer<tl_sample_source>?, UInt32, tl_progress_fn?, UnsafeMutableRawPointer?,
        UnsafeMutablePointer<tl_metrics>?, Message, Int
    ) -> tl_status = { model, source, batchSize, progress, context, result, message, capacity in
        guard let box = unboxed(model), let source, let result, source.pointee.fetch != nil else {
            tl_set_error(message, capacity, "NULL argument")
            return TL_ERR_INVALID_ARGUMENT
        }
        guard batchSize > 0 else {
            tl_set_error(message, capacity, "batch size must be at least 1")
            return TL_ERR_INVALID_ARGUMENT
        }
        return run(message, capacity) {
            let m = try box.model.evaluate(batches(source, for: box), batchSize: Int(batchSize),
                                       progress: BatchReporter(callback: progress, context: context))
            result.pointee = tl_metrics(loss: m.loss, accuracy: m.accuracy, samples: UInt64(m.samples))
        }
    }

    private static let predict: @convention(c) (OpaquePointer?, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<Float>?, Message, Int) -> tl_status = {
        model, pixels, count, probabilities, message, capacity in
        guard let model = unbox(model), count == 0 || (pixels != nil && probabilities != nil) else {
            tl_set_error(message, capacity, "NULL argument")
            return TL_ERR_INVALID_ARGUMENT
        }
        if count == 0 { return TL_OK }
        return run(message, capacity) {
            try model.predict(pixels: UnsafeBufferPointer(start: pixels, count: count * Swift.type(of: model).input.imageBytes), count: count,
                              into: UnsafeMutableBufferPointer(start: probabilities, count: count * model.classCount))
        }
    }

    private static let predictSource: @convention(c) (
        OpaquePointer?, UnsafePointer<tl_sample_source>?, UInt32, UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?, Message, Int
    ) -> tl_status = { model, source, batchSize, probabilities, similarities, message, capacity in
        guard let box = unboxed(model), let source, source.pointee.fetch != nil, source.pointee.count == 0 || probabilities != nil else {
            tl_set_error(message, capacity, "NULL argument")
            return TL_ERR_INVALID_ARGUMENT
        }
        guard batchSize > 0 else {
            tl_set_error(message, capacity, "batch size must be at least 1")
            return TL_ERR_INVALID_ARGUMENT
        }
        let rows = Int(source.pointee.count) * box.model.classCount
        return run(message, capacity) {
            try box.model.predict(batches(source, for: box), batchSize: Int(batchSize),
                                  into: UnsafeMutableBufferPointer(start: probabilities, count: rows),
                                  similarities: similarities.map { UnsafeMutableBufferPointer(start: $0, count: rows) })
        }
    }

    private static let save: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Message, Int) -> tl_status = { model, directory, message, capacity in
        guard let model = unbox(model), let directory else {
            tl_set_error(message, capacity, "NULL argument")
            return TL_ERR_INVALID_ARGUMENT
        }
        return run(message, capacity) { try model.save(to: String(cString: directory)) }
    }

    private static let freeModel: @convention(c) (OpaquePointer?) -> Void = { model in
        guard let model else { return }
        Unmanaged<Box>.fromOpaque(UnsafeRawPointer(model)).release()
    }
}

/// A pthread mutex (Foundation is not needed in a plugin for this).
final class Lock: @unchecked Sendable {
    private var mutex = pthread_mutex_t()

    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }

    func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}
