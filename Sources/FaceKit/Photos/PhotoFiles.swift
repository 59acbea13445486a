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
        collectReporting(urls).photos
    }

    /// `collect`, with what the walk did not follow (link loops, links leaving the folder).
    public static func collectReporting(_ urls: [URL]) -> (photos: [URL], problems: [String]) {
        var result: [URL] = [], problems: [String] = []
        for url in urls {
            guard PhotoTree.entry(url, name: url.lastPathComponent).kind == .folder else {
                result.append(url)
                continue
            }
            let walk = PhotoTree.files(under: url)
            result += walk.items.map(\.url).filter(isPhoto).map(\.standardizedFileURL)
                .sorted { $0.path.localizedStandardCompare($1.path) == .orderedAscending }
            problems += walk.problems.map { "\(url.appendingPathComponent($0.path).displayPath): \($0.reason)" }
        }
        return (result, problems)
    }

    /// Every regular file below `folder` (hidden ones skipped), including symbolic links to
    /// regular files (people link photos into member folders rather than copy them) and to
    /// folders inside `folder` (`PhotoTree`); names need not be UTF-8.
    public static func files(under folder: URL) -> [URL] {
        PhotoTree.files(under: folder).items.map(\.url.standardizedFileURL)
    }
}
