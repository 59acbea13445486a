/// The layers of Keras' `VGG16(include_top=False)`, as stored in
/// `vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5`: 13 3x3 convolutions in five blocks.
public enum VGG16Layout {
    /// (block, convolutions in it, filters).
    static let blocks = [(1, 2, 64), (2, 2, 128), (3, 3, 256), (4, 3, 512), (5, 3, 512)]

    public static var convolutions: [KerasLayerSpec] {
        var specs: [KerasLayerSpec] = []
        var channels = 3
        for (block, count, filters) in blocks {
            for i in 1...count {
                specs.append(.conv("block\(block)_conv\(i)", kernel: 3, in: channels, out: filters))
                channels = filters
            }
        }
        return specs
    }

    /// Every layer name of the notop model in order, pooling layers included.
    public static var layerNames: [String] {
        var names = ["input_1"]
        for (block, count, _) in blocks {
            names += (1...count).map { "block\(block)_conv\($0)" } + ["block\(block)_pool"]
        }
        return names
    }
}
