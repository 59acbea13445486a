import FaceKit

/// A roster's name as the window shows it: the roster that ships (`ldh`) translated, recognised
/// by id and its English name (a user's roster with that id keeps its own name); any other
/// roster's name as its file gives it (the user wrote it, in their language).
enum RosterText {
    /// The shipped `Resources/rosters/ldh.json`'s name (`RosterTextTests` compares them).
    static let shippedLDH = "LDH JAPAN: EXILE TRIBE (the original write-up's 24 members)"

    static func name(_ roster: Roster) -> String {
        guard roster.id == "ldh", roster.name == shippedLDH else { return roster.name }
        return L10n.tr("LDH JAPAN: EXILE TRIBE (the original write-up's 24 members)")
    }
}
