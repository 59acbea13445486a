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
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ImportError.notAFolder(root.path)
        }
        let root = root.standardizedFileURL
        var result = PhotoImport(root: root, photos: [], memberFolders: [], unmatchedFolders: [], emptyFolders: [], skippedFiles: [])
        let entries = try fm.contentsOfDirectory(at: root, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles])
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        for entry in entries {
            let name = entry.lastPathComponent
            guard (try? entry.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true else {
                result.skippedFiles.append((name, "not inside a member folder"))
                continue
            }
            guard let member = roster.member(matchingFolder: name) else {
                result.unmatchedFolders.append(name)
                continue
            }
            var count = 0
            for file in files(under: entry) {
                let relative = name + "/" + file.path.dropFirst(entry.path.count + 1)
                if PhotoFiles.extensions.contains(file.pathExtension.lowercased()) {
                    result.photos.append(Photo(relativePath: relative, url: file, memberID: member.id))
                    count += 1
                } else {
                    result.skippedFiles.append((relative, "not a photo file (\(file.pathExtension.isEmpty ? "no extension" : "." + file.pathExtension))"))
                }
            }
            result.memberFolders.append(MemberFolder(memberID: member.id, folderName: name, photoCount: count))
            if count == 0 { result.emptyFolders.append(name) }
        }
        return result
    }

    private static func files(under folder: URL) -> [URL] {
        PhotoFiles.files(under: folder).sorted { $0.path < $1.path }
    }
}
