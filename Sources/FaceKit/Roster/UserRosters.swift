import Foundation
import SafeFiles

/// The user's own rosters, `$XDG_DATA_HOME/tribelens/rosters/<id>.json`: where `RosterLoader`
/// looks first and what the training panel lists. Saving never replaces a roster: a new one
/// gets an id no roster the loader finds has yet, so it cannot hide a shipped one either.
public enum UserRosters {
    /// An id for a roster titled `name` that no listed roster (and no file in the folder) has.
    public static func freeID(for name: String, storage: DatasetStorage) -> String {
        let listed = Set(RosterLoader.available(storage: storage).map { $0.roster.id })
        let folder = storage.rostersDirectory
        let base = RosterID.slug(name, fallback: "roster")
        return RosterID.unique(base) { candidate in
            listed.contains(candidate)
                || FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(candidate).json").path)
        }
    }

    /// Writes `roster` as `<id>.json` atomically (temporary file, fsync, rename), after checking
    /// it reads back through `RosterLoader`; refuses to replace an existing file.
    @discardableResult
    public static func save(_ roster: Roster, storage: DatasetStorage) throws -> URL {
        let data = try encode(roster)
        _ = try RosterLoader.parse(data, source: "\(roster.id).json")
        let folder = storage.rostersDirectory
        let file = folder.appendingPathComponent("\(roster.id).json")
        guard !FileManager.default.fileExists(atPath: file.path) else {
            throw RosterError(source: file.path, location: "", problem: "a roster with this id exists already")
        }
        try AtomicFile.write(data, to: file, createFolder: true)
        return file
    }

    /// The roster as its file holds it: the schema's key order is not kept by JSONEncoder, so
    /// keys are sorted; pretty-printed so people can edit it by hand.
    public static func encode(_ roster: Roster) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(roster) + Data("\n".utf8)
    }
}
