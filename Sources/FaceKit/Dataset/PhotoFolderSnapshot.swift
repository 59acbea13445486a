import Foundation

/// What a photo root held, file by file (path, size, modification time), cheap enough to take
/// again whenever the training panel comes back: stat calls only, no photo is read. Comparing
/// two says whether faces found earlier are stale (photos added, removed or replaced, member
/// folders added or renamed).
public struct PhotoFolderSnapshot: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        public var size: Int64
        public var modified: Double
    }

    public struct Changes: Sendable, Equatable {
        public var added = 0
        public var removed = 0
        public var modified = 0
        /// Sub-folders that appeared or went away (a renamed folder counts in both).
        public var foldersAdded: [String] = []
        public var foldersRemoved: [String] = []

        public var isEmpty: Bool { added == 0 && removed == 0 && modified == 0 && foldersAdded.isEmpty && foldersRemoved.isEmpty }
    }

    public var root: String
    /// The root's visible sub-folders (member folders or not), sorted.
    public var folders: [String]
    /// Photo files below those folders, by path relative to the root.
    public var files: [String: File]

    /// nil when `root` is not a readable folder.
    public static func take(root: URL) -> PhotoFolderSnapshot? {
        let fm = FileManager.default
        let root = root.standardizedFileURL
        guard let entries = try? fm.contentsOfDirectory(at: root, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles]) else {
            return nil
        }
        var snapshot = PhotoFolderSnapshot(root: root.path, folders: [], files: [:])
        for entry in entries where (try? entry.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
            snapshot.folders.append(entry.lastPathComponent)
            for file in PhotoFiles.files(under: entry) where PhotoFiles.isPhoto(file) {
                // stat follows links: a replaced link target counts as a change too.
                guard let attributes = try? fm.attributesOfItem(atPath: file.resolvingSymlinksInPath().path) else { continue }
                let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
                let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                snapshot.files[entry.lastPathComponent + "/" + file.path.dropFirst(entry.standardizedFileURL.path.count + 1)] =
                    File(size: size, modified: modified)
            }
        }
        snapshot.folders.sort()
        return snapshot
    }

    /// What changed from `earlier` to this one.
    public func changes(since earlier: PhotoFolderSnapshot) -> Changes {
        var changes = Changes()
        for (path, file) in files {
            if let before = earlier.files[path] {
                if before != file { changes.modified += 1 }
            } else {
                changes.added += 1
            }
        }
        changes.removed = earlier.files.keys.filter { files[$0] == nil }.count
        let now = Set(folders), then = Set(earlier.folders)
        changes.foldersAdded = now.subtracting(then).sorted()
        changes.foldersRemoved = then.subtracting(now).sorted()
        return changes
    }
}
