import CGtk
import FaceKit

/// The Review page's body: the members on the left ("Bill Clinton — 15 crops, 3 flagged,
/// 1 rejected"), the selected member's crops on the right in the queue's order (flagged first).
/// Tiles exist only for the selected member, so a folder of thousands of crops costs the
/// widgets of one member at a time.
@MainActor
final class CurationGrid {
    let widget: Widget
    private let list: Widget
    private let flow: Widget
    private let popover: CropActionsPopover
    private var rows: [Widget] = []  // the rows' labels, in queue order
    private var tiles: [CropTile] = []
    private var queue: CurationQueue?
    private var crops: [CropID: RGBImage] = [:]
    private var directory = MemberDirectory(classes: [], roster: nil)
    private var script = MemberDirectory.Script.romaji
    private var shownMember: String?
    /// Set while rows are replaced: GtkListBox reports those selection changes too.
    private var rebuilding = false

    /// A decision for a crop, chosen in the popover.
    var onDecide: (CropID, CurationStore.Decision) -> Void = { _, _ in }

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
        gtk_flow_box_set_selection_mode(flow.opaque, GTK_SELECTION_NONE)
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
        widget.append(flowScroller)
        popover = CropActionsPopover(parent: widget)
        popover.onDecide = { [weak self] crop, decision in self?.onDecide(crop, decision) }
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

    /// The same queue with decisions applied: row texts and the shown tiles change in place.
    func update(_ queue: CurationQueue) {
        self.queue = queue
        for (label, member) in zip(rows, queue.members) { setRow(label, member) }
        guard let member = queue.members.first(where: { $0.member == shownMember }), member.items.count == tiles.count else { return }
        for (position, (tile, item)) in zip(tiles, member.items).enumerated() where tile.item != item {
            tile.update(item: item, position: position + 1, directory: directory, script: script)
        }
    }

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
        gtk_popover_popdown(popover.widget.cast())
        while let child = gtk_widget_get_first_child(flow) { gtk_flow_box_remove(flow.opaque, child) }
        tiles = (member?.items ?? []).enumerated().map { position, item in
            let tile = CropTile(item: item, position: position + 1, crop: item.crop.flatMap { crops[$0] },
                                directory: directory, script: script) { [weak self] tile in self?.open(tile) }
            gtk_flow_box_append(flow.opaque, tile.widget)
            if let child = gtk_widget_get_parent(tile.widget) { tile.attach(to: child) }
            return tile
        }
    }

    private func open(_ tile: CropTile) {
        let members = directory.classes.map { (id: $0, name: directory.name(of: $0, script: script)) }
        let title = tile.item.photo
        popover.present(for: tile, members: members, title: title)
    }
}
