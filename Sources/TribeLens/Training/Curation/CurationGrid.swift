import CGtk
import FaceKit

/// The Review page's body: the members on the left ("Bill Clinton — 15 crops, 3 flagged,
/// 1 rejected"), the selected member's crops on the right in the queue's order (flagged first),
/// as many as the toolbar's filter shows. Tiles exist only for the selected member, so a folder
/// of thousands of crops costs the widgets of one member at a time.
/// Several tiles can be selected (Ctrl+click, Shift+click, Shift+arrows, Ctrl+A, "Select
/// Flagged") and decided on at once: from the toolbar, the keyboard, or the popover of one of
/// them.
@MainActor
final class CurationGrid {
    let widget: Widget
    let toolbar = CurationToolbar()
    private let list: Widget
    private let flow: Widget
    private let popover: CropActionsPopover
    private var rows: [Widget] = []  // the rows' labels, in queue order
    private var tiles: [CropTile] = []
    private(set) var filter = CurationFilter.all
    /// The tile Shift+click extends the selection from.
    private var anchor: Int?
    /// A Ctrl/Shift press on this tile selected it: its button's "clicked" on release must not
    /// open the popover too (claiming the press does not stop a button's own gesture).
    private var modifierPress: (tile: ObjectIdentifier, time: Double)?
    private var queue: CurationQueue?
    private var crops: [CropID: RGBImage] = [:]
    private var directory = MemberDirectory(classes: [], roster: nil)
    private var script = MemberDirectory.Script.romaji
    private var shownMember: String?
    /// Set while rows are replaced: GtkListBox reports those selection changes too.
    private var rebuilding = false

    /// A decision for one or more crops (the popover, the toolbar, a tile's Keep, the keyboard).
    var onDecide: ([CropID], CurationStore.Decision) -> Void = { _, _ in }

    init() {
        widget = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12)!
        gtk_widget_set_vexpand(widget, 1)

        list = gtk_list_box_new()
        gtk_list_box_set_selection_mode(list.opaque, GTK_SELECTION_BROWSE)
        Gtk.addClasses(list, "navigation-sidebar")
        tl_accessible_set_label(list, L10n.tr("Members"))
        let listScroller = gtk_scrolled_window_new()!
        gtk_scrolled_window_set_policy(listScroller.opaque, GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC)
        gtk_scrolled_window_set_child(listScroller.opaque, list)
        gtk_widget_set_size_request(listScroller, 300, -1)
        Gtk.addClasses(listScroller, "frame")

        flow = gtk_flow_box_new()
        // Multiple: Shift+arrows extend, Ctrl+arrows move without selecting, Ctrl+Space toggles,
        // Ctrl+A selects all (GtkFlowBox's own keys); clicks are the tiles' (see `pressed`).
        gtk_flow_box_set_selection_mode(flow.opaque, GTK_SELECTION_MULTIPLE)
        Gtk.addClasses(flow, "crop-grid")
        gtk_flow_box_set_homogeneous(flow.opaque, 1)
        gtk_flow_box_set_max_children_per_line(flow.opaque, 64)
        gtk_flow_box_set_row_spacing(flow.opaque, 6)
        gtk_flow_box_set_column_spacing(flow.opaque, 6)
        gtk_widget_set_valign(flow, GTK_ALIGN_START)
        Gtk.margins(flow, 6)
        tl_accessible_set_label(flow, L10n.tr("Crops"))
        let flowScroller = gtk_scrolled_window_new()!
        gtk_scrolled_window_set_policy(flowScroller.opaque, GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC)
        gtk_scrolled_window_set_child(flowScroller.opaque, flow)
        gtk_widget_set_hexpand(flowScroller, 1)
        Gtk.addClasses(flowScroller, "frame")

