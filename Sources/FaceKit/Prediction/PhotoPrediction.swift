/// One face of a photo with its answer.
public struct PredictedFace: Codable, Sendable, Equatable {
    public var box: FaceBox
    public var label: FaceLabel
}

/// Photo -> faces -> labels, preparing each face exactly as the dataset pipeline prepared the
/// training crops (the detector's box, clamped to the photo, resized to 64x64), so predictions
/// see what training saw.
public enum PhotoPrediction {
    /// - Parameter detector: nil means the whole photo is one face (photos that are crops).
    public static func predict(image: RGBImage, detector: (any FaceDetector)?, predictor: FacePredictor) throws -> [PredictedFace] {
        var boxes = try detector.map { try $0.detect(in: image) } ?? [FaceBox(x: 0, y: 0, width: image.width, height: image.height)]
        boxes = boxes.filter {
            $0.width > 0 && $0.height > 0 && $0.x < image.width && $0.y < image.height && $0.x + $0.width > 0 && $0.y + $0.height > 0
        }
        guard !boxes.isEmpty else { return [] }
        var pixels: [UInt8] = []
        pixels.reserveCapacity(boxes.count * ImageLayout.bytes)
        for box in boxes {
            pixels += try image.cropped(to: box).resized(width: ImageLayout.side, height: ImageLayout.side).pixels
        }
        let labels = try predictor.labelFaces(pixels: pixels, count: boxes.count)
        return zip(boxes, labels).map { PredictedFace(box: $0, label: $1) }
    }
}

/// The detectors a model's `preprocessing.detector` can name (the dataset pipeline's names).
public enum PredictionDetector {
    public static let names = ["haar-original", "haar-default", "yunet", "already-cropped"]

    /// nil for "already-cropped" (the whole photo is the face).
    public static func make(named name: String, yunetModel: String? = nil) throws -> (any FaceDetector)? {
        switch name {
        case "already-cropped", "whole-image": return nil
        case "yunet":
            guard let path = yunetModel ?? YuNetModelLocator.find() else {
                throw BackendError(.invalidArgument, "YuNet needs \(YuNetModelLocator.fileName): pass its path or put it in "
                                   + YuNetModelLocator.searchFolders.map(\.path).joined(separator: " or "))
            }
            return try YuNetDetector(modelPath: path)
        default:
            if name.hasPrefix("haar-"), let preset = HaarPreset(rawValue: String(name.dropFirst(5))) {
                return try HaarDetector(preset: preset)
            }
            throw BackendError(.invalidArgument, "unknown detector \"\(name)\"; use one of \(names.joined(separator: ", "))")
        }
    }
}
