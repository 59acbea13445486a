import Foundation

/// A pretrained weights file TribeLens knows how to find, check and fetch.
public struct PretrainedWeights: Sendable, Equatable {
    /// What a download is checked against: the checksum the publisher gives. Keras publishes MD5
    /// for its files; for the ONNX models OpenCV parses we pin SHA-256 ourselves, because a file
    /// that merely collides in MD5 must not reach OpenCV's unhardened ONNX importer.
    public enum Checksum: Sendable, Equatable {
        case md5(String)
        case sha256(String)

        public var algorithm: String {
            switch self {
            case .md5: "MD5"
            case .sha256: "SHA-256"
            }
        }

        public var hex: String {
            switch self {
            case .md5(let value), .sha256(let value): value
            }
        }

        /// The same algorithm's digest of `url`, streamed.
        public func digest(ofFile url: URL) throws -> String {
            switch self {
            case .md5: try MD5.hex(ofFile: url)
            case .sha256: try FaceModels.sha256(ofFile: url)
            }
        }
    }

    public let id: String
    public let fileName: String
    public let byteCount: Int
    public let checksum: Checksum
    public let officialURL: String
    /// Set for the face models, which are found by checksum (`FaceModels`), not by name.
    public let faceModelKind: FaceModelKind?

    public init(id: String, fileName: String, byteCount: Int, checksum: Checksum, officialURL: String,
                faceModelKind: FaceModelKind? = nil) {
        self.id = id
        self.fileName = fileName
        self.byteCount = byteCount
        self.checksum = checksum
        self.officialURL = officialURL
        self.faceModelKind = faceModelKind
    }

    public init(id: String, fileName: String, byteCount: Int, md5: String, officialURL: String) {
        self.init(id: id, fileName: fileName, byteCount: byteCount, checksum: .md5(md5), officialURL: officialURL)
    }

    /// The fetchable entry for a known face-model file (nil for one with no download, such as
    /// the derived SFace file).
    public init?(_ known: KnownModelFile) {
        guard let url = known.officialURL else { return nil }
        self.init(id: known.kind.rawValue, fileName: known.fileName, byteCount: known.byteCount,
                  checksum: .sha256(known.sha256), officialURL: url, faceModelKind: known.kind)
    }

    /// Keras' ImageNet VGG16 without the classifier top, as `keras.applications.VGG16` downloads it.
    public static let vgg16 = PretrainedWeights(
        id: "vgg16",
        fileName: "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
        byteCount: 58_889_256,
        md5: "6d6bbae143d832006294945121d1f1fc",
        officialURL: "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5")

    /// OpenCV's SFace recogniser (`cv::FaceRecognizerSF`), the official opencv_zoo file.
    public static let sface = PretrainedWeights(KnownModelFile.sfaceOfficial)!

    /// OpenCV's YuNet detector (`cv::FaceDetectorYN`), the 2022mar file OpenCV 4.6 reads.
    public static let yunet = PretrainedWeights(KnownModelFile.yunetOfficial)!

    public static let all = [vgg16, sface, yunet]

    public static func named(_ id: String) -> PretrainedWeights? {
        all.first { $0.id == id.lowercased() }
    }
}
