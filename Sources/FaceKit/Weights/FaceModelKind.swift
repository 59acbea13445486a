import Foundation

/// The ONNX networks TribeLens hands to OpenCV: SFace (`cv::FaceRecognizerSF`, a 128-d face
/// embedding) and YuNet (`cv::FaceDetectorYN`, a face detector).
public enum FaceModelKind: String, Sendable, CaseIterable {
    case sface, yunet

    /// The name users know it by, for messages.
    public var displayName: String {
        switch self {
        case .sface: "SFace"
        case .yunet: "YuNet"
        }
    }

    /// Where `FaceModels` looks for this kind's files, in order: downloads go to `weights/`; YuNet
    /// was documented in `detectors/` before, so that folder still counts for it.
    public var searchFolders: [URL] {
        let weights = WeightsLocator.ownFolder
        switch self {
        case .sface: return [weights]
        case .yunet: return [weights, AppPaths.dataHome.appendingPathComponent("detectors", isDirectory: true)]
        }
    }
}
