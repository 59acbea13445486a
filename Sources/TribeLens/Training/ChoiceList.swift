import CGtk

/// A column of grouped toggle buttons (one pressed at a time), each with a title and an
/// optional dim explanation under it. Not a drop-down, so every choice and its explanation stay
/// visible; not GtkCheckButton radios, which GTK 4.8 gives no accessible action, so assistive
/// technology could read them but not pick one.
@MainActor
final class ChoiceList {
    struct Choice: Equatable {
        var title: String
        var detail: String?
        var sensitive = true
    }

    let widget: Widget
    private var buttons: [Widget] = []
    private var shown: [Choice] = []
    private var updating = false
    /// The user picked choice `index`.
    var onSelect: (Int) -> Void = { _ in }

    init(accessibleName: String) {
        widget = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6)
        tl_accessible_set_label(widget, accessibleName)
    }

    /// Replaces the choices (only when they changed, so focus is kept) and selects `selected`.
    func update(_ choices: [Choice], selected: Int?) {
        updating = true
        defer { updating = false }
        if choices != shown {
            while let child = gtk_widget_get_first_child(widget) { gtk_box_remove(widget.cast(), child) }
            buttons = []
            shown = choices
            for (index, choice) in choices.enumerated() {
                let button = gtk_toggle_button_new()!
                Gtk.addClasses(button, "flat", "choice")
                if let first = buttons.first { gtk_toggle_button_set_group(button.cast(), first.cast()) }
                gtk_widget_set_sensitive(button, choice.sensitive ? 1 : 0)
                let content = gtk_box_new(GTK_ORIENTATION_VERTICAL, 2)!
                let title = Gtk.label(choice.title, classes: ["heading"])
                gtk_label_set_xalign(title.opaque, 0)
                gtk_label_set_wrap(title.opaque, 1)
                content.append(title)
                if let detail = choice.detail, !detail.isEmpty {
                    let label = Gtk.label(detail, classes: ["dim-label", "caption"])
                    gtk_label_set_wrap(label.opaque, 1)
                    gtk_label_set_xalign(label.opaque, 0)
                    content.append(label)
                    tl_accessible_set_description(button, detail)
                }
                gtk_button_set_child(button.cast(), content)
                tl_accessible_set_label(button, choice.title)
                Signals.connect(button, "toggled") { [weak self] in
                    guard let self, !self.updating, gtk_toggle_button_get_active(button.cast()) != 0 else { return }
                    self.onSelect(index)
                }
                buttons.append(button)
                gtk_box_append(widget.cast(), button)
            }
        }
        for (index, button) in buttons.enumerated() {
            let active: gboolean = index == selected ? 1 : 0
            if gtk_toggle_button_get_active(button.cast()) != active { gtk_toggle_button_set_active(button.cast(), active) }
        }
    }
}
