import CHDF5
import Foundation

/// A Keras HDF5 weights file in the legacy layout (`model.save_weights("x.h5")`, and the files
/// `keras.applications` downloads): a root attribute `layer_names`, and per layer a group whose
/// attribute `weight_names` lists its datasets in order (kernel, then bias).
///
/// The layout is read from those attributes, never from hard-coded dataset names: Keras versions
/// name the datasets differently (`block1_conv1_W_1:0`, `block1_conv1/kernel:0`, ...).
public struct KerasWeightsFile: Sendable {
    /// Layers in the file's order, including those without weights (pooling, input).
    public let layers: [KerasLayerWeights]
    public let kerasVersion: String?
    public let backend: String?

    /// No single weight array may be larger than this (VGG16's largest has 2.4M values).
    static let maxValuesPerTensor = 256 << 20

    public init(layers: [KerasLayerWeights], kerasVersion: String? = nil, backend: String? = nil) {
        self.layers = layers
        self.kerasVersion = kerasVersion
        self.backend = backend
    }

    public func layer(_ name: String) -> KerasLayerWeights? {
        layers.first { $0.name == name }
    }

    /// Reads every layer's weights.
    public static func read(_ url: URL) throws(KerasWeightsError) -> KerasWeightsFile {
        let name = url.lastPathComponent
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw KerasWeightsError("\(name): no such file, or it cannot be read")
        }
        guard HDF5.hasSignature(url) else {
            throw KerasWeightsError("\(name): not an HDF5 file (Keras weights are .h5 files)")
        }
        let result: Result<KerasWeightsFile, KerasWeightsError> = HDF5.locked {
            let file = H5Fopen(url.path, tl_h5f_acc_rdonly(), tl_h5p_default())
            guard file >= 0 else {
                return .failure(KerasWeightsError("\(name): HDF5 file is truncated or corrupt (libhdf5 cannot open it)"))
            }
            defer { H5Fclose(file) }
            // Files saved from a whole model keep the weights under /model_weights.
            var root = file
            var nested: hid_t = -1
            if HDF5.stringsAttribute(file, "layer_names") == nil, H5Lexists(file, "model_weights", tl_h5p_default()) > 0 {
                nested = H5Gopen2(file, "model_weights", tl_h5p_default())
                if nested >= 0 { root = nested }
            }
            defer { if nested >= 0 { H5Gclose(nested) } }
            guard let layerNames = HDF5.stringsAttribute(root, "layer_names") else {
                return .failure(KerasWeightsError("\(name): HDF5 file without a 'layer_names' attribute: not a Keras weights file in the legacy layout"))
            }
            var layers: [KerasLayerWeights] = []
            for layerName in layerNames {
                switch readLayer(root, layerName, file: name) {
                case .success(let layer): layers.append(layer)
                case .failure(let error): return .failure(error)
                }
            }
            return .success(KerasWeightsFile(
                layers: layers,
                kerasVersion: HDF5.stringsAttribute(root, "keras_version")?.first,
                backend: HDF5.stringsAttribute(root, "backend")?.first))
        }
        return try result.get()
    }

    private static func readLayer(_ root: hid_t, _ layerName: String, file: String) -> Result<KerasLayerWeights, KerasWeightsError> {
        guard H5Lexists(root, layerName, tl_h5p_default()) > 0 else {
            return .failure(KerasWeightsError("\(file): layer '\(layerName)' is listed in layer_names but has no group"))
        }
        let group = H5Gopen2(root, layerName, tl_h5p_default())
        guard group >= 0 else { return .failure(KerasWeightsError("\(file): cannot open the group of layer '\(layerName)'")) }
        defer { H5Gclose(group) }
        let weightNames = HDF5.stringsAttribute(group, "weight_names") ?? []
        var tensors: [KerasTensor] = []
        for weightName in weightNames {
            switch readTensor(group, weightName, where: "\(file): \(layerName)/\(weightName)") {
            case .success(let t): tensors.append(t)
            case .failure(let e): return .failure(e)
            }
        }
        return .success(KerasLayerWeights(name: layerName, tensors: tensors))
    }

    private static func readTensor(_ group: hid_t, _ path: String, where place: String) -> Result<KerasTensor, KerasWeightsError> {
        guard pathExists(group, path) else { return .failure(KerasWeightsError("\(place): dataset is missing")) }
        let dataset = H5Dopen2(group, path, tl_h5p_default())
        guard dataset >= 0 else { return .failure(KerasWeightsError("\(place): cannot open the dataset")) }
        defer { H5Dclose(dataset) }
        let type = H5Dget_type(dataset)
        defer { H5Tclose(type) }
        guard H5Tget_class(type) == H5T_FLOAT else {
            return .failure(KerasWeightsError("\(place): not floating-point data"))
        }
        let space = H5Dget_space(dataset)
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        guard (0...8).contains(rank) else { return .failure(KerasWeightsError("\(place): rank \(rank) is not a weight")) }
        var dims = [hsize_t](repeating: 0, count: max(rank, 1))
        H5Sget_simple_extent_dims(space, &dims, nil)
        let shape = dims.prefix(rank).map { Int($0) }
        let count = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
        guard count <= maxValuesPerTensor else {
            return .failure(KerasWeightsError("\(place): shape \(shape) is absurdly large"))
        }
        var values = [Float](repeating: 0, count: count)
        let status = values.withUnsafeMutableBytes {
            H5Dread(dataset, tl_h5t_native_float(), tl_h5s_all(), tl_h5s_all(), tl_h5p_default(), $0.baseAddress)
        }
        guard status >= 0 else {
            return .failure(KerasWeightsError("\(place): data cannot be read (file truncated or corrupt)"))
        }
        let shortName = path.split(separator: "/").last.map(String.init) ?? path
        return .success(KerasTensor(name: shortName, shape: shape, values: values))
    }

    /// H5Lexists on "a/b" fails when "a" is missing, so walk it one link at a time.
    private static func pathExists(_ group: hid_t, _ path: String) -> Bool {
        var prefix = ""
        for part in path.split(separator: "/") {
            prefix += prefix.isEmpty ? String(part) : "/\(part)"
            if H5Lexists(group, prefix, tl_h5p_default()) <= 0 { return false }
        }
        return true
    }

    /// The weights of each expected layer, after checking names and every shape.
    public func checked(against spec: [KerasLayerSpec], file: String) throws(KerasWeightsError) -> [String: [KerasTensor]] {
        var result: [String: [KerasTensor]] = [:]
        for expected in spec {
            guard let layer = layer(expected.name) else {
                throw KerasWeightsError("\(file): layer '\(expected.name)' is missing (found: \(layers.filter { !$0.tensors.isEmpty }.map(\.name).joined(separator: ", ")))")
            }
            guard layer.tensors.count == expected.shapes.count else {
                throw KerasWeightsError("\(file): layer '\(expected.name)' has \(layer.tensors.count) weights, expected \(expected.shapes.count)")
            }
            for (tensor, shape) in zip(layer.tensors, expected.shapes) where tensor.shape != shape {
                throw KerasWeightsError("\(file): \(expected.name)/\(tensor.name) has shape \(tensor.shape), expected \(shape)")
            }
            for tensor in layer.tensors {
                if let bad = tensor.values.firstIndex(where: { !$0.isFinite }) {
                    let value = tensor.values[bad]
                    throw KerasWeightsError("\(file): \(expected.name)/\(tensor.name) holds "
                        + "\(value.isNaN ? "NaN" : value < 0 ? "-infinity" : "infinity") at element \(bad); weights must be finite numbers")
                }
            }
            result[expected.name] = layer.tensors
        }
        return result
    }
}
