import ArgumentParser
import FaceKit
import Foundation

/// The flag shared by the commands that hand an SFace or YuNet file to OpenCV (detect, dataset,
/// train, predict). A file the user names is refused unless its SHA-256 is a known
/// one, because OpenCV's ONNX importer is not hardened against hostile files; this flag is the
/// user saying "use it anyway". It never makes a search pick up an unknown file.
struct FaceModelOptions: ParsableArguments {
    @Flag(help: "Use a model file given by path even when its SHA-256 is not a known one (OpenCV's ONNX reader is not hardened against hostile files).")
    var allowUnverifiedModel = false

    /// `path`, checked, or the installed known file; a `FaceModelError` becomes a usage error.
    func resolve(_ kind: FaceModelKind, path: String?) throws -> URL {
        do {
            return try FaceModels.resolve(kind, path: path, allowUnverified: allowUnverifiedModel)
        } catch let error as FaceModelError {
            throw ValidationError(error.description)
        }
    }
}
