import CGtk
import FaceKit

/// The photo canvas with one invisible, focusable button over every face: faces can be
/// clicked, reached with Tab, opened with Enter or Space, and read by screen readers (each
/// button is named like "Face 1: TAKAHIRO, EXILE, 87%"). The buttons follow the canvas'
/// size through its "resize" signal and `PhotoGeometry`, the same mapping the drawing uses.
@MainActor
final class FaceTargets {
    /// The overlay to put where the canvas was.
    let widget: Widget
    /// The layer the buttons (and the face popover) live in.
    let layer: Widget
    private let canvas: PhotoCanvas
    private var buttons: [Widget] = []
    private var boxes: [FaceBox] = []
    private var photoSize = (width: 0, height: 0)
    private var canvasSize = (width: 0.0, height: 0.0)
    private var zoom = PhotoZoom.fit

    /// A face was clicked or activated from the keyboard: its index.
    var onActivate: (Int) -> Void = { _ in }
    /// Keyboard focus moved onto a face (nil: off the faces), for the highlight.
    var onFocus: (Int?) -> Void = { _ in }

    init(canvas: PhotoCanvas) {
        self.canvas = canvas
        widget = gtk_overlay_new()
        gtk_overlay_set_child(widget.opaque, canvas.widget)
        layer = gtk_fixed_new()
        gtk_widget_set_overflow(layer, GTK_OVERFLOW_HIDDEN)  // zoomed in, targets reach past the view
        gtk_overlay_add_overlay(widget.opaque, layer)
        let box = Unmanaged.passRetained(HandlerBox<@MainActor (Int32, Int32) -> Void> { [weak self] width, height in
            self?.canvasSize = (Double(width), Double(height))
            self?.layout()
        } as AnyObject).toOpaque()
        let thunk: @convention(c) (gpointer?, Int32, Int32, gpointer?) -> Void = { _, width, height, data in
            let box = Unmanaged<AnyObject>.fromOpaque(data!).takeUnretainedValue()
                as! HandlerBox<@MainActor (Int32, Int32) -> Void>
            MainActor.assumeIsolated { box.handler(width, height) }
        }
        tl_signal_connect(UnsafeMutableRawPointer(canvas.widget), "resize", unsafeBitCast(thunk, to: GCallback.self), box,
                          { data, _ in Unmanaged<AnyObject>.fromOpaque(data!).release() })
    }

    /// Shows a target per face of `analysis` (none for nil), named by `annotations`.
    func update(_ analysis: PhotoAnalysis?, annotations: [FaceAnnotation]) {
        let faces = analysis?.faces ?? []
        if faces != boxes || buttons.count != faces.count {
            for button in buttons { gtk_fixed_remove(layer.cast(), button) }
            buttons = faces.indices.map { index in
                let button = gtk_button_new()!
                Gtk.addClasses(button, "face-target")
                Signals.connect(button, "clicked") { [weak self] in self?.onActivate(index) }
                let focus = gtk_event_controller_focus_new()!
                Signals.connect(UnsafeMutableRawPointer(focus), "enter") { [weak self] in self?.onFocus(index) }
                Signals.connect(UnsafeMutableRawPointer(focus), "leave") { [weak self] in self?.onFocus(nil) }
                gtk_widget_add_controller(button, focus)
                gtk_fixed_put(layer.cast(), button, 0, 0)
                return button
            }
            boxes = faces
        }
        photoSize = (analysis?.width ?? 0, analysis?.height ?? 0)
        for (index, button) in buttons.enumerated() {
            let name = annotations.indices.contains(index) ? annotations[index].accessibleName : FaceAnnotation.faceName(index)
            tl_accessible_set_label(button, name)
            gtk_widget_set_tooltip_text(button, name)
        }
        layout()
    }

    /// The photo view's zoom: the targets move and grow with the drawn boxes.
    func setZoom(_ zoom: PhotoZoom) {
        guard zoom != self.zoom else { return }
        self.zoom = zoom
        layout()
    }

    /// Gives face `index` the keyboard focus (back from its popover).
    func focus(_ index: Int) {
        guard buttons.indices.contains(index) else { return }
        gtk_widget_grab_focus(buttons[index])
    }

    /// The face's rectangle in the layer's coordinates (for pointing the popover at it).
    func rectangle(of index: Int) -> GdkRectangle? {
        guard boxes.indices.contains(index),
              let geometry = PhotoGeometry(widgetWidth: canvasSize.width, widgetHeight: canvasSize.height,
                                           photoWidth: photoSize.width, photoHeight: photoSize.height, zoom: zoom) else { return nil }
        let box = boxes[index]
        let rect = geometry.rect(x: box.x, y: box.y, width: box.width, height: box.height)
        return GdkRectangle(x: Int32(rect.x), y: Int32(rect.y), width: max(1, Int32(rect.width)), height: max(1, Int32(rect.height)))
    }

    private func layout() {
        for (index, button) in buttons.enumerated() {
            guard let rect = rectangle(of: index) else {
                Gtk.setVisible(button, false)
                continue
            }
            Gtk.setVisible(button, true)
            gtk_widget_set_size_request(button, rect.width, rect.height)
            gtk_fixed_move(layer.cast(), button, Double(rect.x), Double(rect.y))
        }
    }
}
