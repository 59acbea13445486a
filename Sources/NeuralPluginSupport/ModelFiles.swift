import BackendPluginKit
import Foundation
import NeuralKit

/// What every NeuralKit plugin does the same way with a whole network: predict probabilities for
/// the host's images, and save or load the weights next to its settings file.
public enum ModelFiles {
    public static let weightsFile = "weights.safetensors"

    /// Probabilities for `count` 64x64 RGB images; `fill` turns image i's bytes into floats.
    public static func predict(_ model: Sequential, pixels: UnsafeBufferPointer<UInt8>, count: Int,
                               into probabilities: UnsafeMutableBufferPointer<Float>,
                               fill: (_ image: UnsafePointer<UInt8>, _ destination: UnsafeMutablePointer<Float>) -> Void) throws {
        let classes = model.outputShape.reduce(1, *)
        let predictor = try Predictor(model: model, batchSize: min(max(count, 1), 32))
        try predictor.run(count: count, fill: { i, dst in fill(pixels.baseAddress! + i * imageBytes, dst) },
                          consume: { first, out in
            for (k, v) in out.enumerated() { probabilities[first * classes + k] = v }
        })
    }

    public static func save(_ model: Sequential, settings: SavedSettings, to directory: String, settingsFile: String,
                            plugin: String) throws {
        try settings.write(directory, file: settingsFile, plugin: plugin)
        do {
            try model.saveWeights(to: URL(fileURLWithPath: directory).appendingPathComponent(weightsFile))
        } catch {
            throw SwiftBackendError.io("\(plugin): \(error)")
        }
    }

    /// Loads the weights `save` wrote into a freshly built network of the same shape.
    public static func loadWeights(into model: inout Sequential, from directory: String, plugin: String) throws {
        do {
            try model.loadWeights(from: URL(fileURLWithPath: directory).appendingPathComponent(weightsFile))
        } catch {
            throw SwiftBackendError.format("\(plugin): \(error)")
        }
    }
}
