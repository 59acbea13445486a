import FaceKit

/// What the user said about one face in the photo popover. Stored in the dataset pipeline's
/// curation store (the photo file is never touched), where the next `dataset build` applies it.
enum FaceCorrection: Sendable, Equatable {
    /// "This is …": the crop trains under that member.
    case member(String)
    /// "Not a face": the crop is excluded.
    case notAFace
    /// "Not this member": the crop is excluded from the member it was filed or predicted under.
    /// The curation store knows reject, accept and re-label only, so this is a rejection too.
    case notThisMember(String?)

    var decision: CurationStore.Decision {
        switch self {
        case .member(let id): return .relabel(memberID: id)
        case .notAFace, .notThisMember: return .reject
        }
    }

    /// The correction a stored decision stands for when a photo is opened again (a rejection
    /// does not say which of the two it was).
    init?(_ decision: CurationStore.Decision) {
        switch decision {
        case .relabel(let id): self = .member(id)
        case .reject: self = .notAFace
        case .accept: return nil
        }
    }
}
