import CGtk
import Foundation

/// The keyboard shortcuts window (Ctrl+?, and Keyboard Shortcuts in the main menu), built from
/// a GtkBuilder string each time it is asked for and destroyed when closed.
///
/// Not `gtk_application_window_set_help_overlay`: that keeps a hidden toplevel alive, and GTK
/// 4.8's AT-SPI root then lists a window without an accessible path; a screen reader walking the
/// tree while another window (the file chooser) closes crashed the app in
/// `g_variant_new_object_path(NULL)` (2 of 8 runs of the open-dialog GUI test; 0 of 8 without it).
@MainActor
enum ShortcutsWindow {
    struct Shortcut {
        let accelerator: String
        let title: String
    }

    static var groups: [(title: String, shortcuts: [Shortcut])] {
        [
            (L10n.tr("Photos"), [
                Shortcut(accelerator: "<Control>o", title: L10n.tr("Open photos")),
                Shortcut(accelerator: "<Control><Shift>o", title: L10n.tr("Open a folder")),
                Shortcut(accelerator: "Left Page_Up", title: L10n.tr("Previous photo")),
                Shortcut(accelerator: "Right Page_Down", title: L10n.tr("Next photo")),
                Shortcut(accelerator: "Home", title: L10n.tr("First photo")),
                Shortcut(accelerator: "End", title: L10n.tr("Last photo")),
                Shortcut(accelerator: "Delete", title: L10n.tr("Remove the photo from the window")),
                Shortcut(accelerator: "<Control>z", title: L10n.tr("Undo the last correction of a face")),
            ]),
            (L10n.tr("Zoom"), [
                Shortcut(accelerator: "<Control>plus", title: L10n.tr("Zoom in")),
                Shortcut(accelerator: "<Control>minus", title: L10n.tr("Zoom out")),
                Shortcut(accelerator: "<Control>0", title: L10n.tr("Fit to the window")),
                Shortcut(accelerator: "<Control>1", title: L10n.tr("Actual size (100%)")),
            ]),
            (L10n.tr("Training"), [
                Shortcut(accelerator: "<Control>t", title: L10n.tr("Train a model")),
                // The training panel's Review page (PageShortcuts there).
                Shortcut(accelerator: "Delete", title: L10n.tr("Reject the selected crops")),
                Shortcut(accelerator: "k", title: L10n.tr("Keep the selected crops")),
                Shortcut(accelerator: "<Control>z", title: L10n.tr("Undo a review decision")),
                Shortcut(accelerator: "<Control><Shift>z", title: L10n.tr("Redo a review decision")),
            ]),
            (L10n.tr("General"), [
                Shortcut(accelerator: "<Control>comma", title: L10n.tr("Preferences")),
                Shortcut(accelerator: "<Control>question", title: L10n.tr("Keyboard shortcuts")),
                Shortcut(accelerator: "F10", title: L10n.tr("Main menu")),
                Shortcut(accelerator: "<Control>w", title: L10n.tr("Close the window")),
                Shortcut(accelerator: "<Control>q", title: L10n.tr("Quit")),
            ]),
        ]
    }

    /// The builder XML; texts are already translated (and escaped) here rather than through
    /// `translatable="yes"`, so xgettext finds them in the Swift source like every other string.
    static var builderXML: String {
        // Plain string pieces, no multi-line literal: xgettext reads this file as C.
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<interface>\n"
            + "  <object class=\"GtkShortcutsWindow\" id=\"help_overlay\">\n"
            + "    <property name=\"modal\">1</property>\n"
            + "    <child><object class=\"GtkShortcutsSection\">\n"
            + "      <property name=\"section-name\">shortcuts</property>\n"
            + "      <property name=\"max-height\">12</property>\n"
        for group in groups {
            xml += "      <child><object class=\"GtkShortcutsGroup\"><property name=\"title\">\(escape(group.title))</property>\n"
            for shortcut in group.shortcuts {
                xml += "        <child><object class=\"GtkShortcutsShortcut\">"
                    + "<property name=\"title\">\(escape(shortcut.title))</property>"
                    + "<property name=\"accelerator\">\(escape(shortcut.accelerator))</property>"
                    + "</object></child>\n"
            }
            xml += "      </object></child>\n"
        }
        return xml + "    </object></child>\n  </object>\n</interface>\n"
    }

    /// Adds `win.show-help-overlay` (the name GTK itself uses) to a window.
    static func attach(to window: Widget) {
        let action = g_simple_action_new("show-help-overlay", nil)!
        Signals.connectAction(action) { present(parent: window) }
        g_action_map_add_action(OpaquePointer(window), action)
        g_object_unref(UnsafeMutableRawPointer(action))
    }

    static func present(parent: Widget) {
        let builder = gtk_builder_new_from_string(builderXML, -1)!
        defer { g_object_unref(UnsafeMutableRawPointer(builder)) }
        guard let object = gtk_builder_get_object(builder, "help_overlay") else { return }
        let window = UnsafeMutableRawPointer(object).assumingMemoryBound(to: GtkWindow.self)
        gtk_window_set_transient_for(window, parent.cast())
        gtk_window_set_hide_on_close(window, 0)  // destroyed when closed: no hidden toplevel stays
        gtk_window_present(window)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
