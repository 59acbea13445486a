import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a safe file operation failed: the step, the file, and the system's reason, so each caller
/// can word its own message ("cannot save curves.png in /x: Permission denied").
public struct SafeFileError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    public enum Step: String, Sendable {
        /// The path names no file ("/", "", "..").
        case noFileName
        /// The folder the file goes in does not exist (or is not a folder).
        case missingFolder
        /// A missing folder could not be created (`createFolder`).
        case createFolder
        /// The temporary file could not be created in the folder (no permission, read-only).
        case createTemporary
        case write
        case sync
        case rename
    }

    public let step: Step
    /// The file being written or replaced (for a rename, the target).
    public let path: String
    /// For a rename: the file or folder that was to be moved.
    public let source: String?
    /// The system's reason alone ("Permission denied", "No space left on device").
    public let reason: String
    /// errno, or 0 when the reason is not the system's.
    public let code: Int32

    public init(_ step: Step, path: String, source: String? = nil, reason: String, code: Int32) {
        self.step = step
        self.path = path
        self.source = source
        self.reason = reason
        self.code = code
    }

    /// From the current `errno`.
    init(_ step: Step, path: String, source: String? = nil) {
        let code = errno
        self.init(step, path: path, source: source, reason: String(cString: strerror(code)), code: code)
    }

    /// The folder `path` is in.
    public var folder: String { (path as NSString).deletingLastPathComponent }

    /// What `localizedDescription` shows (Foundation's default on Linux names only the type).
    public var errorDescription: String? { description }

    public var description: String {
        switch step {
        case .noFileName: "cannot write to \(path): no file name"
        case .missingFolder: "cannot write \(path): the folder \(folder) does not exist"
        case .createFolder: "cannot create the folder for \(path): \(reason)"
        case .createTemporary: "cannot write \((path as NSString).lastPathComponent) in \(folder): \(reason)"
        case .rename: "cannot rename \(source ?? "a temporary file") to \(path): \(reason)"
        case .write, .sync: "cannot write \(path): \(reason)"
        }
    }
}
