import Foundation

/// Where face crops come from: a detector, or the photo itself when the photos are already
/// face crops (`--already-cropped`). `cacheKey` names the settings in the extraction cache, so
/// changing detector or preset never reuses stale boxes.
public struct FaceSource: Sendable {
    public let cacheKey: String
    /// Human-readable name stored with every crop's provenance.
    public let detectorName: String
    /// Builds one detector per worker thread; nil means "the whole photo is the face".
    public let makeDetector: (@Sendable () throws -> any FaceDetector)?
    /// The photos are face crops: the whole image is the face (its detector, if any, only
    /// finds landmarks), so "tiny face" warnings make no sense.
    public let wholeImage: Bool

    public init(cacheKey: String, detectorName: String, wholeImage: Bool = false,
                makeDetector: (@Sendable () throws -> any FaceDetector)?) {
        self.cacheKey = cacheKey
        self.detectorName = detectorName
        self.wholeImage = wholeImage || makeDetector == nil
        self.makeDetector = makeDetector
    }

    /// OpenCV's Haar cascade with the foundation's presets (`original` = the write-up's
    /// scaleFactor 1.1, minNeighbors 1, minSize 1).
    public static func haar(_ preset: HaarPreset) -> FaceSource {
        FaceSource(cacheKey: "haar-\(preset.rawValue)-v2", detectorName: "haar-\(preset.rawValue)") {
            try HaarDetector(preset: preset)
        }
    }

    /// OpenCV's YuNet DNN detector (face_detection_yunet_2022mar.onnx).
    public static func yunet(modelPath: String, scoreThreshold: Float = 0.9) -> FaceSource {
        // v3: boxes carry YuNet's landmarks.
        FaceSource(cacheKey: "yunet-\(scoreThreshold)-v3", detectorName: "yunet") {
            try YuNetDetector(modelPath: modelPath, scoreThreshold: scoreThreshold)
        }
    }

    /// Photos that are already face crops (kpop-crops14): the whole image is the face.
    public static let alreadyCropped = FaceSource(cacheKey: "whole-image-v2", detectorName: "already-cropped", makeDetector: nil)

    /// Already-cropped photos whose landmarks YuNet finds (`WholeImageDetector`), so that they can
    /// be aligned for backends that take aligned crops.
    public static func alreadyCropped(landmarksFrom yunetModelPath: String) -> FaceSource {
        FaceSource(cacheKey: "whole-image-landmarks-v3", detectorName: "already-cropped", wholeImage: true) {
            WholeImageDetector(landmarks: try YuNetDetector(modelPath: yunetModelPath))
        }
    }

    /// Any detector, e.g. `FakeFaceDetector` in tests; `cacheKey` must change when its boxes do.
    public static func custom(cacheKey: String, detector: any FaceDetector) -> FaceSource {
        FaceSource(cacheKey: cacheKey, detectorName: detector.name) { detector }
    }
}
