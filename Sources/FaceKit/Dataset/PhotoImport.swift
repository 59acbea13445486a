import Foundation

/// A photo root scanned against a roster: one sub-folder per member, matched by the member's id
/// or any of its names. Nothing is fatal here: unmatched and empty folders, loose files and
/// non-photo files are collected for the health report. The folders are only read.
public struct PhotoImport: Sendable {
    public struct Photo: Sendable, Hashable {
        /// Path relative to the photo root, with '/' separators (what reports and manifests show).
        public var relativePath: String
        public var url: URL
        /// The member whose folder holds the photo.
        public var memberID: String
    }

    public struct MemberFolder: Sendable {
        public var memberID: String
        public var folderName: String
        public var photoCount: Int
    }

    public var root: URL
    public var photos: [Photo]
    public var memberFolders: [MemberFolder]
    /// Sub-folders whose name matches no member.
    public var unmatchedFolders: [String]
    /// Matched folders without any photo file.
    public var emptyFolders: [String]
    /// Files that are not photos by their name, or that lie outside member folders: (path, reason).
    public var skippedFiles: [(path: String, reason: String)]

    public enum ImportError: Error, CustomStringConvertible {
        case notAFolder(String)
        public var description: String {
            switch self { case .notAFolder(let path): return "\(path): not a folder of photo folders" }
        }
    }

    /// Scans `root` (recursively inside each member folder; hidden files are ignored).
    public static func scan(root: URL, roster: Roster) throws -> PhotoImport {
        // POSIX walk (PhotoTree): names need not be UTF-8, and member folders may be symbolic
        // links to folders elsewhere (photo libraries); each one's target is its own root.
        guard PhotoTree.entry(root, name: root.lastPathComponent).kind == .folder, let entries = PhotoTree.list(root) else {
            throw ImportError.notAFolder(root.path)
        }
        let root = root.standardizedFileURL
        var result = PhotoImport(root: root, photos: [], memberFolders: [], unmatchedFolders: [], emptyFolders: [], skippedFiles: [])
        for entry in entries.sorted(by: { $0.name < $1.name }) {
            let name = entry.name
            guard entry.kind == .folder else {
                result.skippedFiles.append((name, Self.reason(entry) ?? "not inside a member folder"))
                continue
            }
            guard let member = roster.member(matchingFolder: name) else {
                result.unmatchedFolders.append(name)
                continue
            }
            var count = 0
            let walk = PhotoTree.files(under: root.appendingPathComponent(name, isDirectory: true), roots: [root])
            for file in walk.items.sorted(by: { $0.relativePath < $1.relativePath }) {
                let relative = name + "/" + file.relativePath
                let url = file.url.standardizedFileURL
                if PhotoFiles.extensions.contains(url.pathExtension.lowercased()) {
                    result.photos.append(Photo(relativePath: relative, url: url, memberID: member.id))
                    count += 1
                } else {
                    result.skippedFiles.append((relative, "not a photo file (\(url.pathExtension.isEmpty ? "no extension" : "." + url.pathExtension))"))
                }
            }
            result.skippedFiles += walk.problems.map { (name + "/" + $0.path, $0.reason) }
            result.memberFolders.append(MemberFolder(memberID: member.id, folderName: name, photoCount: count))
            if count == 0 { result.emptyFolders.append(name) }
        }
        return result
    }

    /// Why a top-level entry that is not a folder is skipped, when it is a broken or looping link.
    private static func reason(_ entry: PhotoTree.Entry) -> String? {
        switch entry.kind {
        case .broken: return "broken symbolic link (its target is gone)"
        case .loop: return "symbolic link loop: not followed"
        default: return nil
        }
    }
}
