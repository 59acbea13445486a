import FaceKit

/// What the user said about one face in the photo popover. Stored in the dataset pipeline's
/// curation store (the photo file is never touched), where the next `dataset build` applies it.
enum FaceCorrection: Sendable, Equatable {
    /// "This is …": the crop trains under that member.
    case member(String)
    /// "Not a face": the crop is excluded.
    case notAFace
    /// "Not this member": the crop is excluded from the member it was filed or predicted under.
    case notThisMember(String?)
    /// "Not in the roster": a real face of someone who is no member (a stranger). Excluded from
    /// training like the other two, and stored with its kind (`stranger`) so it can serve as a
    /// negative for the open-set ("unknown") calibration (not used by it yet).
    case stranger

    var decision: CurationStore.Decision {
        switch self {
        case .member(let id): return .relabel(memberID: id)
        case .notAFace, .notThisMember, .stranger: return .reject
        }
    }

    /// How the rejection is stored (nil: not a rejection).
    var rejectionKind: CurationStore.RejectionKind? {
        switch self {
        case .member: return nil
        case .notAFace: return .notAFace
        case .notThisMember: return .notThisMember
        case .stranger: return .stranger
        }
    }

    /// The correction a stored decision stands for when a photo is opened again; a rejection
    /// stored without its kind (before kinds were kept, or from the Review page) reads as "not
    /// a face", and "not this member" no longer knows which member.
    init?(_ decision: CurationStore.Decision, kind: CurationStore.RejectionKind? = nil) {
        switch decision {
        case .relabel(let id): self = .member(id)
        case .reject:
            switch kind {
            case .stranger?: self = .stranger
            case .notThisMember?: self = .notThisMember(nil)
            case .notAFace?, nil: self = .notAFace
            }
        case .accept: return nil
        }
    }
}
