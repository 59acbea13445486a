import Foundation

/// Which of a member's items the Review page shows: all, the flagged ones (any reason to look,
/// decided or not), the ones the next run leaves out, or those the user rejected or kept.
public enum CurationFilter: String, Sendable, CaseIterable, Equatable {
    case all, flagged, notTrained, rejected, kept

    public func matches(_ item: CurationQueue.Item) -> Bool {
        switch self {
        case .all: return true
        case .flagged: return item.isFlagged
        case .notTrained: return !item.fate.isTrained
        case .rejected: return item.decision == .reject
        case .kept: return item.decision == .accept
        }
    }

    /// The member's items this filter shows, in the queue's order, with their 1-based positions
    /// in the whole queue (tiles keep their "Crop 7 of …" names whatever the filter).
    public func items(of member: CurationQueue.MemberQueue) -> [(position: Int, item: CurationQueue.Item)] {
        member.items.enumerated().compactMap { index, item in matches(item) ? (index + 1, item) : nil }
    }

    public func count(in member: CurationQueue.MemberQueue) -> Int {
        member.items.reduce(0) { $0 + (matches($1) ? 1 : 0) }
    }
}

extension CurationQueue.Item {
    /// Has a reason to be looked at: a flag other than the user's own decision.
    public var isFlagged: Bool { !flags.subtracting([.rejected, .relabelled]).isEmpty }
}

extension CurationQueue.MemberQueue {
    /// Crops the next run trains on / leaves out, for the member's summary.
    public var trainedCount: Int { items.filter { $0.fate.isTrained }.count }
    public var heldCount: Int { items.filter { $0.fate == .held }.count }
    /// Undecided flagged crops: what "Reject All Flagged" rejects.
    public var undecidedFlaggedCrops: [CropID] {
        var seen = Set<CropID>()
        return items.compactMap { item in
            guard item.isFlagged, item.decision == nil, let crop = item.crop, seen.insert(crop).inserted else { return nil }
            return crop
        }
    }
}
