/// Anything that finds faces in an image. Implementations must be safe to call from several
/// threads at once (training extraction uses both cores).
public protocol FaceDetector: Sendable {
    /// A short name for provenance and reports, e.g. "haar-default" or "yunet".
    var name: String { get }
    func detect(in image: RGBImage) throws -> [FaceBox]
    /// The longer side the detector shrinks photos to before searching (nil: it searches the
    /// photo at full size). A photo is decoded at the largest reduction that keeps at least this
    /// (`FoundFaces`), so the detector sees what it would have made from the full-size photo.
    var workingLongSide: Int? { get }
}

extension FaceDetector {
    public var workingLongSide: Int? { nil }
}
