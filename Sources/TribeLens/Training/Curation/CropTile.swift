import CGtk
import FaceKit

/// One item of the curation grid: the 64x64 face crop drawn at twice its size, a badge with its
/// most serious flag, one with the user's decision, and dimmed once rejected. It is a plain
/// GtkButton, so a click opens its actions (`onActivate`) and assistive technology gets a
/// "click" action (GTK 4.8 gives buttons one under AT-SPI). In the grid the keyboard focus is
/// on the flow-box child around it (`host`): the arrow keys move between children there, and
/// Enter/Space activate it.
/// A photo where no face was found shows an empty frame and has no actions.
/// Crops the next run leaves out are dimmed and say "Not trained"; a held face of a group
/// photo has a Keep button under it, so training on it is one click.
@MainActor
final class CropTile {
    static let side: Int32 = 128

    let widget: Widget
    /// What goes into the grid: the tile and, under it, the Keep button of a held crop.
    let root: Widget
    private let keepButton: Widget
    private let area: Widget
    private let flagBadge: Widget
    private let decisionBadge: Widget
    /// The crop in cairo's RGB24 byte order (`PreviewImage` at its own size is exactly that).
    private var pixels: PreviewImage?
    private(set) var item: CurationQueue.Item
    private var text: CropTileText?
    /// 1-based place in the member's whole queue (the same whatever the filter shows).
    private(set) var position: Int
    /// The GtkFlowBoxChild holding the tile: it takes the focus, so it carries the name too.
    private(set) var host: Widget?

    init(item: CurationQueue.Item, position: Int, crop: RGBImage?, directory: MemberDirectory, script: MemberDirectory.Script,
         onActivate: @escaping @MainActor (CropTile) -> Void, onKeep: @escaping @MainActor (CropTile) -> Void = { _ in }) {
        self.item = item
        pixels = crop.map { PreviewImage($0, maxSide: max($0.width, $0.height)) }
        widget = gtk_button_new()
        Gtk.addClasses(widget, "flat", "crop-tile")
        area = gtk_drawing_area_new()
        gtk_drawing_area_set_content_width(area.cast(), Self.side)
        gtk_drawing_area_set_content_height(area.cast(), Self.side)
        flagBadge = Gtk.label("", classes: ["crop-badge"])
        decisionBadge = Gtk.label("", classes: ["crop-badge", "crop-decision"])
        gtk_widget_set_halign(flagBadge, GTK_ALIGN_START)
        gtk_widget_set_valign(flagBadge, GTK_ALIGN_START)
        gtk_widget_set_halign(decisionBadge, GTK_ALIGN_END)
        gtk_widget_set_valign(decisionBadge, GTK_ALIGN_END)
        for badge in [flagBadge, decisionBadge] {
            gtk_label_set_ellipsize(badge.opaque, PANGO_ELLIPSIZE_END)
            gtk_label_set_max_width_chars(badge.opaque, 14)
        }
        let overlay = gtk_overlay_new()!
        gtk_overlay_set_child(overlay.opaque, area)
        gtk_overlay_add_overlay(overlay.opaque, flagBadge)
        gtk_overlay_add_overlay(overlay.opaque, decisionBadge)
        gtk_button_set_child(widget.cast(), overlay)
        // Not focusable: keyboard users press K on the tile (the grid's shortcut) instead, and
        // Tab does not stop twice per crop.
        keepButton = gtk_button_new_with_label(L10n.tr("Keep"))  // no mnemonic: there is one per held crop
        Gtk.addClasses(keepButton, "flat", "crop-keep")
        gtk_widget_set_focusable(keepButton, 0)
        root = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0)!
        root.append(widget)
        root.append(keepButton)
        self.position = position

