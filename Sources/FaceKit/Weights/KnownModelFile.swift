import Foundation

/// A face-model file whose exact bytes TribeLens knows. OpenCV's ONNX importer is not hardened
/// against hostile input (issue 13), so only files listed here are opened unless the user says
/// otherwise; the figures are the files' own, checked on the files themselves.
public struct KnownModelFile: Sendable, Equatable {
    public let kind: FaceModelKind
    public let fileName: String
    public let byteCount: Int
    /// Lower-case hex.
    public let sha256: String
    /// Where `tribelens-cli weights fetch` downloads it from; nil for a file with no download.
    public let officialURL: String?
    /// What the file is, for `weights list` and the docs.
    public let note: String

    public init(kind: FaceModelKind, fileName: String, byteCount: Int, sha256: String, officialURL: String?, note: String) {
        self.kind = kind
        self.fileName = fileName
        self.byteCount = byteCount
        self.sha256 = sha256
        self.officialURL = officialURL
        self.note = note
    }

    public static let sfaceOfficial = KnownModelFile(
        kind: .sface,
        fileName: "face_recognition_sface_2021dec.onnx",
        byteCount: 38_696_353,
        sha256: "0ba9fbfa01b5270c96627c4ef784da859931e02f04419c829e83484087c34e79",
        officialURL: "https://github.com/opencv/opencv_zoo/raw/main/models/face_recognition_sface/face_recognition_sface_2021dec.onnx",
        note: "official opencv_zoo file")

    /// opencv_zoo's block-quantised `face_recognition_sface_2021dec_int8bq.onnx` with its int8
    /// weights expanded to float32, because OpenCV 4.6 cannot read DequantizeLinear (the shared
    /// test data's README). Known good, but nobody publishes it, so there is nothing to fetch.
    public static let sfaceDerivedFloat32 = KnownModelFile(
        kind: .sface,
        fileName: "face_recognition_sface_2021dec_dq.onnx",
        byteCount: 38_709_795,
        sha256: "0b472775d976911536d32eec7dbcf34926429365edfd04203e53f3af6587828a",
        officialURL: nil,
        note: "float32 expansion of opencv_zoo's int8bq file")

    /// opencv_zoo later replaced the 2022mar file on main (OpenCV 4.6 cannot read its successor),
    /// so this URL may stop serving it; the pinned SHA-256, not the URL, is what guards the
    /// download. `--url` takes a mirror or a commit of opencv_zoo that still has the file.
    public static let yunetOfficial = KnownModelFile(
        kind: .yunet,
        fileName: "face_detection_yunet_2022mar.onnx",
        byteCount: 345_478,
        sha256: "50ef07f702a31741ca46a4c0d947773b64143b9362780237bf0d427d6c79bab7",
        officialURL: "https://github.com/opencv/opencv_zoo/raw/main/models/face_detection_yunet/face_detection_yunet_2022mar.onnx",
        note: "official opencv_zoo file")

    public static let all = [sfaceOfficial, sfaceDerivedFloat32, yunetOfficial]

    /// `all`, and the files the user approved (`FaceModelApprovals`).
    public static var known: [KnownModelFile] { all + FaceModelApprovals.entries() }
}
