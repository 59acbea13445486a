import Foundation
import SafeFiles

/// Model files the user chose and said to use although their checksum is not a known one
/// (the GUI's confirmation, `weights add --allow-unverified-model`): each by kind, size and
/// SHA-256 in `$XDG_DATA_HOME/tribelens/weights/approved.json`. `FaceModels` then treats
/// exactly those bytes as known; any other file stays refused.
public enum FaceModelApprovals {
    struct Entry: Codable, Equatable {
        var kind: String
        var fileName: String
        var byteCount: Int
        var sha256: String
    }

    static var file: URL { AppPaths.dataHome.appendingPathComponent("weights/approved.json") }

    /// The approved files as known ones (a file that cannot be read approves nothing).
    static func entries() -> [KnownModelFile] {
        guard let data = try? Data(contentsOf: file), let list = try? JSONDecoder().decode([Entry].self, from: data) else { return [] }
        return list.compactMap { entry in
            guard let kind = FaceModelKind(rawValue: entry.kind), entry.byteCount > 0, entry.sha256.count == 64 else { return nil }
            return KnownModelFile(kind: kind, fileName: entry.fileName, byteCount: entry.byteCount, sha256: entry.sha256,
                                  officialURL: nil, note: "approved by you (checksum not a published one)")
        }
    }

    static func approve(kind: FaceModelKind, fileName: String, byteCount: Int, sha256: String) throws {
        var list = (try? JSONDecoder().decode([Entry].self, from: Data(contentsOf: file))) ?? []
        let entry = Entry(kind: kind.rawValue, fileName: fileName, byteCount: byteCount, sha256: sha256)
        guard !list.contains(entry) else { return }
        list.append(entry)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(list), to: file, createFolder: true)
    }
}
