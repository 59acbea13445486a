import Foundation

/// Why `FaceModels.resolve` found no file to give OpenCV, as a message that names the file and
/// what to do.
public struct FaceModelError: Error, CustomStringConvertible, Sendable {
    public enum Reason: Sendable {
        case missing
        case notAFile
        case unreadable(String)
        /// Its SHA-256 is none we know.
        case unknownChecksum(sha256: String, byteCount: Int)
        /// A known file, of the other kind (YuNet passed where SFace is wanted).
        case otherKind(KnownModelFile)
        /// No known file in the folders searched; `ignored` are files that look like model files
        /// (an .onnx name) but whose bytes are not known ones.
        case notFound(searched: [URL], ignored: [Ignored])
    }

    public struct Ignored: Sendable, Equatable {
        public let file: URL
        public let sha256: String
    }

    public let kind: FaceModelKind
    /// The file the message is about (nil for `notFound`).
    public let file: URL?
    public let reason: Reason

    public var description: String {
        let name = kind.displayName
        let path = file?.path ?? ""
        switch reason {
        case .missing:
            return "\(path) does not exist (the \(name) model file)"
        case .notAFile:
            return "\(path) is not a file (the \(name) model file)"
        case .unreadable(let why):
            return "cannot read \(path): \(why)"
        case .unknownChecksum(let digest, let size):
            return "\(path) (\(size) bytes) has SHA-256 \(digest), which is not a known \(name) file; "
                + "pass --allow-unverified-model to use it anyway"
        case .otherKind(let known):
            return "\(path) is the known \(known.kind.displayName) file \(known.fileName); it cannot serve as the \(name) model"
        case .notFound(let searched, let ignored):
            var text = "no \(name) model file found: looked in \(searched.map(\.path).joined(separator: " and ")) "
                + "for a file with a known SHA-256 (any name); get it with: tribelens-cli weights fetch \(kind.rawValue)"
            if !ignored.isEmpty {
                text += "; ignored " + ignored.map { "\($0.file.path) (SHA-256 \($0.sha256), not a known \(name) file)" }
                    .joined(separator: ", ")
            }
            return text
        }
    }
}
