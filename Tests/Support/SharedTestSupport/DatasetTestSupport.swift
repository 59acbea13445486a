import Foundation
import FaceKit

/// Shared-data lookup, folder snapshots, rosters and photo subsets for the tests that build
/// datasets (FaceKit's and the CLI's). FaceKitTests adds its XDG homes and fake detector.
public enum DatasetTestSupport {
    public static func shared(_ name: String) throws -> URL { try SharedData.url("data/\(name)") }

    /// Every entry under `folder` (hidden ones too) with its size and SHA-256: equal snapshots mean
    /// byte-identical folders with nothing added or removed.
    public static func snapshot(_ folder: URL) throws -> [String: String] {
        var result: [String: String] = [:]
        let base = folder.standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isDirectoryKey]) else { return [:] }
        for case let url as URL in enumerator {
            let relative = String(url.standardizedFileURL.path.dropFirst(base.count))
            if (try url.resourceValues(forKeys: [.isDirectoryKey])).isDirectory == true {
                result[relative] = "dir"
            } else {
                let data = try Data(contentsOf: url)
                result[relative] = "\(data.count) \(ContentHash.sha256(data))"
            }
        }
        return result
    }

    /// A roster whose members are the given folder names (romaji with spaces: folders use '_').
    public static func roster(_ folders: [String], id: String = "test") -> Roster {
        Roster(id: id, name: "Test roster", groups: [Roster.Group(id: "all", name: "All")],
               members: folders.map { folder in
                   Roster.Member(id: folder.lowercased().replacingOccurrences(of: "_", with: "-"), ja: folder.replacingOccurrences(of: "_", with: " "),
                                 romaji: folder.replacingOccurrences(of: "_", with: " "), groups: ["all"])
               })
    }

    /// Copies the first `limit` photos of each member folder into a new temporary photo root.
    public static func copySubset(of root: URL, members: [String], limit: Int, into home: URL) throws -> URL {
        let target = home.appendingPathComponent("photos", isDirectory: true)
        for member in members {
            let folder = target.appendingPathComponent(member, isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let files = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(member).path).sorted().prefix(limit)
            for file in files {
                try FileManager.default.copyItem(at: root.appendingPathComponent(member).appendingPathComponent(file),
                                                 to: folder.appendingPathComponent(file))
            }
        }
        return target
    }
}
