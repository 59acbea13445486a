import CGtk
import FaceKit

/// What can be done with one crop of the curation grid: Reject, Keep, or Relabel… (which
/// shows every other roster member). Plain GtkButtons throughout, because those have an
/// accessible "click" action in GTK 4.8 (check-button radios have none), so assistive
/// technology and the GUI tests can use every choice. One popover serves the whole grid: it is
/// rebuilt each time it opens and points at the tile it was opened for. Opened on a tile of a
/// multiple selection, its choice applies to every selected crop (its heading says how many).
@MainActor
final class CropActionsPopover {
    let widget: Widget
    private let parent: Widget
    private weak var tile: CropTile?

    /// The user's choice for `crops`.
    var onDecide: ([CropID], CurationStore.Decision) -> Void = { _, _ in }

    /// `parent` holds the popover for its lifetime (the grid).
    init(parent: Widget) {
        self.parent = parent
        widget = gtk_popover_new()
        gtk_widget_set_parent(widget, parent)
        Gtk.addClasses(widget, "crop-popover")
        Signals.connect(parent, "destroy") { [widget] in gtk_widget_unparent(widget) }
        // Back to the tile, so keyboard users continue where they were. Through the focus chain
        // rather than grab_focus: only that makes the flow box's arrow keys start from this tile.
        Signals.connect(widget, "closed") { [weak self] in
            guard let tile = self?.tile else { return }
            if let host = tile.host { _ = gtk_widget_child_focus(host, GTK_DIR_TAB_FORWARD) } else { gtk_widget_grab_focus(tile.widget) }
        }
    }

    /// Opens for `tile`, deciding for `crops` (the tile's, or the whole selection's);
    /// `members` are the roster's (id, shown name), in roster order.
    func present(for tile: CropTile, crops: [CropID], members: [(id: String, name: String)], title: String) {
        guard tile.item.crop != nil, !crops.isEmpty else { return }
        let crop = crops
        self.tile = tile
        let box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6)!
        Gtk.margins(box, 6)
        let heading = Gtk.label(title, classes: ["heading"], description: "Crop heading")
        gtk_label_set_xalign(heading.opaque, 0)
        gtk_label_set_wrap(heading.opaque, 1)
        gtk_label_set_max_width_chars(heading.opaque, 36)
        box.append(heading)

        let row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6)!
        gtk_box_set_homogeneous(row.cast(), 1)
        row.append(button(L10n.tr("_Reject"), tooltip: L10n.tr("Leave this crop out of training")) { [weak self] in
            self?.choose(crop, .reject)
        })
        row.append(button(L10n.tr("_Keep"), tooltip: L10n.tr("Train on this crop under its folder's member")) { [weak self] in
            self?.choose(crop, .accept)
        })
        box.append(row)

        // Relabel… shows the members, so the popover stays small until they are needed. The list
        // is hidden rather than in a revealer: a revealer's hidden child is still in the
        // accessible tree, unrealized, and an accessible click on it does nothing.
        let current = tile.item.member
        let others = members.filter { $0.id != current }
        let scroller = gtk_scrolled_window_new()!
        let relabel = button(L10n.tr("Re_label…"), tooltip: L10n.tr("This is someone else: pick who")) {
            Gtk.setVisible(scroller, gtk_widget_get_visible(scroller) == 0)
        }
        gtk_widget_set_sensitive(relabel, others.isEmpty ? 0 : 1)
        box.append(relabel)
        let list = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0)!
        for member in others {
            let name = L10n.format(L10n.tr("Relabel as %s"), member.name)
            let choice = gtk_button_new_with_label(member.name)!
            Gtk.addClasses(choice, "flat")
            tl_accessible_set_label(choice, name)
            gtk_widget_set_tooltip_text(choice, name)
            Signals.connect(choice, "clicked") { [weak self] in self?.choose(crop, .relabel(memberID: member.id)) }
            list.append(choice)
        }
        gtk_scrolled_window_set_policy(scroller.opaque, GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC)
        gtk_scrolled_window_set_max_content_height(scroller.opaque, 240)
        gtk_scrolled_window_set_propagate_natural_height(scroller.opaque, 1)
        gtk_scrolled_window_set_child(scroller.opaque, list)
        Gtk.setVisible(scroller, false)
        box.append(scroller)

        gtk_popover_set_child(widget.cast(), box)
        var bounds = graphene_rect_t()
        if gtk_widget_compute_bounds(tile.widget, parent, &bounds) != 0 {
            var rect = GdkRectangle(x: Int32(bounds.origin.x), y: Int32(bounds.origin.y),
                                    width: Int32(bounds.size.width), height: Int32(bounds.size.height))
            gtk_popover_set_pointing_to(widget.cast(), &rect)
        }
        gtk_popover_set_position(widget.cast(), GTK_POS_BOTTOM)
        gtk_popover_popup(widget.cast())
    }

    private func choose(_ crop: [CropID], _ decision: CurationStore.Decision) {
        gtk_popover_popdown(widget.cast())
        onDecide(crop, decision)
    }

    private func button(_ mnemonic: String, tooltip: String, onClick: @escaping @MainActor () -> Void) -> Widget {
        let button = Gtk.button(mnemonic)
        gtk_widget_set_tooltip_text(button, tooltip)
        Signals.connect(button, "clicked", onClick)
        return button
    }
}
