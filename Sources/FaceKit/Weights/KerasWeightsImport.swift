import Foundation
import SafeFiles
#if canImport(Glibc)
import Glibc
#endif

/// Decides which file a plugin may read in-process for a Keras .h5 the user names: libhdf5 is
/// not hardened against hostile files (a spliced file crashed it in memcpy, one with 40 zeroed
/// bytes made it spin for minutes), so only the published VGG16 file is read directly. Any
/// other file is read once by `tribelens-convert keras-h5` in a child process with a time and a
/// memory limit and converted to a safetensors file in `weights/converted/`, named by the
/// source's SHA-256, which the app then owns and reads instead (docs/reliability.md).
public enum KerasWeightsImport {
    /// Reading the 58 MB VGG16 file takes about a second; 60 s is a hang, not a slow disk.
    /// It holds the file's 15 M weights two or three times over (about 200 MB).
    public static let defaultLimits = IsolatedRun.Limits(seconds: 60, memoryMB: 1024)

    /// What `tribelens-convert keras-h5` prints.
    struct Report: Decodable {
        var converted: Bool
        /// Why not (KerasWeights' message, naming the file).
        var message: String?
        /// Weight arrays written.
        var weights: Int?
    }

    public struct Failure: Error, CustomStringConvertible, Equatable, Sendable {
        public var description: String
    }

    public static var convertedFolder: URL { WeightsLocator.ownFolder.appendingPathComponent("converted", isDirectory: true) }

    /// `url` itself when it is the published file of `official` (its size and the checksum the
    /// publisher gives), or when it is a copy this app converted; otherwise its converted copy,
    /// made now in a child process when there is none yet. Call it off the GTK thread: the first
    /// conversion of a 58 MB file takes a second or two.
    public static func safeFile(for url: URL, official: PretrainedWeights = .vgg16, folder: URL = convertedFolder,
                                runner: IsolatedRun? = HelperExecutable.runner(HelperExecutable.converter),
                                limits: IsolatedRun.Limits = defaultLimits) throws(Failure) -> URL {
        let path = url.path
        func failure(_ text: String) -> Failure { Failure(description: "cannot use the weights file \(path): \(text)") }
        var info = stat()
        guard stat(path, &info) == 0 else { throw failure("it cannot be read") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw failure("it is not a regular file") }
        if url.standardizedFileURL.deletingLastPathComponent().resolvingSymlinksInPath().path
            == folder.standardizedFileURL.resolvingSymlinksInPath().path {
            return url  // converted by this app
        }
        if Int(info.st_size) == official.byteCount, WeightsLocator.check(url, against: official) == .verified {
            return url
        }
        guard let sha256 = try? ContentHash.sha256(ofFile: url) else { throw failure("it cannot be read") }
        let converted = folder.appendingPathComponent("\(sha256).safetensors")
        if FileManager.default.isReadableFile(atPath: converted.path) { return converted }
        guard let runner else {
            throw failure("it is not the published \(official.fileName), and \(HelperExecutable.converter), which reads other files "
                          + "in a separate process, is not installed (looked for \(HelperExecutable.places(HelperExecutable.converter).joined(separator: ", ")))")
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw failure("cannot create \(folder.path): \(error.localizedDescription)")
        }
        let temporary = folder.appendingPathComponent(".\(sha256).safetensors.tmp-\(getpid())-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let outcome = runner.run(["keras-h5", path, temporary.path], limits: limits)
        let report = try? JSONDecoder().decode(Report.self, from: outcome.stdout)
        if let problem = outcome.failure(limits: limits) {
            switch problem {
            case .timedOut, .outOfMemory:
                throw failure("reading it \(problem) (in a separate process, which was stopped)")
            case .crashed:
                throw failure("libhdf5 \(problem) while reading it (in a separate process; the file is damaged or hostile)")
            case .exited, .notStarted:
                throw failure("\(HelperExecutable.converter) \(problem) while reading it\(outcome.lastWords.isEmpty ? "" : ": \(outcome.lastWords)")")
            }
        }
        guard let report else { throw failure("\(HelperExecutable.converter) gave no report") }
        guard report.converted else { throw failure(report.message ?? "it is not a Keras weights file") }
        do {
            try AtomicFile.publish(temporary, as: converted)
        } catch {
            throw failure("\(error)")
        }
        return converted
    }
}
