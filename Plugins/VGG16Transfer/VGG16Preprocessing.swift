import BackendPluginKit

/// How raw 0-255 RGB pixels enter VGG16.
enum VGG16Preprocessing: String, Codable {
    /// The write-up: pixels as they are (times the host's input scale), no `preprocess_input`.
    case raw
    /// Keras' `vgg16.preprocess_input` ("caffe" mode): RGB -> BGR, minus the ImageNet channel means.
    /// What the pretrained weights were trained with.
    case caffe

    /// ImageNet means in BGR order, as Keras subtracts them.
    static let bgrMeans: (Float, Float, Float) = (103.939, 116.779, 123.68)

    /// Writes one image (`imageBytes` bytes at `pixels`) as floats at `destination`.
    func fill(_ pixels: UnsafePointer<UInt8>, into destination: UnsafeMutablePointer<Float>, scale: Float) {
        switch self {
        case .raw:
            for i in 0..<imageBytes { destination[i] = Float(pixels[i]) * scale }
        case .caffe:
            let (b, g, r) = Self.bgrMeans
            for p in 0..<(imageBytes / 3) {
                destination[3 * p] = Float(pixels[3 * p + 2]) - b
                destination[3 * p + 1] = Float(pixels[3 * p + 1]) - g
                destination[3 * p + 2] = Float(pixels[3 * p]) - r
            }
        }
    }
}
