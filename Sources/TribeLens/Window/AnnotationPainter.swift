import CGtk

/// Draws face boxes and their name tags with cairo and Pango. Used for the window (scaled to
/// fit) and for the exported PNG (full size), so both show the same thing. Not tied to the GTK
/// thread: the export draws on a background queue into its own image surface.
enum AnnotationPainter {
    /// One face in the target's coordinates.
    struct Face: Sendable {
        var x: Double, y: Double, width: Double, height: Double
        var annotation: FaceAnnotation
        var highlighted = false
    }

    /// `fontPixels`: tag text size; `line`: box line width; `bounds`: the drawable area, so
    /// tags stay inside it.
    static func paint(_ cr: OpaquePointer, faces: [Face], fontPixels: Double, line: Double,
                      bounds: (x: Double, y: Double, width: Double, height: Double)) {
        for face in faces {
            let (r, g, b) = face.annotation.tone.rgb
            cairo_rectangle(cr, face.x, face.y, face.width, face.height)
            cairo_set_line_width(cr, line * 2)
            cairo_set_source_rgba(cr, 0, 0, 0, 0.55)  // a dark halo keeps the line visible on any photo
            cairo_stroke_preserve(cr)
            cairo_set_line_width(cr, face.highlighted ? line * 1.6 : line)
            cairo_set_source_rgb(cr, r, g, b)
            cairo_stroke(cr)
        }
        // Tags after all boxes, so a tag is never crossed by a neighbour's box.
        for face in faces where !face.annotation.title.isEmpty {
            tag(cr, face, fontPixels: fontPixels, line: line, bounds: bounds)
        }
    }

    private static func tag(_ cr: OpaquePointer, _ face: Face, fontPixels: Double, line: Double,
                            bounds: (x: Double, y: Double, width: Double, height: Double)) {
        let annotation = face.annotation
        guard let layout = pango_cairo_create_layout(cr) else { return }
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        let font = pango_font_description_from_string("Sans")
        pango_font_description_set_absolute_size(font, fontPixels * Double(PANGO_SCALE))
        pango_layout_set_font_description(layout, font)
        pango_font_description_free(font)
        var markup = "<b>\(escape(annotation.title))</b>"
        if !annotation.detail.isEmpty { markup += "\n<small>\(escape(annotation.detail))</small>" }
        pango_layout_set_markup(layout, markup, -1)
        var ink = PangoRectangle(), logical = PangoRectangle()
        pango_layout_get_pixel_extents(layout, &ink, &logical)
        let padX = fontPixels * 0.45, padY = fontPixels * 0.2
        let width = Double(logical.width) + 2 * padX, height = Double(logical.height) + 2 * padY
        // Above the box; below it when there is no room; inside it as a last resort.
        var y = face.y - height - line
        if y < bounds.y { y = face.y + face.height + line }
        if y + height > bounds.y + bounds.height { y = max(bounds.y, face.y + line) }
        let x = min(max(face.x - line / 2, bounds.x), max(bounds.x, bounds.x + bounds.width - width))

        let (r, g, b) = annotation.tone.rgb
        roundedRectangle(cr, x, y, width, height, radius: fontPixels * 0.35)
        cairo_set_source_rgba(cr, r, g, b, 0.92)
        cairo_fill(cr)
        let light = 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5
        if light { cairo_set_source_rgb(cr, 0.1, 0.1, 0.1) } else { cairo_set_source_rgb(cr, 1, 1, 1) }
        cairo_move_to(cr, x + padX - Double(logical.x), y + padY - Double(logical.y))
        pango_cairo_show_layout(cr, layout)
    }

    private static func roundedRectangle(_ cr: OpaquePointer, _ x: Double, _ y: Double, _ w: Double, _ h: Double,
                                         radius: Double) {
        let r = min(radius, h / 2, w / 2)
        cairo_new_sub_path(cr)
        cairo_arc(cr, x + w - r, y + r, r, -Double.pi / 2, 0)
        cairo_arc(cr, x + w - r, y + h - r, r, 0, Double.pi / 2)
        cairo_arc(cr, x + r, y + h - r, r, Double.pi / 2, Double.pi)
        cairo_arc(cr, x + r, y + r, r, Double.pi, 3 * Double.pi / 2)
        cairo_close_path(cr)
    }

    /// Pango markup needs &, < and > escaped (member names are data).
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }
}
