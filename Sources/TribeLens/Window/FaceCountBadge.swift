import CGtk

/// The on-photo pill that says how many faces were found ("2 faces"), with a spinner while the
/// detector works. Its label is what assistive technology and the GUI tests read: accessible
/// description "Face count", accessible name the text itself.
@MainActor
final class FaceCountBadge {
    let widget: Widget
    private let spinner: Widget
    private let label: Widget

    init() {
        widget = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 8)
        Gtk.addClasses(widget, "osd", "face-count")
        gtk_widget_set_halign(widget, GTK_ALIGN_CENTER)
        gtk_widget_set_valign(widget, GTK_ALIGN_END)
        gtk_widget_set_margin_bottom(widget, 18)
        gtk_widget_set_can_target(widget, 0)
        spinner = gtk_spinner_new()
        label = Gtk.label("", description: "Face count")
        gtk_box_append(widget.cast(), spinner)
        gtk_box_append(widget.cast(), label)
        Gtk.setVisible(widget, false)
    }

    /// `text` nil hides the badge.
    func show(_ text: String?, busy: Bool) {
        Gtk.setVisible(widget, text != nil)
        gtk_label_set_text(label.opaque, text ?? "")
        Gtk.setVisible(spinner, busy)
        gtk_spinner_set_spinning(spinner.opaque, busy ? 1 : 0)
    }
}
