import Foundation
import NeuralKit

/// A Keras weights file as a safetensors file: what the app converts a Keras .h5 of unknown
/// origin into, in a child process (libhdf5 is not hardened against hostile files), so that the
/// app itself only ever reads the converted copy (docs/reliability.md).
///
/// Each weight is stored under `LAYER_INDEX/LAYER/WEIGHT_INDEX/WEIGHT` (e.g.
/// `1/block1_conv1/0/kernel:0`): the file's layer order and each layer's weight order survive,
/// and the name parses back unambiguously because Keras' weight names have no `/` (the reader
/// keeps the last path component). Layers without weights (pooling, input) are not stored.
public enum KerasSafetensors {
    static let format = "tribelens-keras-weights"

    public static func write(_ file: KerasWeightsFile, to url: URL) throws(KerasWeightsError) {
        var tensors: [String: Tensor] = [:]
        for (i, layer) in file.layers.enumerated() {
            for (j, weight) in layer.tensors.enumerated() {
                guard let tensor = try? Tensor(shape: weight.shape, scalars: weight.values) else {
                    throw KerasWeightsError("\(layer.name)/\(weight.name): shape \(weight.shape) does not match its values")
                }
                tensors["\(i)/\(layer.name)/\(j)/\(weight.name)"] = tensor
            }
        }
        var metadata = ["format": format]
        if let version = file.kerasVersion { metadata["keras_version"] = version }
        if let backend = file.backend { metadata["backend"] = backend }
        do {
            try Safetensors.write(tensors, to: url, metadata: metadata)
        } catch {
            throw KerasWeightsError("\(url.lastPathComponent): \(error)")
        }
    }

    /// The layers that have weights, in the original file's order.
    public static func read(_ url: URL) throws(KerasWeightsError) -> KerasWeightsFile {
        let name = url.lastPathComponent
        let tensors: [String: Tensor]
        do {
            tensors = try Safetensors.read(url)
        } catch {
            throw KerasWeightsError("\(name): \(error)")
        }
        var layers: [Int: (name: String, weights: [Int: KerasTensor])] = [:]
        for (key, tensor) in tensors {
            let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 4, let i = Int(parts[0]), let j = Int(parts[parts.count - 2]), i >= 0, j >= 0 else {
                throw KerasWeightsError("\(name): '\(key)' is not a converted Keras weight (LAYER_INDEX/LAYER/WEIGHT_INDEX/WEIGHT)")
            }
            let layer = parts[1..<(parts.count - 2)].joined(separator: "/")
            if let known = layers[i]?.name, known != layer {
                throw KerasWeightsError("\(name): layer \(i) is named both '\(known)' and '\(layer)'")
            }
            layers[i, default: (layer, [:])].weights[j] = KerasTensor(name: parts[parts.count - 1], shape: tensor.shape, values: tensor.scalars)
        }
        var result: [KerasLayerWeights] = []
        for i in layers.keys.sorted() {
            let layer = layers[i]!
            guard layer.weights.keys.sorted() == Array(0..<layer.weights.count) else {
                throw KerasWeightsError("\(name): layer '\(layer.name)' has gaps in its weights")
            }
            result.append(KerasLayerWeights(name: layer.name, tensors: (0..<layer.weights.count).map { layer.weights[$0]! }))
        }
        return KerasWeightsFile(layers: result)
    }
}
