import CHDF5
import Foundation
import SafeFiles

/// Writes weights in Keras' legacy HDF5 layout: for test fixtures and for exporting a model to
/// Keras. Written atomically (`SafeFiles.AtomicFile`), so a failure never leaves half a file.
public enum KerasWeightsWriter {
    /// `weightPath(layer, tensor)` gives each dataset's path inside its layer group; the default
    /// is Keras 2's `layer/tensor:0` (nested groups), which readers must follow via `weight_names`.
    public static func write(
        _ file: KerasWeightsFile, to url: URL,
        weightPath: (String, String) -> String = { layer, tensor in "\(layer)/\(tensor):0" }
    ) throws(KerasWeightsError) {
        do {
            try AtomicFile.write(to: url) { temporary throws(KerasWeightsError) in
                guard create(file, at: temporary, weightPath: weightPath) else {
                    throw KerasWeightsError("\(url.lastPathComponent): could not write the HDF5 file")
                }
            }
        } catch let error as KerasWeightsError {
            throw error
        } catch let error as SafeFileError where error.step == .rename || error.step == .sync {
            throw KerasWeightsError("\(url.lastPathComponent): could not move the new file into place: \(error.reason)")
        } catch {
            // No temporary file could be made where libhdf5 would have failed to create one.
            throw KerasWeightsError("\(url.lastPathComponent): could not write the HDF5 file")
        }
    }

    /// libhdf5 writes the file by name; false if any of its calls fails.
    private static func create(_ file: KerasWeightsFile, at temporary: URL, weightPath: (String, String) -> String) -> Bool {
        HDF5.locked {
            let h5 = H5Fcreate(temporary.path, tl_h5f_acc_trunc(), tl_h5p_default(), tl_h5p_default())
            guard h5 >= 0 else { return false }
            defer { H5Fclose(h5) }
            guard HDF5.writeStringsAttribute(h5, "layer_names", file.layers.map(\.name)),
                  HDF5.writeStringsAttribute(h5, "backend", [file.backend ?? "tensorflow"]),
                  HDF5.writeStringsAttribute(h5, "keras_version", [file.kerasVersion ?? "2.1.0"]) else { return false }
            let linkProps = H5Pcreate(tl_h5p_link_create())
            defer { H5Pclose(linkProps) }
            H5Pset_create_intermediate_group(linkProps, 1)
            for layer in file.layers {
                let group = H5Gcreate2(h5, layer.name, tl_h5p_default(), tl_h5p_default(), tl_h5p_default())
                guard group >= 0 else { return false }
                defer { H5Gclose(group) }
                let paths = layer.tensors.map { weightPath(layer.name, $0.name) }
                guard HDF5.writeStringsAttribute(group, "weight_names", paths) else { return false }
                for (tensor, path) in zip(layer.tensors, paths) {
                    var dims = tensor.shape.map { hsize_t($0) }
                    let space = H5Screate_simple(Int32(dims.count), &dims, nil)
                    defer { H5Sclose(space) }
                    let dataset = H5Dcreate2(group, path, tl_h5t_ieee_f32le(), space, linkProps, tl_h5p_default(), tl_h5p_default())
                    guard dataset >= 0 else { return false }
                    defer { H5Dclose(dataset) }
                    let status = tensor.values.withUnsafeBytes {
                        H5Dwrite(dataset, tl_h5t_native_float(), tl_h5s_all(), tl_h5s_all(), tl_h5p_default(), $0.baseAddress)
                    }
                    guard status >= 0 else { return false }
                }
            }
            return true
        }
    }
}
