import CGtk
import FaceKit

/// The photo, scaled to fit the window (small photos are enlarged too), with a box around
/// every face. Drawn with cairo from a screen-sized preview made off the GTK thread.
@MainActor
final class PhotoCanvas {
    let widget: Widget
    private var surface: OpaquePointer?  // cairo_surface_t of the preview
    private var analysis: PhotoAnalysis?
    private var preview: PreviewImage?

    init() {
        widget = tl_drawing_area_new_image()
        gtk_widget_set_hexpand(widget, 1)
        gtk_widget_set_vexpand(widget, 1)
        tl_accessible_set_label(widget, "Photo")
        let box = Unmanaged.passRetained(HandlerBox<@MainActor (OpaquePointer, Int32, Int32) -> Void> {
            [weak self] cairo, width, height in self?.draw(cairo, width: Double(width), height: Double(height))
        }).toOpaque()
        gtk_drawing_area_set_draw_func(widget.cast(), { _, cairo, width, height, data in
            guard let cairo, let data else { return }
            let box = Unmanaged<HandlerBox<@MainActor (OpaquePointer, Int32, Int32) -> Void>>.fromOpaque(data)
                .takeUnretainedValue()
            MainActor.assumeIsolated { box.handler(cairo, width, height) }
        }, box, { data in Unmanaged<AnyObject>.fromOpaque(data!).release() })
    }

    /// Shows the photo `preview` with the faces of `analysis` (nil: nothing), described for
    /// assistive technology as `description`.
    func show(_ analysis: PhotoAnalysis?, preview: PreviewImage?, description: String) {
        let preview = analysis == nil ? nil : preview
        if let surface { cairo_surface_destroy(surface) }
        surface = preview.map(Self.makeSurface)
        self.analysis = analysis
        self.preview = preview
        tl_accessible_set_label(widget, description)
        gtk_widget_queue_draw(widget)
    }

    private static func makeSurface(_ preview: PreviewImage) -> OpaquePointer {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(preview.width), Int32(preview.height))!
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        if let data = cairo_image_surface_get_data(surface) {
            let rowBytes = preview.width * 4
            preview.bgrx.withUnsafeBytes { src in
                for row in 0..<preview.height {
                    (data + row * stride).update(from: src.baseAddress!.assumingMemoryBound(to: UInt8.self)
                        + row * rowBytes, count: rowBytes)
                }
            }
        }
        cairo_surface_mark_dirty(surface)
        return surface
    }

    private func draw(_ cr: OpaquePointer, width: Double, height: Double) {
        guard let analysis, let preview, let surface else { return }
        let margin = 12.0
        let scale = min((width - 2 * margin) / Double(analysis.width),
                        (height - 2 * margin) / Double(analysis.height))
        guard scale > 0 else { return }
        let shownWidth = Double(analysis.width) * scale, shownHeight = Double(analysis.height) * scale
        let left = ((width - shownWidth) / 2).rounded(), top = ((height - shownHeight) / 2).rounded()

        // The preview may be smaller than the photo: scale it to the photo's shown size.
        cairo_save(cr)
        cairo_translate(cr, left, top)
        cairo_scale(cr, shownWidth / Double(preview.width), shownHeight / Double(preview.height))
        cairo_set_source_surface(cr, surface, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD)
        cairo_paint(cr)
        cairo_restore(cr)

        // Boxes: a dark halo under a bright line stays visible on light and dark photos alike.
        for face in analysis.faces {
            let x = left + Double(face.x) * scale, y = top + Double(face.y) * scale
            let w = Double(face.width) * scale, h = Double(face.height) * scale
            cairo_rectangle(cr, x, y, w, h)
            cairo_set_line_width(cr, 5)
            cairo_set_source_rgba(cr, 0, 0, 0, 0.55)
            cairo_stroke_preserve(cr)
            cairo_set_line_width(cr, 2.5)
            cairo_set_source_rgb(cr, 0.965, 0.827, 0.176)  // GNOME yellow #f6d32d
            cairo_stroke(cr)
        }
    }
}
