import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Walks photo folders through POSIX calls on raw names: Foundation's enumerator mangles names
/// that are not UTF-8 (`FileSystemPath`) and does not descend into symbolic links to folders,
/// which photo libraries are full of. Links are followed: to files wherever they point, to
/// folders while they stay inside the walk's roots; a link that leaves them, a loop, a folder
/// reached twice and a broken link are reported, not followed.
public enum PhotoTree {
    /// Something the walk did not follow, and why: the path is relative to the walked folder.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(FileSystemPath.display(path)): \(reason)" }
    }

    public struct Item: Sendable, Equatable {
        public var url: URL
        /// Path below the walked folder, '/'-separated (names escaped as in `FileSystemPath`).
        public var relativePath: String
    }

    public enum Kind: Equatable { case file, folder, other(String), broken, loop }

    /// One entry of a folder listing, after following a link.
    public struct Entry {
        public var name: String
        public var url: URL
        public var kind: Kind
        public var isLink: Bool
        /// For folders: the resolved path (for containment) and identity (for loops).
        var realPath: String?
        var identity: FolderID?
    }

    struct FolderID: Hashable { var device: UInt64; var inode: UInt64 }

    /// The entries of `folder` (hidden ones skipped), nil if it cannot be listed.
    public static func list(_ folder: URL) -> [Entry]? {
        guard let dir = FileSystemPath.withRawPath(folder, { opendir($0) }) else { return nil }
        defer { closedir(dir) }
        var entries: [Entry] = []
        while let pointer = readdir(dir) {
            let name: String = withUnsafePointer(to: &pointer.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: UInt8.self, capacity: 256) { bytes in
                    FileSystemPath.string(fromRaw: UnsafeBufferPointer(start: bytes, count: strlen(UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self))))
                }
            }
            if name.hasPrefix(".") { continue }
            entries.append(entry(folder.appendingPathComponent(name), name: name))
        }
        return entries
    }

    static func entry(_ url: URL, name: String) -> Entry {
        var link = stat(), target = stat()
        let raw = FileSystemPath.rawBytes(url.path)
        let isLink = lstat(raw, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK
        guard stat(raw, &target) == 0 else {
            let loop = errno == ELOOP
            return Entry(name: name, url: url, kind: isLink ? (loop ? .loop : .broken) : .other("cannot be read"), isLink: isLink)
        }
        switch target.st_mode & S_IFMT {
        case S_IFREG:
            return Entry(name: name, url: url, kind: .file, isLink: isLink)
        case S_IFDIR:
            return Entry(name: name, url: url, kind: .folder, isLink: isLink, realPath: realPath(url),
                         identity: FolderID(device: UInt64(target.st_dev), inode: UInt64(target.st_ino)))
        default:
            return Entry(name: name, url: url, kind: .other(PhotoFile.describe(target.st_mode & S_IFMT)), isLink: isLink)
        }
    }

    /// The canonical path of `url` (links resolved), escaped.
    static func realPath(_ url: URL) -> String? {
        guard let resolved = FileSystemPath.withRawPath(url, { realpath($0, nil) }) else { return nil }
        defer { free(resolved) }
        return FileSystemPath.string(fromRaw: UnsafeBufferPointer(start: UnsafeRawPointer(resolved).assumingMemoryBound(to: UInt8.self),
                                                                  count: strlen(resolved)))
    }

    static func isInside(_ path: String, _ root: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// Every regular file below `folder` (hidden entries skipped). Links to folders are followed
    /// when they resolve inside `folder` or one of `roots`.
    public static func files(under folder: URL, roots: [URL] = []) -> (items: [Item], problems: [Problem]) {
        var walk = Walk(allowed: ([folder] + roots).compactMap(realPath))
        let top = entry(folder, name: folder.lastPathComponent).identity
        if let top { walk.visited.insert(top) }
        walk.descend(folder, relative: "", ancestors: top.map { [$0] } ?? [])
        return (walk.items, walk.problems)
    }

    private struct Walk {
        var allowed: [String]
        var visited: Set<FolderID> = []
        var items: [Item] = []
        var problems: [Problem] = []

        mutating func descend(_ folder: URL, relative: String, ancestors: [FolderID]) {
            guard let entries = PhotoTree.list(folder) else {
                problems.append(Problem(path: relative.isEmpty ? "." : relative, reason: "folder cannot be read"))
                return
            }
            for e in entries {
                let path = relative.isEmpty ? e.name : relative + "/" + e.name
                switch e.kind {
                case .file:
                    items.append(Item(url: e.url, relativePath: path))
                case .folder:
                    guard let id = e.identity else { continue }
                    if e.isLink {
                        if ancestors.contains(id) || PhotoTree.isAncestorLink(e) {
                            problems.append(Problem(path: path, reason: "symbolic link loop (points back to a folder above it): not followed"))
                            continue
                        }
                        guard let real = e.realPath, allowed.contains(where: { PhotoTree.isInside(real, $0) }) else {
                            problems.append(Problem(path: path, reason: "symbolic link to a folder outside the photo folder "
                                                    + "(\(FileSystemPath.display(e.realPath ?? "?"))): not followed"))
                            continue
                        }
                    }
                    guard !visited.contains(id) else {
                        problems.append(Problem(path: path, reason: "the same folder as one already read (linked twice): not read again"))
                        continue
                    }
                    visited.insert(id)
                    descend(e.url, relative: path, ancestors: ancestors + [id])
                case .loop:
                    problems.append(Problem(path: path, reason: "symbolic link loop: not followed"))
                case .broken:
                    problems.append(Problem(path: path, reason: "broken symbolic link (its target is gone)"))
                case .other(let reason):
                    problems.append(Problem(path: path, reason: reason))
                }
            }
        }
    }

    /// A link whose target contains the link itself is a loop however it was reached.
    static func isAncestorLink(_ e: Entry) -> Bool {
        guard let real = e.realPath, let here = realPath(e.url.deletingLastPathComponent()) else { return false }
        return isInside(here, real)
    }
}