        widget.append(listScroller)
        let right = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6)!
        gtk_widget_set_hexpand(right, 1)
        right.append(toolbar.widget)
        gtk_widget_set_vexpand(flowScroller, 1)
        right.append(flowScroller)
        widget.append(right)
        popover = CropActionsPopover(parent: widget)
        popover.onDecide = { [weak self] crops, decision in self?.onDecide(crops, decision) }
        Signals.connect(flow, "selected-children-changed") { [weak self] in self?.updateToolbar() }
        toolbar.onFilter = { [weak self] filter in self?.show(filter: filter) }
        toolbar.onSelectFlagged = { [weak self] in self?.selectFlagged() }
        toolbar.onRejectFlagged = { [weak self] in self?.rejectAllFlagged() }
        toolbar.onKeepSelected = { [weak self] in self?.decideSelected(.accept) }
        toolbar.onRejectSelected = { [weak self] in self?.decideSelected(.reject) }
        // "row-selected" is (GtkListBox *, GtkListBoxRow *, gpointer): the notify shape; the row
        // is read back from the list instead of the argument.
        Signals.connectNotify(list, "row-selected") { [weak self] in self?.selectionChanged() }
    }

    /// A new queue (after Find Faces): rows for every member, tiles for the one selected before
    /// if it is still there, else the first.
    func show(_ queue: CurationQueue, crops: [CropID: RGBImage], directory: MemberDirectory, script: MemberDirectory.Script) {
        self.queue = queue
        self.crops = crops
        self.directory = directory
        self.script = script
        rebuilding = true
        // GTK 4.8 has no gtk_list_box_remove_all (4.12).
        while let child = gtk_widget_get_first_child(list) { gtk_list_box_remove(list.opaque, child) }
        rows = queue.members.map { member in
            let label = Gtk.label("")
            gtk_label_set_xalign(label.opaque, 0)
            gtk_label_set_wrap(label.opaque, 1)  // the counts matter more than one line
            Gtk.margins(label, 6)
            gtk_list_box_append(list.opaque, label)
            setRow(label, member)
            return label
        }
        rebuilding = false
        let index = queue.members.firstIndex { $0.member == shownMember } ?? 0
        shownMember = nil
        if let row = gtk_list_box_get_row_at_index(list.opaque, Int32(index)) {
            gtk_list_box_select_row(list.opaque, row)  // selectionChanged() fills the tiles
        } else {
            showTiles(of: nil)
        }
    }

    /// The same queue with decisions applied: row texts and the shown tiles change in place
    /// (a tile stays even when the filter would no longer show it, so nothing moves under the
    /// pointer; choosing the filter again shows the new set).
    func update(_ queue: CurationQueue) {
        self.queue = queue
        for (label, member) in zip(rows, queue.members) { setRow(label, member) }
        defer { updateToolbar() }
        guard let member = shownQueue else { return }
        for tile in tiles where member.items.indices.contains(tile.position - 1) {
            let item = member.items[tile.position - 1]
            if tile.item != item { tile.update(item: item, position: tile.position, directory: directory, script: script) }
        }
    }

    /// The shown member's queue.
    private var shownQueue: CurationQueue.MemberQueue? { queue?.members.first { $0.member == shownMember } }

    /// The row's text, also as the row's accessible name (GTK 4.8 leaves a list item unnamed).
    private func setRow(_ label: Widget, _ member: CurationQueue.MemberQueue) {
        let text = CropTileText.memberRow(member, directory: directory, script: script)
        gtk_label_set_text(label.opaque, text)
        if let row = gtk_widget_get_parent(label) { tl_accessible_set_label(row, text) }
    }

    private func selectionChanged() {
        guard !rebuilding, let queue else { return }
        let row = gtk_list_box_get_selected_row(list.opaque)
        let index = row.map { Int(gtk_list_box_row_get_index($0)) }
        showTiles(of: index.flatMap { queue.members.indices.contains($0) ? queue.members[$0] : nil })
    }

    private func showTiles(of member: CurationQueue.MemberQueue?) {
        guard member?.member != shownMember || member == nil else { return }
        shownMember = member?.member
        fillTiles()
    }

    /// Shows the shown member's items that `filter` lets through.
    private func show(filter: CurationFilter) {
        guard filter != self.filter else { return }
        self.filter = filter
        fillTiles()
    }

    private func fillTiles() {
        gtk_popover_popdown(popover.widget.cast())
        anchor = nil
        while let child = gtk_widget_get_first_child(flow) { gtk_flow_box_remove(flow.opaque, child) }
        let shown = shownQueue.map { filter.items(of: $0) } ?? []
        tiles = shown.map { position, item in
            let tile = CropTile(item: item, position: position, crop: item.crop.flatMap { crops[$0] },
                                directory: directory, script: script,
                                onActivate: { [weak self] tile in self?.open(tile) },
                                onKeep: { [weak self] tile in
                                    guard let crop = tile.item.crop else { return }
                                    // The keyboard continues from the tile (K, Delete, Ctrl+Z).
                                    if let host = tile.host { _ = gtk_widget_grab_focus(host) }
                                    self?.onDecide([crop], .accept)
                                })
            gtk_flow_box_append(flow.opaque, tile.root)
            if let child = gtk_widget_get_parent(tile.root) {
                tile.attach(to: child)
                ModifierClick.attach(to: tile.widget) { [weak self, weak tile] extend, toggle in
                    guard let self, let tile else { return }
                    self.pressed(tile, extend: extend, toggle: toggle)
                }
            }
            return tile
        }
        updateToolbar()
    }

    /// A click on a tile: with Ctrl it toggles the tile's selection, with Shift it selects the
    /// range from the last clicked tile; a plain click (or Enter, or an accessible click) opens
    /// the popover — for the whole selection when the tile is part of it, else for this tile
    /// alone, which becomes the selection.
    private func pressed(_ tile: CropTile, extend: Bool, toggle: Bool) {
        guard let host = tile.host, let index = tiles.firstIndex(where: { $0 === tile }) else { return }
        modifierPress = (ObjectIdentifier(tile), Self.now())
        if extend, let anchor, tiles.indices.contains(anchor) {
            if !toggle { gtk_flow_box_unselect_all(flow.opaque) }
            for i in min(anchor, index)...max(anchor, index) where tiles[i].item.crop != nil {
                if let child = tiles[i].host { gtk_flow_box_select_child(flow.opaque, child.cast()) }
            }
        } else if gtk_flow_box_child_is_selected(host.cast()) != 0 {
            gtk_flow_box_unselect_child(flow.opaque, host.cast())
            anchor = index
        } else {
            gtk_flow_box_select_child(flow.opaque, host.cast())
            anchor = index
        }
        _ = gtk_widget_grab_focus(host)
    }

    private func open(_ tile: CropTile) {
        // The release of a Ctrl/Shift click: it selected, it does not open (within a second, so
        // a press released elsewhere cannot swallow a later click).
        if let press = modifierPress, press.tile == ObjectIdentifier(tile), Self.now() - press.time < 1 {
            modifierPress = nil
            return
        }
        modifierPress = nil
        guard let host = tile.host, let crop = tile.item.crop else { return }
        if gtk_flow_box_child_is_selected(host.cast()) == 0 {
            gtk_flow_box_unselect_all(flow.opaque)
            gtk_flow_box_select_child(flow.opaque, host.cast())
        }
        anchor = tiles.firstIndex { $0 === tile }
        let selected = selectedCrops()
        let members = directory.classes.map { (id: $0, name: directory.name(of: $0, script: script)) }
        let title = selected.count > 1
            ? L10n.format(L10n.plural("%d crop selected: the choice applies to all of them", "%d crops selected: the choice applies to all of them", selected.count), selected.count)
            : tile.item.photo
        popover.present(for: tile, crops: selected.isEmpty ? [crop] : selected, members: members, title: title)
    }

    private static func now() -> Double { Double(g_get_monotonic_time()) / 1_000_000 }

    // MARK: Selection

    /// The selected tiles' crops, in grid order.
    func selectedCrops() -> [CropID] {
        tiles.compactMap { tile in
            guard let host = tile.host, gtk_flow_box_child_is_selected(host.cast()) != 0 else { return nil }
            return tile.item.crop
        }
    }

    /// Selects the shown tiles of flagged crops not decided on yet.
    func selectFlagged() {
        gtk_flow_box_unselect_all(flow.opaque)
        var first: Widget?
        for tile in tiles where tile.item.isFlagged && tile.item.decision == nil && tile.item.crop != nil {
            guard let host = tile.host else { continue }
            gtk_flow_box_select_child(flow.opaque, host.cast())
            if first == nil { first = host }
        }
        if let first { _ = gtk_widget_grab_focus(first) }
    }

    /// Rejects every undecided flagged crop of the shown member (shown by the filter or not).
    func rejectAllFlagged() {
        guard let crops = shownQueue?.undecidedFlaggedCrops, !crops.isEmpty else { return }
        onDecide(crops, .reject)
    }

    /// The selection's crops get `decision` (Keep Selected, Reject Selected, K, Delete).
    func decideSelected(_ decision: CurationStore.Decision) {
        let crops = selectedCrops()
        guard !crops.isEmpty else { return }
        onDecide(crops, decision)
    }

    private func updateToolbar() {
        toolbar.update(member: shownQueue, filter: filter, selected: selectedCrops().count)
    }
}
