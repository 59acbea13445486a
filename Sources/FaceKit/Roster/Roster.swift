import Foundation

/// A fan roster: the classes a model learns (members) and the groups shown next to a prediction.
/// Data, not code (`Resources/rosters/*.json`, schema in docs/roster.md). Member order is label
/// order: the LDH roster lists members in the write-up's `dic` order (label 0 = AKIRA).
public struct Roster: Sendable, Codable, Equatable {
    public struct Group: Sendable, Codable, Equatable, Hashable {
        public var id: String
        /// Full name, e.g. "三代目 J SOUL BROTHERS from EXILE TRIBE".
        public var name: String
        /// Name used in compact labels such as "EXILE・三代目" (defaults to `name`).
        public var short: String?

        public init(id: String, name: String, short: String? = nil) {
            self.id = id; self.name = name; self.short = short
        }
        public var shortName: String { short ?? name }
    }

    public struct Member: Sendable, Codable, Equatable, Hashable {
        /// Stable id: lower-case letters, digits and '-', used in datasets and models.
        public var id: String
        /// Japanese display name (the write-up's spelling).
        public var ja: String
        /// Latin-script name.
        public var romaji: String
        /// Other names a photo folder may carry (stage names, "EXILE AKIRA", ...).
        public var aliases: [String]?
        /// Group ids, in the roster's group order.
        public var groups: [String]

        public init(id: String, ja: String, romaji: String, aliases: [String]? = nil, groups: [String]) {
            self.id = id; self.ja = ja; self.romaji = romaji; self.aliases = aliases; self.groups = groups
        }

        /// Every name a folder can use for this member: id, Japanese, romaji, aliases.
        public var allNames: [String] { [id, ja, romaji] + (aliases ?? []) }
    }

    public static let schemaVersion = 1

    public var schema: Int
    public var id: String
    public var name: String
    public var groups: [Group]
    public var members: [Member]

    public init(id: String, name: String, groups: [Group], members: [Member]) {
        self.schema = Roster.schemaVersion
        self.id = id; self.name = name; self.groups = groups; self.members = members
    }

    public func member(id: String) -> Member? { members.first { $0.id == id } }

    public func group(id: String) -> Group? { groups.first { $0.id == id } }

    /// The groups of a member, in roster order.
    public func groups(of member: Member) -> [Group] {
        groups.filter { member.groups.contains($0.id) }
    }

    /// The write-up's group label, short names joined by "・" (e.g. "EXILE・三代目").
    public func groupLabel(for member: Member) -> String {
        groups(of: member).map(\.shortName).joined(separator: "・")
    }

    /// The member a photo folder belongs to: its name equals the member's id or any of its names,
    /// ignoring case, full/half width, spaces, '_', '-', '.' and '・'.
    public func member(matchingFolder folderName: String) -> Member? {
        let key = Roster.matchKey(folderName)
        guard !key.isEmpty else { return nil }
        return members.first { $0.allNames.contains { Roster.matchKey($0) == key } }
    }

    /// Folds a name for matching: NFKC (width), lower case, separators dropped.
    public static func matchKey(_ name: String) -> String {
        let folded = name.precomposedStringWithCompatibilityMapping.lowercased()
        return String(folded.unicodeScalars.filter { scalar in
            !(CharacterSet.whitespacesAndNewlines.contains(scalar) || "_-.・･".unicodeScalars.contains(scalar))
        }.map(Character.init))
    }
}
