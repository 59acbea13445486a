import CGtk

/// The row of thumbnails along the bottom when more than one photo is open; clicking one shows
/// it. Tiles are added as photos arrive and updated in place.
@MainActor
final class PhotoStrip {
    let widget: Widget
    private let row: Widget
    private var tiles: [ThumbnailButton] = []
    /// What each tile last showed (photo, its revision, selected, stopped): a folder of a thousand
    /// photos changes hundreds of times a second, and only the changed tiles are touched.
    private var shown: [(photo: Int, revision: Int, selected: Bool, stopped: Bool)] = []
    private var current: Int?
    /// Whether each tile is mapped: only those within a page or so of the view are, because the
    /// cairo renderer draws every mapped tile in every frame, and with hundreds of photos that
    /// kept the GTK thread busy. Unmapped tiles keep their place in the row.
    private var mapped: [Bool] = []
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
        tl_accessible_set_label(widget, L10n.tr("Photos"))
        Gtk.setVisible(widget, false)
        if let adjustment = gtk_scrolled_window_get_hadjustment(widget.opaque) {
            Signals.connect(UnsafeMutableRawPointer(adjustment), "value-changed") { [weak self] in self?.mapNearView() }
            Signals.connect(UnsafeMutableRawPointer(adjustment), "changed") { [weak self] in self?.mapNearView() }
        }
    }

    /// Maps the tiles from a page before the view to a page after it (and the shown one).
    private func mapNearView() {
        guard let adjustment = gtk_scrolled_window_get_hadjustment(widget.opaque), !tiles.isEmpty else { return }
        let pitch = Double(max(gtk_widget_get_width(tiles[0].widget), 40) + 6)  // tile + the row's spacing
        let value = gtk_adjustment_get_value(adjustment), page = max(gtk_adjustment_get_page_size(adjustment), 1000)
        let first = max(0, Int((value - page) / pitch)), last = Int((value + 2 * page) / pitch) + 1
        for index in tiles.indices {
            let near = (first...last).contains(index) || index == current
            guard near != mapped[index] else { continue }
            mapped[index] = near
            gtk_widget_set_child_visible(tiles[index].widget, near ? 1 : 0)
        }
    }

    /// `stopped`: the analysis was cancelled (waiting photos say they were not analysed).
    func update(_ photos: [Photo], current: Int?, stopped: Bool = false, thumbnail: (Photo) -> PreviewImage?) {
        while tiles.count < photos.count {
            let index = tiles.count
            let tile = ThumbnailButton { [weak self] in self?.onSelect(index) }
            gtk_box_append(row.cast(), tile.widget)
            tiles.append(tile)
            shown.append((photo: -1, revision: -1, selected: false, stopped: false))
            mapped.append(true)
        }
        // Photos taken out of the window: the last tiles go, the others show the photos now
        // at their places.
        while tiles.count > photos.count {
            gtk_box_remove(row.cast(), tiles.removeLast().widget)
            shown.removeLast()
            mapped.removeLast()
        }
        if tiles.count > 40 { mapNearView() }
        for (index, photo) in photos.enumerated() {
            let now = (photo: photo.id, revision: photo.revision, selected: index == current, stopped: stopped)
            guard shown[index] != now else { continue }
            shown[index] = now
            tiles[index].update(photo, thumbnail: thumbnail(photo), selected: now.selected, stopped: stopped)
        }
        Gtk.setVisible(widget, photos.count > 1)
        if current != self.current {
            self.current = current
            MainLoop.post(afterLayout: true) { [weak self] in self?.scrollToCurrent() }
        }
    }

    /// Keeps the shown photo's tile in view (centred when the strip scrolls).
    private func scrollToCurrent() {
        guard let current, tiles.indices.contains(current) else { return }
        var bounds = graphene_rect_t()
        guard gtk_widget_compute_bounds(tiles[current].widget, widget, &bounds) != 0,
              let adjustment = gtk_scrolled_window_get_hadjustment(widget.opaque) else { return }
        let page = gtk_adjustment_get_page_size(adjustment)
        let value = gtk_adjustment_get_value(adjustment)
        let left = Double(bounds.origin.x), right = left + Double(bounds.size.width)
        if left < 0 || right > page {
            gtk_adjustment_set_value(adjustment, value + (left + right) / 2 - page / 2)
        }
    }
}
