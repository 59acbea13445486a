/// The faces of one photo file, found the way every pipeline finds them (`tribelens-cli detect`,
/// `predict`, dataset extraction, the app's analysis): decoded at the size the detector works at
/// (`FaceDetector.workingLongSide`: JPEG by DCT scaling, other formats reduced once, EXIF
/// orientation applied), searched there, and the boxes and landmarks given in full-size upright
/// pixels; the crops then come from that decode where it holds a face at the crop's resolution,
/// else from full-size pixels around each face only (`pixels`, `FaceCrops`).
public struct FoundFaces {
    /// The decode the detector searched (`decoded.reduction` a side smaller than the photo).
    public var decoded: DecodedPhoto
    /// Boxes in the photo's full-size upright pixels.
    public var faces: [FaceBox]
    /// Full-size pixels for the crops: `decoded.image` when it is full size, else regions from the file.
    public var pixels: any FullSizePixels

    /// `minimumLongSide`: a longer side the caller needs besides the detector's (the app's
    /// preview). A detector that searches at full size (Haar `original`) and no detector (the
    /// whole photo is the face) get the full size, reduced only when it does not fit the memory
    /// budget or the pixel limit.
    public static func find(in photo: EncodedPhoto, loader: PhotoLoader, detector: (any FaceDetector)?,
                            minimumLongSide: Int? = nil) throws -> FoundFaces {
        try loader.withPhoto(photo, minimumLongSide: decodeSide(detector, minimumLongSide: minimumLongSide)) { decoded in
            let faces = try FaceFinder.faces(in: decoded, detector: detector)
            return FoundFaces(decoded: decoded, faces: faces, pixels: loader.fullSizePixels(decoded, of: photo))
        }
    }

    /// The longer side to decode at for `detector` (`PhotoLoader.decode(_:minimumLongSide:)`).
    public static func decodeSide(_ detector: (any FaceDetector)?, minimumLongSide: Int? = nil) -> Int {
        max(detector?.workingLongSide ?? Int.max, minimumLongSide ?? 0)
    }
}
