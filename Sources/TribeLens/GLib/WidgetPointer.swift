import CGtk

/// Every widget is kept as a `GtkWidget *`. GTK 4 declares most widget structs opaque, so Swift
/// sees their pointers as `OpaquePointer`; the others (window, box, button) keep their own type.
/// These two conversions stand in for the C cast macros (`GTK_LABEL()`, `GTK_WINDOW()`, ...).
typealias Widget = UnsafeMutablePointer<GtkWidget>

extension UnsafeMutablePointer {
    /// The same object seen as an opaque GTK type, e.g. `GtkLabel *`.
    var opaque: OpaquePointer { OpaquePointer(self) }

    /// The same object seen as another concrete GTK type, e.g. `GtkWindow *`.
    func cast<T>() -> UnsafeMutablePointer<T> { UnsafeMutablePointer<T>(OpaquePointer(self)) }
}

extension OpaquePointer {
    func cast<T>() -> UnsafeMutablePointer<T> { UnsafeMutablePointer<T>(self) }
}

/// Small conveniences used by every widget file.
@MainActor
enum Gtk {
    static func addClasses(_ widget: Widget, _ classes: String...) {
        for name in classes { gtk_widget_add_css_class(widget, name) }
    }

    static func margins(_ widget: Widget, _ all: Int32) {
        gtk_widget_set_margin_top(widget, all)
        gtk_widget_set_margin_bottom(widget, all)
        gtk_widget_set_margin_start(widget, all)
        gtk_widget_set_margin_end(widget, all)
    }

    /// A label; `description` names it for assistive technology and for the GUI tests.
    static func label(_ text: String, classes: [String] = [], description: String? = nil) -> Widget {
        let label = gtk_label_new(text)!
        for name in classes { gtk_widget_add_css_class(label, name) }
        if let description { tl_accessible_set_description(label, description) }
        return label
    }

    /// A flat icon button with a tooltip and an accessible name (icon buttons have no text).
    static func iconButton(_ icon: String, name: String, action: String? = nil) -> Widget {
        let button = gtk_button_new_from_icon_name(icon)!
        gtk_widget_set_tooltip_text(button, name)
        tl_accessible_set_label(button, name)
        if let action { gtk_actionable_set_action_name(button.opaque, action) }
        return button
    }

    /// A text button with a mnemonic. Built from a plain button and a mnemonic label: GTK 4.8
    /// names a `gtk_button_new_with_mnemonic` button "_Open Open" for assistive technology.
    static func button(_ mnemonic: String, action: String? = nil, classes: [String] = []) -> Widget {
        let button = gtk_button_new()!
        let label = gtk_label_new_with_mnemonic(mnemonic)!
        gtk_label_set_mnemonic_widget(label.opaque, button)
        gtk_button_set_child(button.cast(), label)
        if let action { gtk_actionable_set_action_name(button.opaque, action) }
        for name in classes { gtk_widget_add_css_class(button, name) }
        return button
    }

    static func setVisible(_ widget: Widget, _ visible: Bool) {
        gtk_widget_set_visible(widget, visible ? 1 : 0)
    }
}
