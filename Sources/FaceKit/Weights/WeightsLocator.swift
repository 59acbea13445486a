import Foundation

/// Where pretrained weights are looked for, in order: an explicit path, Keras' own cache
/// (`~/.keras/models/`, so anyone who has run Keras already has them), then ours.
public enum WeightsLocator {
    public struct Found: Sendable, Equatable {
        public enum Check: Sendable, Equatable {
            case verified
            case wrongSize(Int)
            case wrongChecksum(String)
        }
        public let weights: PretrainedWeights
        public let url: URL
        public let check: Check
    }

    public static var kerasCache: URL {
        let home = ProcessInfo.processInfo.environment["HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".keras/models", isDirectory: true)
    }

    public static var ownFolder: URL { AppPaths.dataHome.appendingPathComponent("weights", isDirectory: true) }

    public static var searchFolders: [URL] { [kerasCache, ownFolder] }

    /// The first copy of `weights` in the search folders, by name (not checked; see `check`);
    /// for VGG16 with none there, the converted copy of the file the user chose
    /// (`ChosenKerasWeights`).
    public static func find(_ weights: PretrainedWeights) -> URL? {
        searchFolders.map { $0.appendingPathComponent(weights.fileName) }
            .first { FileManager.default.isReadableFile(atPath: $0.path) }
            ?? (weights == .vgg16 ? ChosenKerasWeights.chosen()?.file : nil)
    }

    /// Every installed copy of every known weights file found by name, each checked by size and
    /// checksum. The face models are found by their bytes instead (`FaceModels.installed()`), so
    /// they are not listed here.
    public static func list() -> [Found] {
        PretrainedWeights.all.filter { $0.faceModelKind == nil }.flatMap { weights in
            searchFolders.map { $0.appendingPathComponent(weights.fileName) }
                .filter { FileManager.default.isReadableFile(atPath: $0.path) }
                .map { Found(weights: weights, url: $0, check: check($0, against: weights)) }
        }
    }

    public static func check(_ url: URL, against weights: PretrainedWeights) -> Found.Check {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? -1
        guard size == weights.byteCount else { return .wrongSize(size) }
        let digest = (try? weights.checksum.digest(ofFile: url)) ?? "unreadable"
        return digest == weights.checksum.hex ? .verified : .wrongChecksum(digest)
    }
}
