import Foundation
import SafeFiles

/// Named datasets under `$XDG_DATA_HOME/tribelens/datasets/<name>/manifest.json`.
public struct DatasetStore: Sendable {
    public var storage: DatasetStorage

    public init(storage: DatasetStorage) { self.storage = storage }

    /// Names become folder names: letters, digits, '-', '_' and '.', not starting with '.'.
    public static func validate(name: String) throws {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard !name.isEmpty, name.count <= 100, !name.hasPrefix("."),
              name.unicodeScalars.allSatisfy({ allowed.contains($0) }) else {
            throw DatasetError("\"\(name)\" is not a valid dataset name (letters, digits, '-', '_', '.'; not starting with '.')")
        }
    }

    public func manifestURL(name: String) -> URL {
        storage.datasetsDirectory.appendingPathComponent(name, isDirectory: true).appendingPathComponent("manifest.json")
    }

    public func save(_ manifest: DatasetManifest) throws {
        try DatasetStore.validate(name: manifest.name)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try AtomicFile.write(try encoder.encode(manifest), to: manifestURL(name: manifest.name), createFolder: true)
    }

    public func load(name: String) throws -> DatasetManifest {
        try DatasetStore.validate(name: name)
        let url = manifestURL(name: name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw DatasetError("no dataset named \"\(name)\" (`tribelens-cli dataset list` shows them)")
        }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let manifest = try decoder.decode(DatasetManifest.self, from: Data(contentsOf: url))
            guard manifest.version == DatasetManifest.formatVersion else {
                throw DatasetError("\(url.path): dataset format \(manifest.version) is not supported; build it again")
            }
            return manifest
        } catch let error as DatasetError {
            throw error
        } catch {
            throw DatasetError("\(url.path): unreadable dataset manifest; build it again (\(error))")
        }
    }

    /// All datasets, by name; unreadable ones are skipped.
    public func list() -> [DatasetManifest] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: storage.datasetsDirectory.path)) ?? []
        return names.sorted().compactMap { try? load(name: $0) }
    }
}
