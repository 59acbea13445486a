import CGtk

/// What a new window shows: where photos come from. Loupe-style status page without libadwaita.
@MainActor
final class EmptyPage {
    let widget: Widget

    init() {
        widget = gtk_box_new(GTK_ORIENTATION_VERTICAL, 12)
        gtk_widget_set_valign(widget, GTK_ALIGN_CENTER)
        gtk_widget_set_halign(widget, GTK_ALIGN_CENTER)
        Gtk.margins(widget, 36)

        let icon = gtk_image_new_from_icon_name("image-x-generic-symbolic")!
        gtk_image_set_pixel_size(icon.opaque, 96)
        Gtk.addClasses(icon, "dim-label")
        gtk_box_append(widget.cast(), icon)

        gtk_box_append(widget.cast(), Gtk.label(L10n.tr("Drop Photos Here"), classes: ["empty-title"]))
        let hint = Gtk.label(L10n.tr("Drop photos or folders anywhere in this window, or open them. Every face found gets a box."),
                             classes: ["dim-label"])
        gtk_label_set_wrap(hint.opaque, 1)
        gtk_label_set_justify(hint.opaque, GTK_JUSTIFY_CENTER)
        gtk_label_set_max_width_chars(hint.opaque, 44)
        gtk_box_append(widget.cast(), hint)

        let buttons = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12)!
        gtk_widget_set_halign(buttons, GTK_ALIGN_CENTER)
        gtk_widget_set_margin_top(buttons, 12)
        let openPhotos = Gtk.button(L10n.tr("Open _Photos…"), action: "win.open", classes: ["suggested-action", "pill"])
        let openFolder = Gtk.button(L10n.tr("Open _Folder…"), action: "win.open-folder", classes: ["pill"])
        gtk_box_append(buttons.cast(), openPhotos)
        gtk_box_append(buttons.cast(), openFolder)
        gtk_box_append(widget.cast(), buttons)
    }
}
