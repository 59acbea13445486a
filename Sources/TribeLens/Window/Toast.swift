import CGtk

/// A non-blocking message at the top of the window (for photos that could not be opened).
/// Messages arriving together are shown together; it hides itself after a while or on Dismiss.
@MainActor
final class Toast {
    let widget: Widget
    private let label: Widget
    private var messages: [String] = []
    private var hideTimer: UInt32 = 0
    private static let shownLines = 3

    init() {
        widget = gtk_revealer_new()
        gtk_revealer_set_transition_type(widget.opaque, GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN)
        gtk_widget_set_halign(widget, GTK_ALIGN_CENTER)
        gtk_widget_set_valign(widget, GTK_ALIGN_START)

        let box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12)!
        Gtk.addClasses(box, "app-notification", "toast")
        label = Gtk.label("", description: "Notification")
        gtk_label_set_wrap(label.opaque, 1)
        gtk_label_set_max_width_chars(label.opaque, 60)
        gtk_label_set_xalign(label.opaque, 0)
        gtk_box_append(box.cast(), label)
        let dismiss = Gtk.iconButton("window-close-symbolic", name: L10n.tr("Dismiss"))
        Gtk.addClasses(dismiss, "flat", "circular")
        gtk_widget_set_valign(dismiss, GTK_ALIGN_CENTER)
        Signals.connect(dismiss, "clicked") { [weak self] in self?.hide() }
        gtk_box_append(box.cast(), dismiss)
        gtk_revealer_set_child(widget.opaque, box)
    }

    func show(_ message: String, seconds: UInt32 = 10) {
        messages.append(message)
        var lines = Array(messages.suffix(Self.shownLines))
        if messages.count > Self.shownLines { lines.insert(L10n.format(L10n.plural("%d photo could not be opened; the latest:", "%d photos could not be opened; the latest:", messages.count), messages.count), at: 0) }
        gtk_label_set_text(label.opaque, lines.joined(separator: "\n"))
        // A wrapping label asks only for its longest word; ask for the longest line (capped).
        gtk_label_set_width_chars(label.opaque, Int32(min(lines.map(\.count).max() ?? 0, 60)))
        gtk_revealer_set_reveal_child(widget.opaque, 1)
        MainLoop.cancel(hideTimer)
        hideTimer = MainLoop.after(milliseconds: seconds * 1000) { [weak self] in
            self?.hideTimer = 0
            self?.hide()
        }
    }

    func hide() {
        MainLoop.cancel(hideTimer)
        hideTimer = 0
        messages.removeAll()
        gtk_revealer_set_reveal_child(widget.opaque, 0)
    }
}
