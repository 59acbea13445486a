import Foundation

/// Safe roster, group and member ids (`a-z`, `0-9`, '-') made from names people wrote in any
/// script, without transliteration: Latin letters keep their letters (accents dropped), and a
/// name with letters outside Latin (`登坂広臣`, `EXILE 世界`) gets a short hash of the name, so
/// the id is the same every time the same name is seen and two such names never share one.
public enum RosterID {
    /// Longest readable part of an id (the hash suffix comes on top).
    public static let maximumStem = 40

    /// "Bill_Clinton" -> "bill-clinton", "Amélie Mauresmo" -> "amelie-mauresmo",
    /// "登坂広臣" -> "member-1c9e05a7" (with `fallback` "member"), "EXILE 世界" -> "exile-5b7a0c3e".
    public static func slug(_ name: String, fallback: String = "member") -> String {
        // NFKD splits "é" into "e" + a combining accent and full-width "ＡＫＩＲＡ" into "AKIRA".
        var stem = ""
        var lostLetters = false
        var pendingDash = false
        for scalar in name.decomposedStringWithCompatibilityMapping.lowercased().unicodeScalars {
            let properties = scalar.properties
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                if pendingDash && !stem.isEmpty { stem.append("-") }
                pendingDash = false
                stem.unicodeScalars.append(scalar)
            } else if properties.generalCategory == .nonspacingMark || properties.generalCategory == .enclosingMark {
                continue  // the accent of a Latin letter
            } else if properties.isAlphabetic || properties.numericType != nil {
                lostLetters = true  // a letter or digit of another script: kept only through the hash
                pendingDash = true
            } else {
                pendingDash = true  // spaces, '_', '.', '・' and other punctuation separate words
            }
        }
        if stem.count > maximumStem {
            stem = String(stem.prefix(maximumStem))
            while stem.hasSuffix("-") { stem.removeLast() }
        }
        guard lostLetters || stem.isEmpty else { return stem }
        let hash = String(format: "%08x", UInt32(truncatingIfNeeded: fnv1a(Roster.matchKey(name))))
        return (stem.isEmpty ? fallback : stem) + "-" + hash
    }

    /// `base`, or `base-2`, `base-3`, ... whichever `isTaken` refuses first.
    public static func unique(_ base: String, isTaken: (String) -> Bool) -> String {
        guard isTaken(base) else { return base }
        var n = 2
        while isTaken("\(base)-\(n)") { n += 1 }
        return "\(base)-\(n)"
    }

    /// 64-bit FNV-1a of the UTF-8 bytes: stable across runs and machines (Swift's `hashValue`
    /// is seeded per process).
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
