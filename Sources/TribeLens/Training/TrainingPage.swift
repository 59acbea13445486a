import CGtk
import Foundation

/// The pieces every training-panel page is made of, so the pages look alike: headings,
/// explanations, labelled rows, and a scrolled page body.
@MainActor
enum TrainingPage {
    static func heading(_ text: String) -> Widget {
        let label = Gtk.label(text, classes: ["title-2"])
        gtk_label_set_xalign(label.opaque, 0)
        return label
    }

    static func subheading(_ text: String) -> Widget {
        let label = Gtk.label(text, classes: ["heading"])
        gtk_label_set_xalign(label.opaque, 0)
        gtk_widget_set_margin_top(label, 6)
        return label
    }

    static func explanation(_ text: String) -> Widget {
        let label = Gtk.label(text, classes: ["dim-label"])
        gtk_label_set_wrap(label.opaque, 1)
        gtk_label_set_xalign(label.opaque, 0)
        return label
    }

    /// "Epochs   [ 50 ]": a label naming its control (its mnemonic widget, which also names the
    /// control for assistive technology).
    static func row(_ title: String, _ control: Widget) -> Widget {
        let row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12)!
        let label = gtk_label_new_with_mnemonic(title)!
        gtk_label_set_mnemonic_widget(label.opaque, control)
        gtk_label_set_xalign(label.opaque, 0)
        gtk_widget_set_hexpand(label, 1)
        row.append(label)
        row.append(control)
        return row
    }

    /// "These faces were found at 14:02. Since then: …": a warning line, hidden while empty;
    /// `description` names it for assistive technology and the GUI tests.
    static func staleNote(description: String) -> Widget {
        let label = Gtk.label("", classes: ["stale-note"], description: description)
        gtk_label_set_wrap(label.opaque, 1)
        gtk_label_set_xalign(label.opaque, 0)
        Gtk.setVisible(label, false)
        return label
    }

    static func scrolled(_ child: Widget) -> Widget {
        let scroller = gtk_scrolled_window_new()!
        gtk_scrolled_window_set_policy(scroller.opaque, GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC)
        gtk_scrolled_window_set_child(scroller.opaque, child)
        gtk_widget_set_vexpand(scroller, 1)
        return scroller
    }

    /// Export…: a Save dialog, then `write` renders the chart to the chosen file off the GTK
    /// thread; the outcome is a toast.
    static func exportChart(title: String, suggestedName: String, parent: Widget, model: TrainingPanelModel,
                            write: @escaping @MainActor (URL, @escaping @MainActor @Sendable (Result<URL, ExportError>) -> Void) -> Void) {
        SaveDialog.present(title: title, suggestedName: suggestedName, parent: parent) { [weak model] url in
            write(url) { result in
                switch result {
                case .success(let url): model?.onMessage(L10n.format(L10n.tr("Exported %s"), url.lastPathComponent))
                case .failure(let error): model?.onMessage(L10n.format(L10n.tr("Export failed: %s"), "\(error)"))
                }
            }
        }
    }
}

extension UnsafeMutablePointer where Pointee == GtkWidget {
    /// `gtk_box_append` for a widget known to be a GtkBox.
    @MainActor func append(_ child: Widget) { gtk_box_append(cast(), child) }
}
