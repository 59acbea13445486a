import CGtk

/// The photo view's zoom pill, bottom right as in GNOME's image viewer: zoom out, the shown
/// scale ("37%"; clicking it switches between fit and 100 %), zoom in. The buttons trigger the
/// window's zoom actions, so they are enabled and disabled with the keyboard shortcuts. When a
/// photo is too large to be shown at the zoom's resolution (its decode would pass the photo
/// memory or the pixel limit), the level's tooltip and accessible name say at which size it is.
@MainActor
final class ZoomControls {
    let widget: Widget
    private let level: Widget
    private var text = ""

    init() {
        widget = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 0)
        Gtk.addClasses(widget, "osd", "zoom-controls", "linked")
        gtk_widget_set_halign(widget, GTK_ALIGN_END)
        gtk_widget_set_valign(widget, GTK_ALIGN_END)
        Gtk.margins(widget, 12)
        let out = Gtk.iconButton("zoom-out-symbolic", name: L10n.tr("Zoom Out"), action: "win.zoom-out")
        level = gtk_button_new_with_label("")
        gtk_actionable_set_action_name(level.opaque, "win.zoom-toggle")
        Gtk.addClasses(level, "numeric", "zoom-level")
        tl_accessible_set_description(level, "Zoom level")
        let zoomIn = Gtk.iconButton("zoom-in-symbolic", name: L10n.tr("Zoom In"), action: "win.zoom-in")
        for button in [out, level, zoomIn] {
            Gtk.addClasses(button, "flat")
            gtk_box_append(widget.cast(), button)
        }
        Gtk.setVisible(widget, false)
    }

    /// Shows `percent` ("150%"); `fit` says whether the photo is fitted to the window;
    /// `reducedTo`: the photo is shown from a decode at 1/N a side, less than the zoom asks.
    func update(percent: String, fit: Bool, visible: Bool, reducedTo: Int? = nil) {
        Gtk.setVisible(widget, visible)
        let text = "\(percent) \(fit) \(reducedTo ?? 1)"
        guard text != self.text else { return }
        self.text = text
        gtk_button_set_label(level.cast(), percent)
        let name = fit ? L10n.format(L10n.tr("Zoom %s, fitted to the window; click for 100%%"), percent)
            : reducedTo.map { L10n.format(L10n.tr("Zoom %1$s, shown at 1/%2$d size (the photo is too large for more); click to fit to the window"),
                                          percent, $0) }
            ?? L10n.format(L10n.tr("Zoom %s; click to fit to the window"), percent)
        tl_accessible_set_label(level, name)
        gtk_widget_set_tooltip_text(level, name)
    }
}
