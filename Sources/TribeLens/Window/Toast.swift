import CGtk

/// A non-blocking message at the top of the window (for photos that could not be opened).
/// Messages arriving together are shown together; it hides itself after a while or on Dismiss.
/// A message may carry one action (a correction's Undo, an export's Show in Folder): a button
/// beside it, gone with the message.
@MainActor
final class Toast {
    /// A button on a message: its label (also its accessible name) and what it does.
    struct Action {
        let label: String
        let run: @MainActor () -> Void
    }

    let widget: Widget
    private let label: Widget
    private let actionButton: Widget
    private var action: Action?
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
        actionButton = gtk_button_new_with_label("")
        gtk_widget_set_valign(actionButton, GTK_ALIGN_CENTER)
        Signals.connect(actionButton, "clicked") { [weak self] in
            guard let self, let action = self.action else { return }
            self.hide()
            action.run()
        }
        Gtk.setVisible(actionButton, false)
        gtk_box_append(box.cast(), actionButton)
        let dismiss = Gtk.iconButton("window-close-symbolic", name: L10n.tr("Dismiss"))
        Gtk.addClasses(dismiss, "flat", "circular")
        gtk_widget_set_valign(dismiss, GTK_ALIGN_CENTER)
        Signals.connect(dismiss, "clicked") { [weak self] in self?.hide() }
        gtk_box_append(box.cast(), dismiss)
        gtk_revealer_set_child(widget.opaque, box)
    }

    /// Shows `message` (with the others still shown, unless it has an `action`: then alone,
    /// so the button plainly belongs to it).
    func show(_ message: String, seconds: UInt32 = 10, action: Action? = nil) {
        if action != nil || self.action != nil { messages.removeAll() }
        self.action = action
        if let action { gtk_button_set_label(actionButton.cast(), action.label) }
        Gtk.setVisible(actionButton, action != nil)
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
        action = nil
        Gtk.setVisible(actionButton, false)
        gtk_revealer_set_reveal_child(widget.opaque, 0)
    }
}
