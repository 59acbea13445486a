import Foundation
import XCTest
import FaceKit

/// Temporary XDG homes, shared-data lookup and folder snapshots for the dataset tests.
enum DatasetTestSupport {
    static func shared(_ name: String) throws -> URL { try SharedData.url("data/\(name)") }

    /// A fresh temporary folder holding cache/ and data/ (the test's XDG_CACHE_HOME and XDG_DATA_HOME).
    static func temporaryHome(_ label: String = "home") throws -> (root: URL, storage: DatasetStorage) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tribelens-\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let storage = DatasetStorage(cacheRoot: root.appendingPathComponent("cache/tribelens"), dataRoot: root.appendingPathComponent("data/tribelens"))
        return (root, storage)
    }

    /// Every entry under `folder` (hidden ones too) with its size and SHA-256: equal snapshots mean
    /// byte-identical folders with nothing added or removed.
    static func snapshot(_ folder: URL) throws -> [String: String] {
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
    static func roster(_ folders: [String], id: String = "test") -> Roster {
        Roster(id: id, name: "Test roster", groups: [Roster.Group(id: "all", name: "All")],
               members: folders.map { folder in
                   Roster.Member(id: folder.lowercased().replacingOccurrences(of: "_", with: "-"), ja: folder.replacingOccurrences(of: "_", with: " "),
                                 romaji: folder.replacingOccurrences(of: "_", with: " "), groups: ["all"])
               })
    }

    /// Copies the first `limit` photos of each member folder into a new temporary photo root.
    static func copySubset(of root: URL, members: [String], limit: Int, into home: URL) throws -> URL {
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

    /// A fake detector with one fixed, centred box (LFW centres its faces at about 70..180 of 250).
    static let centreDetector = FakeFaceDetector(name: "fake-centre") { image in
        [FaceBox(x: image.width * 28 / 100, y: image.height * 28 / 100, width: image.width * 44 / 100, height: image.height * 44 / 100, score: nil)]
    }
}
