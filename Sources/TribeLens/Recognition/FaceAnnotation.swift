import FaceKit
import Foundation

/// What is written on and next to one face box: a title (who), a detail line (groups and how
/// sure), a colour by confidence, and the name screen readers and the GUI tests read.
struct FaceAnnotation: Sendable, Equatable {
    /// Box colour, by how far the answer can be trusted.
    enum Tone: Sendable, Equatable {
        /// No model: the plain detector box.
        case detected
        /// A member the model's calibration calls sure (`FaceLabel.sure`); for a model without
        /// one, at or above `FaceAnnotation.sureProbability`.
        case sure
        /// A member between the threshold and `sureProbability`.
        case likely
        /// Unknown member, but a clear group.
        case group
        case unknown
        /// The user's own label.
        case corrected
        /// The user said this is not a face / not this member.
        case rejected
        /// The user said this is someone outside the roster.
        case stranger

        /// RGB 0-1, from the GNOME palette; readable on photos with the dark halo under them.
        var rgb: (Double, Double, Double) {
            switch self {
            case .detected: return (0.965, 0.827, 0.176)  // yellow 2 #f6d32d
            case .sure: return (0.2, 0.82, 0.478)         // green 3 #33d17a
            case .likely: return (1.0, 0.639, 0.282)      // orange 2 #ffa348
            case .group: return (0.384, 0.627, 0.918)     // blue 2 #62a0ea
            case .unknown: return (0.753, 0.749, 0.737)   // light 4 #c0bfbc
            case .corrected: return (0.753, 0.38, 0.796)  // purple 2 #c061cb
            case .rejected: return (0.878, 0.106, 0.141)  // red 3 #e01b24
            case .stranger: return (0.709, 0.514, 0.353)  // brown 2 #b5835a
            }
        }
    }

    /// At or above this a member's box is green; between the threshold and this, orange.
    static let sureProbability = 0.8

    let index: Int
    let title: String
    let detail: String
    let tone: Tone

    /// "Face 1: TAKAHIRO, EXILE, 87%"; "Face 2: unknown, probably EXILE, 62%"; "Face 3".
    var accessibleName: String {
        let parts = [title, detail.replacingOccurrences(of: " · ", with: ", ")].filter { !$0.isEmpty }
        return Self.faceName(index, parts.joined(separator: ", "))
    }

    /// "Face 2" (a box without a name), or "Face 2: `text`"; numbered from 1 as the user counts.
    static func faceName(_ index: Int, _ text: String? = nil) -> String {
        guard let text, !text.isEmpty else { return L10n.format(L10n.tr("Face %d"), index + 1) }
        return L10n.format(L10n.tr("Face %d: %s"), index + 1, text)
    }

    /// `label` nil: no model (or not labelled yet); `correction` wins over the model's answer.
    init(index: Int, label: FaceLabel?, correction: FaceCorrection?, directory: MemberDirectory?,
         script: MemberDirectory.Script) {
        self.index = index
        let directory = directory ?? MemberDirectory(classes: [], roster: nil)
        if let correction {
            switch correction {
            case .member(let id):
                title = directory.name(of: id, script: script)
                detail = L10n.tr("your label")
                tone = .corrected
            case .notAFace:
                title = L10n.tr("not a face")
                detail = L10n.tr("your label")
                tone = .rejected
            case .stranger:
                title = L10n.tr("not in the roster")
                detail = L10n.tr("your label")
                tone = .stranger
            case .notThisMember(let id):
                title = id.map { L10n.format(L10n.tr("not %s"), directory.name(of: $0, script: script)) }
                    ?? L10n.tr("not this member")
                detail = L10n.tr("your label")
                tone = .rejected
            }
            return
        }
        guard let label else {
            title = ""
            detail = ""
            tone = .detected
            return
        }
        let percent = ModelSummary.percent(label.probability)
        if let member = label.member {
            title = directory.name(of: member, script: script)
            detail = [directory.groupText(label.groups), percent].filter { !$0.isEmpty }.joined(separator: " · ")
            // The model's calibrated confidence where it has one: a raw softmax of 97% can be wrong.
            tone = label.sure ?? (label.probability >= Self.sureProbability) ? .sure : .likely
        } else if let group = label.group {
            title = L10n.tr("unknown")
            detail = L10n.format(L10n.tr("probably %s"), directory.groupText([group])) + " · " + percent
            tone = .group
        } else {
            title = L10n.tr("unknown")
            detail = ""
            tone = .unknown
        }
    }

    /// The popover's candidate rows: name and probability, best first.
    static func candidates(_ label: FaceLabel, directory: MemberDirectory?, script: MemberDirectory.Script)
        -> [(id: String, name: String, probability: Double)] {
        let directory = directory ?? MemberDirectory(classes: [], roster: nil)
        return label.top.map { (id: $0.member, name: directory.name(of: $0.member, script: script), probability: $0.probability) }
    }
}
