/// A pretrained weights file TribeLens knows how to find, check and fetch.
public struct PretrainedWeights: Sendable, Equatable {
    public let id: String
    public let fileName: String
    public let byteCount: Int
    public let md5: String
    public let officialURL: String

    public init(id: String, fileName: String, byteCount: Int, md5: String, officialURL: String) {
        self.id = id
        self.fileName = fileName
        self.byteCount = byteCount
        self.md5 = md5
        self.officialURL = officialURL
    }

    /// Keras' ImageNet VGG16 without the classifier top, as `keras.applications.VGG16` downloads it.
    public static let vgg16 = PretrainedWeights(
        id: "vgg16",
        fileName: "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
        byteCount: 58_889_256,
        md5: "6d6bbae143d832006294945121d1f1fc",
        officialURL: "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5")

    public static let all = [vgg16]

    public static func named(_ id: String) -> PretrainedWeights? {
        all.first { $0.id == id.lowercased() }
    }
}
