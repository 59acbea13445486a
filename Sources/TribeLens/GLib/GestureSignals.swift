import CGtk

/// Typed connections for the event controllers' signals that carry numbers (the photo view's
/// zoom and panning): scroll, pointer motion, drags, pinches. Same boxing as `Signals`.
@MainActor
enum GestureSignals {
    private static let releaseBox: GClosureNotify = { data, _ in
        guard let data else { return }
        Unmanaged<AnyObject>.fromOpaque(data).release()
    }

    private static func connect<H>(_ instance: OpaquePointer, _ signal: String, _ thunk: GCallback, _ handler: H) {
        let box = Unmanaged.passRetained(HandlerBox(handler) as AnyObject).toOpaque()
        tl_signal_connect(UnsafeMutableRawPointer(instance), signal, thunk, box, releaseBox)
    }

    private static func handler<H>(_ data: gpointer?) -> H {
        (Unmanaged<AnyObject>.fromOpaque(data!).takeUnretainedValue() as! HandlerBox<H>).handler
    }

    /// GtkEventControllerScroll "scroll": `gboolean (*)(ctrl, double dx, double dy, gpointer)`;
    /// true stops the event (the photo was zoomed or moved).
    static func connectScroll(_ controller: OpaquePointer, _ handler: @escaping @MainActor (Double, Double) -> Bool) {
        typealias H = @MainActor (Double, Double) -> Bool
        let thunk: @convention(c) (gpointer?, Double, Double, gpointer?) -> gboolean = { _, dx, dy, data in
            MainActor.assumeIsolated { (GestureSignals.handler(data) as H)(dx, dy) ? 1 : 0 }
        }
        connect(controller, "scroll", unsafeBitCast(thunk, to: GCallback.self), handler)
    }

    /// `void (*)(object, double x, double y, gpointer)`: GtkEventControllerMotion "motion" and
    /// "enter", GtkGestureDrag "drag-begin" and "drag-update".
    static func connectPoint(_ controller: OpaquePointer, _ signal: String, _ handler: @escaping @MainActor (Double, Double) -> Void) {
        typealias H = @MainActor (Double, Double) -> Void
        let thunk: @convention(c) (gpointer?, Double, Double, gpointer?) -> Void = { _, x, y, data in
            MainActor.assumeIsolated { (GestureSignals.handler(data) as H)(x, y) }
        }
        connect(controller, signal, unsafeBitCast(thunk, to: GCallback.self), handler)
    }

    /// GtkGestureZoom "scale-changed": `void (*)(gesture, double scale, gpointer)`.
    static func connectScale(_ gesture: OpaquePointer, _ handler: @escaping @MainActor (Double) -> Void) {
        typealias H = @MainActor (Double) -> Void
        let thunk: @convention(c) (gpointer?, Double, gpointer?) -> Void = { _, scale, data in
            MainActor.assumeIsolated { (GestureSignals.handler(data) as H)(scale) }
        }
        connect(gesture, "scale-changed", unsafeBitCast(thunk, to: GCallback.self), handler)
    }

    /// GtkGesture "begin": `void (*)(gesture, GdkEventSequence *, gpointer)`.
    static func connectBegin(_ gesture: OpaquePointer, _ handler: @escaping @MainActor () -> Void) {
        typealias H = @MainActor () -> Void
        let thunk: @convention(c) (gpointer?, gpointer?, gpointer?) -> Void = { _, _, data in
            MainActor.assumeIsolated { (GestureSignals.handler(data) as H)() }
        }
        connect(gesture, "begin", unsafeBitCast(thunk, to: GCallback.self), handler)
    }

    /// GtkDrawingArea "resize": `void (*)(area, int width, int height, gpointer)`.
    static func connectResize(_ area: Widget, _ handler: @escaping @MainActor (Int32, Int32) -> Void) {
        typealias H = @MainActor (Int32, Int32) -> Void
        let thunk: @convention(c) (gpointer?, Int32, Int32, gpointer?) -> Void = { _, width, height, data in
            MainActor.assumeIsolated { (GestureSignals.handler(data) as H)(width, height) }
        }
        connect(OpaquePointer(area), "resize", unsafeBitCast(thunk, to: GCallback.self), handler)
    }

    /// A key controller on `widget` whose "key-pressed" (`gboolean (*)(ctrl, guint keyval,
    /// guint keycode, GdkModifierType, gpointer)`) gives `handler` the key value and whether
    /// Ctrl was held; true: handled.
    static func connectKey(_ widget: Widget, phase: GtkPropagationPhase = GTK_PHASE_BUBBLE,
                           _ handler: @escaping @MainActor (UInt32, Bool) -> Bool) {
        typealias H = @MainActor (UInt32, Bool) -> Bool
        let controller = gtk_event_controller_key_new()!
        gtk_event_controller_set_propagation_phase(controller, phase)
        let thunk: @convention(c) (gpointer?, UInt32, UInt32, UInt32, gpointer?) -> gboolean = { _, key, _, state, data in
            let control = state & GDK_CONTROL_MASK.rawValue != 0
            return MainActor.assumeIsolated { (GestureSignals.handler(data) as H)(key, control) ? 1 : 0 }
        }
        connect(controller, "key-pressed", unsafeBitCast(thunk, to: GCallback.self), handler)
        gtk_widget_add_controller(widget, controller)
    }
}
