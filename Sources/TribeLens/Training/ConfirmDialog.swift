import CGtk

/// A small modal question with two answers ("Keep Training" / "Stop and Close"). Built from a
/// plain GtkWindow: GtkMessageDialog's constructors are variadic, which Swift cannot call.
@MainActor
enum ConfirmDialog {
    static func ask(parent: Widget, heading: String, body: String, cancel: String, confirm: String,
                    destructive: Bool = true, onConfirm: @escaping @MainActor () -> Void) {
        let dialog = gtk_window_new()!
        gtk_window_set_transient_for(dialog.cast(), parent.cast())
        gtk_window_set_modal(dialog.cast(), 1)
        gtk_window_set_resizable(dialog.cast(), 0)
        gtk_window_set_title(dialog.cast(), heading)
        Gtk.addClasses(dialog, "message", "dialog")

        let box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 12)!
        Gtk.margins(box, 24)
        let title = Gtk.label(heading, classes: ["title-2"])
        box.append(title)
        let text = Gtk.label(body, description: "Question")
        gtk_label_set_wrap(text.opaque, 1)
        gtk_label_set_max_width_chars(text.opaque, 40)
        box.append(text)
        let buttons = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12)!
        gtk_widget_set_halign(buttons, GTK_ALIGN_END)
        gtk_widget_set_margin_top(buttons, 12)
        let no = Gtk.button(cancel)
        let yes = Gtk.button(confirm)
        Gtk.addClasses(yes, destructive ? "destructive-action" : "suggested-action")
        buttons.append(no)
        buttons.append(yes)
        box.append(buttons)
        gtk_window_set_child(dialog.cast(), box)
        gtk_window_set_default_widget(dialog.cast(), no)  // Return never destroys work by accident

        Signals.connect(no, "clicked") { gtk_window_destroy(dialog.cast()) }
        Signals.connect(yes, "clicked") {
            gtk_window_destroy(dialog.cast())
            onConfirm()
        }
        gtk_window_present(dialog.cast())
        gtk_widget_grab_focus(no)
    }
}
