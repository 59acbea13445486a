/// Anything that finds faces in an image. Implementations must be safe to call from several
/// threads at once (training extraction uses both cores).
public protocol FaceDetector: Sendable {
    /// A short name for provenance and reports, e.g. "haar-default" or "yunet".
    var name: String { get }
    func detect(in image: RGBImage) throws -> [FaceBox]
}
