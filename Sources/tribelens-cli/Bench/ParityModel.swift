import FaceKit
import Foundation
import NeuralKit
import TrainingMetrics

/// The scratch CNN as a FaceKit `BackendModel` for `bench parity`: NeuralKit's own epoch loop
/// (`Trainer.fitEpoch`) and evaluation (`Predictor`), as the scratch-cnn plugin runs them, but with
/// the batch order fixed (index order, or a permutation file per epoch) so that Keras can be fed
/// the very same batches.
final class ParityModel: BackendModel {
    let trainer: Trainer
    let inputScale: Float
    /// nil: index order every epoch. Otherwise orders[epoch] (epochs counted by this model).
    let orders: [[Int]]?
    private var epochsTrained = 0

    init(model: Sequential, inputScale: Float, batchSize: Int, orders: [[Int]]?) throws {
        trainer = try Trainer(model: model, optimizer: SGD(learningRate: 0.01), batchSize: batchSize)
        self.inputScale = inputScale
        self.orders = orders
    }

    var classCount: Int { trainer.model.outputShape[0] }

    private func samples(_ source: any SampleSource, _ indices: [Int]) throws -> ByteImageSamples {
        var pixels = [UInt8](repeating: 0, count: indices.count * source.imageBytes)
        var labels = [Int32](repeating: 0, count: indices.count)
        let wide = indices.map(UInt64.init)
        try wide.withUnsafeBufferPointer { idx in
            try pixels.withUnsafeMutableBufferPointer { px in
                try labels.withUnsafeMutableBufferPointer { try source.fetch(indices: idx, pixels: px.baseAddress!, labels: $0.baseAddress!) }
            }
        }
        return try ByteImageSamples(pixels: pixels, labels: labels.map(Int.init), sampleShape: [64, 64, 3], scale: inputScale)
    }

    func trainEpoch(on source: any SampleSource, batchSize: Int, learningRate: Float, shuffleSeed: UInt64,
                    progress: (BatchProgress) -> Bool) throws -> PassMetrics {
        trainer.learningRate = learningRate
        let order = orders.map { $0[epochsTrained % $0.count] } ?? Array(0..<source.count)
        epochsTrained += 1
        return try trainer.fitEpoch(order: order, batch: { slice in (try self.samples(source, Array(slice)), Array(0..<slice.count)) },
                                    afterBatch: { done, total, running in
            progress(BatchProgress(batchesDone: done, batchesTotal: total, runningLoss: running.loss, runningAccuracy: running.accuracy))
        })
    }

    func evaluate(on source: any SampleSource, batchSize: Int, progress: (BatchProgress) -> Bool) throws -> PassMetrics {
        try Predictor(model: trainer.model, batchSize: batchSize).evaluate(count: source.count, batch: { range in
            try self.samples(source, Array(range))
        })
    }

    func predict(pixels: [UInt8], count: Int) throws -> [Float] {
        let data = try ByteImageSamples(pixels: pixels, labels: [Int](repeating: 0, count: count), sampleShape: [64, 64, 3], scale: inputScale)
        return try Predictor(model: trainer.model, batchSize: 32).predict(data).scalars
    }

    func save(to directory: URL) throws {
        try trainer.model.saveWeights(to: directory.appendingPathComponent("weights.safetensors"))
    }
}
