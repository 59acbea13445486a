import CGtk

/// Home, End and Delete in the main window (first photo, last photo, remove the photo from the
/// window), and Ctrl+Z (undo the last correction). Caught before the focused widget sees them,
/// as the window's other shortcuts are (the strip's scrolled window would otherwise take Home
/// and End to scroll itself), except while a text field has the focus (the face popover's
/// member search keeps them, and Ctrl+Z, for editing).
@MainActor
enum PhotoNavigationKeys {
    /// `actions`: key value -> window action ("win.first-photo"), without Ctrl; `control`: with it.
    static func attach(to window: Widget, _ actions: [UInt32: String], control: [UInt32: String] = [:]) {
        GestureSignals.connectKey(window, phase: GTK_PHASE_CAPTURE) { key, ctrl in
            guard let action = ctrl ? control[key] : actions[key] else { return false }
            if let focus = gtk_root_get_focus(OpaquePointer(window)),
               g_type_check_instance_is_a(UnsafeMutablePointer<GTypeInstance>(OpaquePointer(focus)), gtk_editable_get_type()) != 0 {
                return false
            }
            return gtk_widget_activate_action_variant(window, action, nil) != 0
        }
    }
}
