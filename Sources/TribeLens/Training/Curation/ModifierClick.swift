import CGtk

/// Ctrl+click and Shift+click on a tile button select instead of clicking it. A capture-phase
/// click gesture sees the press before the button does; with a modifier held it claims the
/// press (the button then never emits "clicked") and reports it, without one it lets the
/// button have it.
@MainActor
enum ModifierClick {
    /// `handler(extend: Shift held, toggle: Ctrl held)`.
    static func attach(to widget: Widget, handler: @escaping @MainActor (_ extend: Bool, _ toggle: Bool) -> Void) {
        guard let gesture = gtk_gesture_click_new() else { return }
        gtk_gesture_single_set_button(gesture, 1)
        gtk_event_controller_set_propagation_phase(gesture, GTK_PHASE_CAPTURE)
        typealias Pressed = @MainActor (OpaquePointer) -> Void
        let box = Unmanaged.passRetained(HandlerBox<Pressed> { gesture in
            let state = gtk_event_controller_get_current_event_state(gesture).rawValue
            let extend = state & GDK_SHIFT_MASK.rawValue != 0
            let toggle = state & GDK_CONTROL_MASK.rawValue != 0
            guard extend || toggle else { return }
            _ = gtk_gesture_set_state(gesture, GTK_EVENT_SEQUENCE_CLAIMED)
            handler(extend, toggle)
        } as AnyObject).toOpaque()
        // "pressed": void (*)(GtkGestureClick *, int n_press, double x, double y, gpointer).
        let thunk: @convention(c) (OpaquePointer?, Int32, Double, Double, gpointer?) -> Void = { gesture, _, _, _, data in
            guard let gesture, let data else { return }
            let box = Unmanaged<AnyObject>.fromOpaque(data).takeUnretainedValue() as! HandlerBox<Pressed>
            MainActor.assumeIsolated { box.handler(gesture) }
        }
        tl_signal_connect(UnsafeMutableRawPointer(gesture), "pressed", unsafeBitCast(thunk, to: GCallback.self), box) { data, _ in
            guard let data else { return }
            Unmanaged<AnyObject>.fromOpaque(data).release()
        }
        gtk_widget_add_controller(widget, gesture)
    }
}
