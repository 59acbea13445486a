import BackendABI
import Foundation
import TrainingMetrics

/// A model living inside a plugin; freed through the plugin when the wrapper goes away.
final class PluginModel: BackendModel {
    private let backend: PluginBackend
    private let handle: OpaquePointer
    let classCount: Int

    init(backend: PluginBackend, handle: OpaquePointer) {
        self.backend = backend
        self.handle = handle
        self.classCount = Int(backend.table.pointee.class_count(handle))
    }

    deinit { backend.table.pointee.free_model(handle) }

    private var table: tribelens_backend { backend.table.pointee }

    func trainEpoch(on source: any SampleSource, batchSize: Int, learningRate: Float, shuffleSeed: UInt64,
                    progress: (BatchProgress) -> Bool) throws -> PassMetrics {
        try checkBatchSize(batchSize)
        try checkImages(source)
        return try SampleSourceBridge.run(source: source, progress: progress) { csource, callback, context, metrics, error in
            error.withBuffer {
                table.train_epoch(handle, csource, UInt32(batchSize), learningRate, shuffleSeed, callback, context,
                                  metrics, $0, $1)
            }
        }
    }

    func evaluate(on source: any SampleSource, batchSize: Int, progress: (BatchProgress) -> Bool) throws -> PassMetrics {
        try checkBatchSize(batchSize)
        try checkImages(source)
        return try SampleSourceBridge.run(source: source, progress: progress) { csource, callback, context, metrics, error in
            error.withBuffer { table.evaluate(handle, csource, UInt32(batchSize), callback, context, metrics, $0, $1) }
        }
    }

    func predict(source: any SampleSource, batchSize: Int, similarities wanted: Bool) throws -> (probabilities: [Float], similarities: [Float]?) {
        guard backend.hasV1_1Table, let predictSource = table.predict_source else {
            return (try predictByPixels(source: source, batchSize: batchSize), nil)
        }
        try checkBatchSize(batchSize)
        try checkImages(source)
        let withSimilarities = wanted && backend.info.givesSimilarities
        var probabilities = [Float](repeating: .nan, count: source.count * classCount)
        var similarities = [Float](repeating: .nan, count: withSimilarities ? source.count * classCount : 0)
        _ = try probabilities.withUnsafeMutableBufferPointer { p in
            try similarities.withUnsafeMutableBufferPointer { s in
                try SampleSourceBridge.run(source: source, progress: { _ in true }) { csource, _, _, _, error in
                    error.withBuffer {
                        predictSource(handle, csource, UInt32(batchSize), p.baseAddress, withSimilarities ? s.baseAddress : nil, $0, $1)
                    }
                }
            }
        }
        try FiniteOutputs.check(probabilities, "probability", classCount: classCount, backend: backend.info.id)
        try FiniteOutputs.check(similarities, "similarity", classCount: classCount, backend: backend.info.id)
        return (probabilities, withSimilarities ? similarities : nil)
    }

    func predict(pixels: [UInt8], count: Int) throws -> [Float] {
        let spec = backend.info.input
        guard count >= 0, pixels.count == count * spec.bytes else {
            throw BackendError(.invalidArgument, "predict: \(pixels.count) bytes is not \(count) images of \(spec)")
        }
        var output = [Float](repeating: .nan, count: count * classCount)
        var error = ErrorBuffer()
        let status = pixels.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                error.withBuffer { table.predict(handle, input.baseAddress, count, out.baseAddress, $0, $1) }
            }
        }
        guard status == TL_OK else {
            throw BackendError(status: status, message: error.message(or: "\(backend.info.id): predict failed"))
        }
        try FiniteOutputs.check(output, "probability", classCount: classCount, backend: backend.info.id)
        return output
    }

    func save(to directory: URL) throws {
        var error = ErrorBuffer()
        let status = directory.path.withCString { path in error.withBuffer { table.save(handle, path, $0, $1) } }
        guard status == TL_OK else {
            throw BackendError(status: status, message: error.message(or: "\(backend.info.id): save failed"))
        }
    }

    /// The plugin reads `imageBytes` per sample from the source's buffers: they must agree.
    private func checkImages(_ source: any SampleSource) throws {
        let spec = backend.info.input
        guard source.imageBytes == spec.bytes else {
            throw BackendError(.invalidArgument, "\(backend.info.id) takes \(spec), but the samples have \(source.imageBytes) bytes each")
        }
    }

    private func checkBatchSize(_ batchSize: Int) throws {
        guard batchSize >= 1, batchSize <= Int(UInt32.max) else {
            throw BackendError(.invalidArgument, "batch size must be at least 1, got \(batchSize)")
        }
    }
}
