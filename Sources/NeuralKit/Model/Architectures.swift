/// The write-up's two networks, with Keras' layer names so weights load by name.
public enum Architectures {
    /// The scratch CNN: 3 x [Conv 32 3x3 same (no activation), MaxPool 2x2] -> Flatten ->
    /// Dense 256 sigmoid -> Dense 128 sigmoid -> Dense `classes` softmax. Layer names follow Keras'
    /// automatic naming for that Sequential model.
    public static func scratchCNN(inputShape: [Int] = [64, 64, 3], classes: Int, seed: UInt64 = 0) throws -> Sequential {
        try Sequential(inputShape: inputShape, layers: [
            Conv2D(filters: 32, kernelSize: (3, 3), padding: .same, name: "conv2d"),
            MaxPool2D(name: "max_pooling2d"),
            Conv2D(filters: 32, kernelSize: (3, 3), padding: .same, name: "conv2d_1"),
            MaxPool2D(name: "max_pooling2d_1"),
            Conv2D(filters: 32, kernelSize: (3, 3), padding: .same, name: "conv2d_2"),
            MaxPool2D(name: "max_pooling2d_2"),
            Flatten(name: "flatten"),
            Dense(256, name: "dense"),
            ActivationLayer(.sigmoid, name: "activation"),
            Dense(128, name: "dense_1"),
            ActivationLayer(.sigmoid, name: "activation_1"),
            Dense(classes, name: "dense_2"),
            ActivationLayer(.softmax, name: "activation_2"),
        ], seed: seed)
    }

    /// Keras' VGG16 convolutional blocks `1...upToBlock` (each ending in its max-pool), named
    /// block{b}_conv{i} / block{b}_pool as in keras.applications.VGG16.
    public static func vgg16Blocks(_ blocks: ClosedRange<Int>) -> [any Layer] {
        let widths = [64, 128, 256, 512, 512], depth = [2, 2, 3, 3, 3]
        var layers: [any Layer] = []
        for b in blocks {
            for i in 1...depth[b - 1] {
                layers.append(Conv2D(filters: widths[b - 1], kernelSize: (3, 3), padding: .same,
                                     activation: .relu, name: "block\(b)_conv\(i)"))
            }
            layers.append(MaxPool2D(name: "block\(b)_pool"))
        }
        return layers
    }

    /// The write-up's transfer top: Flatten -> Dense 256 sigmoid -> Dense `classes` softmax (the
    /// VGG16 plugin puts it on blocks 1-5 and freezes what its hyper-parameters say).
    public static func vgg16Top(classes: Int) -> [any Layer] {
        [Flatten(name: "flatten"), Dense(256, activation: .sigmoid, name: "dense"),
         Dense(classes, activation: .softmax, name: "dense_1")]
    }
}
