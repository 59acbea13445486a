import FaceKit
import Foundation

/// How a model's members and groups are shown: Japanese or romaji names from the roster the
/// model was trained with. Without that roster the member ids are shown, so a model never
/// becomes unusable because a roster file moved.
struct MemberDirectory: Sendable, Equatable {
    enum Script: String, Sendable { case japanese, romaji }

    /// Member ids in the model's output order.
    let classes: [String]
    private let members: [String: Roster.Member]
    /// Group full name (what model.json's `member_groups` holds) or id -> short name.
    private let groupShortNames: [String: String]

    init(classes: [String], roster: Roster?) {
        self.classes = classes
        var members: [String: Roster.Member] = [:]
        var groups: [String: String] = [:]
        if let roster {
            for member in roster.members { members[member.id] = member }
            for group in roster.groups {
                groups[group.name] = group.shortName
                groups[group.id] = group.shortName
            }
        }
        self.members = members
        self.groupShortNames = groups
    }

    func name(of id: String, script: Script) -> String {
        guard let member = members[id] else { return id }
        return script == .japanese ? member.ja : member.romaji
    }

    /// "EXILE・三代目": the groups' short names joined the way the write-up joins them.
    func groupText(_ groups: [String]) -> String {
        groups.map { groupShortNames[$0] ?? $0 }.joined(separator: "・")
    }

    /// The roster a model was trained with: the one embedded in its dataset (still present
    /// and with the same roster id), else a roster file of that id, else none.
    static func roster(for manifest: ModelManifest, storage: DatasetStorage) -> Roster? {
        if case .string(let datasetName)? = manifest.preprocessing["dataset"],
           let dataset = try? DatasetStore(storage: storage).load(name: datasetName),
           dataset.roster.id == manifest.roster {
            return dataset.roster
        }
        return try? RosterLoader.load(idOrPath: manifest.roster, storage: storage)
    }
}
