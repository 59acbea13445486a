import CGtk
import Foundation

/// The photo view's zoom, by every means GNOME's image viewer offers: the zoom pill's buttons,
/// Ctrl+plus / Ctrl+minus / Ctrl+0 (fit) / Ctrl+1 (100 %), Ctrl+scroll and pinch about the
/// pointer; when zoomed, scrolling and dragging move the photo. The state is a `PhotoZoom`
/// (GTK-free); the canvas and the face targets are told every change, so the boxes and their
/// click targets stay on the faces. A new photo starts fitted. Every change is also reported
/// through `onZoom`, so the pipeline can decode more of the photo than the preview has.
@MainActor
final class PhotoZoomController {
    /// The shown photo (nil: none) and how many device pixels a full-size photo pixel takes
    /// (nil: fitted). Returns the reduction the photo stays at when it is too large to be shown
    /// as the zoom asks (2: half a side), for the pill to say so; nil otherwise.
    var onZoom: (_ photoID: Int?, _ pixelsPerPhotoPixel: Double?) -> Int? = { _, _ in nil }

    /// The photo view: the canvas with its face targets, and the zoom pill over them.
    let view: Widget
    private let canvas: PhotoCanvas
    private let targets: FaceTargets
    private let controls = ZoomControls()
    private var zoom = PhotoZoom.fit
    private var photo: (id: Int, width: Int, height: Int)?
    private var pointer: (x: Double, y: Double)?
    private var actions: [String: OpaquePointer] = [:]
    private var pinchStart = 1.0
    private var pinchCenter: (x: Double, y: Double)?
    private var dragged = (x: 0.0, y: 0.0)

    /// Scroll wheel notches: one zooms by this factor with Ctrl, or moves the photo this far.
    private static let scrollFactor = 1.25
    private static let scrollPixels = 60.0

    init(window: Widget, canvas: PhotoCanvas, targets: FaceTargets) {
        self.canvas = canvas
        self.targets = targets
        view = gtk_overlay_new()
        gtk_overlay_set_child(view.opaque, targets.widget)
        gtk_overlay_add_overlay(view.opaque, controls.widget)
        installActions(window)
        installGestures()
        // The fit scale follows the window's size; a fixed scale keeps its centre in range.
        GestureSignals.connectResize(canvas.widget) { [weak self] _, _ in self?.apply() }
        apply()
    }

    /// The shown photo (nil: none, or not analysed yet: no size); a different one starts fitted.
    func show(photoID: Int?, width: Int, height: Int) {
        let next = photoID.map { (id: $0, width: width, height: height) }
        if next?.id != photo?.id || next?.width != photo?.width { zoom = .fit }
        photo = next
        apply()
    }

    private var frame: PhotoZoom.Frame? {
        guard let photo else { return nil }
        let frame = PhotoZoom.Frame(viewWidth: Double(gtk_widget_get_width(canvas.widget)),
                                    viewHeight: Double(gtk_widget_get_height(canvas.widget)),
                                    photoWidth: photo.width, photoHeight: photo.height)
        return frame.fitScale == nil ? nil : frame
    }

    private func change(_ body: (inout PhotoZoom, PhotoZoom.Frame) -> Void) {
        guard let frame else { return }
        body(&zoom, frame)
        apply()
    }

    /// Tells the canvas, the targets and the pill; enables the actions that can do something.
    private func apply() {
        canvas.setZoom(zoom)
        targets.setZoom(zoom)
        let frame = self.frame
        let scale = frame.flatMap { zoom.scale(in: $0) }
        let deviceScale = Double(gtk_widget_get_scale_factor(canvas.widget))
        let limited = onZoom(photo?.id, zoom.isFit ? nil : scale.map { $0 * deviceScale })
        controls.update(percent: frame.map { zoom.percentText(in: $0) } ?? "100%", fit: zoom.isFit, visible: frame != nil,
                        reducedTo: limited)
        setEnabled("zoom-in", scale.map { $0 < PhotoZoom.maximum } ?? false)
        setEnabled("zoom-out", frame != nil && !zoom.isFit)
        setEnabled("zoom-fit", frame != nil && !zoom.isFit)
        setEnabled("zoom-original", frame != nil && scale != 1)
        setEnabled("zoom-toggle", frame != nil)
    }

    // MARK: Actions (the pill's buttons and the keyboard shortcuts)

