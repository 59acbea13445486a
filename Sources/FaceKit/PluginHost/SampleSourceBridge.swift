import BackendABI
import Foundation
import TrainingMetrics

/// Hands a Swift `SampleSource` and progress closure to a C plugin as a tl_sample_source and a
/// tl_progress_fn. Errors thrown by the source are kept and rethrown as they were.
enum SampleSourceBridge {
    private final class Context {
        let source: any SampleSource
        let progress: (BatchProgress) -> Bool
        var sourceError: (any Error)?
        var hostCancelled = false

        init(source: any SampleSource, progress: @escaping (BatchProgress) -> Bool) {
            self.source = source
            self.progress = progress
        }
    }

    typealias Call = (UnsafePointer<tl_sample_source>, tl_progress_fn, UnsafeMutableRawPointer,
                      UnsafeMutablePointer<tl_metrics>, inout ErrorBuffer) -> tl_status

    static func run(source: any SampleSource, progress: (BatchProgress) -> Bool, call: Call) throws -> PassMetrics {
        try withoutActuallyEscaping(progress) { progress in
            let context = Context(source: source, progress: progress)
            let opaque = Unmanaged.passUnretained(context).toOpaque()
            var csource = tl_sample_source(count: UInt64(source.count), fetch: fetchTrampoline, context: opaque,
                                           fetch_keys: keysTrampoline)
            var metrics = tl_metrics()
            var error = ErrorBuffer()
            let status = withExtendedLifetime(context) {
                call(&csource, progressTrampoline, opaque, &metrics, &error)
            }
            if let thrown = context.sourceError { throw thrown }
            if status == TL_ERR_CANCELLED || context.hostCancelled {
                throw BackendError(.cancelled, "cancelled")
            }
            guard status == TL_OK else {
                throw BackendError(status: status, message: error.message(or: "backend call failed"))
            }
            return PassMetrics(loss: metrics.loss, accuracy: metrics.accuracy, samples: Int(metrics.samples))
        }
    }

    private static let fetchTrampoline: @convention(c) (
        UnsafeMutableRawPointer?, UnsafePointer<UInt64>?, Int, UnsafeMutablePointer<UInt8>?,
        UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<CChar>?, Int
    ) -> Int32 = { raw, indices, count, pixels, labels, message, capacity in
        callSource(raw, message, capacity) { source in
            guard let pixels, let labels, count == 0 || indices != nil else {
                throw BackendError(.invalidArgument, "fetch called with NULL buffers")
            }
            try source.fetch(indices: UnsafeBufferPointer(start: indices, count: count), pixels: pixels, labels: labels)
        }
    }

    private static let keysTrampoline: @convention(c) (
        UnsafeMutableRawPointer?, UnsafePointer<UInt64>?, Int, UnsafeMutablePointer<UInt64>?,
        UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<CChar>?, Int
    ) -> Int32 = { raw, indices, count, keys, labels, message, capacity in
        callSource(raw, message, capacity) { source in
            guard let keys, let labels, count == 0 || indices != nil else {
                throw BackendError(.invalidArgument, "fetch_keys called with NULL buffers")
            }
            try source.fetchKeys(indices: UnsafeBufferPointer(start: indices, count: count), keys: keys, labels: labels)
        }
    }

    /// Runs a source call for the plugin: 0, or 1 with the error kept (rethrown as it was after
    /// the plugin returns) and its text in the plugin's message buffer.
    private static func callSource(_ raw: UnsafeMutableRawPointer?, _ message: UnsafeMutablePointer<CChar>?, _ capacity: Int,
                                   _ body: (any SampleSource) throws -> Void) -> Int32 {
        guard let raw else { return 1 }
        let context = Unmanaged<Context>.fromOpaque(raw).takeUnretainedValue()
        do {
            try body(context.source)
            return 0
        } catch {
            context.sourceError = error
            "\(error)".withCString { tl_set_error(message, capacity, $0) }
            return 1
        }
    }

    private static let progressTrampoline: tl_progress_fn = { raw, done, total, loss, accuracy in
        guard let raw else { return 0 }
        let context = Unmanaged<Context>.fromOpaque(raw).takeUnretainedValue()
        let keepGoing = context.progress(BatchProgress(batchesDone: Int(done), batchesTotal: Int(total),
                                                       runningLoss: loss, runningAccuracy: accuracy))
        if !keepGoing { context.hostCancelled = true }
        return keepGoing ? 0 : 1
    }
}
