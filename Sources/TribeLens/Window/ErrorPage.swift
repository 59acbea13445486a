import CGtk

/// Shown instead of the photo when the current photo could not be opened; the other photos
/// stay reachable with previous/next.
@MainActor
final class ErrorPage {
    let widget: Widget
    private let message: Widget

    init() {
        widget = gtk_box_new(GTK_ORIENTATION_VERTICAL, 12)
        gtk_widget_set_valign(widget, GTK_ALIGN_CENTER)
        gtk_widget_set_halign(widget, GTK_ALIGN_CENTER)
        Gtk.margins(widget, 36)
        let icon = gtk_image_new_from_icon_name("image-missing-symbolic")!
        gtk_image_set_pixel_size(icon.opaque, 96)
        Gtk.addClasses(icon, "dim-label")
        gtk_box_append(widget.cast(), icon)
        gtk_box_append(widget.cast(), Gtk.label(L10n.tr("Could Not Open Photo"), classes: ["empty-title"]))
        message = Gtk.label("", classes: ["dim-label"], description: "Error message")
        gtk_label_set_wrap(message.opaque, 1)
        gtk_label_set_justify(message.opaque, GTK_JUSTIFY_CENTER)
        gtk_label_set_max_width_chars(message.opaque, 60)
        gtk_label_set_selectable(message.opaque, 1)
        gtk_box_append(widget.cast(), message)
    }

    func show(_ text: String) { gtk_label_set_text(message.opaque, text) }
}
