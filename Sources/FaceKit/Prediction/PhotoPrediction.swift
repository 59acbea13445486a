/// One face of a photo with its answer.
public struct PredictedFace: Codable, Sendable, Equatable {
    public var box: FaceBox
    public var label: FaceLabel
}

/// Photo -> faces -> labels, preparing each face exactly as the dataset pipeline prepared the
/// training crops (`FaceCrops` with the model's input), so predictions see what training saw.
/// The app and `tribelens-cli predict` both call this.
public enum PhotoPrediction {
    /// - Parameter detector: the model's (`FacePredictor.makeDetector`); nil means the whole
    ///   photo is one face.
    public static func predict(image: RGBImage, detector: (any FaceDetector)?, predictor: FacePredictor) throws -> [PredictedFace] {
        let boxes = try FaceFinder.faces(in: image, detector: detector)
        guard !boxes.isEmpty else { return [] }
        let pixels = try FaceCrops.make(predictor.input, faces: boxes, in: image)
        let labels = try predictor.labelFaces(pixels: pixels, count: boxes.count, boxes: boxes)
        return zip(boxes, labels).map { PredictedFace(box: $0, label: $1) }
    }

    /// The same for a photo file, found as `FoundFaces` finds faces (decoded at the detector's
    /// size, cropped from full-size regions); boxes in full-size upright pixels.
    public static func predict(found: FoundFaces, predictor: FacePredictor) throws -> [PredictedFace] {
        guard !found.faces.isEmpty else { return [] }
        let pixels = try FaceCrops.make(predictor.input, faces: found.faces, from: found.pixels)
        let labels = try predictor.labelFaces(pixels: pixels, count: found.faces.count, boxes: found.faces)
        return zip(found.faces, labels).map { PredictedFace(box: $0, label: $1) }
    }

    /// `FaceFinder.faces`: the detector's boxes that still hold pixels of the photo (nil
    /// detector: the whole photo). Kept here for the app's photo analysis, which calls it by this name.
    public static func faces(in image: RGBImage, detector: (any FaceDetector)?) throws -> [FaceBox] {
        try FaceFinder.faces(in: image, detector: detector)
    }
}

/// The detectors a model's `preprocessing.detector` can name (the dataset pipeline's names).
public enum PredictionDetector {
    public static let names = ["haar-original", "haar-default", "yunet", "already-cropped"]

    /// "already-cropped" takes the whole photo as the face, with YuNet's landmarks on it when
    /// `landmarks` is set (models that take aligned faces).
    public static func make(named name: String, yunetModel: String? = nil, allowUnverified: Bool = false,
                            landmarks: Bool = false) throws -> any FaceDetector {
        switch name {
        case "already-cropped", "whole-image":
            guard landmarks else { return WholeImageDetector(landmarks: nil) }
            return WholeImageDetector(landmarks: try yunet(yunetModel, allowUnverified: allowUnverified))
        case "yunet":
            return try yunet(yunetModel, allowUnverified: allowUnverified)
        default:
            if name.hasPrefix("haar-"), let preset = HaarPreset(rawValue: String(name.dropFirst(5))) {
                return try HaarDetector(preset: preset)
            }
            throw BackendError(.invalidArgument, "unknown detector \"\(name)\"; use one of \(names.joined(separator: ", "))")
        }
    }

    private static func yunet(_ explicit: String?, allowUnverified: Bool) throws -> YuNetDetector {
        let path: String
        if let explicit {
            path = try FaceModels.resolve(.yunet, path: explicit, allowUnverified: allowUnverified).path
        } else {
            guard let found = YuNetModelLocator.find() else {
                throw BackendError(.invalidArgument, "YuNet needs \(YuNetModelLocator.fileName): pass its path or put it in "
                                   + YuNetModelLocator.searchFolders.map(\.path).joined(separator: " or ")
                                   + "; `tribelens-cli weights fetch yunet` gets it")
            }
            path = found
        }
        return try YuNetDetector(modelPath: path)
    }
}
