import CGtk

/// Text on the charts, laid out by Pango (so Japanese member names render) and drawn with cairo.
enum ChartText {
    /// Draws `text` with its box's point (`alignX`, `alignY`) (0 left/top ... 1 right/bottom) at
    /// (`x`, `y`), turned by `angle` radians around that point. Returns the text's size.
    @discardableResult
    static func draw(_ cr: OpaquePointer, _ text: String, x: Double, y: Double, pixels: Double, color: ChartColor,
                     alpha: Double = 1, alignX: Double = 0, alignY: Double = 0, bold: Bool = false,
                     angle: Double = 0) -> (width: Double, height: Double) {
        cairo_save(cr)
        defer { cairo_restore(cr) }
        cairo_translate(cr, x, y)
        if angle != 0 { cairo_rotate(cr, angle) }
        // Made after the transform so Pango hints the glyphs for it.
        guard let layout = makeLayout(cr, text, pixels: pixels, bold: bold) else { return (0, 0) }
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        var ink = PangoRectangle(), logical = PangoRectangle()
        pango_layout_get_pixel_extents(layout, &ink, &logical)
        let width = Double(logical.width), height = Double(logical.height)
        cairo_set_source_rgba(cr, color.r, color.g, color.b, alpha)
        cairo_move_to(cr, -width * alignX - Double(logical.x), -height * alignY - Double(logical.y))
        pango_cairo_show_layout(cr, layout)
        cairo_new_path(cr)  // the path (unlike the state) survives cairo_restore: no line from here to the next arc
        return (width, height)
    }

    /// The size `text` would take.
    static func size(_ cr: OpaquePointer, _ text: String, pixels: Double, bold: Bool = false) -> (width: Double, height: Double) {
        guard let layout = makeLayout(cr, text, pixels: pixels, bold: bold) else { return (0, 0) }
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        var ink = PangoRectangle(), logical = PangoRectangle()
        pango_layout_get_pixel_extents(layout, &ink, &logical)
        return (Double(logical.width), Double(logical.height))
    }

    private static func makeLayout(_ cr: OpaquePointer, _ text: String, pixels: Double, bold: Bool) -> OpaquePointer? {
        guard let layout = pango_cairo_create_layout(cr) else { return nil }
        let font = pango_font_description_from_string(bold ? "Sans Bold" : "Sans")
        pango_font_description_set_absolute_size(font, max(1, pixels) * Double(PANGO_SCALE))
        pango_layout_set_font_description(layout, font)
        pango_font_description_free(font)
        pango_layout_set_text(layout, text, -1)
        return layout
    }
}
