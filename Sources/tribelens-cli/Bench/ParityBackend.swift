import FaceKit
import Foundation
import NeuralKit

/// The `ModelBackend` FaceKit's `TrainingSession` gets in `bench parity`: it only loads back the
/// snapshots the session saves of a `ParityModel` (restore-best-weights).
final class ParityBackend: ModelBackend, @unchecked Sendable {
    // @unchecked: immutable after init; the template network is a value type.
    let info = BackendInfo(id: "parity", version: "1", displayName: "parity", description: "bench parity")
    let template: Sequential
    let inputScale: Float
    let batchSize: Int

    init(template: Sequential, inputScale: Float, batchSize: Int) {
        self.template = template
        self.inputScale = inputScale
        self.batchSize = batchSize
    }

    func makeModel(_ configuration: ModelConfiguration) throws -> any BackendModel {
        try ParityModel(model: template, inputScale: inputScale, batchSize: batchSize, orders: nil)
    }

    func loadModel(from directory: URL, configuration: ModelConfiguration?) throws -> any BackendModel {
        var model = template
        try model.loadWeights(from: directory.appendingPathComponent("weights.safetensors"))
        return try ParityModel(model: model, inputScale: inputScale, batchSize: batchSize, orders: nil)
    }
}
