import Foundation

/// Which files count as photos, and how dropped folders expand into them.
public enum PhotoFiles {
    /// Lower-case extensions the loader decodes.
    public static let extensions: Set<String> = [
        "jpg", "jpeg", "jpe", "jfif", "png", "webp", "bmp", "dib", "tif", "tiff",
    ]

    public static func isPhoto(_ url: URL) -> Bool {
        extensions.contains(url.pathExtension.lowercased())
    }

    /// Files are kept as given (so a mislabelled file still gets its error message); folders are
    /// expanded recursively to the photos inside, in a stable, human order. Hidden files and
    /// folders are skipped.
    public static func collect(_ urls: [URL]) -> [URL] {
        var result: [URL] = []
        for url in urls {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
                result.append(url)
                continue
            }
            result += files(under: url).filter(isPhoto)
                .sorted { $0.path.localizedStandardCompare($1.path) == .orderedAscending }
        }
        return result
    }

    /// Every regular file below `folder` (hidden ones skipped), including symbolic links to
    /// regular files: people link photos into member folders rather than copy them.
    public static func files(under folder: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) else { return [] }
        var found: [URL] = []
        while let item = walker.nextObject() as? URL {
            if (try? item.resolvingSymlinksInPath().resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                found.append(item.standardizedFileURL)
            }
        }
        return found
    }
}
