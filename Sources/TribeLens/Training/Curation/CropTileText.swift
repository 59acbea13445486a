import FaceKit
import Foundation

/// What a curation tile says, apart from GTK: the accessible name the GUI tests look for
/// ("Crop 3 of Bill Clinton, several faces, rejected"), the badge letters and the tooltip.
struct CropTileText: Equatable {
    let accessibleName: String
    let tooltip: String

    /// `position` is 1-based within the member's queue.
    init(item: CurationQueue.Item, position: Int, directory: MemberDirectory, script: MemberDirectory.Script) {
        let member = directory.name(of: item.member, script: script)
        let subject = item.crop == nil ? "Photo \(position) of \(member)" : "Crop \(position) of \(member)"
        var parts = [subject]
        // Decision flags are said last; the decision itself names the relabel target.
        let flags = item.flags.subtracting([.rejected, .relabelled, .heldForReview]).sorted()
        parts += flags.map(\.description)
        switch item.decision {
        case .reject?: parts.append("rejected")
        case .relabel(let other)?: parts.append("relabelled to \(directory.name(of: other, script: script))")
        case .accept?: parts.append("kept")
        case nil: if item.flags.contains(.heldForReview) { parts.append("held for review") }
        }
        accessibleName = parts.joined(separator: ", ")
        tooltip = ([item.photo] + parts.dropFirst()).joined(separator: "\n")
    }
}
