import Foundation
import SafeFiles

/// VGG16's ImageNet weights from a file the user already has, for when the download cannot be
/// made (the training panel's Choose File…). The published file (its size and MD5) is copied
/// into `weights/` under its official name, where `WeightsLocator` finds it as if downloaded.
/// Any other .h5 goes through `KerasWeightsImport`: converted in a child process into
/// `weights/converted/SHA256.safetensors`, and that copy is recorded in
/// `weights/chosen-vgg16.json` so that `WeightsLocator.find(.vgg16)` (and so training, the
/// panel's and `tribelens-cli train`'s) uses it when no published file is installed.
public enum ChosenKerasWeights {
    public enum Installed: Sendable, Equatable {
        /// The published file, now in `weights/` under its official name.
        case published(URL)
        /// Another .h5, converted; the copy training reads and the file it came from.
        case converted(URL, source: URL)

        public var file: URL {
            switch self {
            case .published(let url), .converted(let url, _): return url
            }
        }
    }

    private struct Record: Codable {
        /// The converted copy's name in `weights/converted/`.
        var file: String
        /// The file it was converted from (shown to the user; never read again).
        var source: String
    }

    public static var recordFile: URL { WeightsLocator.ownFolder.appendingPathComponent("chosen-vgg16.json") }

    /// Installs `url` as described above. Off the GTK thread: it hashes the file and may start
    /// a child process. Errors name the file.
    public static func install(_ url: URL, runner: IsolatedRun? = HelperExecutable.runner(HelperExecutable.converter),
                               limits: IsolatedRun.Limits = KerasWeightsImport.defaultLimits)
        throws(KerasWeightsImport.Failure) -> Installed {
        let official = PretrainedWeights.vgg16
        let folder = WeightsLocator.ownFolder
        func failure(_ text: String) -> KerasWeightsImport.Failure {
            KerasWeightsImport.Failure(description: "cannot use the weights file \(url.path): \(text)")
        }
        if WeightsLocator.check(url, against: official) == .verified {
            let target = folder.appendingPathComponent(official.fileName)
            if url.standardizedFileURL.resolvingSymlinksInPath() == target.standardizedFileURL.resolvingSymlinksInPath() {
                return .published(target)
            }
            do {
                try AtomicFile.write(to: target, createFolder: true) { temporary in
                    try FileManager.default.removeItem(at: temporary)
                    try FileManager.default.copyItem(at: url, to: temporary)
                }
            } catch {
                throw failure("cannot copy it into \(folder.path): \(error)")
            }
            return .published(target)
        }
        let converted = try KerasWeightsImport.safeFile(for: url, official: official, runner: runner, limits: limits)
        let record = Record(file: converted.lastPathComponent, source: url.standardizedFileURL.path)
        do {
            try AtomicFile.write(try JSONEncoder().encode(record), to: recordFile, createFolder: true)
        } catch {
            throw failure("cannot record the choice in \(recordFile.path): \(error)")
        }
        return .converted(converted, source: url.standardizedFileURL)
    }

    /// The converted copy the user chose last, while it is still there; nil otherwise (no
    /// choice, an unreadable record, or a record naming anything but a file in `converted/`).
    public static func chosen() -> Installed? {
        guard let data = try? Data(contentsOf: recordFile),
              let record = try? JSONDecoder().decode(Record.self, from: data),
              !record.file.contains("/"), record.file.hasSuffix(".safetensors") else { return nil }
        let file = KerasWeightsImport.convertedFolder.appendingPathComponent(record.file)
        guard FileManager.default.isReadableFile(atPath: file.path) else { return nil }
        return .converted(file, source: URL(fileURLWithPath: record.source))
    }
}
