/// The faces a photo gives every pipeline (dataset extraction, prediction, the app's analysis),
/// so they all find the same ones: the detector's boxes that still hold pixels of the photo, or
/// with no detector the whole photo as one face.
public enum FaceFinder {
    public static func faces(in image: RGBImage, detector: (any FaceDetector)?) throws -> [FaceBox] {
        let boxes = try detector.map { try $0.detect(in: image) } ?? [FaceBox(x: 0, y: 0, width: image.width, height: image.height)]
        return boxes.filter {
            $0.width > 0 && $0.height > 0 && $0.x < image.width && $0.y < image.height && $0.x + $0.width > 0 && $0.y + $0.height > 0
        }
    }

    /// The faces of a (possibly reduced) decode, in the photo's full-size upright pixels.
    public static func faces(in photo: DecodedPhoto, detector: (any FaceDetector)?) throws -> [FaceBox] {
        guard detector != nil else { return [FaceBox(x: 0, y: 0, width: photo.fullWidth, height: photo.fullHeight)] }
        return try faces(in: photo.image, detector: detector).map(photo.fullSizeBox)
    }
}
