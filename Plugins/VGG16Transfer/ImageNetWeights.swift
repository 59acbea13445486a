import BackendPluginKit
import Foundation
import KerasWeights
import NeuralKit

/// Loads Keras' VGG16 "notop" ImageNet weights into the convolutional blocks of a network,
/// from the published .h5 or from the safetensors copy the host converted another .h5 into in
/// a child process (`KerasSafetensors`; the host hands this plugin no other .h5).
enum ImageNetWeights {
    static func load(_ path: String, into model: inout Sequential) throws {
        let url = URL(fileURLWithPath: path)
        do {
            let file = url.pathExtension == "safetensors" ? try KerasSafetensors.read(url) : try KerasWeightsFile.read(url)
            let layers = try file.checked(against: VGG16Layout.convolutions, file: url.lastPathComponent)
            for (name, tensors) in layers {
                try model.setParameter("\(name)/kernel", Tensor(shape: tensors[0].shape, scalars: tensors[0].values))
                try model.setParameter("\(name)/bias", Tensor(shape: tensors[1].shape, scalars: tensors[1].values))
            }
        } catch let error as KerasWeightsError {
            throw SwiftBackendError.io("vgg16: \(error)")
        }
    }
}