        typealias Draw = @MainActor (OpaquePointer, Int32, Int32) -> Void
        let box = Unmanaged.passRetained(HandlerBox<Draw> { [weak self] cairo, width, height in
            self?.draw(cairo, width: Double(width), height: Double(height))
        }).toOpaque()
        gtk_drawing_area_set_draw_func(area.cast(), { _, cairo, width, height, data in
            guard let cairo, let data else { return }
            let box = Unmanaged<HandlerBox<Draw>>.fromOpaque(data).takeUnretainedValue()
            MainActor.assumeIsolated { box.handler(cairo, width, height) }
        }, box, { data in Unmanaged<AnyObject>.fromOpaque(data!).release() })
        Signals.connect(widget, "clicked") { [weak self] in
            guard let self else { return }
            onActivate(self)
        }
        Signals.connect(keepButton, "clicked") { [weak self] in
            guard let self else { return }
            onKeep(self)
        }
        update(item: item, position: position, directory: directory, script: script)
    }

    /// Lets `host` take the keyboard focus in the button's place: arrow-key navigation in a
    /// GtkFlowBox moves between its children, and a focusable button inside each would also
    /// make Tab stop twice per crop.
    func attach(to host: Widget) {
        self.host = host
        gtk_widget_set_focusable(widget, 0)
        if let text { tl_accessible_set_label(host, text.accessibleName) }
        Signals.connect(host, "activate") { [weak self] in
            guard let self else { return }
            gtk_widget_activate(self.widget)
        }
    }

    /// Shows a changed item (a new decision); touches GTK only for what changed.
    func update(item: CurationQueue.Item, position: Int, directory: MemberDirectory, script: MemberDirectory.Script) {
        let text = CropTileText(item: item, position: position, directory: directory, script: script)
        self.item = item
        self.position = position
        guard text != self.text else { return }
        self.text = text
        tl_accessible_set_label(widget, text.accessibleName)
        if let host { tl_accessible_set_label(host, text.accessibleName) }
        gtk_widget_set_tooltip_text(widget, text.tooltip)
        for (badge, value) in [(flagBadge, text.flagBadge), (decisionBadge, text.decisionBadge ?? text.fateBadge)] {
            gtk_label_set_text(badge.opaque, value ?? "")
            Gtk.setVisible(badge, value != nil)
        }
        // Only crops can be decided on; a photo without a face is shown for the record.
        gtk_widget_set_sensitive(widget, item.crop == nil ? 0 : 1)
        if item.decision == .reject { gtk_widget_add_css_class(widget, "rejected") } else { gtk_widget_remove_css_class(widget, "rejected") }
        if text.trained || item.crop == nil { gtk_widget_remove_css_class(widget, "not-trained") } else { gtk_widget_add_css_class(widget, "not-trained") }
        // The badge says what training does without a decision ("Not trained"): grey, not the
        // colour of a decision.
        if text.decisionBadge == nil && text.fateBadge != nil {
            gtk_widget_add_css_class(decisionBadge, "crop-fate")
        } else {
            gtk_widget_remove_css_class(decisionBadge, "crop-fate")
        }
        let held = item.fate == .held
        Gtk.setVisible(keepButton, held)
        if held {
            let name = L10n.format(L10n.tr("Keep %s"), text.subject)
            tl_accessible_set_label(keepButton, name)
            gtk_widget_set_tooltip_text(keepButton, L10n.tr("Train on this face of a group photo (K)"))
        }
        gtk_widget_queue_draw(area)
    }

    private func draw(_ cr: OpaquePointer, width: Double, height: Double) {
        let rejected = item.decision == .reject
        let dimmed = !rejected && item.crop != nil && !item.fate.isTrained
        guard let pixels else {
            // No crop (no face found, or the cache lost it): a neutral frame.
            let side = min(width, height)
            cairo_set_source_rgba(cr, 0.5, 0.5, 0.5, 0.18)
            cairo_rectangle(cr, (width - side) / 2, (height - side) / 2, side, side)
            cairo_fill(cr)
            return
        }
        let w = pixels.width, h = pixels.height
        let stride = Int(cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, Int32(w)))
        guard stride == w * 4 else { return }  // always true for RGB24; guards the byte layout below
        var bytes = pixels.bgrx  // cairo wants a mutable buffer; 16 KB copied per draw is nothing
        bytes.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self),
                  let surface = cairo_image_surface_create_for_data(base, CAIRO_FORMAT_RGB24, Int32(w), Int32(h), Int32(stride)) else { return }
            defer { cairo_surface_destroy(surface) }
            let scale = min(width / Double(w), height / Double(h))
            cairo_save(cr)
            cairo_translate(cr, (width - Double(w) * scale) / 2, (height - Double(h) * scale) / 2)
            cairo_scale(cr, scale, scale)
            cairo_set_source_surface(cr, surface, 0, 0)
            // Smooth at 2x: faces read better than with nearest-neighbour blocks.
            cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD)
            if rejected { cairo_paint_with_alpha(cr, 0.3) } else if dimmed { cairo_paint_with_alpha(cr, 0.5) } else { cairo_paint(cr) }
            cairo_restore(cr)
        }
        if rejected {
            // A diagonal stroke, so a rejection shows without relying on the dimming alone;
            // across the crop as drawn, not the whole area (wider than the crop in a wide tile).
            let line = Self.strike(width: width, height: height, imageWidth: w, imageHeight: h)
            cairo_set_source_rgba(cr, 0.75, 0.11, 0.16, 0.9)
            cairo_set_line_width(cr, 3)
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
            cairo_move_to(cr, line.x0, line.y0)
            cairo_line_to(cr, line.x1, line.y1)
            cairo_stroke(cr)
        }
    }

    /// The rejection stroke from the crop's lower left to its upper right corner, 6 px inside
    /// the crop as it is drawn: scaled to fit `width` x `height` and centred.
    nonisolated static func strike(width: Double, height: Double, imageWidth: Int, imageHeight: Int)
        -> (x0: Double, y0: Double, x1: Double, y1: Double) {
        let scale = min(width / Double(max(imageWidth, 1)), height / Double(max(imageHeight, 1)))
        let w = Double(imageWidth) * scale, h = Double(imageHeight) * scale
        let left = (width - w) / 2, top = (height - h) / 2
        let inset = min(6, w / 4, h / 4)
        return (left + inset, top + h - inset, left + w - inset, top + inset)
    }
}
