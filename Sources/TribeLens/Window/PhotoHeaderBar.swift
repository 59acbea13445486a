import CGtk

/// The title bar: Open on the left, previous/next and the position in the middle group, the
/// photo's file name as the subtitle. Buttons trigger window actions (`win.open`, ...), so
/// keyboard shortcuts and buttons share one code path and one enabled state.
@MainActor
final class PhotoHeaderBar {
    let widget: Widget
    private let subtitle: Widget
    private let position: Widget
    private let navigation: Widget

    init() {
        widget = gtk_header_bar_new()

        let open = Gtk.button(L10n.tr("_Open"), action: "win.open")
        gtk_widget_set_tooltip_text(open, L10n.tr("Open photos (Ctrl+O)"))
        gtk_header_bar_pack_start(widget.opaque, open)

        navigation = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 0)
        Gtk.addClasses(navigation, "linked")
        gtk_box_append(navigation.cast(), Gtk.iconButton("go-previous-symbolic", name: L10n.tr("Previous photo"),
                                                         action: "win.previous"))
        gtk_box_append(navigation.cast(), Gtk.iconButton("go-next-symbolic", name: L10n.tr("Next photo"),
                                                         action: "win.next"))
        gtk_header_bar_pack_start(widget.opaque, navigation)

        gtk_header_bar_pack_end(widget.opaque, PrimaryMenu.make())  // rightmost
        position = Gtk.label("", classes: ["dim-label", "numeric"], description: "Photo position")
        gtk_header_bar_pack_end(widget.opaque, position)

        let title = Gtk.label("TribeLens", classes: ["title"])
        subtitle = Gtk.label("", classes: ["subtitle"], description: "Photo file name")
        gtk_label_set_ellipsize(subtitle.opaque, PANGO_ELLIPSIZE_MIDDLE)
        gtk_label_set_max_width_chars(subtitle.opaque, 40)
        let titles = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0)!
        gtk_widget_set_valign(titles, GTK_ALIGN_CENTER)
        gtk_box_append(titles.cast(), title)
        gtk_box_append(titles.cast(), subtitle)
        gtk_header_bar_set_title_widget(widget.opaque, titles)
        update(fileName: nil, index: 0, count: 0)
    }

    func update(fileName: String?, index: Int, count: Int) {
        gtk_label_set_text(subtitle.opaque, fileName ?? "")
        Gtk.setVisible(subtitle, fileName != nil)
        gtk_label_set_text(position.opaque, count > 1 ? L10n.format(L10n.tr("%d of %d"), index + 1, count) : "")
        // As wide as the widest position of this many photos ("34 of 34"), so the title in the
        // middle does not move as the number grows a digit.
        gtk_label_set_width_chars(position.opaque, Int32(L10n.format(L10n.tr("%d of %d"), count, count).count))
        Gtk.setVisible(position, count > 1)
        Gtk.setVisible(navigation, count > 1)
    }
}