    private func installActions(_ window: Widget) {
        add(window, "zoom-in", keys: ["<Control>plus", "<Control>equal", "<Control>KP_Add"]) { [weak self] in
            self?.change { zoom, frame in zoom.zoomIn(in: frame) }
        }
        add(window, "zoom-out", keys: ["<Control>minus", "<Control>KP_Subtract"]) { [weak self] in
            self?.change { zoom, frame in zoom.zoomOut(in: frame) }
        }
        add(window, "zoom-fit", keys: ["<Control>0", "<Control>KP_0"]) { [weak self] in
            self?.change { zoom, _ in zoom = .fit }
        }
        add(window, "zoom-original", keys: ["<Control>1", "<Control>KP_1"]) { [weak self] in
            self?.change { zoom, frame in zoom.actualSize(in: frame) }
        }
        // The pill's percentage: fit <-> 100 %.
        add(window, "zoom-toggle", keys: []) { [weak self] in
            self?.change { zoom, frame in
                if zoom.isFit { zoom.actualSize(in: frame) } else { zoom = .fit }
            }
        }
    }

    private func add(_ window: Widget, _ name: String, keys: [String], _ handler: @escaping @MainActor () -> Void) {
        let action = g_simple_action_new(name, nil)!
        Signals.connectAction(action, handler)
        g_action_map_add_action(window.opaque, action)
        g_object_unref(UnsafeMutableRawPointer(action))
        actions[name] = action
        guard !keys.isEmpty, let application = gtk_window_get_application(window.cast()) else { return }
        let strings = keys.map { strdup($0) }
        defer { strings.forEach { free($0) } }
        var array = strings.map { UnsafePointer($0) } + [nil]
        array.withUnsafeMutableBufferPointer { gtk_application_set_accels_for_action(application, "win.\(name)", $0.baseAddress) }
    }

    private func setEnabled(_ name: String, _ enabled: Bool) {
        if let action = actions[name] { g_simple_action_set_enabled(action, enabled ? 1 : 0) }
    }

    // MARK: Pointer, wheel, touchpad and touch

    private func installGestures() {
        let motion = gtk_event_controller_motion_new()!
        GestureSignals.connectPoint(motion, "motion") { [weak self] x, y in self?.pointer = (x, y) }
        GestureSignals.connectPoint(motion, "enter") { [weak self] x, y in self?.pointer = (x, y) }
        gtk_widget_add_controller(view, motion)

        let scroll = gtk_event_controller_scroll_new(GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES)!
        GestureSignals.connectScroll(scroll) { [weak self] dx, dy in
            guard let self, let frame = self.frame else { return false }
            let state = gtk_event_controller_get_current_event_state(scroll)
            if state.rawValue & GDK_CONTROL_MASK.rawValue != 0 {
                guard dy != 0, let scale = self.zoom.scale(in: frame) else { return false }
                self.change { zoom, frame in zoom.zoom(to: scale * pow(Self.scrollFactor, -dy), in: frame, anchor: self.pointer) }
                return true
            }
            guard self.zoom.canPan(in: frame) else { return false }
            self.change { zoom, frame in zoom.pan(dx: -dx * Self.scrollPixels, dy: -dy * Self.scrollPixels, in: frame) }
            return true
        }
        gtk_widget_add_controller(view, scroll)

        let pinch = gtk_gesture_zoom_new()!
        GestureSignals.connectBegin(pinch) { [weak self] in
            guard let self, let frame = self.frame else { return }
            self.pinchStart = self.zoom.scale(in: frame) ?? 1
            var x = 0.0, y = 0.0
            self.pinchCenter = gtk_gesture_get_bounding_box_center(pinch, &x, &y) != 0 ? (x, y) : self.pointer
        }
        GestureSignals.connectScale(pinch) { [weak self] factor in
            guard let self else { return }
            let start = self.pinchStart, center = self.pinchCenter
            self.change { zoom, frame in zoom.zoom(to: start * factor, in: frame, anchor: center) }
        }
        gtk_widget_add_controller(view, pinch)

        let drag = gtk_gesture_drag_new()!
        GestureSignals.connectPoint(drag, "drag-begin") { [weak self] _, _ in
            guard let self else { return }
            self.dragged = (0, 0)
            if !(self.frame.map { self.zoom.canPan(in: $0) } ?? false) {
                gtk_gesture_set_state(drag, GTK_EVENT_SEQUENCE_DENIED)
            }
        }
        GestureSignals.connectPoint(drag, "drag-update") { [weak self] x, y in
            guard let self else { return }
            let step = (x - self.dragged.x, y - self.dragged.y)
            self.dragged = (x, y)
            self.change { zoom, frame in zoom.pan(dx: step.0, dy: step.1, in: frame) }
        }
        gtk_widget_add_controller(view, drag)
    }
}
