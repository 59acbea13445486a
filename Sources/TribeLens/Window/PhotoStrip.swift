import CGtk

/// The row of thumbnails along the bottom when more than one photo is open; clicking one shows
/// it. Tiles are added as photos arrive and updated in place.
@MainActor
final class PhotoStrip {
    let widget: Widget
    private let row: Widget
    private var tiles: [ThumbnailButton] = []
    /// Told the index of a clicked tile.
    var onSelect: @MainActor (Int) -> Void = { _ in }

    init() {
        widget = gtk_scrolled_window_new()
        gtk_scrolled_window_set_policy(widget.opaque, GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER)
        Gtk.addClasses(widget, "photo-strip")
        row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6)
        gtk_widget_set_halign(row, GTK_ALIGN_CENTER)
        Gtk.margins(row, 6)
        gtk_scrolled_window_set_child(widget.opaque, row)
        tl_accessible_set_label(widget, "Photos")
        Gtk.setVisible(widget, false)
    }

    func update(_ photos: [Photo], current: Int?, thumbnail: (Photo) -> PreviewImage?) {
        while tiles.count < photos.count {
            let index = tiles.count
            let tile = ThumbnailButton { [weak self] in self?.onSelect(index) }
            gtk_box_append(row.cast(), tile.widget)
            tiles.append(tile)
        }
        for (index, photo) in photos.enumerated() {
            tiles[index].update(photo, thumbnail: thumbnail(photo), selected: index == current)
        }
        Gtk.setVisible(widget, photos.count > 1)
    }
}
