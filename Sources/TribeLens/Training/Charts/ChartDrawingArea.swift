import CGtk

/// The GtkDrawingArea both charts draw in: accessible role *image*, its accessible name the
/// chart's one-line summary (changes with the data) and its accessible description a fixed
/// "Training curves" / "Confusion matrix" (how GUI tests find it); a draw function that is told
/// whether the background is dark. GTK redraws the area itself when the light/dark style flips
/// (its CSS colour changes), so no settings signal is needed (the widget test checks this).
@MainActor
final class ChartDrawingArea {
    let widget: Widget
    /// Called from GTK's draw function with the cairo context, size and whether the style is dark.
    var draw: (@MainActor (OpaquePointer, Double, Double, Bool) -> Void)?

    init(name: String, description: String, minimumWidth: Int32, minimumHeight: Int32) {
        widget = tl_drawing_area_new_image()
        gtk_widget_set_hexpand(widget, 1)
        gtk_widget_set_vexpand(widget, 1)
        gtk_drawing_area_set_content_width(widget.cast(), minimumWidth)
        gtk_drawing_area_set_content_height(widget.cast(), minimumHeight)
        tl_accessible_set_label(widget, name)
        tl_accessible_set_description(widget, description)
        typealias Draw = @MainActor (OpaquePointer, Int32, Int32) -> Void
        let box = Unmanaged.passRetained(HandlerBox<Draw> { [weak self] cairo, width, height in
            guard let self, let draw = self.draw else { return }
            draw(cairo, Double(width), Double(height), self.isDark)
        }).toOpaque()
        gtk_drawing_area_set_draw_func(widget.cast(), { _, cairo, width, height, data in
            guard let cairo, let data else { return }
            let box = Unmanaged<HandlerBox<Draw>>.fromOpaque(data).takeUnretainedValue()
            MainActor.assumeIsolated { box.handler(cairo, width, height) }
        }, box, { data in Unmanaged<AnyObject>.fromOpaque(data!).release() })
    }

    /// Dark when the theme's text colour is light (covers Adwaita dark, high-contrast inverse and
    /// a dark GTK theme); GTK's dark preference as the fallback.
    var isDark: Bool {
        if let context = gtk_widget_get_style_context(widget) {
            var color = GdkRGBA()
            gtk_style_context_get_color(context, &color)
            return ChartColor(Double(color.red), Double(color.green), Double(color.blue)).luminance > 0.4
        }
        return tl_settings_get_prefer_dark() != 0
    }

    /// The new one-line summary for assistive technology, and a redraw.
    func update(name: String) {
        tl_accessible_set_label(widget, name)
        gtk_widget_queue_draw(widget)
    }
}
