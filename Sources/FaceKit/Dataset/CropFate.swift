import Foundation

/// What the next training run does with a curation item, as `DatasetBuilder` will decide it
/// from the item's decision and the preset: the Review page shows it on every tile, so "held
/// for review" reads as "not trained on" without a tooltip.
public enum CropFate: Sendable, Equatable {
    /// Trained on, under this member (the folder's, or the one it was re-labelled to).
    case trained(member: String)
    /// A face of a group photo other than the largest: left out until the user keeps it.
    case held
    case rejected
    /// A byte-identical copy of this photo is trained on instead (`recommended`).
    case duplicate(of: String)
    /// A photo without a face: nothing to train on.
    case noFace

    public var isTrained: Bool {
        if case .trained = self { return true }
        return false
    }
}

extension CurationQueue.Item {
    /// The builder's order: copies are skipped before decisions are read, then a rejection
    /// excludes, a re-label moves, a keep (or no decision outside "held") trains.
    public var fate: CropFate {
        guard crop != nil else { return .noFace }
        if let copyOf { return .duplicate(of: copyOf) }
        switch decision {
        case .reject?: return .rejected
        case .relabel(let other)?: return .trained(member: other)
        case .accept?: return .trained(member: member)
        case nil: return heldUnlessKept ? .held : .trained(member: member)
        }
    }
}
