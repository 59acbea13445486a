import CGtk

/// Keyboard shortcuts of one part of a window (the Review page's Ctrl+Z, Delete, K): named
/// actions in an action group on the widget, triggered by a shortcut controller there, so they
/// work while the focus is inside that widget and its buttons can share the actions.
@MainActor
final class PageShortcuts {
    private let prefix: String
    private let group: OpaquePointer
    private let controller: OpaquePointer
    private var actions: [String: OpaquePointer] = [:]

    /// Actions are "`prefix`.name" inside `widget`.
    init(on widget: Widget, prefix: String) {
        self.prefix = prefix
        group = OpaquePointer(g_simple_action_group_new())
        gtk_widget_insert_action_group(widget, prefix, group)
        g_object_unref(UnsafeMutableRawPointer(group))  // the widget holds it
        controller = gtk_shortcut_controller_new()
        gtk_widget_add_controller(widget, controller)
    }

    /// `keys` in `gtk_accelerator_parse` form ("<Control>z", "Delete", "k").
    func add(_ name: String, keys: [String], handler: @escaping @MainActor () -> Void) {
        let action = g_simple_action_new(name, nil)!
        Signals.connectAction(action, handler)
        g_action_map_add_action(group, action)
        g_object_unref(UnsafeMutableRawPointer(action))
        actions[name] = action
        for key in keys {
            guard let trigger = gtk_shortcut_trigger_parse_string(key) else { continue }
            let shortcut = gtk_shortcut_new(trigger, gtk_named_action_new("\(prefix).\(name)"))
            gtk_shortcut_controller_add_shortcut(controller, shortcut)
        }
    }

    func setEnabled(_ name: String, _ enabled: Bool) {
        if let action = actions[name] { g_simple_action_set_enabled(action, enabled ? 1 : 0) }
    }
}
