import FaceKit
import Foundation

/// What the Photos page says when Find Faces stopped because folders match no member of the
/// chosen roster (UI-free; tested in RosterMismatchTextTests).
enum RosterMismatchText {
    /// The folders named, at most `limit` of them: "“A”, “B”, “C” and 35 more".
    static func folderList(_ mismatch: RosterMismatch, limit: Int = 8) -> String {
        let (names, more) = mismatch.named(limit: limit)
        let quoted = names.map { L10n.format(L10n.tr("“%s”"), $0) }.joined(separator: L10n.tr(", "))
        return more == 0 ? quoted : L10n.format(L10n.tr("%s and %d more"), quoted, more)
    }

    static func message(_ mismatch: RosterMismatch, rosterName: String) -> String {
        let unmatched = mismatch.unmatchedFolders.count
        let total = unmatched + mismatch.matchedFolders
        let list = folderList(mismatch)
        if mismatch.isTotal {
            if total == 1 {
                return L10n.format(L10n.tr("Find Faces stopped: the folder %s matches no member of the roster “%s”. Choose the roster of this person above, or make a roster from the folder name."),
                                   list, rosterName)
            }
            return L10n.format(L10n.tr("Find Faces stopped: none of the %d folders matches a member of the roster “%s”: %s. Choose the roster of these people above, or make a roster from the folder names."),
                               total, rosterName, list)
        }
        return L10n.format(L10n.plural("Find Faces stopped: %d of the %d folders matches no member of the roster “%s”: %s. Their photos would be left out.",
                                       "Find Faces stopped: %d of the %d folders match no member of the roster “%s”: %s. Their photos would be left out.",
                                       unmatched), unmatched, total, rosterName, list)
    }
}
