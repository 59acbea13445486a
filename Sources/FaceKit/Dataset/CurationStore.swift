import Foundation
import SafeFiles

/// The user's decisions about face crops: rejected (wrong person, not a face), re-labelled to
/// another member, or accepted (a crop the `recommended` preset held back for review).
/// Kept in `$XDG_DATA_HOME/tribelens/curation.json`, keyed by `CropID` (photo content + box).
public struct CurationStore: Sendable, Equatable {
    public enum Decision: Sendable, Equatable, Codable, CustomStringConvertible {
        case reject
        case accept
        case relabel(memberID: String)

        public var description: String {
            switch self {
            case .reject: return "rejected"
            case .accept: return "accepted"
            case .relabel(let member): return "re-labelled to \(member)"
            }
        }

        private enum CodingKeys: String, CodingKey { case action, member }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            switch try c.decode(String.self, forKey: .action) {
            case "reject": self = .reject
            case "accept": self = .accept
            case "relabel": self = .relabel(memberID: try c.decode(String.self, forKey: .member))
            case let other:
                throw DecodingError.dataCorruptedError(forKey: .action, in: c, debugDescription: "unknown action \"\(other)\"")
            }
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .reject: try c.encode("reject", forKey: .action)
            case .accept: try c.encode("accept", forKey: .action)
            case .relabel(let member):
                try c.encode("relabel", forKey: .action)
                try c.encode(member, forKey: .member)
            }
        }
    }

    private struct File: Codable { var version: Int; var decisions: [String: Decision] }

    public private(set) var decisions: [CropID: Decision] = [:]
    public let file: URL

    /// Loads the store (empty when the file does not exist yet).
    public init(storage: DatasetStorage) throws {
        file = storage.curationFile
        guard FileManager.default.fileExists(atPath: file.path) else { return }
        do {
            let stored = try JSONDecoder().decode(File.self, from: Data(contentsOf: file))
            for (key, decision) in stored.decisions {
                guard let id = CropID(key) else { throw CocoaError(.coderReadCorrupt) }
                decisions[id] = decision
            }
        } catch {
            throw DatasetError("\(file.path): unreadable curation file (\(error.localizedDescription)); move it away to start afresh")
        }
    }

    public func decision(for crop: CropID) -> Decision? { decisions[crop] }

    public mutating func set(_ decision: Decision?, for crop: CropID) { decisions[crop] = decision }

    /// Writes the whole store atomically (temporary file, then rename).
    public func save() throws {
        let stored = File(version: 1, decisions: Dictionary(uniqueKeysWithValues: decisions.map { ($0.key.description, $0.value) }))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(stored), to: file, createFolder: true)
    }
}

/// A one-line, user-facing dataset problem.
public struct DatasetError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
