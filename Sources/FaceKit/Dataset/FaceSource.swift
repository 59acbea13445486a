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

    public init(cacheKey: String, detectorName: String, makeDetector: (@Sendable () throws -> any FaceDetector)?) {
        self.cacheKey = cacheKey
        self.detectorName = detectorName
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
        FaceSource(cacheKey: "yunet-\(scoreThreshold)-v2", detectorName: "yunet") {
            try YuNetDetector(modelPath: modelPath, scoreThreshold: scoreThreshold)
        }
    }

    /// Photos that are already face crops (kpop-crops14): the whole image is resized to 64x64.
    public static let alreadyCropped = FaceSource(cacheKey: "whole-image-v2", detectorName: "already-cropped", makeDetector: nil)

    /// Any detector, e.g. `FakeFaceDetector` in tests; `cacheKey` must change when its boxes do.
    public static func custom(cacheKey: String, detector: any FaceDetector) -> FaceSource {
        FaceSource(cacheKey: cacheKey, detectorName: detector.name) { detector }
    }
}
