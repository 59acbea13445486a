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
        widget = label
        Gtk.margins(widget, 6)
    }

    func show(_ report: HealthReport, directory: MemberDirectory, script: MemberDirectory.Script) {
        gtk_label_set_text(label.opaque, Self.lines(report, directory: directory, script: script).joined(separator: "\n"))
    }

    /// UI-free so it can be tested.
    static func lines(_ report: HealthReport, directory: MemberDirectory, script: MemberDirectory.Script) -> [String] {
        let noFace = report.members.reduce(0) { $0 + $1.noFace }
        var lines = [L10n.format(L10n.tr("Photos %d · faces %d · usable %d"), report.totals.photos, report.totals.faces, report.totals.usable),
                     L10n.format(L10n.tr("No face %d · several faces %d · exact duplicates %d · near duplicates %d"),
                                 noFace, report.severalFaces.count, report.exactDuplicates.count, report.nearDuplicates.count)]
        if !report.membersBelowMinimum.isEmpty {
            let names = report.membersBelowMinimum.map { directory.name(of: $0, script: script) }
            lines.append(L10n.format(L10n.tr("Below %d usable crops: %s"), report.minimumPerMember, names.joined(separator: ", ")))
        }
        if report.imbalanced {
            lines.append(L10n.format(L10n.tr("Imbalanced: the largest member has %sx the crops of the smallest"),
                                     String(format: "%.1f", report.imbalanceRatio)))
        }
        return lines
    }
}
