import Foundation

/// "Someone Else…"'s type-to-find: the model's members (less those already offered), sorted by
/// the shown name, filtered by what the user types. A member matches when the typed text is in
/// any of their names (romaji or Japanese, whichever is shown) or their id, ignoring case,
/// accents, full/half width, and hiragana versus katakana (typing たかひろ finds タカヒロ).
/// No GTK (`MemberSearchTests`).
struct MemberSearch: Equatable {
    struct Member: Equatable {
        let id: String
        /// The name shown (in the chosen script).
        let name: String
        /// Folded names and id the query is looked for in.
        fileprivate let keys: [String]
    }

    let members: [Member]

    init(directory: MemberDirectory, script: MemberDirectory.Script, except: Set<String>) {
        members = directory.classes.filter { !except.contains($0) }.map { id in
            let shown = directory.name(of: id, script: script)
            let names = [shown, directory.name(of: id, script: .romaji), directory.name(of: id, script: .japanese), id]
            return Member(id: id, name: shown, keys: Array(Set(names.map(Self.fold))))
        }.sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending }
    }

    /// The members matching `query` (all for an empty or blank one), in list order.
    func matches(_ query: String) -> [Member] {
        let folded = Self.fold(query.trimmingCharacters(in: .whitespacesAndNewlines))
        guard !folded.isEmpty else { return members }
        return members.filter { member in member.keys.contains { $0.contains(folded) } }
    }

    /// Lower case, no accents, half-width Latin, katakana for hiragana, no spaces or dots
    /// ("Ryuji Imaichi" and "ryujiimaichi" are the same key; "・" goes too).
    static func fold(_ text: String) -> String {
        let basic = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var scalars = String.UnicodeScalarView()
        for scalar in basic.unicodeScalars {
            if (0x3041...0x3096).contains(scalar.value), let katakana = Unicode.Scalar(scalar.value + 0x60) {
                scalars.append(katakana)
            } else if scalar.properties.isWhitespace || [".", "・", "･", "_", "-"].contains(Character(scalar)) {
                continue
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }
}
