import Foundation
import SafeFiles

/// Finds and checks the ONNX files handed to OpenCV (SFace, YuNet). OpenCV's ONNX importer is not
/// hardened against hostile input, so a file is used only when its SHA-256 is a known one
/// (`KnownModelFile.known`: the published ones and those the user approved), or when the user explicitly allows an unverified file they named.
/// Files are recognised by their bytes, never by their name: a renamed copy is found, and a
/// file with the right name but other bytes is not used.
///
/// The check happens before OpenCV opens the file; whoever can rewrite the file between the two
/// can already write the user's data folder, which is outside what this guards against.
public enum FaceModels {
    /// Resolves the file to use: `path` when given (must exist and have a known checksum for
    /// `kind`, unless `allowUnverified`), else the first file in `kind.searchFolders`
    /// (`$XDG_DATA_HOME/tribelens/weights/`, and for YuNet also `.../detectors/`) whose SHA-256 is
    /// a known one for `kind`, whatever its name. `allowUnverified` only applies to an explicit
    /// `path`: a search never picks up an unknown file.
    public static func resolve(_ kind: FaceModelKind, path: String? = nil, allowUnverified: Bool = false) throws -> URL {
        if let path {
            return try checkExplicit(URL(fileURLWithPath: path), kind: kind, allowUnverified: allowUnverified)
        }
        var suspects: [URL] = []
        let known = KnownModelFile.known
        let kindSizes = Set(known.filter { $0.kind == kind }.map(\.byteCount))
        let otherSizes = Set(known.filter { $0.kind != kind }.map(\.byteCount))
        for folder in kind.searchFolders {
            for file in candidates(in: folder) {
                let size = byteCount(file) ?? -1
                if kindSizes.contains(size), let known = identify(file), known.kind == kind { return file }
                // Sized like the other kind's file: most likely that file, and not worth hashing
                // (looking for YuNet at start-up must not read 40 MB of SFace).
                let likelyOtherKind = otherSizes.contains(size) && !kindSizes.contains(size)
                if !likelyOtherKind, looksLikeModel(file, kind: kind) { suspects.append(file) }
            }
        }
        // Hashed only now, for the message: a search that succeeds never reads them.
        let ignored = suspects.compactMap { file in (try? sha256(ofFile: file)).map { FaceModelError.Ignored(file: file, sha256: $0) } }
        throw FaceModelError(kind: kind, file: nil, reason: .notFound(searched: kind.searchFolders, ignored: ignored))
    }

    /// The known-file entry a file matches (nil: unknown, or unreadable). Only a file whose size
    /// is a known one is hashed; digests are cached by path, inode, size and times.
    public static func identify(_ url: URL) -> KnownModelFile? {
        let known = KnownModelFile.known
        guard let size = byteCount(url), known.contains(where: { $0.byteCount == size }),
              let digest = try? sha256(ofFile: url) else { return nil }
        return known.first { $0.byteCount == size && $0.sha256 == digest }
    }

    /// Lower-case hex SHA-256 of a file, streamed, and cached as `identify` caches it.
    public static func sha256(ofFile url: URL) throws -> String {
        try cache.sha256(ofFile: url)
    }

    /// A file in the face-model folders, for `weights list`.
    public struct Installed: Sendable, Equatable {
        public let url: URL
        public let byteCount: Int
        /// The known file it is; nil when its bytes are not known ones.
        public let known: KnownModelFile?
        /// Computed for unknown files (to say what they are); nil for known ones.
        public let sha256: String?
    }

    /// Every known face-model file in the search folders, whatever its name, and the files that
    /// look like model files (an .onnx name) but are not known ones.
    public static func installed() -> [Installed] {
        var folders: [URL] = []
        for folder in FaceModelKind.allCases.flatMap(\.searchFolders) where !folders.contains(folder) { folders.append(folder) }
        return folders.flatMap { folder in
            candidates(in: folder).compactMap { file -> Installed? in
                let size = byteCount(file) ?? -1
                if let known = identify(file) { return Installed(url: file, byteCount: size, known: known, sha256: nil) }
                guard FaceModelKind.allCases.contains(where: { looksLikeModel(file, kind: $0) }) else { return nil }
                return Installed(url: file, byteCount: size, known: nil, sha256: try? sha256(ofFile: file))
            }
        }
    }

