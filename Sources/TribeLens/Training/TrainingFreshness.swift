import FaceKit
import Foundation

/// Whether the faces of the last Find Faces, or the results of the last run, still describe
/// what the panel would use now. The panel keeps both for the session (they survive closing
/// and reopening it), so it must say when they went stale: photos added, removed or replaced,
/// another folder, roster or detector chosen, decisions made after the run or outside the
/// review. UI-free (tested in TrainingFreshnessTests); the panel model gathers the inputs.
enum TrainingFreshness {
    /// What a Find Faces or a run was based on.
    struct Basis: Equatable {
        var photoRoot: String
        var roster: Roster
        /// The face source's cache key (detector and its settings).
        var detector: String
        /// The folder as the faces were searched (nil: it could not be read then).
        var folder: PhotoFolderSnapshot?
        var time: Date
    }

    /// The same things as the panel would use them now.
    struct Current {
        var photoRoot: String?
        var roster: Roster?
        var detector: String?
        /// nil: not looked at yet (no reason is given about the photos then).
        var folder: PhotoFolderSnapshot??
    }

    enum Reason: Equatable {
        case otherFolder
        case otherRoster(name: String)
        case rosterChanged
        case otherDetector
        case photosChanged(PhotoFolderSnapshot.Changes)
        case folderUnreadable
        /// Crops of the review whose decision in the curation file differs from the grid's: made
        /// in the photo window (face corrections) after the review was built.
        case decisionsElsewhere(Int)
        /// Crops whose decision changed after the run read the curation file.
        case decisionsSince(Int)
    }

    /// Why the faces found from `basis` are stale now; `review` (the curation queue's members)
    /// and `store` compare the review's decisions with the curation file's.
    static func analysisReasons(_ basis: Basis, now: Current, review: [CurationQueue.MemberQueue]?, store: CurationStore?) -> [Reason] {
        var reasons = inputReasons(basis, now: now)
        if let review, let store {
            var differing = Set<CropID>()
            for member in review {
                for item in member.items {
                    if let crop = item.crop, store.decision(for: crop) != item.decision { differing.insert(crop) }
                }
            }
            if !differing.isEmpty { reasons.append(.decisionsElsewhere(differing.count)) }
        }
        return reasons
    }

    /// Why the results of a run based on `basis`, which read `decisions` from the curation file,
    /// are stale now.
    static func runReasons(_ basis: Basis, decisions: [CropID: CurationStore.Decision], now: Current,
                           store: CurationStore?) -> [Reason] {
        var reasons = inputReasons(basis, now: now)
        if let store {
            let keys = Set(decisions.keys).union(store.decisions.keys)
            let changed = keys.filter { decisions[$0] != store.decisions[$0] }.count
            if changed > 0 { reasons.append(.decisionsSince(changed)) }
        }
        return reasons
    }

    private static func inputReasons(_ basis: Basis, now: Current) -> [Reason] {
        var reasons: [Reason] = []
        if let root = now.photoRoot, root != basis.photoRoot {
            // Another folder: comparing its photos with the old one's says nothing more.
            return [.otherFolder]
        }
        if let roster = now.roster {
            if roster.id != basis.roster.id {
                reasons.append(.otherRoster(name: RosterText.name(roster)))
            } else if roster != basis.roster {
                reasons.append(.rosterChanged)
            }
        }
        if let detector = now.detector, detector != basis.detector { reasons.append(.otherDetector) }
        if let checked = now.folder {
            switch (checked, basis.folder) {
            case (nil, _):
                reasons.append(.folderUnreadable)
            case (let folder?, let before?):
                let changes = folder.changes(since: before)
                if !changes.isEmpty { reasons.append(.photosChanged(changes)) }
            case (_?, nil):
                break  // unreadable then, readable now: Find Faces failed then and says so itself
            }
        }
        return reasons
    }

    /// "These faces were found at 14:02. Since then: 2 photos added; … Find Faces again …", or
    /// nil when nothing changed.
    static func facesText(_ reasons: [Reason], since time: Date) -> String? {
        guard !reasons.isEmpty else { return nil }
        return L10n.format(L10n.tr("These faces were found at %s. Since then: %s. Find Faces again to bring them up to date."),
                           clock(time), phrases(reasons).joined(separator: "; "))
    }

    static func resultsText(_ reasons: [Reason], since time: Date) -> String? {
        guard !reasons.isEmpty else { return nil }
        return L10n.format(L10n.tr("These results are from the run at %s. Since then: %s. Train again to include the changes."),
                           clock(time), phrases(reasons).joined(separator: "; "))
    }

    static func phrases(_ reasons: [Reason]) -> [String] {
        reasons.flatMap { reason -> [String] in
            switch reason {
            case .otherFolder:
                return [L10n.tr("another photo folder is chosen")]
            case .otherRoster(let name):
                return [L10n.format(L10n.tr("the roster “%s” is chosen"), name)]
            case .rosterChanged:
                return [L10n.tr("the roster file changed")]
            case .otherDetector:
                return [L10n.tr("faces would now be found by another detector")]
            case .folderUnreadable:
                return [L10n.tr("the photo folder cannot be read")]
            case .decisionsElsewhere(let n):
                return [L10n.format(L10n.plural("%d face corrected in the photo window", "%d faces corrected in the photo window", n), n)]
            case .decisionsSince(let n):
                return [L10n.format(L10n.plural("%d review decision changed", "%d review decisions changed", n), n)]
            case .photosChanged(let changes):
                var parts: [String] = []
                if changes.added > 0 { parts.append(L10n.format(L10n.plural("%d photo added", "%d photos added", changes.added), changes.added)) }
                if changes.removed > 0 {
                    parts.append(L10n.format(L10n.plural("%d photo removed", "%d photos removed", changes.removed), changes.removed))
                }
                if changes.modified > 0 {
                    parts.append(L10n.format(L10n.plural("%d photo replaced", "%d photos replaced", changes.modified), changes.modified))
                }
                for folder in changes.foldersAdded { parts.append(L10n.format(L10n.tr("new folder “%s”"), folder)) }
                for folder in changes.foldersRemoved { parts.append(L10n.format(L10n.tr("folder “%s” gone"), folder)) }
                return parts
            }
        }
    }

    /// The time of day in the user's locale ("14:02").
    static func clock(_ time: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateStyle = .none
        formatter.timeStyle = .short
        return formatter.string(from: time)
    }
}
