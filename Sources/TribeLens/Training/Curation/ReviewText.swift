import FaceKit
import Foundation

/// What the Review page's toolbar says, apart from GTK (tested in ReviewTextTests): the filter
/// names, the member's "will be trained on" summary, the selection and the undo/redo texts.
enum ReviewText {
    static func filterTitle(_ filter: CurationFilter) -> String {
        switch filter {
        case .all: return L10n.tr("All")
        case .flagged: return L10n.tr("Flagged")
        case .notTrained: return L10n.tr("Not Trained On")
        case .rejected: return L10n.tr("Rejected")
        case .kept: return L10n.tr("Kept")
        }
    }

    /// "Flagged crops of Bill Clinton: 7" — the filter button's description.
    static func filterDescription(_ filter: CurationFilter, count: Int) -> String {
        switch filter {
        case .all: return L10n.format(L10n.plural("%d item", "%d items", count), count)
        case .flagged: return L10n.format(L10n.plural("%d item with a reason to look at it", "%d items with a reason to look at them", count), count)
        case .notTrained: return L10n.format(L10n.plural("%d item the next training run leaves out", "%d items the next training run leaves out", count), count)
        case .rejected: return L10n.format(L10n.plural("%d crop you rejected", "%d crops you rejected", count), count)
        case .kept: return L10n.format(L10n.plural("%d crop you kept", "%d crops you kept", count), count)
        }
    }

    /// "12 of 17 crops will be trained on · 3 held for review (not trained on unless kept) ·
    /// 1 rejected · 1 copy of another photo · 1 photo without a face".
    static func memberSummary(_ member: CurationQueue.MemberQueue) -> String {
        let crops = member.items.filter { $0.crop != nil }.count
        var parts = [L10n.format(L10n.plural("%d of %d crop will be trained on", "%d of %d crops will be trained on", crops),
                                 member.trainedCount, crops)]
        let held = member.heldCount
        if held > 0 { parts.append(L10n.format(L10n.tr("%d held for review (not trained on unless kept)"), held)) }
        let rejected = member.items.filter { $0.fate == .rejected }.count
        if rejected > 0 { parts.append(L10n.format(L10n.tr("%d rejected"), rejected)) }
        let copies = member.items.filter { if case .duplicate = $0.fate { return true } else { return false } }.count
        if copies > 0 { parts.append(L10n.format(L10n.plural("%d copy of another photo", "%d copies of other photos", copies), copies)) }
        let empty = member.items.count - crops
        if empty > 0 { parts.append(L10n.format(L10n.plural("%d photo without a face", "%d photos without a face", empty), empty)) }
        return parts.joined(separator: " · ")
    }

    static func selection(_ count: Int) -> String {
        count == 0 ? L10n.tr("Nothing selected") : L10n.format(L10n.plural("%d selected", "%d selected", count), count)
    }

    /// "reject 5 crops", "keep 1 crop", "relabel 2 crops as Al Gore", "forget the decision on 3 crops".
    static func step(_ step: CurationHistory.Step, directory: MemberDirectory, script: MemberDirectory.Script) -> String {
        let n = step.changes.count
        switch step.decision {
        case .reject?: return L10n.format(L10n.plural("reject %d crop", "reject %d crops", n), n)
        case .accept?: return L10n.format(L10n.plural("keep %d crop", "keep %d crops", n), n)
        case .relabel(let member)?:
            return L10n.format(L10n.plural("relabel %d crop as %s", "relabel %d crops as %s", n), n, directory.name(of: member, script: script))
        case nil: return L10n.format(L10n.plural("forget the decision on %d crop", "forget the decisions on %d crops", n), n)
        }
    }

    static func undo(_ history: CurationHistory, directory: MemberDirectory, script: MemberDirectory.Script) -> String {
        guard let last = history.undoSteps.last else { return L10n.tr("Nothing to undo") }
        return L10n.format(L10n.tr("Undo: %s"), step(last, directory: directory, script: script))
    }

    static func redo(_ history: CurationHistory, directory: MemberDirectory, script: MemberDirectory.Script) -> String {
        guard let last = history.redoSteps.last else { return L10n.tr("Nothing to redo") }
        return L10n.format(L10n.tr("Redo: %s"), step(last, directory: directory, script: script))
    }
}