    /// Copies a model file the user chose into the weights folder (atomically), where searches
    /// find it. A file whose checksum is not a known one is refused unless `approveUnknown`
    /// (the user's confirmation), which also records its checksum as approved for `kind`.
    @discardableResult
    public static func install(_ file: URL, kind: FaceModelKind, approveUnknown: Bool = false) throws -> URL {
        let checked = try checkExplicit(file, kind: kind, allowUnverified: approveUnknown)
        let folder = AppPaths.dataHome.appendingPathComponent("weights", isDirectory: true)
        let destination = folder.appendingPathComponent(checked.lastPathComponent)
        if identify(checked) == nil {
            try FaceModelApprovals.approve(kind: kind, fileName: checked.lastPathComponent, byteCount: byteCount(checked) ?? -1,
                                           sha256: try sha256(ofFile: checked))
        }
        guard checked.standardizedFileURL.path != destination.standardizedFileURL.path else { return destination }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try AtomicFile.write(try Data(contentsOf: checked, options: .alwaysMapped), to: destination)
        return destination
    }

    /// What an unknown file most likely is, by size: YuNet is under 1 MB, SFace about 38 MB.
    public static func likelyKind(_ url: URL) -> FaceModelKind {
        (byteCount(url) ?? 0) < 5_000_000 ? .yunet : .sface
    }

    static let cache = FileDigestCache(store: { FileDigestCache.standardStore })

    private static func checkExplicit(_ url: URL, kind: FaceModelKind, allowUnverified: Bool) throws -> URL {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw FaceModelError(kind: kind, file: url, reason: .missing)
        }
        // A folder, or a FIFO that would block the hash (and OpenCV) forever.
        guard isRegularFile(url) else { throw FaceModelError(kind: kind, file: url, reason: .notAFile) }
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw FaceModelError(kind: kind, file: url, reason: .unreadable("permission denied"))
        }
        if allowUnverified { return url }
        if let known = identify(url) {
            guard known.kind == kind else { throw FaceModelError(kind: kind, file: url, reason: .otherKind(known)) }
            return url
        }
        let digest: String
        do {
            digest = try sha256(ofFile: url)
        } catch {
            throw FaceModelError(kind: kind, file: url, reason: .unreadable(error.localizedDescription))
        }
        throw FaceModelError(kind: kind, file: url, reason: .unknownChecksum(sha256: digest, byteCount: byteCount(url) ?? -1))
    }

    /// Regular files in `folder`, the known names first (the likely match, found without hashing
    /// the others), then by name so the choice does not depend on the directory order.
    /// Hidden files and unfinished downloads (`.part`) are skipped.
    private static func candidates(in folder: URL) -> [URL] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        let knownNames = Set(KnownModelFile.known.map(\.fileName))
        return names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".part") }
            .sorted { (knownNames.contains($0) ? 0 : 1, $0) < (knownNames.contains($1) ? 0 : 1, $1) }
            .map { folder.appendingPathComponent($0) }
            .filter(isRegularFile)
    }

    /// A regular file, through symbolic links (a link to a model kept elsewhere counts).
    private static func isRegularFile(_ url: URL) -> Bool {
        var info = stat()
        return stat(url.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Worth naming in a message when it is not a known file: a known file name of that kind,
    /// or any .onnx file.
    private static func looksLikeModel(_ url: URL, kind: FaceModelKind) -> Bool {
        url.pathExtension.lowercased() == "onnx"
            || KnownModelFile.known.contains { $0.kind == kind && $0.fileName == url.lastPathComponent }
    }

    /// The size of the file itself, through symbolic links (FileManager's attributes describe
    /// the link).
    private static func byteCount(_ url: URL) -> Int? {
        var info = stat()
        return stat(url.path, &info) == 0 ? Int(info.st_size) : nil
    }
}
