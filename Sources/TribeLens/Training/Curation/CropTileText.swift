import FaceKit
import Foundation

/// What a curation tile says, apart from GTK: the accessible name the GUI tests look for
/// ("Crop 3 of Bill Clinton, several faces, rejected"), the two badges and the tooltip.
struct CropTileText: Equatable {
    /// "Crop 3 of Bill Clinton": the start of the accessible name.
    let subject: String
    let accessibleName: String
    let tooltip: String
    /// The most serious flag in a word or two, "+2" when there are more ("unusual +1"); nil
    /// for a crop nothing is wrong with. Decisions are not flags here: they have their own badge.
    let flagBadge: String?
    /// "Rejected", "→ Al Gore", "Kept", or nil while undecided.
    let decisionBadge: String?
    /// What the next run does with an undecided crop it leaves out ("Not trained"), in the
    /// decision badge's place; nil when it trains on it or the user has decided.
    let fateBadge: String?
    /// The next run trains on this crop (the tile is dimmed otherwise).
    let trained: Bool

    /// `position` is 1-based within the member's queue.
    init(item: CurationQueue.Item, position: Int, directory: MemberDirectory, script: MemberDirectory.Script) {
        let member = directory.name(of: item.member, script: script)
        subject = item.crop == nil ? L10n.format(L10n.tr("Photo %d of %s"), position, member)
                                   : L10n.format(L10n.tr("Crop %d of %s"), position, member)
        var parts = [subject]
        // Decision flags are said last; the decision itself names the relabel target.
        let flags = item.flags.subtracting([.rejected, .relabelled, .heldForReview]).sorted()
        parts += flags.map(Self.phrase)
        switch item.decision {
        case .reject?:
            parts.append(L10n.tr("rejected"))
            decisionBadge = L10n.tr("Rejected")
        case .relabel(let other)?:
            let name = directory.name(of: other, script: script)
            parts.append(L10n.format(L10n.tr("relabelled to %s"), name))
            decisionBadge = L10n.format(L10n.tr("→ %s"), name)
        case .accept?:
            parts.append(L10n.tr("kept"))
            decisionBadge = L10n.tr("Kept")
        case nil:
            if item.flags.contains(.heldForReview) { parts.append(Self.phrase(.heldForReview)) }
            decisionBadge = nil
        }
        // Undecided crops say what training will do with them: held ones are left out.
        let fate = item.fate
        trained = fate.isTrained
        switch (item.decision, fate) {
        case (nil, .trained):
            parts.append(L10n.tr("trained on"))
            fateBadge = nil
        case (nil, .held):
            parts.append(L10n.tr("not trained on unless kept"))
            fateBadge = L10n.tr("Not trained")
        case (nil, .duplicate(let first)):
            parts.append(L10n.format(L10n.tr("not trained on: %s has the same bytes and is"), first))
            fateBadge = L10n.tr("Copy: not trained")
        default:
            fateBadge = nil
        }
        accessibleName = parts.joined(separator: ", ")
        tooltip = ([item.photo] + parts.dropFirst()).joined(separator: "\n")

        let shown = item.flags.subtracting([.rejected, .relabelled]).sorted()
        if let first = shown.first {
            flagBadge = shown.count == 1 ? Self.word(first) : L10n.format(L10n.tr("%s +%d"), Self.word(first), shown.count - 1)
        } else {
            flagBadge = nil
        }
    }

    /// The flag as said in the accessible name and tooltip (FaceKit's descriptions are English
    /// only, so the app words them itself for translation).
    static func phrase(_ flag: CurationQueue.Flag) -> String {
        switch flag {
        case .noFace: return L10n.tr("no face")
        case .nearDuplicateAcrossMembers: return L10n.tr("near duplicate of another member's photo")
        case .exactDuplicate: return L10n.tr("exact duplicate")
        case .outlier: return L10n.tr("unlike the member's other crops")
        case .severalFaces: return L10n.tr("several faces")
        case .nearDuplicate: return L10n.tr("near duplicate")
        case .tinyFace: return L10n.tr("tiny face")
        case .heldForReview: return L10n.tr("held for review")
        case .relabelled: return L10n.tr("relabelled")
        case .rejected: return L10n.tr("rejected")
        }
    }

    /// The flag on a 128-pixel tile: a word or two.
    static func word(_ flag: CurationQueue.Flag) -> String {
        switch flag {
        case .noFace: return L10n.tr("no face")
        case .nearDuplicateAcrossMembers: return L10n.tr("other member")
        case .exactDuplicate: return L10n.tr("duplicate")
        case .outlier: return L10n.tr("unusual")
        case .severalFaces: return L10n.tr("group photo")
        case .nearDuplicate: return L10n.tr("similar")
        case .tinyFace: return L10n.tr("tiny")
        case .heldForReview: return L10n.tr("held")
        case .relabelled: return L10n.tr("relabelled")
        case .rejected: return L10n.tr("rejected")
        }
    }

    /// A member's row in the list: "Bill Clinton — 15 crops, 3 flagged, 1 rejected".
    static func memberRow(_ queue: CurationQueue.MemberQueue, directory: MemberDirectory, script: MemberDirectory.Script) -> String {
        L10n.format(L10n.tr("%s — %s, %d flagged, %d rejected"), directory.name(of: queue.member, script: script),
                    L10n.format(L10n.plural("%d crop", "%d crops", queue.total), queue.total), queue.flagged, queue.rejected)
    }
}
