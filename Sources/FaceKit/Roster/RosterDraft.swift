import Foundation

/// A roster being made from a photo folder's sub-folder names (the training panel's "Make a
/// Roster from the Folder Names"): one member per folder, named after it, and groups the user
/// adds and assigns. `roster()` gives a roster that passes `RosterLoader`'s checks, and
/// `UserRosters.save` writes it where the panel lists rosters.
public struct RosterDraft: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var id: String
        /// The shown name: the folder's, with '_' as spaces ("Bill_Clinton" -> "Bill Clinton").
        public var name: String
        /// The folder names this member came from (folders whose names fold alike are one member).
        public var folders: [String]
        /// Group ids, in the order they were ticked.
        public var groups: [String]
    }

    public struct Group: Sendable, Equatable {
        public var id: String
        public var name: String
    }

    public var name: String
    public private(set) var members: [Member]
    public private(set) var groups: [Group] = []
    /// Folders no member can be named after: their names are only separators or hold control
    /// characters (such a name cannot match any folder, so the loader refuses it).
    public private(set) var leftOut: [String]

    /// `folders` in the order to list them (the photo root's sub-folders, sorted).
    public init(name: String, folders: [String]) {
        self.name = name
        var members: [Member] = []
        var leftOut: [String] = []
        var byKey: [String: Int] = [:]
        var takenKeys = Set<String>()
        let folderKeys = Set(folders.map(Roster.matchKey))
        for folder in folders {
            let shown = Self.displayName(folder)
            let key = Roster.matchKey(folder)
            guard !key.isEmpty, !shown.isEmpty, !Self.hasControlCharacters(folder),
                  shown.utf8.count <= Self.maximumNameBytes else {
                leftOut.append(folder)
                continue
            }
            if let index = byKey[key] {
                members[index].folders.append(folder)
                continue
            }
            // Ids count as names in folder matching: one must not fold like another member's id
            // or folder ("amelie" for "Amélie" while a folder "Amelie" exists).
            let id = RosterID.unique(RosterID.slug(folder)) { candidate in
                let folded = Roster.matchKey(candidate)
                return takenKeys.contains(folded) || (folded != key && folderKeys.contains(folded))
            }
            takenKeys.insert(Roster.matchKey(id))
            byKey[key] = members.count
            members.append(Member(id: id, name: shown, folders: [folder], groups: []))
        }
        self.members = members
        self.leftOut = leftOut
    }

    /// Adds a group named `name` (trimmed); returns its id, or nil for a blank name or one
    /// already there.
    @discardableResult
    public mutating func addGroup(named name: String) -> String? {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, !Self.hasControlCharacters(name), name.utf8.count <= Self.maximumNameBytes,
              !groups.contains(where: { $0.name.lowercased() == name.lowercased() }) else { return nil }
        let id = RosterID.unique(RosterID.slug(name, fallback: "group")) { candidate in groups.contains { $0.id == candidate } }
        groups.append(Group(id: id, name: name))
        return id
    }

    public mutating func removeGroup(_ id: String) {
        groups.removeAll { $0.id == id }
        for index in members.indices { members[index].groups.removeAll { $0 == id } }
    }

    /// Puts member `memberID` in group `groupID` or takes them out.
    public mutating func set(member memberID: String, inGroup groupID: String, _ isIn: Bool) {
        guard groups.contains(where: { $0.id == groupID }), let index = members.firstIndex(where: { $0.id == memberID }) else { return }
        members[index].groups.removeAll { $0 == groupID }
        if isIn { members[index].groups.append(groupID) }
    }

    public func isMember(_ memberID: String, inGroup groupID: String) -> Bool {
        members.first { $0.id == memberID }?.groups.contains(groupID) ?? false
    }

    /// The roster with id `id` (see `UserRosters.freeID`), checked by `RosterLoader` exactly as a
    /// file would be when it is read back. Members list their groups in the roster's group order.
    public func roster(id: String) throws -> Roster {
        let title = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let order = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1.id, $0) })
        let roster = Roster(
            id: id, name: title.isEmpty ? id : title,
            groups: groups.map { Roster.Group(id: $0.id, name: $0.name) },
            members: members.map { member in
                // Both names are the folder's: no transliteration is guessed. Every folder name is
                // an alias, so the member matches each of its folders whatever the shown name.
                let aliases = member.folders.filter { $0 != member.name }
                return Roster.Member(id: member.id, ja: member.name, romaji: member.name, aliases: aliases.isEmpty ? nil : aliases,
                                     groups: member.groups.sorted { order[$0, default: 0] < order[$1, default: 0] })
            })
        _ = try RosterLoader.parse(try UserRosters.encode(roster), source: "\(id).json")
        return roster
    }

    /// The loader's limit on one name (strings longer than this are refused).
    static let maximumNameBytes = 1000

    static func displayName(_ folder: String) -> String {
        folder.replacingOccurrences(of: "_", with: " ").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
