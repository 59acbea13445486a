import CGtk
import FaceKit

/// The health check above the curation grid: a few lines from the `HealthReport`, each a label
/// the GUI tests can read (accessible description "Dataset health").
@MainActor
final class CurationSummary {
    let widget: Widget
    private let label: Widget

    init() {
        label = Gtk.label("", classes: ["dim-label"], description: "Dataset health")
        gtk_label_set_xalign(label.opaque, 0)
        gtk_label_set_wrap(label.opaque, 1)
        gtk_label_set_selectable(label.opaque, 1)
        widget = label
        Gtk.margins(widget, 6)
    }

    func show(_ report: HealthReport, directory: MemberDirectory, script: MemberDirectory.Script) {
        gtk_label_set_text(label.opaque, Self.lines(report, directory: directory, script: script).joined(separator: "\n"))
    }

    /// UI-free so it can be tested.
    static func lines(_ report: HealthReport, directory: MemberDirectory, script: MemberDirectory.Script) -> [String] {
        let noFace = report.members.reduce(0) { $0 + $1.noFace }
        var lines = ["Photos \(report.totals.photos) · faces \(report.totals.faces) · usable \(report.totals.usable)",
                     "No face \(noFace) · several faces \(report.severalFaces.count) · exact duplicates \(report.exactDuplicates.count)"
                        + " · near duplicates \(report.nearDuplicates.count)"]
        if !report.membersBelowMinimum.isEmpty {
            let names = report.membersBelowMinimum.map { directory.name(of: $0, script: script) }
            lines.append("Below \(report.minimumPerMember) usable crops: \(names.joined(separator: ", "))")
        }
        if report.imbalanced {
            lines.append("Imbalanced: the largest member has \(String(format: "%.1f", report.imbalanceRatio))x the crops of the smallest")
        }
        return lines
    }
}
